/* test_regex_relax.c - the Vectorscan prefilter form of a regex: what it
 * rewrites, what it leaves alone, and that it never loses a match. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include "test_util.h"
#include "internal.h"

/* What form(re) writes: tri_regex_relax or tri_regex_relax_spans. */
static void expect_form(char *(*form)(const char *, size_t), const char *re,
                        const char *want)
{
    char *got = form(re, strlen(re));

    assert_non_null(got);
    assert_string_equal(got, want);
    tri_free(got);
}

static void expect_relax(const char *re, const char *want)
{
    expect_form(tri_regex_relax, re, want);
}

static void test_widens_bounded_repeats(void **state)
{
    (void)state;
    expect_relax("吃了[^。!?]{0,30}片", "吃了[^。!?]{0,}片");
    expect_relax("\\x{4e2d}{1,4}药", "\\x{4e2d}{1,}药");
    expect_relax("a{2,3}?b", "a{2,}?b");
    expect_relax("(ab){1,12}", "(ab){1,}");
}

static void expect_spans(const char *re, const char *want)
{
    expect_form(tri_regex_relax_spans, re, want);
}

/* Both forms write a property or POSIX class as any character: the
 * library took 6 s to size "\pL{2,80}" for the reach (then refused it)
 * and 1.3 s to build "[[:alpha:]]{2,}" beside runs of K for the prefilter
 * (fuzz/crashes/relax/library-slow-to-build-a-posix-class-beside-k-runs). */
static void test_property_classes_are_any_character(void **state)
{
    (void)state;
    expect_spans("\\pL{2,80}x", "(?:.){2,80}x");
    expect_spans("\\p{Lu}\\P{N}?", "(?:.)(?:.)?");
    expect_spans("[[:alpha:]-]{1,3}", "(?:.){1,3}");
    expect_spans("[^\\pL]{0,4}", "(?:.){0,4}");
    expect_spans("[a-z]{2,80}", "[a-z]{2,80}");
    expect_spans("[\\[:x]{1,2}", "[\\[:x]{1,2}");     /* "[:" but no POSIX class */
    expect_relax("\\pL{2,80}x", "(?:.){2,}x");            /* so does the prefilter */
    expect_relax("[[:alpha:]]{1,3}", "(?:.){1,}");
}

/* A lower bound above 16 is written as 16: the library's build grows with
 * the count ("\\d{600}" took 5 s, "x{32767}" it refused), and a text
 * holding the repeat holds 16 of it. The reach keeps the count. */
static void test_caps_large_lower_bounds(void **state)
{
    (void)state;
    expect_relax("订单号\\d{600}", "订单号\\d{16,}");
    expect_relax("x{32767}", "x{16,}");
    expect_relax("(\\s+){4985}", "(\\s+){16,}");
    expect_relax("a{17,20}b{20,}", "a{16,}b{16,}");
    expect_relax("a{16}b{16,20}", "a{16}b{16,}");
    expect_spans("\\d{600}", "\\d{600}");
}

static void test_keeps_what_is_not_a_range(void **state)
{
    (void)state;
    expect_relax("\\d{11}", "\\d{11}");
    expect_relax("a{2,}", "a{2,}");
    expect_relax("a{,5}", "a{,5}");          /* a literal in PCRE2 10.42 */
    expect_relax("a{3,3}", "a{3,3}");
    expect_relax("a{5,2}", "a{5,2}");
    expect_relax("x{1,2", "x{1,2");
}

static void test_drops_word_boundaries_outside_classes(void **state)
{
    (void)state;
    expect_relax("\\bsue\\b", "sue");
    expect_relax("\\Bing", "ing");
    expect_relax("[\\b]{1,2}", "[\\b]{1,}");  /* backspace inside a class */
    expect_relax("\\\\b", "\\\\b");            /* an escaped backslash, then b */
    /* What follows must not join what came before into a quantifier. */
    expect_relax("a${2,\\b2}", "a${2,(?:)2}");
    expect_relax("x\\b{1}", "x(?:){1}");
}

static void test_word_classes_become_any_character(void **state)
{
    (void)state;
    expect_relax("i.ll (\\w+ )?hurt", "i.ll ((?:.)+ )?hurt");
    expect_relax("a\\W{1,2}b", "a(?:.){1,}b");
    expect_relax("[\\w-]{2}", "(?:.){2}");            /* so does a class holding one */
    expect_relax("[^\\W\\d]+x", "(?:.)+x");
    expect_relax("[\\\\w]", "[\\\\w]");              /* an escaped backslash, then w */
    expect_relax("[a-z\\d]", "[a-z\\d]");
    expect_relax("\\\\w", "\\\\w");                /* an escaped backslash, then w */
}

