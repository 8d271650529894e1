/*
 * corpus_eval.h - running a labelled corpus through a rule set and scoring
 * it per axis; shared by `triage test` and its baseline comparison.
 */
#ifndef TRIAGE_CORPUS_EVAL_H
#define TRIAGE_CORPUS_EVAL_H

#include <stddef.h>
#include <jansson.h>
#include "triage.h"
#include "rule_profile.h"

#define EVAL_AXES 5
#define EVAL_MAX_BARS 32
#define EVAL_MAX_CORPORA 64

struct eval_bar {
    const char *kind;      /* "f1", "accuracy" or "recall"               */
    char axis[32];
    char label[64];        /* recall only                                */
    double min;
};

struct eval_opts {
    const char *corpora[EVAL_MAX_CORPORA];
    int n_corpora;
    int json, quiet, baseline, profile;
    struct profile_opts prof;
    struct eval_bar bars[EVAL_MAX_BARS];
    int n_bars;
};

struct eval_case {
    char *id, *text, *file;
    unsigned long line;
    char *want[EVAL_AXES];
    char *got[EVAL_AXES];
    int level_want, level_got;   /* rank of escalation level, -1 unknown */
    char **fired;
    size_t n_fired;
};

struct eval_run {
    struct eval_case *cases;
    size_t n, cap;
    const triage_ruleset *rs;
    json_t *profile;       /* --profile: stage split and slowest rules   */
};

int eval_axis_index(const char *name);
/* Classify every case; returns a CLI exit code (4 on unreadable corpus). */
int eval_run(const triage_ruleset *rs, const struct eval_opts *o,
             struct eval_run *run);
void eval_report(const triage_ruleset *rs, const struct eval_run *run,
                 const struct eval_opts *o);
/* 1 when every bar is met; prints each missed bar. */
int eval_bars(const struct eval_run *run, const struct eval_opts *o);
void eval_diff(const struct eval_run *old, const struct eval_run *cur,
               const struct eval_opts *o);
void eval_free(struct eval_run *run);
/* --profile: classify the run's texts again with a profiling scratch. */
int eval_profile(const triage_ruleset *rs, const struct eval_opts *o,
                 struct eval_run *run);
/* Macro F1 over the labels that occur in the expectations, and accuracy. */
double eval_macro_f1(const struct eval_run *run, int axis);
/* Cases that carry a label on the axis: the others are not counted on it. */
size_t eval_labelled(const struct eval_run *run, int axis);
double eval_accuracy(const struct eval_run *run, int axis);
double eval_recall(const struct eval_run *run, int axis, const char *label);

int eval_same(const char *a, const char *b);
void eval_prf(const struct eval_run *run, int axis, const char *label,
              double *p, double *r, double *f, size_t *support);
size_t eval_labels(const struct eval_run *run, int axis, const char **out,
                   size_t max);

#endif
