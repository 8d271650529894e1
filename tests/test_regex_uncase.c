/* test_regex_uncase.c - prefilters compiled without CASELESS: what is
 * rewritten, what keeps the flag, and that on folded text the library
 * reports the same ends either way. */
#include <stdlib.h>
#include "test_util.h"
#include "internal.h"
#include "normalize.h"

static void expect_uncase(const char *re, const char *want)
{
    int oom = 1;
    char *got = tri_regex_uncase(re, strlen(re), &oom);

    assert_int_equal(oom, 0);
    if (want == NULL) {
        if (got != NULL)
            fail_msg("'%s' should keep CASELESS, got '%s'", re, got);
        return;
    }
    if (got == NULL)
        fail_msg("'%s' should become '%s', kept CASELESS", re, want);
    assert_string_equal(got, want);
    tri_free(got);
}

static void test_writes_ascii_capitals_in_lowercase(void **state)
{
    (void)state;
    expect_uncase("Aspirin", "aspirin");
    expect_uncase("NO (?:Refund|REPLY)", "no (?:refund|reply)");
    expect_uncase("\\QAB.\\E+C", "\\Qab.\\E+c");
    expect_uncase("吃了[^。!?]{0,}片", "吃了[^。!?]{0,}片");
    expect_uncase("\\D\\S\\WX\\A\\d{2,}\\z", "\\D\\S\\Wx\\A\\d{2,}\\z");
    expect_uncase("\\.\\-\\。x", "\\.\\-\\。x");
    expect_uncase("(?=A)(?!B)(?<=C)(?<!D)(?>E)(?|F)", "(?=a)(?!b)(?<=c)(?<!d)(?>e)(?|f)");
    /* Options that keep matching caseless and the pattern read as it is. */
    expect_uncase("(?s)\\A(?m:X$)", "(?s)\\A(?m:x$)");
    expect_uncase("(?i)A(?-sm)B(?U:C)", "(?i)a(?-sm)b(?U:c)");
}

/* A range of capitals gains its lowercase: [A-Z] and caseless [A-Z]
 * match the same folded text, and so do negated classes. */
static void test_classes_gain_lowercase_ranges(void **state)
{
    (void)state;
    expect_uncase("[A-Z]", "[A-Za-z]");
    expect_uncase("[^A-F]x", "[^A-Fa-f]x");
    expect_uncase("[0-Z]", "[0-Za-z]");
    expect_uncase("[!-~]", "[!-~a-z]");
    expect_uncase("[a-z]", "[a-z]");
    expect_uncase("[Q]", "[q]");
    expect_uncase("[]A]", "[]a]");            /* a leading ']' is a member */
    expect_uncase("[^]A]", "[^]a]");
    expect_uncase("[\\dA-C\\-]", "[\\dA-Ca-c\\-]");
    expect_uncase("[%--]", "[%--]");          /* a range ending at '-' */
    expect_uncase("[a-z-0]", "[a-z-0]");      /* '-' after a range is a member */
    expect_uncase("[一-龥]+", "[一-龥]+");
    expect_uncase("[X-]", "[x-]");
}

static void test_keeps_caseless_where_unsure(void **state)
{
    static const char *const keep[] = {
        "\\x41", "\\x{41}", "\\101", "\\p{Lu}", "\\PL", "\\N{U+41}", "\\cA",
        "[[:upper:]]", "[\\x41-Z]", "[a-\\d]", "[\\QA\\E]",
        "(?x)a", "(?xx)a", "(?i-x:a)", "(?<n>a)", "(?P<n>a)", "(?#x)a", "(*UTF)a",
        "(?", "(?s", "(?)a", "(?-i)[^A-Z]", "(?s-mi:[^A-Z])", "(?^:[^A-Z])",
        "(a)\\1", "(?<n>a)\\k<n>", "\\g1",
        "s\\bs", "a\\B",                    /* the library reads a boundary apart */
        "ς", "Σ", "É", "\xc2\xb5",           /* cased letters outside ASCII */
        "[α-ω]", "[À-ÿ]", "[ -\xe2\x84\xaa]",   /* ranges holding one */
        "a\\", "[a", "\xff", "a\\\xc3\x89",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof keep / sizeof *keep; i++)
        expect_uncase(keep[i], NULL);
}

/* A NUL byte would cut the C string Vectorscan compiles short. */
static void test_keeps_caseless_for_a_nul_byte(void **state)
{
    int oom = 1;

    (void)state;
    assert_null(tri_regex_uncase("a\0b", 3, &oom));
    assert_int_equal(oom, 0);
    assert_null(tri_regex_uncase("[a\0]", 4, &oom));
    assert_null(tri_regex_uncase("[\0-a]", 5, &oom));
}

/* The flags the runtime compiles a prefilter with. */
static void test_prefilters_drop_caseless_when_they_can(void **state)
{
    static const struct { const char *re; int caseless; } cases[] = {
        { "REFUND {1,3}NOW", 0 },      /* relaxed, then lowercased */
        { "退款[^。]{0,8}没", 0 },
        { "\\x{41}pp", 1 },
        { "(?s)\\A([^A-Z]{6,}\\z)", 0 },   /* kept as written: options */
        { "(?x)A B", 0 },              /* extended mode undone first */
        { "(?ix)A B", 1 },             /* kept as written: x not alone */
        { "x(?=a){2}s\\bs", 1 },          /* kept as written, with a boundary */
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        unsigned flags = 0;
        char *e = tri_prefilter_expr(cases[i].re, strlen(cases[i].re), &flags, NULL);

        assert_non_null(e);
        assert_int_equal(!!(flags & HS_FLAG_CASELESS), cases[i].caseless);
        assert_int_equal(flags | HS_FLAG_CASELESS, TRI_HS_REGEX_FLAGS);
        tri_free(e);
    }
}

