/*
 * compile_bayes.c - the `bayes:` section: naive Bayes models written by
 * `triage learn`. Each model names its axis, its classes (vocabulary
 * values), the documents seen per class and one line per token:
 * "TOKEN COUNT COUNT ...", a count per class.
 */
#include <stdlib.h>
#include <string.h>
#include "compile_int.h"

static const char *const model_keys[] = { "id", "axis", "weight", "base",
    "smoothing", "temperature", "raise", "classes", "docs", "tokens", NULL };

/* The axes a model may serve: the voting ones, and severity, which a
 * model can only raise (levels come from the escalation table). */
static int axis_of(const char *name, uint32_t *axis)
{
    static const triage_axis voting[] = { TRIAGE_AXIS_TYPE, TRIAGE_AXIS_NATURE,
                                          TRIAGE_AXIS_TEMPERAMENT, TRIAGE_AXIS_SEVERITY };
    size_t i;

    for (i = 0; i < sizeof voting / sizeof voting[0]; i++)
        if (strcmp(name, tri_axis_names[voting[i]]) == 0) {
            *axis = voting[i];
            return 1;
        }
    return 0;
}

/* Pool offsets of the tokens seen so far, for the repeated-token check. */
struct token_set {
    uint32_t *slots;   /* pool offset + 1 */
    uint32_t mask;
};

/* 1 if the token was already in the set, else adds it (the set has room
 * for every line of the model). */
static int token_seen(struct tri_build *b, struct token_set *set, const char *tok,
                      size_t n, uint32_t off)
{
    uint32_t h = tri_bayes_hash(tok, n) & set->mask;

    while (set->slots[h] != 0) {
        const char *old = tri_str(b->t, set->slots[h] - 1);

        if (strlen(old) == n && memcmp(old, tok, n) == 0)
            return 1;
        h = (h + 1) & set->mask;
    }
    set->slots[h] = off + 1;
    return 0;
}

/* One token line: the token, then n_classes counts. */
static int token_line(struct tri_build *b, const struct tri_ynode *line,
                      uint32_t n_classes, uint32_t *counts, size_t *tok_len)
{
    const char *s = line->str, *p;
    uint32_t k;

    *tok_len = strcspn(s, " ");
    if (*tok_len == 0) {
        tri_err(b, line, TRIAGE_ERULE_SCHEMA, "a token line is \"TOKEN COUNT...\"");
        return 0;
    }
    p = s + *tok_len;
    for (k = 0; k < n_classes; k++) {
        char *end;
        unsigned long v;

        while (*p == ' ')
            p++;
        if (*p < '0' || *p > '9') {
            tri_err(b, line, TRIAGE_ERULE_SCHEMA,
                    "token '%.*s' has %u count(s), the model has %u classes",
                    (int)*tok_len, s, k, n_classes);
            return 0;
        }
        v = strtoul(p, &end, 10);
        if (v > UINT32_MAX / 2) {
            tri_err(b, line, TRIAGE_ERULE_SCHEMA, "count too large in token '%.*s'",
                    (int)*tok_len, s);
            return 0;
        }
        counts[k] = (uint32_t)v;
        p = end;
    }
    while (*p == ' ')
        p++;
    if (*p != '\0') {
        tri_err(b, line, TRIAGE_ERULE_SCHEMA,
                "token '%.*s' has more counts than the model's %u classes",
                (int)*tok_len, s, n_classes);
        return 0;
    }
    return 1;
}