static void test_classes_and_quotes_are_opaque(void **state)
{
    (void)state;
    expect_relax("[]{1,2}]{1,3}", "[]{1,2}]{1,}");
    expect_relax("[^]{1,2}]{1,3}", "[^]{1,2}]{1,}");
    expect_relax("[[:digit:]{]{2,4}", "(?:.){2,}");       /* one class, "{" in it */
    expect_relax("\\Q{1,2}\\b\\E{1,2}", "\\Q{1,2}\\b\\E{1,}");
    expect_relax("\\x{4e00}{1,3}", "\\x{4e00}{1,}");
    /* Where PCRE2 ends a class: "[:" without ":]" is two members, and a
     * \E before a leading ']' does not stop that ']' being a member. */
    expect_relax("[[:x]{1,2}", "[[:x]{1,}");
    expect_relax("[\\E]a]{1,2}", "[\\E]a]{1,}");
    expect_relax("[^\\Q\\E]a]{1,2}", "[^\\Q\\E]a]{1,}");
}

static void test_drops_lookarounds(void **state)
{
    (void)state;
    expect_relax("x(?!a{1,3}b)\\b", "x");
    expect_relax("x(?<=a{1,2})b{1,2}", "xb{1,}");
    expect_relax("(?<![不没])(能|可以)[^。]{0,8}(?!假)治好", "(能|可以)[^。]{0,}治好");
    expect_relax("a(?=(b|[)])c)d", "ad");                 /* nested, a ')' in a class */
    expect_relax("a(?=\\))b", "ab");                    /* an escaped ')' */
    expect_relax("(?<name>a{1,2})(?=x)y", "(?<name>a{1,})y"); /* a named group stays */
    expect_relax("(?!a)b|(?<!c)d", "b|d");             /* negative ones always go */
    expect_relax("(a|(?<=b)c)", "(a|c)");               /* inside a group */
    expect_relax("a(?=b)c|d", "ac|d");                  /* not at a branch's end */
    expect_relax("[(?=]{1,2}", "[(?=]{1,}");             /* not a lookahead in a class */
    expect_relax("x{1,(?=y)2}", "x{1,(?:)2}");
}

/* A lookbehind that opens a top-level branch, or a lookahead that closes
 * one, is text every match has beside it: the prefilter keeps it as text
 * to consume, which nominates the regex on fewer texts. */
static void test_keeps_edge_lookarounds_as_text(void **state)
{
    (void)state;
    expect_relax("(?<=会不会|会唔会)[^，。]{0,12}(\\?|$)", "(会不会|会唔会)[^，。]{0,}(\\?|$)");
    expect_relax("(?<=a{1,2})b{1,2}", "(a{1,})b{1,}");
    expect_relax("x|(?<=\\bno )rash\\b", "x|(no )rash");
    expect_relax("(?<name>a{1,2})(?=x)", "(?<name>a{1,})(x)");
    expect_relax("\\A(?=[^!]{8,}\\z)", "\\A([^!]{8,}\\z)");
    expect_relax("a(?=b(?<=c)d)|e(?=f)", "a(bd)|e(f)");   /* nested ones go */
    expect_relax("a(?=b)\\E|c", "a(b)\\E|c");       /* \\E between means nothing */
    /* Not "(?:]": PCRE2 looks for the ":]" of a POSIX class past the
     * class's end ("\\c\\" is one escape, but "\\]" is skipped), and the
     * ":]" would make "[:" one (fuzz_relax found it). */
    expect_relax("[[:\\c\\]x|(?<=])y", "[[:\\c\\]x|(])y");
}

/* \\K only moves where a match is said to start, and Vectorscan refuses
 * it: without it the regex gets a prefilter instead of running on every
 * text. */
static void test_drops_match_start_reset(void **state)
{
    (void)state;
    expect_relax("(?:没|冇)\\K(过敏|红肿)", "(?:没|冇)(过敏|红肿)");
    expect_relax("a\\K{2}", "a(?:){2}");
}

