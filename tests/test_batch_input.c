/*
 * test_batch_input.c - the batch reader (cli/batch_*.c) on real exports in
 * tests/data/batch/: encodings, CSV quirks, error records, paths, dates.
 */
#include <iconv.h>
#include <unistd.h>

#include "test_util.h"
#include "batch_internal.h"   /* the JSON Lines scanner, too */

#define DATA "tests/data/batch/"

/* A copy of one record (the reader's strings die at the next call). */
struct rec {
    unsigned long long number, line, offset;
    char *text;
    size_t text_len;
    char *id, *date, *customer, *error;
    size_t n_kept;
    char *kept_name[4], *kept_val[4];
    size_t kept_len[4];
};

struct recs {
    struct rec *v;
    size_t n, good, bad;
    enum batch_format format;
    char enc[32];
};

static char *dup_n(const char *s, size_t n)
{
    char *p;

    if (s == NULL)
        return NULL;
    p = malloc(n + 1);
    assert_non_null(p);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static char *dup_s(const char *s)
{
    return s ? dup_n(s, strlen(s)) : NULL;
}

static void copy_rec(struct rec *d, const struct batch_record *s)
{
    size_t i;

    memset(d, 0, sizeof *d);
    d->number = s->number;
    d->line = s->line;
    d->offset = s->offset;
    d->text = dup_n(s->text, s->text_len);
    d->text_len = s->text_len;
    d->id = dup_s(s->id);
    d->date = dup_s(s->date);
    d->customer = dup_s(s->customer);
    d->error = dup_s(s->error);
    d->n_kept = s->n_kept;
    assert_true(s->n_kept <= 4);
    for (i = 0; i < s->n_kept; i++) {
        d->kept_name[i] = dup_s(s->kept[i].name);
        d->kept_val[i] = dup_n(s->kept[i].value, s->kept[i].len);
        d->kept_len[i] = s->kept[i].len;
    }
}

static void free_recs(struct recs *r)
{
    size_t i, k;

    for (i = 0; i < r->n; i++) {
        free(r->v[i].text);
        free(r->v[i].id);
        free(r->v[i].date);
        free(r->v[i].customer);
        free(r->v[i].error);
        for (k = 0; k < r->v[i].n_kept; k++) {
            free(r->v[i].kept_name[k]);
            free(r->v[i].kept_val[k]);
        }
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}

/*
 * Read every record of 'path', checking the invariants every run must
 * keep: numbers 1..n in order, error records carry a reason and no text,
 * good ones text and no reason, and n = good + error.
 */
static void read_recs(const char *path, const struct batch_opts *o,
                      struct recs *out)
{
    struct batch_reader *r = NULL;
    struct batch_record rec;
    char err[256];
    int rc;

    memset(out, 0, sizeof *out);
    if (batch_reader_open(&r, path, o, err, sizeof err) != TRIAGE_OK)
        fail_msg("open %s: %s", path, err);
    out->format = batch_reader_format(r);
    snprintf(out->enc, sizeof out->enc, "%s", batch_reader_encoding(r));
    while ((rc = batch_reader_next(r, &rec)) == 1) {
        out->v = realloc(out->v, (out->n + 1) * sizeof *out->v);
        assert_non_null(out->v);
        copy_rec(&out->v[out->n++], &rec);
        assert_int_equal(rec.number, out->n);
        if (rec.error != NULL) {
            out->bad++;
            assert_null(rec.text);
            assert_true(rec.error[0] != '\0');
        } else {
            out->good++;
            assert_non_null(rec.text);
        }
    }
    assert_int_equal(rc, 0);
    assert_int_equal(batch_reader_next(r, &rec), 0);   /* stays at end */
    assert_int_equal(out->n, out->good + out->bad);
    batch_reader_close(r);
}

/* Expect open to fail with 'st' and a message containing 'part'. */
static void open_fails(const char *path, const struct batch_opts *o,
                       triage_status st, const char *part)
{
    struct batch_reader *r = (struct batch_reader *)&r;   /* not NULL */
    char err[256];

    assert_int_equal(batch_reader_open(&r, path, o, err, sizeof err), st);
    assert_null(r);
    if (strstr(err, part) == NULL)
        fail_msg("message '%s' lacks '%s'", err, part);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    rewind(f);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* A temporary file holding data; 'suffix' may be "" (no extension). */
static char *tmp_file(const char *suffix, const void *data, size_t n)
{
    char *path = malloc(64);
    int fd;

    assert_non_null(path);
    snprintf(path, 64, "/tmp/batch_test_XXXXXX%s", suffix);
    fd = mkstemps(path, (int)strlen(suffix));
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    close(fd);
    return path;
}

static void drop_tmp(char *path)
{
    unlink(path);
    free(path);
}

/* Encode UTF-8 text with iconv; the caller frees. */
static char *encode(const char *to, const char *utf8, size_t n, size_t *len)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    size_t cap = 4 * n + 16, inleft = n, oleft = cap;
    char *out = malloc(cap), *in = (char *)utf8, *o = out;

    assert_true(cd != (iconv_t)-1);
    assert_non_null(out);
    assert_true(iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1);
    iconv_close(cd);
    *len = cap - oleft;
    return out;
}

static void assert_starts(const char *file, size_t flen,
                          unsigned long long off, const char *want, size_t n)
{
    assert_true(off + n <= flen);
    assert_memory_equal(file + off, want, n);
}

/* ---- Encodings --------------------------------------------------------- */

static void test_batch_gb18030_excel_csv_decodes(void **state)
{
    static const unsigned long long lines[] = { 2, 4, 5, 6 };
    static const char *const ids[] = { "A001", "A002", "A003", "A004" };
    static const char *const months[] = { "2024-03", "2024-03", "2024-03",
                                          "2024-03" };
    struct recs r;
    size_t flen, i;
    char *file = slurp(DATA "gb18030_excel.csv", &flen), month[8];

    (void)state;
    read_recs(DATA "gb18030_excel.csv", NULL, &r);
    assert_int_equal(r.format, BATCH_FORMAT_CSV);
    assert_string_equal(r.enc, "GB18030");
    assert_int_equal(r.n, 4);
    assert_int_equal(r.good, 4);
    for (i = 0; i < 4; i++) {
        assert_int_equal(r.v[i].line, lines[i]);
        assert_string_equal(r.v[i].id, ids[i]);
        assert_starts(file, flen, r.v[i].offset, ids[i], 4);
        assert_int_equal(batch_parse_month(r.v[i].date, month), 1);
        assert_string_equal(month, months[i]);
    }
    assert_int_equal(r.v[0].offset, 34);   /* after the 34-byte header */
    assert_string_equal(r.v[0].text, "吃了你们的感冒药以后全身起疹子，很痒。\n"
                                     "昨天晚上还头晕。");
    assert_string_equal(r.v[1].text, "包装破损,药片碎了,说明书也没有");
    assert_string_equal(r.v[2].text,
                        "客服说\"没问题\"，可是吃了一周根本没效果");
    assert_string_equal(r.v[3].text, "退款申请提交半个月了还没到账");
    assert_string_equal(r.v[0].customer, "张三");
    assert_string_equal(r.v[3].date, "45358");
    free(file);
    free_recs(&r);
}

static void test_batch_gbk_names_select_gb18030(void **state)
{
    static const char *const names[] = { "GBK", "cp936", "GB2312",
                                         "gb18030" };
    struct batch_opts o;
    struct recs r;
    size_t i;

    (void)state;
    batch_opts_init(&o);
    for (i = 0; i < 4; i++) {
        o.encoding = names[i];
        read_recs(DATA "gb18030_excel.csv", &o, &r);
        assert_string_equal(r.enc, "GB18030");
        assert_int_equal(r.good, 4);
        free_recs(&r);
    }
}

static void test_batch_big5_csv_decodes_when_named(void **state)
{
    struct batch_opts o;
    struct recs r;
    size_t flen;
    char *file = slurp(DATA "big5.csv", &flen);

    (void)state;
    batch_opts_init(&o);
    o.encoding = "big5";
    read_recs(DATA "big5.csv", &o, &r);
    assert_string_equal(r.enc, "BIG5");
    assert_int_equal(r.n, 2);
    assert_int_equal(r.good, 2);
    assert_int_equal(r.v[0].line, 2);
    assert_int_equal(r.v[1].line, 4);
    assert_string_equal(r.v[0].id, "B001");
    assert_string_equal(r.v[0].text, "吃了藥以後一直頭痛,\n還有點噁心");
    /* 許 is A6 5C in Big5: the backslash trail byte must not confuse us. */
    assert_string_equal(r.v[1].text, "包裝破損，許多藥片都碎了");
    assert_string_equal(r.v[1].date, "2024.03.06");
    assert_starts(file, flen, r.v[0].offset, "B001", 4);
    assert_starts(file, flen, r.v[1].offset, "B002", 4);
    free(file);
    free_recs(&r);

    o.encoding = "BIG5-HKSCS";
    read_recs(DATA "big5.csv", &o, &r);
    assert_string_equal(r.enc, "BIG5-HKSCS");
    assert_string_equal(r.v[1].text, "包裝破損，許多藥片都碎了");
    free_recs(&r);
}

static void check_utf16_tsv(const struct recs *r, const char *file,
                             size_t flen, int le)
{
    static const unsigned long long lines[] = { 2, 4, 5 };
    static const char *const ids[] = { "T-01", "T-02", "T-03" };
    char first[2];
    size_t i;

    assert_int_equal(r->format, BATCH_FORMAT_TSV);
    assert_string_equal(r->enc, le ? "UTF-16LE" : "UTF-16BE");
    assert_int_equal(r->n, 3);
    assert_int_equal(r->good, 3);
    for (i = 0; i < 3; i++) {
        assert_int_equal(r->v[i].line, lines[i]);
        assert_string_equal(r->v[i].id, ids[i]);
        first[0] = le ? 'T' : 0;
        first[1] = le ? 0 : 'T';
        assert_starts(file, flen, r->v[i].offset, first, 2);
    }
    assert_string_equal(r->v[0].text, "药吃完胃疼😡\n一直没好");
    assert_string_equal(r->v[1].text, "说明书写的\"饭后服用\"不清楚");
    assert_string_equal(r->v[0].customer, "13800000000");
    assert_null(r->v[1].customer);
    assert_string_equal(r->v[2].date, "45360.5");
}

static void test_batch_utf16le_tsv_with_bom(void **state)
{
    struct recs r;
    size_t flen;
    char *file = slurp(DATA "utf16le.tsv", &flen);

    (void)state;
    read_recs(DATA "utf16le.tsv", NULL, &r);
    check_utf16_tsv(&r, file, flen, 1);
    free_recs(&r);
    free(file);
}

/* Without an extension the content decides, after UTF-16 decoding. */
static void test_batch_utf16_tsv_sniffed_without_extension(void **state)
{
    struct recs r;
    size_t flen, u8len, blen;
    char *le = slurp(DATA "utf16le.tsv", &flen), *path;
    char *u8 = slurp(DATA "src/utf16le.tsv.utf8", &u8len);
    char *be = encode("UTF-16BE", u8, u8len, &blen), *bom;

    (void)state;
    path = tmp_file("", le, flen);
    read_recs(path, NULL, &r);
    check_utf16_tsv(&r, le, flen, 1);
    free_recs(&r);
    drop_tmp(path);

    bom = malloc(blen + 2);
    memcpy(bom, "\xFE\xFF", 2);
    memcpy(bom + 2, be, blen);
    path = tmp_file("", bom, blen + 2);
    read_recs(path, NULL, &r);
    check_utf16_tsv(&r, bom, blen + 2, 0);
    free_recs(&r);
    drop_tmp(path);
    free(le);
    free(u8);
    free(be);
    free(bom);
}

static void test_batch_utf8_bom_csv_header_is_matched(void **state)
{
    static const char *const keep[] = { "Channel" };
    struct batch_opts o;
    struct recs r;

    (void)state;
    batch_opts_init(&o);
    o.keep_cols = keep;
    o.n_keep_cols = 1;
    read_recs(DATA "utf8_bom.csv", &o, &r);
    assert_string_equal(r.enc, "UTF-8");
    assert_int_equal(r.n, 2);
    assert_string_equal(r.v[0].id, "1");      /* "id" right after the BOM */
    assert_string_equal(r.v[0].date, "2024-03-05");
    assert_string_equal(r.v[0].customer, "c-1");
    assert_string_equal(r.v[0].text, "The tablets were crushed, box damaged");
    assert_int_equal(r.v[0].offset, 44);
    assert_int_equal(r.v[0].n_kept, 1);
    assert_string_equal(r.v[0].kept_name[0], "channel");
    assert_string_equal(r.v[1].kept_val[0], "phone");
    free_recs(&r);
}

static void test_batch_invalid_gb18030_sequence_marks_only_its_record(
    void **state)
{
    static const unsigned long long lines[] = { 2, 3, 5, 6, 7 };
    struct recs r;
    size_t flen, i;
    char *file = slurp(DATA "gb18030_invalid.csv", &flen), want[80];
    const char *ff = memchr(file, 0xFF, flen);
    const char *x81 = memmem(file, flen, "\x81\"", 2);

    (void)state;
    assert_non_null(ff);
    assert_non_null(x81);
    read_recs(DATA "gb18030_invalid.csv", NULL, &r);
    assert_string_equal(r.enc, "GB18030");
    assert_int_equal(r.n, 5);
    assert_int_equal(r.good, 3);
    assert_int_equal(r.bad, 2);
    for (i = 0; i < 5; i++)
        assert_int_equal(r.v[i].line, lines[i]);
    /* The bad byte is on the second line of a quoted field. */
    snprintf(want, sizeof want, "invalid GB18030 byte sequence at byte %ld",
             (long)(ff - file));
    assert_string_equal(r.v[1].error, want);
    assert_null(r.v[1].id);
    assert_string_equal(r.v[2].text, "后面的记录照常读取𠮷");
    /* A lone lead byte before the closing quote does not eat the quote. */
    snprintf(want, sizeof want, "invalid GB18030 byte sequence at byte %ld",
             (long)(x81 - file));
    assert_string_equal(r.v[3].error, want);
    assert_string_equal(r.v[4].text, "最后一条");
    assert_starts(file, flen, r.v[4].offset, "G5", 2);
    free(file);
    free_recs(&r);
}

/* Bytes UTF-8 does not allow are passed on for the engine to flag. */
static void test_batch_invalid_utf8_passes_through(void **state)
{
    static const char data[] = "text\nok \xFF\xFE bytes\n";
    struct batch_opts o;
    struct recs r;
    char *path = tmp_file(".csv", data, sizeof data - 1);

    (void)state;
    batch_opts_init(&o);
    o.encoding = "utf-8";
    read_recs(path, &o, &r);
    assert_int_equal(r.good, 1);
    assert_string_equal(r.v[0].text, "ok \xFF\xFE bytes");
    free_recs(&r);
    drop_tmp(path);
}

/*
 * Detection reads 64 KiB: a character cut at that boundary is still UTF-8,
 * and bad bytes after it do not change the decision.
 */
static void test_batch_utf8_detection_allows_cut_at_64k(void **state)
{
    size_t n = 65536 + 64, i;
    char *data = malloc(n), *path;
    struct recs r;

    (void)state;
    memcpy(data, "text\n", 5);
    for (i = 5; i < 65535; i++)
        data[i] = 'a';
    memcpy(data + 65535, "\xE5\x86\x85", 3);   /* 内 across the boundary */
    for (i = 65538; i < n - 2; i++)
        data[i] = 'b';
    data[n - 3] = '\xFF';
    data[n - 2] = 'c';
    data[n - 1] = '\n';
    path = tmp_file(".csv", data, n);
    read_recs(path, NULL, &r);
    assert_string_equal(r.enc, "UTF-8");
    assert_int_equal(r.n, 1);
    assert_int_equal(r.v[0].text_len, n - 6);
    assert_memory_equal(r.v[0].text + 65530, "\xE5\x86\x85", 3);
    free_recs(&r);
    drop_tmp(path);
    free(data);
}

/* A lead byte at the very end of a GB18030 file: a truncated record. */
static void test_batch_gb18030_cut_at_end_is_error_record(void **state)
{
    static const char src[] = "内容\n第一条\n第二条";
    size_t len;
    char *enc = encode("GB18030", src, sizeof src - 1, &len), *path;
    struct recs r;

    (void)state;
    enc = realloc(enc, len + 1);
    enc[len] = '\x81';
    path = tmp_file(".csv", enc, len + 1);
    read_recs(path, NULL, &r);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.v[0].text, "第一条");
    assert_int_equal(r.v[1].line, 3);
    assert_non_null(strstr(r.v[1].error, "invalid GB18030 byte sequence"));
    free_recs(&r);
    drop_tmp(path);
    free(enc);
}

/* ---- CSV quoting ------------------------------------------------------- */

static void test_batch_multiline_quoted_fields(void **state)
{
    static const unsigned long long lines[] = { 2, 5, 6, 8, 9 };
    static const char *const texts[] = {
        "line one\nline two\nline three",
        "single",
        "crlf inside\r\nquoted",
        "\"quoted at start\" and end \"x\"",
        "plain \"quote\" inside unquoted",
    };
    struct recs r;
    size_t flen, i;
    char *file = slurp(DATA "multiline.csv", &flen), id[3] = "m0";

    (void)state;
    read_recs(DATA "multiline.csv", NULL, &r);
    assert_int_equal(r.n, 5);
    assert_int_equal(r.good, 5);
    for (i = 0; i < 5; i++) {
        id[1] = (char)('1' + i);
        assert_int_equal(r.v[i].line, lines[i]);
        assert_string_equal(r.v[i].text, texts[i]);
        assert_string_equal(r.v[i].id, id);
        assert_starts(file, flen, r.v[i].offset, id, 2);
    }
    free(file);
    free_recs(&r);
}

static void test_batch_semicolon_csv_is_sniffed_or_named(void **state)
{
    /* Excel's CSV where the decimal mark is a comma: ';' between fields,
     * commas inside the text. */
    static const char semi[] = "编号;投诉内容;日期\n"
                               "s1;药没效果, 要退款;2024-01-02\n"
                               "s2;\"引号里; 也行\";2024-01-03\n";
    static const char pipe[] = "id|text\nq1|退款, 没到账\n";
    struct batch_opts o;
    struct recs r;
    char *path = tmp_file(".csv", semi, sizeof semi - 1);

    (void)state;
    read_recs(path, NULL, &r);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.good, 2);
    assert_string_equal(r.v[0].id, "s1");
    assert_string_equal(r.v[0].text, "药没效果, 要退款");
    assert_string_equal(r.v[0].date, "2024-01-02");
    assert_string_equal(r.v[1].text, "引号里; 也行");
    free_recs(&r);
    /* A named separator wins over the guess: one header column, so the
     * record with a comma would be cut there; it is an error record. */
    batch_opts_init(&o);
    o.delimiter = ',';
    read_recs(path, &o, &r);
    assert_int_equal(r.n, 2);
    assert_null(r.v[0].text);
    assert_string_equal(r.v[0].error,
                        "2 fields where the header has 1: a field holding ',' must be quoted");
    assert_string_equal(r.v[1].text, "s2;\"引号里; 也行\";2024-01-03");
    free_recs(&r);
    drop_tmp(path);
    path = tmp_file(".csv", pipe, sizeof pipe - 1);
    o.delimiter = '|';
    read_recs(path, &o, &r);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.v[0].id, "q1");
    assert_string_equal(r.v[0].text, "退款, 没到账");
    free_recs(&r);
    drop_tmp(path);
}

