/*
 * match.c - a Vectorscan pass over the folded text finds every keyword
 * and cue, a second flags candidate regexes; PCRE2 then confirms those
 * regexes (and runs the few Vectorscan cannot take) to get exact spans and
 * fields.
 */
#include <string.h>
#include "internal.h"

static int word_byte(const struct tri_norm *n, size_t i)
{
    return tri_word_byte((unsigned char)n->text[i]);
}

static int push_hit(struct triage_scratch *s, int cue, uint32_t pat,
                    uint32_t start, uint32_t end)
{
    struct tri_hit **arr = cue ? &s->cues : &s->hits;
    size_t *n = cue ? &s->n_cues : &s->n_hits;
    size_t *cap = cue ? &s->cues_cap : &s->hits_cap;

    if (*n >= TRI_MAX_HITS) {
        s->result.flags |= TRIAGE_FLAG_TRUNCATED;
        return 0;
    }
    if (tri_grow((void **)arr, cap, *n + 1, sizeof **arr) != TRIAGE_OK)
        return -1;
    (*arr)[*n].pattern = pat;
    (*arr)[*n].start = start;
    (*arr)[*n].end = end;
    (*arr)[*n].flags = 0;
    (*n)++;
    return 1;
}

/* Vectorscan callback: returning non-zero stops the scan. */
static int on_match(unsigned int id, unsigned long long from,
                    unsigned long long to, unsigned int flags, void *ctx)
{
    struct triage_scratch *s = ctx;
    const struct tri_pattern *p;
    uint32_t start;

    (void)from;
    (void)flags;
    /* The literal itself lives in the Vectorscan blob of a loaded table;
     * a table that disagrees with it must not make a span out of bounds. */
    if (id >= s->rs->t.n_patterns)
        return 0;
    p = &s->rs->t.patterns[id];
    if (p->kind != TRI_PAT_LITERAL || p->src_len > to)
        return 0;
    start = (uint32_t)(to - p->src_len);
    if ((p->flags & TRI_PATF_WORD_START) && start > 0 && word_byte(&s->norm, start - 1))
        return 0;
    if ((p->flags & TRI_PATF_WORD_END) && to < s->norm.len && word_byte(&s->norm, to))
        return 0;
    switch (push_hit(s, p->role != TRI_ROLE_RULE, id, start, (uint32_t)to)) {
    case 1:
        return 0;
    case 0:
        return 1;      /* hit limit: stop, the result is flagged truncated */
    default:
        s->oom = 1;    /* stop, and fail the call (not a silent partial scan) */
        return 1;
    }
}

/* Vectorscan callback of the regex database: a candidate for PCRE2, and
 * the earliest and latest ends of its prefilter's matches, which
 * Vectorscan reports every one of, in no promised order. Ids past
 * n_rx_pat (a loaded table's blob that disagrees with its patterns) are
 * ignored. */
static int on_regex(unsigned int id, unsigned long long from,
                    unsigned long long to, unsigned int flags, void *ctx)
{
    struct triage_scratch *s = ctx;
    uint32_t k;

    (void)from;
    (void)flags;
    if (id >= s->rs->n_rx_pat)
        return 0;
    k = s->rx_slot[id];   /* a sparse set: a slot left from an earlier */
    if (k < s->n_rx && s->rx[k].id == id) {    /* text points elsewhere  */
        if (to < s->rx[k].first)
            s->rx[k].first = (uint32_t)to;
        if (to > s->rx[k].last)
            s->rx[k].last = (uint32_t)to;
        return 0;
    }
    s->rx[s->n_rx].pat = s->rs->rx_pat[id];
    s->rx[s->n_rx].first = s->rx[s->n_rx].last = (uint32_t)to;
    s->rx[s->n_rx].id = id;
    s->rx_slot[id] = (uint32_t)s->n_rx++;
    return 0;
}

static triage_status add_field(struct triage_scratch *s, uint32_t pat,
                               const pcre2_code *re, PCRE2_SIZE *ov)
{
    uint32_t count = 0, size = 0, i;
    PCRE2_SPTR table;

    pcre2_pattern_info(re, PCRE2_INFO_NAMECOUNT, &count);
    pcre2_pattern_info(re, PCRE2_INFO_NAMEENTRYSIZE, &size);
    pcre2_pattern_info(re, PCRE2_INFO_NAMETABLE, &table);
    for (i = 0; i < count; i++, table += size) {
        int g = (table[0] << 8) | table[1];
        size_t k;

        if (ov[2 * g] == PCRE2_UNSET)
            continue;
        for (k = 0; k < s->n_fields; k++)   /* the first value of a name wins */
            if (strcmp(s->fields[k].name, (const char *)table + 2) == 0)
                break;
        if (k < s->n_fields)
            continue;
        if (tri_grow((void **)&s->fields, &s->fields_cap, s->n_fields + 1,
                     sizeof *s->fields) != TRIAGE_OK)
            return TRIAGE_ENOMEM;
        s->fields[s->n_fields].pattern = pat;
        s->fields[s->n_fields].name = (const char *)table + 2;
        s->fields[s->n_fields].start = (uint32_t)ov[2 * g];
        s->fields[s->n_fields].end = (uint32_t)ov[2 * g + 1];
        s->n_fields++;
    }
    return TRIAGE_OK;
}

