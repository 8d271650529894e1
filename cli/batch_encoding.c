/*
 * batch_encoding.c - reads an input file in chunks, detects its encoding and
 * converts it to UTF-8 with iconv, keeping exact file offsets at line starts.
 */
#include <errno.h>
#include <iconv.h>
#include <poll.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch_internal.h"

#define RAW_CAP (128u * 1024u)   /* input window */
#define SNIFF_LEN (64u * 1024u)  /* what detection looks at */
#define PIECE_MAX (64u * 1024u)  /* longest converted piece */

enum batch_enc {
    ENC_UTF8 = 0,
    ENC_GB18030,
    ENC_BIG5,
    ENC_BIG5HKSCS,
    ENC_UTF16LE,
    ENC_UTF16BE,
    ENC_UTF16_BOM,   /* "UTF-16" given: the BOM picks LE or BE */
    ENC_AUTO,
    ENC_UNKNOWN
};

/* Canonical names (also the iconv names) indexed by enum batch_enc. */
static const char *const enc_names[] = {
    "UTF-8", "GB18030", "BIG5", "BIG5-HKSCS", "UTF-16LE", "UTF-16BE",
};

static const struct {
    const char *alias;
    enum batch_enc enc;
} enc_aliases[] = {
    { "UTF-8", ENC_UTF8 },         { "UTF8", ENC_UTF8 },
    { "GB18030", ENC_GB18030 },    { "GBK", ENC_GB18030 },
    { "CP936", ENC_GB18030 },      { "GB2312", ENC_GB18030 },
    { "EUC-CN", ENC_GB18030 },     { "BIG5", ENC_BIG5 },
    { "BIG-5", ENC_BIG5 },         { "CP950", ENC_BIG5 },
    { "BIG5-HKSCS", ENC_BIG5HKSCS }, { "BIG5HKSCS", ENC_BIG5HKSCS },
    { "UTF-16LE", ENC_UTF16LE },   { "UTF-16BE", ENC_UTF16BE },
    { "UTF-16", ENC_UTF16_BOM },
};

static enum batch_enc enc_lookup(const char *name)
{
    size_t i;

    if (name == NULL)
        return ENC_AUTO;
    for (i = 0; i < sizeof enc_aliases / sizeof enc_aliases[0]; i++)
        if (strcasecmp(name, enc_aliases[i].alias) == 0)
            return enc_aliases[i].enc;
    return ENC_UNKNOWN;
}

static size_t enc_unit(int enc)
{
    return enc == ENC_UTF16LE || enc == ENC_UTF16BE ? 2 : 1;
}

size_t batch_utf8_seq(const unsigned char *p, size_t n)
{
    unsigned char c = p[0], lo = 0x80, hi = 0xBF;
    size_t len, i;

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4;
    else
        return 0;
    if (c == 0xE0)
        lo = 0xA0;
    else if (c == 0xED)
        hi = 0x9F;
    else if (c == 0xF0)
        lo = 0x90;
    else if (c == 0xF4)
        hi = 0x8F;
    for (i = 1; i < len; i++) {
        if (i >= n)
            return (size_t)-1;
        if (p[i] < (i == 1 ? lo : 0x80) || p[i] > (i == 1 ? hi : 0xBF))
            return 0;
    }
    return len;
}

/* 1 if p[0..n) is UTF-8; a sequence cut at the end counts only if !eof. */
static int valid_utf8(const unsigned char *p, size_t n, int eof)
{
    size_t i = 0, k;

    while (i < n) {
        k = batch_utf8_seq(p + i, n - i);
        if (k == (size_t)-1)
            return !eof;
        if (k == 0)
            return 0;
        i += k;
    }
    return 1;
}

/* Pick the encoding and the BOM length to skip; 'forced' may be ENC_AUTO. */
static enum batch_enc detect(const unsigned char *p, size_t n, int eof,
                             enum batch_enc forced, size_t *bom)
{
    enum batch_enc bom_enc = ENC_AUTO;
    size_t bom_len = 0;

    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        bom_enc = ENC_UTF8, bom_len = 3;
    else if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE)
        bom_enc = ENC_UTF16LE, bom_len = 2;
    else if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF)
        bom_enc = ENC_UTF16BE, bom_len = 2;
    else if (n >= 4 && memcmp(p, "\x84\x31\x95\x33", 4) == 0)
        bom_enc = ENC_GB18030, bom_len = 4;
    *bom = 0;
    if (forced == ENC_UTF16_BOM) {
        /* Excel's "Unicode text" is little-endian: the BOM-less default. */
        forced = bom_enc == ENC_UTF16BE ? ENC_UTF16BE : ENC_UTF16LE;
    }
    if (forced != ENC_AUTO) {
        if (forced == bom_enc)
            *bom = bom_len;
        return forced;
    }
    if (bom_enc != ENC_AUTO) {
        *bom = bom_len;
        return bom_enc;
    }
    return valid_utf8(p, n, eof) ? ENC_UTF8 : ENC_GB18030;
}

