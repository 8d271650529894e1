/*
 * regex_relax.c - the looser form of a rule regex that Vectorscan compiles
 * as its prefilter. Vectorscan only nominates regexes (whether one matches
 * somewhere, at no particular offset) and PCRE2 decides on the original, so
 * any form that matches every text the original matches is correct.
 */
#include <string.h>
#include "internal.h"

/* Whether any of the n strings of 'list' occurs in re[0..len). */
static int holds_any(const char *re, size_t len, const char *const *list, size_t n)
{
    size_t i, k, m;

    for (k = 0; k < n; k++) {
        m = strlen(list[k]);
        for (i = 0; i + m <= len; i++)
            if (memcmp(re + i, list[k], m) == 0)
                return 1;
    }
    return 0;
}

/* Constructs under which widening a repeat or dropping \b could lose a
 * match: possessive and atomic forms stop backtracking, verbs and comments
 * are not parsed here, (?x) changes what a brace or bracket means. A regex
 * still holding one once written plainly (regex_plain.c) is kept as
 * written. Lookarounds are dropped instead
 * (lookaround_at), unless that is unsafe too (lookarounds_droppable). */
static int unsafe_once_plain(const char *re, size_t len)
{
    /* Left in a plain form only where that reader was unsure: a "(?>" or
     * "(?#" after an escaped '(' (a "}+" left repeats a '}'). */
    static const char *const unread[] = { "(?>", "(*", "(?#" };

    return holds_any(re, len, unread, sizeof unread / sizeof *unread) ||
           tri_rx_x_option(re, len);
}

static int unsafe_to_relax(const char *re, size_t len)
{
    static const char *const possessive[] = { "*+", "++", "?+", "}+" };

    return unsafe_once_plain(re, len) ||
           holds_any(re, len, possessive, sizeof possessive / sizeof *possessive);
}

/* Whether the regex names a script property ("\p{Han}", "\P{^Latin}"):
 * a name longer than a general category's two letters. */
static int script_property(const char *re, size_t len)
{
    size_t i, k, name;

    for (i = 0; i + 3 < len; i++) {
        if (re[i] == '\\' && (re[i + 1] == 'p' || re[i + 1] == 'P') && re[i + 2] == '{') {
            name = i + 3 + (re[i + 3] == '^');
            for (k = name; k < len && re[k] != '}'; k++)
                ;
            if (k - name > 2)
                return 1;
        }
        i += re[i] == '\\';   /* an escaped backslash is not an escape's start */
    }
    return 0;
}

const char *tri_regex_reads_apart(const char *re, size_t len)
{
    if (tri_rx_x_option(re, len) && tri_rx_unicode_space(re, len))
        return "in extended mode (?x) PCRE2 skips the Unicode white space (U+0085, "
               "U+200E, U+200F, U+2028, U+2029) in this regex and Vectorscan would not";
    if (script_property(re, len))
        return "PCRE2 reads a script property such as \\p{Han} by script extensions "
               "(so 。 is Han) and Vectorscan by script";
    return NULL;
}

/* Whether a lookaround ("(?=", "(?!", "(?<=", "(?<!") opens at re[i].
 * "(?<name>" is a named group, not a lookbehind. */
static int lookaround_at(const char *re, size_t len, size_t i)
{
    if (i + 2 >= len || re[i] != '(' || re[i + 1] != '?')
        return 0;
    if (re[i + 2] == '<')
        i++;
    return i + 2 < len && (re[i + 2] == '=' || re[i + 2] == '!');
}

/* Whether the class re[i..end] holds \w or \W, a property (\pL) or a
 * POSIX class ([:alpha:]): under UCP that is hundreds of byte ranges, and
 * with a run of letters that fold three ways (k, K and the Kelvin sign) it
 * took Vectorscan seconds to build (fuzz/crashes/relax/library-slow-on-*).
 * Any character, one code point as the class is, matches wherever it
 * does, and in complaint text a letter class is nearly any character. */