/* A cased regex matched the original text: its spans (the whole match
 * and every group) become folded offsets, as every other hit's are. */
static void ovector_to_folded(const struct triage_scratch *s, const pcre2_code *re,
                              PCRE2_SIZE *ov)
{
    uint32_t pairs = 0, i;

    pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &pairs);
    for (i = 0; i <= pairs && i < pcre2_get_ovector_count(s->md); i++)
        if (ov[2 * i] != PCRE2_UNSET) {
            ov[2 * i] = tri_norm_from_orig(&s->norm, ov[2 * i]);
            ov[2 * i + 1] = tri_norm_from_orig(&s->norm, ov[2 * i + 1]);
        }
}

char tri_no_jit_mark;

/*
 * Regex pat's JIT-compiled copy, made on its first use: JIT-compiling all
 * 1,503 regexes of the shipped rules at load was a quarter of a one-off
 * `triage classify`, which runs a handful. The copy is compiled apart and
 * published with a compare-and-swap, so threads sharing the rule set never
 * run a code object another thread is compiling (the loser of a race frees
 * its copy). NULL: interpret (JIT cannot take it, or no memory this time).
 */
static const pcre2_code *jit_code(const struct triage_ruleset *rs, uint32_t pat)
{
    pcre2_code *c = atomic_load_explicit(&rs->jit[pat], memory_order_acquire);
    pcre2_code *none = NULL;

    if (c != NULL)
        return c == TRI_NO_JIT ? NULL : c;
    c = pcre2_code_copy(rs->re[pat]);
    if (c == NULL)
        return NULL;
    if (pcre2_jit_compile(c, PCRE2_JIT_COMPLETE) != 0) {
        pcre2_code_free(c);
        c = TRI_NO_JIT;
    }
    if (!atomic_compare_exchange_strong_explicit(&rs->jit[pat], &none, c,
                                                 memory_order_acq_rel,
                                                 memory_order_acquire)) {
        if (c != TRI_NO_JIT)
            pcre2_code_free(c);
        c = none;
    }
    return c == TRI_NO_JIT ? NULL : c;
}

/* Lookbehinds a split regex may turn down in one search before the
 * search goes to the whole regex: a rest that matches at every position
 * ("(?<=x)a+" on "aaaa...") would otherwise be searched n times, n^2. */
#define SPLIT_TRIES 32

/*
 * The first match of regex pat at or after 'at' (PCRE2's return code, the
 * match in s->md, *by the code whose groups it holds). A split regex
 * (runtime.c) searches its rest and tests its lookbehind where that match
 * starts, moving one character on when the lookbehind says no, as PCRE2
 * would with the whole regex.
 */
static int find(struct triage_scratch *s, uint32_t pat, const char *text, size_t len,
                PCRE2_SIZE at, int cased, const pcre2_code **by)
{
    const struct tri_rx_split *sp = s->rs->split != NULL ? s->rs->split[pat] : NULL;
    const pcre2_code *jit;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
    int rc, lrc, tries;

    for (tries = 0; sp != NULL && tries < SPLIT_TRIES; tries++) {
        *by = sp->rest;
        rc = sp->jit ? pcre2_jit_match(sp->rest, (PCRE2_SPTR)text, len, at, 0, s->md, s->mctx)
                     : pcre2_match(sp->rest, (PCRE2_SPTR)text, len, at,
                                   PCRE2_NO_UTF_CHECK, s->md, s->mctx);
        if (rc < 0)
            return rc;
        lrc = pcre2_match(sp->lb, (PCRE2_SPTR)text, len, ov[0],
                          PCRE2_ANCHORED | PCRE2_NO_UTF_CHECK, s->md_lb, s->mctx);
        if (lrc != PCRE2_ERROR_NOMATCH)
            return lrc < 0 ? lrc : rc;
        at = tri_utf8_ceil(text, len, ov[0] + 1);
        if (at > len)
            return PCRE2_ERROR_NOMATCH;
    }
    /* pcre2_jit_match skips pcre2_match's checks: the folded text is
     * valid UTF-8, and a cased regex was compiled to take invalid UTF. */
    *by = s->rs->re[pat];
    jit = jit_code(s->rs, pat);
    return jit != NULL
               ? pcre2_jit_match(jit, (PCRE2_SPTR)text, len, at, 0, s->md, s->mctx)
               : pcre2_match(*by, (PCRE2_SPTR)text, len, at,
                             cased ? 0 : PCRE2_NO_UTF_CHECK, s->md, s->mctx);
}

/*
 * Where the search for a nominated regex's matches may start. Each match
 * of the regex, [m,e), is one of its prefilter ending at e, or later by a
 * kept lookahead, and Vectorscan reported every such end: m is at most
 * the regex's reach before nom->first (runtime.c tri_regex_reach), so a
 * search from there finds what one from 0 finds. On a code point boundary.
 */
