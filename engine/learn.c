/*
 * learn.c - triage_learner: counts, per axis and class, the labelled
 * complaints that contain each token of their folded text, and writes the
 * counts as a `bayes:` rule file. Classes and tokens are sorted, so the
 * same corpus always gives the same file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define LEARN_AXES 4

struct learn_token {
    char *text;
    uint32_t last_doc;                       /* document that counted it */
    uint32_t counts[TRI_BAYES_MAX_CLASSES];
};

struct learn_axis {
    char *classes[TRI_BAYES_MAX_CLASSES];
    uint32_t docs[TRI_BAYES_MAX_CLASSES];
    uint32_t n_classes;
    struct learn_token *tokens;
    size_t n_tokens, cap_tokens;
    uint32_t *slots;                         /* token index + 1          */
    size_t n_slots;
};

struct triage_learner {
    struct learn_axis axes[LEARN_AXES];
    struct tri_norm norm;
    uint32_t doc;
    struct tri_buf yaml;
};

static const char *const axis_names[LEARN_AXES] = { "type", "nature", "temperament",
                                                     "severity" };

triage_status triage_learner_create(triage_learner **out)
{
    if (out == NULL)
        return TRIAGE_EINVAL;
    *out = tri_calloc(1, sizeof **out);
    if (*out == NULL)
        return TRIAGE_ENOMEM;
    tri_norm_init(&(*out)->norm);
    return TRIAGE_OK;
}

void triage_learner_destroy(triage_learner *l)
{
    size_t a, i;

    if (l == NULL)
        return;
    for (a = 0; a < LEARN_AXES; a++) {
        struct learn_axis *x = &l->axes[a];

        for (i = 0; i < x->n_classes; i++)
            tri_free(x->classes[i]);
        for (i = 0; i < x->n_tokens; i++)
            tri_free(x->tokens[i].text);
        tri_free(x->tokens);
        tri_free(x->slots);
    }
    tri_norm_free(&l->norm);
    tri_buf_free(&l->yaml);
    tri_free(l);
}

static triage_status rehash(struct learn_axis *x, size_t n_slots)
{
    uint32_t *slots = tri_calloc(n_slots, sizeof *slots);
    size_t i;

    if (slots == NULL)
        return TRIAGE_ENOMEM;
    for (i = 0; i < x->n_tokens; i++) {
        const char *t = x->tokens[i].text;
        size_t h = tri_bayes_hash(t, strlen(t)) & (n_slots - 1);

        while (slots[h] != 0)
            h = (h + 1) & (n_slots - 1);
        slots[h] = (uint32_t)i + 1;
    }
    tri_free(x->slots);
    x->slots = slots;
    x->n_slots = n_slots;
    return TRIAGE_OK;
}

/* The token's entry, added (with zero counts) if new; NULL when out of memory. */
static struct learn_token *token_get(struct learn_axis *x, const char *tok, size_t n)
{
    size_t h;
    struct learn_token *t;

    if (2 * (x->n_tokens + 1) > x->n_slots) {
        size_t ns = x->n_slots ? x->n_slots : 1024;

        while (ns < 2 * (x->n_tokens + 1))
            ns *= 2;
        if (rehash(x, ns) != TRIAGE_OK)
            return NULL;
    }
    for (h = tri_bayes_hash(tok, n) & (x->n_slots - 1); x->slots[h] != 0;
         h = (h + 1) & (x->n_slots - 1)) {
        t = &x->tokens[x->slots[h] - 1];
        if (strncmp(t->text, tok, n) == 0 && t->text[n] == '\0')   /* stops at NUL */
            return t;
    }
    if (tri_grow((void **)&x->tokens, &x->cap_tokens, x->n_tokens + 1,
                 sizeof *x->tokens) != TRIAGE_OK)
        return NULL;
    t = &x->tokens[x->n_tokens];
    memset(t, 0, sizeof *t);
    if ((t->text = tri_strndup(tok, n)) == NULL)
        return NULL;
    t->last_doc = UINT32_MAX;
    x->slots[h] = (uint32_t)++x->n_tokens;
    return t;
}

struct add_ctx {
    struct learn_axis *x;
    uint32_t doc, cls;
    int oom;
};

static void count_token(void *ctx, const char *tok, size_t n)
{
    struct add_ctx *c = ctx;
    struct learn_token *t = c->oom ? NULL : token_get(c->x, tok, n);

    if (t == NULL) {
        c->oom = 1;
        return;
    }
    if (t->last_doc != c->doc) {   /* documents, not occurrences */
        t->last_doc = c->doc;
        t->counts[c->cls]++;
    }
}

