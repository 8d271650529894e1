/*
 * batch_summary.c - counting for `triage batch --summary`.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "batch_input.h"
#include "batch_summary.h"

/* Top-level case ids and repeat customers listed in a text summary; a
 * .json one has all. */
#define TEXT_TOP_MAX 50

static const char *const names[SUM_AXES] = { "type", "nature", "severity",
    "temperament", "escalation", "month", "rules", "repeat_customers" };

static uint64_t hash_of(const char *key)
{
    uint64_t h = 0xcbf29ce484222325ull;   /* FNV-1a */

    for (; *key != '\0'; key++)
        h = (h ^ (unsigned char)*key) * 0x100000001b3ull;
    return h ^ h >> 29;
}

/* The slot holding 'key' (hash 'h'), or the empty slot where it would go. */
static size_t slot_of(const struct tally *t, const char *key, uint64_t h)
{
    size_t mask = t->n_slots - 1, i = (size_t)h & mask;
    uint32_t tag = (uint32_t)(h >> 32);

    while (t->slots[i].item != 0 &&
           (t->slots[i].tag != tag || strcmp(t->keys[t->slots[i].item - 1], key) != 0))
        i = (i + 1) & mask;
    return i;
}

static void put_slot(struct tally *t, size_t i, size_t item, uint64_t h)
{
    t->slots[i].item = (uint32_t)item;
    t->slots[i].tag = (uint32_t)(h >> 32);
}

/* Room for one more key: the arrays and an index at most half full. */
static int make_room(struct tally *t)
{
    if (t->n >= UINT32_MAX - 1)
        return -1;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        char **keys = realloc(t->keys, cap * sizeof *keys);
        unsigned long *counts;

        if (keys == NULL)
            return -1;
        t->keys = keys;
        counts = realloc(t->counts, cap * sizeof *counts);
        if (counts == NULL)
            return -1;
        t->counts = counts;
        t->cap = cap;
    }
    if (2 * (t->n + 1) > t->n_slots) {
        size_t n_slots = t->n_slots ? t->n_slots * 2 : 32, i;
        struct tally_slot *old = t->slots;

        t->slots = calloc(n_slots, sizeof *t->slots);
        if (t->slots == NULL) {
            t->slots = old;
            return -1;
        }
        free(old);
        t->n_slots = n_slots;
        for (i = 0; i < t->n; i++) {
            uint64_t h = hash_of(t->keys[i]);

            put_slot(t, slot_of(t, t->keys[i], h), i + 1, h);
        }
    }
    return 0;
}

int tally_add(struct tally *t, const char *key)
{
    uint64_t h = hash_of(key);
    size_t i;
    char *copy;

    if (t->n_slots > 0) {
        i = slot_of(t, key, h);
        if (t->slots[i].item != 0) {
            t->counts[t->slots[i].item - 1]++;
            return 0;
        }
    }
    if (make_room(t) != 0 || (copy = strdup(key)) == NULL)
        return -1;
    t->keys[t->n] = copy;
    t->counts[t->n++] = 1;
    put_slot(t, slot_of(t, key, h), t->n, h);
    return 0;
}

int summary_add(struct batch_summary *s, const struct batch_facts *f,
                const char *id, const char *date, const char *customer)
{
    char month[8];
    size_t i;
    int rc = 0;

    rc |= tally_add(&s->t[SUM_TYPE], f->type);
    rc |= tally_add(&s->t[SUM_NATURE], f->nature);
    rc |= tally_add(&s->t[SUM_SEVERITY], f->severity);
    rc |= tally_add(&s->t[SUM_TEMPERAMENT], f->temperament);
    rc |= tally_add(&s->t[SUM_LEVEL], f->level);
    if (date != NULL)
        rc |= tally_add(&s->t[SUM_MONTH], batch_parse_month(date, month) ? month : "unknown");
    for (i = 0; i < f->n_fired; i++)
        rc |= tally_add(&s->t[SUM_RULE], f->fired[i]);
    if (customer != NULL && *customer != '\0')
        rc |= tally_add(&s->t[SUM_CUSTOMER], customer);
    if (s->top_level != NULL && strcmp(f->level, s->top_level) == 0)
        rc |= tally_add(&s->urgent, id);
    return rc;
}

