/* test_regex_relax.c - the Vectorscan prefilter form of a regex: what it
 * rewrites, what it leaves alone, and that it never loses a match. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include "test_util.h"
#include "internal.h"

static void expect_relax(const char *re, const char *want)
{
    char *got = tri_regex_relax(re, strlen(re));

    assert_non_null(got);
    assert_string_equal(got, want);
    tri_free(got);
}

static void test_widens_bounded_repeats(void **state)
{
    (void)state;
    expect_relax("吃了[^。!?]{0,30}片", "吃了[^。!?]{0,}片");
    expect_relax("\\p{Han}{1,4}药", "\\p{Han}{1,}药");
    expect_relax("a{2,3}?b", "a{2,}?b");
    expect_relax("(ab){1,12}", "(ab){1,}");
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
    expect_relax("[\\w-]{2}", "[\\w-]{2}");          /* in a class it stays */
    expect_relax("\\\\w", "\\\\w");                /* an escaped backslash, then w */
}

static void test_classes_and_quotes_are_opaque(void **state)
{
    (void)state;
    expect_relax("[]{1,2}]{1,3}", "[]{1,2}]{1,}");
    expect_relax("[^]{1,2}]{1,3}", "[^]{1,2}]{1,}");
    expect_relax("[[:digit:]{]{2,4}", "[[:digit:]{]{2,}");
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

static void test_unsafe_forms_are_kept_whole(void **state)
{
    (void)state;
    expect_relax("x(?=a){2}b{1,2}", "x(?=a){2}b{1,2}");  /* the {2} would move to x */
    expect_relax("(a)(?=b{1,2})\\1", "(a)(?=b{1,2})\\1"); /* numbered groups */
    expect_relax("(?(?=a)ab{1,2}|c)", "(?(?=a)ab{1,2}|c)"); /* a conditional */
    expect_relax("a(?=b{1,2}", "a(?=b{1,2}");            /* unbalanced */
    expect_relax("a{1,3}+a", "a{1,3}+a");
    expect_relax("(?>a{1,3})a", "(?>a{1,3})a");
    expect_relax("(?ix) a{1,3} # {2,4}", "(?ix) a{1,3} # {2,4}");
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_widens_bounded_repeats),
        cmocka_unit_test(test_keeps_what_is_not_a_range),
        cmocka_unit_test(test_drops_word_boundaries_outside_classes),
        cmocka_unit_test(test_word_classes_become_any_character),
        cmocka_unit_test(test_classes_and_quotes_are_opaque),
        cmocka_unit_test(test_drops_lookarounds),
        cmocka_unit_test(test_keeps_edge_lookarounds_as_text),
        cmocka_unit_test(test_drops_match_start_reset),
        cmocka_unit_test(test_unsafe_forms_are_kept_whole),
        cmocka_unit_test(test_relaxed_form_never_loses_a_match),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