/* What keeps a regex whole is read as tokens, not bytes: "(?1" in a class
 * is text, \\1 an escaped backslash and a 1, [\1] an octal code, and "}+"
 * after a brace that is no repeat repeats a '}'. Kept whole, each made the
 * library size a POSIX class for seconds (fuzz/crashes/relax/
 * library-slow-to-size-a-posix-class-kept-for-*). */
static void test_reads_what_keeps_a_regex_whole_as_tokens(void **state)
{
    (void)state;
    expect_relax("[(?1]{1,3}", "[(?1]{1,}");
    expect_relax("\\\\1{1,3}", "\\\\1{1,}");
    expect_relax("[\\1]{1,3}", "[\\1]{1,}");
    expect_relax("x{4,.1}+y{1,2}", "x{4,.1}+y{1,}");
    expect_relax("(a)\\1{1,2}", "(a)\\1{1,2}");         /* a reference stays whole */
    expect_relax("(?(1)a|b){1,2}", "(?(1)a|b){1,2}");
}

static void test_unsafe_forms_are_kept_whole(void **state)
{
    (void)state;
    expect_relax("x(?=a){2}b{1,2}", "x(?=a){2}b{1,2}");  /* the {2} would move to x */
    expect_relax("(a)(?=b{1,2})\\1", "(a)(?=b{1,2})\\1"); /* numbered groups */
    expect_relax("(?(?=a)ab{1,2}|c)", "(?(?=a)ab{1,2}|c)"); /* a conditional */
    expect_relax("a(?=b{1,2}", "a(?=b{1,2}");            /* unbalanced */
    expect_relax("(?ix) a{1,3} # {2,4}", "(?ix) a{1,3} # {2,4}"); /* x not alone */
    expect_relax("(?x)a(?-x) b{1,2}", "(?x)a(?-x) b{1,2}");       /* x turned off */
    expect_relax("(?x)a{2, 4}", "(?x)a{2, 4}");   /* text in 10.42, a repeat later */
    expect_relax("(?x)a b(?^)c d", "(?x)a b(?^)c d");   /* (?^) resets x */
    expect_relax("(?x)a #c\r|b\n", "(?x)a #c\r|b\n");  /* CR may end a comment */
    /* PCRE2 skips U+0085 there too (fuzz_relax: a regex of "(?x)" and
     * U+0085 was relaxed to U+0085, which the empty text lacks) */
    expect_relax("(?x)a\xc2\x85" "b", "(?x)a\xc2\x85" "b");
    expect_relax("(*UCP)a{1,2}", "(*UCP)a{1,2}");   /* verbs are not read */
    expect_relax("a{1,3}(*SKIP)b", "a{1,3}(*SKIP)b");
}

/* Atomic groups and possessive quantifiers only cut backtracking: written
 * plainly they match wherever they did, and the prefilter is loosened
 * instead of the regex kept as written (which the library took 4 s to
 * refuse for "[\\w.]{2,80}+"). Comments and a leading (?x) go. */
static void test_writes_restrictions_plainly(void **state)
{
    (void)state;
    expect_relax("a{1,3}+a", "a{1,}a");
    expect_relax("(?>a{1,3})a", "(?:a{1,})a");
    expect_relax("a*+b++c?+d{2}+e{2,}+", "a*b+c?d{2}e{2,}");
    expect_relax("a+?b{1,2}?", "a+?b{1,}?");          /* lazy ones stay */
    expect_relax("(ab)++\\+++", "(ab)+\\++");        /* a group, an escape */
    expect_relax("\\\\{1,2}+", "\\\\{1,}");         /* an escaped '\\' */
    expect_relax("[*+]{1,2}\\*+", "[*+]{1,}\\*+");    /* a class, an escaped '*' */
    expect_relax("[a+]++x", "[a+]+x");
    expect_relax("x{a}+", "x{a}+");                   /* "}+" repeats a '}' */
    expect_relax("(?i)a++", "(?i)a+");
    expect_relax("a(?#note)+b", "a+b");               /* the '+' repeats a */
    expect_relax("x{1,(?#c)2}", "x{1,(?:)2}");        /* text stays text */
    expect_relax("(?x) order \\s* [\\w.]{2,80} \\s lost # the id\n",
                 "order\\s*(?:.){2,}\\slost");
    expect_relax("(?x)a +b # c {1,2}\nd\\ e[ #]", "a+bd\\ e[ #]");
    expect_relax("(?x)(?#a # b)c", "c");
    expect_relax("(?x)a\\Q b #\\E", "a\\Q b #\\E");
    /* Later in the regex, outside any group: the rest is read extended,
     * later alternatives too (fuzz_relax: 5 s to build one kept whole) */
    expect_relax("a b|(?x)c d{1,2}|e f", "a b|cd{1,}|ef");
    expect_relax("[[]S(?x) x # y\n", "[[]Sx");
    expect_relax("(a(?x) b)c d", "(a(?x) b)c d");   /* inside a group: kept whole */
    expect_relax("(?#(?x))a b(?x)c d", "(?#(?x))a b(?x)c d");
    /* Two tokens that would join once what stood between them is gone
     * keep the regex whole: "{2," and "80}" (fuzz_relax: the repeat then
     * had nothing to repeat), "\x4" and "1", a comment inside braces. */
    expect_relax("{2,(?x)80} order", "{2,(?x)80} order");
    expect_relax("(?x)\\x4 1", "(?x)\\x4 1");
    expect_relax("(?x)\\1 0(a)", "(?x)\\1 0(a)");
    expect_relax("(?x)x{2#c\n,3}", "(?x)x{2#c\n,3}");
    expect_relax("\\x4(?#c)a{1,2}", "\\x4(?#c)a{1,2}");
    expect_relax("(?x)\\s l \\x{41} b", "\\sl\\x{41}b");   /* complete escapes */
}