static int by_count(const void *a, const void *b, void *t)
{
    const struct tally *ty = t;
    unsigned long x = ty->counts[*(const size_t *)a], y = ty->counts[*(const size_t *)b];

    return x < y ? 1 : x > y ? -1 : (int)(*(const size_t *)a - *(const size_t *)b);
}

static json_t *tally_json(const struct tally *t, unsigned long total, int axis)
{
    size_t *order = malloc((t->n + 1) * sizeof *order), i;
    json_t *o = json_array();

    for (i = 0; i < t->n; i++)
        order[i] = i;
    if (axis != SUM_MONTH)
        qsort_r(order, t->n, sizeof *order, by_count, (void *)t);
    for (i = 0; i < t->n; i++) {
        size_t k = order[i];

        if (axis == SUM_CUSTOMER && t->counts[k] < 2)
            continue;   /* repeat complainers only */
        if (axis == SUM_RULE && i >= 20)
            break;
        json_array_append_new(o, json_pack("{s:s,s:I,s:f}", "value", t->keys[k],
            "count", (json_int_t)t->counts[k],
            "share", total ? (double)t->counts[k] / (double)total : 0.0));
    }
    free(order);
    return o;
}

int summary_write(const struct batch_summary *s, const char *path)
{
    json_t *j = json_object(), *urgent = json_array(), *v;
    size_t n = strlen(path), i, k;
    FILE *fp;
    const char *key;
    int a;

    for (i = 0; i < s->urgent.n; i++)
        json_array_append_new(urgent, json_string(s->urgent.keys[i]));
    json_object_set_new(j, "top_level", json_string(s->top_level ? s->top_level : ""));
    json_object_set_new(j, "top_level_cases", urgent);
    json_object_set_new(j, "counts", json_pack("{s:I,s:I,s:I}", "read",
        (json_int_t)s->read, "triaged", (json_int_t)s->triaged,
        "errors", (json_int_t)s->errors));
    for (a = 0; a < SUM_AXES; a++)
        json_object_set_new(j, names[a], tally_json(&s->t[a], s->triaged, a));
    fp = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
    if (fp == NULL) {
        json_decref(j);
        return -1;
    }
    if (n > 5 && strcmp(path + n - 5, ".json") == 0) {
        json_dumpf(j, fp, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
        fputc('\n', fp);
    } else {
        fprintf(fp, "read %lu, triaged %lu, error records %lu\n", s->read,
                s->triaged, s->errors);
        /* A person reads this: the first ids, and where the rest are. */
        fprintf(fp, "\n%s cases (%zu):", s->top_level ? s->top_level : "top-level", s->urgent.n);
        for (i = 0; i < s->urgent.n && i < TEXT_TOP_MAX; i++)
            fprintf(fp, " %s", s->urgent.keys[i]);
        if (s->urgent.n > TEXT_TOP_MAX)
            fprintf(fp, " ... and %zu more (all of them in a .json summary)",
                    s->urgent.n - TEXT_TOP_MAX);
        fputc('\n', fp);
        json_object_foreach(j, key, v) {
            if (!json_is_array(v) || strcmp(key, "top_level_cases") == 0)
                continue;
            fprintf(fp, "\n%s:\n", key);
            for (k = 0; k < json_array_size(v) && k < TEXT_TOP_MAX; k++) {
                json_t *e = json_array_get(v, k);

                fprintf(fp, "  %-28s %8lld %6.1f%%\n",
                        json_string_value(json_object_get(e, "value")),
                        (long long)json_integer_value(json_object_get(e, "count")),
                        100 * json_real_value(json_object_get(e, "share")));
            }
            if (json_array_size(v) > TEXT_TOP_MAX)   /* repeat customers */
                fprintf(fp, "  ... and %zu more (all of them in a .json summary)\n",
                        json_array_size(v) - TEXT_TOP_MAX);
        }
    }
    json_decref(j);
    return fp == stdout ? (fflush(fp) != 0) : (fclose(fp) != 0);
}

void summary_free(struct batch_summary *s)
{
    size_t i;
    int a;

    for (a = 0; a <= SUM_AXES; a++) {
        struct tally *t = a == SUM_AXES ? &s->urgent : &s->t[a];

        for (i = 0; i < t->n; i++)
            free(t->keys[i]);
        free(t->keys);
        free(t->counts);
        free(t->slots);
    }
    memset(s, 0, sizeof *s);
}
