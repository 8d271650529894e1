/*
 * regex_plain.c - a rule regex with the constructs that only ever remove
 * matches written plainly, so that regex_relax.c can loosen it into a
 * prefilter instead of handing Vectorscan the regex as written (which ran
 * PCRE2 on every text when the library refused it, after seconds of
 * trying: "[\w.]{2,80}+" took 4 s and 170 MB).
 *
 * - An atomic group "(?>X)" becomes "(?:X)" and a possessive quantifier
 *   ("X*+", "X{2,5}+") a greedy one: both only cut PCRE2's backtracking,
 *   so every match they find is one of the plain regex's, with the same
 *   span.
 * - A comment "(?#...)" goes.
 * - A "(?x)" outside any group goes, with the white space and the "#"
 *   comments that extended mode skips after it: the same regex.
 *
 * Anything this reader is unsure of stays as written: verbs, other inline
 * x options or "(?^" (which resets x), a brace holding white space in
 * extended mode (PCRE2 10.42 reads "{2, 4}" as text, later versions as a
 * repeat), a comment holding a line break other than LF.
 */
#include <string.h>
#include "internal.h"

/* PCRE2's pattern white space in extended mode, ASCII part; a regex with
 * the Unicode part stays as written (tri_rx_unicode_space). */
static int x_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* Whether the brace at re[i] holds white space before its '}' with only
 * digits and commas beside it: a repeat or text, by PCRE2's version. */
static int brace_reads_apart(const char *re, size_t len, size_t i)
{
    size_t j;
    int space = 0;

    for (j = i + 1; j < len && re[j] != '}'; j++) {
        if (x_space(re[j]))
            space = 1;
        else if (!(re[j] >= '0' && re[j] <= '9') && re[j] != ',')
            return 0;
    }
    return space && j < len;
}

/* Whether c is a line break other than LF (CR, VT, FF; the Unicode ones
 * keep the regex as written: tri_rx_unicode_space): Debian's PCRE2 ends an
 * extended-mode comment at LF only, a build with another newline
 * convention at these too. */
static int other_newline(char c)
{
    return c == '\r' || c == '\v' || c == '\f';
}

/* Index of the ')' that ends the comment "(?#" at re[i], or len. */
static size_t comment_end(const char *re, size_t len, size_t i)
{
    const char *close = memchr(re + i, ')', len - i);

    return close != NULL ? (size_t)(close - re) : len;
}

/* Index of the first "(?x)" outside any group, class, escape or comment,
 * or len: PCRE2 reads the rest of the regex in extended mode from there,
 * later alternatives too; what comes before is read as it is. */
static size_t extended_from(const char *re, size_t len)
{
    size_t i;
    int depth = 0;

    for (i = 0; i < len; i++) {
        if (re[i] == '\\') {
            i = tri_rx_escape_end(re, len, i);
        } else if (re[i] == '[') {
            i = tri_rx_class_end(re, len, i);
        } else if (re[i] == '(' && i + 2 < len && re[i + 1] == '?' && re[i + 2] == '#') {
            i = comment_end(re, len, i);
        } else if (re[i] == '(') {
            if (depth == 0 && len - i >= 4 && memcmp(re + i, "(?x)", 4) == 0)
                return i;
            depth++;
        } else if (re[i] == ')') {
            depth--;
        }
    }
    return len;
}

/* What the last token written was, for joins (joins_after). */
enum last_token { LAST_OTHER = 0, LAST_ESCAPE, LAST_OPEN_BRACE };

static int is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Whether a token starting with c, once what stood between it and the
 * last token is gone, could read as part of it: "\x4" and "1" as "\x41",
 * a literal "{2," and "80}" as a repeat. */
static int joins_after(enum last_token last, char c)
{
    if (last == LAST_ESCAPE)
        return is_alnum(c) || c == '{' || c == '<' || c == '\'' || c == '-' || c == '+';
    return last == LAST_OPEN_BRACE && ((c >= '0' && c <= '9') || c == ',' || c == '}');
}

