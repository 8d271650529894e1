/*
 * fuzz_relax.c - the prefilter form of a regex (engine/regex_relax.c)
 * against PCRE2: input is a regex, a NUL byte and a subject. Wherever the
 * regex matches, its relaxed form must match too (compiled as Vectorscan
 * takes it: DOTALL), or Vectorscan would never nominate the regex and a
 * rule would silently miss. A relaxed form PCRE2 refuses is a bug too,
 * unless only for its size (the compiler then uses the regex as written).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data, *nul = memchr(in, 0, size);
    size_t rlen = nul ? (size_t)(nul - in) : size;
    const char *subj = nul ? nul + 1 : in;
    size_t slen = nul ? size - rlen - 1 : size;
    pcre2_code *orig, *loose = NULL;
    pcre2_match_context *mc;
    char *relaxed;
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
        pcre2_match_context_free(mc);
    }
    pcre2_code_free(loose);
    pcre2_code_free(orig);
    tri_free(relaxed);
    return 0;
}
