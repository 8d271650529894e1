/* test_api.c - misuse of every public function: NULL handles and
 * out-params give TRIAGE_EINVAL (destroy: a no-op), out-params are cleared,
 * accessors of a NULL result are safe; strerror and version. */
#include "test_util.h"

#define DATA "tests/data/"

struct fx {
    triage_ruleset *rs;
    triage_scratch *s;
    const triage_result *r;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);

    if (f == NULL || (f->rs = compile_rules_file(DATA "classify.yaml")) == NULL ||
        triage_scratch_create(f->rs, &f->s) != TRIAGE_OK ||
        triage_classify(f->rs, f->s, "我过敏了", 12, &f->r) != TRIAGE_OK)
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

static void test_api_strerror_has_a_distinct_message_per_status(void **state)
{
    const char *msg[15];
    int i, j;

    (void)state;
    for (i = 0; i <= 14; i++) {
        msg[i] = triage_strerror((triage_status)i);
        assert_non_null(msg[i]);
        assert_true(strlen(msg[i]) > 3);
        for (j = 0; j < i; j++)
            if (strcmp(msg[i], msg[j]) == 0)
                fail_msg("statuses %d and %d share the message '%s'", j, i, msg[i]);
    }
    /* Values nobody defined yet still get text, never NULL. */
    assert_non_null(triage_strerror((triage_status)15));
    assert_non_null(triage_strerror((triage_status)-1));
    assert_non_null(triage_strerror((triage_status)1000));
    /* The damaged-table statuses say what to do. */
    assert_non_null(strstr(triage_strerror(TRIAGE_EVERSION), "recompile"));
    assert_non_null(strstr(triage_strerror(TRIAGE_ECORRUPT), "recompile"));
    assert_non_null(strstr(triage_strerror(TRIAGE_EPLATFORM), "recompile"));
    /* The enum is append-only: values are part of the ABI. */
    assert_int_equal(TRIAGE_OK, 0);
    assert_int_equal(TRIAGE_ENOMEM, 1);
    assert_int_equal(TRIAGE_EINVAL, 2);
    assert_int_equal(TRIAGE_ECORRUPT, 8);
    assert_int_equal(TRIAGE_EMISMATCH, 13);
    assert_int_equal(TRIAGE_ENOTFOUND, 14);
}

static void test_api_version_matches_header(void **state)
{
    char want[32];

    (void)state;
    assert_non_null(triage_version());
    assert_string_equal(triage_version(), TRIAGE_VERSION_STRING);
    snprintf(want, sizeof want, "%d.%d.%d", TRIAGE_VERSION_MAJOR,
             TRIAGE_VERSION_MINOR, TRIAGE_VERSION_PATCH);
    assert_string_equal(triage_version(), want);
}

static void test_api_destroy_functions_accept_null(void **state)
{
    (void)state;
    triage_compiler_destroy(NULL);
    triage_ruleset_destroy(NULL);
    triage_scratch_destroy(NULL);
    triage_compiler_set_diag(NULL, NULL, NULL);
    triage_scratch_set_trace(NULL, 1);
}

static void never_called(const triage_diag *d, void *user)
{
    (void)d;
    (void)user;
    fail_msg("diag callback called");
}

