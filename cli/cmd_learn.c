/*
 * cmd_learn.c - `triage learn CORPUS... -o FILE`: count the tokens of
 * labelled complaints per type, nature, temperament and severity, and write them as
 * a `bayes:` rule file (docs/bayes.md), as sa-learn feeds SpamAssassin's
 * Bayes rules. Every case must carry every axis learned: a case that
 * cannot be counted stops the run, so the model never silently drops one.
 */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cli.h"

#define LEARN_MAX_AXES 4

static void help(FILE *fp)
{
    fprintf(fp, "usage: triage learn CORPUS.jsonl... [-o FILE] [--axis A]...\n"
            "                    [--min-count N] [--weight W]\n"
            "Learn naive Bayes models from labelled complaints (JSON Lines with\n"
            "\"text\" and the labels) and write them as a rule file with a\n"
            "`bayes:` section; standard output without -o. --axis: type, nature,\n"
            "temperament or severity (default all four). --min-count: leave out tokens\n"
            "seen in fewer complaints (default 2). --weight: the share of the\n"
            "rules' votes a sure posterior adds (default 0.75). docs/bayes.md.\n");
}

struct learn_opts {
    const char *axes[LEARN_MAX_AXES];
    int n_axes;
    unsigned min_count;
    double weight;
};

/* One corpus line: its text counted for every axis. 0, or prints why not. */
static int learn_line(triage_learner *l, const struct learn_opts *o,
                      const char *file, unsigned long no, const char *buf)
{
    json_error_t err;
    json_t *j = json_loads(buf, 0, &err), *text;
    triage_status st;
    int a, rc = -1;

    if (j == NULL || !json_is_object(j)) {
        fprintf(stderr, "%s:%lu:%d: error: %s\n", file, no, j ? 1 : err.column,
                j ? "a case must be a JSON object" : err.text);
        goto done;
    }
    text = json_object_get(j, "text");
    if (!json_is_string(text)) {
        fprintf(stderr, "%s:%lu:1: error: case has no \"text\" string\n", file, no);
        goto done;
    }
    for (a = 0; a < o->n_axes; a++) {
        const char *label = json_string_value(json_object_get(j, o->axes[a]));

        if (label == NULL || *label == '\0') {
            fprintf(stderr, "%s:%lu:1: error: case has no \"%s\" label\n", file, no,
                    o->axes[a]);
            goto done;
        }
        st = triage_learner_add(l, o->axes[a], label, json_string_value(text),
                                json_string_length(text));
        if (st != TRIAGE_OK) {
            fprintf(stderr, "%s:%lu:1: error: label \"%s\" of %s: %s\n", file, no,
                    label, o->axes[a], triage_strerror(st));
            goto done;
        }
    }
    rc = 0;
done:
    json_decref(j);
    return rc;
}

/* Count every case of one file; returns an exit code. */
static int learn_file(triage_learner *l, const struct learn_opts *o,
                      const char *file, unsigned long *cases)
{
    FILE *fp = strcmp(file, "-") ? fopen(file, "r") : stdin;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long no = 0;
    int rc = EXIT_OK_;

    if (fp == NULL) {
        perror(file);
        return EXIT_IO;
    }
    while ((n = getline(&line, &cap, fp)) >= 0) {
        no++;
        if (strspn(line, " \t\r\n") == (size_t)n)
            continue;
        if (learn_line(l, o, file, no, line) != 0) {
            rc = EXIT_IO;
            break;
        }
        (*cases)++;
    }
    if (rc == EXIT_OK_ && ferror(fp)) {
        perror(file);
        rc = EXIT_IO;
    }
    free(line);
    if (fp != stdin)
        fclose(fp);
    return rc;
}

static int write_out(const char *path, const char *yaml, size_t len)
{
    FILE *fp = path ? fopen(path, "w") : stdout;

    if (fp == NULL || fwrite(yaml, 1, len, fp) != len || fflush(fp) != 0) {
        perror(path ? path : "stdout");
        if (fp != NULL && fp != stdout)
            fclose(fp);
        return EXIT_IO;
    }
    if (fp != stdout && fclose(fp) != 0) {
        perror(path);
        return EXIT_IO;
    }
    return EXIT_OK_;
}

