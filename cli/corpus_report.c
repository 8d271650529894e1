/*
 * corpus_report.c - what `triage test` prints: per-axis scores, the type
 * confusion matrix, misses with their fired rules, rule hit frequencies
 * (like SpamAssassin's hit-frequencies) and, against a baseline, what
 * changed, with under-escalation apart because it is the costly error.
 */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cli.h"
#include "corpus_eval.h"

static const char *const axis_names[EVAL_AXES] = {
    "type", "nature", "severity", "temperament", "escalation"
};

static json_t *axis_json(const struct eval_run *run, int axis)
{
    const char *labels[256];
    size_t n = eval_labels(run, axis, labels, 256), i, sup;
    json_t *per = json_object();
    double p, r, f;

    for (i = 0; i < n; i++) {
        eval_prf(run, axis, labels[i], &p, &r, &f, &sup);
        json_object_set_new(per, labels[i],
            json_pack("{s:f,s:f,s:f,s:I}", "precision", p, "recall", r, "f1", f,
                      "support", (json_int_t)sup));
    }
    return json_pack("{s:I,s:f,s:f,s:o}", "labelled", (json_int_t)eval_labelled(run, axis),
                     "accuracy", eval_accuracy(run, axis),
                     "macro_f1", eval_macro_f1(run, axis), "labels", per);
}

static int rule_supports(const triage_rule_info *ri, const struct eval_case *c)
{
    return (ri->type && c->want[0] && !strcmp(ri->type, c->want[0])) ||
           (ri->nature && c->want[1] && !strcmp(ri->nature, c->want[1])) ||
           (ri->temperament && c->want[3] && !strcmp(ri->temperament, c->want[3])) ||
           (ri->severity && c->want[2] && !strcmp(ri->severity, c->want[2]));
}

/* Per-rule fired count and how many of those cases its label supports.
 * One pass over the cases, each fired id looked up in a hash of the rule
 * ids: a rule-by-case scan was minutes on a corpus of 100,000 cases. */
static json_t *rules_json(const triage_ruleset *rs, const struct eval_run *run)
{
    unsigned i, n = triage_rule_count(rs);
    size_t *fired = calloc(n + 1, sizeof *fired), *good = calloc(n + 1, sizeof *good);
    json_t *index = json_object(), *arr = json_array();
    triage_rule_info ri;
    size_t k, j;

    if (fired == NULL || good == NULL || index == NULL || arr == NULL) {
        json_decref(arr);
        arr = NULL;
        goto out;
    }
    for (i = 0; i < n; i++)
        if (triage_rule_get(rs, i, &ri) == TRIAGE_OK)
            json_object_set_new(index, ri.id, json_integer(i));
    for (k = 0; k < run->n; k++)
        for (j = 0; j < run->cases[k].n_fired; j++) {
            json_t *at = json_object_get(index, run->cases[k].fired[j]);

            if (at == NULL)
                continue;
            i = (unsigned)json_integer_value(at);
            triage_rule_get(rs, i, &ri);
            fired[i]++;
            good[i] += (size_t)rule_supports(&ri, &run->cases[k]);
        }
    for (i = 0; i < n; i++) {
        triage_rule_get(rs, i, &ri);
        json_array_append_new(arr, json_pack("{s:s,s:I,s:I,s:s,s:i}", "rule", ri.id,
            "fired", (json_int_t)fired[i], "supported", (json_int_t)good[i],
            "file", ri.file, "line", (int)ri.line));
    }
out:
    json_decref(index);
    free(fired);
    free(good);
    return arr;
}

static json_t *misses_json(const struct eval_run *run)
{
    json_t *arr = json_array();
    size_t i, j;

    for (i = 0; i < run->n; i++) {
        const struct eval_case *c = &run->cases[i];
        json_t *fired;

        if (eval_same(c->want[0], c->got[0]) && eval_same(c->want[4], c->got[4]))
            continue;
        fired = json_array();
        for (j = 0; j < c->n_fired; j++)
            json_array_append_new(fired, json_string(c->fired[j]));
        json_array_append_new(arr, json_pack("{s:s?,s:s,s:i,s:s?,s:s?,s:s?,s:s?,s:o}",
            "id", c->id, "file", c->file, "line", (int)c->line,
            "want_type", c->want[0], "got_type", c->got[0],
            "want_level", c->want[4], "got_level", c->got[4], "fired", fired));
    }
    return arr;
}

