/*
 * compile_rules.c - rules, cues and context cues into patterns and
 * condition nodes. Identical patterns are stored once however many rules
 * use them, so the one-pass matcher scans each only once.
 */
#include <string.h>
#include "compile_int.h"

static uint64_t hash_bytes(const char *s, size_t n, uint64_t h)
{
    size_t i;

    for (i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static struct tri_pattern *pats(struct tri_build *b, uint32_t *n)
{
    *n = (uint32_t)(b->patterns.len / sizeof(struct tri_pattern));
    return (struct tri_pattern *)b->patterns.data;
}

/* Open addressing over pattern indexes; rebuilt when half full. */
static uint32_t *pat_slot(struct tri_build *b, uint32_t kind, uint32_t role,
                          const char *s, size_t n)
{
    uint32_t np;
    struct tri_pattern *p = pats(b, &np);
    uint64_t h = hash_bytes(s, n, 1469598103934665603ull ^ (kind * 7 + role));
    size_t mask = b->pat_hash_cap - 1, i = (size_t)h & mask;

    while (b->pat_hash[i] != 0) {
        const struct tri_pattern *q = &p[b->pat_hash[i] - 1];

        if (q->kind == kind && q->role == role && q->src_len == n &&
            memcmp(tri_str(b->t, q->src), s, n) == 0)
            break;
        i = (i + 1) & mask;
    }
    return &b->pat_hash[i];
}

static int pat_hash_grow(struct tri_build *b)
{
    uint32_t np, i;
    struct tri_pattern *p = pats(b, &np);
    size_t cap = b->pat_hash_cap ? b->pat_hash_cap * 2 : 1024;

    if ((np + 1) * 2 < b->pat_hash_cap)
        return 1;
    tri_free(b->pat_hash);
    b->pat_hash = tri_calloc(cap, sizeof *b->pat_hash);
    if (b->pat_hash == NULL) {
        b->pat_hash_cap = 0;   /* compiling goes on: retry, don't use it */
        return 0;
    }
    b->pat_hash_cap = cap;
    for (i = 0; i < np; i++)
        *pat_slot(b, p[i].kind, p[i].role, tri_str(b->t, p[i].src),
                  p[i].src_len) = i + 1;
    return 1;
}

/* PCRE2 checks the regex now so the error points into the rule file. */
static int regex_check(struct tri_build *b, const struct tri_ynode *n,
                       uint32_t *flags)
{
    int cased = n->len >= TRI_CASED_PREFIX_LEN &&
                memcmp(n->str, TRI_CASED_PREFIX, TRI_CASED_PREFIX_LEN) == 0;
    int err;
    PCRE2_SIZE off;
    pcre2_code *re;
    pcre2_match_data *md;
    uint32_t names = 0;
    const char *apart;
    char msg[256];

    re = pcre2_compile((PCRE2_SPTR)n->str, n->len,
                       PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &err, &off, NULL);
    if (re == NULL) {
        pcre2_get_error_message(err, (PCRE2_UCHAR *)msg, sizeof msg);
        tri_diag(&b->c->diag, TRIAGE_EPATTERN, 0, b->file, n->line, n->col,
                 b->rule_id, -1, (int)off, "bad regex at offset %d: %s",
                 (int)off, msg);
        return 0;
    }
    md = pcre2_match_data_create_from_pattern(re, NULL);
    if (md != NULL && pcre2_match(re, (PCRE2_SPTR) "", 0, 0, 0, md, NULL) >= 0) {
        tri_err(b, n, TRIAGE_EPATTERN, "regex matches the empty string, so it "
                "would fire on every text");
        err = -1;
    }
    pcre2_match_data_free(md);
    pcre2_pattern_info(re, PCRE2_INFO_NAMECOUNT, &names);
    pcre2_code_free(re);
    if (err == -1)
        return 0;
    if (names > 0)
        *flags |= TRI_PATF_NAMED;
    if (cased) {   /* the folded text has no case: PCRE2 reads the original */
        *flags |= TRI_PATF_CASED | TRI_PATF_SLOW;
        return 1;
    }
    if ((apart = tri_regex_reads_apart(n->str, n->len)) != NULL) {
        tri_warn(b, n, "%s; it runs through PCRE2 alone on every text, which is slow",
                 apart);
        *flags |= TRI_PATF_SLOW;
    }
    return 1;
}

static void warn_refused(struct tri_build *b, const struct tri_ynode *n, const char *why)
{
    tri_warn(b, n, "Vectorscan cannot take this regex (%s); it runs through "
             "PCRE2 alone on every text, which is slow", why);
}

/* The entry of pattern 'pat' in b->prefilters, the array grown to hold
 * it; NULL when out of memory. */
static struct tri_prefilter *prefilter_of(struct tri_build *b, uint32_t pat)
{
    static const struct tri_prefilter none;

    while (b->prefilters.len / sizeof none <= pat)
        if (tri_buf_add(&b->prefilters, &none, sizeof none) != TRIAGE_OK)
            return NULL;
    return (struct tri_prefilter *)b->prefilters.data + pat;
}

/* New regex pattern 'pat' (s[0..len), folded) as the runtime will build it:
 * the relaxed form, else as written; a form Vectorscan refuses makes the
 * regex slow. Kept for the runtime. 0 when out of memory. */
static int prefilter_add(struct tri_build *b, const struct tri_ynode *n, uint32_t pat,
                         const char *s, size_t len, uint32_t *flags)
{
    struct tri_prefilter *pf = prefilter_of(b, pat);
    hs_compile_error_t *herr = NULL;

    if (pf == NULL || (pf->expr = tri_prefilter_expr(s, len, &pf->flags, &herr)) == NULL)
        return 0;
    if (herr != NULL) {
        tri_free(pf->expr);
        pf->expr = NULL;
        pf->why = tri_strndup(herr->message, strlen(herr->message));
        hs_free_compile_error(herr);
        if (pf->why == NULL)
            return 0;
        warn_refused(b, n, pf->why);
        *flags |= TRI_PATF_SLOW;
    }
    return 1;
}

/* Why Vectorscan refused pattern 'pat', or NULL. */
static const char *refusal(const struct tri_build *b, uint32_t pat)
{
    const struct tri_prefilter *pf = (const struct tri_prefilter *)b->prefilters.data;

    return pat < b->prefilters.len / sizeof *pf ? pf[pat].why : NULL;
}

void tri_prefilters_free(struct tri_build *b)
{
    struct tri_prefilter *pf = (struct tri_prefilter *)b->prefilters.data;
    size_t i, n = b->prefilters.len / sizeof *pf;

    for (i = 0; i < n; i++) {
        tri_free(pf[i].expr);
        tri_free(pf[i].why);
    }
    tri_buf_free(&b->prefilters);
}

uint32_t tri_pattern_add(struct tri_build *b, const struct tri_ynode *n,
                         enum tri_pat_kind kind, enum tri_cue_role role)
{
    struct tri_buf folded = { 0 };
    struct tri_pattern p;
    const char *s = n->str;
    size_t len = n->len;
    uint32_t *slot, np;
    const char *why;

    if (!tri_expect(b, n, TRI_Y_SCALAR, kind == TRI_PAT_REGEX ? "a regex" : "a keyword"))
        return TRI_NONE;
    memset(&p, 0, sizeof p);
    p.kind = kind;
    p.role = role;
    if (kind == TRI_PAT_LITERAL) {
        if (tri_fold_literal(n->str, n->len, &folded) != TRIAGE_OK)
            goto oom;
        s = folded.data ? folded.data : "";
        len = folded.len;
        if (len == 0 || (len == 1 && s[0] == ' ')) {
            tri_err(b, n, TRIAGE_ERULE_SCHEMA, "empty keyword");
            tri_buf_free(&folded);
            return TRI_NONE;
        }
        if (tri_word_byte((unsigned char)s[0]))
            p.flags |= TRI_PATF_WORD_START;
        if (tri_word_byte((unsigned char)s[len - 1]))
            p.flags |= TRI_PATF_WORD_END;
    } else if (!regex_check(b, n, &p.flags)) {
        return TRI_NONE;
    } else if (!(p.flags & TRI_PATF_CASED)) {
        if (tri_fold_regex(n->str, n->len, &folded) != TRIAGE_OK)
            goto oom;
        s = folded.data;
        len = folded.len;
    }
    if (!pat_hash_grow(b))
        goto oom;
    slot = pat_slot(b, kind, role, s, len);
    if (*slot == 0) {
        pats(b, &np);   /* the new pattern's index */
        if (kind == TRI_PAT_REGEX && !(p.flags & TRI_PATF_SLOW) &&
            !prefilter_add(b, n, np, s, len, &p.flags))
            goto oom;
        p.src_len = (uint32_t)len;
        if (tri_pool_add(b->t, s, len, &p.src) != TRIAGE_OK ||
            tri_buf_add(&b->patterns, &p, sizeof p) != TRIAGE_OK)
            goto oom;
        *slot = np + 1;
    } else if (kind == TRI_PAT_REGEX && (why = refusal(b, *slot - 1)) != NULL) {
        warn_refused(b, n, why);   /* at each place the regex is written */
    }
    tri_buf_free(&folded);
    return *slot - 1;
oom:
    tri_buf_free(&folded);
    tri_err(b, n, TRIAGE_ENOMEM, "out of memory");
    return TRI_NONE;
}

static uint32_t node_push(struct tri_build *b, const struct tri_node *nd)
{
    uint32_t at = (uint32_t)(b->nodes.len / sizeof *nd);

    if (tri_buf_add(&b->nodes, nd, sizeof *nd) != TRIAGE_OK) {
        tri_err(b, NULL, TRIAGE_ENOMEM, "out of memory");
        return TRI_NONE;
    }
    return at;
}

static uint32_t leaf(struct tri_build *b, const struct tri_ynode *n,
                     enum tri_pat_kind kind)
{
    struct tri_node nd;
    uint32_t p = tri_pattern_add(b, n, kind, TRI_ROLE_RULE);

    if (p == TRI_NONE)
        return TRI_NONE;
    memset(&nd, 0, sizeof nd);
    nd.kind = TRI_NODE_LEAF;
    nd.pattern = p;
    nd.within[0] = nd.within[1] = nd.within[2] = TRI_NONE;
    nd.list = TRI_NONE;
    return node_push(b, &nd);
}

static uint32_t cond(struct tri_build *b, const struct tri_ynode *n, int depth);

/*
 * A distance in code points by text language: N (every language) or a map
 * { zh: 25, en: 60 } with zh, zh-Hans, zh-Hant and en ('within' of a rule,
 * 'scope' of the context). English takes about 2.5 times the code points
 * of Chinese for the same words. Every language needs a value, so a rule
 * never silently loses its distance test on one of them.
 */
static int lang_windows(struct tri_build *b, const struct tri_ynode *v,
                        const char *what, uint32_t lo, uint32_t out[3])
{
    static const char *const keys[] = { "zh", "zh-Hans", "zh-Hant", "en", NULL };
    const struct tri_ynode *k;
    uint32_t w, got[3] = { TRI_NONE, TRI_NONE, TRI_NONE };
    int i, ok = 1;

    if (v->kind != TRI_Y_MAP) {
        if (!tri_get_uint(b, v, lo, 100000, &w))
            return 0;
        out[0] = out[1] = out[2] = w;
        return 1;
    }
    if (tri_check_keys(b, v, keys, what) != 0)
        return 0;
    for (i = 0; keys[i] != NULL; i++) {
        if ((k = tri_map_get(v, keys[i])) == NULL)
            continue;
        if (!tri_get_uint(b, k, lo, 100000, &w)) {
            ok = 0;
            continue;
        }
        if (i <= 1)
            got[TRI_LANG_HANS] = w;
        if (i == 0 || i == 2)
            got[TRI_LANG_HANT] = w;
        if (i == 3)
            got[TRI_LANG_EN] = w;
    }
    for (i = 0; ok && i < 3; i++)
        if (got[i] == TRI_NONE) {
            tri_err(b, v, TRIAGE_ERULE_SCHEMA, "%s has no window for %s", what,
                    tri_lang_names[i]);
            ok = 0;
        }
    if (ok)
        memcpy(out, got, sizeof got);
    return ok;
}

/* One part (any/all/none/regex) into a contiguous run of node_kids. */
static void part(struct tri_build *b, const struct tri_ynode *list, int which,
                 int depth, struct tri_node *nd)
{
    struct tri_buf ids = { 0 };
    const struct tri_ynode *one = list;
    size_t i, n = 1;
    uint32_t id;

    if (list->kind == TRI_Y_SEQ) {
        n = list->n;
        if (n == 0)
            tri_err(b, list, TRIAGE_ERULE_SCHEMA, "empty list");
    } else if (list->kind == TRI_Y_MAP && which != TRI_PART_REGEX) {
        tri_err(b, list, TRIAGE_ERULE_SCHEMA, "expected a list of keywords "
                "or conditions");
        return;
    }
    for (i = 0; i < n; i++) {
        if (list->kind == TRI_Y_SEQ)
            one = list->kids[i];
        if (which == TRI_PART_REGEX)
            id = leaf(b, one, TRI_PAT_REGEX);
        else if (one->kind == TRI_Y_MAP)
            id = cond(b, one, depth + 1);
        else
            id = leaf(b, one, TRI_PAT_LITERAL);
        if (id != TRI_NONE)
            tri_buf_add(&ids, &id, sizeof id);
    }
    if (ids.failed)
        tri_err(b, list, TRIAGE_ENOMEM, "out of memory");
    nd->first[which] = (uint32_t)(b->kids.len / sizeof(uint32_t));
    nd->count[which] = (uint32_t)(ids.len / sizeof(uint32_t));
    if (ids.len)
        tri_buf_add(&b->kids, ids.data, ids.len);
    tri_buf_free(&ids);
}

static uint32_t mode(struct tri_build *b, const struct tri_ynode *n,
                     uint32_t fallback);

/* The negated, hypothetical and question keys of condition n, packed
 * (internal.h); 0 when it sets none. */
static uint32_t cond_modes(struct tri_build *b, const struct tri_ynode *n)
{
    const struct tri_ynode *v;
    uint32_t m = 0, f;

    for (f = 0; f < 3; f++)
        if ((v = tri_map_get(n, tri_mode_flag_names[f])) != NULL)
            m |= TRI_MODE_SET(f) | TRI_MODE_BITS(f, mode(b, v, TRI_MODE_EXCLUDE));
    return m;
}

static uint32_t cond(struct tri_build *b, const struct tri_ynode *n, int depth)
{
    static const char *const keys[] = { "any", "all", "none", "regex", "within",
                                        "negated", "hypothetical", "question", NULL };
    struct tri_node nd;
    const struct tri_ynode *v;
    int k, parts = 0;

    if (!tri_expect(b, n, TRI_Y_MAP, "a condition"))
        return TRI_NONE;
    if ((v = tri_map_get(n, "list")) != NULL) {   /* { list: NAME }, compile_lists.c */
        uint32_t at = tri_list_use(b, n, depth, cond), own = cond_modes(b, n);
        struct tri_node *ln;

        /* The reference's modes hold where the list's condition sets none;
         * each use compiles the list afresh, so this node is its own. The
         * name is a scalar here: tri_list_use refused anything else. */
        if (at != TRI_NONE) {
            ln = (struct tri_node *)b->nodes.data + at;
            ln->modes = tri_modes_apply(own, ln->modes) | (ln->modes & TRI_MODES_SETS);
            if (ln->kind == TRI_NODE_COND &&
                tri_pool_add(b->t, v->str, v->len, &ln->list) != TRIAGE_OK)
                tri_err(b, n, TRIAGE_ENOMEM, "out of memory");
        }
        return at;
    }
    if (depth > TRI_MAX_NEST) {
        tri_err(b, n, TRIAGE_ELIMIT, "conditions nested deeper than %d levels",
                TRI_MAX_NEST);
        return TRI_NONE;
    }
    tri_check_keys(b, n, keys, "a condition");
    memset(&nd, 0, sizeof nd);
    nd.kind = TRI_NODE_COND;
    nd.within[0] = nd.within[1] = nd.within[2] = TRI_NONE;
    nd.modes = cond_modes(b, n);
    nd.list = TRI_NONE;
    for (k = 0; k < TRI_PART_COUNT; k++)
        if ((v = tri_map_get(n, keys[k])) != NULL) {
            part(b, v, k, depth, &nd);
            parts++;
        }
    if ((v = tri_map_get(n, "within")) != NULL &&
        lang_windows(b, v, "'within'", 0, nd.within)) {
        if (nd.count[TRI_PART_ALL] > 8)
            tri_err(b, v, TRIAGE_ELIMIT, "'within' takes at most 8 parts");
        else if (nd.count[TRI_PART_ALL] < 2)
            tri_err(b, v, TRIAGE_ERULE_SCHEMA, "'within' needs 'all' with two or "
                    "more parts");
    }
    if (parts == 0) {
        tri_err(b, n, TRIAGE_ERULE_SCHEMA, "a condition needs any, all, none or regex");
        return TRI_NONE;
    }
    return node_push(b, &nd);
}

static uint32_t mode(struct tri_build *b, const struct tri_ynode *n,
                     uint32_t fallback)
{
    int m;

    if (n == NULL || !tri_expect(b, n, TRI_Y_SCALAR, "a mode"))
        return fallback;
    if ((m = tri_mode_from_name(n->str)) >= 0)
        return (uint32_t)m;
    tri_err(b, n, TRIAGE_ERULE_SCHEMA, "'%s' is not exclude, include or only",
            n->str);
    return fallback;
}

static int id_taken(struct tri_build *b, const char *id)
{
    uint32_t i, n = (uint32_t)(b->rules.len / sizeof(struct tri_rule));
    const struct tri_rule *r = (const struct tri_rule *)b->rules.data;

    for (i = 0; i < n; i++)
        if (strcmp(tri_str(b->t, r[i].id), id) == 0)
            return 1;
    return 0;
}

static void rule_tags(struct tri_build *b, struct tri_rule *r,
                      const struct tri_ynode *tags)
{
    size_t i;

    if (!tri_expect(b, tags, TRI_Y_SEQ, "tags"))
        return;
    r->tags_first = tri_u32_count(b);
    for (i = 0; i < tags->n; i++) {
        uint32_t t = tri_vocab_ref(b, TRIAGE_AXIS_TAG, tags->kids[i]);

        if (t != TRI_NONE) {
            tri_u32_push(b, t);
            r->tags_count++;
        }
    }
}

static void rule_votes(struct tri_build *b, struct tri_rule *r,
                       const struct tri_ynode *n)
{
    static const char *const keys[] = { "type", "nature", "temperament", "severity" };
    static const triage_axis axes[] = { TRIAGE_AXIS_TYPE, TRIAGE_AXIS_NATURE,
                                        TRIAGE_AXIS_TEMPERAMENT, TRIAGE_AXIS_SEVERITY };
    uint32_t *slots[] = { &r->type, &r->nature, &r->temperament, &r->severity };
    const struct tri_ynode *v;
    int i;

    for (i = 0; i < 4; i++) {
        *slots[i] = TRI_NONE;
        if ((v = tri_map_get(n, keys[i])) != NULL)
            *slots[i] = tri_vocab_ref(b, axes[i], v);
    }
    r->weight = 1;
    if ((v = tri_map_get(n, "weight")) != NULL && tri_get_double(b, v, 0, 1000, &r->weight) &&
        r->weight <= 0)
        tri_err(b, v, TRIAGE_ERULE_SCHEMA, "weight must be above 0");
}

static void rule_one(struct tri_build *b, const struct tri_ynode *n, int is_cue)
{
    static const char *const keys[] = { "id", "title", "description", "type",
        "nature", "temperament", "severity", "weight", "tags", "negated",
        "hypothetical", "question", "match", NULL };
    const struct tri_ynode *id, *v;
    struct tri_rule r;

    if (!tri_expect(b, n, TRI_Y_MAP, is_cue ? "a cue" : "a rule"))
        return;
    id = tri_map_get(n, "id");
    if (id == NULL || !tri_expect(b, id, TRI_Y_SCALAR, "id") || id->len == 0) {
        tri_err(b, n, TRIAGE_ERULE_SCHEMA, "%s without an id", is_cue ? "cue" : "rule");
        return;
    }
    b->rule_id = id->str;
    tri_check_keys(b, n, keys, is_cue ? "a cue" : "a rule");
    if (id_taken(b, id->str))
        tri_err(b, id, TRIAGE_ERULE_SCHEMA, "duplicate rule id '%s'", id->str);
    memset(&r, 0, sizeof r);
    r.is_cue = (uint32_t)is_cue;
    r.line = n->line;
    r.column = n->col;
    r.title = TRI_NONE;
    tri_pool_add(b->t, id->str, id->len, &r.id);
    tri_pool_add(b->t, b->file, strlen(b->file), &r.file);
    if ((v = tri_map_get(n, "title")) != NULL && tri_expect(b, v, TRI_Y_SCALAR, "title"))
        tri_pool_add(b->t, v->str, v->len, &r.title);
    rule_votes(b, &r, n);
    if ((v = tri_map_get(n, "tags")) != NULL)
        rule_tags(b, &r, v);
    r.negated = mode(b, tri_map_get(n, "negated"), TRI_MODE_EXCLUDE);
    r.hypothetical = mode(b, tri_map_get(n, "hypothetical"), TRI_MODE_EXCLUDE);
    r.question = mode(b, tri_map_get(n, "question"), TRI_MODE_INCLUDE);
    v = tri_map_get(n, "match");
    r.root = v ? cond(b, v, 1) : TRI_NONE;
    if (v == NULL)
        tri_err(b, n, TRIAGE_ERULE_SCHEMA, "%s has no 'match'", is_cue ? "cue" : "rule");
    /* Keys whose value was refused already have an error; don't warn too. */
    if (r.type == TRI_NONE && r.nature == TRI_NONE && r.temperament == TRI_NONE &&
        r.severity == TRI_NONE && r.tags_count == 0 && !tri_map_get(n, "type") &&
        !tri_map_get(n, "nature") && !tri_map_get(n, "temperament") &&
        !tri_map_get(n, "severity") && !tri_map_get(n, "tags"))
        tri_warn(b, n, "rule sets no type, nature, temperament, severity or tag, "
                 "so firing changes nothing");
    if (tri_buf_add(&b->rules, &r, sizeof r) != TRIAGE_OK)
        tri_err(b, n, TRIAGE_ENOMEM, "out of memory");
    b->rule_id = NULL;
}

triage_status tri_rules_compile(struct tri_build *b, const struct tri_ynode *seq,
                                int is_cue)
{
    size_t i;

    if (!tri_expect(b, seq, TRI_Y_SEQ, is_cue ? "cues" : "rules"))
        return TRIAGE_ERULE_SCHEMA;
    for (i = 0; i < seq->n; i++)
        rule_one(b, seq->kids[i], is_cue);
    return TRIAGE_OK;
}

/* A cue is a keyword, or { regex: '...' } for a family of words a list
 * cannot spell out ("听…说": 听隔壁阿姨说, 听药店的人说). */
static void context_item(struct tri_build *b, const struct tri_ynode *n,
                         enum tri_cue_role role)
{
    static const char *const keys[] = { "regex", NULL };
    const struct tri_ynode *re;

    if (n->kind != TRI_Y_MAP) {
        tri_pattern_add(b, n, TRI_PAT_LITERAL, role);
        return;
    }
    if (tri_check_keys(b, n, keys, "a cue") != 0)
        return;
    if ((re = tri_map_get(n, "regex")) == NULL) {
        tri_err(b, n, TRIAGE_ERULE_SCHEMA, "a cue is a keyword or { regex: ... }");
        return;
    }
    tri_pattern_add(b, re, TRI_PAT_REGEX, role);
}

triage_status tri_context_compile(struct tri_build *b, const struct tri_ynode *n)
{
    static const char *const keys[] = { "negation", "negation_post", "hypothetical",
                                        "pseudo", "terminators", "negation_terminators",
                                        "negation_answer", "topic_markers", "hearsay",
                                        "history", "scope", NULL };
    static const enum tri_cue_role roles[] = { TRI_ROLE_NEG, TRI_ROLE_NEG_POST,
        TRI_ROLE_HYPO, TRI_ROLE_PSEUDO, TRI_ROLE_TERM, TRI_ROLE_NEG_TERM,
        TRI_ROLE_NEG_ANSWER, TRI_ROLE_TOPIC, TRI_ROLE_HEARSAY,
        TRI_ROLE_HISTORY };
    const struct tri_ynode *v;
    size_t k, i;

    if (!tri_expect(b, n, TRI_Y_MAP, "context"))
        return TRIAGE_ERULE_SCHEMA;
    if (b->have_context++)
        tri_err(b, n, TRIAGE_ERULE_SCHEMA, "context given a second time");
    tri_check_keys(b, n, keys, "context");
    for (k = 0; k < sizeof roles / sizeof roles[0]; k++) {
        if ((v = tri_map_get(n, keys[k])) == NULL || !tri_expect(b, v, TRI_Y_SEQ, keys[k]))
            continue;
        for (i = 0; i < v->n; i++)
            context_item(b, v->kids[i], roles[k]);
    }
    if ((v = tri_map_get(n, "scope")) != NULL)
        lang_windows(b, v, "'scope'", 1, b->t->defaults.scope);
    return TRIAGE_OK;
}

extern const char tri_default_context[];

/* The built-in context goes through the same parser as user files. */
triage_status tri_context_default(struct tri_build *b)
{
    struct tri_ydoc *doc = NULL;
    const char *file = b->file;
    triage_status st;

    st = tri_yaml_parse("<built-in context>", tri_default_context,
                        strlen(tri_default_context), &b->c->diag, &doc);
    if (st != TRIAGE_OK)
        return st;
    b->file = doc->file;
    st = tri_context_compile(b, tri_map_get(doc->root, "context"));
    b->file = file;
    tri_ydoc_free(doc);
    return st;
}
