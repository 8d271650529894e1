/*
 * rule_profile.h - `--profile` of triage test and triage explain: where
 * classification time goes, per stage and per rule, so rule authors can
 * find slow rules (as yara-x's scan --profiling does).
 */
#ifndef TRIAGE_RULE_PROFILE_H
#define TRIAGE_RULE_PROFILE_H

#include <jansson.h>
#include "triage.h"

struct profile_opts {
    unsigned top;          /* slowest rules listed                         */
    double min_seconds;    /* repeat the texts until this much time passed */
};

/*
 * Classify texts[0..n) with a profiling scratch, in passes, until
 * o->min_seconds of classification passed (at least one pass, at most
 * 10,000). Returns the profile as JSON (NULL on failure, printed).
 */
json_t *profile_texts(const triage_ruleset *rs, const char *const *texts,
                      const size_t *lens, size_t n, const struct profile_opts *o);
/* The stage split and the slowest rules as text. */
void profile_print(const json_t *prof, FILE *fp);
/* Parse "--profile" or "--profile=N" at argv[*i]; 1 when consumed. */
int profile_arg(struct profile_opts *o, const char *arg, int *on);

#endif
