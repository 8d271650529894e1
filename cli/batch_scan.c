/*
 * batch_scan.c - splits decoded input into records and fields: RFC 4180 CSV
 * and TSV with Excel's leniencies, or whole lines for text and JSON Lines.
 */
#include "batch_internal.h"

enum state {
    ST_START,      /* at the start of a field */
    ST_PLAIN,      /* inside an unquoted field: quotes are literal */
    ST_QUOTED,     /* inside a quoted field */
    ST_QUOTE,      /* a quote seen inside a quoted field */
    ST_QUOTE_CR,   /* a closing quote, then CR */
    ST_SKIP        /* bad record: skipping to the end of the line */
};

struct rec_state {
    enum state st;
    size_t col;      /* current column, 0-based */
    size_t flen;     /* bytes in the current field */
    int prev_cr;     /* the last byte added to the field was CR */
    int started;     /* a byte (or a refused sequence) belongs to it */
};

static void set_err(struct batch_scan *s, enum batch_scan_err e)
{
    if (s->err == BATCH_SCAN_OK) {
        s->err = e;
        s->err_line = s->line;
    }
}

static int stored(const struct batch_scan *s, size_t col)
{
    return s->want_all || (col < s->n_want && s->want[col]);
}

static int ensure_col(struct batch_scan *s, size_t col)
{
    size_t n = s->n_cols ? s->n_cols : 4;
    struct batch_buf *p;

    if (col < s->n_cols)
        return 0;
    while (n <= col)
        n *= 2;
    p = realloc(s->cols, n * sizeof *p);
    if (p == NULL)
        return -TRIAGE_ENOMEM;
    memset(p + s->n_cols, 0, (n - s->n_cols) * sizeof *p);
    s->cols = p;
    s->n_cols = n;
    return 0;
}

/*
 * Add bytes to the current field. Past max_field the record becomes an
 * error record; once a record is bad nothing more is stored, which is what
 * bounds memory on a runaway quote.
 */
static int add(struct batch_scan *s, struct rec_state *rs, const char *p,
               size_t n)
{
    rs->prev_cr = p[n - 1] == '\r';
    rs->flen += n;
    if (rs->flen > s->max_field)
        set_err(s, BATCH_SCAN_OVERSIZE);
    if (s->err != BATCH_SCAN_OK || !stored(s, rs->col))
        return 0;
    if (ensure_col(s, rs->col) < 0 ||
        batch_buf_add(&s->cols[rs->col], p, n) != TRIAGE_OK)
        return -TRIAGE_ENOMEM;
    return 0;
}

/* Close the current field; 'strip_cr' drops the CR of a CRLF line end. */
static void end_field(struct batch_scan *s, struct rec_state *rs,
                      int strip_cr)
{
    struct batch_buf *b;

    if (rs->flen > (size_t)(strip_cr && rs->prev_cr))
        s->filled = rs->col + 1;   /* more than the CR of a CRLF end */
    if (strip_cr && rs->prev_cr && rs->col < s->n_cols) {
        b = &s->cols[rs->col];
        if (b->len > 0 && b->data[b->len - 1] == '\r')
            b->data[--b->len] = '\0';
    }
    rs->col++;
    rs->flen = 0;
    rs->prev_cr = 0;
}

static int end_record(struct batch_scan *s, struct rec_state *rs,
                      int strip_cr)
{
    end_field(s, rs, strip_cr);
    s->nfields = rs->col;
    return 1;
}

/* Feed one special byte: 1 at the end of the record, 0 go on, or -status. */
static int step(struct batch_scan *s, struct rec_state *rs, unsigned char c)
{
    char ch = (char)c;

    switch (rs->st) {
    case ST_START:
        if (c == '"' && s->quotes) {
            rs->st = ST_QUOTED;
            s->quote_line = s->line;
            return 0;
        }
        /* fall through */
    case ST_PLAIN:
        if ((int)c == s->eol)
            return end_record(s, rs, 1);
        if ((int)c == s->sep) {
            end_field(s, rs, 0);
            rs->st = ST_START;
            return 0;
        }
        rs->st = ST_PLAIN;
        return add(s, rs, &ch, 1);
    case ST_QUOTED:
        if (c == '\r' && s->eol == '\r')
            ch = '\n';   /* a line break inside the field, as elsewhere */
        if (c != '"')
            return add(s, rs, &ch, 1);
        rs->st = ST_QUOTE;
        return 0;
    case ST_QUOTE:
        if (c == '"') {
            rs->st = ST_QUOTED;
            return add(s, rs, &ch, 1);
        }
        if ((int)c == s->sep) {
            end_field(s, rs, 0);
            rs->st = ST_START;
            return 0;
        }
        if ((int)c == s->eol)
            return end_record(s, rs, 0);
        if (c == '\r') {
            rs->st = ST_QUOTE_CR;
            return 0;
        }
        break;
    case ST_QUOTE_CR:
        break;
    case ST_SKIP:
        return (int)c == s->eol ? end_record(s, rs, 0) : 0;
    }
    /* After a closing quote only a separator or the line end may follow. */
    if ((int)c == s->eol)
        return end_record(s, rs, 0);
    set_err(s, BATCH_SCAN_AFTER_QUOTE);
    rs->st = ST_SKIP;
    return 0;
}

