/*
 * batch_line.c - the output line of one batch record (JSON Lines or CSV),
 * rendered by the worker that classified it. Formatting then runs on every
 * thread, and the writer only copies finished lines out in input order.
 */
#include <stdio.h>
#include <string.h>
#include "batch_internal.h"
#include "batch_run.h"

/* The CLI cannot go on without memory (as window_put). */
static void add(struct batch_buf *b, const char *s, size_t n)
{
    if (batch_buf_add(b, s, n) != TRIAGE_OK)
        abort();
}

#define ADD_LIT(b, s) add((b), (s), sizeof(s) - 1)

static void add_str(struct batch_buf *b, const char *s)
{
    add(b, s, strlen(s));
}

/* A decimal number: printf's parsing was a twentieth of batch time. */
static void add_ull(struct batch_buf *b, unsigned long long v)
{
    char d[24];
    size_t i = sizeof d;

    do {
        d[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    add(b, d + i, sizeof d - i);
}

/* A JSON string; bytes that are not UTF-8 become U+FFFD. */
static void json_str(struct batch_buf *b, const char *s, size_t n)
{
    size_t i = 0, run = 0;
    char esc[8];

    ADD_LIT(b, "\"");
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t k, want = c < 0x80 ? 1 : c >= 0xf0 && c < 0xf5 ? 4
                         : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;

        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            i++;            /* plain ASCII: part of the pending run */
            continue;
        }
        for (k = 1; want > 1 && k < want && i + k < n &&
                    ((unsigned char)s[i + k] & 0xc0) == 0x80; k++)
            ;
        if (want > 1 && k == want) {
            i += want;      /* a whole UTF-8 sequence: part of the run */
            continue;
        }
        add(b, s + run, i - run);   /* the run before this byte */
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            add(b, esc, 2);
        } else if (c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            add(b, esc, 6);
        } else {
            ADD_LIT(b, "\xef\xbf\xbd");
        }
        i += c < 0x80 || want == 0 ? 1 : k;
        run = i;
    }
    add(b, s + run, i - run);
    ADD_LIT(b, "\"");
}

/* A CSV field: quoted when it holds a comma, quote, line break or NUL
 * (written as a space, which no spreadsheet chokes on). */
static void csv_field(struct batch_buf *b, const char *s, size_t n, int first)
{
    size_t i, run;

    if (!first)
        ADD_LIT(b, ",");
    if (strcspn(s, ",\"\r\n") >= n && memchr(s, '\0', n) == NULL) {
        add(b, s, n);
        return;
    }
    ADD_LIT(b, "\"");
    for (i = run = 0; i < n; i++) {
        if (s[i] != '"' && s[i] != '\0')
            continue;
        add(b, s + run, i - run);
        if (s[i] == '"')
            ADD_LIT(b, "\"\"");
        else
            ADD_LIT(b, " ");
        run = i + 1;
    }
    add(b, s + run, n - run);
    ADD_LIT(b, "\"");
}

static void csv_str(struct batch_buf *b, const char *s)
{
    csv_field(b, s, strlen(s), 0);
}

/* Kept fields as take() in cmd_batch.c stored them: name NUL, length,
 * NUL, value NUL, so that values may hold NUL bytes. */
static const char *next_kept(const char *p, const char **name, const char **value,
                             size_t *len)
{
    *name = p;
    p += strlen(p) + 1;
    memcpy(len, p, sizeof *len);
    p += sizeof *len + 1;
    *value = p;
    return p + *len + 1;
}

void batch_csv_header(struct batch_buf *b, const char *const *keep, size_t n_keep)
{
    static const char *const cols[] = { "type", "confidence", "nature", "severity",
        "temperament", "level", "team", "hours", "scripts", "rules", "flags", "error" };
    size_t i;

    csv_field(b, "id", 2, 1);
    for (i = 0; i < n_keep; i++)
        csv_str(b, keep[i]);
    for (i = 0; i < sizeof cols / sizeof cols[0]; i++)
        csv_str(b, cols[i]);
    ADD_LIT(b, "\r\n");
}

/* Scripts or fired rules as one field of space-separated ids. */
static void csv_ids(struct batch_buf *b, const triage_result *r, int fired)
{
    struct batch_buf list = { NULL, 0, 0 };
    unsigned i, n = fired ? triage_result_fired_count(r) : triage_result_script_count(r);

    for (i = 0; i < n; i++) {
        if (i)
            ADD_LIT(&list, " ");
        add_str(&list, fired ? triage_result_fired(r, i) : triage_result_script_id(r, i));
    }
    csv_field(b, list.data ? list.data : "", list.len, 0);
    batch_buf_free(&list);
}