static int holds_wide_class(const char *re, size_t i, size_t end)
{
    size_t j, e;

    for (j = i + 1; j < end; j++) {
        if (re[j] == '[' && re[j + 1] == ':' && tri_rx_posix_end(re, end + 1, j) > 0)
            return 1;
        if (re[j] != '\\')
            continue;
        e = tri_rx_escape_end(re, end, j);
        if (e == j + 1 && (re[e] == 'w' || re[e] == 'W'))
            return 1;
        if (re[j + 1] == 'p' || re[j + 1] == 'P')
            return 1;
        j = e;
    }
    return 0;
}

/* Index of the ')' that closes the group opened at re[i], or len. */
static size_t group_end(const char *re, size_t len, size_t i)
{
    size_t j, depth = 0;

    for (j = i; j < len; j++) {
        if (re[j] == '\\')
            j = tri_rx_escape_end(re, len, j);
        else if (re[j] == '[')
            j = tri_rx_class_end(re, len, j);
        else if (re[j] == '(')
            depth++;
        else if (re[j] == ')' && --depth == 0)
            return j;
    }
    return len;
}

/* Dropping every lookaround only ever adds matches, unless a quantifier
 * follows one (it would move to the atom before), a group is unbalanced,
 * or the regex refers to groups by number or name (a dropped lookaround
 * may hold a group, and conditionals test assertions). */
static int lookarounds_droppable(const char *re, size_t len)
{
    size_t i, n, end;

    for (i = 0; i < len; i++) {
        if (re[i] == '\\') {
            /* \1 to \9, \g, \k: not "\\1" (a backslash, then 1) nor a
             * class's octal "[\1]", which the fuzzer found kept whole */
            if (i + 1 < len && ((re[i + 1] >= '1' && re[i + 1] <= '9') ||
                                re[i + 1] == 'g' || re[i + 1] == 'k'))
                return 0;
            i = tri_rx_escape_end(re, len, i);
        } else if (re[i] == '[') {
            i = tri_rx_class_end(re, len, i);
        } else if (re[i] == '(' && i + 2 < len && re[i + 1] == '?' &&
                   tri_rx_one_of(re[i + 2], "P&R(+-0123456789")) {
            return 0;   /* a reference, call or conditional; "(?-i)" too */
        } else if (lookaround_at(re, len, i)) {
            end = group_end(re, len, i);
            if (end >= len)
                return 0;
            n = tri_rx_skip_ignored(re, len, end + 1);
            if (n < len && tri_rx_one_of(re[n], "*+?{"))
                return 0;
            i = end;
        }
    }
    return 1;
}

/* Lower bounds above this are written as it: the library's build grows
 * with the count ("\d{600}" took it 5 s, "(\s+){4985}" 15 s, and it
 * refuses "x{32767}"), and a text holding the repeat holds this much of it
 * too. The shipped rules' largest is 12. */
#define REPEAT_CAP 16
#define STRING_(x) #x
#define STRING(x) STRING_(x)

/* A repeat "{m,n}" (n > m) at re[i] is written "{m,", and one whose m is
 * above REPEAT_CAP ("{m}", "{m,}", "{m,n}") "{16,"; returns the index of
 * its '}', which the caller copies; else i, with nothing written. */
static size_t widen_repeat(const char *re, size_t len, size_t i, char **o)
{
    size_t end, upto;
    long m, n;

    if (!tri_rx_repeat(re, len, i, &m, &n, &end))
        return i;
    if (m > REPEAT_CAP) {
        static const char capped[] = "{" STRING(REPEAT_CAP) ",";

        memcpy(*o, capped, sizeof capped - 1);
        *o += sizeof capped - 1;
        return end;
    }
    if (n <= m)                         /* "{m}", "{m,}" as written */
        return i;
    upto = (size_t)((const char *)memchr(re + i, ',', end - i) - re);   /* "{m," */
    memcpy(*o, re + i, upto + 1 - i);
    *o += upto + 1 - i;
    return end;
}

