/* test_profile.c - per-stage and per-rule profiling: off by default,
 * counters add up over calls and match what fired, reset and off work. */
#include "test_util.h"

#define DATA "tests/data/"

struct fx {
    triage_ruleset *rs;
    triage_scratch *s;
    unsigned allergy, mold;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);

    if (f == NULL || (f->rs = compile_rules_file(DATA "minimal.yaml")) == NULL ||
        triage_scratch_create(f->rs, &f->s) != TRIAGE_OK ||
        triage_rule_find(f->rs, "t.allergy", &f->allergy) != TRIAGE_OK ||
        triage_rule_find(f->rs, "t.mold", &f->mold) != TRIAGE_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    triage_scratch_destroy(f->s);
    triage_ruleset_destroy(f->rs);
    free(f);
    return 0;
}

static void classify(struct fx *f, const char *text)
{
    const triage_result *r;

    assert_int_equal(triage_classify(f->rs, f->s, text, strlen(text), &r), TRIAGE_OK);
}

static void test_profile_is_off_by_default(void **state)
{
    struct fx *f = *state;
    triage_stage_profile sp;
    triage_rule_profile rp;

    classify(f, "我过敏了");
    assert_int_equal(triage_profile_stages(f->s, &sp), TRIAGE_EINVAL);
    assert_int_equal(triage_profile_rule(f->s, f->allergy, &rp), TRIAGE_EINVAL);
    triage_profile_reset(f->s);   /* a no-op, not a crash */
    assert_int_equal(triage_scratch_set_profile(NULL, 1), TRIAGE_EINVAL);
}

static void test_profile_counts_stages_and_rules(void **state)
{
    struct fx *f = *state;
    triage_stage_profile sp;
    triage_rule_profile a, m;
    double sum = 0;
    int k;

    assert_int_equal(triage_scratch_set_profile(f->s, 1), TRIAGE_OK);
    classify(f, "我过敏了，起了皮疹");
    classify(f, "药品里面发霉了");
    classify(f, "谢谢");
    assert_int_equal(triage_profile_stages(f->s, &sp), TRIAGE_OK);
    assert_int_equal(sp.texts, 3);
    for (k = 0; k < TRIAGE_STAGE_COUNT; k++) {
        assert_true(sp.seconds[k] >= 0);
        sum += sp.seconds[k];
    }
    assert_true(sum > 0);
    assert_int_equal(triage_profile_rule(f->s, f->allergy, &a), TRIAGE_OK);
    assert_int_equal(triage_profile_rule(f->s, f->mold, &m), TRIAGE_OK);
    /* A rule is evaluated only on texts with a hit on its patterns. */
    assert_int_equal(a.evaluations, 1);
    assert_int_equal(a.fired, 1);
    assert_int_equal(a.regex_runs, 0);
    assert_int_equal(m.evaluations, 1);
    assert_int_equal(m.fired, 1);
    assert_int_equal(m.regex_runs, 1);    /* the PCRE2 confirmation */
    assert_true(m.seconds >= m.regex_seconds && m.regex_seconds >= 0);
    assert_true(a.seconds == a.eval_seconds + a.regex_seconds);
    assert_int_equal(triage_profile_rule(f->s, triage_rule_count(f->rs), &a),
                     TRIAGE_EINVAL);
}

static void test_profile_resets_and_turns_off(void **state)
{
    struct fx *f = *state;
    triage_stage_profile sp;
    triage_rule_profile a;

    assert_int_equal(triage_scratch_set_profile(f->s, 1), TRIAGE_OK);
    classify(f, "我过敏了");
    triage_profile_reset(f->s);
    assert_int_equal(triage_profile_stages(f->s, &sp), TRIAGE_OK);
    assert_int_equal(sp.texts, 0);
    assert_int_equal(triage_profile_rule(f->s, f->allergy, &a), TRIAGE_OK);
    assert_int_equal(a.evaluations, 0);
    classify(f, "我过敏了");
    assert_int_equal(triage_scratch_set_profile(f->s, 1), TRIAGE_OK); /* again: zeroed */
    assert_int_equal(triage_profile_stages(f->s, &sp), TRIAGE_OK);
    assert_int_equal(sp.texts, 0);
    assert_int_equal(triage_scratch_set_profile(f->s, 0), TRIAGE_OK);
    assert_int_equal(triage_profile_stages(f->s, &sp), TRIAGE_EINVAL);
    classify(f, "我过敏了");   /* the fast path again */
}

