/*
 * regex_relax.c - the looser form of a rule regex that Vectorscan compiles
 * as its prefilter. Vectorscan only nominates regexes and PCRE2 decides on
 * the original, so any superset of the original's matches is correct.
 */
#include <string.h>
#include "internal.h"

/* Constructs under which widening a repeat or dropping \b could lose a
 * match: negative lookarounds invert it, possessive and atomic forms stop
 * backtracking, lookbehinds must stay bounded, (?x) changes what a brace or
 * bracket means. A regex holding one is kept as written. */
static int unsafe_to_relax(const char *re, size_t len)
{
    static const char *const bad[] = { "(?=", "(?!", "(?<=", "(?<!", "(?>",
                                       "(*", "*+", "++", "?+", "}+", "(?#" };
    size_t i, k;

    for (k = 0; k < sizeof bad / sizeof *bad; k++) {
        size_t n = strlen(bad[k]);

        for (i = 0; i + n <= len; i++)
            if (memcmp(re + i, bad[k], n) == 0)
                return 1;
    }
    for (i = 0; i + 2 < len; i++) {     /* an inline option list with x */
        if (re[i] != '(' || re[i + 1] != '?')
            continue;
        for (k = i + 2; k < len && re[k] != ')' && re[k] != ':'; k++)
            if (re[k] == 'x')
                return 1;
    }
    return 0;
}

/* Digits at re[*i]; the value, or -1 when there are none. */
static long read_count(const char *re, size_t len, size_t *i)
{
    long v = -1;

    while (*i < len && re[*i] >= '0' && re[*i] <= '9' && v < 100000) {
        v = (v < 0 ? 0 : v * 10) + (re[*i] - '0');
        (*i)++;
    }
    return v;
}

/* A "{m,n}" at re[i] with n > m: write "{m," and return the index of its
 * '}', which the caller copies; else return i. */
static size_t widen_repeat(const char *re, size_t len, size_t i, char **o)
{
    size_t j = i + 1, comma;
    long m = read_count(re, len, &j), n;

    if (m < 0 || j >= len || re[j] != ',')
        return i;
    comma = j++;
    n = read_count(re, len, &j);
    if (n <= m || j >= len || re[j] != '}')
        return i;
    memcpy(*o, re + i, comma + 1 - i);
    *o += comma + 1 - i;
    return j;
}

/* An escape at re[i] (a backslash): copy it whole, or drop \b and \B
 * outside a class (an assertion only ever removes matches). Returns the
 * index of its last byte. */
static size_t copy_escape(const char *re, size_t len, size_t i, int in_class,
                          char **o)
{
    size_t end = i + 1;

    if (end >= len) {
        *(*o)++ = re[i];
        return i;
    }
    if (!in_class && (re[end] == 'b' || re[end] == 'B'))
        return end;
    if (re[end] == 'Q') {               /* \Q...\E quotes everything */
        while (end + 1 < len && !(re[end] == '\\' && re[end + 1] == 'E'))
            end++;
        end = end + 1 < len ? end + 1 : len - 1;
    } else if (strchr("xopPNgk", re[end]) != NULL && end + 1 < len &&
               re[end + 1] == '{') {
        while (end + 1 < len && re[end] != '}')
            end++;
    }
    memcpy(*o, re + i, end + 1 - i);
    *o += end + 1 - i;
    return end;
}

char *tri_regex_relax(const char *re, size_t len)
{
    char *out = tri_malloc(len + 1), *o = out;
    size_t i;
    int in_class = 0, class_start = 0;

    if (out == NULL)
        return NULL;
    if (unsafe_to_relax(re, len)) {
        memcpy(out, re, len);
        out[len] = '\0';
        return out;
    }
    for (i = 0; i < len; i++) {
        char c = re[i];

        if (c == '\\') {
            i = copy_escape(re, len, i, in_class, &o);
            class_start = 0;
            continue;
        }
        if (in_class) {
            if (c == ']' && !class_start)
                in_class = 0;
            else if (c == '[' && i + 1 < len && re[i + 1] == ':') {
                const char *end = memchr(re + i, ']', len - i);
                size_t n = end ? (size_t)(end - (re + i)) : 0;

                memcpy(o, re + i, n);   /* a [:name:] up to its ']' */
                o += n;
                i += n;
                c = re[i];
            }
            class_start = class_start && c == '^' && re[i - 1] == '[';
        } else if (c == '[') {
            in_class = class_start = 1;
        } else if (c == '{') {
            i = widen_repeat(re, len, i, &o);
            c = re[i];
        }
        *o++ = c;
    }
    *o = '\0';
    return out;
}
