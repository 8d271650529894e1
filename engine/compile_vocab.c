/*
 * compile_vocab.c - vocabularies (declared or open), defaults and the
 * ruleset header. Declared axes reject unknown values; open axes grow in
 * order of first use.
 */
#include <stdio.h>
#include <string.h>
#include "compile_int.h"

static const char *const axis_keys[TRIAGE_AXIS_COUNT] = {
    "types", "natures", "severities", "temperaments", "levels", "tags"
};
const char *const tri_axis_names[TRIAGE_AXIS_COUNT] = {
    "type", "nature", "severity", "temperament", "level", "tag"
};

static struct tri_vocab_entry *ventries(struct tri_build *b, triage_axis a,
                                        uint32_t *count)
{
    *count = (uint32_t)(b->vaxis[a].len / sizeof(struct tri_vocab_entry));
    return (struct tri_vocab_entry *)b->vaxis[a].data;
}

static uint32_t vfind(struct tri_build *b, triage_axis a, const char *name)
{
    uint32_t i, n;
    struct tri_vocab_entry *e = ventries(b, a, &n);

    for (i = 0; i < n; i++)
        if (strcmp(tri_str(b->t, e[i].name), name) == 0)
            return i;
    return TRI_NONE;
}

static uint32_t vadd(struct tri_build *b, triage_axis a, const char *name,
                     const char *team, double hours)
{
    struct tri_vocab_entry e;
    uint32_t n;

    memset(&e, 0, sizeof e);
    e.team = e.data = TRI_NONE;
    e.hours = hours;
    if (tri_pool_add(b->t, name, strlen(name), &e.name) != TRIAGE_OK ||
        (team && tri_pool_add(b->t, team, strlen(team), &e.team) != TRIAGE_OK) ||
        tri_buf_add(&b->vaxis[a], &e, sizeof e) != TRIAGE_OK) {
        tri_err(b, NULL, TRIAGE_ENOMEM, "out of memory");
        return TRI_NONE;
    }
    ventries(b, a, &n);
    return n - 1;
}

/* Tag data: a flat mapping of scalars, kept as JSON members. */
static void tag_data(struct tri_build *b, struct tri_vocab_entry *e,
                     const struct tri_ynode *data)
{
    struct tri_buf json = { 0 };
    size_t i;

    if (!tri_expect(b, data, TRI_Y_MAP, "tag data"))
        return;
    for (i = 0; i + 1 < data->n; i += 2) {
        const struct tri_ynode *k = data->kids[i], *v = data->kids[i + 1];

        if (!tri_expect(b, v, TRI_Y_SCALAR, "a tag data value"))
            continue;
        if (json.len)
            tri_buf_addc(&json, ',');
        tri_buf_json_str(&json, k->str, k->len);
        tri_buf_addc(&json, ':');
        if (v->plain && v->len && strspn(v->str, "0123456789.-") == v->len)
            tri_buf_add(&json, v->str, v->len);
        else if (v->plain && (!strcmp(v->str, "true") || !strcmp(v->str, "false")))
            tri_buf_adds(&json, v->str);
        else
            tri_buf_json_str(&json, v->str, v->len);
    }
    if (json.failed || (json.len && tri_pool_add(b->t, json.data, json.len,
                                                 &e->data) != TRIAGE_OK))
        tri_err(b, data, TRIAGE_ENOMEM, "out of memory");
    tri_buf_free(&json);
}

static const char *const level_keys[] = { "id", "team", "hours", "title", NULL };
static const char *const tag_keys[] = { "id", "data", "title", NULL };

