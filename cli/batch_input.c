/*
 * batch_input.c - the batch record reader: picks the format, reads the
 * header, resolves or guesses the columns and builds one record per call.
 */
#include <stdint.h>
#include <strings.h>

#include "batch_internal.h"

struct batch_reader {
    struct batch_dec *dec;
    struct batch_scan scan;
    struct batch_cols cols;      /* CSV and TSV */
    struct batch_jsonl *jsonl;   /* JSON Lines */
    enum batch_format format;
    struct batch_field *kept;    /* CSV and TSV; names borrowed from cols */
    struct batch_buf text, id, date, cust;
    struct batch_buf head;       /* the input's first 64 KiB as UTF-8, while
                                    opening (batch_dec_sniff) */
    unsigned long long number;
    int pending;                 /* open() already scanned record 1 */
    int at_eof;
    triage_status failed;        /* set once reading failed for good */
    char msg[256];               /* the current record's error reason */
    char ioerr[256];
};

int batch_is_blank(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < n) {
        if (p[i] == ' ' || (p[i] >= '\t' && p[i] <= '\r'))
            i++;
        else if (i + 1 < n && p[i] == 0xC2 && p[i + 1] == 0xA0)
            i += 2;   /* U+00A0 no-break space */
        else if (i + 2 < n && p[i] == 0xE3 && p[i + 1] == 0x80 &&
                 p[i + 2] == 0x80)
            i += 3;   /* U+3000 ideographic space */
        else
            return 0;
    }
    return 1;
}

static int is_trim_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void batch_trim(const char **s, size_t *n)
{
    while (*n > 0 && is_trim_space((*s)[0])) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && is_trim_space((*s)[*n - 1]))
        (*n)--;
}

void batch_opts_init(struct batch_opts *o)
{
    memset(o, 0, sizeof *o);
    o->format = BATCH_FORMAT_AUTO;
    o->max_field = BATCH_MAX_FIELD_DEFAULT;
}

/* ---- Format detection -------------------------------------------------- */

static enum batch_format format_from_ext(const char *path)
{
    static const struct {
        const char *ext;
        enum batch_format f;
    } exts[] = {
        { "csv", BATCH_FORMAT_CSV },     { "tsv", BATCH_FORMAT_TSV },
        { "tab", BATCH_FORMAT_TSV },     { "jsonl", BATCH_FORMAT_JSONL },
        { "ndjson", BATCH_FORMAT_JSONL }, { "json", BATCH_FORMAT_JSONL },
        { "txt", BATCH_FORMAT_TEXT },    { "log", BATCH_FORMAT_TEXT },
    };
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    size_t i;

    if (dot == NULL || (slash != NULL && dot < slash))
        return BATCH_FORMAT_AUTO;
    for (i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (strcasecmp(dot + 1, exts[i].ext) == 0)
            return exts[i].f;
    return BATCH_FORMAT_AUTO;
}

/* Bounds of the first non-blank line of p. */
static void first_line(const char *p, size_t n, size_t *start, size_t *end)
{
    size_t i = 0, s;

    for (;;) {
        s = i;
        while (i < n && p[i] != '\n')
            i++;
        if (!batch_is_blank(p + s, i - s) || i >= n)
            break;
        i++;
    }
    *start = s;
    *end = i;
}

/* How many bytes c lie outside double quotes in p[start, end). */
static size_t count_unquoted(const char *p, size_t start, size_t end, char c)
{
    size_t count = 0;
    int quoted = 0;

    for (; start < end; start++) {
        if (p[start] == '"')
            quoted = !quoted;
        else if (!quoted && p[start] == c)
            count++;
    }
    return count;
}

/* Excel's first line "sep=;" names the separator; -1 when absent. */
static int sep_line(const char *p, size_t n)
{
    if (n >= 5 && memcmp(p, "sep=", 4) == 0 && (unsigned char)p[4] >= 0x20 &&
        (unsigned char)p[4] < 0x80 && p[4] != '"' &&
        (n == 5 || p[5] == '\n' || (p[5] == '\r' && (n == 6 || p[6] == '\n'))))
        return p[4];
    return -1;
}

/*
 * Classify by the first non-blank line: Excel's "sep=" line means CSV; '{'
 * starts JSON Lines; tabs (outside quotes) at least as many as commas mean
 * TSV; any comma means CSV.
 */
static enum batch_format format_from_content(const char *p, size_t n)
{
    size_t start, end, tabs, commas;

