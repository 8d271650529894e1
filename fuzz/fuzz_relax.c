/*
 * fuzz_relax.c - the prefilter form of a regex (engine/regex_relax.c)
 * against PCRE2: input is a regex, a NUL byte and a subject. Wherever the
 * regex matches, its relaxed form must match too (compiled as Vectorscan
 * takes it: DOTALL), or Vectorscan would never nominate the regex and a
 * rule would silently miss. A relaxed form PCRE2 refuses is a bug too,
 * unless only for its size (the compiler then uses the regex as written).
 * Then the same on the library: its database of the prefilter (without
 * CASELESS where regex_uncase.c says it needs none), scanned over the
 * folded subject as the engine scans it, must report an end at
 * or after each match of the regex and no match may start more than the
 * regex's reach before the first end, or match.c's search would miss it.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "normalize.h"

#define FLAGS (PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS)

/* 1 match, 0 none, -1 PCRE2 gave up (a limit) or could not run. */
static int run(const pcre2_code *re, const char *s, size_t n, pcre2_match_context *mc)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    int rc;

    if (md == NULL)
        return -1;
    rc = pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, md, mc);
    pcre2_match_data_free(md);
    return rc >= 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

struct ends { unsigned long long first, last; int any; };

static int on_end(unsigned id, unsigned long long from, unsigned long long to,
                  unsigned flags, void *ctx)
{
    struct ends *e = ctx;

    (void)id;
    (void)from;
    (void)flags;
    if (!e->any || to < e->first)
        e->first = to;
    if (!e->any || to > e->last)
        e->last = to;
    e->any = 1;
    return 0;
}

/* Whether re holds a repeat count above 100: the library takes seconds to
 * build "(\\s+){4985}" (the engine's compile does too, as it always has),
 * which would drown the fuzzer's time in one input. */
static int big_repeat(const char *re, size_t len)
{
    size_t i, k;

    for (i = 0; i < len; i++) {
        unsigned long v = 0;

        if (re[i] != '{')
            continue;
        for (k = i + 1; k < len && re[k] >= '0' && re[k] <= '9' && v <= 100; k++)
            v = v * 10 + (unsigned long)(re[k] - '0');
        if (v > 100)
            return 1;
    }
    return 0;
}

/* Whether a prefilter still holds \w or \W, which the relaxation leaves
 * only in regexes it keeps as written (verbs, x turned off...): under UCP and
 * caseless such a class before a repeat took the library seconds to build
 * (fuzz/crashes/relax/library-slow-on-*), not a question of its reports. */
static int word_escape(const char *expr)
{
    size_t i;

    for (i = 0; expr[i] != '\0'; i++)
        if (expr[i] == '\\' && expr[i + 1] != '\0') {
            if (expr[i + 1] == 'w' || expr[i + 1] == 'W')
                return 1;
            i++;
        }
    return 0;
}

/* The library's side for one regex: its prefilter's database, or none
 * when the library refuses it (the engine then runs PCRE2 alone). The
 * last regex's is kept: libFuzzer mostly mutates the subject, and
 * building a database costs a thousand times a PCRE2 run. */
struct lib_side {
    char *re, *expr;
    size_t len;
    hs_database_t *db;
    hs_scratch_t *sc;
    uint32_t reach;
    unsigned flags;
};

/* Whether the library builds expr with these flags. runtime.c does not
 * ask it of a prefilter it lowercases (regex_uncase.c): that one must
 * build wherever its caseless form does. */
static int builds(const char *expr, unsigned flags)
{
    hs_database_t *db = NULL;
    hs_compile_error_t *err = NULL;
    int ok = hs_compile(expr, flags, HS_MODE_BLOCK, NULL, &db, &err) == HS_SUCCESS;

    hs_free_compile_error(err);
    hs_free_database(db);
    return ok;
}

static const struct lib_side *lib_side_of(const char *re, size_t rlen)
{
    static struct lib_side last;
    hs_compile_error_t *why = NULL;

    if (last.re != NULL && last.len == rlen && memcmp(last.re, re, rlen) == 0)
        return &last;
    hs_free_scratch(last.sc);
    hs_free_database(last.db);
    tri_free(last.expr);
    free(last.re);
    memset(&last, 0, sizeof last);
    if ((last.re = malloc(rlen + 1)) == NULL ||
        (last.expr = tri_prefilter_expr(re, rlen, &last.flags, NULL)) == NULL)
        abort();
    memcpy(last.re, re, rlen);
    last.len = rlen;
    /* Asked first without 'why': the library took 4 s to refuse
     * "[\\w.]{2,80}+" ("Pattern too large"), kept as written. */
    if (word_escape(last.expr) || tri_regex_reads_apart(re, rlen) != NULL)
        return &last;
    tri_free(last.expr);
    if ((last.expr = tri_prefilter_expr(re, rlen, &last.flags, &why)) == NULL)
        abort();
    if (why != NULL) {
        hs_free_compile_error(why);
        return &last;
    }
    last.reach = tri_regex_reach(re, rlen);
    if (hs_compile(last.expr, last.flags, HS_MODE_BLOCK, NULL, &last.db, &why) != HS_SUCCESS) {
        hs_free_compile_error(why);
        if (!(last.flags & HS_FLAG_CASELESS) && builds(last.expr, last.flags | HS_FLAG_CASELESS)) {
            fprintf(stderr, "the library refuses the lowercase prefilter '%s' without "
                    "CASELESS and takes it with: '%.*s'\n", last.expr, (int)rlen, re);
            abort();
        }
        return &last;
    }
    if (hs_alloc_scratch(last.db, &last.sc) != HS_SUCCESS)
        abort();
    return &last;
}