/* The tokens, appended to u32s as offsets, then their counts. */
static void model_tokens(struct tri_build *b, struct tri_bayes *m,
                         const struct tri_ynode *seq)
{
    struct token_set set = { NULL, 0 };
    uint32_t *counts = NULL, cap = 16, k;
    size_t i, n;

    if (!tri_expect(b, seq, TRI_Y_SEQ, "tokens"))
        return;
    if (seq->n >= (1u << 24)) {
        tri_err(b, seq, TRIAGE_ELIMIT, "a model holds at most 16777215 tokens");
        return;
    }
    while (cap < 2 * seq->n)
        cap *= 2;
    set.slots = tri_calloc(cap, sizeof *set.slots);
    set.mask = cap - 1;
    counts = tri_malloc((seq->n * m->n_classes + 1) * sizeof *counts);
    if (set.slots == NULL || counts == NULL) {
        tri_err(b, seq, TRIAGE_ENOMEM, "out of memory");
        goto done;
    }
    m->tokens_first = tri_u32_count(b);
    for (i = 0; i < seq->n; i++) {
        const struct tri_ynode *line = seq->kids[i];
        uint32_t off;

        if (line->kind != TRI_Y_SCALAR) {
            tri_err(b, line, TRIAGE_ERULE_SCHEMA, "a token line is \"TOKEN COUNT...\"");
            continue;
        }
        if (!token_line(b, line, m->n_classes, counts + m->n_tokens * m->n_classes, &n) ||
            tri_pool_add(b->t, line->str, n, &off) != TRIAGE_OK)
            continue;
        if (token_seen(b, &set, line->str, n, off)) {
            tri_err(b, line, TRIAGE_ERULE_SCHEMA, "token '%.*s' is listed twice",
                    (int)n, line->str);
            continue;
        }
        tri_u32_push(b, off);
        m->n_tokens++;
    }
    m->counts_first = tri_u32_count(b);
    for (k = 0; k < m->n_tokens * m->n_classes; k++)
        tri_u32_push(b, counts[k]);
done:
    tri_free(set.slots);
    tri_free(counts);
}

static void model_classes(struct tri_build *b, struct tri_bayes *m,
                          const struct tri_ynode *classes, const struct tri_ynode *docs)
{
    size_t i, j;
    uint32_t sum = 0, v;

    if (!tri_expect(b, classes, TRI_Y_SEQ, "classes") ||
        !tri_expect(b, docs, TRI_Y_SEQ, "docs"))
        return;
    if (classes->n == 0 || classes->n > TRI_BAYES_MAX_CLASSES) {
        tri_err(b, classes, TRIAGE_ERULE_SCHEMA, "a model has 1 to %u classes",
                TRI_BAYES_MAX_CLASSES);
        return;
    }
    if (docs->n != classes->n) {
        tri_err(b, docs, TRIAGE_ERULE_SCHEMA, "%zu docs counts for %zu classes",
                docs->n, classes->n);
        return;
    }
    m->classes_first = tri_u32_count(b);
    for (i = 0; i < classes->n; i++) {
        uint32_t c = tri_vocab_ref(b, m->axis, classes->kids[i]);
        const uint32_t *u = (const uint32_t *)b->u32s.data;

        for (j = 0; j < i && c != TRI_NONE; j++)
            if (u[m->classes_first + j] == c)
                tri_err(b, classes->kids[i], TRIAGE_ERULE_SCHEMA,
                        "class '%s' is listed twice", classes->kids[i]->str);
        tri_u32_push(b, c == TRI_NONE ? 0 : c);
    }
    m->docs_first = tri_u32_count(b);
    for (i = 0; i < docs->n; i++) {
        if (!tri_get_uint(b, docs->kids[i], 0, UINT32_MAX / 2, &v))
            v = 0;
        sum += v;
        tri_u32_push(b, v);
    }
    if (sum == 0)
        tri_err(b, docs, TRIAGE_ERULE_SCHEMA, "the model has seen no documents");
    m->n_classes = (uint32_t)classes->n;
}