/* A construct ending at re[end] was dropped: if what follows could join
 * what came before into another token ("x{1,\\b2}" would become the
 * quantifier "x{1,2}"), write an empty group between them. */
static size_t mark_gap(const char *re, size_t len, size_t end, char **o)
{
    size_t next = tri_rx_skip_ignored(re, len, end + 1);

    if (next < len && tri_rx_one_of(re[next], "0123456789,}*+?{")) {
        memcpy(*o, "(?:)", 4);
        *o += 4;
    }
    return end;
}

/* Any one character, in place of \w, \W or a class holding one. Grouped:
 * a bare ".]" after a "[." could end what PCRE2 takes for "[.x.]". */
static void put_any(char **o)
{
    memcpy(*o, "(?:.)", 5);
    *o += 5;
}

/* An escape at re[i] (a backslash, outside a class): copy it whole, or
 * drop \b, \B (an assertion only ever removes matches) and \K (it only
 * moves where a match is said to start; Vectorscan refuses it) and write \w
 * and \W as any character (under UCP and caseless a word class is hundreds of byte
 * ranges: one "(\w+ )?" made a regex's automaton 0.7 MB and 0.8 s to build;
 * the regexes are compiled with DOTALL), and so a property (\pL, \p{Lu}).
 * Returns the index of its last byte. */
static size_t copy_escape(const char *re, size_t len, size_t i, char **o)
{
    size_t end = tri_rx_escape_end(re, len, i);

    if (end == i + 1 && (re[end] == 'b' || re[end] == 'B' || re[end] == 'K'))
        return mark_gap(re, len, end, o);
    if ((end == i + 1 && (re[end] == 'w' || re[end] == 'W')) ||
        (i + 1 < len && (re[i + 1] == 'p' || re[i + 1] == 'P'))) {
        put_any(o);
        return end;
    }
    memcpy(*o, re + i, end + 1 - i);
    *o += end + 1 - i;
    return end;
}

/* Whether the lookaround at re[i], at depth 0 of the regex, can be kept
 * as text the relaxed form consumes instead of dropped: a lookbehind that
 * opens a top-level branch ("(?<=没|不)过敏": whatever matches it, "没过敏"
 * or "不过敏", matches "(没|不)过敏"), or a lookahead that closes one.
 * Either is then a required part of the prefilter, so fewer texts
 * nominate the regex. */
static int lookaround_kept(const char *re, size_t len, size_t i, int branch_start)
{
    size_t next;

    if (re[i + 2] == '<')
        return branch_start && re[i + 3] == '=';
    if (re[i + 2] != '=')
        return 0;
    next = tri_rx_skip_ignored(re, len, group_end(re, len, i) + 1);
    return next >= len || re[next] == '|';
}

/* A regex safe to loosen, with bounded repeats widened, or kept as written
 * for the reach (tri_regex_relax_spans). Either writes a property or POSIX
 * class as any character: the library took 6 s to size "\pL{2,80}" (and
 * refused it, too large) and 1.3 s to build "[[:alpha:]]{2,}" beside runs
 * of K; under UCP such a class holds four-byte characters, so its widest
 * match is the same. */