static void test_batch_unterminated_quote_at_end_is_error_record(
    void **state)
{
    struct recs r;

    (void)state;
    read_recs(DATA "truncated.csv", NULL, &r);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.good, 1);
    assert_string_equal(r.v[0].text, "ok");
    assert_int_equal(r.v[1].line, 3);
    /* The message says how far the open quote reached. */
    assert_string_equal(r.v[1].error,
                        "bad quoting: the quote opened on line 3 never closes, "
                        "so lines 3-4 (the end of the file) were read as one field");
    free_recs(&r);
}

static void test_batch_text_after_closing_quote_resumes_next_line(
    void **state)
{
    static const unsigned long long lines[] = { 2, 3, 4, 5, 6, 8 };
    /* The line of the stray text: s5's is the second of its record. */
    static const unsigned long long bad_line[] = { 2, 0, 4, 0, 7, 0 };
    struct recs r;
    size_t i;
    char want[160];

    (void)state;
    read_recs(DATA "stray_quote.csv", NULL, &r);
    assert_int_equal(r.n, 6);
    assert_int_equal(r.good, 3);
    assert_int_equal(r.bad, 3);
    for (i = 0; i < 6; i++) {
        assert_int_equal(r.v[i].line, lines[i]);
        if (bad_line[i] == 0)
            continue;
        snprintf(want, sizeof want, "bad quoting: text after a closing quote on "
                 "line %llu (a quote inside a quoted field is written twice: \"\")",
                 bad_line[i]);
        assert_string_equal(r.v[i].error, want);
    }
    assert_string_equal(r.v[1].text, "good one");
    assert_string_equal(r.v[3].text, "fine");
    assert_string_equal(r.v[5].text, "after the bad one");
    assert_string_equal(r.v[5].id, "s6");
    free_recs(&r);
}

