/*
 * fuzz_batch.c - arbitrary bytes written to a temporary file and read with
 * batch_reader_open/next in every format (csv, tsv, jsonl, text, auto) and
 * encoding (auto, GB18030, UTF-16), checking the record contract of
 * cli/batch_input.h on every record. A last pass per format uses a tiny
 * max_field and explicit columns to reach the oversize and column paths.
 * Each line also goes through the flat JSON scanner and through jansson
 * alone: where the scanner takes a line, both must give the same members.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "batch_internal.h"

static char path[64];
static int fd = -1;

static void cleanup(void)
{
    if (fd >= 0)
        unlink(path);
}

static void init(void)
{
    const char *dir = getenv("TMPDIR");

    snprintf(path, sizeof path, "%s/fuzz_batch.XXXXXX",
             dir != NULL && *dir != '\0' && strlen(dir) < 40 ? dir : "/tmp");
    fd = mkstemp(path);
    if (fd < 0) {
        perror("fuzz_batch: mkstemp");
        abort();
    }
    atexit(cleanup);
}

static size_t use(const char *p, size_t n)
{
    size_t i, sum = 0;

    for (i = 0; i < n; i++)
        sum += (unsigned char)p[i];
    return sum;
}

/* Read every record; check what batch_input.h promises. */
static void read_all(const struct batch_opts *o, size_t size)
{
    struct batch_reader *r;
    struct batch_record rec;
    char err[256];
    unsigned long long n = 0, last_line = 0, last_off = 0;
    size_t i, sum = 0;
    int rc;

    memset(err, 'x', sizeof err);
    if (batch_reader_open(&r, path, o, err, sizeof err) != TRIAGE_OK) {
        if (r != NULL || memchr(err, '\0', sizeof err) == NULL)
            abort();
        return;
    }
    if (batch_reader_format(r) == BATCH_FORMAT_AUTO)
        abort();
    sum += strlen(batch_reader_encoding(r));
    while ((rc = batch_reader_next(r, &rec)) == 1) {
        if (rec.number != ++n)
            abort();
        /* Each record holds at least one byte: no endless loop. */
        if (n > size + 1)
            abort();
        if (rec.line < 1 || (n > 1 && rec.line <= last_line))
            abort();
        if (rec.offset >= size || (n > 1 && rec.offset <= last_off))
            abort();
        last_line = rec.line;
        last_off = rec.offset;
        if ((rec.text == NULL) == (rec.error == NULL))
            abort();
        if (rec.text != NULL) {
            if (rec.text[rec.text_len] != '\0')
                abort();
            sum += use(rec.text, rec.text_len);
        } else {
            sum += strlen(rec.error);
        }
        if (rec.id != NULL)
            sum += strlen(rec.id);
        if (rec.date != NULL)
            sum += strlen(rec.date);
        if (rec.customer != NULL)
            sum += strlen(rec.customer);
        if (rec.n_kept > 0 && rec.kept == NULL)
            abort();
        for (i = 0; i < rec.n_kept; i++) {
            if (rec.kept[i].name == NULL || rec.kept[i].value == NULL ||
                rec.kept[i].value[rec.kept[i].len] != '\0')
                abort();
            sum += strlen(rec.kept[i].name) + use(rec.kept[i].value, rec.kept[i].len);
        }
        if (rec.date != NULL) {
            char month[8];

            if (batch_parse_month(rec.date, month) && strlen(month) != 7)
                abort();
        }
    }
    if (rc < 0)
        sum += strlen(batch_reader_error(r));
    else if (rc != 0 || batch_reader_next(r, &rec) != 0)
        abort();   /* the end stays the end */
    batch_reader_close(r);
    if (sum == 1)
        fputc(' ', stderr);   /* keep the reads */
}

/* The flat scanner and jansson agree on every line the scanner takes. */
static void same_members(const uint8_t *data, size_t size)
{
    static struct batch_jflat a, b;
    const char *line = (const char *)data, *end = line + size, *nl, *ea, *eb;
    size_t i;

    for (; line < end; line = nl + 1) {
        nl = memchr(line, '\n', (size_t)(end - line));
        if (nl == NULL)
            nl = end;
        if (batch_jflat_parse(&a, line, (size_t)(nl - line), &ea) != TRIAGE_OK ||
            batch_jflat_parse_jansson(&b, line, (size_t)(nl - line), &eb) != TRIAGE_OK)
            abort();
        if ((ea == NULL) != (eb == NULL) || (ea != NULL && strcmp(ea, eb) != 0))
            abort();
        if (ea != NULL)
            continue;
        if (a.n != b.n)
            abort();
        for (i = 0; i < a.n; i++)
            if (a.m[i].kind != b.m[i].kind || a.m[i].klen != b.m[i].klen ||
                a.m[i].vlen != b.m[i].vlen || memcmp(a.m[i].key, b.m[i].key, a.m[i].klen) ||
                memcmp(a.m[i].val, b.m[i].val, a.m[i].vlen))
                abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const enum batch_format formats[] = {
        BATCH_FORMAT_CSV, BATCH_FORMAT_TSV, BATCH_FORMAT_JSONL,
        BATCH_FORMAT_TEXT, BATCH_FORMAT_AUTO,
    };
    static const char *const encodings[] = { NULL, "GB18030", "UTF-16" };
    static const char *const text_cols[] = { "2" };
    static const char *const keep_cols[] = { "1" };
    static const char *const json_cols[] = { "text", "body" };
    static const char *const json_keep[] = { "k", "id" };
    struct batch_opts o;
    size_t f, e;
    char month[8];

    if (fd < 0)
        init();
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    for (f = 0; f < sizeof formats / sizeof formats[0]; f++) {
        for (e = 0; e < sizeof encodings / sizeof encodings[0]; e++) {
            batch_opts_init(&o);
            o.format = formats[f];
            o.encoding = encodings[e];
            read_all(&o, size);
        }
        /* Small fields, explicit columns, no header. */
        batch_opts_init(&o);
        o.format = formats[f];
        o.max_field = 8;
        if (formats[f] == BATCH_FORMAT_JSONL) {
            o.text_cols = json_cols;
            o.n_text_cols = 2;
            o.keep_cols = json_keep;
            o.n_keep_cols = 2;
            o.id_col = "id";
            o.date_col = "d";
        } else {
            o.no_header = f & 1;
            o.delimiter = formats[f] == BATCH_FORMAT_CSV ? '|' : 0;
            o.text_cols = text_cols;
            o.n_text_cols = 1;
            o.keep_cols = keep_cols;
            o.n_keep_cols = 1;
        }
        read_all(&o, size);
    }
    same_members(data, size);
    /* The date parser on the raw bytes, NUL-terminated. */
    if (size < 256) {
        char buf[256];

        memcpy(buf, data, size);
        buf[size] = '\0';
        if (batch_parse_month(buf, month) && strlen(month) != 7)
            abort();
    }
    return 0;
}
