/*
 * profile.c - per-stage and per-rule timing for rule authors (triage test
 * --profile, explain --profile). Only a scratch with profiling on reads
 * the clock, so ordinary classification pays one pointer test per stage.
 */
#include <time.h>
#include "internal.h"

double tri_now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* What one clock read adds to a timed span, so per-rule times are not
 * mostly the timer's own cost: the smallest of many back-to-back reads. */
static double clock_cost(void)
{
    double best = 1.0;
    int i;

    for (i = 0; i < 1000; i++) {
        double a = tri_now(), b = tri_now();

        if (b - a < best)
            best = b - a;
    }
    return best;
}

/* Seconds from t0 to now, less the clock's own cost, never below 0. */
double tri_profile_since(const struct tri_profile *p, double t0)
{
    double d = tri_now() - t0 - p->clock_cost;

    return d > 0 ? d : 0;
}

static void profile_free(struct tri_profile *p)
{
    if (p == NULL)
        return;
    tri_free(p->rules);
    tri_free(p->regexes);
    tri_free(p->rx_list);
    tri_free(p);
}

triage_status triage_scratch_set_profile(triage_scratch *s, int on)
{
    const struct tri_table *t;
    struct tri_profile *p;
    uint32_t i;

    if (s == NULL)
        return TRIAGE_EINVAL;
    t = &s->rs->t;
    if (!on) {
        profile_free(s->prof);
        s->prof = NULL;
        return TRIAGE_OK;
    }
    if (s->prof != NULL) {
        triage_profile_reset(s);
        return TRIAGE_OK;
    }
    p = tri_calloc(1, sizeof *p);
    if (p == NULL)
        return TRIAGE_ENOMEM;
    p->rules = tri_calloc(t->n_rules + 1, sizeof *p->rules);
    p->regexes = tri_calloc(t->n_patterns + 1, sizeof *p->regexes);
    p->rx_list = tri_calloc(t->n_patterns + 1, sizeof *p->rx_list);
    if (p->rules == NULL || p->regexes == NULL || p->rx_list == NULL) {
        profile_free(p);
        return TRIAGE_ENOMEM;
    }
    for (i = 0; i < t->n_patterns; i++)
        if (t->patterns[i].kind == TRI_PAT_REGEX)
            p->rx_list[p->n_rx++] = i;
    p->clock_cost = clock_cost();
    s->prof = p;
    return TRIAGE_OK;
}

void triage_profile_reset(triage_scratch *s)
{
    struct tri_profile *p;

    if (s == NULL || (p = s->prof) == NULL)
        return;
    memset(p->rules, 0, (s->rs->t.n_rules + 1) * sizeof *p->rules);
    memset(p->regexes, 0, (s->rs->t.n_patterns + 1) * sizeof *p->regexes);
    p->texts = 0;
    memset(p->stage, 0, sizeof p->stage);
    p->scan_regexes = 0;
}

triage_status triage_profile_stages(const triage_scratch *s, triage_stage_profile *out)
{
    int k;

    if (s == NULL || s->prof == NULL || out == NULL)
        return TRIAGE_EINVAL;
    out->texts = s->prof->texts;
    for (k = 0; k < TRIAGE_STAGE_COUNT; k++)
        out->seconds[k] = s->prof->stage[k];
    return TRIAGE_OK;
}

triage_status triage_profile_scan_regexes(const triage_scratch *s, double *seconds)
{
    if (s == NULL || s->prof == NULL || seconds == NULL)
        return TRIAGE_EINVAL;
    *seconds = s->prof->scan_regexes;
    return TRIAGE_OK;
}

triage_status triage_profile_rule(const triage_scratch *s, unsigned i,
                                  triage_rule_profile *out)
{
    const struct tri_rule_prof *r;

    if (s == NULL || s->prof == NULL || out == NULL || i >= s->rs->t.n_rules)
        return TRIAGE_EINVAL;
    r = &s->prof->rules[i];
    out->eval_seconds = r->eval_s;
    out->regex_seconds = r->regex_s;
    out->seconds = r->eval_s + r->regex_s;
    out->evaluations = r->evals;
    out->fired = r->fired;
    out->regex_runs = r->regex_runs;
    return TRIAGE_OK;
}

unsigned triage_profile_regex_count(const triage_scratch *s)
{
    return s != NULL && s->prof != NULL ? s->prof->n_rx : 0;
}

triage_status triage_profile_regex(const triage_scratch *s, unsigned i,
                                   triage_regex_profile *out)
{
    const struct tri_table *t;
    const struct tri_pattern *p;
    uint32_t pat;

    if (s == NULL || s->prof == NULL || out == NULL || i >= s->prof->n_rx)
        return TRIAGE_EINVAL;
    t = &s->rs->t;
    pat = s->prof->rx_list[i];
    p = &t->patterns[pat];
    out->source = tri_str(t, p->src);
    out->rule_id = p->rules_count > 0
                       ? tri_str(t, t->rules[t->rule_refs[p->rules_first]].id) : NULL;
    out->seconds = s->prof->regexes[pat].s;
    out->runs = s->prof->regexes[pat].runs;
    return TRIAGE_OK;
}

/* A regex pattern's PCRE2 time: its own, and shared among the rules that
 * use it. */
void tri_profile_regex(struct triage_scratch *s, uint32_t pat, double secs)
{
    const struct tri_table *t = &s->rs->t;
    const struct tri_pattern *p = &t->patterns[pat];
    uint32_t j;

    s->prof->regexes[pat].s += secs;
    s->prof->regexes[pat].runs++;
    for (j = 0; j < p->rules_count; j++) {
        struct tri_rule_prof *r = &s->prof->rules[t->rule_refs[p->rules_first + j]];

        r->regex_s += secs / p->rules_count;
        r->regex_runs++;
    }
}