/* 1 if a read of fd would wait for a writer. */
static int would_wait(int fd)
{
    struct pollfd pf = { fd, POLLIN, 0 };

    return poll(&pf, 1, 0) == 0;
}

/*
 * Move the unread bytes to the front of the window and read more after
 * them. Sets raw_eof at end of input. A file is read until the window is
 * full; a stream gives what has arrived, so a record is classified as
 * soon as its line is complete (`tail -f log | triage batch`), and before
 * waiting for more the idle hook writes out what was read so far.
 */
static int read_more(struct batch_dec *d)
{
    size_t want;
    ssize_t got;
    int fd = fileno(d->fp);

    if (d->raw_pos > 0) {
        memmove(d->raw, d->raw + d->raw_pos, d->raw_len - d->raw_pos);
        d->raw_base += d->raw_pos;
        d->raw_len -= d->raw_pos;
        d->raw_pos = 0;
    }
    want = d->raw_cap - d->raw_len;
    if (want == 0 || d->raw_eof)
        return 0;
    if (d->stream && d->idle != NULL && would_wait(fd))
        d->idle(d->idle_arg);
    do {
        got = read(fd, d->raw + d->raw_len, want);
        if (got < 0) {
            /* EINTR too: batch stops on a signal (no SA_RESTART). */
            d->io_errno = errno ? errno : EIO;
            return -TRIAGE_EIO;
        }
        if (got == 0)
            d->raw_eof = 1;
        d->raw_len += (size_t)got;
        want -= (size_t)got;
    } while (!d->stream && got > 0 && want > 0);
    return 0;
}

static triage_status open_file(struct batch_dec *d, const char *path,
                               char *err, size_t errlen)
{
    struct stat sb;

    if (strcmp(path, "-") == 0) {
        d->fp = stdin;
    } else {
        d->fp = fopen(path, "rb");
        if (d->fp == NULL) {
            snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
            return TRIAGE_EIO;
        }
        d->own_fp = 1;
    }
    if (fstat(fileno(d->fp), &sb) != 0)
        return TRIAGE_OK;   /* the first read will say what is wrong */
    if (S_ISDIR(sb.st_mode)) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(EISDIR));
        return TRIAGE_EIO;
    }
    d->stream = !S_ISREG(sb.st_mode) && !S_ISBLK(sb.st_mode);
    return TRIAGE_OK;
}

/*
 * A stream need not fill the sniff window before its first record is
 * read: the encoding is known once it is given, a BOM says it, or a
 * complete line holds a byte beyond ASCII (ASCII alone reads the same in
 * UTF-8 and GB18030, so it cannot decide).
 */
static int sniffed_enough(const struct batch_dec *d, enum batch_enc forced)
{
    const unsigned char *nl = d->raw_len ? memrchr(d->raw, '\n', d->raw_len) : NULL;
    size_t i, bom;

    if (!d->stream || nl == NULL)
        return 0;
    if (forced != ENC_AUTO || detect(d->raw, d->raw_len, 0, ENC_AUTO, &bom) != ENC_UTF8 ||
        bom > 0)
        return 1;
    for (i = 0; d->raw + i < nl; i++)
        if (d->raw[i] >= 0x80)
            return 1;
    return 0;
}

/* Read the first 64 KiB (a stream: see sniffed_enough), pick the encoding,
 * skip the BOM, open iconv. */