static int parse_args(int argc, char **argv, struct learn_opts *o,
                      const char **files, int *n_files, const char **outp)
{
    int i;

    for (i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end;

        if (!strcmp(argv[i], "--help")) {
            help(stdout);
            return -1;
        } else if (!strcmp(argv[i], "-o") && v) {
            *outp = argv[++i];
        } else if (!strcmp(argv[i], "--axis") && v) {
            if ((strcmp(v, "type") && strcmp(v, "nature") && strcmp(v, "temperament") &&
                 strcmp(v, "severity")) || o->n_axes == LEARN_MAX_AXES) {
                fprintf(stderr, "triage learn: --axis is type, nature, temperament "
                        "or severity\n");
                return EXIT_USAGE;
            }
            o->axes[o->n_axes++] = argv[++i];
        } else if (!strcmp(argv[i], "--min-count") && v) {
            o->min_count = (unsigned)strtoul(v, &end, 10);
            if (*end != '\0' || *v == '\0') {
                fprintf(stderr, "triage learn: --min-count needs a number\n");
                return EXIT_USAGE;
            }
            i++;
        } else if (!strcmp(argv[i], "--weight") && v) {
            o->weight = strtod(v, &end);
            if (*end != '\0' || *v == '\0' || !(o->weight >= 0 && o->weight <= 100)) {
                fprintf(stderr, "triage learn: --weight is a number from 0 to 100\n");
                return EXIT_USAGE;
            }
            i++;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "triage learn: unknown option '%s'\n", argv[i]);
            help(stderr);
            return EXIT_USAGE;
        } else {
            files[(*n_files)++] = argv[i];
        }
    }
    return EXIT_OK_;
}

int cmd_learn(int argc, char **argv)
{
    struct learn_opts o = { { NULL }, 0, 2, 0.75 };
    const char **files = calloc((size_t)argc + 1, sizeof *files), *outp = NULL, *yaml;
    int n_files = 0, i, rc;
    unsigned long cases = 0;
    triage_learner *l = NULL;
    triage_status st;
    size_t len;

    if (files == NULL)
        return EXIT_INTERNAL;
    rc = parse_args(argc, argv, &o, files, &n_files, &outp);
    if (rc != EXIT_OK_ || n_files == 0) {
        if (rc == EXIT_OK_)
            help(stderr);
        free(files);
        return rc < 0 ? EXIT_OK_ : rc == EXIT_OK_ ? EXIT_USAGE : rc;
    }
    if (o.n_axes == 0) {
        o.axes[0] = "type";
        o.axes[1] = "nature";
        o.axes[2] = "temperament";
        o.axes[3] = "severity";
        o.n_axes = 4;
    }
    if (triage_learner_create(&l) != TRIAGE_OK) {
        free(files);
        return EXIT_INTERNAL;
    }
    for (i = 0; i < n_files && rc == EXIT_OK_; i++)
        rc = learn_file(l, &o, files[i], &cases);
    if (rc == EXIT_OK_) {
        st = triage_learner_yaml(l, o.min_count, o.weight, &yaml, &len);
        if (st != TRIAGE_OK) {
            fprintf(stderr, "triage learn: %s\n",
                    st == TRIAGE_ENORULES ? "no labelled complaints" : triage_strerror(st));
            rc = st == TRIAGE_ENORULES ? EXIT_IO : EXIT_INTERNAL;
        } else {
            rc = write_out(outp, yaml, len);
        }
    }
    if (rc == EXIT_OK_)
        fprintf(stderr, "triage learn: %lu complaints from %d file(s)%s%s\n", cases,
                n_files, outp ? " -> " : "", outp ? outp : "");
    triage_learner_destroy(l);
    free(files);
    return rc;
}