static int matches(const char *re, const char *subject)
{
    int err, rc;
    PCRE2_SIZE off;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
                                     PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS,
                                     &err, &off, NULL);
    pcre2_match_data *md;

    assert_non_null(code);
    md = pcre2_match_data_create_from_pattern(code, NULL);
    rc = pcre2_match(code, (PCRE2_SPTR)subject, PCRE2_ZERO_TERMINATED, 0, 0,
                     md, NULL);
    pcre2_match_data_free(md);
    pcre2_code_free(code);
    return rc >= 0;
}

/* The contract: wherever the regex matches, its relaxed form matches too
 * (random subjects over the regexes' own alphabet, fixed seed). */
static void test_relaxed_form_never_loses_a_match(void **state)
{
    static const char *const regexes[] = {
        "\\ba{1,3}b\\b", "x[^.]{0,4}y", "\\b(ab|a){2,3}\\Bc", "[ab]{2,4}\\bx",
        "(a|b\\b){1,2}b{0,2}", "a{1,2}(?:b{1,3}|x)\\b",
        "(?<!x)a{1,2}(?!b)y", "x(?=a{1,2}b)[ab]{1,3}", "(?<=[xy]{2}|\\.)ab{0,1}",
        "(a|(?!x)b){1,2}(?<!a)y", "a\\w{1,2}b", "x\\W+y",
        "(?<=x|ab)y{1,2}|b(?=a)", "a(?=[xy]{2}\\b)", "x\\Kab{1,2}",
        "a{1,3}+a", "(?>a|ab)b{1,2}", "(a|ab)*+b", "a?+ab{0,2}", "x(?#c)+y{1,2}",
        "(?x) a {1,2} b # c", "(?x)a b # x\n | y{1,2}", "a b|(?x)y x|b {1,2}",
    };
    static const char alphabet[] = "abxy. ";
    unsigned seed = 12345, r, k, i, hits = 0;

    (void)state;
    for (r = 0; r < sizeof regexes / sizeof *regexes; r++) {
        char *relaxed = tri_regex_relax(regexes[r], strlen(regexes[r]));

        assert_string_not_equal(relaxed, regexes[r]);
        for (k = 0; k < 2000; k++) {
            char subject[12];
            unsigned n = 1 + k % 11;

            for (i = 0; i < n; i++) {
                seed = seed * 1103515245u + 12345u;
                subject[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
            }
            subject[n] = '\0';
            if (matches(regexes[r], subject)) {
                hits++;
                assert_true(matches(relaxed, subject));
            }
        }
        tri_free(relaxed);
    }
    assert_true(hits > 100);   /* the subjects did exercise the regexes */
}

/* Which regexes run split in two (match.c): a leading lookbehind with
 * one branch after it, nothing that numbers or resets around it. */
static void test_finds_a_leading_lookbehind(void **state)
{
    static const struct { const char *re; size_t want; } cases[] = {
        { "(?<!没|不)(过敏|痒)", 12 },            /* bars inside it are fine */
        { "(?<=\\bno )rash", 10 },
        { "(?<![0-9/])110(?![0-9])", 11 },
        { "(?<!a)(?<!b)c", 6 },                   /* the rest may open with one */
        { "(?<!(?:a|b))c", 12 },
        { "(?<!a)b|c", 0 },                       /* two branches */
        { "(?<!(a))b", 0 },                       /* it captures */
        { "(?<!(?<n>a))b", 0 },
        { "(?<!a)b\\Kc", 0 },
        { "(?<!a)\\Gb", 0 },
        { "(?<!a)", 0 },                          /* nothing after it */
        { "(?<!a)*b", 0 },                        /* quantified */
        { "(a)(?<!a)\\1", 0 },
        { "x(?<!a)b", 0 },                        /* not leading */
        { "(?<!a)b++", 0 },                       /* possessive: kept whole */
        { "(?=a)b", 0 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof *cases; i++)
        if (tri_regex_leading_lookbehind(cases[i].re, strlen(cases[i].re)) != cases[i].want)
            fail_msg("'%s': %zu, want %zu", cases[i].re,
                     tri_regex_leading_lookbehind(cases[i].re, strlen(cases[i].re)),
                     cases[i].want);
}

/* The hits of 'rule' in r, as start,end pairs (original offsets: the
 * texts here fold to themselves: lower case, single spaces, no space
 * between Han). */
static size_t rule_spans(const triage_result *r, const char *rule, size_t *out, size_t max)
{
    triage_hit h;
    unsigned i;
    size_t n = 0;

    for (i = 0; i < triage_result_hit_count(r); i++)
        if (triage_result_hit(r, i, &h) == TRIAGE_OK && strcmp(h.rule_id, rule) == 0 &&
            n + 2 <= max) {
            out[n++] = h.start;
            out[n++] = h.end;
        }
    return n;
}

/* The same spans from the regex whole, the way match.c walks a text. */
static size_t pcre2_spans(const char *re, const char *text, size_t *out, size_t max)
{
    int err, rc;
    PCRE2_SIZE off, at = 0, *ov, len = strlen(text);
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
                                     PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS,
                                     &err, &off, NULL);
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
    size_t n = 0;

    assert_non_null(code);
    ov = pcre2_get_ovector_pointer(md);
    while (at <= len &&
           (rc = pcre2_match(code, (PCRE2_SPTR)text, len, at, 0, md, NULL)) >= 0) {
        PCRE2_SIZE next = ov[1] > at ? ov[1] : at + 1;

        if ((ov[1] > ov[0] || n == 0) && n + 2 <= max) {
            out[n++] = ov[0];
            out[n++] = ov[1];
        }
        at = next;
        while (at < len && ((unsigned char)text[at] & 0xc0) == 0x80)
            at++;
    }
    pcre2_match_data_free(md);
    pcre2_code_free(code);
    return n;
}

/* A rule set of one rule per regex, r0, r1, ... */
static triage_ruleset *regex_rules(const char *const *regexes, size_t n_re)
{
    char yaml[4096];
    size_t n = 0, r;
    triage_compiler *c = NULL;
    triage_ruleset *rs = NULL;

    n += (size_t)snprintf(yaml + n, sizeof yaml - n, "rules:\n");
    for (r = 0; r < n_re; r++)
        n += (size_t)snprintf(yaml + n, sizeof yaml - n, "  - id: r%zu\n    type: t\n"
                              "    match: { regex: '%s' }\n", r, regexes[r]);
    assert_true(n < sizeof yaml);
    assert_int_equal(triage_compiler_create(&c), TRIAGE_OK);
    assert_int_equal(triage_compiler_add_string(c, "rx.yaml", yaml, n), TRIAGE_OK);
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_OK);
    assert_int_equal(triage_compiler_warnings(c), 0);
    triage_compiler_destroy(c);
    return rs;
}

