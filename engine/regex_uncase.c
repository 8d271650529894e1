/*
 * regex_uncase.c - a prefilter that needs no caseless matching. The engine
 * scans NFKC-casefolded text, which holds no ASCII capital, no Kelvin sign
 * and no long s, so a prefilter whose cased characters are all ASCII
 * lowercase letters matches the same there with or without CASELESS. Without
 * it the library builds the regex database a quarter faster, and it no
 * longer folds k and s three ways (K, the Kelvin sign, the long s), which
 * made some of its builds take seconds. ASCII capitals are written in
 * lowercase; anything this reader does not know to be caseless keeps the
 * flag (a \x or \p escape, a POSIX class, (?x), a back-reference, a
 * word boundary, a cased letter outside ASCII).
 */
#include <string.h>
#include <utf8proc.h>
#include "internal.h"

struct uncase {
    const char *re;
    size_t len, i;
    struct tri_buf out;
    int oom;
};

static int put(struct uncase *u, const char *s, size_t n)
{
    if (tri_buf_add(&u->out, s, n) != TRIAGE_OK)
        u->oom = 1;
    return !u->oom;
}

static int put_char(struct uncase *u, char c)
{
    return put(u, &c, 1);
}

static int is_upper(unsigned char c)
{
    return c >= 'A' && c <= 'Z';
}

/* Whether code point c has a case: then its caseless set may hold a
 * character the folded text keeps (final sigma folds to sigma). */
static int cased(utf8proc_int32_t c)
{
    return utf8proc_tolower(c) != c || utf8proc_toupper(c) != c ||
           utf8proc_totitle(c) != c;
}

/* The character at u->i, into *c, and its length; 0 for invalid UTF-8. */
static size_t char_at(const struct uncase *u, size_t i, utf8proc_int32_t *c)
{
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)u->re + i,
                                          (utf8proc_ssize_t)(u->len - i), c);

    return k > 0 ? (size_t)k : 0;
}

/* One literal character at u->i, copied in lowercase; 0 when it has a case
 * outside ASCII, is not UTF-8 or is a NUL byte (the form is a C string). */
static int literal(struct uncase *u)
{
    unsigned char b = (unsigned char)u->re[u->i];
    utf8proc_int32_t c;
    size_t k;

    if (b == 0)
        return 0;
    if (b < 0x80) {
        u->i++;
        return put_char(u, is_upper(b) ? (char)(b | 0x20) : (char)b);
    }
    if ((k = char_at(u, u->i, &c)) == 0 || cased(c))
        return 0;
    u->i += k;
    return put(u, u->re + u->i - k, k);
}

/* Escapes that are no character or one without case: classes (\d, \w),
 * assertions (\A, \z), controls (\n, \e), \R, \X, \K. */
static const char caseless_escapes[] = "dDsShHvVwWntrfeaRXAzZGK";

/* \Q...\E: every character is literal. */
static int quoted(struct uncase *u)
{
    if (!put(u, "\\Q", 2))
        return 0;
    u->i += 2;
    while (u->i < u->len) {
        if (u->i + 1 < u->len && u->re[u->i] == '\\' && u->re[u->i + 1] == 'E') {
            u->i += 2;
            return put(u, "\\E", 2);
        }
        if (!literal(u))
            return 0;
    }
    return 1;
}