/* Whether the escape re[i..end] could read on into what follows it: "\x"
 * and "\x4" take hex digits, "\1" more digits, a bare "\o", "\N", "\g"
 * or "\k" what names its code or group. "\s", "\x{41}" could not. */
static int extensible_escape(const char *re, size_t i, size_t end)
{
    char k = re[i + 1];

    if (end == i)
        return 0;
    if (k == 'x')
        return end - i < 3 && re[end] != '}';
    return (k >= '0' && k <= '9') ||
           (end == i + 1 && (k == 'o' || k == 'N' || k == 'g' || k == 'k'));
}

/* The last token of re[0..n), roughly: an escape anywhere in its last
 * four bytes counts as one (unsure is safe: the caller then refuses). */
static enum last_token last_of(const char *re, size_t n)
{
    size_t k = n;

    while (k > 0 && ((re[k - 1] >= '0' && re[k - 1] <= '9') || re[k - 1] == ','))
        k--;
    if (k > 0 && re[k - 1] == '{')
        return LAST_OPEN_BRACE;
    return memchr(re + (n > 4 ? n - 4 : 0), '\\', n > 4 ? 4 : n) != NULL ? LAST_ESCAPE
                                                                         : LAST_OTHER;
}

/* re without the "(?x)" at re[from], and without the white space and the
 * comments that extended mode skips after it; NULL when it cannot be
 * written so (or out of memory: *oom), such as when two tokens could
 * join once what stood between them is gone. */
static char *drop_extended(const char *re, size_t len, size_t from, size_t *out_len,
                           int *oom)
{
    char *out = tri_malloc(len + 1), *o = out;
    size_t i, end, rep;
    long m, n;
    enum last_token last = last_of(re, from);
    int skipped = 1;                    /* the "(?x)" itself */

    if (out == NULL) {
        *oom = 1;
        return NULL;
    }
    memcpy(o, re, from);
    o += from;
    for (i = from + 4; i < len; i++) {
        char c = re[i];

        if (x_space(c)) {
            skipped = 1;
            continue;
        }
        if (c == '#') {                 /* a comment runs to the newline */
            while (i + 1 < len && re[i + 1] != '\n')
                if (other_newline(re[++i]))
                    goto refuse;
            skipped = 1;
            continue;
        }
        if ((c == '{' && brace_reads_apart(re, len, i)) || (skipped && joins_after(last, c)))
            goto refuse;
        if (c == '\\')
            end = tri_rx_escape_end(re, len, i);
        else if (c == '[')
            end = tri_rx_class_end(re, len, i);
        else if (c == '(' && i + 2 < len && re[i + 1] == '?' && re[i + 2] == '#')
            end = comment_end(re, len, i);
        else
            end = i;
        if (end >= len)                 /* unclosed: PCRE2 refused it */
            goto refuse;
        memcpy(o, re + i, end + 1 - i);
        o += end + 1 - i;
        if (c == '\\')
            last = extensible_escape(re, i, end) ? LAST_ESCAPE : LAST_OTHER;
        else if (c == '{' && !tri_rx_repeat(re, len, i, &m, &n, &rep))
            last = LAST_OPEN_BRACE;
        else if (!(last == LAST_OPEN_BRACE && ((c >= '0' && c <= '9') || c == ',')) &&
                 !(last == LAST_ESCAPE && is_alnum(c)))   /* "\x" "4": one escape */
            last = LAST_OTHER;
        skipped = 0;
        i = end;
    }
    *o = '\0';
    *out_len = (size_t)(o - out);
    return out;
refuse:
    tri_free(out);
    return NULL;
}

/* A quantifier's lazy '?' is kept and its possessive '+' dropped; re[i]
 * is the quantifier's last byte. Returns the index of the last byte
 * consumed. */
static size_t after_quantifier(const char *re, size_t len, size_t i, char **o)
{
    if (i + 1 < len && re[i + 1] == '?') {
        *(*o)++ = '?';
        return i + 1;
    }
    return i + 1 < len && re[i + 1] == '+' ? i + 1 : i;
}