/* On 3,000 random texts of the nine words of words[k % 3] (the third
 * kind 40 to 190 words long, the others 1 to 24), every rule's hits are
 * its regex's matches as PCRE2 finds them alone, from the text's start
 * to its end. The words must make texts that fold to themselves (lower
 * case, no two spaces running). Returns how many matches there were. */
static unsigned hits_are_whole_matches(const triage_ruleset *rs, const char *const *regexes,
                                       size_t n_re, const char *const words[3][9])
{
    char text[2048];
    size_t k, i, r, got[600], want[600], ng, nw;
    unsigned seed = 2026, hits = 0;
    triage_scratch *s = NULL;
    const triage_result *res;

    assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
    for (k = 0; k < 3000; k++) {
        size_t len = 0, n = k % 3 == 2 ? 40 + k % 150 : 1 + k % 24;

        for (i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            len += (size_t)snprintf(text + len, sizeof text - len, "%s",
                                    words[k % 3][(seed >> 16) % 9]);
        }
        assert_true(len < sizeof text);
        assert_int_equal(triage_classify(rs, s, text, len, &res), TRIAGE_OK);
        for (r = 0; r < n_re; r++) {
            char id[24];

            snprintf(id, sizeof id, "r%zu", r);
            ng = rule_spans(res, id, got, 600);
            nw = pcre2_spans(regexes[r], text, want, 600);
            hits += (unsigned)nw;
            if (ng != nw || memcmp(got, want, ng * sizeof *got) != 0)
                fail_msg("'%s' on '%s': %zu span ends, want %zu", regexes[r], text, ng, nw);
        }
    }
    triage_scratch_destroy(s);
    return hits;
}