static triage_status start_decoding(struct batch_dec *d, enum batch_enc forced,
                                    const char *path, char *err,
                                    size_t errlen)
{
    size_t bom, n;

    while (d->raw_len < SNIFF_LEN && !d->raw_eof && !sniffed_enough(d, forced)) {
        if (read_more(d) < 0) {
            snprintf(err, errlen, "cannot read %s: %s", path,
                     strerror(d->io_errno));
            return TRIAGE_EIO;
        }
    }
    n = d->raw_len < SNIFF_LEN ? d->raw_len : SNIFF_LEN;
    d->enc = detect(d->raw, n, d->raw_eof && n == d->raw_len, forced, &bom);
    d->raw_pos = bom;
    d->piece_orig = bom;
    if (d->enc == ENC_UTF8)
        return TRIAGE_OK;
    d->cd = iconv_open("UTF-8", enc_names[d->enc]);
    if (d->cd == (iconv_t)-1) {
        d->cd = NULL;
        snprintf(err, errlen, "encoding %s: %s", enc_names[d->enc],
                 strerror(errno));
        return TRIAGE_EINVAL;
    }
    d->conv_cap = 2 * PIECE_MAX + 64;
    d->conv = malloc(d->conv_cap);
    return d->conv == NULL ? TRIAGE_ENOMEM : TRIAGE_OK;
}

triage_status batch_dec_open(struct batch_dec **out, const char *path,
                             const char *encoding, char *err, size_t errlen)
{
    triage_status st;
    enum batch_enc forced = enc_lookup(encoding);
    struct batch_dec *d = NULL;

    *out = NULL;
    if (forced == ENC_UNKNOWN) {
        snprintf(err, errlen,
                 "unknown encoding '%s' (known: UTF-8, GB18030, GBK, CP936, "
                 "GB2312, BIG5, BIG5-HKSCS, UTF-16LE, UTF-16BE, UTF-16)",
                 encoding);
        return TRIAGE_EINVAL;
    }
    d = calloc(1, sizeof *d);
    if (d == NULL)
        return TRIAGE_ENOMEM;
    d->eol = '\n';
    d->raw_cap = RAW_CAP;
    d->raw = malloc(d->raw_cap);
    if (d->raw == NULL) {
        st = TRIAGE_ENOMEM;
        goto done;
    }
    st = open_file(d, path, err, errlen);
    if (st != TRIAGE_OK)
        goto done;
    st = start_decoding(d, forced, path, err, errlen);
    if (st != TRIAGE_OK)
        goto done;
    *out = d;
    d = NULL;
done:
    batch_dec_close(d);
    return st;
}

/* UTF-8 input is handed out as read: the piece is the window itself. */
static int fill_utf8(struct batch_dec *d)
{
    int rc;

    if (d->raw_pos == d->raw_len) {
        d->raw_base += d->raw_len;
        d->raw_pos = d->raw_len = 0;
        rc = read_more(d);
        if (rc < 0)
            return rc;
        if (d->raw_len == 0)
            return 0;
    }
    d->piece_orig = d->raw_base + d->raw_pos;
    d->piece_raw_len = d->raw_len - d->raw_pos;
    d->out = (const char *)d->raw + d->raw_pos;
    d->out_len = d->raw_len - d->raw_pos;
    d->out_pos = 0;
    d->raw_pos = d->raw_len;
    return 1;
}

/*
 * End of the next piece: just after the next line end code unit (d->eol), or
 * PIECE_MAX bytes on, or the end of input. *cut is set when the piece ends
 * inside a line, where a character may straddle the cut.
 */
static int piece_end(struct batch_dec *d, size_t *end, int *cut)
{
    size_t unit = enc_unit(d->enc), i, lim;
    unsigned char eol = (unsigned char)d->eol;
    int rc;

    for (;;) {
        lim = d->raw_len - d->raw_pos;
        lim = d->raw_pos + (lim < PIECE_MAX ? lim : PIECE_MAX);
        for (i = d->raw_pos; i + unit <= lim; i += unit) {
            int nl = unit == 1 ? d->raw[i] == eol
                     : d->enc == ENC_UTF16LE
                         ? d->raw[i] == eol && d->raw[i + 1] == 0
                         : d->raw[i] == 0 && d->raw[i + 1] == eol;
            if (nl) {
                *end = i + unit;
                *cut = 0;
                return 0;
            }
        }
        *cut = lim - d->raw_pos == PIECE_MAX;
        if (*cut || d->raw_eof) {
            *end = lim;
            return 0;
        }
        rc = read_more(d);
        if (rc < 0)
            return rc;
    }
}

/* Note bytes iconv refused; the first one's offset is reported. */
static void refuse(struct batch_dec *d, const char *at)
{
    if (!d->piece_err) {
        d->piece_err = 1;
        d->err_off = d->raw_base + (unsigned long long)(at - (char *)d->raw);
    }
}