/* The contract of match.c with the library, on text t[0..n) (valid UTF-8:
 * the folded text): every match of 'orig', found as run_regex walks a
 * text, lies within what the prefilter's reports bound. */
static void check_library(const char *re, size_t rlen, const pcre2_code *orig,
                          const char *t, size_t n, pcre2_match_context *mc)
{
    const struct lib_side *lib = lib_side_of(re, rlen);
    struct ends e = { 0, 0, 0 };
    pcre2_match_data *md;
    PCRE2_SIZE at = 0, *ov;

    if (lib->db == NULL)
        return;
    if (hs_scan(lib->db, t, (unsigned)n, 0, lib->sc, on_end, &e) != HS_SUCCESS ||
        (md = pcre2_match_data_create_from_pattern(orig, NULL)) == NULL)
        abort();
    ov = pcre2_get_ovector_pointer(md);
    while (at <= n && pcre2_match(orig, (PCRE2_SPTR)t, n, at, 0, md, mc) >= 0) {
        if (!e.any || ov[1] > e.last || (lib->reach > 0 && ov[0] + lib->reach < e.first)) {
            fprintf(stderr, "the library's reports miss a match: '%.*s' (prefilter '%s', "
                    "reach %u) matches [%zu,%zu) of '%.*s'; reported ends %llu..%llu%s\n",
                    (int)rlen, re, lib->expr, lib->reach, (size_t)ov[0], (size_t)ov[1],
                    (int)n, t, e.first, e.last, e.any ? "" : " (none)");
            abort();
        }
        at = ov[1] > at ? ov[1] : at + 1;
        while (at < n && ((unsigned char)t[at] & 0xc0) == 0x80)
            at++;
    }
    pcre2_match_data_free(md);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data, *nul = memchr(in, 0, size);
    size_t rlen = nul ? (size_t)(nul - in) : size;
    const char *subj = nul ? nul + 1 : in;
    size_t slen = nul ? size - rlen - 1 : size;
    pcre2_code *orig, *loose = NULL;
    pcre2_match_context *mc;
    char *relaxed;
    struct tri_norm norm;
    int err;
    PCRE2_SIZE off;

    if (rlen > 1024)
        return 0;
    orig = pcre2_compile((PCRE2_SPTR)in, rlen, FLAGS, &err, &off, NULL);
    if (orig == NULL)
        return 0;          /* the compiler refuses it before relaxing */
    relaxed = tri_regex_relax(in, rlen);
    if (relaxed == NULL)
        abort();
    loose = pcre2_compile((PCRE2_SPTR)relaxed, PCRE2_ZERO_TERMINATED,
                          FLAGS | PCRE2_DOTALL, &err, &off, NULL);
    /* A limit is no mistake: "(?:.)" is longer than the "\w" it stands for. */
    if (loose == NULL && err != PCRE2_ERROR_PATTERN_TOO_LARGE &&
        err != PCRE2_ERROR_PARENTHESES_NEST_TOO_DEEP) {
        fprintf(stderr, "relaxed form refused: '%.*s' -> '%s'\n", (int)rlen, in, relaxed);
        abort();
    }
    mc = loose != NULL ? pcre2_match_context_create(NULL) : NULL;
    if (mc != NULL) {
        pcre2_set_match_limit(mc, 100000);
        pcre2_set_depth_limit(mc, 1000);
        if (run(orig, subj, slen, mc) == 1 && run(loose, subj, slen, mc) == 0) {
            fprintf(stderr, "relaxed form loses a match: '%.*s' -> '%s' on '%.*s'\n",
                    (int)rlen, in, relaxed, (int)slen, subj);
            abort();
        }
        tri_norm_init(&norm);
        if (!big_repeat(in, rlen) && tri_normalize(&norm, subj, slen) == TRIAGE_OK)
            check_library(in, rlen, orig, norm.text, norm.len, mc);
        tri_norm_free(&norm);
        pcre2_match_context_free(mc);
    }
    pcre2_code_free(loose);
    pcre2_code_free(orig);
    tri_free(relaxed);
    return 0;
}
