/*
 * runtime.c - the parts of a rule set derived from its table, built after
 * compiling and again after loading: the Vectorscan databases (words and
 * regex prefilters), PCRE2 codes (JIT), the pattern-to-rule index and the
 * list of regexes run by PCRE2 only.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "compile_int.h"

static void rdiag(struct tri_diag_sink *d, triage_status st, const char *msg,
                  const char *extra)
{
    if (d != NULL)
        tri_diag(d, st, 0, NULL, 0, 0, NULL, -1, -1, "%s%s", msg, extra);
}

void tri_split_free(struct tri_rx_split *sp)
{
    if (sp == NULL)
        return;
    pcre2_code_free(sp->rest);
    pcre2_code_free(sp->lb);
    tri_free(sp);
}

/* Whether PCRE2 knows what a match of re can start with (a first code
 * unit, or at most a quarter of the byte values), so a search skips to
 * the candidates. A rest that may start almost anywhere ("[^。]{0,6}药":
 * 185 first bytes) would be searched again from every position the
 * lookbehind turns down, up to ten times slower than the regex whole. */
static int starts_known(const pcre2_code *re)
{
    uint32_t type = 0;
    const uint8_t *bits = NULL;
    int k, n = 0;

    pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODETYPE, &type);
    pcre2_pattern_info(re, PCRE2_INFO_FIRSTBITMAP, &bits);
    if (type == 1)
        return 1;
    for (k = 0; bits != NULL && k < 256; k++)
        n += (bits[k >> 3] >> (k & 7)) & 1;
    return bits != NULL && n <= 64;
}

/*
 * A regex that opens with a lookbehind, "(?<!没|不)(过敏|痒)": PCRE2 cannot
 * look for the first character past the lookbehind, so it tries the
 * lookbehind at every position of the text (4 us a text instead of 0.8
 * on one shipped regex). Split, the rest is searched with that help and
 * the lookbehind tested only where the rest matches: the same matches,
 * since the lookbehind only decides which starts are allowed. A rest with
 * no known start, or either part failing to compile, leaves it whole; the
 * whole regex stays for texts where the split would cost more (match.c).
 */
