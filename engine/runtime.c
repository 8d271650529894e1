/*
 * runtime.c - the parts of a rule set derived from its table, built after
 * compiling and again after loading: the Vectorscan database, PCRE2 codes
 * (JIT), the pattern-to-rule index and the list of regexes run by PCRE2 only.
 */
#include <stdio.h>
#include <string.h>
#include "compile_int.h"

#define HS_REGEX_FLAGS (HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_CASELESS | \
                        HS_FLAG_PREFILTER | HS_FLAG_DOTALL | HS_FLAG_SINGLEMATCH)

static void rdiag(struct tri_diag_sink *d, triage_status st, const char *msg,
                  const char *extra)
{
    if (d != NULL)
        tri_diag(d, st, 0, NULL, 0, 0, NULL, -1, -1, "%s%s", msg, extra);
}

static triage_status compile_regexes(struct triage_ruleset *rs,
                                     struct tri_diag_sink *d)
{
    const struct tri_table *t = &rs->t;
    uint32_t i;
    int err;
    PCRE2_SIZE off;

    rs->re = tri_calloc(t->n_patterns ? t->n_patterns : 1, sizeof *rs->re);
    rs->slow = tri_calloc(t->n_patterns ? t->n_patterns : 1, sizeof *rs->slow);
    rs->jit = tri_calloc(t->n_patterns ? t->n_patterns : 1, sizeof *rs->jit);
    if (rs->re == NULL || rs->slow == NULL || rs->jit == NULL)
        return TRIAGE_ENOMEM;
    for (i = 0; i < t->n_patterns; i++) {
        const struct tri_pattern *p = &t->patterns[i];

        if (p->kind != TRI_PAT_REGEX)
            continue;
        /* No PCRE2_NO_UTF_CHECK: a loaded table's source is not trusted,
         * and PCRE2 reads out of bounds on invalid UTF-8 without the check.
         * A cased regex reads the caller's bytes, which may not be UTF-8. */
        rs->re[i] = pcre2_compile((PCRE2_SPTR)tri_str(t, p->src), p->src_len,
                                  PCRE2_UTF | PCRE2_UCP |
                                  (p->flags & TRI_PATF_CASED ? PCRE2_MATCH_INVALID_UTF
                                                             : PCRE2_CASELESS),
                                  &err, &off, NULL);
        if (rs->re[i] == NULL) {
            rdiag(d, TRIAGE_EPATTERN, "regex no longer compiles: ",
                  tri_str(t, p->src));
            return d ? TRIAGE_EPATTERN : TRIAGE_ECORRUPT;
        }
        /* JIT-compiled on first use (match.c): a one-off run uses a few. */
        /* The compiler marks a cased regex slow too; a loaded table is not
         * trusted to, and a cased regex must run on every text. */
        if (p->flags & (TRI_PATF_SLOW | TRI_PATF_CASED))
            rs->slow[rs->n_slow++] = i;
    }
    return TRIAGE_OK;
}