static void test_api_compiler_refuses_null_arguments(void **state)
{
    triage_compiler *c = NULL;
    triage_ruleset *rs = (triage_ruleset *)&rs;

    (void)state;
    assert_int_equal(triage_compiler_create(NULL), TRIAGE_EINVAL);
    assert_int_equal(triage_compiler_create(&c), TRIAGE_OK);
    triage_compiler_set_diag(c, never_called, NULL);
    assert_int_equal(triage_compiler_add_string(NULL, "x", "a: b", 4), TRIAGE_EINVAL);
    assert_int_equal(triage_compiler_add_string(c, "x", NULL, 4), TRIAGE_EINVAL);
    assert_int_equal(triage_compiler_add_path(NULL, DATA "minimal.yaml"), TRIAGE_EINVAL);
    assert_int_equal(triage_compiler_add_path(c, NULL), TRIAGE_EINVAL);
    assert_int_equal(triage_compiler_finish(NULL, &rs), TRIAGE_EINVAL);
    assert_int_equal(triage_compiler_finish(c, NULL), TRIAGE_EINVAL);
    /* Misuse is not a rule error: nothing was reported or counted. */
    assert_int_equal(triage_compiler_errors(c), 0);
    assert_null(triage_compiler_last_diag(c));
    assert_int_equal(triage_compiler_errors(NULL), 0);
    assert_int_equal(triage_compiler_warnings(NULL), 0);
    assert_null(triage_compiler_last_diag(NULL));
    /* The compiler is still usable. */
    triage_compiler_set_diag(c, NULL, NULL);
    assert_int_equal(triage_compiler_add_path(c, DATA "minimal.yaml"), TRIAGE_OK);
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_OK);
    assert_non_null(rs);
    triage_ruleset_destroy(rs);
    triage_compiler_destroy(c);
}

static void test_api_compiler_names_unnamed_strings(void **state)
{
    static const char yaml[] = "rules:\n  - id: a\n    weight: x\n";
    triage_compiler *c = NULL;
    triage_ruleset *rs = NULL;
    const triage_diag *d;

    (void)state;
    assert_int_equal(triage_compiler_create(&c), TRIAGE_OK);
    assert_int_equal(triage_compiler_add_string(c, NULL, yaml, strlen(yaml)), TRIAGE_OK);
    assert_int_not_equal(triage_compiler_finish(c, &rs), TRIAGE_OK);
    d = triage_compiler_last_diag(c);
    assert_non_null(d);
    assert_string_equal(d->file, "<string>");
    triage_compiler_destroy(c);
    /* An empty string with a NULL pointer is an empty file, not misuse. */
    assert_int_equal(triage_compiler_create(&c), TRIAGE_OK);
    assert_int_equal(triage_compiler_add_string(c, "e.yaml", NULL, 0), TRIAGE_ERULE_SCHEMA);
    triage_compiler_destroy(c);
}

static void test_api_ruleset_functions_refuse_null_arguments(void **state)
{
    struct fx *f = *state;
    triage_ruleset *rs = (triage_ruleset *)&rs;
    triage_ruleset_info info;
    triage_rule_info ri;
    unsigned idx = 77;

    assert_int_equal(triage_ruleset_save(NULL, "/tmp/x.tdb"), TRIAGE_EINVAL);
    assert_int_equal(triage_ruleset_save(f->rs, NULL), TRIAGE_EINVAL);
    assert_int_equal(triage_ruleset_load(NULL, &rs), TRIAGE_EINVAL);
    assert_int_equal(triage_ruleset_load("/tmp/x.tdb", NULL), TRIAGE_EINVAL);
    assert_int_equal(triage_ruleset_load_mem(NULL, 10, &rs), TRIAGE_EINVAL);
    assert_int_equal(triage_ruleset_load_mem("abc", 3, NULL), TRIAGE_EINVAL);
    rs = (triage_ruleset *)&rs;
    assert_int_equal(triage_ruleset_load_mem(NULL, 0, &rs), TRIAGE_ECORRUPT);
    assert_null(rs);
    assert_int_equal(triage_ruleset_get_info(NULL, &info), TRIAGE_EINVAL);
    assert_int_equal(triage_ruleset_get_info(f->rs, NULL), TRIAGE_EINVAL);
    assert_int_equal(triage_vocab_count(NULL, TRIAGE_AXIS_TYPE), 0);
    assert_int_equal(triage_vocab_count(f->rs, (triage_axis)TRIAGE_AXIS_COUNT), 0);
    assert_int_equal(triage_vocab_count(f->rs, (triage_axis)-1), 0);
    assert_null(triage_vocab_name(NULL, TRIAGE_AXIS_TYPE, 0));
    assert_null(triage_vocab_name(f->rs, (triage_axis)TRIAGE_AXIS_COUNT, 0));
    assert_null(triage_vocab_name(f->rs, TRIAGE_AXIS_TYPE, 6));
    assert_string_equal(triage_vocab_name(f->rs, TRIAGE_AXIS_TYPE, 5), "other");
    assert_int_equal(triage_rule_count(NULL), 0);
    assert_int_equal(triage_rule_get(NULL, 0, &ri), TRIAGE_EINVAL);
    assert_int_equal(triage_rule_get(f->rs, 0, NULL), TRIAGE_EINVAL);
    assert_int_equal(triage_rule_get(f->rs, triage_rule_count(f->rs), &ri), TRIAGE_EINVAL);
    assert_int_equal(triage_rule_find(NULL, "adr.allergy", &idx), TRIAGE_EINVAL);
    assert_int_equal(triage_rule_find(f->rs, NULL, &idx), TRIAGE_EINVAL);
    assert_int_equal(triage_rule_find(f->rs, "adr.allergy", NULL), TRIAGE_EINVAL);
    assert_int_equal(triage_rule_find(f->rs, "no.such.rule", &idx), TRIAGE_ENOTFOUND);
    assert_int_equal(triage_rule_find(f->rs, "adr.allergy", &idx), TRIAGE_OK);
    assert_int_equal(idx, 0);
}