static void declare_entry(struct tri_build *b, triage_axis a,
                          const struct tri_ynode *item)
{
    const struct tri_ynode *id = item, *v;
    double hours = 24;
    uint32_t idx, n;

    if (item->kind == TRI_Y_MAP && (a == TRIAGE_AXIS_LEVEL || a == TRIAGE_AXIS_TAG)) {
        tri_check_keys(b, item, a == TRIAGE_AXIS_LEVEL ? level_keys : tag_keys,
                       a == TRIAGE_AXIS_LEVEL ? "a level" : "a tag");
        id = tri_map_get(item, "id");
        if (id == NULL) {
            tri_err(b, item, TRIAGE_ERULE_SCHEMA, "%s without an id", tri_axis_names[a]);
            return;
        }
    }
    if (!tri_expect(b, id, TRI_Y_SCALAR, tri_axis_names[a]))
        return;
    if (vfind(b, a, id->str) != TRI_NONE) {
        tri_err(b, id, TRIAGE_ERULE_SCHEMA, "%s '%s' declared twice",
                tri_axis_names[a], id->str);
        return;
    }
    if ((v = tri_map_get(item, "hours")) != NULL && !tri_get_double(b, v, 0, 8760, &hours))
        return;
    v = tri_map_get(item, "team");
    if (v != NULL && !tri_expect(b, v, TRI_Y_SCALAR, "team"))
        return;
    idx = vadd(b, a, id->str, v ? v->str : NULL, hours);
    if (idx != TRI_NONE && (v = tri_map_get(item, "data")) != NULL)
        tag_data(b, &ventries(b, a, &n)[idx], v);
}

triage_status tri_vocab_declare(struct tri_build *b, const struct tri_ynode *root)
{
    static const char *const keys[] = { "types", "natures", "severities",
                                        "temperaments", "levels", "tags", NULL };
    int a;
    size_t i;

    if (!tri_expect(b, root, TRI_Y_MAP, "vocabulary"))
        return TRIAGE_ERULE_SCHEMA;
    tri_check_keys(b, root, keys, "vocabulary");
    for (a = 0; a < TRIAGE_AXIS_COUNT; a++) {
        const struct tri_ynode *seq = tri_map_get(root, axis_keys[a]);

        if (seq == NULL || !tri_expect(b, seq, TRI_Y_SEQ, axis_keys[a]))
            continue;
        if (b->declared[a]) {
            tri_err(b, seq, TRIAGE_ERULE_SCHEMA,
                    "vocabulary '%s' declared a second time", axis_keys[a]);
            continue;
        }
        b->declared[a] = 1;
        if (seq->n == 0)
            tri_err(b, seq, TRIAGE_ERULE_SCHEMA, "vocabulary '%s' is empty",
                    axis_keys[a]);
        for (i = 0; i < seq->n; i++)
            declare_entry(b, (triage_axis)a, seq->kids[i]);
    }
    return TRIAGE_OK;
}

/* Open axes that need an order or data get the documented defaults. */
void tri_vocab_seed(struct tri_build *b)
{
    static const char *const sev[] = { "low", "medium", "high", "critical" };
    char team[24], name[16];   /* room for any int: -Wformat-truncation */
    int i;

    if (!b->declared[TRIAGE_AXIS_SEVERITY])
        for (i = 0; i < 4; i++)
            if (vfind(b, TRIAGE_AXIS_SEVERITY, sev[i]) == TRI_NONE)
                vadd(b, TRIAGE_AXIS_SEVERITY, sev[i], NULL, 0);
    if (!b->declared[TRIAGE_AXIS_LEVEL])
        for (i = 0; i < 5; i++) {
            snprintf(name, sizeof name, "L%d", i);
            snprintf(team, sizeof team, "level_%d", i);
            if (vfind(b, TRIAGE_AXIS_LEVEL, name) == TRI_NONE)
                vadd(b, TRIAGE_AXIS_LEVEL, name, team, 24);
        }
}

