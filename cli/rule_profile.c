/*
 * rule_profile.c - run texts through a profiling scratch and report the
 * stage split and the rules that cost the most time.
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "rule_profile.h"

#define MAX_PASSES 10000

static const char *const stage_names[TRIAGE_STAGE_COUNT] = {
    "normalize", "scan", "regex", "context", "rules", "decide"
};

int profile_arg(struct profile_opts *o, const char *arg, int *on)
{
    char *end;
    unsigned long top;

    if (strcmp(arg, "--profile") == 0) {
        *on = 1;
        return 1;
    }
    if (strncmp(arg, "--profile=", 10) != 0)
        return 0;
    top = strtoul(arg + 10, &end, 10);
    if (*end != '\0' || end == arg + 10 || top == 0) {
        fprintf(stderr, "triage: --profile=N wants a positive count, not '%s'\n",
                arg + 10);
        return -1;
    }
    o->top = (unsigned)top;
    *on = 1;
    return 1;
}

struct ranked {
    unsigned rule;
    triage_rule_profile p;
};

static int by_time(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;

    if (x->p.seconds != y->p.seconds)
        return x->p.seconds < y->p.seconds ? 1 : -1;
    return x->rule < y->rule ? -1 : x->rule > y->rule;
}

/* Room to rank n entries of 'size' bytes, and the JSON array the top
 * ones go to; NULL (and no array) when out of memory. */
static void *ranking(unsigned n, size_t size, json_t **arr)
{
    void *r = calloc((size_t)n + 1, size);

    *arr = json_array();
    if (r == NULL || *arr == NULL) {
        free(r);
        json_decref(*arr);
        *arr = NULL;
        return NULL;
    }
    return r;
}

/* Counts are per pass (every pass classifies the same texts alike). */
static json_t *rules_json(const triage_ruleset *rs, const triage_scratch *s,
                          unsigned top, unsigned long long texts, unsigned passes)
{
    unsigned n = triage_rule_count(rs), i;
    struct ranked *r;
    json_t *arr;

    if ((r = ranking(n, sizeof *r, &arr)) == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        r[i].rule = i;
        triage_profile_rule(s, i, &r[i].p);
    }
    qsort(r, n, sizeof *r, by_time);
    for (i = 0; i < n && i < top && r[i].p.evaluations + r[i].p.regex_runs > 0; i++) {
        triage_rule_info ri;

        triage_rule_get(rs, r[i].rule, &ri);
        json_array_append_new(arr, json_pack(
            "{s:s,s:s,s:i,s:f,s:f,s:f,s:I,s:I,s:I}",
            "rule", ri.id, "file", ri.file ? ri.file : "", "line", (int)ri.line,
            "us_per_text", r[i].p.seconds * 1e6 / (double)texts,
            "eval_us_per_text", r[i].p.eval_seconds * 1e6 / (double)texts,
            "regex_us_per_text", r[i].p.regex_seconds * 1e6 / (double)texts,
            "evaluations", (json_int_t)(r[i].p.evaluations / passes),
            "fired", (json_int_t)(r[i].p.fired / passes),
            "regex_runs", (json_int_t)(r[i].p.regex_runs / passes)));
    }
    free(r);
    return arr;
}

struct ranked_regex {
    unsigned i;
    triage_regex_profile p;
};