/* Index of label l among labels[0..n), or n. */
static size_t label_at(const char *const *labels, size_t n, const char *l)
{
    size_t k;

    for (k = 0; l != NULL && k < n && strcmp(labels[k], l) != 0; k++)
        ;
    return l != NULL ? k : n;
}

/* Rows and columns: the expected types, then those only ever got (their
 * rows empty, kept so that the text report lists them as columns). Each
 * case is placed once, so the matrix costs cases x labels, not more. */
static json_t *confusion_json(const struct eval_run *run)
{
    enum { MAX = 256 };
    const char *labels[MAX];
    size_t n = eval_labels(run, 0, labels, MAX), want_n = n, i, k;
    size_t *count;
    json_t *m = json_object();

    for (i = 0; i < run->n; i++)
        if (run->cases[i].got[0] != NULL && n < MAX &&
            label_at(labels, n, run->cases[i].got[0]) == n)
            labels[n++] = run->cases[i].got[0];
    count = calloc(n * n + 1, sizeof *count);
    if (count == NULL || m == NULL) {
        free(count);
        json_decref(m);
        return NULL;
    }
    for (i = 0; i < run->n; i++) {
        size_t w = label_at(labels, want_n, run->cases[i].want[0]);
        size_t g = label_at(labels, n, run->cases[i].got[0]);

        if (w < want_n && g < n)
            count[w * n + g]++;
    }
    for (i = 0; i < n; i++) {     /* a type only got has an empty row */
        json_t *row = json_object();

        for (k = 0; k < n; k++)
            if (i < want_n && count[i * n + k])
                json_object_set_new(row, labels[k], json_integer((json_int_t)count[i * n + k]));
        json_object_set_new(m, labels[i], row);
    }
    free(count);
    return m;
}

static json_t *report_json(const triage_ruleset *rs, const struct eval_run *run)
{
    json_t *axes = json_object();
    int a;

    json_t *rep;

    for (a = 0; a < EVAL_AXES; a++)
        json_object_set_new(axes, axis_names[a], axis_json(run, a));
    rep = json_pack("{s:I,s:o,s:o,s:o,s:o}", "cases", (json_int_t)run->n,
                    "axes", axes, "type_confusion", confusion_json(run),
                    "misclassified", misses_json(run), "rules", rules_json(rs, run));
    if (rep != NULL && run->profile != NULL)
        json_object_set(rep, "profile", run->profile);
    return rep;
}

static void print_axes(json_t *rep)
{
    const char *axis, *label;
    json_t *ax, *v;

    json_object_foreach(json_object_get(rep, "axes"), axis, ax) {
        if (json_integer_value(json_object_get(ax, "labelled")) == 0) {
            printf("\n== %s: no case is labelled on this axis\n", axis);
            continue;
        }
        printf("\n== %s: accuracy %.3f, macro F1 %.3f\n", axis,
               json_real_value(json_object_get(ax, "accuracy")),
               json_real_value(json_object_get(ax, "macro_f1")));
        printf("  %-18s %9s %9s %9s %8s\n", "label", "precision", "recall", "F1", "support");
        json_object_foreach(json_object_get(ax, "labels"), label, v)
            printf("  %-18s %9.3f %9.3f %9.3f %8lld\n", label,
                   json_real_value(json_object_get(v, "precision")),
                   json_real_value(json_object_get(v, "recall")),
                   json_real_value(json_object_get(v, "f1")),
                   (long long)json_integer_value(json_object_get(v, "support")));
    }
}

static void print_confusion(json_t *m)
{
    const char *want, *got;
    json_t *row, *v;
    size_t col = 0;

    printf("\n== type confusion (rows: expected, columns: got)\n%-18s", "");
    json_object_foreach(m, want, row)
        printf(" %5.5s", want);
    putchar('\n');
    json_object_foreach(m, want, row) {
        printf("%-18s", want);
        json_object_foreach(m, got, v) {
            json_t *c = json_object_get(row, got);

            printf(" %5lld", c ? (long long)json_integer_value(c) : 0LL);
            col++;
        }
        putchar('\n');
    }
}