static void test_api_classify_refuses_null_arguments(void **state)
{
    struct fx *f = *state;
    triage_scratch *s = (triage_scratch *)&s;
    const triage_result *r = (const triage_result *)&r;

    assert_int_equal(triage_scratch_create(NULL, &s), TRIAGE_EINVAL);
    assert_int_equal(triage_scratch_create(f->rs, NULL), TRIAGE_EINVAL);
    assert_int_equal(triage_classify(NULL, f->s, "x", 1, &r), TRIAGE_EINVAL);
    assert_null(r);   /* cleared even on misuse */
    r = (const triage_result *)&r;
    assert_int_equal(triage_classify(f->rs, NULL, "x", 1, &r), TRIAGE_EINVAL);
    assert_null(r);
    assert_int_equal(triage_classify(f->rs, f->s, NULL, 1, &r), TRIAGE_EINVAL);
    assert_int_equal(triage_classify(f->rs, f->s, "x", 1, NULL), TRIAGE_EINVAL);
    /* Misuse does not leave the scratch busy. */
    assert_int_equal(triage_classify(f->rs, f->s, "我过敏了", 12, &f->r), TRIAGE_OK);
    assert_string_equal(triage_result_type(f->r), "adverse_reaction");
}

static void test_api_result_accessors_accept_null(void **state)
{
    triage_hit h;
    triage_trace_step st;
    const char *js = "unchanged";
    size_t len = 5;

    (void)state;
    assert_null(triage_result_type(NULL));
    assert_float_equal(triage_result_confidence(NULL), 0.0, 0);
    assert_null(triage_result_nature(NULL));
    assert_null(triage_result_severity(NULL));
    assert_null(triage_result_temperament(NULL));
    assert_null(triage_result_lang(NULL));
    assert_null(triage_result_level(NULL));
    assert_null(triage_result_team(NULL));
    assert_float_equal(triage_result_hours(NULL), 0.0, 0);
    assert_int_equal(triage_result_also_count(NULL), 0);
    assert_null(triage_result_also(NULL, 0));
    assert_float_equal(triage_result_type_score(NULL, 0), 0.0, 0);
    assert_int_equal(triage_result_flags(NULL), 0);
    /* Flag names: each bit its own, nothing past the last or for two bits. */
    assert_string_equal(triage_flag_name(TRIAGE_FLAG_INVALID_UTF8), "invalid_utf8");
    assert_string_equal(triage_flag_name(TRIAGE_FLAG_REGEX_LIMIT), "regex_limit");
    assert_null(triage_flag_name(TRIAGE_FLAG_REGEX_LIMIT << 1));
    assert_null(triage_flag_name(TRIAGE_FLAG_NO_MATCH | TRIAGE_FLAG_TRUNCATED));
    assert_null(triage_flag_name(0));
    assert_int_equal(triage_result_fired_count(NULL), 0);
    assert_null(triage_result_fired(NULL, 0));
    assert_int_equal(triage_result_script_count(NULL), 0);
    assert_null(triage_result_script_id(NULL, 0));
    assert_null(triage_result_script_text(NULL, 0));
    assert_int_equal(triage_result_tag_count(NULL), 0);
    assert_null(triage_result_tag(NULL, 0));
    assert_int_equal(triage_result_hit_count(NULL), 0);
    assert_int_equal(triage_result_hit(NULL, 0, &h), TRIAGE_EINVAL);
    assert_int_equal(triage_result_json(NULL, NULL, &js, &len), TRIAGE_EINVAL);
    assert_int_equal(triage_trace_count(NULL), 0);
    assert_int_equal(triage_trace_get(NULL, 0, &st), TRIAGE_EINVAL);
}