static size_t search_from(const struct triage_scratch *s, const struct tri_rx_nom *nom)
{
    uint32_t reach = s->rs->t.patterns[nom->pat].reach;

    if (reach == 0 || nom->first <= reach || nom->first - reach >= s->norm.len)
        return 0;
    return tri_utf8_floor(s->norm.text, nom->first - reach);
}

/* Every match of one regex searched for from 'at' on and before 'stop',
 * bounded in count and by PCRE2's limits. A cased regex ("(?-i)...")
 * reads the original bytes: case is folded away in the folded text, and
 * they may hold invalid UTF-8 (PCRE2 was told). */
static triage_status run_regex(struct triage_scratch *s, uint32_t pat, PCRE2_SIZE at,
                               size_t stop)
{
    const pcre2_code *re = s->rs->re[pat], *by;
    int cased = (s->rs->t.patterns[pat].flags & TRI_PATF_CASED) != 0;
    int cue = s->rs->t.patterns[pat].role != TRI_ROLE_RULE;   /* a context regex */
    const char *text = cased ? s->orig : s->norm.text;
    size_t len = cased ? s->orig_len : s->norm.len;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md), next;
    unsigned found = 0;
    int rc;

    while (at <= len && at < stop && found < TRI_MAX_REGEX_HITS) {
        rc = find(s, pat, text, len, at, cased, &by);
        if (rc == PCRE2_ERROR_NOMATCH)
            break;
        if (rc < 0) {     /* match or depth limit, JIT stack: reported */
            s->result.flags |= TRIAGE_FLAG_REGEX_LIMIT;
            break;
        }
        next = ov[1] > at ? ov[1] : at + 1;
        if (cased)
            ovector_to_folded(s, re, ov);
        if (ov[1] > ov[0] || found == 0) {
            if (push_hit(s, cue, pat, (uint32_t)ov[0], (uint32_t)ov[1]) < 0)
                return TRIAGE_ENOMEM;
            if (!cue && (s->rs->t.patterns[pat].flags & TRI_PATF_NAMED) &&
                add_field(s, pat, by, ov) != TRIAGE_OK)
                return TRIAGE_ENOMEM;
            found++;
        }
        at = tri_utf8_ceil(text, len, next);   /* stay on a code point boundary */
    }
    return TRIAGE_OK;
}

static triage_status timed_regex(struct triage_scratch *s, uint32_t pat, PCRE2_SIZE at,
                                 size_t stop)
{
    double t = tri_now();
    triage_status st = run_regex(s, pat, at, stop);

    t = tri_profile_since(s->prof, t);
    s->prof->stage[TRIAGE_STAGE_REGEX] += t;
    tri_profile_regex(s, pat, t);
    return st;
}

triage_status tri_match(const struct triage_ruleset *rs, struct triage_scratch *s)
{
    hs_error_t err;
    size_t i;
    triage_status st = TRIAGE_OK;

    s->n_hits = s->n_cues = s->n_rx = s->n_fields = 0;
    s->oom = 0;
    if (rs->hs[TRI_DB_WORDS].db != NULL && s->norm.len > 0) {
        err = hs_scan(rs->hs[TRI_DB_WORDS].db, s->norm.text, (unsigned)s->norm.len,
                      0, s->hs, on_match, s);
        if ((err != HS_SUCCESS && err != HS_SCAN_TERMINATED) || s->oom)
            return TRIAGE_ENOMEM;
    }
    if (rs->hs[TRI_DB_REGEXES].db != NULL && s->norm.len > 0) {
        double t = s->prof ? tri_now() : 0;

        err = hs_scan(rs->hs[TRI_DB_REGEXES].db, s->norm.text, (unsigned)s->norm.len,
                      0, s->hs, on_regex, s);
        if (s->prof)
            s->prof->scan_regexes += tri_profile_since(s->prof, t);
        if (err != HS_SUCCESS)
            return TRIAGE_ENOMEM;
    }
    /* No search starts at or past a nomination's last end: every match
     * ends by then, so one starting there is empty, and run_regex keeps
     * no empty match but the first, whose search starts before it. With
     * the trace on (explain) the whole text is searched, as it was before
     * the bounds: fuzz_classify and fuzz_compile compare the two. */
    for (i = 0; st == TRIAGE_OK && i < s->n_rx; i++) {
        size_t at = s->trace_on ? 0 : search_from(s, &s->rx[i]);
        size_t stop = s->trace_on ? SIZE_MAX : s->rx[i].last;

        st = s->prof ? timed_regex(s, s->rx[i].pat, at, stop)
                     : run_regex(s, s->rx[i].pat, at, stop);
    }
    for (i = 0; st == TRIAGE_OK && i < rs->n_slow; i++)
        st = s->prof ? timed_regex(s, rs->slow[i], 0, SIZE_MAX)
                     : run_regex(s, rs->slow[i], 0, SIZE_MAX);
    return st;
}