static triage_status split_lookbehind(struct triage_ruleset *rs, uint32_t i,
                                      const char *src, size_t len, uint32_t opts)
{
    size_t lb_len = tri_regex_leading_lookbehind(src, len);
    struct tri_rx_split *sp;
    int err;
    PCRE2_SIZE off;

    if (lb_len == 0)
        return TRIAGE_OK;
    if ((sp = tri_calloc(1, sizeof *sp)) == NULL)
        return TRIAGE_ENOMEM;
    sp->lb = pcre2_compile((PCRE2_SPTR)src, lb_len, opts, &err, &off, NULL);
    sp->rest = pcre2_compile((PCRE2_SPTR)src + lb_len, len - lb_len, opts, &err, &off, NULL);
    if (sp->lb == NULL || sp->rest == NULL || !starts_known(sp->rest)) {
        tri_split_free(sp);
        return TRIAGE_OK;
    }
    if (rs->split == NULL &&   /* only a rule set with a split regex has it */
        (rs->split = tri_calloc(rs->t.n_patterns + 1, sizeof *rs->split)) == NULL) {
        tri_split_free(sp);
        return TRIAGE_ENOMEM;
    }
    /* Compiled now, not on first use: a few dozen regexes, ~50 us each. */
    sp->jit = pcre2_jit_compile(sp->rest, PCRE2_JIT_COMPLETE) == 0;
    rs->split[i] = sp;
    return TRIAGE_OK;
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
        if (!(p->flags & TRI_PATF_CASED) &&
            split_lookbehind(rs, i, tri_str(t, p->src), p->src_len,
                             PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS) != TRIAGE_OK)
            return TRIAGE_ENOMEM;
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

/* Without CASELESS when the form needs none (regex_uncase.c): it builds
 * faster. Not asked of Vectorscan again: the lowercase form has the same
 * syntax and widths, and without the flag a letter is one character, not
 * two or three, so the library takes it wherever it took the form with the
 * flag (fuzz_relax checks that). 'flags' is set to the flags to compile
 * the result with. */
static char *uncased(char *expr, unsigned *flags)
{
    int oom;
    char *form = tri_regex_uncase(expr, strlen(expr), &oom);

    if (form == NULL)
        return oom ? (tri_free(expr), NULL) : expr;
    tri_free(expr);
    *flags &= ~(unsigned)HS_FLAG_CASELESS;
    return form;
}

/* Whether the library refuses to build expr, its reason into *why. */
static int refuses(const char *expr, unsigned flags, hs_compile_error_t **why)
{
    hs_database_t *db = NULL;

    if (hs_compile(expr, flags, HS_MODE_BLOCK, NULL, &db, why) == HS_SUCCESS) {
        hs_free_database(db);
        return 0;
    }
    return 1;
}

/* What Vectorscan compiles for a regex, with the flags it takes in
 * '*flags': its relaxed form (regex_relax.c), unless Vectorscan refuses
 * that form (say it now matches the empty string), then the regex itself;
 * either without CASELESS where that changes nothing on folded text. PCRE2
 * confirms each nomination. NULL when out of memory. With 'why',
 * Vectorscan's refusal of the result (or NULL when it takes it) is left
 * there for the caller to free. */
char *tri_prefilter_expr(const char *re, size_t len, unsigned *flags,
                         hs_compile_error_t **why)
{
    char *expr = tri_regex_relax(re, len);
    hs_expr_info_t *info = NULL;
    hs_compile_error_t *err = NULL;

    *flags = TRI_HS_REGEX_FLAGS;
    if (why != NULL)
        *why = NULL;
    if (expr == NULL)
        return NULL;
    if (strlen(expr) != len || memcmp(expr, re, len) != 0) {
        if (hs_expression_info(expr, *flags, &info, &err) == HS_SUCCESS &&
            info->min_width > 0) {
            free(info);  /* Vectorscan allocates it with the C library */
            return uncased(expr, flags);
        }
        free(info);
        /* The relaxed form matches the empty string, and so does the regex
         * as the library prefilters it (it drops the same assertions):
         * its refusal of the relaxed form, which it builds at once, says
         * why; asked of the regex as written it took 2.9 s to say the same
         * of "[[:alpha:]]{0,80}". */
        if (err == NULL && why != NULL && refuses(expr, *flags, why)) {
            tri_free(expr);
            if ((expr = tri_strndup(re, len)) == NULL) {
                hs_free_compile_error(*why);
                *why = NULL;
            }
            return expr;
        }
        hs_free_compile_error(err);
        tri_free(expr);
        if ((expr = tri_strndup(re, len)) == NULL)
            return NULL;
    }
    if (why != NULL && hs_expression_info(expr, *flags, &info, why) == HS_SUCCESS)
        free(info);
    return why == NULL || *why == NULL ? uncased(expr, flags) : expr;
}

/*
 * How many bytes before the end of a regex's earliest nomination its
 * first match can start; 0 when that is unbounded or unknown.
 * Vectorscan reports every end of the prefilter's matches (no
 * SINGLEMATCH), and a match of the regex over [s,e) is one of the
 * prefilter, relaxed or as written, ending at e, or later by a kept
 * lookahead. The relaxed form with its repeats as written, 'form' here
 * (tri_regex_relax_spans), matches over [s - b, e + a) (a kept lookbehind
 * and lookahead), so its widest match bounds e + a - s, and PCRE2 may
 * start its search there (match.c).
 */
static uint32_t form_reach(const char *form)
{
    hs_expr_info_t *info = NULL;
    hs_compile_error_t *err = NULL;
    uint32_t reach = 0;
    unsigned flags = TRI_HS_REGEX_FLAGS;
    char *lower = NULL;
    int oom;

    /* Measured as the folded text is matched: lowercase and without
     * CASELESS where that changes nothing there, "s" is one byte, not the
     * two of U+017F (regex_uncase.c). */
    if (form != NULL && (lower = tri_regex_uncase(form, strlen(form), &oom)) != NULL) {
        form = lower;
        flags &= ~(unsigned)HS_FLAG_CASELESS;
    }
    if (form != NULL && hs_expression_info(form, flags, &info, &err) == HS_SUCCESS) {
        if (info->max_width != UINT_MAX)
            reach = info->max_width;
        free(info);   /* Vectorscan allocates it with the C library */
    }
    hs_free_compile_error(err);
    tri_free(lower);
    return reach;
}

/* The form whose widest match is a regex's reach, or NULL for none: a
 * start offset moves what \G matches, so a regex holding it has none. */
static char *reach_form(const char *re, size_t len, int *oom)
{
    char *form;
    size_t i;

    *oom = 0;
    for (i = 0; i + 1 < len; i++)
        if (re[i] == '\\' && re[++i] == 'G')
            return NULL;
    form = tri_regex_relax_spans(re, len);
    *oom = form == NULL;
    return form;
}

uint32_t tri_regex_reach(const char *re, size_t len)
{
    int oom;
    char *form = reach_form(re, len, &oom);
    uint32_t reach = form_reach(form);

    tri_free(form);
    return reach;
}

/* The regexes Vectorscan prefilters, in table order: their ordinals are
 * the regex database's ids (match.c on_regex). */
static triage_status index_regexes(struct triage_ruleset *rs)
{
    const struct tri_table *t = &rs->t;
    uint32_t i;

    rs->rx_pat = tri_malloc((t->n_patterns + 1) * sizeof *rs->rx_pat);
    if (rs->rx_pat == NULL)
        return TRIAGE_ENOMEM;
    rs->n_rx_pat = 0;
    for (i = 0; i < t->n_patterns; i++)
        if (t->patterns[i].kind == TRI_PAT_REGEX &&
            !(t->patterns[i].flags & TRI_PATF_SLOW))   /* cased ones are slow too */
            rs->rx_pat[rs->n_rx_pat++] = i;
    return TRIAGE_OK;
}

/* The expressions, flags and ids of one database; for the regexes, the
 * forms their reach comes from (reach_form; NULL for none). */
struct hs_input {
    char **expr, **span;
    unsigned *flags, *ids, n;
};

static void hs_input_free(struct hs_input *in)
{
    unsigned i;

    for (i = 0; in->expr != NULL && i < in->n; i++)
        tri_free(in->expr[i]);
    for (i = 0; in->span != NULL && i < in->n; i++)
        tri_free(in->span[i]);
    tri_free(in->expr);
    tri_free(in->span);
    tri_free(in->flags);
    tri_free(in->ids);
}

static triage_status hs_input_of(const struct triage_ruleset *rs, int which,
                                 struct hs_input *in, struct tri_prefilter *pre,
                                 size_t n_pre)
{
    const struct tri_table *t = &rs->t;
    uint32_t i, cap = which == TRI_DB_REGEXES ? rs->n_rx_pat : t->n_patterns;

    memset(in, 0, sizeof *in);
    in->expr = tri_calloc(cap + 1, sizeof *in->expr);
    in->flags = tri_calloc(cap + 1, sizeof *in->flags);
    in->ids = tri_calloc(cap + 1, sizeof *in->ids);
    if (in->expr == NULL || in->flags == NULL || in->ids == NULL)
        return TRIAGE_ENOMEM;
    if (which == TRI_DB_REGEXES) {
        if ((in->span = tri_calloc(cap + 1, sizeof *in->span)) == NULL)
            return TRIAGE_ENOMEM;
        for (i = 0; i < rs->n_rx_pat; i++) {
            uint32_t k = rs->rx_pat[i];
            const struct tri_pattern *p = &t->patterns[k];
            int oom;

            if (k < n_pre && pre[k].expr != NULL) {   /* the compiler's */
                in->expr[i] = pre[k].expr;
                in->flags[i] = pre[k].flags;
                pre[k].expr = NULL;
            } else {
                in->expr[i] = tri_prefilter_expr(tri_str(t, p->src), p->src_len,
                                                 &in->flags[i], NULL);
            }
            in->span[i] = reach_form(tri_str(t, p->src), p->src_len, &oom);
            in->ids[i] = i;
            in->n = i + 1;
            if (in->expr[i] == NULL || oom)
                return TRIAGE_ENOMEM;
        }
        return TRIAGE_OK;
    }
    for (i = 0; i < t->n_patterns; i++) {
        const struct tri_pattern *p = &t->patterns[i];

        if (p->kind != TRI_PAT_LITERAL || (p->flags & TRI_PATF_SLOW))
            continue;
        in->expr[in->n] = escape_literal(tri_str(t, p->src), p->src_len);
        in->ids[in->n++] = i;
        if (in->expr[in->n - 1] == NULL)
            return TRIAGE_ENOMEM;
    }
    return TRIAGE_OK;
}

static void key_add(uint64_t key[2], const void *p, size_t n)
{
    const unsigned char *s = p;
    size_t i;

    for (i = 0; i < n; i++) {
        key[0] = (key[0] ^ s[i]) * 0x100000001b3ull;
        key[1] = ((key[1] << 5 | key[1] >> 59) ^ s[i]) * 0x9e3779b97f4a7c15ull;
    }
}

/* What a database and its regexes' reach are built from: the cache's key
 * (db_cache.c). Two regexes can share a prefilter ("a{1,3}", "a{1,5}"),
 * not a reach: the forms the reach comes from are in the key too. */
static void key_of(const struct hs_input *in, uint64_t key[2])
{
    hs_platform_info_t plat;
    unsigned i;

    key[0] = 0xcbf29ce484222325ull;
    key[1] = 0x243f6a8885a308d3ull;
    key_add(key, hs_version(), strlen(hs_version()) + 1);
    /* A database is built for this CPU's features: a cache folder shared
     * with another machine keeps one for each. */
    if (hs_populate_platform(&plat) == HS_SUCCESS) {
        key_add(key, &plat.tune, sizeof plat.tune);
        key_add(key, &plat.cpu_features, sizeof plat.cpu_features);
    }
    key_add(key, &in->n, sizeof in->n);
    for (i = 0; i < in->n; i++) {
        key_add(key, in->expr[i], strlen(in->expr[i]) + 1);
        key_add(key, &in->flags[i], sizeof in->flags[i]);
        key_add(key, &in->ids[i], sizeof in->ids[i]);
        if (in->span != NULL) {   /* a lone NUL: no form */
            const char *form = in->span[i] != NULL ? in->span[i] : "";

            key_add(key, form, strlen(form) + 1);
        }
    }
}

/* The index in 'in' of an expression the library refuses in in[lo, hi),
 * or -1 when it takes each half: it names one only sometimes ("Resource
 * limit exceeded" names none), so the halves are built in turn, about one
 * more build of the database, and only when the database was refused. */
static long refused_expr(const struct hs_input *in, unsigned lo, unsigned hi)
{
    hs_database_t *db = NULL;
    hs_compile_error_t *err = NULL;
    unsigned mid = lo + (hi - lo) / 2;
    long at;

    if (hs_compile_multi((const char *const *)in->expr + lo, in->flags + lo, in->ids + lo,
                         hi - lo, HS_MODE_BLOCK, NULL, &db, &err) == HS_SUCCESS) {
        hs_free_database(db);
        return -1;
    }
    at = err != NULL && err->expression >= 0 ? (long)lo + err->expression : -2;
    hs_free_compile_error(err);
    if (at >= 0 || hi - lo == 1)
        return at >= 0 ? at : (long)lo;
    if ((at = refused_expr(in, lo, mid)) >= 0)
        return at;
    return refused_expr(in, mid, hi);
}

/* Why the library refused a database, at the first rule that uses the
 * pattern it refused: a prefilter the compiler's check let through
 * ("x{32767}": hs_expression_info takes it, the build does not) would
 * otherwise fail the whole rule set with nothing to go to. */
static void refused_db(const struct triage_ruleset *rs, int which,
                       const struct hs_input *in, const hs_compile_error_t *err,
                       struct tri_diag_sink *d)
{
    const struct tri_table *t = &rs->t;
    const char *why = err != NULL ? err->message : "unknown error";
    const struct tri_pattern *p;
    const struct tri_rule *r;
    long at;
    uint32_t k;
    int same;

    if (d == NULL)
        return;
    at = err != NULL && err->expression >= 0 ? err->expression : refused_expr(in, 0, in->n);
    if (at < 0 || (unsigned long)at >= in->n) {
        rdiag(d, TRIAGE_EPATTERN, "Vectorscan could not build the database: ", why);
        return;
    }
    k = which == TRI_DB_REGEXES ? rs->rx_pat[in->ids[at]] : in->ids[at];
    p = &t->patterns[k];
    r = p->rules_count > 0 ? &t->rules[t->rule_refs[p->rules_first]] : NULL;
    same = strlen(in->expr[at]) == p->src_len &&
           memcmp(in->expr[at], tri_str(t, p->src), p->src_len) == 0;
    tri_diag(d, TRIAGE_EPATTERN, 0, r ? tri_str(t, r->file) : NULL, r ? r->line : 0,
             r ? r->column : 0, r ? tri_str(t, r->id) : NULL, (int)k, -1,
             "Vectorscan could not build the database: it refuses '%s'%s%s%s: %s",
             tri_str(t, p->src), same ? "" : " (as '", same ? "" : in->expr[at],
             same ? "" : "')", why);
}

/* Database 'which' from input 'in': from the cache in 'cache_dir' when it
 * holds one built from the same input, else compiled (and then cached).
 * The regexes' reach goes with their database, into the table: asking
 * Vectorscan for 1,500 regexes' widths took a third of a compile that
 * finds its databases cached. */
static triage_status compile_db(struct triage_ruleset *rs, int which,
                                const struct hs_input *in, const char *cache_dir,
                                struct tri_diag_sink *d)
{
    hs_compile_error_t *err = NULL;
    uint64_t key[2];
    uint32_t *reach = NULL;
    size_t n_reach = in->span != NULL ? in->n : 0, i;

    if (in->n == 0)
        return TRIAGE_OK;
    if (n_reach > 0 && (reach = tri_malloc(n_reach * sizeof *reach)) == NULL)
        return TRIAGE_ENOMEM;
    key_of(in, key);
    if (tri_db_cache_get(cache_dir, key, &rs->hs[which], reach,
                         n_reach * sizeof *reach) != 0) {
        if (hs_compile_multi((const char *const *)in->expr, in->flags, in->ids, in->n,
                             HS_MODE_BLOCK, NULL, &rs->hs[which].db, &err) != HS_SUCCESS) {
            refused_db(rs, which, in, err, d);
            hs_free_compile_error(err);
            tri_free(reach);
            return TRIAGE_EPATTERN;
        }
        for (i = 0; i < n_reach; i++)
            reach[i] = form_reach(in->span[i]);
        tri_db_cache_put(cache_dir, key, rs->hs[which].db, reach, n_reach * sizeof *reach);
    }
    for (i = 0; i < n_reach; i++)
        rs->t.patterns[rs->rx_pat[in->ids[i]]].reach = reach[i];
    tri_free(reach);
    return TRIAGE_OK;
}

/* The databases a loaded table did not bring. Both inputs are made before
 * either is compiled: a failed allocation then costs no compile. Regexes
 * go first, so a cache hit marks theirs recently used before the words'
 * database is stored and the folder pruned. */
static triage_status compile_dbs(struct triage_ruleset *rs, const char *cache_dir,
                                 struct tri_diag_sink *d, struct tri_prefilter *pre,
                                 size_t n_pre)
{
    static const int order[TRI_DB_COUNT] = { TRI_DB_REGEXES, TRI_DB_WORDS };
    struct hs_input in[TRI_DB_COUNT];
    triage_status st = TRIAGE_OK;
    int i;

    memset(in, 0, sizeof in);
    for (i = 0; st == TRIAGE_OK && i < TRI_DB_COUNT; i++)
        if (rs->hs[i].db == NULL)
            st = hs_input_of(rs, i, &in[i], pre, n_pre);
    for (i = 0; st == TRIAGE_OK && i < TRI_DB_COUNT; i++)
        if (rs->hs[order[i]].db == NULL)
            st = compile_db(rs, order[i], &in[order[i]], cache_dir, d);
    for (i = 0; i < TRI_DB_COUNT; i++)
        hs_input_free(&in[i]);
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
    if (t->rule_refs == NULL || c.pos == NULL) {
        tri_free(c.pos);
        return TRIAGE_ENOMEM;
    }
    for (i = 0; i < t->n_patterns; i++)
        c.pos[i] = t->patterns[i].rules_first;
    c.fill = 1;
    for (c.rule = 0; c.rule < t->n_rules; c.rule++) {
        node_patterns(t, t->rules[c.rule].root, count_or_fill, &c);
        t->rules[c.rule].own_modes = (uint32_t)own_modes(t, t->rules[c.rule].root);
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

triage_status tri_runtime_build(struct triage_ruleset *rs, const char *cache_dir,
                                struct tri_diag_sink *d, struct tri_prefilter *pre,
                                size_t n_pre)
{
    triage_status st = compile_regexes(rs, d);

    if (st == TRIAGE_OK)
        st = render_json(rs);

    if (st == TRIAGE_OK)
        st = index_rules(rs);
    if (st == TRIAGE_OK)
        st = tri_index_triggers(rs);
    if (st == TRIAGE_OK)
        st = index_parts(rs);
    if (st == TRIAGE_OK)
        st = index_regexes(rs);
    if (st == TRIAGE_OK)
        st = compile_dbs(rs, cache_dir, d, pre, n_pre);
    if (st == TRIAGE_OK)
        st = tri_bayes_build(rs);
    return st;
}
