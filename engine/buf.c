/*
 * buf.c - a growable byte buffer, used for the string pool, JSON output
 * and messages.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

triage_status tri_buf_add(struct tri_buf *b, const void *p, size_t n)
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

triage_status tri_buf_addc(struct tri_buf *b, char c)
{
    return tri_buf_add(b, &c, 1);
}

triage_status tri_buf_adds(struct tri_buf *b, const char *s)
{
    return tri_buf_add(b, s, strlen(s));
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

/* JSON string with quotes; bytes that are not valid UTF-8 become U+FFFD so
 * the output is always valid JSON whatever the input held. */
triage_status tri_buf_json_str(struct tri_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    triage_status st = tri_buf_addc(b, '"');
    size_t i = 0;

    while (st == TRIAGE_OK && i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t run = i;

        while (run < n && (unsigned char)s[run] >= 0x20 && s[run] != '"' &&
               s[run] != '\\' && (unsigned char)s[run] < 0x80)
            run++;
        if (run > i) {
            st = tri_buf_add(b, s + i, run - i);
            i = run;
            continue;
        }
        if (c == '"' || c == '\\') {
            char esc[2] = { '\\', (char)c };
            st = tri_buf_add(b, esc, 2);
            i++;
        } else if (c < 0x20) {
            char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
            st = tri_buf_add(b, esc, 6);
            i++;
        } else {
            size_t k = 1, want;
            uint32_t cp;

            want = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
            cp = want == 4 ? c & 7u : want == 3 ? c & 15u : c & 31u;
            while (want && k < want && i + k < n &&
                   ((unsigned char)s[i + k] & 0xc0) == 0x80) {
                cp = cp << 6 | ((unsigned char)s[i + k] & 0x3fu);
                k++;
            }
            if (want && k == want && cp <= 0x10ffff &&
                !(cp >= 0xd800 && cp <= 0xdfff) &&
                !(want == 3 && cp < 0x800) && !(want == 4 && cp < 0x10000)) {
                st = tri_buf_add(b, s + i, k);
                i += k;
            } else {
                st = tri_buf_add(b, "\xef\xbf\xbd", 3);
                i += 1;
            }
        }
    }
    return st == TRIAGE_OK ? tri_buf_addc(b, '"') : st;
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