static void test_batch_empty_text_cells_are_error_records(void **state)
{
    static const char *const ids[] = { "e1", "e2", "e3", NULL,
                                       "e5", "e6", "e7" };
    struct recs r;
    size_t i;

    (void)state;
    read_recs(DATA "empty_text.csv", NULL, &r);
    assert_int_equal(r.n, 7);
    assert_int_equal(r.good, 2);
    assert_int_equal(r.bad, 5);
    for (i = 0; i < 7; i++) {
        assert_int_equal(r.v[i].line, i + 2);
        if (ids[i] == NULL)
            assert_null(r.v[i].id);
        else
            assert_string_equal(r.v[i].id, ids[i]);
        if (i == 3)
            assert_string_equal(r.v[i].error, "blank line");
        else if (i == 6)        /* a record without the text column */
            assert_string_equal(r.v[i].error, "no text: 1 field where the header has 2");
        else if (i != 0 && i != 5)
            assert_string_equal(r.v[i].error, "empty text");
    }
    assert_string_equal(r.v[5].text, "last");
    free_recs(&r);
}

static void test_batch_field_over_max_is_error_record(void **state)
{
    static const char data[] =
        "id,text\n"
        "f1,short\n"
        "f2,this text is longer than sixteen bytes\n"
        "f3,\"quoted and long\nover two lines for sure\"\n"
        "f4,fine again\n";
    struct batch_opts o;
    struct recs r;
    char *path = tmp_file(".csv", data, sizeof data - 1);

    (void)state;
    batch_opts_init(&o);
    o.max_field = 16;
    read_recs(path, &o, &r);
    assert_int_equal(r.n, 4);
    assert_int_equal(r.good, 2);
    assert_string_equal(r.v[1].error, "field over 16 bytes");
    assert_string_equal(r.v[2].error, "field over 16 bytes");
    assert_int_equal(r.v[2].line, 4);
    assert_int_equal(r.v[3].line, 6);
    assert_string_equal(r.v[3].text, "fine again");
    free_recs(&r);
    drop_tmp(path);
}

