/*
 * cmd_test.c - `triage test`: the rule author's loop. Runs every labelled
 * case of a corpus, scores each axis (precision, recall, F1, accuracy), a
 * confusion matrix for type, the misses with their fired rules, per-rule
 * hit frequencies, and with --baseline what an edit fixed and broke.
 */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cli.h"
#include "corpus_eval.h"

static void help(FILE *fp)
{
    fprintf(fp,
        "usage: triage test [-r RULES] [-t TABLE] [--baseline OLD_RULES] [--json]\n"
        "                   [--min-f1 AXIS=X] [--min-accuracy AXIS=X]\n"
        "                   [--min-recall AXIS:LABEL=X] [--quiet] [--profile[=N]]\n"
        "                   CORPUS.jsonl...\n"
        "Each corpus line: {\"id\",\"text\",\"type\",\"also\",\"nature\",\"severity\",\n"
        "\"temperament\",\"escalation\"}. AXIS is type, nature, severity,\n"
        "temperament or escalation; --min-f1 bars the macro F1. Exit 1 when a\n"
        "bar is missed, 3 on rule errors, 4 when a corpus cannot be read.\n"
        "--profile[=N]  classify the corpus again for about a second with timers\n"
        "               on: time per stage and the N (20) slowest rules.\n");
}

static int parse_bar(struct eval_opts *o, const char *kind, const char *arg)
{
    struct eval_bar *b;
    const char *eq = strrchr(arg, '=');

    if (eq == NULL || o->n_bars >= EVAL_MAX_BARS) {
        fprintf(stderr, "triage test: bad bar '%s' (want AXIS=X)\n", arg);
        return -1;
    }
    b = &o->bars[o->n_bars++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    snprintf(b->axis, sizeof b->axis, "%.*s", (int)(eq - arg), arg);
    b->min = atof(eq + 1);
    if (strcmp(kind, "recall") == 0) {
        char *colon = strchr(b->axis, ':');

        if (colon == NULL) {
            fprintf(stderr, "triage test: --min-recall wants AXIS:LABEL=X\n");
            return -1;
        }
        *colon = '\0';
        snprintf(b->label, sizeof b->label, "%s", colon + 1);
    }
    if (eval_axis_index(b->axis) < 0) {
        fprintf(stderr, "triage test: unknown axis '%s'\n", b->axis);
        return -1;
    }
    return 0;
}

static int parse_args(int argc, char **argv, struct rules_opt *ro,
                      struct rules_opt *base, struct eval_opts *o)
{
    int i, k;

    for (i = 1; i < argc; i++) {
        if ((k = cli_rules_arg(ro, argc, argv, &i)) != 0) {
            if (k < 0)
                return -1;
        } else if (!strcmp(argv[i], "--baseline") && i + 1 < argc) {
            if (base->n_paths < CLI_MAX_RULES)
                base->paths[base->n_paths++] = argv[++i];
            o->baseline = 1;
        } else if ((k = profile_arg(&o->prof, argv[i], &o->profile)) != 0) {
            if (k < 0)
                return -1;
        } else if (!strcmp(argv[i], "--json")) {
            o->json = 1;
        } else if (!strcmp(argv[i], "--quiet")) {
            o->quiet = 1;
        } else if (!strcmp(argv[i], "--min-f1") && i + 1 < argc) {
            if (parse_bar(o, "f1", argv[++i]) < 0)
                return -1;
        } else if (!strcmp(argv[i], "--min-accuracy") && i + 1 < argc) {
            if (parse_bar(o, "accuracy", argv[++i]) < 0)
                return -1;
        } else if (!strcmp(argv[i], "--min-recall") && i + 1 < argc) {
            if (parse_bar(o, "recall", argv[++i]) < 0)
                return -1;
        } else if (!strcmp(argv[i], "--help")) {
            help(stdout);
            exit(EXIT_OK_);
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "triage test: unknown option '%s'\n", argv[i]);
            return -1;
        } else if (o->n_corpora < EVAL_MAX_CORPORA) {
            o->corpora[o->n_corpora++] = argv[i];
        }
    }
    if (o->n_corpora == 0) {
        fprintf(stderr, "triage test: no corpus given\n");
        return -1;
    }
    return 0;
}

int cmd_test(int argc, char **argv)
{
    struct rules_opt ro, base;
    struct eval_opts o;
    struct eval_run run, old;
    triage_ruleset *rs = NULL, *brs = NULL;
    int rc;

    memset(&ro, 0, sizeof ro);
    memset(&base, 0, sizeof base);
    memset(&o, 0, sizeof o);
    ro.quiet = base.quiet = 1;
    o.prof.top = 20;
    o.prof.min_seconds = 1.0;
    if (parse_args(argc, argv, &ro, &base, &o) < 0) {
        help(stderr);
        return EXIT_USAGE;
    }
    rc = cli_load_rules(&ro, &rs);
    if (rc == EXIT_OK_ && o.baseline)
        rc = cli_load_rules(&base, &brs);
    if (rc == EXIT_OK_)
        rc = eval_run(rs, &o, &run);
    if (rc == EXIT_OK_ && o.profile)
        rc = eval_profile(rs, &o, &run);
    if (rc == EXIT_OK_ && brs != NULL) {
        rc = eval_run(brs, &o, &old);
        if (rc == EXIT_OK_)
            eval_diff(&old, &run, &o);
        eval_free(&old);
    }
    if (rc == EXIT_OK_) {
        eval_report(rs, &run, &o);
        rc = eval_bars(&run, &o) ? EXIT_OK_ : EXIT_FAILED;
        eval_free(&run);
    }
    triage_ruleset_destroy(brs);
    triage_ruleset_destroy(rs);
    return rc;
}