uint32_t tri_vocab_ref(struct tri_build *b, triage_axis a,
                       const struct tri_ynode *n)
{
    uint32_t idx;

    if (!tri_expect(b, n, TRI_Y_SCALAR, tri_axis_names[a]))
        return TRI_NONE;
    idx = vfind(b, a, n->str);
    if (idx != TRI_NONE)
        return idx;
    if (b->declared[a]) {
        tri_err(b, n, TRIAGE_ERULE_SCHEMA, "unknown %s '%s' (not in vocabulary '%s')",
                tri_axis_names[a], n->str, axis_keys[a]);
        return TRI_NONE;
    }
    if (n->len == 0) {
        tri_err(b, n, TRIAGE_ERULE_SCHEMA, "empty %s", tri_axis_names[a]);
        return TRI_NONE;
    }
    return vadd(b, a, n->str, a == TRIAGE_AXIS_LEVEL ? "unassigned" : NULL, 24);
}

/* A default not given falls back to a well-known name, else the first value. */
static uint32_t default_value(struct tri_build *b, triage_axis a, const char *name)
{
    uint32_t idx = vfind(b, a, name), n;

    if (idx != TRI_NONE)
        return idx;
    if (!b->declared[a])
        return vadd(b, a, name, NULL, 0);
    ventries(b, a, &n);
    return n ? 0 : TRI_NONE;
}

/* A list of up to 'max' names of axis a into out[], *n of them. */
static int name_list(struct tri_build *b, const struct tri_ynode *v, triage_axis a,
                     const char *what, uint32_t max, uint32_t *out, uint32_t *n)
{
    size_t i;

    if (!tri_expect(b, v, TRI_Y_SEQ, what))
        return 0;
    if (v->n == 0 || v->n > max) {
        tri_err(b, v, TRIAGE_ERULE_SCHEMA, "%s lists 1 to %u names", what, max);
        return 0;
    }
    for (i = 0; i < v->n; i++)
        if ((out[(*n)++] = tri_vocab_ref(b, a, v->kids[i])) == TRI_NONE)
            return 0;
    return 1;
}

/* One entry of defaults.precedence: { type, over: [...], ratio, min_score,
 * tags: [...] }. */
static void precedence_entry(struct tri_build *b, const struct tri_ynode *n)
{
    static const char *const keys[] = { "type", "over", "ratio", "min_score", "tags", NULL };
    struct tri_defaults *d = &b->t->defaults;
    struct tri_precedence *p;
    const struct tri_ynode *type, *over, *v;

    if (!tri_expect(b, n, TRI_Y_MAP, "a precedence"))
        return;
    if (d->n_precedence == TRI_MAX_PRECEDENCE) {
        tri_err(b, n, TRIAGE_ERULE_SCHEMA, "more than %u precedence entries",
                TRI_MAX_PRECEDENCE);
        return;
    }
    tri_check_keys(b, n, keys, "a precedence");
    p = &d->precedence[d->n_precedence];
    memset(p, 0, sizeof *p);
    p->ratio = 0.5;
    if ((type = tri_map_get(n, "type")) == NULL || (over = tri_map_get(n, "over")) == NULL) {
        tri_err(b, n, TRIAGE_ERULE_SCHEMA, "a precedence needs 'type' and 'over'");
        return;
    }
    if ((p->type = tri_vocab_ref(b, TRIAGE_AXIS_TYPE, type)) == TRI_NONE ||
        !name_list(b, over, TRIAGE_AXIS_TYPE, "'over'", TRI_MAX_PRECEDENCE_OVER, p->over,
                   &p->n_over))
        return;
    if ((v = tri_map_get(n, "tags")) != NULL &&
        !name_list(b, v, TRIAGE_AXIS_TAG, "'tags'", TRI_MAX_PRECEDENCE_TAGS, p->tags,
                   &p->n_tags))
        return;
    if ((v = tri_map_get(n, "ratio")) != NULL && !tri_get_double(b, v, 0, 1, &p->ratio))
        return;
    if ((v = tri_map_get(n, "min_score")) != NULL &&
        !tri_get_double(b, v, 0, 1e6, &p->min_score))
        return;
    d->n_precedence++;
}