    if (sep_line(p, n) >= 0)
        return BATCH_FORMAT_CSV;
    first_line(p, n, &start, &end);
    while (start < end && (p[start] == ' ' || p[start] == '\t'))
        start++;
    if (start < end && p[start] == '{')
        return BATCH_FORMAT_JSONL;
    tabs = count_unquoted(p, start, end, '\t');
    commas = count_unquoted(p, start, end, ',');
    if (tabs > 0 && tabs >= commas)
        return BATCH_FORMAT_TSV;
    return commas > 0 ? BATCH_FORMAT_CSV : BATCH_FORMAT_TEXT;
}

/*
 * The CSV separator: Excel's "sep=" line (skipped), else ';' when the
 * first line has more of them than commas (Excel where the decimal mark
 * is a comma), else ','. --delimiter wins over both, but the "sep=" line
 * is still not a header.
 */
static triage_status sniff_csv_sep(struct batch_reader *r, int forced)
{
    const struct batch_buf *head = &r->head;
    size_t start, end;
    int hint = sep_line(head->data, head->len);

    first_line(head->data, head->len, &start, &end);
    if (forced != 0)
        r->scan.sep = forced;
    else if (hint >= 0)
        r->scan.sep = hint;
    else if (count_unquoted(head->data, start, end, ';') >
             count_unquoted(head->data, start, end, ','))
        r->scan.sep = ';';
    if (hint >= 0) {
        int sep = r->scan.sep, rc;

        r->scan.sep = -1;   /* read the hint line whole, and drop it */
        rc = batch_scan_next(&r->scan, r->dec);
        r->scan.sep = sep;
        if (rc < 0)
            return (triage_status)-rc;
    }
    return TRIAGE_OK;
}

/* A file whose head holds CR but no LF ends its lines with CR alone. */
static void sniff_eol(struct batch_reader *r)
{
    const struct batch_buf *head = &r->head;

    r->scan.eol = head->len > 0 && memchr(head->data, '\n', head->len) == NULL &&
                  memchr(head->data, '\r', head->len) != NULL ? '\r' : '\n';
    r->dec->eol = r->scan.eol;   /* converted input is decoded by lines */
}

static void pick_format(struct batch_reader *r, const char *path,
                        enum batch_format forced)
{
    r->format = forced;
    if (r->format == BATCH_FORMAT_AUTO && strcmp(path, "-") != 0)
        r->format = format_from_ext(path);
    if (r->format == BATCH_FORMAT_AUTO)
        r->format = format_from_content(r->head.data, r->head.len);
}

/* ---- Opening ----------------------------------------------------------- */

/* The reason a scanned record is unusable, or NULL if it is not. */
static const char *scan_reason(struct batch_reader *r)
{
    switch (r->scan.err) {
    case BATCH_SCAN_OK:
        return NULL;
    case BATCH_SCAN_AFTER_QUOTE:
        snprintf(r->msg, sizeof r->msg, "bad quoting: text after a closing quote "
                 "on line %llu (a quote inside a quoted field is written twice: \"\")",
                 r->scan.err_line);
        return r->msg;
    case BATCH_SCAN_UNTERMINATED: {
        /* Say how much the open quote took, so the user finds the records
         * it swallowed. */
        unsigned long long last = r->scan.line - (r->scan.ended_eol ? 1 : 0);

        if (last > r->scan.quote_line)
            snprintf(r->msg, sizeof r->msg, "bad quoting: the quote opened on line %llu "
                     "never closes, so lines %llu-%llu (the end of the file) were read "
                     "as one field", r->scan.quote_line, r->scan.quote_line, last);
        else
            snprintf(r->msg, sizeof r->msg, "bad quoting: the quote opened on line %llu "
                     "never closes (end of file)", r->scan.quote_line);
        return r->msg;
    }
    case BATCH_SCAN_OVERSIZE:
        snprintf(r->msg, sizeof r->msg, "%s over %zu bytes",
                 r->format == BATCH_FORMAT_JSONL ? "line" : "field",
                 r->scan.max_field);
        return r->msg;
    case BATCH_SCAN_DECODE:
        snprintf(r->msg, sizeof r->msg, "invalid %s byte sequence at byte %llu",
                 batch_dec_name(r->dec), r->scan.err_off);
        return r->msg;
    }
    return "unreadable record";
}

/* Remember a read failure (rc is a negative status) and return it. */
static int fail(struct batch_reader *r, int rc)
{
    r->failed = (triage_status)-rc;
    if (r->failed == TRIAGE_EIO)
        snprintf(r->ioerr, sizeof r->ioerr, "read error: %s",
                 strerror(r->dec->io_errno));
    else
        snprintf(r->ioerr, sizeof r->ioerr, "%s",
                 r->failed == TRIAGE_ENOMEM ? "out of memory"
                                            : "reader failed");
    return rc;
}

static triage_status open_fail(struct batch_reader *r, int rc, char *err,
                               size_t errlen)
{
    fail(r, rc);
    snprintf(err, errlen, "%s", r->ioerr);
    return r->failed;
}

static triage_status read_header(struct batch_reader *r, char *err,
                                 size_t errlen)
{
    int rc;

    r->scan.want_all = 1;
    rc = batch_scan_next(&r->scan, r->dec);
    r->scan.want_all = 0;
    if (rc < 0)
        return open_fail(r, rc, err, errlen);
    if (rc == 0) {
        r->at_eof = 1;   /* empty file: no records, nothing to resolve */
        return TRIAGE_OK;
    }
    if (r->scan.err != BATCH_SCAN_OK) {
        snprintf(err, errlen, "bad header on line %llu: %s",
                 r->scan.rec_line, scan_reason(r));
        return TRIAGE_EINVAL;
    }
    return batch_cols_set_header(&r->cols, &r->scan);
}

/*
 * No header and no text column given: the file must have one column. Read
 * record 1 now to check, and hand it out on the first batch_reader_next().
 */
static triage_status check_single_column(struct batch_reader *r, char *err,
                                         size_t errlen)
{
    int rc = batch_scan_next(&r->scan, r->dec);

    if (rc < 0)
        return open_fail(r, rc, err, errlen);
    if (rc == 0) {
        r->at_eof = 1;
        return TRIAGE_OK;
    }
    if (r->scan.err == BATCH_SCAN_OK && r->scan.nfields == 1) {
        r->pending = 1;
        return TRIAGE_OK;
    }
    if (r->scan.err != BATCH_SCAN_OK)
        snprintf(err, errlen, "no text column given and line %llu is "
                 "unreadable (%s)", r->scan.rec_line, scan_reason(r));
    else
        snprintf(err, errlen, "no text column given and line %llu has %zu "
                 "columns; give the text column's number",
                 r->scan.rec_line, r->scan.nfields);
    return TRIAGE_EINVAL;
}

static triage_status setup_delim(struct batch_reader *r,
                                 const struct batch_opts *o, char *err,
                                 size_t errlen)
{
    triage_status st;
    size_t i;

    r->scan.sep = r->format == BATCH_FORMAT_TSV ? '\t' : ',';
    r->scan.quotes = 1;
    if (r->format == BATCH_FORMAT_CSV && (st = sniff_csv_sep(r, o->delimiter)) != TRIAGE_OK)
        return st;
    if (!o->no_header) {
        st = read_header(r, err, errlen);
        if (st != TRIAGE_OK || r->at_eof)
            return st;
    }
    st = batch_cols_resolve(&r->cols, o, err, errlen);
    if (st == TRIAGE_OK)
        st = batch_cols_want(&r->cols, &r->scan);
    if (st == TRIAGE_OK && r->cols.n_keep > 0) {
        r->kept = calloc(r->cols.n_keep, sizeof *r->kept);
        if (r->kept == NULL)
            return TRIAGE_ENOMEM;
        for (i = 0; i < r->cols.n_keep; i++)
            r->kept[i].name = r->cols.keep_names[i];
    }
    if (st == TRIAGE_OK && r->cols.text_defaulted)
        st = check_single_column(r, err, errlen);
    return st;
}

/* Text and JSON Lines: the scanner hands out whole lines as column 1. */
static triage_status setup_lines(struct batch_reader *r,
                                 const struct batch_opts *o, char *err,
                                 size_t errlen)
{
    r->scan.sep = -1;
    r->scan.quotes = 0;
    r->scan.want = calloc(1, 1);
    if (r->scan.want == NULL)
        return TRIAGE_ENOMEM;
    r->scan.want[0] = 1;
    r->scan.n_want = 1;
    if (r->format == BATCH_FORMAT_TEXT)
        return TRIAGE_OK;
    /* A JSON line carries the text escaped ("\u4e2d" is 6 bytes for the 3 of 中). */
    r->scan.max_field = r->scan.max_field > SIZE_MAX / 2
                            ? SIZE_MAX
                            : r->scan.max_field * 2;
    return batch_jsonl_create(&r->jsonl, o, err, errlen);
}

static triage_status check_opts(const char *path, const struct batch_opts *o,
                                char *err, size_t errlen)
{
    size_t i;

    if (path == NULL || (unsigned)o->format > BATCH_FORMAT_TEXT ||
        (o->n_text_cols > 0 && o->text_cols == NULL) ||
        (o->n_keep_cols > 0 && o->keep_cols == NULL)) {
        snprintf(err, errlen, "bad reader options");
        return TRIAGE_EINVAL;
    }
    for (i = 0; i < o->n_text_cols; i++)
        if (o->text_cols[i] == NULL)
            return check_opts(NULL, o, err, errlen);
    for (i = 0; i < o->n_keep_cols; i++)
        if (o->keep_cols[i] == NULL)
            return check_opts(NULL, o, err, errlen);
    return TRIAGE_OK;
}

triage_status batch_reader_open(struct batch_reader **out, const char *path,
                                const struct batch_opts *o, char *err,
                                size_t errlen)
{
    triage_status st;
    struct batch_opts defaults;
    struct batch_reader *r = NULL;
    char scratch[256];

    if (err == NULL || errlen == 0) {
        err = scratch;
        errlen = sizeof scratch;
    }
    err[0] = '\0';
    if (out == NULL)
        return TRIAGE_EINVAL;
    *out = NULL;
    if (o == NULL) {
        batch_opts_init(&defaults);
        o = &defaults;
    }
    st = check_opts(path, o, err, errlen);
    if (st != TRIAGE_OK)
        return st;
    r = calloc(1, sizeof *r);
    if (r == NULL)
        return TRIAGE_ENOMEM;
    batch_cols_free(&r->cols);   /* sets the "no column" markers */
    r->scan.max_field = o->max_field ? o->max_field : BATCH_MAX_FIELD_DEFAULT;
    r->scan.line = 1;
    r->scan.eol = '\n';         /* until sniff_eol reads the head */
    st = batch_dec_open(&r->dec, path, o->encoding, err, errlen);
    if (st == TRIAGE_OK) {
        r->dec->idle = o->idle;
        r->dec->idle_arg = o->idle_arg;
    }
    /* The head is decoded once; format, line ends and separator read it. */
    if (st == TRIAGE_OK)
        st = batch_dec_sniff(r->dec, &r->head);
    if (st == TRIAGE_OK) {
        pick_format(r, path, o->format);
        sniff_eol(r);
    }
    if (st == TRIAGE_OK && (r->format == BATCH_FORMAT_CSV ||
                            r->format == BATCH_FORMAT_TSV))
        st = setup_delim(r, o, err, errlen);
    else if (st == TRIAGE_OK)
        st = setup_lines(r, o, err, errlen);
    if (st == TRIAGE_OK) {
        batch_buf_free(&r->head);
        *out = r;
        r = NULL;
    } else if (st == TRIAGE_ENOMEM && err[0] == '\0') {
        snprintf(err, errlen, "out of memory");
    }
    batch_reader_close(r);
    return st;
}

/* ---- Records ----------------------------------------------------------- */

/* A trimmed copy of column idx in b; NULL when absent or blank. */
static triage_status cell(const struct batch_reader *r, size_t idx,
                          struct batch_buf *b, const char **out)
{
    const char *v;
    size_t len;