/* A regex that opens with a lookbehind runs split (the rest searched, the
 * lookbehind tested where it matched): on random texts over the regexes'
 * own words, every rule's hits are the whole regex's matches. */
static void test_split_lookbehind_finds_what_the_whole_regex_finds(void **state)
{
    static const char *const regexes[] = {
        "(?<!没|不)(过敏|痒)", "(?<=没|不)(过敏|痒)+", "(?<!没有)过敏?痒",
        "(?<![0-9])[1-3]+痒", "(?<!不)(?<sym>过敏|痒)", "(?<=过)敏|痒",
        "(?<!no )\\b(rash|itch)\\b", "(?<=not |no )(rash|itchy?)", "(?<![a-z])on+",
        "(?<!o)n+",   /* turned down at "nn" of "onn", then "n" one on is a match */
        "(?<=x)a+", "(?<!a)a",   /* on long runs of a: more turned down than
                                    match.c tries before it takes the whole */
    };
    static const char *const words[3][9] = {
        { "没", "不", "有", "过", "敏", "痒", "1", "2", "。" },
        { "no ", "not ", "rash", "itch", "y", "on", "n", "x", "." },
        { "a", "a", "a", "a", "a", "a", "a", "a", "x" },
    };
    size_t n_re = sizeof regexes / sizeof *regexes, i;
    unsigned split = 0;
    triage_ruleset *rs = regex_rules(regexes, n_re);

    (void)state;
    for (i = 0; rs->split != NULL && i < rs->t.n_patterns; i++)
        split += rs->split[i] != NULL;
    assert_int_equal(split, 11);         /* all but the one with two branches */
    assert_true(hits_are_whole_matches(rs, regexes, n_re, words) > 3000);
    triage_ruleset_destroy(rs);
}

/* How far before its first nomination's end a regex's match can start:
 * the widest match of its prefilter with repeats as written, in bytes, as
 * it matches folded text: "s" one byte (no U+017F there), but "ſ" is
 * measured caseless. A property class is any character (four bytes). */
static void test_reach_is_the_widest_prefilter_match(void **state)
{
    static const struct { const char *re; uint32_t want; } cases[] = {
        { "abc", 3 }, { "a{1,3}", 3 }, { "ab|c", 2 }, { "s", 1 }, { "K", 1 },
        { "\xc5\xbf", 2 }, { "\\pL{2,80}x", 321 }, { "[[:alpha:]-]{1,3}", 12 },
        { "过敏", 6 },
        { "(?<=没)过敏", 9 },       /* a kept lookbehind is part of the match */
        { "过敏(?=了)", 9 },        /* so is a kept lookahead */
        { "(?<!不)痒", 3 },         /* a dropped one is not */
        { "\\bno\\b", 2 }, { "x\\Kab", 3 },
        { "x[^.]{0,4}y", 18 },      /* four characters of up to four bytes */
        { "a+", 0 },                /* unbounded */
        { "\\Gab", 0 },             /* a start offset moves \\G */
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof *cases; i++)
        if (tri_regex_reach(cases[i].re, strlen(cases[i].re)) != cases[i].want)
            fail_msg("'%s': %u, want %u", cases[i].re,
                     tri_regex_reach(cases[i].re, strlen(cases[i].re)), cases[i].want);
}

static int count_end(unsigned id, unsigned long long from, unsigned long long to,
                     unsigned flags, void *ctx)
{
    (void)id;
    (void)from;
    (void)to;
    (void)flags;
    ++*(unsigned *)ctx;
    return 0;
}