/* Literals go to Vectorscan as \xHH escapes so no byte is read as syntax. */
static char *escape_literal(const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    char *out = tri_malloc(n * 4 + 1), *o = out;
    size_t i;

    if (out == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            *o++ = (char)c;
        } else {
            *o++ = '\\';
            *o++ = 'x';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o = '\0';
    return out;
}

/* What Vectorscan compiles for a regex: its relaxed form (regex_relax.c),
 * unless Vectorscan refuses that form (say it now matches the empty
 * string), then the regex itself. PCRE2 confirms each nomination. */
static char *prefilter_expr(const char *re, size_t len)
{
    char *relaxed = tri_regex_relax(re, len);
    hs_expr_info_t *info = NULL;
    hs_compile_error_t *err = NULL;

    if (relaxed == NULL || (strlen(relaxed) == len && memcmp(relaxed, re, len) == 0))
        return relaxed;
    if (hs_expression_info(relaxed, HS_REGEX_FLAGS, &info, &err) == HS_SUCCESS &&
        info->min_width > 0) {
        free(info);  /* Vectorscan allocates it with the C library */
        return relaxed;
    }
    free(info);
    hs_free_compile_error(err);
    tri_free(relaxed);
    return tri_strndup(re, len);
}

static triage_status compile_hs(struct triage_ruleset *rs, struct tri_diag_sink *d)
{
    const struct tri_table *t = &rs->t;
    char **expr = tri_calloc(t->n_patterns + 1, sizeof *expr);
    unsigned *flags = tri_calloc(t->n_patterns + 1, sizeof *flags);
    unsigned *ids = tri_calloc(t->n_patterns + 1, sizeof *ids);
    hs_compile_error_t *err = NULL;
    triage_status st = TRIAGE_OK;
    uint32_t i, n = 0;

    if (expr == NULL || flags == NULL || ids == NULL)
        st = TRIAGE_ENOMEM;
    for (i = 0; st == TRIAGE_OK && i < t->n_patterns; i++) {
        const struct tri_pattern *p = &t->patterns[i];

        if (p->flags & TRI_PATF_SLOW)   /* cased regexes are slow too */
            continue;
        if (p->kind == TRI_PAT_LITERAL) {
            expr[n] = escape_literal(tri_str(t, p->src), p->src_len);
            flags[n] = 0;
        } else {
            expr[n] = prefilter_expr(tri_str(t, p->src), p->src_len);
            flags[n] = HS_REGEX_FLAGS;
        }
        if (expr[n] == NULL)
            st = TRIAGE_ENOMEM;
        ids[n++] = i;
    }
    if (st == TRIAGE_OK && n > 0 &&
        hs_compile_multi((const char *const *)expr, flags, ids, n, HS_MODE_BLOCK,
                         NULL, &rs->db, &err) != HS_SUCCESS) {
        rdiag(d, TRIAGE_EPATTERN, "Vectorscan could not build the database: ",
              err ? err->message : "unknown error");
        st = TRIAGE_EPATTERN;
    }
    hs_free_compile_error(err);
    for (i = 0; i < n; i++)
        tri_free(expr[i]);
    tri_free(expr);
    tri_free(flags);
    tri_free(ids);
    return st;
}

/* Collect the patterns of a node's subtree into rule_refs order. */
static void node_patterns(const struct tri_table *t, uint32_t node,
                          void (*fn)(void *, uint32_t), void *arg)
{
    const struct tri_node *n = &t->nodes[node];
    uint32_t k, i;

    if (n->kind == TRI_NODE_LEAF) {
        fn(arg, n->pattern);
        return;
    }
    for (k = 0; k < TRI_PART_COUNT; k++)
        for (i = 0; i < n->count[k]; i++)
            node_patterns(t, t->node_kids[n->first[k] + i], fn, arg);
}

/* A condition that can hold with no hit at all (only 'none' parts). */
static int zero_hit(const struct tri_table *t, uint32_t node)
{
    const struct tri_node *n = &t->nodes[node];
    uint32_t i;
    int any_ok = n->count[TRI_PART_ANY] == 0;

    if (n->kind == TRI_NODE_LEAF || n->count[TRI_PART_REGEX] > 0)
        return 0;
    for (i = 0; i < n->count[TRI_PART_ANY]; i++)
        any_ok |= zero_hit(t, t->node_kids[n->first[TRI_PART_ANY] + i]);
    for (i = 0; any_ok && i < n->count[TRI_PART_ALL]; i++)
        if (!zero_hit(t, t->node_kids[n->first[TRI_PART_ALL] + i]))
            return 0;
    return any_ok;
}

/* A condition in the subtree sets its own modes (score.c must then look
 * at where a hit's leaf stands to say whether the hit counted). */
static int own_modes(const struct tri_table *t, uint32_t node)
{
    const struct tri_node *n = &t->nodes[node];
    uint32_t k, i;

    if (n->kind == TRI_NODE_LEAF)
        return 0;
    if (n->modes != 0)
        return 1;
    for (k = 0; k < TRI_PART_COUNT; k++)
        for (i = 0; i < n->count[k]; i++)
            if (own_modes(t, t->node_kids[n->first[k] + i]))
                return 1;
    return 0;
}

struct refs_ctx {
    struct tri_table *t;
    uint32_t rule;
    int fill;            /* 0: count, 1: fill                              */
    uint32_t *pos;
};

static void count_or_fill(void *arg, uint32_t pat)
{
    struct refs_ctx *c = arg;
    struct tri_pattern *p = &c->t->patterns[pat];

    if (!c->fill) {
        p->rules_count++;
        return;
    }
    /* A rule may use one pattern twice; list it once. */
    if (c->pos[pat] > p->rules_first && c->t->rule_refs[c->pos[pat] - 1] == c->rule)
        return;
    c->t->rule_refs[c->pos[pat]++] = c->rule;
}

/* For each pattern, the node parts ("slots") it is a leaf of: a text's
 * hit patterns then tell each part which of its leaves hit (score.c). */
static triage_status index_slots(struct triage_ruleset *rs)
{
    const struct tri_table *t = &rs->t;
    size_t n = (size_t)t->n_nodes * TRI_PART_COUNT, i, total = 0;
    uint32_t *first, j;

    first = rs->pat_slots_first = tri_calloc((size_t)t->n_patterns + 2, sizeof *first);
    if (first == NULL)
        return TRIAGE_ENOMEM;
    for (i = 0; i < n; i++)
        for (j = 0; j < rs->parts[i].n_leaves; j++)
            first[rs->part_items[rs->parts[i].leaves_first + j] + 1]++;
    for (i = 0; i <= t->n_patterns; i++) {   /* counts -> starts */
        total += first[i];
        first[i] = (uint32_t)total;
    }
    rs->pat_slots = tri_calloc(total + 1, sizeof *rs->pat_slots);
    if (rs->pat_slots == NULL)
        return TRIAGE_ENOMEM;
    /* Counts sat at p + 1, so first[p] is p's start; filling with
     * first[p]++ leaves it at p's end, and a shift makes it the start. */
    for (i = 0; i < n; i++)
        for (j = 0; j < rs->parts[i].n_leaves; j++) {
            uint32_t p = rs->part_items[rs->parts[i].leaves_first + j];

            rs->pat_slots[first[p]++] = rs->parts[i].slot;
        }
    for (i = t->n_patterns; i > 0; i--)   /* ends -> starts */
        first[i] = first[i - 1];
    first[0] = 0;
    return TRIAGE_OK;
}

/* Mark the patterns a rule matches on (not only excludes with 'none'). */
static void mark_claims(const struct tri_table *t, uint8_t *claims, uint32_t node,
                        int excluded)
{
    const struct tri_node *nd = &t->nodes[node];
    uint32_t k, j;

    if (nd->kind == TRI_NODE_LEAF) {
        if (!excluded)
            claims[nd->pattern] = 1;
        return;
    }
    for (k = 0; k < TRI_PART_COUNT; k++)
        for (j = 0; j < nd->count[k]; j++)
            mark_claims(t, claims, t->node_kids[nd->first[k] + j],
                        excluded || k == TRI_PART_NONE);
}

/* Split each node part into sorted leaf patterns and other kids. */
static triage_status index_parts(struct triage_ruleset *rs)
{
    const struct tri_table *t = &rs->t;
    size_t n = (size_t)t->n_nodes * TRI_PART_COUNT, at = 0, total = 0, i;
    uint32_t k, j;

    /* Summed per part: a loaded table's parts may share kid ranges. */
    for (i = 0; i < t->n_nodes; i++)
        for (k = 0; t->nodes[i].kind == TRI_NODE_COND && k < TRI_PART_COUNT; k++)
            total += t->nodes[i].count[k];
    rs->parts = tri_calloc(n + 1, sizeof *rs->parts);
    rs->part_items = tri_calloc(total + 1, sizeof *rs->part_items);
    if (rs->parts == NULL || rs->part_items == NULL)
        return TRIAGE_ENOMEM;
    for (i = 0; i < t->n_nodes; i++) {
        const struct tri_node *nd = &t->nodes[i];

        if (nd->kind != TRI_NODE_COND)
            continue;
        for (k = 0; k < TRI_PART_COUNT; k++) {
            struct tri_part_index *pi = &rs->parts[i * TRI_PART_COUNT + k];

            pi->leaves_first = (uint32_t)at;
            for (j = 0; j < nd->count[k]; j++) {
                uint32_t kid = t->node_kids[nd->first[k] + j];

                if (t->nodes[kid].kind == TRI_NODE_LEAF)
                    rs->part_items[at++] = t->nodes[kid].pattern;
            }
            pi->n_leaves = (uint32_t)at - pi->leaves_first;
            pi->slot = pi->n_leaves > 0 ? rs->n_slots++ : TRI_NONE;
            qsort(rs->part_items + pi->leaves_first, pi->n_leaves, sizeof(uint32_t), tri_cmp_u32);
            pi->others_first = (uint32_t)at;
            for (j = 0; j < nd->count[k]; j++) {
                uint32_t kid = t->node_kids[nd->first[k] + j];

                if (t->nodes[kid].kind != TRI_NODE_LEAF)
                    rs->part_items[at++] = kid;
            }
            pi->n_others = (uint32_t)at - pi->others_first;
        }
    }
    rs->pat_claims = tri_calloc((size_t)t->n_patterns + 1, 1);
    if (rs->pat_claims == NULL)
        return TRIAGE_ENOMEM;
    for (i = 0; i < t->n_rules; i++)
        mark_claims(t, rs->pat_claims, t->rules[i].root, 0);
    return index_slots(rs);
}

static triage_status index_rules(struct triage_ruleset *rs)
{
    struct tri_table *t = &rs->t;
    struct refs_ctx c = { t, 0, 0, NULL };
    uint32_t i, total = 0;

    for (i = 0; i < t->n_patterns; i++)
        t->patterns[i].rules_count = 0;
    for (c.rule = 0; c.rule < t->n_rules; c.rule++)
        node_patterns(t, t->rules[c.rule].root, count_or_fill, &c);
    for (i = 0; i < t->n_patterns; i++) {
        t->patterns[i].rules_first = total;
        total += t->patterns[i].rules_count;
    }
    tri_free(t->rule_refs);
    t->rule_refs = tri_calloc(total + 1, sizeof *t->rule_refs);
    c.pos = tri_calloc(t->n_patterns + 1, sizeof *c.pos);
    rs->zero_hit_rules = tri_calloc(t->n_rules + 1, sizeof *rs->zero_hit_rules);
    if (t->rule_refs == NULL || c.pos == NULL || rs->zero_hit_rules == NULL) {
        tri_free(c.pos);
        return TRIAGE_ENOMEM;
    }
    for (i = 0; i < t->n_patterns; i++)
        c.pos[i] = t->patterns[i].rules_first;
    c.fill = 1;
    for (c.rule = 0; c.rule < t->n_rules; c.rule++) {
        node_patterns(t, t->rules[c.rule].root, count_or_fill, &c);
        t->rules[c.rule].zero_hit = (uint32_t)zero_hit(t, t->rules[c.rule].root);
        t->rules[c.rule].own_modes = (uint32_t)own_modes(t, t->rules[c.rule].root);
        if (t->rules[c.rule].zero_hit)
            rs->zero_hit_rules[rs->n_zero_hit++] = c.rule;
    }
    for (i = 0; i < t->n_patterns; i++)
        t->patterns[i].rules_count = c.pos[i] - t->patterns[i].rules_first;
    t->n_rule_refs = total;
    tri_free(c.pos);
    return TRIAGE_OK;
}

static void jstr(struct tri_buf *b, const char *s)
{
    tri_buf_json_str(b, s, strlen(s));
}

/* Script objects, tag objects and the ruleset member never change between
 * results, so they are escaped once here instead of on every record. */
static triage_status render_json(struct triage_ruleset *rs)
{
    const struct tri_table *t = &rs->t;
    struct tri_buf *b = &rs->json;
    uint32_t i, ntags = t->vocab_count[TRIAGE_AXIS_TAG];

    rs->script_json = tri_calloc(2 * (size_t)t->n_scripts + 2, sizeof(uint32_t));
    rs->tag_json = tri_calloc(2 * (size_t)ntags + 2, sizeof(uint32_t));
    rs->rule_json = tri_calloc(2 * (size_t)t->n_rules + 2, sizeof(uint32_t));
    rs->vocab_json = tri_calloc(2 * (size_t)t->n_vocab + 2, sizeof(uint32_t));
    if (rs->script_json == NULL || rs->tag_json == NULL || rs->rule_json == NULL ||
        rs->vocab_json == NULL)
        return TRIAGE_ENOMEM;
    for (i = 0; i < t->n_rules; i++) {
        rs->rule_json[2 * i] = (uint32_t)b->len;
        jstr(b, tri_str(t, t->rules[i].id));
        rs->rule_json[2 * i + 1] = (uint32_t)b->len - rs->rule_json[2 * i];
    }
    for (i = 0; i < t->n_vocab; i++) {
        rs->vocab_json[2 * i] = (uint32_t)b->len;
        jstr(b, tri_str(t, t->vocab[i].name));
        rs->vocab_json[2 * i + 1] = (uint32_t)b->len - rs->vocab_json[2 * i];
    }
    for (i = 0; i < t->n_scripts; i++) {
        const struct tri_script *sc = &t->scripts[i];

        rs->script_json[2 * i] = (uint32_t)b->len;
        tri_buf_adds(b, "{\"id\":");
        jstr(b, tri_str(t, sc->id));
        tri_buf_adds(b, ",\"group\":");
        jstr(b, tri_str(t, sc->group));
        tri_buf_adds(b, ",\"lang\":\"");
        tri_buf_adds(b, tri_lang_names[sc->lang]);
        tri_buf_adds(b, "\",\"text\":");
        jstr(b, tri_str(t, sc->text));
        tri_buf_addc(b, '}');
        rs->script_json[2 * i + 1] = (uint32_t)b->len - rs->script_json[2 * i];
    }
    for (i = 0; i < ntags; i++) {
        const struct tri_vocab_entry *e = &t->vocab[t->vocab_first[TRIAGE_AXIS_TAG] + i];

        rs->tag_json[2 * i] = (uint32_t)b->len;
        tri_buf_adds(b, "{\"id\":");
        jstr(b, tri_str(t, e->name));
        if (e->data != TRI_NONE) {
            tri_buf_addc(b, ',');
            tri_buf_adds(b, tri_str(t, e->data));
        }
        tri_buf_addc(b, '}');
        rs->tag_json[2 * i + 1] = (uint32_t)b->len - rs->tag_json[2 * i];
    }
    rs->ruleset_json[0] = (uint32_t)b->len;
    tri_buf_adds(b, ",\"ruleset\":{\"name\":");
    jstr(b, tri_str(t, t->name));
    tri_buf_adds(b, ",\"version\":");
    jstr(b, tri_str(t, t->version));
    tri_buf_adds(b, ",\"hash\":");
    jstr(b, tri_str(t, t->hash));
    tri_buf_adds(b, "}}");
    rs->ruleset_json[1] = (uint32_t)b->len - rs->ruleset_json[0];
    return b->failed ? TRIAGE_ENOMEM : TRIAGE_OK;
}

triage_status tri_runtime_build(struct triage_ruleset *rs, struct tri_diag_sink *d)
{
    triage_status st = compile_regexes(rs, d);

    if (st == TRIAGE_OK)
        st = render_json(rs);

    if (st == TRIAGE_OK)
        st = index_rules(rs);
    if (st == TRIAGE_OK)
        st = index_parts(rs);
    if (st == TRIAGE_OK && rs->db == NULL)
        st = compile_hs(rs, d);
    if (st == TRIAGE_OK)
        st = tri_bayes_build(rs);
    return st;
}

triage_status tri_runtime_load_hs(struct triage_ruleset *rs, const char *blob,
                                  size_t len)
{
    if (len == 0)
        return TRIAGE_OK;
    return hs_deserialize_database(blob, len, &rs->db) == HS_SUCCESS
               ? TRIAGE_OK : TRIAGE_ECORRUPT;
}
