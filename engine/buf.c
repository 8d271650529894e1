/*
 * buf.c - a growable byte buffer, used for the string pool, JSON output
 * and messages.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

triage_status tri_buf_add_slow(struct tri_buf *b, const void *p, size_t n)
{
    triage_status st = tri_grow((void **)&b->data, &b->cap, b->len + n + 1, 1);

    if (st != TRIAGE_OK) {
        b->failed = 1;  /* callers that append many pieces check once */
        return st;
    }
    if (n > 0)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return TRIAGE_OK;
}

triage_status tri_buf_reserve_slow(struct tri_buf *b, size_t n)
{
    triage_status st = tri_grow((void **)&b->data, &b->cap, b->len + n + 1, 1);

    if (st != TRIAGE_OK)
        b->failed = 1;
    return st;
}

triage_status tri_buf_printf(struct tri_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    triage_status st;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return TRIAGE_EINVAL;
    st = tri_grow((void **)&b->data, &b->cap, b->len + (size_t)n + 1, 1);
    if (st != TRIAGE_OK) {
        b->failed = 1;
        return st;
    }
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return TRIAGE_OK;
}

/* Length of the valid UTF-8 sequence at s[0..n) (2 to 4 bytes), or 0:
 * overlong forms, surrogates and code points past U+10FFFF are invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    size_t want = s[0] >= 0xf5 ? 0 : s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
    size_t k;

    if (want == 0 || want > n)
        return 0;
    for (k = 1; k < want; k++)
        if ((s[k] & 0xc0) != 0x80)
            return 0;
    if (want == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0)))
        return 0;
    if (want == 4 && ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90)))
        return 0;
    return want;
}

/*
 * Escape s[i..) into *pp up to offset 'stop' (a UTF-8 sequence that starts
 * before it may end up to 3 bytes past it, never past n) and return where
 * it stopped. Writes at most 6 bytes per byte read.
 */
static size_t json_esc(char **pp, const unsigned char *s, size_t i, size_t stop,
                       size_t n)
{
    static const char hex[] = "0123456789abcdef";
    char *p = *pp;

    while (i < stop) {
        size_t run = i, k;
        unsigned char c;

        while (run < stop) {
            c = s[run];
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\')
                run++;
            else if (c >= 0x80 && (k = utf8_seq(s + run, n - run)) != 0)
                run += k;
            else
                break;
        }
        if (run > i) {
            p = tri_put(p, s + i, run - i);
            i = run;
            continue;
        }
        c = s[i++];
        if (c == '"' || c == '\\') {
            *p++ = '\\';
            *p++ = (char)c;
        } else if (c < 0x20) {
            p = TRI_PUT_LIT(p, "\\u00");
            *p++ = hex[c >> 4];
            *p++ = hex[c & 15];
        } else {
            p = TRI_PUT_LIT(p, "\xef\xbf\xbd");
        }
    }
    *pp = p;
    return i;
}

/* JSON string with quotes; bytes that are not valid UTF-8 become U+FFFD so
 * the output is always valid JSON whatever the input held. The worst case
 * (6 bytes per byte) is reserved a bounded chunk at a time, so the escaping
 * loop writes without a check per piece and a long text does not reserve
 * six times its size. */
#define JSON_CHUNK 4096
triage_status tri_buf_json_str(struct tri_buf *b, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    char *p = tri_buf_room(b, 6 * (n < JSON_CHUNK ? n : JSON_CHUNK + 3) + 2);

    if (p == NULL)
        return TRIAGE_ENOMEM;
    *p++ = '"';
    for (;;) {
        i = json_esc(&p, s, i, n - i > JSON_CHUNK ? i + JSON_CHUNK : n, n);
        if (i >= n)
            break;
        tri_buf_commit(b, p);
        if ((p = tri_buf_room(b, 6 * (JSON_CHUNK + 3) + 1)) == NULL)
            return TRIAGE_ENOMEM;
    }
    *p++ = '"';
    tri_buf_commit(b, p);
    return b->failed ? TRIAGE_ENOMEM : TRIAGE_OK;
}

/* Decimal digits without printf: the JSON hot path writes many spans.
 * Counting the digits first lets them go straight to their place. */
char *tri_put_uint(char *p, uint64_t v)
{
    uint64_t t = v;
    char *end = p + 1;

    while (t >= 10) {
        t /= 10;
        end++;
    }
    p = end;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    return end;
}

triage_status tri_buf_uint(struct tri_buf *b, uint64_t v)
{
    char *p = tri_buf_room(b, TRI_UINT_MAX);

    if (p == NULL)
        return TRIAGE_ENOMEM;
    tri_buf_commit(b, tri_put_uint(p, v));
    return TRIAGE_OK;
}

void tri_buf_free(struct tri_buf *b)
{
    tri_free(b->data);
    memset(b, 0, sizeof *b);
}

/*
 * A finite number with 'places' decimals (0..9), like printf's %.Nf, or
 * with trailing zeros dropped when 'trim' ("2", "1.5"): JSON's number
 * syntax without printf, whose floating-point path dominated rendering.
 * Non-finite values become 0.
 */
triage_status tri_buf_num(struct tri_buf *b, double v, int places, int trim)
{
    static const double scale[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9 };
    uint64_t whole, part, unit;
    int i, n;
    char *p = tri_buf_room(b, TRI_UINT_MAX + 11);   /* "-", digits, ".", 9 */

    if (p == NULL)
        return TRIAGE_ENOMEM;
    if (places < 0 || places > 9 || !(v == v) || v > 1e15 || v < -1e15) {
        *p++ = '0';
        tri_buf_commit(b, p);
        return TRIAGE_OK;
    }
    if (trim && v >= 0 && v < 1e9 && v == (double)(uint32_t)v) {
        tri_buf_commit(b, tri_put_uint(p, (uint32_t)v));   /* scores, hours */
        return TRIAGE_OK;
    }
    if (v < 0) {
        v = -v;
        if (v * scale[places] >= 0.5)
            *p++ = '-';
    }
    unit = (uint64_t)scale[places];
    part = (uint64_t)llrint(v * scale[places]);   /* half to even, as printf */
    whole = part / unit;
    part %= unit;
    p = tri_put_uint(p, whole);
    for (n = places; trim && n > 0 && part % 10 == 0; n--)
        part /= 10;
    if (n > 0) {
        *p = '.';
        for (i = n; i > 0; i--) {
            p[i] = (char)('0' + part % 10);
            part /= 10;
        }
        p += n + 1;
    }
    tri_buf_commit(b, p);
    return TRIAGE_OK;
}