static void test_batch_nul_bytes_are_data(void **state)
{
    struct recs r;

    (void)state;
    read_recs(DATA "nul.csv", NULL, &r);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.good, 2);
    assert_int_equal(r.v[0].text_len, 3);
    assert_memory_equal(r.v[0].text, "a\0b", 3);
    assert_int_equal(r.v[1].text_len, 4);
    assert_memory_equal(r.v[1].text, "c\0d\0", 4);
    free_recs(&r);

    read_recs(DATA "nul.txt", NULL, &r);
    assert_int_equal(r.format, BATCH_FORMAT_TEXT);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.good, 3);
    assert_int_equal(r.v[0].text_len, 10);
    assert_memory_equal(r.v[0].text, "first\0line", 10);
    assert_int_equal(r.v[2].text_len, 1);
    assert_int_equal(r.v[2].offset, 23);
    free_recs(&r);
}

/* ---- Columns ----------------------------------------------------------- */

static void test_batch_chinese_headers_guess_columns(void **state)
{
    static const char *const keep[] = { "处理结果", "2" };
    struct batch_opts o;
    struct recs r;

    (void)state;
    batch_opts_init(&o);
    o.keep_cols = keep;
    o.n_keep_cols = 2;
    read_recs(DATA "chinese_headers.csv", &o, &r);
    assert_int_equal(r.n, 2);
    /* 内容 is tried before 问题描述, whatever the header order. */
    assert_string_equal(r.v[0].text, "买的药过期了");
    assert_string_equal(r.v[0].id, "W-001");
    assert_string_equal(r.v[0].date, "2024-03-05");   /* 时间, not 受理时间 */
    assert_string_equal(r.v[1].customer, "陈女士");    /* 客户 before 手机 */
    assert_string_equal(r.v[1].kept_name[0], "处理结果");
    assert_string_equal(r.v[1].kept_val[0], "已道歉");
    assert_string_equal(r.v[1].kept_name[1], "工单号");
    assert_string_equal(r.v[1].kept_val[1], "W-002");
    free_recs(&r);
}

