/*
 * corpus_eval.c - load a labelled JSON Lines corpus, classify each case,
 * and compute per-label precision, recall and F1.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cli.h"
#include "corpus_eval.h"

static const char *const axis_names[EVAL_AXES] = {
    "type", "nature", "severity", "temperament", "escalation"
};

int eval_axis_index(const char *name)
{
    int a;

    for (a = 0; a < EVAL_AXES; a++)
        if (strcmp(name, axis_names[a]) == 0)
            return a;
    return -1;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static int level_rank(const triage_ruleset *rs, const char *level)
{
    unsigned i, n = triage_vocab_count(rs, TRIAGE_AXIS_LEVEL);

    for (i = 0; level != NULL && i < n; i++)
        if (strcmp(triage_vocab_name(rs, TRIAGE_AXIS_LEVEL, i), level) == 0)
            return (int)i;
    return -1;
}

static void fill_got(struct eval_case *c, const triage_result *r,
                     const triage_ruleset *rs)
{
    unsigned i;

    c->got[0] = dup_or_null(triage_result_type(r));
    c->got[1] = dup_or_null(triage_result_nature(r));
    c->got[2] = dup_or_null(triage_result_severity(r));
    c->got[3] = dup_or_null(triage_result_temperament(r));
    c->got[4] = dup_or_null(triage_result_level(r));
    c->level_got = level_rank(rs, c->got[4]);
    c->level_want = level_rank(rs, c->want[4]);
    c->n_fired = triage_result_fired_count(r);
    c->fired = calloc(c->n_fired + 1, sizeof *c->fired);
    for (i = 0; c->fired != NULL && i < c->n_fired; i++)
        c->fired[i] = strdup(triage_result_fired(r, i));
}

static void eval_case_free(struct eval_case *c)
{
    size_t k;
    int a;

    for (a = 0; a < EVAL_AXES; a++) {
        free(c->want[a]);
        free(c->got[a]);
    }
    for (k = 0; k < c->n_fired; k++)
        free(c->fired[k]);
    free(c->fired);
    free(c->id);
    free(c->text);
    free(c->file);
}

/* One corpus line into a case; returns 0 or prints why not. */
static int parse_case(struct eval_case *c, const char *file, unsigned long line,
                      const char *buf)
{
    json_error_t err;
    json_t *j = json_loads(buf, 0, &err);
    json_t *text;
    int a;

    memset(c, 0, sizeof *c);
    if (j == NULL || !json_is_object(j)) {
        fprintf(stderr, "%s:%lu:%d: error: %s\n", file, line,
                j ? 1 : err.column, j ? "a case must be a JSON object" : err.text);
        json_decref(j);
        return -1;
    }
    text = json_object_get(j, "text");
    if (!json_is_string(text)) {
        fprintf(stderr, "%s:%lu:1: error: case has no \"text\" string\n", file, line);
        json_decref(j);
        return -1;
    }
    c->text = strdup(json_string_value(text));
    c->id = dup_or_null(json_string_value(json_object_get(j, "id")));
    c->file = strdup(file);
    c->line = line;
    for (a = 0; a < EVAL_AXES; a++)
        c->want[a] = dup_or_null(json_string_value(json_object_get(j, axis_names[a])));
    json_decref(j);
    for (a = 0; a < EVAL_AXES && c->want[a] == NULL; a++)
        ;
    if (a == EVAL_AXES) {   /* nothing to measure against: say so, not a silent zero */
        fprintf(stderr, "%s:%lu:1: error: case has no label on any axis "
                "(type, nature, severity, temperament, escalation); "
                "triage batch classifies unlabelled text\n", file, line);
        eval_case_free(c);
        return -1;
    }
    return 0;
}

static int run_file(const triage_ruleset *rs, triage_scratch *s, const char *file,
                    struct eval_run *run)
{
    FILE *fp = fopen(file, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long no = 0;
    int rc = EXIT_OK_;
    const triage_result *r;

    if (fp == NULL) {
        perror(file);
        return EXIT_IO;
    }
    while (rc == EXIT_OK_ && (n = getline(&line, &cap, fp)) >= 0) {
        struct eval_case c;

        no++;
        if (strspn(line, " \t\r\n") == (size_t)n)
            continue;   /* blank lines separate nothing and hold no case */
        if (parse_case(&c, file, no, line) != 0) {
            rc = EXIT_IO;
            break;
        }
        if (triage_classify(rs, s, c.text, strlen(c.text), &r) != TRIAGE_OK) {
            rc = EXIT_INTERNAL;
            break;
        }
        fill_got(&c, r, rs);
        if (run->n == run->cap) {
            run->cap = run->cap ? run->cap * 2 : 256;
            run->cases = realloc(run->cases, run->cap * sizeof *run->cases);
        }
        run->cases[run->n++] = c;
    }
    if (rc == EXIT_OK_ && ferror(fp)) {   /* a directory, say: EISDIR */
        int dir = errno == EISDIR;

        fprintf(stderr, "%s:%lu: error: cannot read: %s%s\n", file, no + 1, strerror(errno),
                dir ? " (rules are given with -r RULES)" : "");
        rc = EXIT_IO;
    }
    free(line);
    fclose(fp);
    return rc;
}

int eval_run(const triage_ruleset *rs, const struct eval_opts *o,
             struct eval_run *run)
{
    triage_scratch *s = NULL;
    int i, rc = EXIT_OK_;