/* The profile of regex 'src' in s (it must be there). */
static triage_regex_profile regex_profile(const triage_scratch *s, const char *src)
{
    triage_regex_profile p;
    unsigned i, n = triage_profile_regex_count(s);

    for (i = 0; i < n; i++) {
        assert_int_equal(triage_profile_regex(s, i, &p), TRIAGE_OK);
        if (strcmp(p.source, src) == 0)
            return p;
    }
    fail_msg("no regex '%s' among %u", src, n);
    return p;
}

/* Per regex, whichever rules share it: runs where Vectorscan nominated
 * it, every text for a PCRE2-only one, the first rule that uses it. */
static void test_profile_counts_each_regex(void **state)
{
    triage_ruleset *rs = compile_rules_file(DATA "profile_regex.yaml");
    triage_scratch *s = NULL;
    triage_regex_profile lot, mold, every;
    const triage_result *r;
    unsigned n;

    (void)state;
    assert_non_null(rs);
    assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
    assert_int_equal(triage_profile_regex_count(s), 0);   /* off */
    assert_int_equal(triage_profile_regex(s, 0, &lot), TRIAGE_EINVAL);
    assert_int_equal(triage_scratch_set_profile(s, 1), TRIAGE_OK);
    n = triage_profile_regex_count(s);
    assert_true(n >= 3);
    assert_int_equal(triage_profile_regex(s, n, &lot), TRIAGE_EINVAL);
    assert_int_equal(triage_profile_regex(s, 0, NULL), TRIAGE_EINVAL);
    assert_int_equal(triage_classify(rs, s, "批号1234没发霉", strlen("批号1234没发霉"), &r),
                     TRIAGE_OK);
    assert_int_equal(triage_classify(rs, s, "谢谢", strlen("谢谢"), &r), TRIAGE_OK);
    lot = regex_profile(s, "批号[0-9]{4}");
    mold = regex_profile(s, "(?<=没|不)发霉");
    every = regex_profile(s, "(?-i)药品变色");
    assert_int_equal(lot.runs, 1);      /* one regex, shared by two rules */
    assert_string_equal(lot.rule_id, "p.lot");
    assert_int_equal(mold.runs, 1);
    assert_int_equal(every.runs, 2);    /* cased: PCRE2 alone, every text */
    assert_string_equal(every.rule_id, "p.every_text");
    assert_true(lot.seconds >= 0 && mold.seconds >= 0 && every.seconds >= 0);
    triage_profile_reset(s);
    assert_int_equal(regex_profile(s, "(?-i)药品变色").runs, 0);
    triage_scratch_destroy(s);
    triage_ruleset_destroy(rs);
}

/* The regex prefilters' part of the scan: some of it, within the stage,
 * zeroed by reset. */
static void test_profile_splits_the_scan(void **state)
{
    struct fx *f = *state;
    triage_stage_profile sp;
    char text[40 * 40 + 1] = "";
    double rx = -1;
    int k;

    assert_int_equal(triage_profile_scan_regexes(f->s, &rx), TRIAGE_EINVAL);  /* off */
    assert_int_equal(triage_scratch_set_profile(f->s, 1), TRIAGE_OK);
    assert_int_equal(triage_profile_scan_regexes(f->s, NULL), TRIAGE_EINVAL);
    for (k = 0; k < 40; k++)   /* long enough to outweigh a clock read */
        strcat(text, "药品里面发霉了，我过敏了。");
    classify(f, text);
    classify(f, "谢谢");
    assert_int_equal(triage_profile_stages(f->s, &sp), TRIAGE_OK);
    assert_int_equal(triage_profile_scan_regexes(f->s, &rx), TRIAGE_OK);
    assert_true(rx > 0);
    assert_true(rx <= sp.seconds[TRIAGE_STAGE_SCAN]);
    triage_profile_reset(f->s);
    assert_int_equal(triage_profile_scan_regexes(f->s, &rx), TRIAGE_OK);
    assert_true(rx == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        cmocka_unit_test(test_profile_counts_each_regex),
        T(test_profile_is_off_by_default),
        T(test_profile_splits_the_scan),
        T(test_profile_counts_stages_and_rules),
        T(test_profile_resets_and_turns_off),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