/* Read a CSV given as a string with the default options. */
static void read_csv_str(const char *csv, struct recs *r)
{
    char *path = tmp_file(".csv", csv, strlen(csv));

    read_recs(path, NULL, r);
    drop_tmp(path);
}

/* Headers no list names whole: their words give the roles, a column is
 * taken once, and a role's 'not' words (编号, type, ...) keep it out. */
static void test_batch_header_words_guess_columns(void **state)
{
    static const char zh[] = "工单编号,客户姓名,联系电话,客户反馈,处理结果,投诉类型\n"
                             "W-9,王女士,139,药盒破了,已换货,包装\n";
    static const char en[] = "CaseNumber,OpenedDate,ContactPhone,IssueDescription,Resolution\n"
                             "C-7,2024-05-06,555,pills were crushed,refund\n";
    static const char none[] = "id,valid,notes\n1,2,3\n";
    struct recs r;
    char *path;

    (void)state;
    read_csv_str(zh, &r);
    assert_string_equal(r.v[0].text, "药盒破了");
    assert_string_equal(r.v[0].id, "W-9");
    assert_string_equal(r.v[0].customer, "王女士");
    free_recs(&r);
    read_csv_str(en, &r);
    assert_string_equal(r.v[0].text, "pills were crushed");
    assert_string_equal(r.v[0].id, "C-7");
    assert_string_equal(r.v[0].date, "2024-05-06");
    assert_string_equal(r.v[0].customer, "555");
    free_recs(&r);
    /* "id" is not found inside "valid", nor a text word in any of them. */
    path = tmp_file(".csv", none, sizeof none - 1);
    open_fails(path, NULL, TRIAGE_EINVAL, "no text column found (header: id, valid, notes)");
    drop_tmp(path);
}

static void test_batch_several_text_columns_are_joined(void **state)
{
    static const char *const text[] = { "问题描述", "8" };
    struct batch_opts o;
    struct recs r;

    (void)state;
    batch_opts_init(&o);
    o.text_cols = text;
    o.n_text_cols = 2;
    o.id_col = "序号";
    read_recs(DATA "chinese_headers.csv", &o, &r);
    assert_string_equal(r.v[0].text, "药品问题\n买的药过期了");
    assert_string_equal(r.v[1].id, "2");
    free_recs(&r);
}

static void test_batch_columns_by_number_without_header(void **state)
{
    static const char *const text[] = { "3" };
    struct batch_opts o;
    struct recs r;

    (void)state;
    batch_opts_init(&o);
    o.no_header = 1;
    o.text_cols = text;
    o.n_text_cols = 1;
    o.id_col = "1";
    o.date_col = "2";
    read_recs(DATA "noheader.csv", &o, &r);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.good, 2);
    assert_int_equal(r.v[0].line, 1);
    assert_int_equal(r.v[0].offset, 0);
    assert_string_equal(r.v[0].id, "1001");
    assert_string_equal(r.v[0].date, "2024-03-05");
    assert_string_equal(r.v[1].text, "多行\n投诉");
    assert_int_equal(r.v[2].line, 4);
    assert_string_equal(r.v[2].error, "empty text");
    assert_string_equal(r.v[2].id, "1003");
    free_recs(&r);

    o.id_col = "编号";
    open_fails(DATA "noheader.csv", &o, TRIAGE_EINVAL, "column number");
}

static void test_batch_column_guessing_failures(void **state)
{
    static const char *const text[] = { "投诉内容" };
    static const char one_col[] = "only one column\nsecond\n";
    struct batch_opts o;
    struct recs r;
    char *path;

    (void)state;
    open_fails(DATA "no_text_col.csv", NULL, TRIAGE_EINVAL,
               "header: 编号, 日期, 备注");
    batch_opts_init(&o);
    o.text_cols = text;
    o.n_text_cols = 1;
    open_fails(DATA "no_text_col.csv", &o, TRIAGE_EINVAL,
               "no column '投诉内容'");
    o.n_text_cols = 0;
    o.id_col = "10";   /* there are 9 columns */
    open_fails(DATA "chinese_headers.csv", &o, TRIAGE_EINVAL,
               "no column '10'");

    /* One column: it is the text, header or not. */
    read_recs(DATA "single_col.csv", NULL, &r);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.v[1].text, "送货太慢");
    free_recs(&r);
    batch_opts_init(&o);
    o.no_header = 1;
    path = tmp_file(".csv", one_col, sizeof one_col - 1);
    read_recs(path, &o, &r);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.v[0].text, "only one column");
    free_recs(&r);
    drop_tmp(path);
    open_fails(DATA "noheader.csv", &o, TRIAGE_EINVAL, "has 3 columns");
}

/* ---- JSON Lines and text ----------------------------------------------- */

typedef triage_status (*jparse_fn)(struct batch_jflat *, const char *, size_t,
                                   const char **);

/* Members of 'line' as "key=value/kind;" (NUL bytes as '0'), parsed by
 * 'parse' (the scanner with its fallback, or jansson alone). */
static void members_by(jparse_fn parse, struct batch_jflat *f, const char *line,
                       char *out, size_t cap)
{
    const char *err;
    size_t i, k, at = 0;

    assert_int_equal(parse(f, line, strlen(line), &err), TRIAGE_OK);
    if (err != NULL)
        fail_msg("'%s': %s", line, err);
    out[0] = '\0';
    for (i = 0; i < f->n; i++) {
        at += (size_t)snprintf(out + at, cap - at, "%s=", f->m[i].key);
        for (k = 0; k < f->m[i].vlen && at + 1 < cap; k++)
            out[at++] = f->m[i].val[k] ? f->m[i].val[k] : '0';
        at += (size_t)snprintf(out + at, cap - at, "/%d;", (int)f->m[i].kind);
    }
}

static void flat_members(struct batch_jflat *f, const char *line, char *out,
                         size_t cap)
{
    members_by(batch_jflat_parse, f, line, out, cap);
}

/* The scanner for flat lines and jansson (for nested ones) render the same
 * members the same way; what the scanner cannot take falls to jansson. */
