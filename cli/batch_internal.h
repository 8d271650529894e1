/*
 * batch_internal.h - private declarations shared by the batch_*.c files:
 * the byte buffer, the decoding layer and the record scanner.
 */
#ifndef BATCH_INTERNAL_H
#define BATCH_INTERNAL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch_input.h"

/* ---- Growable byte buffer, always NUL-terminated when data != NULL ---- */

struct batch_buf {
    char *data;
    size_t len, cap;
};

/* Make room for 'extra' more bytes plus the terminating NUL. */
static inline triage_status batch_buf_reserve(struct batch_buf *b,
                                              size_t extra)
{
    size_t need = b->len + extra + 1, cap = b->cap ? b->cap : 64;
    char *p;

    if (need < b->len)
        return TRIAGE_ENOMEM;       /* size_t overflow */
    if (need <= b->cap)
        return TRIAGE_OK;
    while (cap < need)
        cap = cap > (size_t)-1 / 2 ? need : cap * 2;
    p = realloc(b->data, cap);
    if (p == NULL)
        return TRIAGE_ENOMEM;
    b->data = p;
    b->cap = cap;
    return TRIAGE_OK;
}

static inline triage_status batch_buf_add(struct batch_buf *b, const void *p,
                                          size_t n)
{
    if (batch_buf_reserve(b, n) != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    if (n > 0)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return TRIAGE_OK;
}

/* Empty the buffer but keep its memory (and a valid "" string). */
static inline triage_status batch_buf_clear(struct batch_buf *b)
{
    b->len = 0;
    return batch_buf_add(b, "", 0);
}

static inline void batch_buf_free(struct batch_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* ---- Decoding layer (batch_encoding.c) --------------------------------- */

/*
 * The decoder hands out the input as UTF-8 "pieces". In UTF-8 input a piece
 * is whatever one read returned, mapped 1:1 to file offsets. Converted input
 * is cut after every newline (or at 64 KiB inside a very long line), so a
 * piece never holds bytes of two records and every line starts a piece at
 * an exact file offset. Bytes iconv refuses are dropped and flagged on the
 * piece (piece_err, err_off) instead of being marked in the text: an in-band
 * sentinel could collide with real data, while a flag on a piece that holds
 * bytes of one record only names exactly the record to fail.
 */
struct batch_dec {
    FILE *fp;
    int own_fp;
    int stream;                  /* a pipe, FIFO, terminal or socket: reads
                                    return what has arrived */
    void (*idle)(void *);        /* called before a read that would wait */
    void *idle_arg;
    int enc;                     /* enum batch_enc in batch_encoding.c */
    void *cd;                    /* iconv_t, NULL for UTF-8 */
    unsigned char *raw;          /* undecoded input window */
    size_t raw_cap, raw_pos, raw_len;
    unsigned long long raw_base; /* file offset of raw[0] */
    int raw_eof;
    int eol;                     /* line end code unit, '\n' or '\r';
                                    pieces end after it */
    char *conv;                  /* converted piece storage */
    size_t conv_cap;
    const char *out;             /* the current piece */
    size_t out_pos, out_len;
    unsigned long long piece_orig;  /* file offset of out[0] */
    size_t piece_raw_len;           /* file bytes behind the piece */
    int piece_err;                  /* iconv refused bytes in this piece */
    unsigned long long err_off;     /* file offset of the first of them */
    int io_errno;
};

triage_status batch_dec_open(struct batch_dec **out, const char *path,
                             const char *encoding, char *err, size_t errlen);
/* Load the next piece: 1 loaded (it may be empty if piece_err), 0 end of
 * input, or -TRIAGE_EIO / -TRIAGE_ENOMEM. Only call when out_pos==out_len. */
int batch_dec_fill(struct batch_dec *d);
/* File offset of the next unread byte of the current piece. */
unsigned long long batch_dec_offset(const struct batch_dec *d);
/* Up to the first 64 KiB of the input as UTF-8 (bad bytes dropped), for
 * format sniffing; call before the first fill. */
triage_status batch_dec_sniff(struct batch_dec *d, struct batch_buf *dst);
/* Canonical name of the encoding in use, e.g. "GB18030". */
const char *batch_dec_name(const struct batch_dec *d);
void batch_dec_close(struct batch_dec *d);

/* ---- Record scanner (batch_scan.c) ------------------------------------- */

enum batch_scan_err {
    BATCH_SCAN_OK = 0,
    BATCH_SCAN_AFTER_QUOTE,      /* "abc"def */
    BATCH_SCAN_UNTERMINATED,     /* quote still open at end of input */
    BATCH_SCAN_OVERSIZE,         /* a field over max_field bytes */
    BATCH_SCAN_DECODE            /* the decoder refused bytes */
};

/*
 * One scanner reads CSV and TSV (sep ',' or '\t', quotes on) and, with
 * sep -1 and quotes off, whole lines for the text and JSON Lines formats.
 * Only wanted columns are stored, so memory stays at wanted x max_field.
 */
struct batch_scan {
    int sep;
    int eol;                     /* line end: '\n' (CRLF too), or '\r' in a
                                    file with CR-only ends (classic Mac) */
    int quotes;
    size_t max_field;
    int want_all;                /* store every column (the header) */
    unsigned char *want;         /* want[i]: store column i */
    size_t n_want;
    struct batch_buf *cols;      /* stored fields; cols[i] for i < n_cols */
    size_t n_cols;
    size_t nfields;              /* fields in the last record */
    size_t filled;               /* ... up to its last non-empty one */
    unsigned long long line;     /* line number of the next byte */
    unsigned long long rec_line, rec_offset;
    enum batch_scan_err err;
    unsigned long long err_off;  /* BATCH_SCAN_DECODE: file offset */
    unsigned long long err_line; /* line of the byte that made err */
    unsigned long long quote_line;   /* line of the last opening quote */
    int ended_eol;               /* the last byte read was a line end */
};

/* Scan one record: 1 found (check err), 0 end of input, or -status. */
int batch_scan_next(struct batch_scan *s, struct batch_dec *d);
/* Field i of the last record, "" when absent or not stored. */
const char *batch_scan_field(const struct batch_scan *s, size_t i,
                             size_t *len);
void batch_scan_free(struct batch_scan *s);

/* ---- One JSON Lines line as flat members (batch_jsonl_flat.c) ---------- */

enum batch_jkind {
    BATCH_J_STRING, BATCH_J_NUMBER, BATCH_J_BOOL, BATCH_J_NULL, BATCH_J_NESTED
};

/* A member with its value as text: strings decoded, numbers and booleans as
 * written, null empty, objects and arrays as compact JSON. */
struct batch_jmember {
    const char *key, *val;     /* NUL-terminated; val may hold NUL bytes */
    size_t klen, vlen;
    size_t koff, voff;         /* the same as offsets into the store     */
    enum batch_jkind kind;
};

struct batch_jflat {
    struct batch_jmember *m;   /* in the line's order */
    size_t n, cap;
    struct batch_buf store;
    char msg[200];
};

/* Parse one line. *error is NULL and the members are set, or *error says
 * why the line is not a usable JSON object; a status only for ENOMEM. */
triage_status batch_jflat_parse(struct batch_jflat *f, const char *line,
                                size_t len, const char **error);
/* The same through jansson alone: what the flat scanner must agree with
 * (tests and the batch fuzzer hold it to that). */
triage_status batch_jflat_parse_jansson(struct batch_jflat *f, const char *line,
                                        size_t len, const char **error);
void batch_jflat_free(struct batch_jflat *f);

/* ---- JSON Lines records (batch_jsonl.c) -------------------------------- */

struct batch_jsonl;   /* member specs and per-record storage */

triage_status batch_jsonl_create(struct batch_jsonl **out,
                                 const struct batch_opts *o, char *err,
                                 size_t errlen);
/* Turn one line into *rec; the strings live in j until the next call. */
triage_status batch_jsonl_record(struct batch_jsonl *j, const char *line,
                                 size_t len, struct batch_record *rec);
void batch_jsonl_destroy(struct batch_jsonl *j);

/* ---- Column plan for CSV and TSV (batch_columns.c) --------------------- */

#define BATCH_NO_COL ((size_t)-1)

struct batch_cols {
    char **hdr;              /* trimmed header names; NULL with no header */
    size_t n_hdr;
    size_t *text_idx;        /* 0-based columns joined into the text */
    size_t n_text;
    int text_defaulted;      /* no header, none given: column 1 assumed */
    size_t id_idx, date_idx, cust_idx;   /* BATCH_NO_COL when absent */
    size_t *keep_idx;
    char **keep_names;
    size_t n_keep;
};

/* Copy the header names out of the record just scanned. */
triage_status batch_cols_set_header(struct batch_cols *c,
                                    const struct batch_scan *s);
/* Resolve the options' column specs (or guess them from the header). */
triage_status batch_cols_resolve(struct batch_cols *c,
                                 const struct batch_opts *o, char *err,
                                 size_t errlen);
/* Tell the scanner which columns to store. */
triage_status batch_cols_want(const struct batch_cols *c,
                              struct batch_scan *s);
void batch_cols_free(struct batch_cols *c);

enum batch_role {
    BATCH_ROLE_TEXT = 0,
    BATCH_ROLE_ID,
    BATCH_ROLE_DATE,
    BATCH_ROLE_CUSTOMER
};

/* Names tried in order when a column is not given; NULL-terminated. */
const char *const *batch_role_names(enum batch_role role);
/* ASCII case-insensitive equality of s[0..n) with the C string 'name'. */
int batch_name_eq(const char *s, size_t n, const char *name);

/* ---- Shared helpers (batch_input.c) ------------------------------------ */

/*
 * Length of the valid UTF-8 sequence at p (strict: no overlong forms, no
 * surrogates, nothing above U+10FFFF), 0 if invalid, or (size_t)-1 if it
 * is a valid prefix cut by the end of the buffer (batch_encoding.c).
 */
size_t batch_utf8_seq(const unsigned char *p, size_t n);
/* 1 if s[0..n) is empty or only ASCII, ideographic or no-break spaces. */
int batch_is_blank(const char *s, size_t n);
/* Narrow s[0..n) to exclude ASCII spaces, tabs, CR and LF at both ends. */
void batch_trim(const char **s, size_t *n);

#endif /* BATCH_INTERNAL_H */