/* Length of the run of ordinary bytes at p in state 'st'. */
static size_t plain_run(const struct batch_scan *s, enum state st,
                        const unsigned char *p, size_t n)
{
    size_t i;

    if (st == ST_QUOTED) {
        for (i = 0; i < n && p[i] != '"' && (int)p[i] != s->eol; i++)
            ;
    } else {
        for (i = 0; i < n && (int)p[i] != s->eol && (int)p[i] != s->sep; i++)
            ;
    }
    return i;
}

/* Scan the current piece: 1 at the end of the record, 0 piece used up. */
static int consume(struct batch_scan *s, struct rec_state *rs,
                   struct batch_dec *d)
{
    const unsigned char *p = (const unsigned char *)d->out;
    size_t i = d->out_pos, n = d->out_len, k;
    int rc = 0;

    while (i < n && rc == 0) {
        if (rs->st == ST_PLAIN || rs->st == ST_QUOTED) {
            k = plain_run(s, rs->st, p + i, n - i);
            if (k > 0) {
                rc = add(s, rs, (const char *)p + i, k);
                i += k;
                continue;
            }
        }
        if ((int)p[i] == s->eol)
            s->line++;
        rc = step(s, rs, p[i++]);
    }
    if (i > d->out_pos)
        s->ended_eol = (int)p[i - 1] == s->eol;
    d->out_pos = i;
    return rc;
}

static void mark_start(struct batch_scan *s, struct rec_state *rs,
                       const struct batch_dec *d)
{
    if (rs->started)
        return;
    rs->started = 1;
    s->rec_line = s->line;
    s->rec_offset = batch_dec_offset(d);
}

static void begin(struct batch_scan *s)
{
    size_t i;

    for (i = 0; i < s->n_cols; i++) {
        s->cols[i].len = 0;
        if (s->cols[i].data != NULL)
            s->cols[i].data[0] = '\0';
    }
    s->nfields = 0;
    s->filled = 0;
    s->err = BATCH_SCAN_OK;
    s->err_off = 0;
}

/* End of input inside a record: an open quote means a truncated file. */
static int finish(struct batch_scan *s, struct rec_state *rs)
{
    if (!rs->started)
        return 0;
    if (rs->st == ST_QUOTED)
        set_err(s, BATCH_SCAN_UNTERMINATED);
    return end_record(s, rs, rs->st == ST_PLAIN);
}

int batch_scan_next(struct batch_scan *s, struct batch_dec *d)
{
    struct rec_state rs = { ST_START, 0, 0, 0, 0 };
    int rc;

    begin(s);
    for (;;) {
        if (d->out_pos == d->out_len) {
            rc = batch_dec_fill(d);
            if (rc <= 0)
                return rc < 0 ? rc : finish(s, &rs);
            /* A piece never spans two records (see batch_dec), so the
             * record being read owns the refused bytes. */
            if (d->piece_err) {
                mark_start(s, &rs, d);
                if (s->err == BATCH_SCAN_OK) {
                    s->err = BATCH_SCAN_DECODE;
                    s->err_off = d->err_off;
                }
            }
            continue;
        }
        mark_start(s, &rs, d);
        rc = consume(s, &rs, d);
        if (rc != 0)
            return rc;
    }
}

const char *batch_scan_field(const struct batch_scan *s, size_t i,
                             size_t *len)
{
    if (i < s->nfields && i < s->n_cols && s->cols[i].data != NULL) {
        *len = s->cols[i].len;
        return s->cols[i].data;
    }
    *len = 0;
    return "";
}

void batch_scan_free(struct batch_scan *s)
{
    size_t i;

    for (i = 0; i < s->n_cols; i++)
        batch_buf_free(&s->cols[i]);
    free(s->cols);
    free(s->want);
    s->cols = NULL;
    s->want = NULL;
    s->n_cols = s->n_want = 0;
}