static void test_batch_jsonl_flat_scanner_agrees_with_jansson(void **state)
{
    static const char *const flat[] = {
        "{\"a\":\"\\u00e9\\ud83d\\ude00 \xe9\x80\x80\",\"n\":-12,\"b\":true,\"z\":null}",
        "{ \"t\" : \"q\\\"\\\\\\/\\b\\f\\n\\r\\t\" , \"f\":false,\"nul\":\"x\\u0000y\"}",
        "{\"id\":0,\"big\":123456789012345678,\"e\":\"\"}",
    };
    struct batch_jflat f;
    char a[512], b[512], line[512];
    const char *err;
    size_t i;

    (void)state;
    memset(&f, 0, sizeof f);
    for (i = 0; i < sizeof flat / sizeof *flat; i++) {
        flat_members(&f, flat[i], a, sizeof a);
        /* jansson alone on the same line: the same members. */
        members_by(batch_jflat_parse_jansson, &f, flat[i], b, sizeof b);
        assert_string_equal(a, b);
        /* The same line with a nested member goes through jansson. */
        snprintf(line, sizeof line, "%.*s,\"x\":[1,{\"k\":null}]}",
                 (int)(strlen(flat[i]) - 1), flat[i]);
        flat_members(&f, line, b, sizeof b);
        assert_int_equal(strncmp(a, b, strlen(a)), 0);
        assert_string_equal(b + strlen(a), "x=[1,{\"k\":null}]/4;");
    }
    flat_members(&f, flat[0], a, sizeof a);
    assert_string_equal(a, "a=\xc3\xa9\xf0\x9f\x98\x80 \xe9\x80\x80/0;n=-12/1;b=true/2;z=/3;");
    /* Left to jansson: reals, -0, huge integers, repeated keys. */
    flat_members(&f, "{\"r\":2.50,\"m\":-0,\"e\":1E2,\"k\":1,\"k\":2}", a, sizeof a);
    assert_string_equal(a, "r=2.5/1;m=0/1;e=100/1;k=2/1;");
    /* Refused with jansson's words. */
    assert_int_equal(batch_jflat_parse(&f, "{\"a\":\"\\ud800\"}", 14, &err), TRIAGE_OK);
    assert_non_null(strstr(err, "invalid Unicode"));
    assert_int_equal(batch_jflat_parse(&f, "{\"a\":\"\xc0\xaf\"}", 10, &err), TRIAGE_OK);
    assert_non_null(strstr(err, "unable to decode byte 0xc0"));
    assert_int_equal(batch_jflat_parse(&f, "{\"a\":1,}", 8, &err), TRIAGE_OK);
    assert_non_null(strstr(err, "invalid JSON"));
    assert_int_equal(batch_jflat_parse(&f, "{\"a\":tru}", 9, &err), TRIAGE_OK);
    assert_non_null(strstr(err, "invalid JSON"));
    assert_int_equal(batch_jflat_parse(&f, "[1]", 3, &err), TRIAGE_OK);
    assert_string_equal(err, "JSON line is not an object");
    batch_jflat_free(&f);
}

static void test_batch_jsonl_broken_line_is_error_record(void **state)
{
    static const char *const errors[] = {
        NULL, "invalid JSON", NULL, "missing text field", NULL,
        "JSON line is not an object", "empty line", "empty text",
        "text field is not a string", NULL,
    };
    struct recs r;
    size_t i;

    (void)state;
    read_recs(DATA "broken.jsonl", NULL, &r);
    assert_int_equal(r.format, BATCH_FORMAT_JSONL);
    assert_int_equal(r.n, 10);
    assert_int_equal(r.good, 4);
    assert_int_equal(r.bad, 6);
    for (i = 0; i < 10; i++) {
        assert_int_equal(r.v[i].line, i + 1);
        if (errors[i] == NULL)
            assert_null(r.v[i].error);
        else if (strncmp(r.v[i].error, errors[i], strlen(errors[i])) != 0)
            fail_msg("record %zu: '%s'", i + 1, r.v[i].error);
    }
    /* jansson quotes the input after "near": that part is cut off. */
    assert_null(strstr(r.v[1].error, "broken"));
    assert_string_equal(r.v[0].id, "101");
    assert_string_equal(r.v[0].text, "吃了药头晕");
    assert_string_equal(r.v[0].date, "2024-03-05");
    assert_string_equal(r.v[0].customer, "138");
    assert_string_equal(r.v[2].id, "T3");
    assert_string_equal(r.v[2].text, "内容在content字段");
    assert_string_equal(r.v[3].id, "104");
    assert_string_equal(r.v[4].text, "12345");
    assert_int_equal(r.v[9].text_len, 10);
    assert_memory_equal(r.v[9].text, "nul\0inside", 10);
    free_recs(&r);
}

static void test_batch_text_format_blank_line_is_error_record(void **state)
{
    struct recs r;

    (void)state;
    read_recs(DATA "complaints.txt", NULL, &r);
    assert_int_equal(r.format, BATCH_FORMAT_TEXT);
    assert_int_equal(r.n, 5);     /* no record after the final newline */
    assert_int_equal(r.good, 3);
    assert_string_equal(r.v[0].text, "first complaint");
    assert_string_equal(r.v[1].error, "empty text");
    assert_string_equal(r.v[2].text, "third, with a comma");
    assert_int_equal(r.v[2].offset, 19);
    assert_string_equal(r.v[3].error, "empty text");
    assert_int_equal(r.v[4].line, 5);
    assert_null(r.v[4].id);
    free_recs(&r);
}

static void test_batch_format_from_content_and_option(void **state)
{
    static const struct {
        const char *data;
        enum batch_format want;
    } cases[] = {
        { "\n  {\"text\": \"a\"}\n", BATCH_FORMAT_JSONL },
        { "编号\t内容\n1\t药不好\n", BATCH_FORMAT_TSV },
        { "编号,内容\n1,药不好\n", BATCH_FORMAT_CSV },
        { "药不好\n包装坏了\n", BATCH_FORMAT_TEXT },
    };
    struct batch_opts o;
    struct recs r;
    size_t i;
    char *path;

    (void)state;
    for (i = 0; i < 4; i++) {
        path = tmp_file("", cases[i].data, strlen(cases[i].data));
        read_recs(path, NULL, &r);
        assert_int_equal(r.format, cases[i].want);
        assert_true(r.good >= 1);
        free_recs(&r);
        drop_tmp(path);
    }
    batch_opts_init(&o);
    o.format = BATCH_FORMAT_TEXT;
    read_recs(DATA "multiline.csv", &o, &r);
    assert_int_equal(r.format, BATCH_FORMAT_TEXT);
    assert_int_equal(r.n, 9);
    assert_string_equal(r.v[0].text, "id,text");
    free_recs(&r);
}

