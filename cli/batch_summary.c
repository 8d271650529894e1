/*
 * batch_summary.c - counting for `triage batch --summary`.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "batch_input.h"
#include "batch_internal.h"   /* batch_utf8_seq */
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
    size_t i = *(const size_t *)a, k = *(const size_t *)b;
    unsigned long x = ty->counts[i], y = ty->counts[k];

    return x < y ? 1 : x > y ? -1 : i < k ? -1 : i > k;
}

/* The keys one axis lists, as indexes into its tally: most frequent first
 * (months in the order met), repeat customers only, the top 20 rules. */
struct rows {
    size_t *k, n;
};

static int axis_rows(const struct tally *t, int axis, struct rows *r)
{
    size_t i;

    r->n = 0;
    r->k = malloc((t->n + 1) * sizeof *r->k);
    if (r->k == NULL)
        return -1;
    for (i = 0; i < t->n; i++)
        r->k[i] = i;
    if (axis != SUM_MONTH)
        qsort_r(r->k, t->n, sizeof *r->k, by_count, (void *)t);
    for (i = 0; i < t->n; i++) {
        if (axis == SUM_CUSTOMER && t->counts[r->k[i]] < 2)
            continue;
        if (axis == SUM_RULE && i >= 20)
            break;
        r->k[r->n++] = r->k[i];
    }
    return 0;
}

/* A string as jansson writes one: ", \, and control bytes escaped, UTF-8
 * as it is (a byte that is not UTF-8 becomes U+FFFD). */
static void put_str(FILE *fp, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s), n;

    fputc('"', fp);
    while (left > 0) {
        if (*p >= 0x80) {
            n = batch_utf8_seq(p, left);
            if (n == 0 || n == (size_t)-1) {
                fputs("\xef\xbf\xbd", fp);
                n = 1;
            } else {
                fwrite(p, 1, n, fp);
            }
            p += n;
            left -= n;
            continue;
        }
        switch (*p) {
        case '"': fputs("\\\"", fp); break;
        case '\\': fputs("\\\\", fp); break;
        case '\b': fputs("\\b", fp); break;
        case '\f': fputs("\\f", fp); break;
        case '\n': fputs("\\n", fp); break;
        case '\r': fputs("\\r", fp); break;
        case '\t': fputs("\\t", fp); break;
        default:
            if (*p < 0x20)
                fprintf(fp, "\\u%04X", *p);
            else
                fputc(*p, fp);
        }
        p++;
        left--;
    }
    fputc('"', fp);
}

/* A real as jansson writes one: %.17g, ".0" when that looks like an
 * integer, no '+' or leading zeros in the exponent. */
static void put_real(FILE *fp, double v)
{
    char b[40], *e;

    snprintf(b, sizeof b - 2, "%.17g", v);
    if (strchr(b, '.') == NULL && strchr(b, 'e') == NULL)
        strcat(b, ".0");
    if ((e = strchr(b, 'e')) != NULL) {
        char *start = e + 1, *end = start + 1;

        if (*start == '-')
            start++;
        while (*end == '0')
            end++;
        memmove(start, end, strlen(end) + 1);
    }
    fputs(b, fp);
}

static double share(unsigned long count, unsigned long total)
{
    return total ? (double)count / (double)total : 0.0;
}

/* The summary as JSON, laid out as json_dumpf with JSON_INDENT(1) did when
 * it was built as a jansson tree; written as it goes, since a year's log
 * can list hundreds of thousands of repeat customers. */
static void write_json(FILE *fp, const struct batch_summary *s, const struct rows *rows)
{
    size_t i;
    int a;

    fputs("{\n \"top_level\": ", fp);
    put_str(fp, s->top_level ? s->top_level : "");
    fputs(",\n \"top_level_cases\": [", fp);
    for (i = 0; i < s->urgent.n; i++) {
        fputs(i ? ",\n  " : "\n  ", fp);
        put_str(fp, s->urgent.keys[i]);
    }
    fputs(s->urgent.n ? "\n ],\n" : "],\n", fp);
    fprintf(fp, " \"counts\": {\n  \"read\": %lu,\n  \"triaged\": %lu,\n  \"errors\": %lu\n },",
            s->read, s->triaged, s->errors);
    for (a = 0; a < SUM_AXES; a++) {
        const struct tally *t = &s->t[a];

        fprintf(fp, "\n \"%s\": [", names[a]);
        for (i = 0; i < rows[a].n; i++) {
            size_t k = rows[a].k[i];

            fputs(i ? ",\n  {\n   \"value\": " : "\n  {\n   \"value\": ", fp);
            put_str(fp, t->keys[k]);
            fprintf(fp, ",\n   \"count\": %lu,\n   \"share\": ", t->counts[k]);
            put_real(fp, share(t->counts[k], s->triaged));
            fputs("\n  }", fp);
        }
        fputs(rows[a].n ? "\n ]" : "]", fp);
        if (a + 1 < SUM_AXES)
            fputc(',', fp);
    }
    fputs("\n}\n", fp);
}

/* The summary for a person: the first ids and rows, and where the rest are. */
static void write_text(FILE *fp, const struct batch_summary *s, const struct rows *rows)
{
    size_t i;
    int a;

    fprintf(fp, "read %lu, triaged %lu, error records %lu\n", s->read, s->triaged,
            s->errors);
    fprintf(fp, "\n%s cases (%zu):", s->top_level ? s->top_level : "top-level", s->urgent.n);
    for (i = 0; i < s->urgent.n && i < TEXT_TOP_MAX; i++)
        fprintf(fp, " %s", s->urgent.keys[i]);
    if (s->urgent.n > TEXT_TOP_MAX)
        fprintf(fp, " ... and %zu more (all of them in a .json summary)",
                s->urgent.n - TEXT_TOP_MAX);
    fputc('\n', fp);
    for (a = 0; a < SUM_AXES; a++) {
        const struct tally *t = &s->t[a];

        fprintf(fp, "\n%s:\n", names[a]);
        for (i = 0; i < rows[a].n && i < TEXT_TOP_MAX; i++) {
            size_t k = rows[a].k[i];

            fprintf(fp, "  %-28s %8lu %6.1f%%\n", t->keys[k], t->counts[k],
                    100 * share(t->counts[k], s->triaged));
        }
        if (rows[a].n > TEXT_TOP_MAX)   /* repeat customers */
            fprintf(fp, "  ... and %zu more (all of them in a .json summary)\n",
                    rows[a].n - TEXT_TOP_MAX);
    }
}

int summary_write(const struct batch_summary *s, const char *path)
{
    struct rows rows[SUM_AXES];
    size_t n = strlen(path);
    int a, made = 0, rc = -1;
    FILE *fp = NULL;

    for (; made < SUM_AXES; made++)
        if (axis_rows(&s->t[made], made, &rows[made]) != 0)
            goto done;
    fp = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
    if (fp == NULL)
        goto done;
    if (n > 5 && strcmp(path + n - 5, ".json") == 0)
        write_json(fp, s, rows);
    else
        write_text(fp, s, rows);
    rc = ferror(fp) != 0;
    rc |= fp == stdout ? fflush(fp) != 0 : fclose(fp) != 0;
done:
    for (a = 0; a < made; a++)
        free(rows[a].k);
    return rc;
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
