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

/* JSON string with quotes; bytes that are not valid UTF-8 become U+FFFD so
 * the output is always valid JSON whatever the input held. Runs of bytes
 * that need no escaping are copied with one append. */
triage_status tri_buf_json_str(struct tri_buf *b, const char *str, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;

    tri_buf_addc(b, '"');
    while (i < n) {
        size_t run = i, k;
        unsigned char c;

        while (run < n) {
            c = s[run];
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\')
                run++;
            else if (c >= 0x80 && (k = utf8_seq(s + run, n - run)) != 0)
                run += k;
            else
                break;
        }
        if (run > i) {
            tri_buf_add(b, s + i, run - i);
            i = run;
            continue;
        }
        c = s[i++];
        if (c == '"' || c == '\\') {
            char esc[2] = { '\\', (char)c };
            tri_buf_add(b, esc, 2);
        } else if (c < 0x20) {
            char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
            tri_buf_add(b, esc, 6);
        } else {
            tri_buf_add(b, "\xef\xbf\xbd", 3);
        }
    }
    tri_buf_addc(b, '"');
    return b->failed ? TRIAGE_ENOMEM : TRIAGE_OK;
}

/* Decimal digits without printf: the JSON hot path writes many spans. */
triage_status tri_buf_uint(struct tri_buf *b, uint64_t v)
{
    char tmp[24];
    size_t i = sizeof tmp;

    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    return tri_buf_add(b, tmp + i, sizeof tmp - i);
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
    char frac[10];
    uint64_t whole, part, unit;
    int i, n;

    if (places < 0 || places > 9 || !(v == v) || v > 1e15 || v < -1e15)
        return tri_buf_addc(b, '0');
    if (v < 0) {
        v = -v;
        if (v * scale[places] >= 0.5)
            tri_buf_addc(b, '-');
    }
    unit = (uint64_t)scale[places];
    part = (uint64_t)llrint(v * scale[places]);   /* half to even, as printf */
    whole = part / unit;
    part %= unit;
    tri_buf_uint(b, whole);
    for (n = places; trim && n > 0 && part % 10 == 0; n--)
        part /= 10;
    if (n == 0)
        return b->failed ? TRIAGE_ENOMEM : TRIAGE_OK;
    for (i = n - 1; i >= 0; i--) {
        frac[i] = (char)('0' + part % 10);
        part /= 10;
    }
    tri_buf_addc(b, '.');
    return tri_buf_add(b, frac, (size_t)n);
}