static void test_batch_reads_standard_input(void **state)
{
    struct recs r;

    (void)state;
    assert_non_null(freopen(DATA "utf8_bom.csv", "rb", stdin));
    read_recs("-", NULL, &r);
    assert_int_equal(r.format, BATCH_FORMAT_CSV);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.v[1].id, "2");
    free_recs(&r);
}

/* ---- Streaming --------------------------------------------------------- */

/*
 * A GB18030 file far bigger than the reader's windows: many short records
 * and a quoted field of 240 KB whose lines are 80 KB long, with 4-byte
 * characters, so pieces are cut inside lines and characters straddle the
 * cuts. Every text, line and file offset must come out exact.
 */
/* 药𠮷品 x 30000 with a newline every 10000: 300 KB of UTF-8. */
static char *big_text(size_t *len)
{
    char *big = malloc(400000);
    const char *piece;
    size_t k;

    assert_non_null(big);
    for (*len = 0, k = 0; k < 30000; k++) {
        piece = k % 10000 == 9999 ? "药𠮷\n" : "药𠮷品";
        memcpy(big + *len, piece, strlen(piece));
        *len += strlen(piece);
    }
    return big;
}

static void test_batch_long_gb18030_input_streams_exactly(void **state)
{
    enum { SHORT = 3000, LONG_AT = 1500 };
    size_t total, cap = 1 << 20, i, n, len, tlen;
    char *file = malloc(cap), *src = malloc(400000), *big = big_text(&tlen);
    char *path, *enc, text[64];
    unsigned long long *offs = malloc(SHORT * sizeof *offs);
    unsigned long long *lines = malloc(SHORT * sizeof *lines), line = 2;
    struct recs r;

    (void)state;
    enc = encode("GB18030", "编号,内容\r\n", strlen("编号,内容\r\n"), &total);
    memcpy(file, enc, total);
    free(enc);
    for (i = 0; i < SHORT; i++) {
        if (i == LONG_AT) {
            memcpy(src, "L,\"", 3);
            memcpy(src + 3, big, tlen);
            memcpy(src + 3 + tlen, "\"\r\n", 3);
            n = tlen + 6;
        } else {
            snprintf(text, sizeof text, "第%zu条投诉：药品有问题", i);
            n = (size_t)snprintf(src, 128, "%zu,%s\r\n", i, text);
        }
        enc = encode("GB18030", src, n, &len);
        offs[i] = total;
        lines[i] = line;
        line += i == LONG_AT ? 4 : 1;
        assert_true(total + len <= cap);
        memcpy(file + total, enc, len);
        total += len;
        free(enc);
    }
    path = tmp_file(".csv", file, total);
    read_recs(path, NULL, &r);
    assert_string_equal(r.enc, "GB18030");
    assert_int_equal(r.n, SHORT);
    assert_int_equal(r.good, SHORT);
    for (i = 0; i < SHORT; i++) {
        assert_int_equal(r.v[i].offset, offs[i]);
        assert_int_equal(r.v[i].line, lines[i]);
        if (i == LONG_AT) {
            assert_int_equal(r.v[i].text_len, tlen);
            assert_memory_equal(r.v[i].text, big, tlen);
        } else {
            snprintf(text, sizeof text, "第%zu条投诉：药品有问题", i);
            assert_string_equal(r.v[i].text, text);
        }
    }
    free_recs(&r);
    drop_tmp(path);
    free(file);
    free(src);
    free(big);
    free(offs);
    free(lines);
}

/* UTF-8 input bigger than the read window, quoted fields across reads. */
static void test_batch_long_utf8_input_streams_exactly(void **state)
{
    enum { N = 4000 };
    size_t cap = 1 << 20, total, i;
    char *file = malloc(cap), *path, want[128];
    unsigned long long *offs = malloc(N * sizeof *offs);
    struct recs r;

    (void)state;
    total = (size_t)snprintf(file, cap, "id,text\n");
    for (i = 0; i < N; i++) {
        offs[i] = total;
        total += (size_t)snprintf(file + total, cap - total,
                                  "%zu,\"投诉 %zu\n第二行, \"\"引号\"\"\"\n", i,
                                  i);
    }
    path = tmp_file(".csv", file, total);
    read_recs(path, NULL, &r);
    assert_int_equal(r.n, N);
    for (i = 0; i < N; i++) {
        snprintf(want, sizeof want, "投诉 %zu\n第二行, \"引号\"", i);
        assert_string_equal(r.v[i].text, want);
        assert_int_equal(r.v[i].offset, offs[i]);
        assert_int_equal(r.v[i].line, 2 + 2 * i);
    }
    free_recs(&r);
    drop_tmp(path);
    free(file);
    free(offs);
}

/* ---- Paths ------------------------------------------------------------- */

static void test_batch_collect_paths_sorts_and_skips_hidden(void **state)
{
    static const char *const want[] = {
        DATA "mixed/Z.txt",   DATA "mixed/a.jsonl",   DATA "mixed/b.csv",
        DATA "mixed/sub.txt", DATA "mixed/sub/c.txt", DATA "utf8_bom.csv",
        "-",
    };
    const char *args[] = { DATA "mixed", DATA "utf8_bom.csv", "-" };
    struct batch_paths p;
    struct recs r;
    char err[256];
    size_t i, total = 0;

    (void)state;
    assert_int_equal(batch_collect_paths(args, 3, &p, err, sizeof err),
                     TRIAGE_OK);
    assert_int_equal(p.count, 7);
    for (i = 0; i < 7; i++)
        assert_string_equal(p.paths[i], want[i]);
    for (i = 0; i < 5; i++) {
        read_recs(p.paths[i], NULL, &r);
        assert_int_equal(r.n, 1);
        assert_int_equal(r.good, 1);
        assert_non_null(strstr(r.v[0].text, "from "));
        total += r.n;
        free_recs(&r);
    }
    assert_int_equal(total, 5);
    batch_paths_free(&p);

    args[0] = DATA "no_such_dir";
    assert_int_equal(batch_collect_paths(args, 1, &p, err, sizeof err),
                     TRIAGE_EIO);
    assert_non_null(strstr(err, "no_such_dir"));
    assert_int_equal(p.count, 0);
    batch_paths_free(NULL);
}