static void test_api_result_accessors_refuse_bad_index(void **state)
{
    struct fx *f = *state;
    const triage_result *r = f->r;
    triage_hit h;
    triage_trace_step st;
    const char *js = NULL;
    unsigned n;

    n = triage_result_fired_count(r);
    assert_int_equal(n, 1);
    assert_null(triage_result_fired(r, n));
    assert_null(triage_result_fired(r, 1000000));
    assert_null(triage_result_also(r, triage_result_also_count(r)));
    assert_null(triage_result_tag(r, triage_result_tag_count(r)));
    assert_null(triage_result_script_id(r, triage_result_script_count(r)));
    n = triage_result_hit_count(r);
    assert_int_equal(triage_result_hit(r, n, &h), TRIAGE_EINVAL);
    assert_int_equal(triage_result_hit(r, 0, NULL), TRIAGE_EINVAL);
    assert_int_equal(triage_trace_get(r, 0, NULL), TRIAGE_EINVAL);
    assert_int_equal(triage_trace_get(r, 0, &st), TRIAGE_EINVAL);   /* no trace */
    assert_int_equal(triage_result_json(r, NULL, NULL, NULL), TRIAGE_EINVAL);
    /* The length out-param is optional. */
    assert_int_equal(triage_result_json(r, NULL, &js, NULL), TRIAGE_OK);
    assert_non_null(js);
    assert_true(js[0] == '{');
}

static void test_api_check_reply_refuses_null_arguments(void **state)
{
    struct fx *f = *state;
    const triage_reply_issue *is = NULL;
    unsigned n = 5;

    assert_int_equal(triage_check_reply(NULL, f->s, "x", 1, 0, &is, &n), TRIAGE_EINVAL);
    assert_int_equal(triage_check_reply(f->rs, NULL, "x", 1, 0, &is, &n), TRIAGE_EINVAL);
    assert_int_equal(triage_check_reply(f->rs, f->s, NULL, 1, 0, &is, &n), TRIAGE_EINVAL);
    assert_int_equal(triage_check_reply(f->rs, f->s, "x", 1, 0, NULL, &n), TRIAGE_EINVAL);
    assert_int_equal(triage_check_reply(f->rs, f->s, "x", 1, 0, &is, NULL), TRIAGE_EINVAL);
    /* An empty reply has nothing wrong with it. */
    assert_int_equal(triage_check_reply(f->rs, f->s, NULL, 0, 0, &is, &n), TRIAGE_OK);
    assert_int_equal(n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_strerror_has_a_distinct_message_per_status),
        cmocka_unit_test(test_api_version_matches_header),
        cmocka_unit_test(test_api_destroy_functions_accept_null),
        cmocka_unit_test(test_api_compiler_refuses_null_arguments),
        cmocka_unit_test(test_api_compiler_names_unnamed_strings),
        cmocka_unit_test(test_api_ruleset_functions_refuse_null_arguments),
        cmocka_unit_test(test_api_classify_refuses_null_arguments),
        cmocka_unit_test(test_api_result_accessors_accept_null),
        cmocka_unit_test(test_api_result_accessors_refuse_bad_index),
        cmocka_unit_test(test_api_check_reply_refuses_null_arguments),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