triage_status triage_learner_add(triage_learner *l, const char *axis,
                                 const char *label, const char *text, size_t len)
{
    struct add_ctx c = { NULL, 0, 0, 0 };
    struct learn_axis *x;
    triage_status st;
    size_t a;

    if (l == NULL || axis == NULL || label == NULL || *label == '\0' ||
        (text == NULL && len > 0) || strchr(label, ' ') != NULL)
        return TRIAGE_EINVAL;
    for (a = 0; a < LEARN_AXES && strcmp(axis, axis_names[a]) != 0; a++)
        ;
    if (a == LEARN_AXES)
        return TRIAGE_EINVAL;
    x = &l->axes[a];
    for (c.cls = 0; c.cls < x->n_classes && strcmp(x->classes[c.cls], label) != 0; c.cls++)
        ;
    if (c.cls == x->n_classes) {
        if (x->n_classes == TRI_BAYES_MAX_CLASSES)
            return TRIAGE_ELIMIT;
        if ((x->classes[c.cls] = tri_strndup(label, strlen(label))) == NULL)
            return TRIAGE_ENOMEM;
        x->n_classes++;
    }
    if ((st = tri_normalize(&l->norm, text ? text : "", len)) != TRIAGE_OK)
        return st;
    x->docs[c.cls]++;
    c.x = x;
    c.doc = l->doc++;
    tri_bayes_tokens(l->norm.text, l->norm.len, count_token, &c);
    return c.oom ? TRIAGE_ENOMEM : TRIAGE_OK;
}

static int cmp_text(const void *a, const void *b)
{
    return strcmp(((const struct learn_token *)a)->text,
                  ((const struct learn_token *)b)->text);
}

/* Class order for output: by name. */
static void class_order(const struct learn_axis *x, uint32_t *order)
{
    uint32_t i, j;

    for (i = 0; i < x->n_classes; i++) {
        for (j = i; j > 0 && strcmp(x->classes[order[j - 1]], x->classes[i]) > 0; j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
}

static void write_axis(triage_learner *l, size_t a, unsigned min_count, double weight)
{
    struct learn_axis *x = &l->axes[a];
    struct tri_buf *b = &l->yaml;
    uint32_t order[TRI_BAYES_MAX_CLASSES], k, total;
    size_t i;

    class_order(x, order);
    /* Sorting moves the entries: the slots are rebuilt if more come. */
    qsort(x->tokens, x->n_tokens, sizeof *x->tokens, cmp_text);
    tri_free(x->slots);
    x->slots = NULL;
    x->n_slots = 0;
    tri_buf_printf(b, "  - id: bayes.%s\n    axis: %s\n", axis_names[a], axis_names[a]);
    /* Severity only raises, when sure; its evidence is divided by a
     * temperature so that "sure" means something on long texts
     * (docs/bayes.md says how 4 and 0.9 were chosen). */
    if (strcmp(axis_names[a], "severity") == 0)
        tri_buf_adds(b, "    raise: 0.9\n    temperature: 4\n");
    else
        tri_buf_printf(b, "    weight: %g\n    base: 4\n", weight);
    tri_buf_adds(b, "    smoothing: 0.5\n    classes: [");
    for (k = 0; k < x->n_classes; k++)
        tri_buf_printf(b, "%s%s", k ? ", " : "", x->classes[order[k]]);
    tri_buf_adds(b, "]\n    docs: [");
    for (k = 0; k < x->n_classes; k++)
        tri_buf_printf(b, "%s%u", k ? ", " : "", x->docs[order[k]]);
    tri_buf_adds(b, "]\n    tokens:\n");
    for (i = 0; i < x->n_tokens; i++) {
        const struct learn_token *t = &x->tokens[i];

        for (k = 0, total = 0; k < x->n_classes; k++)
            total += t->counts[k];
        if (total < min_count)
            continue;
        tri_buf_printf(b, "      - %s", t->text);
        for (k = 0; k < x->n_classes; k++)
            tri_buf_printf(b, " %u", t->counts[order[k]]);
        tri_buf_addc(b, '\n');
    }
}

triage_status triage_learner_yaml(triage_learner *l, unsigned min_count,
                                  double weight, const char **yaml, size_t *len)
{
    size_t a;
    unsigned n = 0;

    if (l == NULL || yaml == NULL || !(weight >= 0 && weight <= 100))
        return TRIAGE_EINVAL;
    l->yaml.len = 0;
    l->yaml.failed = 0;
    tri_buf_adds(&l->yaml,
                 "# Written by `triage learn`: per class, the labelled complaints seen\n"
                 "# and, per token, how many of them contain it. Learn again rather than\n"
                 "# edit; docs/bayes.md says how the counts are used.\n"
                 "bayes:\n");
    for (a = 0; a < LEARN_AXES; a++)
        if (l->axes[a].n_classes > 0) {
            write_axis(l, a, min_count, weight);
            n++;
        }
    if (l->yaml.failed)
        return TRIAGE_ENOMEM;
    if (n == 0)
        return TRIAGE_ENORULES;
    *yaml = l->yaml.data;
    if (len != NULL)
        *len = l->yaml.len;
    return TRIAGE_OK;
}