static int on_end(unsigned id, unsigned long long from, unsigned long long to,
                  unsigned flags, void *ctx)
{
    unsigned long long *ends = ctx;

    (void)id;
    (void)from;
    (void)flags;
    if (to < 64)
        *ends |= 1ull << to;
    return 0;
}

/* Every end the library reports, as bits, for text t. */
static unsigned long long ends_of(const char *re, unsigned flags, const char *t, size_t n)
{
    hs_database_t *db = NULL;
    hs_compile_error_t *err = NULL;
    hs_scratch_t *sc = NULL;
    unsigned long long ends = 0;

    assert_int_equal(hs_compile(re, flags, HS_MODE_BLOCK, NULL, &db, &err), HS_SUCCESS);
    assert_int_equal(hs_alloc_scratch(db, &sc), HS_SUCCESS);
    assert_int_equal(hs_scan(db, t, (unsigned)n, 0, sc, on_end, &ends), HS_SUCCESS);
    hs_free_scratch(sc);
    hs_free_database(db);
    return ends;
}

/* On folded text the lowercased form without CASELESS reports exactly the
 * ends the form reports with it: the texts hold capitals, the Kelvin sign
 * (folds to k), the long s (to s) and final sigma (to sigma). */
static void test_same_ends_on_folded_text(void **state)
{
    static const char *const regexes[] = {
        "Aspirin", "[A-Z]{2,}", "[^A-Z]+S", "K[a-z]", "\\d+ ?KG", "[^a-k]x",
        "\\QMG\\E", "[!-~]s", "。?[0-9A-F]", "(?:ss|S)T",
    };
    static const char *const texts[] = {
        "ASPIRIN aspirin", "5 \xe2\x84\xaaG left", "kelvin \xe2\x84\xaa" "a",
        "\xc5\xbft and ST", "ΣΑΣ 0f", "MG mg Mg", "xX 12 KG", "a-B_c~S",
        "Straße STRASSE", "ﬅ ﬆ", "ǅx ǈx", "Ｋｇ 9ＫＧ",
    };
    size_t i, j;

    (void)state;
    for (i = 0; i < sizeof regexes / sizeof *regexes; i++) {
        int oom;
        char *form = tri_regex_uncase(regexes[i], strlen(regexes[i]), &oom);

        assert_non_null(form);
        for (j = 0; j < sizeof texts / sizeof *texts; j++) {
            struct tri_norm norm;
            unsigned long long with, without;

            tri_norm_init(&norm);
            assert_int_equal(tri_normalize(&norm, texts[j], strlen(texts[j])), TRIAGE_OK);
            with = ends_of(regexes[i], TRI_HS_REGEX_FLAGS, norm.text, norm.len);
            without = ends_of(form, TRI_HS_REGEX_FLAGS & ~(unsigned)HS_FLAG_CASELESS,
                              norm.text, norm.len);
            if (with != without)
                fail_msg("'%s' as '%s' on '%s' (folded '%.*s'): ends %#llx with "
                         "CASELESS, %#llx without", regexes[i], form, texts[j],
                         (int)norm.len, norm.text, with, without);
            tri_norm_free(&norm);
        }
        tri_free(form);
    }
}

/* Rules written with capitals still fire on text in any case. */
static void test_rules_with_capitals_fire(void **state)
{
    static const char yaml[] =
        "rules:\n"
        "  - id: x.dose\n"
        "    type: t\n"
        "    match: { regex: '\\d+ ?KG|OVERDOSE [A-C]\\d' }\n";
    static const char *const texts[] = { "took 5\xe2\x84\xaaG", "overdose b2", "OverDose C7" };
    triage_ruleset *rs = compile_rules_string(yaml);
    triage_scratch *s = NULL;
    const triage_result *r;
    size_t i;

    (void)state;
    assert_non_null(rs);
    assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
    for (i = 0; i < sizeof texts / sizeof *texts; i++) {
        assert_int_equal(triage_classify(rs, s, texts[i], strlen(texts[i]), &r), TRIAGE_OK);
        if (!fired(r, "x.dose"))
            fail_msg("x.dose did not fire on '%s'", texts[i]);
    }
    assert_int_equal(triage_classify(rs, s, "overdose d2", 11, &r), TRIAGE_OK);
    assert_false(fired(r, "x.dose"));
    triage_scratch_destroy(s);
    triage_ruleset_destroy(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_writes_ascii_capitals_in_lowercase),
        cmocka_unit_test(test_classes_gain_lowercase_ranges),
        cmocka_unit_test(test_keeps_caseless_where_unsure),
        cmocka_unit_test(test_keeps_caseless_for_a_nul_byte),
        cmocka_unit_test(test_prefilters_drop_caseless_when_they_can),
        cmocka_unit_test(test_same_ends_on_folded_text),
        cmocka_unit_test(test_rules_with_capitals_fire),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