    *out = NULL;
    if (idx == BATCH_NO_COL)
        return TRIAGE_OK;
    v = batch_scan_field(&r->scan, idx, &len);
    batch_trim(&v, &len);
    if (len == 0)
        return TRIAGE_OK;
    b->len = 0;
    if (batch_buf_add(b, v, len) != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    *out = b->data;
    return TRIAGE_OK;
}

/* The text columns joined with "\n"; blank parts are left out. */
static triage_status join_text(struct batch_reader *r, const char **text,
                               size_t *len)
{
    const char *v;
    size_t i, n;

    if (r->cols.n_text == 1) {
        *text = batch_scan_field(&r->scan, r->cols.text_idx[0], len);
        return TRIAGE_OK;
    }
    if (batch_buf_clear(&r->text) != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    for (i = 0; i < r->cols.n_text; i++) {
        v = batch_scan_field(&r->scan, r->cols.text_idx[i], &n);
        if (batch_is_blank(v, n))
            continue;
        if ((r->text.len > 0 && batch_buf_add(&r->text, "\n", 1)) ||
            batch_buf_add(&r->text, v, n) != TRIAGE_OK)
            return TRIAGE_ENOMEM;
    }
    *text = r->text.data;
    *len = r->text.len;
    return TRIAGE_OK;
}

static triage_status build_delim(struct batch_reader *r,
                                 struct batch_record *rec)
{
    const struct batch_cols *c = &r->cols;
    const char *text;
    size_t i, len;

    if (join_text(r, &text, &len) != TRIAGE_OK ||
        cell(r, c->id_idx, &r->id, &rec->id) != TRIAGE_OK ||
        cell(r, c->date_idx, &r->date, &rec->date) != TRIAGE_OK ||
        cell(r, c->cust_idx, &r->cust, &rec->customer) != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    for (i = 0; i < c->n_keep; i++)
        r->kept[i].value = batch_scan_field(&r->scan, c->keep_idx[i],
                                            &r->kept[i].len);
    rec->kept = r->kept;
    rec->n_kept = c->n_keep;
    /* Fields past the header's last would be lost without a word: most
     * often a separator inside unquoted text ("退款, 没到账"). */
    if (c->n_hdr > 0 && r->scan.filled > c->n_hdr) {
        char sep[8] = "a tab";

        if (r->scan.sep != '\t')
            snprintf(sep, sizeof sep, "'%c'", r->scan.sep);
        snprintf(r->msg, sizeof r->msg, "%zu fields where the header has %zu: "
                 "a field holding %s must be quoted", r->scan.filled, c->n_hdr, sep);
        rec->error = r->msg;
        return TRIAGE_OK;
    }
    if (batch_is_blank(text, len)) {
        if (r->scan.nfields == 1 && r->scan.filled == 0 && c->n_hdr > 1) {
            rec->error = "blank line";
        } else if (c->n_hdr > 0 && r->scan.nfields < c->n_hdr) {
            snprintf(r->msg, sizeof r->msg, "no text: %zu field%s where the "
                     "header has %zu", r->scan.nfields,
                     r->scan.nfields == 1 ? "" : "s", c->n_hdr);
            rec->error = r->msg;
        } else {
            rec->error = "empty text";
        }
        return TRIAGE_OK;
    }
    rec->text = text;
    rec->text_len = len;
    return TRIAGE_OK;
}

static triage_status build_line(struct batch_reader *r,
                                struct batch_record *rec)
{
    size_t len;
    const char *line = batch_scan_field(&r->scan, 0, &len);

    if (r->format == BATCH_FORMAT_JSONL)
        return batch_jsonl_record(r->jsonl, line, len, rec);
    if (batch_is_blank(line, len)) {
        rec->error = "empty text";
        return TRIAGE_OK;
    }
    rec->text = line;
    rec->text_len = len;
    return TRIAGE_OK;
}

int batch_reader_next(struct batch_reader *r, struct batch_record *rec)
{
    triage_status st;
    int rc = 1;

    if (r == NULL || rec == NULL)
        return -TRIAGE_EINVAL;
    memset(rec, 0, sizeof *rec);
    if (r->failed != TRIAGE_OK)
        return -(int)r->failed;
    if (r->at_eof)
        return 0;
    if (r->pending)
        r->pending = 0;
    else
        rc = batch_scan_next(&r->scan, r->dec);
    if (rc < 0)
        return fail(r, rc);
    if (rc == 0) {
        r->at_eof = 1;
        return 0;
    }
    rec->number = ++r->number;
    rec->line = r->scan.rec_line;
    rec->offset = r->scan.rec_offset;
    rec->error = scan_reason(r);
    if (rec->error != NULL)
        return 1;
    if (r->format == BATCH_FORMAT_CSV || r->format == BATCH_FORMAT_TSV)
        st = build_delim(r, rec);
    else
        st = build_line(r, rec);
    return st == TRIAGE_OK ? 1 : fail(r, -(int)st);
}

const char *batch_reader_error(const struct batch_reader *r)
{
    return r != NULL ? r->ioerr : "";
}

enum batch_format batch_reader_format(const struct batch_reader *r)
{
    return r->format;
}

const char *batch_reader_encoding(const struct batch_reader *r)
{
    return batch_dec_name(r->dec);
}

void batch_reader_close(struct batch_reader *r)
{
    if (r == NULL)
        return;
    batch_dec_close(r->dec);
    batch_scan_free(&r->scan);
    batch_cols_free(&r->cols);
    batch_jsonl_destroy(r->jsonl);
    free(r->kept);
    batch_buf_free(&r->text);
    batch_buf_free(&r->id);
    batch_buf_free(&r->date);
    batch_buf_free(&r->cust);
    batch_buf_free(&r->head);
    free(r);
}