static int regex_by_time(const void *a, const void *b)
{
    const struct ranked_regex *x = a, *y = b;

    if (x->p.seconds != y->p.seconds)
        return x->p.seconds < y->p.seconds ? 1 : -1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* The regexes whose PCRE2 runs cost the most, with the cost of one run:
 * a rule with several regexes shows which is slow, and a costly run
 * points at the regex's shape. */
static json_t *regexes_json(const triage_scratch *s, unsigned top,
                            unsigned long long texts, unsigned passes)
{
    unsigned n = triage_profile_regex_count(s), i;
    struct ranked_regex *r;
    json_t *arr;

    if ((r = ranking(n, sizeof *r, &arr)) == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        r[i].i = i;
        triage_profile_regex(s, i, &r[i].p);
    }
    qsort(r, n, sizeof *r, regex_by_time);
    for (i = 0; i < n && i < top && r[i].p.runs > 0; i++)
        json_array_append_new(arr, json_pack(
            "{s:s,s:o,s:f,s:f,s:I}", "regex", r[i].p.source,
            "rule", r[i].p.rule_id ? json_string(r[i].p.rule_id) : json_null(),
            "us_per_text", r[i].p.seconds * 1e6 / (double)texts,
            "us_per_run", r[i].p.seconds * 1e6 / (double)r[i].p.runs,
            "runs", (json_int_t)(r[i].p.runs / passes)));
    free(r);
    return arr;
}

/* Every text through s once; 0 if a classification failed. */
static int classify_all(const triage_ruleset *rs, triage_scratch *s,
                        const char *const *texts, const size_t *lens, size_t n)
{
    const triage_result *res;
    size_t i;

    for (i = 0; i < n; i++)
        if (triage_classify(rs, s, texts[i], lens[i], &res) != TRIAGE_OK)
            return 0;
    return 1;
}

static json_t *fail_profile(triage_scratch *s, const char *why)
{
    fprintf(stderr, "triage: %s while profiling\n", why);
    triage_scratch_destroy(s);
    return NULL;
}

json_t *profile_texts(const triage_ruleset *rs, const char *const *texts,
                      const size_t *lens, size_t n, const struct profile_opts *o)
{
    triage_scratch *s = NULL;
    triage_stage_profile sp;
    double t0, total = 0, scan_rx = 0;
    unsigned passes = 0, k;
    json_t *stages, *out;

    if (n == 0 || triage_scratch_create(rs, &s) != TRIAGE_OK) {
        fprintf(stderr, "triage: cannot profile: %s\n",
                n == 0 ? "no texts" : "out of memory");
        triage_scratch_destroy(s);
        return NULL;
    }
    /* One pass unprofiled first: a regex is JIT-compiled on its first run
     * (engine/match.c), a one-off cost that is not the rule's. */
    if (!classify_all(rs, s, texts, lens, n))
        return fail_profile(s, "classification failed");
    if (triage_scratch_set_profile(s, 1) != TRIAGE_OK)
        return fail_profile(s, "out of memory");
    t0 = cli_now();
    do {
        if (!classify_all(rs, s, texts, lens, n))
            return fail_profile(s, "classification failed");
        passes++;
    } while (cli_now() - t0 < o->min_seconds && passes < MAX_PASSES);
    triage_profile_stages(s, &sp);
    triage_profile_scan_regexes(s, &scan_rx);
    stages = json_object();
    for (k = 0; k < TRIAGE_STAGE_COUNT; k++)
        total += sp.seconds[k];
    for (k = 0; k < TRIAGE_STAGE_COUNT; k++)
        json_object_set_new(stages, stage_names[k],
                            json_real(sp.seconds[k] * 1e6 / (double)sp.texts));
    /* The scan split by database: the regex prefilters' is what a regex
     * costs beyond its PCRE2 runs, so rule authors see what to move to
     * keyword lists. */
    out = json_pack("{s:I,s:i,s:I,s:f,s:o,s:{s:f,s:f},s:o,s:o}", "texts", (json_int_t)n,
                    "passes", (int)passes, "classified", (json_int_t)sp.texts,
                    "us_per_text", total * 1e6 / (double)sp.texts,
                    "stages_us_per_text", stages,
                    "scan_us_per_text",
                    "keywords", (sp.seconds[TRIAGE_STAGE_SCAN] - scan_rx) * 1e6 / (double)sp.texts,
                    "regex_prefilters", scan_rx * 1e6 / (double)sp.texts,
                    "slowest_rules", rules_json(rs, s, o->top, sp.texts, passes),
                    "slowest_regexes", regexes_json(s, o->top, sp.texts, passes));
    triage_scratch_destroy(s);
    return out;
}

/* A regex's first 'max' bytes, cut on a character boundary. */
static int shown_len(const char *re, int max)
{
    int n = (int)strlen(re);

    if (n <= max)
        return n;
    while (max > 0 && ((unsigned char)re[max] & 0xC0) == 0x80)
        max--;
    return max;
}

static void regexes_print(const json_t *regexes, FILE *fp)
{
    const json_t *r;
    size_t i;

    fprintf(fp, "\n== slowest regexes (PCRE2 time, whichever rules share the "
            "regex; a high cost a run\n   points at its shape, such as a "
            "leading lookbehind: docs/rules.md)\n");
    fprintf(fp, "  %9s %8s %7s  %-28s %s\n", "us/text", "us/run", "runs", "rule",
            "regex");
    json_array_foreach(regexes, i, r) {
        const char *re = json_string_value(json_object_get(r, "regex"));
        const char *rule = json_string_value(json_object_get(r, "rule"));
        int n = shown_len(re, 60);

        fprintf(fp, "  %9.4f %8.3f %7lld  %-28s %.*s%s\n",
                json_real_value(json_object_get(r, "us_per_text")),
                json_real_value(json_object_get(r, "us_per_run")),
                (long long)json_integer_value(json_object_get(r, "runs")),
                rule ? rule : "(context cue)", n, re, re[n] ? "..." : "");
    }
    if (json_array_size(regexes) == 0)
        fprintf(fp, "  (no regex ran)\n");
}

/* The scan's two databases, under its stage line. */
static void scan_split_print(const json_t *split, double per, FILE *fp)
{
    static const char *const parts[][2] = {
        { "keywords", "keywords and context cues" },
        { "regex_prefilters", "regex prefilters" },
    };
    size_t i;

    for (i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        double v = json_real_value(json_object_get(split, parts[i][0]));

        fprintf(fp, "    %-8s %8.3f %6.1f%%  %s\n", i ? "regexes" : "words", v,
                per > 0 ? 100 * v / per : 0, parts[i][1]);
    }
}

void profile_print(const json_t *prof, FILE *fp)
{
    double per = json_real_value(json_object_get(prof, "us_per_text"));
    json_t *stages = json_object_get(prof, "stages_us_per_text");
    json_t *rules = json_object_get(prof, "slowest_rules"), *r;
    size_t i;
    unsigned k;

    long long texts = (long long)json_integer_value(json_object_get(prof, "texts"));
    long long passes = (long long)json_integer_value(json_object_get(prof, "passes"));

    fprintf(fp, "\n== profile: %lld text%s x %lld pass%s, %.2f us per text "
            "(classification without JSON)\n", texts, texts == 1 ? "" : "s",
            passes, passes == 1 ? "" : "es", per);
    fprintf(fp, "  %-10s %8s %7s\n", "stage", "us/text", "share");
    for (k = 0; k < TRIAGE_STAGE_COUNT; k++) {
        double v = json_real_value(json_object_get(stages, stage_names[k]));

        fprintf(fp, "  %-10s %8.3f %6.1f%%\n", stage_names[k], v,
                per > 0 ? 100 * v / per : 0);
        if (k == TRIAGE_STAGE_SCAN)
            scan_split_print(json_object_get(prof, "scan_us_per_text"), per, fp);
    }
    fprintf(fp, "\n== slowest rules (time on the rule alone: its condition and "
            "its regexes' PCRE2 runs;\n   the shared Vectorscan scans are the "
            "'scan' stage)\n");
    fprintf(fp, "  %-28s %9s %9s %9s %8s %7s %7s  %s\n", "rule", "us/text",
            "cond", "regex", "evals", "fired", "rx runs", "where");
    json_array_foreach(rules, i, r)
        fprintf(fp, "  %-28s %9.4f %9.4f %9.4f %8lld %7lld %7lld  %s:%lld\n",
                json_string_value(json_object_get(r, "rule")),
                json_real_value(json_object_get(r, "us_per_text")),
                json_real_value(json_object_get(r, "eval_us_per_text")),
                json_real_value(json_object_get(r, "regex_us_per_text")),
                (long long)json_integer_value(json_object_get(r, "evaluations")),
                (long long)json_integer_value(json_object_get(r, "fired")),
                (long long)json_integer_value(json_object_get(r, "regex_runs")),
                json_string_value(json_object_get(r, "file")),
                (long long)json_integer_value(json_object_get(r, "line")));
    if (json_array_size(rules) == 0)
        fprintf(fp, "  (no rule was evaluated)\n");
    regexes_print(json_object_get(prof, "slowest_regexes"), fp);
}