static void csv_line(struct batch_buf *b, const struct batch_window *w,
                     const struct batch_slot *sl, const triage_result *r)
{
    const char *p = window_str(w, sl->kept), *name, *value;
    char num[64];
    size_t i, len, at = 0;

    csv_field(b, window_str(w, sl->id), strlen(window_str(w, sl->id)), 1);
    for (i = 0; i < sl->n_kept; i++) {
        p = next_kept(p, &name, &value, &len);
        csv_field(b, value, len, 0);
    }
    if (r == NULL) {
        for (i = 0; i < 11; i++)
            ADD_LIT(b, ",");
        csv_str(b, window_str(w, sl->error));
        ADD_LIT(b, "\r\n");
        return;
    }
    csv_str(b, triage_result_type(r));
    snprintf(num, sizeof num, "%.3f", triage_result_confidence(r));
    csv_str(b, num);
    csv_str(b, triage_result_nature(r));
    csv_str(b, triage_result_severity(r));
    csv_str(b, triage_result_temperament(r));
    csv_str(b, triage_result_level(r));
    csv_str(b, triage_result_team(r));
    snprintf(num, sizeof num, "%g", triage_result_hours(r));
    csv_str(b, num);
    csv_ids(b, r, 0);
    csv_ids(b, r, 1);
    for (i = 0; triage_flag_name(1u << i) != NULL; i++)
        if (triage_result_flags(r) & (1u << i))
            at += (size_t)snprintf(num + at, sizeof num - at, "%s%s", at ? " " : "",
                                   triage_flag_name(1u << i));
    csv_field(b, num, at, 0);
    ADD_LIT(b, ",\r\n");
}

static void jsonl_line(struct batch_buf *b, const struct batch_window *w,
                       const struct batch_slot *sl, const char *json, size_t len)
{
    const char *p = window_str(w, sl->kept), *name, *value;
    size_t i, vlen;

    ADD_LIT(b, "{\"id\":");
    json_str(b, window_str(w, sl->id), strlen(window_str(w, sl->id)));
    ADD_LIT(b, ",\"source\":{\"file\":");
    json_str(b, sl->file, strlen(sl->file));
    ADD_LIT(b, ",\"record\":");
    add_ull(b, sl->number);
    ADD_LIT(b, ",\"line\":");
    add_ull(b, sl->line);
    ADD_LIT(b, ",\"offset\":");
    add_ull(b, sl->offset);
    ADD_LIT(b, "}");
    if (json == NULL) {
        ADD_LIT(b, ",\"error\":");
        json_str(b, window_str(w, sl->error), strlen(window_str(w, sl->error)));
        ADD_LIT(b, "}\n");
        return;
    }
    ADD_LIT(b, ",\"kept\":{");
    for (i = 0; i < sl->n_kept; i++) {
        p = next_kept(p, &name, &value, &vlen);
        if (i)
            ADD_LIT(b, ",");
        json_str(b, name, strlen(name));
        ADD_LIT(b, ":");
        json_str(b, value, vlen);
    }
    ADD_LIT(b, "},");
    add(b, json + 1, len - 1);   /* the result's members and its '}' */
    ADD_LIT(b, "\n");
}

void batch_line(struct batch_buf *b, int csv, const struct batch_window *w,
                const struct batch_slot *sl, const triage_result *r,
                const char *json, size_t len)
{
    /* Room for the result and a typical head at once, and at least 4 KB
     * so that ordinary results of varying length reuse the buffer: growing
     * by doubling from small left a window of long results (30 KB each
     * with the shipped rules) with half-empty buffers, and growing to each
     * new length fragmented the heap over a long run. A slot keeps its
     * buffer from window to window, but not one sized for the longest
     * result it ever held: 4,096 slots at the largest result made memory
     * grow with the run (200 MB after 40k long complaints). */
    size_t need = len + 512 < 4096 ? 4096 : len + 512;

    if (b->cap < need || (b->cap > 16384 && b->cap > 4 * (len + 4096))) {
        char *p = realloc(b->data, need);

        if (p == NULL)
            abort();
        b->data = p;
        b->cap = need;
    }
    b->len = 0;
    if (csv)
        csv_line(b, w, sl, r);
    else
        jsonl_line(b, w, sl, json, len);
}
