/*
 * gen.h - deterministic generator of benchmark inputs: complaint-like
 * records (~100 bytes; 70% simplified Chinese, 15% traditional, 15%
 * English; pharmacy vocabulary) and rule sets of N patterns (80% keywords,
 * 20% regexes) written as triage YAML. The same seed gives the same bytes
 * on every run and machine.
 */
#ifndef BENCH_GEN_H
#define BENCH_GEN_H

#include <stddef.h>
#include <stdint.h>

enum gen_lang { GEN_ZH_HANS = 0, GEN_ZH_HANT = 1, GEN_EN = 2 };

/* Records live in one arena: record i is data[off[i] .. off[i] + len[i]). */
struct gen_records {
    char *data;
    size_t *off;
    uint32_t *len;
    unsigned char *lang;    /* enum gen_lang */
    size_t n, bytes;
};

/* The patterns of a generated rule set, as the baselines need them. */
struct gen_patterns {
    size_t n;
    char **src;             /* keyword text or regex source (PCRE2 syntax) */
    unsigned char *is_regex;
    unsigned char *ascii;   /* keyword made only of ASCII (English) */
    uint32_t *rule;         /* the rule (0..n_rules-1) the pattern is in */
    size_t n_rules;
};

/* Build the vocabulary (traditional forms through OpenCC s2t). 0 on success. */
int gen_init(void);
void gen_done(void);

/* n records drawn with 'seed'. 0 on success. */
int gen_records_make(struct gen_records *r, size_t n, uint64_t seed);
void gen_records_free(struct gen_records *r);

/*
 * Write a rule set of n_patterns distinct patterns to 'path' (YAML) and fill
 * *p. Sets drawn with the same seed are nested: the first rules of a larger
 * set are the rules of a smaller one. 0 on success.
 */
int gen_rules_write(const char *path, size_t n_patterns, uint64_t seed,
                    struct gen_patterns *p);
void gen_patterns_free(struct gen_patterns *p);

/* Write records as JSON Lines {"id":"…","text":"…"}. 0 on success. */
int gen_records_write_jsonl(const struct gen_records *r, const char *path);

/* The same with a "date" (a day of 2026) and a "customer" (a phone number,
 * one of 'customers', drawn so that most of them complain more than once),
 * as a service desk's export has them for `triage batch --summary`. */
int gen_records_write_jsonl_customers(const struct gen_records *r, const char *path,
                                      size_t customers);

#endif