static char *loosen(const char *re, size_t len, int widen)
{
    char *out = tri_malloc(3 * len + 1), *o = out;   /* "\w" -> "(?:.)" */
    size_t i;
    int depth = 0, branch_start = 1;   /* nothing of this top-level branch yet */

    if (out == NULL)
        return NULL;
    for (i = 0; i < len; i++) {
        char c = re[i];
        int opens = branch_start;

        branch_start = 0;
        if (c == '\\') {
            i = copy_escape(re, len, i, &o);
        } else if (c == '[') {          /* a class is copied as written, */
            size_t end = tri_rx_class_end(re, len, i), n = end + 1 - i;

            n = i + n > len ? len - i : n;
            if (end < len && holds_wide_class(re, i, end)) {
                put_any(&o);               /* or as any character */
            } else {
                memcpy(o, re + i, n);
                o += n;
            }
            i += n - 1;
        } else if (lookaround_at(re, len, i)) {
            if (depth == 0 && lookaround_kept(re, len, i, opens)) {
                /* A plain group: "(?:" before a lookbehind's "]" would make
                 * ":]", and turn an earlier "[:" into a POSIX class. The
                 * extra group number is safe: no back-references here. */
                *o++ = '(';
                i += re[i + 2] == '<' ? 3 : 2;
                depth++;
            } else {
                i = mark_gap(re, len, group_end(re, len, i), &o);   /* it only removes matches */
            }
        } else {
            if (c == '{' && widen) {
                i = widen_repeat(re, len, i, &o);
                c = re[i];
            }
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            branch_start = depth == 0 && c == '|';
            *o++ = c;
        }
    }
    *o = '\0';
    return out;
}

/* The regex written plainly, then loosened; as written when a construct
 * under which loosening could lose a match is left. */
static char *relax(const char *re, size_t len, int widen)
{
    int oom;
    size_t n;
    char *plain = tri_regex_plain(re, len, &n, &oom), *out;

    if (plain != NULL && !unsafe_once_plain(plain, n) && lookarounds_droppable(plain, n)) {
        out = loosen(plain, n, widen);
    } else if (plain != NULL || !oom) {
        if ((out = tri_malloc(len + 1)) != NULL) {
            memcpy(out, re, len);
            out[len] = '\0';
        }
    } else {
        out = NULL;
    }
    tri_free(plain);
    return out;
}

char *tri_regex_relax(const char *re, size_t len)
{
    return relax(re, len, 1);
}

char *tri_regex_relax_spans(const char *re, size_t len)
{
    return relax(re, len, 0);
}

/* Whether the group opening at re[i] captures: "(", "(?<name>", "(?'name'"
 * or "(?P<name>"; not "(?:", a lookaround or an option setting. */
static int opens_capture(const char *re, size_t len, size_t i)
{
    if (i + 2 >= len || re[i + 1] != '?')
        return i + 1 >= len || re[i + 1] != '?';
    if (re[i + 2] == 'P' || re[i + 2] == '\'')
        return 1;
    return re[i + 2] == '<' && i + 3 < len && re[i + 3] != '=' && re[i + 3] != '!';
}

/* Whether re[from..to) has a \K or \G, and, for the lookbehind
 * ('in_lookbehind'), a group that captures (the rest's numbers would
 * shift), else a top-level '|' (the lookbehind would open one branch). */
static int split_blocked(const char *re, size_t from, size_t to, int in_lookbehind)
{
    size_t i, end;
    int depth = 0;

    for (i = from; i < to; i++) {
        if (re[i] == '\\') {
            end = tri_rx_escape_end(re, to, i);
            if (end == i + 1 && (re[end] == 'K' || re[end] == 'G'))
                return 1;
            i = end;
        } else if (re[i] == '[') {
            i = tri_rx_class_end(re, to, i);
        } else if (re[i] == '(') {
            if (in_lookbehind && opens_capture(re, to, i))
                return 1;
            depth++;
        } else if (re[i] == ')') {
            depth--;
        } else if (re[i] == '|' && depth == 0 && !in_lookbehind) {
            return 1;
        }
    }
    return 0;
}

size_t tri_regex_leading_lookbehind(const char *re, size_t len)
{
    size_t end;

    if (len < 5 || memcmp(re, "(?<", 3) != 0 || (re[3] != '=' && re[3] != '!') ||
        unsafe_to_relax(re, len) || !lookarounds_droppable(re, len))
        return 0;
    end = group_end(re, len, 0);
    if (end + 1 >= len || split_blocked(re, 4, end, 1) ||
        split_blocked(re, end + 1, len, 0))
        return 0;
    return end + 1;
}