/* The library must report a match wherever it is. Debian 12's Vectorscan
 * 5.4.9 on an AVX-512 machine reports none of these past byte 63: a rule
 * then misses its regex in any longer complaint (make deps installs Intel's
 * Hyperscan on amd64 for that reason). */
static void test_library_reports_matches_past_a_vector(void **state)
{
    static const char *const patterns[] = { "x.", "x[^.]*", "x[^.]{0,}y", "x[^.]+y" };
    static const unsigned sizes[] = { 10, 63, 64, 70, 200 };
    static const unsigned flags[] = { 0, TRI_HS_REGEX_FLAGS };
    char text[256];
    size_t p, k, f;

    (void)state;
    for (p = 0; p < sizeof patterns / sizeof *patterns; p++)
        for (f = 0; f < 2; f++) {
            hs_database_t *db = NULL;
            hs_compile_error_t *err = NULL;
            hs_scratch_t *sc = NULL;

            assert_int_equal(hs_compile(patterns[p], flags[f], HS_MODE_BLOCK, NULL, &db, &err),
                             HS_SUCCESS);
            assert_int_equal(hs_alloc_scratch(db, &sc), HS_SUCCESS);
            for (k = 0; k < sizeof sizes / sizeof *sizes; k++) {
                unsigned ends = 0;

                memset(text, 'z', sizes[k]);
                memcpy(text + sizes[k], ".xqy", 4);
                assert_int_equal(hs_scan(db, text, sizes[k] + 4, 0, sc, count_end, &ends),
                                 HS_SUCCESS);
                if (ends == 0)
                    fail_msg("libhs %s: '%s' (flags %#x) reports no match in %u bytes of z "
                             "and \".xqy\"", hs_version(), patterns[p], flags[f], sizes[k]);
            }
            hs_free_scratch(sc);
            hs_free_database(db);
        }
}

/* PCRE2 searches a nominated regex from its reach before the first end
 * Vectorscan reported and stops at the last (match.c): on random texts,
 * long ones with matches scattered through them, that finds every match
 * a search of the whole text does. */
static void test_nominations_bound_the_search(void **state)
{
    static const char *const regexes[] = {
        "x[^.]{0,4}y", "a{2,3}b", "(?:ab|ba)x", "\\bab\\b", "x\\Ky{1,2}",
        "过敏(?=了|啦)", "(?<=没|不)过敏", "没[^。]{0,3}效果",
        "(?<=a)x?",   /* empty matches: only the first is kept */
        "y+x",        /* unbounded: searched from the start, stopped early */
        "(a|b)\\1x",  /* Vectorscan's prefilter makes \\1 ".*": unbounded too */
    };
    static const char *const words[3][9] = {
        { "a", "b", "x", "y", ".", "ab", "y ", "ba", "xy" },
        { "过敏", "了", "啦", "没", "不", "效果", "。", "有", "a" },
        { "a", "x", "过敏", "了", "y", "b", ".", "没", "效果" },
    };
    size_t n_re = sizeof regexes / sizeof *regexes, i;
    unsigned bounded = 0;
    triage_ruleset *rs = regex_rules(regexes, n_re);

    (void)state;
    for (i = 0; i < rs->t.n_patterns; i++)   /* the rules' own, not cues' */
        bounded += rs->t.patterns[i].role == TRI_ROLE_RULE && rs->t.patterns[i].reach != 0;
    assert_int_equal(bounded, n_re - 2);   /* all but the last two */
    assert_true(hits_are_whole_matches(rs, regexes, n_re, words) > 10000);
    triage_ruleset_destroy(rs);
}

/* Regexes PCRE2 and Vectorscan read apart run through PCRE2 alone, and
 * their rules still fire. In extended mode PCRE2 skips Unicode's pattern
 * white space, which Vectorscan reads as text (fuzz_relax found "(?x)\xc2\x85a" missed; in a rule
 * file YAML reads U+0085 as a line break, but a left-to-right mark pasted
 * from a web page stays). */
