/*
 * regex_lex.c - where the tokens of a PCRE2 regex end, read as PCRE2 reads
 * them (escapes, \Q...\E quotes, classes and their POSIX members, repeat
 * counts), for the passes that rewrite a rule regex: regex_plain.c and
 * regex_relax.c.
 */
#include <string.h>
#include "internal.h"

int tri_rx_one_of(char c, const char *set)
{
    return c != '\0' && strchr(set, c) != NULL;
}

/* Index of the last byte of the escape at re[i] (a backslash). */
size_t tri_rx_escape_end(const char *re, size_t len, size_t i)
{
    size_t end = i + 1;

    if (end >= len)
        return i;
    if (re[end] == 'Q') {               /* \Q...\E quotes everything */
        while (end + 1 < len && !(re[end] == '\\' && re[end + 1] == 'E'))
            end++;
        return end + 1 < len ? end + 1 : len - 1;
    }
    if (re[end] == 'c')                 /* \cX: X is any character */
        return end + 1 < len ? end + 1 : end;
    if (tri_rx_one_of(re[end], "xopPNgk") && end + 1 < len && re[end + 1] == '{')
        while (end + 1 < len && re[end] != '}')
            end++;
    else if (tri_rx_one_of(re[end], "pP") && end + 1 < len)   /* \pL: one letter */
        end++;
    return end;
}

/* Index of the first byte from re[j] on that PCRE2 does not ignore: a
 * \E outside a quote and an empty \Q\E mean nothing. */
size_t tri_rx_skip_ignored(const char *re, size_t len, size_t j)
{
    for (;;) {
        if (j + 1 < len && re[j] == '\\' && re[j + 1] == 'E')
            j += 2;
        else if (j + 3 < len && memcmp(re + j, "\\Q\\E", 4) == 0)
            j += 4;
        else
            return j;
    }
}

/* Index of the ']' that ends the POSIX class "[:name:]" (or "[.x.]",
 * "[=x=]") at re[j] inside a class, or 0 when PCRE2 reads that '[' as a
 * plain member: as its check_posix_syntax, the ":]" must come before any
 * ']' or another "[:". */
size_t tri_rx_posix_end(const char *re, size_t len, size_t j)
{
    char term = re[j + 1];
    size_t k;

    for (k = j + 2; k + 1 < len; k++) {
        if (re[k] == '\\' && (re[k + 1] == ']' || re[k + 1] == '\\'))
            k++;
        else if ((re[k] == '[' && re[k + 1] == term) || re[k] == ']')
            return 0;
        else if (re[k] == term && re[k + 1] == ']')
            return k + 1;
    }
    return 0;
}

/* Index of the ']' that closes the class opened at re[i], or len. */
size_t tri_rx_class_end(const char *re, size_t len, size_t i)
{
    size_t j = tri_rx_skip_ignored(re, len, i + 1), end;

    if (j < len && re[j] == '^')        /* PCRE2 skips \E and \Q\E here too */
        j = tri_rx_skip_ignored(re, len, j + 1);
    if (j < len && re[j] == ']')        /* a leading ']' is a member */
        j++;
    for (; j < len && re[j] != ']'; j++) {
        if (re[j] == '\\')
            j = tri_rx_escape_end(re, len, j);
        else if (re[j] == '[' && j + 1 < len && tri_rx_one_of(re[j + 1], ":.=") &&
                 (end = tri_rx_posix_end(re, len, j)) > 0)
            j = end;
    }
    return j;
}

/* Digits at re[*i]; the value, or -1 when there are none. */
long tri_rx_read_count(const char *re, size_t len, size_t *i)
{
    long v = -1;

    while (*i < len && re[*i] >= '0' && re[*i] <= '9' && v < 100000) {
        v = (v < 0 ? 0 : v * 10) + (re[*i] - '0');
        (*i)++;
    }
    return v;
}

int tri_rx_repeat(const char *re, size_t len, size_t i, long *m, long *n, size_t *end)
{
    size_t j = i + 1;

    if ((*m = tri_rx_read_count(re, len, &j)) < 0)
        return 0;
    *n = *m;
    if (j < len && re[j] == ',') {
        j++;
        *n = tri_rx_read_count(re, len, &j);
    }
    *end = j;
    return j < len && re[j] == '}';
}

int tri_rx_unicode_space(const char *re, size_t len)
{
    static const char *const space[] = { "\xc2\x85", "\xe2\x80\x8e", "\xe2\x80\x8f",
                                         "\xe2\x80\xa8", "\xe2\x80\xa9" };
    size_t k;

    for (k = 0; k < sizeof space / sizeof *space; k++)
        if (memmem(re, len, space[k], strlen(space[k])) != NULL)
            return 1;
    return 0;
}

/* Whether the regex holds an inline option list with x ("(?x)", "(?i-x:"),
 * escaped or not: a reader unsure of extended mode refuses either way. */
int tri_rx_x_option(const char *re, size_t len)
{
    size_t i, k;

    for (i = 0; i + 2 < len; i++) {
        int x = 0;

        if (re[i] != '(' || re[i + 1] != '?')
            continue;
        for (k = i + 2; k < len && (tri_rx_one_of(re[k], "-^") ||
                                    (re[k] >= 'a' && re[k] <= 'z') ||
                                    (re[k] >= 'A' && re[k] <= 'Z')); k++)
            x |= re[k] == 'x';
        if (x && k < len && (re[k] == ')' || re[k] == ':'))
            return 1;
    }
    return 0;
}