/* The escape at u->i outside a class. */
static int escape(struct uncase *u)
{
    char c;

    if (u->i + 1 >= u->len)
        return 0;
    c = u->re[u->i + 1];
    if (c == 'Q')
        return quoted(u);
    /* A word boundary keeps the flag: without it the library refuses
     * "s\bs" as never matching, with it it takes the s as maybe the long s
     * (fuzz/crashes/relax/library-refuses-a-lowercase-boundary-between-
     * letters; the database build failed, naming no rule). Only a regex
     * kept as written still holds one. */
    if (c == 'b' || c == 'B')
        return 0;
    if (c == 'E' || ((c & 0x80) == 0 && strchr(caseless_escapes, c) != NULL && c != '\0')) {
        u->i += 2;
        return put(u, u->re + u->i - 2, 2);
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 0;                      /* \x, \p, \N{U+..}, a back-reference... */
    u->i++;                            /* an escaped punctuation or other character */
    return put_char(u, '\\') && literal(u);
}

/* One member of a class at u->i: a character into *c (-1 for a class
 * escape such as \d), its source copied as written. 0 when it is not
 * understood here. */
static int member(struct uncase *u, utf8proc_int32_t *c, size_t *k)
{
    size_t at = u->i;

    if (u->re[at] == '\\') {
        char e = at + 1 < u->len ? u->re[at + 1] : '\0';

        if (e == '\0' || e == 'Q' || e == 'E')
            return 0;
        if (strchr("dDsShHvVwW", e) != NULL) {
            *c = -1;
            *k = 2;
            return 1;
        }
        if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9'))
            return strchr("ntrfeab", e) != NULL && ((*c = -1), (*k = 2), 1);
        if ((*k = char_at(u, at + 1, c)) == 0)
            return 0;
        (*k)++;
        return 1;
    }
    if (u->re[at] == '[' && at + 1 < u->len && strchr(":.=", u->re[at + 1]) != NULL)
        return 0;                      /* a POSIX class, maybe */
    return (*k = char_at(u, at, c)) != 0 && *c != 0;   /* no NUL: a C string */
}

/* The range lo-hi, as written in src[0..n): with the lowercase of its
 * ASCII capitals added, or 0 when it holds a cased character outside
 * ASCII. */
static int range(struct uncase *u, utf8proc_int32_t lo, utf8proc_int32_t hi,
                 const char *src, size_t n)
{
    utf8proc_int32_t c, a = lo > 'A' ? lo : 'A', z = hi < 'Z' ? hi : 'Z';

    for (c = lo > 0x7f ? lo : 0x80; c <= hi; c++)
        if (cased(c))
            return 0;
    if (!put(u, src, n))
        return 0;
    if (a > z)
        return 1;
    return put_char(u, (char)(a | 0x20)) && put_char(u, '-') && put_char(u, (char)(z | 0x20));
}

/* The class at u->i ('['). */
static int class(struct uncase *u)
{
    int first = 1;

    if (!put_char(u, '['))
        return 0;
    u->i++;
    if (u->i < u->len && u->re[u->i] == '^') {
        u->i++;
        if (!put_char(u, '^'))
            return 0;
    }
    while (u->i < u->len && (u->re[u->i] != ']' || first)) {
        utf8proc_int32_t lo, hi;
        size_t at = u->i, k, k2;

        first = 0;
        if (!member(u, &lo, &k))
            return 0;
        if (at + k + 1 < u->len && u->re[at + k] == '-' && u->re[at + k + 1] != ']') {
            u->i = at + k + 1;
            if (lo < 0 || !member(u, &hi, &k2) || hi < 0 || hi < lo)
                return 0;
            u->i += k2;
            if (!range(u, lo, hi, u->re + at, u->i - at))
                return 0;
            continue;
        }
        if (lo < 0 || (k > 1 && u->re[at] == '\\')) {   /* an escape as written */
            u->i += k;
            if (lo >= 0x80 && cased(lo))
                return 0;
            if (!put(u, u->re + at, k))
                return 0;
            continue;
        }
        if (!literal(u))
            return 0;
    }
    if (u->i >= u->len)
        return 0;
    u->i++;
    return put_char(u, ']');
}

/* Inline options at u->i ("(?s)", "(?-m:") that keep matching caseless
 * and the pattern read as it is: not x (white space and '#' become
 * syntax), and no i after '-' or '^' ("(?-i)[^A-Z]" takes 'a', and
 * "[^A-Za-z]" would not). The length of the opening, or 0. */
static size_t options(const struct uncase *u)
{
    size_t k = u->i + 2;
    int off = 0;

    for (; k < u->len && strchr("imsnUJ-", u->re[k]) != NULL && u->re[k] != '\0'; k++) {
        off |= u->re[k] == '-';
        if (off && u->re[k] == 'i')
            return 0;
    }
    if (k == u->i + 2 || k >= u->len || (u->re[k] != ')' && u->re[k] != ':'))
        return 0;
    return k + 1 - u->i;
}

/* A group's opening at u->i: only those without names. */
static int group(struct uncase *u)
{
    static const char *const kinds[] = { "(?:", "(?=", "(?!", "(?<=", "(?<!", "(?>", "(?|" };
    size_t k, m;

    if (u->i + 1 < u->len && u->re[u->i + 1] == '*')
        return 0;                      /* a verb */
    if (u->i + 1 >= u->len || u->re[u->i + 1] != '?') {
        u->i++;
        return put_char(u, '(');
    }
    for (k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        m = strlen(kinds[k]);
        if (u->i + m <= u->len && memcmp(u->re + u->i, kinds[k], m) == 0) {
            u->i += m;
            return put(u, kinds[k], m);
        }
    }
    if ((m = options(u)) == 0)
        return 0;
    u->i += m;
    return put(u, u->re + u->i - m, m);
}

char *tri_regex_uncase(const char *re, size_t len, int *oom)
{
    struct uncase u;
    int ok = 1;

    memset(&u, 0, sizeof u);
    u.re = re;
    u.len = len;
    while (ok && u.i < len) {
        switch (re[u.i]) {
        case '\\': ok = escape(&u); break;
        case '[':  ok = class(&u); break;
        case '(':  ok = group(&u); break;
        default:   ok = literal(&u); break;
        }
    }
    if (ok)
        ok = put_char(&u, '\0');
    *oom = u.oom;
    if (!ok) {
        tri_buf_free(&u.out);
        return NULL;
    }
    return (char *)u.out.data;
}