triage_status tri_defaults_compile(struct tri_build *b, const struct tri_ynode *n)
{
    static const char *const keys[] = { "type", "nature", "severity", "temperament",
                                        "min_score", "also_ratio", "close_call",
                                        "precedence", NULL };
    static const triage_axis axes[] = { TRIAGE_AXIS_TYPE, TRIAGE_AXIS_NATURE,
                                        TRIAGE_AXIS_SEVERITY, TRIAGE_AXIS_TEMPERAMENT };
    struct tri_defaults *d = &b->t->defaults;
    uint32_t *slots[] = { &d->type, &d->nature, &d->severity, &d->temperament };
    const struct tri_ynode *v;
    size_t k;
    int i;

    if (!tri_expect(b, n, TRI_Y_MAP, "defaults"))
        return TRIAGE_ERULE_SCHEMA;
    if (b->have_defaults++)
        tri_err(b, n, TRIAGE_ERULE_SCHEMA, "defaults given a second time");
    tri_check_keys(b, n, keys, "defaults");
    for (i = 0; i < 4; i++)
        if ((v = tri_map_get(n, keys[i])) != NULL)
            *slots[i] = tri_vocab_ref(b, axes[i], v);
    if ((v = tri_map_get(n, "min_score")) != NULL)
        tri_get_double(b, v, 0, 1e6, &d->min_score);
    if ((v = tri_map_get(n, "also_ratio")) != NULL)
        tri_get_double(b, v, 0, 1, &d->also_ratio);
    if ((v = tri_map_get(n, "close_call")) != NULL)
        tri_get_double(b, v, 0, 1, &d->close_call);
    if ((v = tri_map_get(n, "precedence")) != NULL && tri_expect(b, v, TRI_Y_SEQ, "precedence"))
        for (k = 0; k < v->n; k++)
            precedence_entry(b, v->kids[k]);
    return TRIAGE_OK;
}

/* Concatenate the per-axis vocabularies into the table. */
triage_status tri_vocab_finish(struct tri_build *b)
{
    static const char *const names[] = { "other", "formal", "low", "phlegmatic" };
    struct tri_defaults *d = &b->t->defaults;
    uint32_t *slots[] = { &d->type, &d->nature, &d->severity, &d->temperament };
    struct tri_buf all = { 0 };
    uint32_t n;
    int a;

    for (a = 0; a < 4; a++)
        if (*slots[a] == TRI_NONE)
            *slots[a] = default_value(b, (triage_axis)a, names[a]);
    for (a = 0; a < TRIAGE_AXIS_COUNT; a++) {
        const struct tri_vocab_entry *e = ventries(b, (triage_axis)a, &n);

        b->t->vocab_first[a] = (uint32_t)(all.len / sizeof *e);
        b->t->vocab_count[a] = n;
        if (n && tri_buf_add(&all, e, n * sizeof *e) != TRIAGE_OK) {
            tri_buf_free(&all);
            return TRIAGE_ENOMEM;
        }
    }
    b->t->vocab = (struct tri_vocab_entry *)all.data;
    b->t->n_vocab = (uint32_t)(all.len / sizeof(struct tri_vocab_entry));
    return TRIAGE_OK;
}

triage_status tri_header_compile(struct tri_build *b, const struct tri_ynode *n)
{
    static const char *const keys[] = { "name", "version", "description", NULL };
    const struct tri_ynode *v;

    if (!tri_expect(b, n, TRI_Y_MAP, "ruleset"))
        return TRIAGE_ERULE_SCHEMA;
    tri_check_keys(b, n, keys, "ruleset");
    if (b->t->name != TRI_NONE) {
        tri_err(b, n, TRIAGE_ERULE_SCHEMA, "ruleset header given a second time");
        return TRIAGE_ERULE_SCHEMA;
    }
    if ((v = tri_map_get(n, "name")) != NULL && tri_expect(b, v, TRI_Y_SCALAR, "name"))
        tri_pool_add(b->t, v->str, v->len, &b->t->name);
    if ((v = tri_map_get(n, "version")) != NULL &&
        tri_expect(b, v, TRI_Y_SCALAR, "version"))
        tri_pool_add(b->t, v->str, v->len, &b->t->version);
    return TRIAGE_OK;
}