static void print_rules(json_t *rules, json_t *misses)
{
    size_t i, k;
    json_t *r;

    printf("\n== misclassified (type or escalation): %zu\n", json_array_size(misses));
    json_array_foreach(misses, i, r) {
        json_t *f = json_object_get(r, "fired"), *x;

        printf("  %s %s:%lld want %s/%s got %s/%s; fired:",
               json_string_value(json_object_get(r, "id")) ?: "-",
               json_string_value(json_object_get(r, "file")),
               (long long)json_integer_value(json_object_get(r, "line")),
               json_string_value(json_object_get(r, "want_type")) ?: "-",
               json_string_value(json_object_get(r, "want_level")) ?: "-",
               json_string_value(json_object_get(r, "got_type")),
               json_string_value(json_object_get(r, "got_level")));
        json_array_foreach(f, k, x)
            printf(" %s", json_string_value(x));
        printf("%s\n", json_array_size(f) ? "" : " (none)");
    }
    printf("\n== rule hit frequencies (fired / of which the label agrees)\n");
    json_array_foreach(rules, i, r)
        if (json_integer_value(json_object_get(r, "fired")) > 0)
            printf("  %5lld %5lld  %s\n",
                   (long long)json_integer_value(json_object_get(r, "fired")),
                   (long long)json_integer_value(json_object_get(r, "supported")),
                   json_string_value(json_object_get(r, "rule")));
    printf("\n== rules that never fired\n");
    json_array_foreach(rules, i, r)
        if (json_integer_value(json_object_get(r, "fired")) == 0)
            printf("  %s (%s:%lld)\n", json_string_value(json_object_get(r, "rule")),
                   json_string_value(json_object_get(r, "file")),
                   (long long)json_integer_value(json_object_get(r, "line")));
}

void eval_report(const triage_ruleset *rs, const struct eval_run *run,
                 const struct eval_opts *o)
{
    json_t *rep = report_json(rs, run);

    if (o->json) {
        json_dumpf(rep, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
        putchar('\n');
    } else {
        printf("%zu cases\n", run->n);
        print_axes(rep);
        print_confusion(json_object_get(rep, "type_confusion"));
        if (!o->quiet)
            print_rules(json_object_get(rep, "rules"),
                        json_object_get(rep, "misclassified"));
        if (run->profile != NULL)
            profile_print(run->profile, stdout);
    }
    json_decref(rep);
}

/* Cases whose type or escalation changed between two rule sets. */
void eval_diff(const struct eval_run *old, const struct eval_run *cur,
               const struct eval_opts *o)
{
    size_t i, fixed = 0, broke = 0, under = 0, over = 0;

    (void)o;
    printf("== changes against the baseline\n");
    for (i = 0; i < cur->n && i < old->n; i++) {
        const struct eval_case *a = &old->cases[i], *b = &cur->cases[i];
        int was = eval_same(a->want[0], a->got[0]) && eval_same(a->want[4], a->got[4]);
        int now = eval_same(b->want[0], b->got[0]) && eval_same(b->want[4], b->got[4]);

        if (eval_same(a->got[0], b->got[0]) && eval_same(a->got[4], b->got[4]))
            continue;
        printf("  %-8s %s: %s/%s -> %s/%s (want %s/%s)\n",
               now && !was ? "fixed" : was && !now ? "broke" : "changed",
               b->id ? b->id : "-", a->got[0], a->got[4], b->got[0], b->got[4],
               b->want[0] ? b->want[0] : "-", b->want[4] ? b->want[4] : "-");
        fixed += (size_t)(now && !was);
        broke += (size_t)(was && !now);
    }
    for (i = 0; i < cur->n; i++) {
        const struct eval_case *b = &cur->cases[i];

        if (b->level_want < 0 || b->level_got < 0 || b->level_want == b->level_got)
            continue;
        if (b->level_got < b->level_want) {
            under++;
            printf("  UNDER-ESCALATED %s: %s, want %s\n", b->id ? b->id : "-",
                   b->got[4], b->want[4]);
        } else {
            over++;
        }
    }
    printf("  %zu fixed, %zu broke; now %zu under-escalated (costly), "
           "%zu over-escalated\n\n", fixed, broke, under, over);
}