static void model_compile(struct tri_build *b, const struct tri_ynode *n,
                          uint32_t *axes_seen)
{
    struct tri_bayes m;
    const struct tri_ynode *v;

    memset(&m, 0, sizeof m);
    m.weight = 0.75;
    m.base = 4;
    m.smoothing = 0.5;
    m.temperature = 1;
    if (!tri_expect(b, n, TRI_Y_MAP, "a bayes model"))
        return;
    tri_check_keys(b, n, model_keys, "a bayes model");
    v = tri_map_get(n, "id");
    if (v == NULL || v->kind != TRI_Y_SCALAR || v->len == 0) {
        tri_err(b, n, TRIAGE_ERULE_SCHEMA, "a bayes model needs an id");
        return;
    }
    tri_pool_add(b->t, v->str, v->len, &m.id);
    tri_pool_add(b->t, b->file, strlen(b->file), &m.file);
    m.line = v->line;
    m.column = v->col;
    v = tri_map_get(n, "axis");
    if (v == NULL || v->kind != TRI_Y_SCALAR || !axis_of(v->str, &m.axis)) {
        tri_err(b, v ? v : n, TRIAGE_ERULE_SCHEMA,
                "a bayes model's axis is type, nature, temperament or severity");
        return;
    }
    if (*axes_seen & (1u << m.axis)) {
        tri_err(b, v, TRIAGE_ERULE_SCHEMA, "a second bayes model for axis %s", v->str);
        return;
    }
    *axes_seen |= 1u << m.axis;
    if (m.axis == TRIAGE_AXIS_SEVERITY) {
        /* severity is the highest a rule found: a model may only raise it */
        m.weight = 0;
        if ((v = tri_map_get(n, "weight")) != NULL)
            tri_err(b, v, TRIAGE_ERULE_SCHEMA, "a severity model has 'raise', not 'weight'");
        if ((v = tri_map_get(n, "raise")) == NULL)
            tri_err(b, n, TRIAGE_ERULE_SCHEMA, "a severity model needs 'raise' (0.5 to 1)");
        else
            tri_get_double(b, v, 0.5, 1, &m.raise);
    } else if ((v = tri_map_get(n, "raise")) != NULL) {
        tri_err(b, v, TRIAGE_ERULE_SCHEMA, "'raise' is for a severity model");
    }
    if ((v = tri_map_get(n, "weight")) != NULL && m.axis != TRIAGE_AXIS_SEVERITY)
        tri_get_double(b, v, 0, 100, &m.weight);
    if ((v = tri_map_get(n, "base")) != NULL)
        tri_get_double(b, v, 0, 1e6, &m.base);
    if ((v = tri_map_get(n, "smoothing")) != NULL)
        tri_get_double(b, v, 1e-6, 100, &m.smoothing);
    if ((v = tri_map_get(n, "temperature")) != NULL)
        tri_get_double(b, v, 1, 100, &m.temperature);
    if (tri_map_get(n, "classes") == NULL || tri_map_get(n, "docs") == NULL ||
        tri_map_get(n, "tokens") == NULL) {
        tri_err(b, n, TRIAGE_ERULE_SCHEMA, "a bayes model needs classes, docs and tokens");
        return;
    }
    model_classes(b, &m, tri_map_get(n, "classes"), tri_map_get(n, "docs"));
    if (m.n_classes == 0)
        return;
    model_tokens(b, &m, tri_map_get(n, "tokens"));
    if (tri_buf_add(&b->bayes, &m, sizeof m) != TRIAGE_OK)
        tri_err(b, n, TRIAGE_ENOMEM, "out of memory");
}

triage_status tri_bayes_compile(struct tri_build *b, const struct tri_ynode *seq)
{
    size_t i;
    uint32_t axes = 0;
    const struct tri_bayes *m = (const struct tri_bayes *)b->bayes.data;

    for (i = 0; i < b->bayes.len / sizeof *m; i++)
        axes |= 1u << m[i].axis;
    if (!tri_expect(b, seq, TRI_Y_SEQ, "bayes"))
        return TRIAGE_ERULE_SCHEMA;
    for (i = 0; i < seq->n; i++)
        model_compile(b, seq->kids[i], &axes);
    return TRIAGE_OK;
}