/* ---- Misuse ------------------------------------------------------------ */

static void test_batch_reader_rejects_misuse(void **state)
{
    struct batch_reader *r = NULL;
    struct batch_record rec;
    struct batch_opts o;
    static const char *const num[] = { "2" };
    char err[256];

    (void)state;
    assert_int_equal(batch_reader_open(NULL, DATA "multiline.csv", NULL, err,
                                       sizeof err), TRIAGE_EINVAL);
    assert_int_equal(batch_reader_open(&r, NULL, NULL, err, sizeof err),
                     TRIAGE_EINVAL);
    assert_null(r);
    assert_int_equal(batch_reader_next(NULL, &rec), -TRIAGE_EINVAL);
    batch_reader_close(NULL);
    open_fails(DATA "missing.csv", NULL, TRIAGE_EIO, "missing.csv");
    open_fails(DATA "mixed", NULL, TRIAGE_EIO, "mixed");
    batch_opts_init(&o);
    o.encoding = "latin-9";
    open_fails(DATA "multiline.csv", &o, TRIAGE_EINVAL, "unknown encoding");
    batch_opts_init(&o);
    o.format = (enum batch_format)42;
    open_fails(DATA "multiline.csv", &o, TRIAGE_EINVAL, "options");
    batch_opts_init(&o);
    o.text_cols = num;
    o.n_text_cols = 1;
    open_fails(DATA "broken.jsonl", &o, TRIAGE_EINVAL, "by name");
    /* No error buffer is fine too. */
    assert_int_equal(batch_reader_open(&r, DATA "missing.csv", NULL, NULL, 0),
                     TRIAGE_EIO);
    assert_int_equal(batch_reader_open(&r, DATA "multiline.csv", NULL, NULL,
                                       0), TRIAGE_OK);
    assert_int_equal(batch_reader_next(r, NULL), -TRIAGE_EINVAL);
    assert_string_equal(batch_reader_error(r), "");
    batch_reader_close(r);
}

/* ---- Dates ------------------------------------------------------------- */

static void test_batch_parse_month_forms(void **state)
{
    static const struct {
        const char *in, *want;   /* want NULL: refused */
    } cases[] = {
        { "2024-03-05", "2024-03" },          { "2024/3/5", "2024-03" },
        { "2024.03.05", "2024-03" },          { "2024年3月5日", "2024-03" },
        { "2024年12月", "2024-12" },          { "2024-03-05 14:22:01", "2024-03" },
        { "2024-03-05T14:22:01Z", "2024-03" }, { " 2024-11 ", "2024-11" },
        { "20240305", "2024-03" },            { "45356", "2024-03" },
        { "45356.75", "2024-03" },            { "20000", "1954-10" },
        { "80000", "2119-01" },               { "2024年3月5日 14:22", "2024-03" },
        { "03/05/2024", NULL },               { "05.03.2024", NULL },
        { "2024-13-01", NULL },               { "2024-02-30", NULL },
        { "2023-02-29", NULL },               { "2024-02-29", "2024-02" },
        { "2024-03/05", NULL },               { "19999", NULL },
        { "80001", NULL },                    { "45356abc", NULL },
        { "2024-03-05x", NULL },              { "", NULL },
        { "2024", NULL },                     { "yesterday", NULL },
    };
    char out[8];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int ok = batch_parse_month(cases[i].in, out);
        if (ok != (cases[i].want != NULL))
            fail_msg("'%s': got %d", cases[i].in, ok);
        if (ok)
            assert_string_equal(out, cases[i].want);
    }
    assert_int_equal(batch_parse_month(NULL, out), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batch_gb18030_excel_csv_decodes),
        cmocka_unit_test(test_batch_gbk_names_select_gb18030),
        cmocka_unit_test(test_batch_big5_csv_decodes_when_named),
        cmocka_unit_test(test_batch_utf16le_tsv_with_bom),
        cmocka_unit_test(test_batch_utf16_tsv_sniffed_without_extension),
        cmocka_unit_test(test_batch_utf8_bom_csv_header_is_matched),
        cmocka_unit_test(
            test_batch_invalid_gb18030_sequence_marks_only_its_record),
        cmocka_unit_test(test_batch_invalid_utf8_passes_through),
        cmocka_unit_test(test_batch_utf8_detection_allows_cut_at_64k),
        cmocka_unit_test(test_batch_gb18030_cut_at_end_is_error_record),
        cmocka_unit_test(test_batch_multiline_quoted_fields),
        cmocka_unit_test(test_batch_semicolon_csv_is_sniffed_or_named),
        cmocka_unit_test(test_batch_unterminated_quote_at_end_is_error_record),
        cmocka_unit_test(test_batch_text_after_closing_quote_resumes_next_line),
        cmocka_unit_test(test_batch_empty_text_cells_are_error_records),
        cmocka_unit_test(test_batch_field_over_max_is_error_record),
        cmocka_unit_test(test_batch_nul_bytes_are_data),
        cmocka_unit_test(test_batch_chinese_headers_guess_columns),
        cmocka_unit_test(test_batch_header_words_guess_columns),
        cmocka_unit_test(test_batch_several_text_columns_are_joined),
        cmocka_unit_test(test_batch_columns_by_number_without_header),
        cmocka_unit_test(test_batch_column_guessing_failures),
        cmocka_unit_test(test_batch_jsonl_broken_line_is_error_record),
        cmocka_unit_test(test_batch_jsonl_flat_scanner_agrees_with_jansson),
        cmocka_unit_test(test_batch_text_format_blank_line_is_error_record),
        cmocka_unit_test(test_batch_format_from_content_and_option),
        cmocka_unit_test(test_batch_reads_standard_input),
        cmocka_unit_test(test_batch_long_gb18030_input_streams_exactly),
        cmocka_unit_test(test_batch_long_utf8_input_streams_exactly),
        cmocka_unit_test(test_batch_collect_paths_sorts_and_skips_hidden),
        cmocka_unit_test(test_batch_reader_rejects_misuse),
        cmocka_unit_test(test_batch_parse_month_forms),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