static void test_regexes_read_apart_run_in_pcre2(void **state)
{
    static const char yaml[] =
        "rules:\n"
        "  - id: x.nel\n"
        "    type: t\n"
        "    match: { regex: \"(?x)\xe2\x80\x8erefund\" }\n";   /* LRM */
    static const char han[] =
        "rules:\n"
        "  - id: x.han\n"
        "    type: t\n"
        "    match: { regex: 'a\\p{Han}b' }\n";
    triage_compiler *c = NULL;
    triage_ruleset *rs = NULL;
    triage_scratch *s = NULL;
    triage_ruleset_info info;
    const triage_result *r;

    (void)state;
    assert_non_null(tri_regex_reads_apart("(?x)\xc2\x85" "a", 7));
    assert_non_null(tri_regex_reads_apart("(?i-x:a)\xe2\x80\x8e" "b", 12));   /* LRM */
    assert_non_null(tri_regex_reads_apart("(?x)a\xe2\x80\xa9", 8));       /* PS */
    assert_null(tri_regex_reads_apart("\xc2\x85" "a", 3));               /* no x */
    assert_null(tri_regex_reads_apart("(?x)a b", 7));                 /* ASCII space */
    assert_null(tri_regex_reads_apart("(?x)\xe2\x80\x8d", 7));         /* ZWJ: no */
    assert_non_null(tri_regex_reads_apart("\\p{Han}+", 8));          /* a script */
    assert_non_null(tri_regex_reads_apart("[\\P{^Latin}x]", 13));
    assert_null(tri_regex_reads_apart("\\p{Lu}\\pL\\P{N}", 14));   /* categories */
    assert_null(tri_regex_reads_apart("\\\\p{Han}", 9));            /* \\ then p */
    assert_int_equal(triage_compiler_create(&c), TRIAGE_OK);
    assert_int_equal(triage_compiler_add_string(c, "x.yaml", yaml, sizeof yaml - 1),
                     TRIAGE_OK);
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_OK);
    assert_int_equal(triage_compiler_warnings(c), 1);
    assert_non_null(strstr(triage_compiler_last_diag(c)->message, "extended mode"));
    triage_compiler_destroy(c);
    assert_int_equal(triage_ruleset_get_info(rs, &info), TRIAGE_OK);
    assert_true(info.slow_patterns >= 1);
    assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
    assert_int_equal(triage_classify(rs, s, "I want a refund", 15, &r), TRIAGE_OK);
    assert_true(fired(r, "x.nel"));
    triage_scratch_destroy(s);
    triage_ruleset_destroy(rs);

    /* PCRE2's \p{Han} takes 。 (script extensions), Vectorscan's not. */
    rs = NULL;
    s = NULL;
    assert_int_equal(triage_compiler_create(&c), TRIAGE_OK);
    assert_int_equal(triage_compiler_add_string(c, "h.yaml", han, sizeof han - 1),
                     TRIAGE_OK);
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_OK);
    assert_non_null(strstr(triage_compiler_last_diag(c)->message, "script extensions"));
    triage_compiler_destroy(c);
    assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
    assert_int_equal(triage_classify(rs, s, "a。b", strlen("a。b"), &r), TRIAGE_OK);
    assert_true(fired(r, "x.han"));
    triage_scratch_destroy(s);
    triage_ruleset_destroy(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regexes_read_apart_run_in_pcre2),
        cmocka_unit_test(test_widens_bounded_repeats),
        cmocka_unit_test(test_keeps_what_is_not_a_range),
        cmocka_unit_test(test_property_classes_are_any_character),
        cmocka_unit_test(test_drops_word_boundaries_outside_classes),
        cmocka_unit_test(test_word_classes_become_any_character),
        cmocka_unit_test(test_classes_and_quotes_are_opaque),
        cmocka_unit_test(test_drops_lookarounds),
        cmocka_unit_test(test_keeps_edge_lookarounds_as_text),
        cmocka_unit_test(test_drops_match_start_reset),
        cmocka_unit_test(test_reads_what_keeps_a_regex_whole_as_tokens),
        cmocka_unit_test(test_unsafe_forms_are_kept_whole),
        cmocka_unit_test(test_writes_restrictions_plainly),
        cmocka_unit_test(test_caps_large_lower_bounds),
        cmocka_unit_test(test_relaxed_form_never_loses_a_match),
        cmocka_unit_test(test_finds_a_leading_lookbehind),
        cmocka_unit_test(test_split_lookbehind_finds_what_the_whole_regex_finds),
        cmocka_unit_test(test_reach_is_the_widest_prefilter_match),
        cmocka_unit_test(test_library_reports_matches_past_a_vector),
        cmocka_unit_test(test_nominations_bound_the_search),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