/* Whether the comment "(?#" at re[i] can go: it is closed, and no escape
 * before it could read on into what follows ("\x4(?#c)1"). Such a
 * comment stays, and with it the regex is kept as written. */
static int droppable_comment(const char *re, size_t len, size_t i, int after_escape)
{
    size_t end = comment_end(re, len, i);

    return end < len && !(after_escape && end + 1 < len && joins_after(LAST_ESCAPE, re[end + 1]));
}

/* The token pass: atomic groups plain, possessive quantifiers greedy,
 * comments gone. 'atom' says whether a quantifier may follow (what PCRE2
 * calls a repeatable item). */
static void drop_restrictions(const char *re, size_t len, char *out, size_t *out_len)
{
    char *o = out;
    size_t i, end;
    long m, n;                  /* a repeat's bounds, unused here */
    int atom = 0, escaped = 0;  /* the last token: an escape that reads on */

    for (i = 0; i < len; i++) {
        char c = re[i];

        if (c == '(' && i + 2 < len && re[i + 1] == '?' && re[i + 2] == '#' &&
            droppable_comment(re, len, i, escaped)) {
            i = comment_end(re, len, i);
            /* "x{1,(?#c)2}" is text: without the comment it would be a
             * repeat, so an empty group keeps the two apart. */
            if (i + 1 < len && ((re[i + 1] >= '0' && re[i + 1] <= '9') ||
                                re[i + 1] == ',' || re[i + 1] == '}')) {
                memcpy(o, "(?:)", 4);
                o += 4;
            }
            continue;                   /* what came before it is still last */
        }
        /* the digits after "\x" or "\1" are still the escape's */
        escaped = escaped && is_alnum(c);
        if (c == '\\' || c == '[') {
            end = c == '\\' ? tri_rx_escape_end(re, len, i) : tri_rx_class_end(re, len, i);
            end = end < len ? end : len - 1;
            escaped = c == '\\' && extensible_escape(re, i, end);
            memcpy(o, re + i, end + 1 - i);
            o += end + 1 - i;
            i = end;
            atom = 1;
        } else if (c == '(' && i + 2 < len && re[i + 1] == '?' && re[i + 2] == '>') {
            memcpy(o, "(?:", 3);
            o += 3;
            i += 2;
            atom = 0;
        } else if (c == '(') {
            *o++ = c;
            if (i + 1 < len && re[i + 1] == '?')   /* "(?" opens, never repeats */
                *o++ = re[++i];
            atom = 0;
        } else if ((c == '*' || c == '+' || c == '?') && atom) {
            *o++ = c;
            i = after_quantifier(re, len, i, &o);
            atom = 0;
        } else if (c == '{' && atom && tri_rx_repeat(re, len, i, &m, &n, &end)) {
            memcpy(o, re + i, end + 1 - i);
            o += end + 1 - i;
            i = after_quantifier(re, len, end, &o);
            atom = 0;
        } else {
            *o++ = c;
            atom = c != '|';
        }
    }
    *o = '\0';
    *out_len = (size_t)(o - out);
}

char *tri_regex_plain(const char *re, size_t len, size_t *out_len, int *oom)
{
    char *x = NULL, *out;
    size_t n = len, from;

    *oom = 0;
    if ((from = extended_from(re, len)) < len) {
        /* x set inside a group before, turned off or on again after, or
         * every option reset by "(?^" */
        if (tri_rx_x_option(re, from) || tri_rx_x_option(re + from + 4, len - from - 4) ||
            memmem(re, len, "(?^", 3) != NULL || tri_rx_unicode_space(re, len))
            return NULL;
        if ((x = drop_extended(re, len, from, &n, oom)) == NULL)
            return NULL;
        re = x;
    }
    /* "(?>" -> "(?:" keeps the length, so the token pass fits in len + 1;
     * a comment's "(?:)" is never longer than the comment it replaces. */
    if ((out = tri_malloc(n + 1)) == NULL) {
        *oom = 1;
    } else {
        drop_restrictions(re, n, out, out_len);
    }
    tri_free(x);
    return out;
}