/* Double the converted-piece storage; *o is the write position. */
static int grow_conv(struct batch_dec *d, char **o, size_t *oleft)
{
    size_t used = (size_t)(*o - d->conv);
    char *p = realloc(d->conv, d->conv_cap * 2);

    if (p == NULL)
        return -TRIAGE_ENOMEM;
    d->conv = p;
    d->conv_cap *= 2;
    *o = p + used;
    *oleft = d->conv_cap - used;
    return 0;
}

/*
 * Convert raw[raw_pos, end). A refused sequence is skipped one code unit
 * at a time, which resynchronises GB18030 and Big5 (an ASCII byte is never
 * a trail byte there, so no quote or newline is swallowed).
 */
static int convert_piece(struct batch_dec *d, size_t end, int cut)
{
    char *in = (char *)d->raw + d->raw_pos, *o = d->conv;
    size_t inleft = end - d->raw_pos, oleft = d->conv_cap, skip;
    size_t unit = enc_unit(d->enc);

    while (inleft > 0) {
        if (iconv((iconv_t)d->cd, &in, &inleft, &o, &oleft) != (size_t)-1)
            break;
        if (errno == E2BIG) {
            if (grow_conv(d, &o, &oleft) < 0)
                return -TRIAGE_ENOMEM;
            continue;
        }
        if (errno == EINVAL && cut)
            break;   /* the rest of the character is in the next piece */
        refuse(d, in);
        skip = inleft < unit ? inleft : unit;
        in += skip;
        inleft -= skip;
    }
    while (iconv((iconv_t)d->cd, NULL, NULL, &o, &oleft) == (size_t)-1) {
        if (errno != E2BIG || grow_conv(d, &o, &oleft) < 0)
            return -TRIAGE_ENOMEM;
    }
    d->piece_raw_len = (size_t)(in - (char *)d->raw) - d->raw_pos;
    d->raw_pos = (size_t)(in - (char *)d->raw);
    d->out = d->conv;
    d->out_len = (size_t)(o - d->conv);
    d->out_pos = 0;
    return 1;
}

int batch_dec_fill(struct batch_dec *d)
{
    size_t end;
    int cut, rc;

    if (d->cd == NULL)
        return fill_utf8(d);
    rc = piece_end(d, &end, &cut);
    if (rc < 0)
        return rc;
    if (d->raw_pos == d->raw_len)
        return 0;
    d->piece_orig = d->raw_base + d->raw_pos;
    d->piece_err = 0;
    return convert_piece(d, end, cut);
}

/*
 * Exact for UTF-8 and at every piece start. Records always start at a line
 * start, which is a piece start in converted input, so the estimate below
 * (proportional within the piece) is only a fallback.
 */
unsigned long long batch_dec_offset(const struct batch_dec *d)
{
    if (d->cd == NULL || d->out_pos == 0 || d->out_len == 0)
        return d->piece_orig + d->out_pos;
    return d->piece_orig +
           (unsigned long long)d->piece_raw_len * d->out_pos / d->out_len;
}

triage_status batch_dec_sniff(struct batch_dec *d, struct batch_buf *dst)
{
    char *in = (char *)d->raw + d->raw_pos, *o;
    size_t inleft = d->raw_len - d->raw_pos, oleft, skip;

    dst->len = 0;
    if (d->cd == NULL)
        return batch_buf_add(dst, in, inleft);
    if (batch_buf_reserve(dst, 2 * inleft + 16) != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    o = dst->data;
    oleft = dst->cap - 1;
    while (inleft > 0 &&
           iconv((iconv_t)d->cd, &in, &inleft, &o, &oleft) == (size_t)-1) {
        if (errno == E2BIG)
            break;   /* cannot happen: 2x covers every encoding here */
        skip = inleft < enc_unit(d->enc) ? inleft : enc_unit(d->enc);
        in += skip;
        inleft -= skip;
    }
    iconv((iconv_t)d->cd, NULL, NULL, NULL, NULL);   /* reset the state */
    dst->len = (size_t)(o - dst->data);
    dst->data[dst->len] = '\0';
    return TRIAGE_OK;
}

const char *batch_dec_name(const struct batch_dec *d)
{
    return enc_names[d->enc];
}

void batch_dec_close(struct batch_dec *d)
{
    if (d == NULL)
        return;
    if (d->cd != NULL)
        iconv_close((iconv_t)d->cd);
    if (d->own_fp && d->fp != NULL)
        fclose(d->fp);
    free(d->raw);
    free(d->conv);
    free(d);
}