    memset(run, 0, sizeof *run);
    run->rs = rs;
    if (triage_scratch_create(rs, &s) != TRIAGE_OK)
        return EXIT_INTERNAL;
    for (i = 0; i < o->n_corpora && rc == EXIT_OK_; i++)
        rc = run_file(rs, s, o->corpora[i], run);
    triage_scratch_destroy(s);
    if (rc == EXIT_OK_ && run->n == 0) {
        fprintf(stderr, "triage test: the corpus holds no cases\n");
        rc = EXIT_IO;
    }
    return rc;
}

void eval_free(struct eval_run *run)
{
    size_t i;

    for (i = 0; i < run->n; i++)
        eval_case_free(&run->cases[i]);
    free(run->cases);
    json_decref(run->profile);
    memset(run, 0, sizeof *run);
}

int eval_profile(const triage_ruleset *rs, const struct eval_opts *o,
                 struct eval_run *run)
{
    const char **texts = calloc(run->n + 1, sizeof *texts);
    size_t *lens = calloc(run->n + 1, sizeof *lens), i;

    for (i = 0; texts != NULL && lens != NULL && i < run->n; i++) {
        texts[i] = run->cases[i].text;
        lens[i] = strlen(texts[i]);
    }
    if (texts != NULL && lens != NULL)
        run->profile = profile_texts(rs, texts, lens, run->n, &o->prof);
    free(texts);
    free(lens);
    return run->profile != NULL ? EXIT_OK_ : EXIT_INTERNAL;
}

int eval_same(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* tp, fp, fn of one label on one axis. */
static void counts(const struct eval_run *run, int axis, const char *label,
                   size_t *tp, size_t *fp, size_t *fn)
{
    size_t i;

    *tp = *fp = *fn = 0;
    for (i = 0; i < run->n; i++) {
        int w, g;

        if (run->cases[i].want[axis] == NULL)
            continue;   /* unlabelled on this axis: neither right nor wrong */
        w = eval_same(run->cases[i].want[axis], label);
        g = eval_same(run->cases[i].got[axis], label);

        *tp += (size_t)(w && g);
        *fp += (size_t)(!w && g);
        *fn += (size_t)(w && !g);
    }
}

void eval_prf(const struct eval_run *run, int axis, const char *label,
              double *p, double *r, double *f, size_t *support)
{
    size_t tp, fp, fn;

    counts(run, axis, label, &tp, &fp, &fn);
    *p = tp + fp ? (double)tp / (double)(tp + fp) : 0;
    *r = tp + fn ? (double)tp / (double)(tp + fn) : 0;
    *f = *p + *r > 0 ? 2 * *p * *r / (*p + *r) : 0;
    *support = tp + fn;
}

/* Distinct expected labels of an axis, in order of first appearance. */
size_t eval_labels(const struct eval_run *run, int axis, const char **out, size_t max)
{
    size_t i, k, n = 0;

    for (i = 0; i < run->n; i++) {
        const char *l = run->cases[i].want[axis];

        if (l == NULL)
            continue;
        for (k = 0; k < n && strcmp(out[k], l) != 0; k++)
            ;
        if (k == n && n < max)
            out[n++] = l;
    }
    return n;
}

double eval_macro_f1(const struct eval_run *run, int axis)
{
    const char *labels[256];
    size_t n = eval_labels(run, axis, labels, 256), i, sup;
    double p, r, f, sum = 0;

    for (i = 0; i < n; i++) {
        eval_prf(run, axis, labels[i], &p, &r, &f, &sup);
        sum += f;
    }
    return n ? sum / (double)n : 0;
}

size_t eval_labelled(const struct eval_run *run, int axis)
{
    size_t i, n = 0;

    for (i = 0; i < run->n; i++)
        n += run->cases[i].want[axis] != NULL;
    return n;
}

double eval_accuracy(const struct eval_run *run, int axis)
{
    size_t i, ok = 0, n = 0;

    for (i = 0; i < run->n; i++) {
        if (run->cases[i].want[axis] == NULL)
            continue;
        n++;
        ok += (size_t)eval_same(run->cases[i].want[axis], run->cases[i].got[axis]);
    }
    return n ? (double)ok / (double)n : 0;
}

double eval_recall(const struct eval_run *run, int axis, const char *label)
{
    double p, r, f;
    size_t sup;

    eval_prf(run, axis, label, &p, &r, &f, &sup);
    return sup ? r : 1.0;
}

int eval_bars(const struct eval_run *run, const struct eval_opts *o)
{
    int i, ok = 1;

    for (i = 0; i < o->n_bars; i++) {
        const struct eval_bar *b = &o->bars[i];
        int axis = eval_axis_index(b->axis);
        double v = !strcmp(b->kind, "f1") ? eval_macro_f1(run, axis)
                   : !strcmp(b->kind, "accuracy") ? eval_accuracy(run, axis)
                   : eval_recall(run, axis, b->label);

        if (v + 1e-9 < b->min) {
            fprintf(stderr, "bar missed: %s %s%s%s = %.3f < %.3f%s\n", b->kind,
                    b->axis, *b->label ? ":" : "", b->label, v, b->min,
                    eval_labelled(run, axis) ? "" : " (no case is labelled on this axis)");
            ok = 0;
        }
    }
    return ok;
}
