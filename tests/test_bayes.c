/* test_bayes.c - Bayes models: the tokens, the learner's file, the
 * compiler's checks, how a posterior joins the rules' votes, and a saved
 * table that keeps its models. */
#include <unistd.h>
#include "test_util.h"
#include "internal.h"

/* Rules that vote only on 多收 (price_refund) and 迟迟 (logistics). */
static const char rules_yaml[] =
    "vocabulary:\n"
    "  types: [logistics, price_refund, other]\n"
    "rules:\n"
    "  - id: t.overcharge\n"
    "    type: price_refund\n"
    "    severity: high\n"
    "    weight: 6\n"
    "    match: { any: [多收] }\n"
    "  - id: t.late\n"
    "    type: logistics\n"
    "    weight: 3\n"
    "    match: { any: [迟迟] }\n";

/* ---- tokens ---------------------------------------------------------- */

struct toks {
    char all[512];
};

static void collect(void *ctx, const char *tok, size_t n)
{
    struct toks *t = ctx;
    size_t used = strlen(t->all);

    snprintf(t->all + used, sizeof t->all - used, "%s%.*s", used ? "|" : "", (int)n, tok);
}

static void test_bayes_tokens_han_pairs_and_words(void **state)
{
    struct toks t = { "" };
    const char *text = "退款ab 3 x9 no!不行";

    (void)state;
    tri_bayes_tokens(text, strlen(text), collect, &t);
    /* 3 is a lone digit, x9 has a letter, pairs never cross a non-Han */
    assert_string_equal(t.all, "退|款|退款|ab|x9|no|不|行|不行");
}

/* ---- learning -------------------------------------------------------- */

static triage_learner *learner_with(const char *const *texts, const char *const *labels,
                                    size_t n)
{
    triage_learner *l = NULL;
    size_t i;

    assert_int_equal(triage_learner_create(&l), TRIAGE_OK);
    for (i = 0; i < n; i++)
        assert_int_equal(triage_learner_add(l, "type", labels[i], texts[i],
                                            strlen(texts[i])), TRIAGE_OK);
    return l;
}

static const char *const texts[] = {
    "快递三天没到", "包裹丢了快递不管", "快递员把包裹放门口",
    "结账多收了钱", "退款一直没到账", "价格标错了多收",
};
static const char *const labels[] = {
    "logistics", "logistics", "logistics",
    "price_refund", "price_refund", "price_refund",
};

static void test_bayes_learner_writes_sorted_counts(void **state)
{
    triage_learner *l = learner_with(texts, labels, 6), *r;
    const char *yaml, *again;
    size_t len, len2;
    const char *rev_t[6], *rev_l[6];
    char *first;
    int i;

    (void)state;
    assert_int_equal(triage_learner_yaml(l, 2, 0.75, &yaml, &len), TRIAGE_OK);
    assert_non_null(strstr(yaml, "    classes: [logistics, price_refund]\n"));
    assert_non_null(strstr(yaml, "    docs: [3, 3]\n"));
    /* 快递 is in three logistics complaints; 递 too; 多收 in two of the others */
    assert_non_null(strstr(yaml, "      - 快递 3 0\n"));
    assert_non_null(strstr(yaml, "      - 多收 0 2\n"));
    /* seen once: left out at min-count 2 */
    assert_null(strstr(yaml, "      - 丢了"));
    first = strndup(yaml, len);
    /* the same complaints in another order give the same file */
    for (i = 0; i < 6; i++) {
        rev_t[i] = texts[5 - i];
        rev_l[i] = labels[5 - i];
    }
    r = learner_with(rev_t, rev_l, 6);
    assert_int_equal(triage_learner_yaml(r, 2, 0.75, &again, &len2), TRIAGE_OK);
    assert_int_equal(len, len2);
    assert_memory_equal(first, again, len);
    free(first);
    triage_learner_destroy(r);
    triage_learner_destroy(l);
}

static void test_bayes_learner_refuses_bad_labels(void **state)
{
    triage_learner *l = NULL;
    const char *yaml;
    char name[16];
    int i;

    (void)state;
    assert_int_equal(triage_learner_create(&l), TRIAGE_OK);
    assert_int_equal(triage_learner_yaml(l, 1, 0.75, &yaml, NULL), TRIAGE_ENORULES);
    assert_int_equal(triage_learner_add(l, "escalation", "L1", "x", 1), TRIAGE_EINVAL);
    assert_int_equal(triage_learner_add(l, "type", "", "x", 1), TRIAGE_EINVAL);
    assert_int_equal(triage_learner_add(l, "type", "two words", "x", 1), TRIAGE_EINVAL);
    for (i = 0; i < 64; i++) {
        snprintf(name, sizeof name, "c%d", i);
        assert_int_equal(triage_learner_add(l, "nature", name, "x", 1), TRIAGE_OK);
    }
    assert_int_equal(triage_learner_add(l, "nature", "c64", "x", 1), TRIAGE_ELIMIT);
    assert_int_equal(triage_learner_yaml(l, 1, 101, &yaml, NULL), TRIAGE_EINVAL);
    triage_learner_destroy(l);
}

/* ---- compiling and classifying --------------------------------------- */

static triage_ruleset *compile_with(const char *bayes_yaml, struct triage_compiler **keep)
{
    triage_compiler *c = NULL;
    triage_ruleset *rs = NULL;

    assert_int_equal(triage_compiler_create(&c), TRIAGE_OK);
    triage_compiler_add_string(c, "rules.yaml", rules_yaml, strlen(rules_yaml));
    if (bayes_yaml != NULL)
        triage_compiler_add_string(c, "bayes.yaml", bayes_yaml, strlen(bayes_yaml));
    triage_compiler_finish(c, &rs);
    if (keep != NULL)
        *keep = c;
    else
        triage_compiler_destroy(c);
    return rs;
}

static triage_ruleset *learned_rules(void)
{
    triage_learner *l = learner_with(texts, labels, 6);
    const char *yaml;
    triage_ruleset *rs;

    assert_int_equal(triage_learner_yaml(l, 1, 0.75, &yaml, NULL), TRIAGE_OK);
    rs = compile_with(yaml, NULL);
    triage_learner_destroy(l);
    assert_non_null(rs);
    return rs;
}

static const triage_result *classify(triage_ruleset *rs, triage_scratch *s, const char *text)
{
    const triage_result *r = NULL;

    assert_int_equal(triage_classify(rs, s, text, strlen(text), &r), TRIAGE_OK);
    return r;
}

static void test_bayes_decides_when_no_rule_fires(void **state)
{
    triage_ruleset *rs = learned_rules(), *plain = compile_with(NULL, NULL);
    triage_scratch *s = NULL, *ps = NULL;
    const triage_result *r;
    const char *json;
    double p;

    (void)state;
    assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
    assert_int_equal(triage_scratch_create(plain, &ps), TRIAGE_OK);
    /* traditional text folds onto the simplified tokens it learned */
    r = classify(rs, s, "我的包裹呢？快遞到現在沒消息");
    assert_string_equal(triage_result_type(r), "logistics");
    assert_string_equal(triage_result_bayes(r, TRIAGE_AXIS_TYPE, &p), "logistics");
    assert_true(p > 0.5 && p <= 1);
    assert_null(triage_result_bayes(r, TRIAGE_AXIS_NATURE, &p));
    assert_true(p == 0);
    assert_int_equal(triage_result_json(r, NULL, &json, NULL), TRIAGE_OK);
    assert_non_null(strstr(json, "\"bayes\":{\"type\":{\"label\":\"logistics\",\"p\":"));
    /* without the model nothing fires: the default type */
    r = classify(plain, ps, "我的包裹呢？快遞到現在沒消息");
    assert_string_equal(triage_result_type(r), "other");
    assert_int_equal(triage_result_json(r, NULL, &json, NULL), TRIAGE_OK);
    assert_null(strstr(json, "\"bayes\""));
    triage_scratch_destroy(ps);
    triage_scratch_destroy(s);
    triage_ruleset_destroy(plain);
    triage_ruleset_destroy(rs);
}

static void test_bayes_cannot_outvote_agreeing_rules(void **state)
{
    triage_ruleset *rs = learned_rules();
    triage_scratch *s = NULL;
    const triage_result *r;
    double p;

    (void)state;
    assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
    /* every rule vote (6, above the base of 4) says price_refund; the text
     * reads as logistics to the model, which adds at most 0.75 x 6 */
    r = classify(rs, s, "快递包裹放门口，快递员多收");
    assert_string_equal(triage_result_bayes(r, TRIAGE_AXIS_TYPE, &p), "logistics");
    assert_string_equal(triage_result_type(r), "price_refund");
    /* the model alone never adds an 'also': no rule voted logistics */
    assert_int_equal(triage_result_also_count(r), 0);
    /* split votes, 6 against 3: the model's 0.75 x 9 tips the balance */
    r = classify(rs, s, "快递包裹迟迟不到，快递员放门口，还多收");
    assert_string_equal(triage_result_bayes(r, TRIAGE_AXIS_TYPE, &p), "logistics");
    assert_true(p > 0.45);
    assert_string_equal(triage_result_type(r), "logistics");
    assert_int_equal(triage_result_also_count(r), 1);
    assert_string_equal(triage_result_also(r, 0), "price_refund");
    triage_scratch_destroy(s);
    triage_ruleset_destroy(rs);
}

static void test_bayes_survives_save_and_load(void **state)
{
    triage_ruleset *rs = learned_rules(), *back = NULL;
    triage_scratch *s = NULL, *bs = NULL;
    char path[] = "/tmp/test_bayes_XXXXXX";
    const char *a, *b;
    int fd = mkstemp(path);

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(triage_ruleset_save(rs, path), TRIAGE_OK);
    assert_int_equal(triage_ruleset_load(path, &back), TRIAGE_OK);
    unlink(path);
    assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
    assert_int_equal(triage_scratch_create(back, &bs), TRIAGE_OK);
    assert_int_equal(triage_result_json(classify(rs, s, "包裹放门口了"), NULL, &a, NULL),
                     TRIAGE_OK);
    assert_int_equal(triage_result_json(classify(back, bs, "包裹放门口了"), NULL, &b, NULL),
                     TRIAGE_OK);
    assert_string_equal(a, b);
    assert_non_null(strstr(b, "\"bayes\""));
    triage_scratch_destroy(bs);
    triage_scratch_destroy(s);
    triage_ruleset_destroy(back);
    triage_ruleset_destroy(rs);
}

static void test_bayes_severity_model_only_raises(void **state)
{
    static const char *const sev_texts[] = {
        "孩子误吞药片送急诊抢救", "老人昏迷送医院抢救", "吃药后呼吸困难送急诊",
        "排队有点久", "包装有点旧", "店里有点吵",
    };
    static const char *const sev_labels[] = {
        "critical", "critical", "critical", "low", "low", "low",
    };
    triage_learner *l = NULL;
    triage_ruleset *rs;
    triage_scratch *s = NULL;
    const triage_result *r;
    const char *yaml;
    double p;
    size_t i;

    (void)state;
    assert_int_equal(triage_learner_create(&l), TRIAGE_OK);
    for (i = 0; i < 6; i++)
        assert_int_equal(triage_learner_add(l, "severity", sev_labels[i], sev_texts[i],
                                            strlen(sev_texts[i])), TRIAGE_OK);
    assert_int_equal(triage_learner_yaml(l, 1, 0.75, &yaml, NULL), TRIAGE_OK);
    assert_non_null(strstr(yaml, "    raise: 0.9\n    temperature: 4\n"));
    assert_null(strstr(yaml, "weight"));
    rs = compile_with(yaml, NULL);
    triage_learner_destroy(l);
    assert_non_null(rs);
    assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
    /* no rule gives a severity and the model is sure: critical */
    r = classify(rs, s, "宝宝误吞了药，正在急诊抢救");
    assert_string_equal(triage_result_bayes(r, TRIAGE_AXIS_SEVERITY, &p), "critical");
    assert_true(p >= 0.8);
    assert_string_equal(triage_result_severity(r), "critical");
    /* a rule found high; the model's sure "low" does not lower it */
    r = classify(rs, s, "排队有点久，还多收");
    assert_string_equal(triage_result_bayes(r, TRIAGE_AXIS_SEVERITY, &p), "low");
    assert_true(p >= 0.8);
    assert_string_equal(triage_result_severity(r), "high");
    triage_scratch_destroy(s);
    triage_ruleset_destroy(rs);
}

/* A word the context negated does not speak to the severity model: the
 * model counts words, so "没有昏迷" would read like "昏迷". */
static void test_bayes_severity_model_skips_denied_words(void **state)
{
    static const char yaml[] =
        "rules:\n"
        "  - id: sx.coma\n    type: other\n    match: { any: [昏迷] }\n"
        "bayes:\n"
        "  - id: m.sev\n    axis: severity\n    raise: 0.8\n"
        "    classes: [critical, low]\n    docs: [4, 4]\n"
        "    tokens:\n      - 昏迷 4 0\n      - 排队 0 4\n";
    triage_compiler *c = NULL;
    triage_ruleset *rs = NULL;
    triage_scratch *s = NULL;
    const triage_result *r;
    double p;

    (void)state;
    assert_int_equal(triage_compiler_create(&c), TRIAGE_OK);
    assert_int_equal(triage_compiler_add_string(c, "m.yaml", yaml, strlen(yaml)), TRIAGE_OK);
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_OK);
    triage_compiler_destroy(c);
    assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
    r = classify(rs, s, "他昏迷了");
    assert_string_equal(triage_result_bayes(r, TRIAGE_AXIS_SEVERITY, &p), "critical");
    assert_string_equal(triage_result_severity(r), "critical");
    r = classify(rs, s, "他没有昏迷");
    assert_true(triage_result_bayes(r, TRIAGE_AXIS_SEVERITY, &p) == NULL ||
                p < 0.8);
    assert_string_not_equal(triage_result_severity(r), "critical");
    triage_scratch_destroy(s);
    triage_ruleset_destroy(rs);
}

/* The models share one token table: a token two models list (at other
 * rows) and a token only one lists must weigh in each model exactly as
 * when that model is alone. */
#define TYPE_MODEL \
    "  - id: m.type\n    axis: type\n    classes: [logistics, price_refund]\n" \
    "    docs: [3, 3]\n    tokens:\n      - 快递 3 0\n      - 多收 0 2\n" \
    "      - 包裹 2 1\n"
#define NATURE_MODEL \
    "  - id: m.nature\n    axis: nature\n    classes: [formal, venting]\n" \
    "    docs: [4, 2]\n    tokens:\n      - 多收 3 0\n      - 气死 0 2\n" \
    "      - 快递 1 1\n"
static void test_bayes_models_share_tokens_without_mixing(void **state)
{
    static const char *const yaml[] = {
        "bayes:\n" TYPE_MODEL NATURE_MODEL, "bayes:\n" TYPE_MODEL, "bayes:\n" NATURE_MODEL,
    };
    static const char text[] = "快递多收了钱，气死，包裹呢";
    double p[3][2];
    int i;

    (void)state;
    for (i = 0; i < 3; i++) {
        triage_ruleset *rs = compile_with(yaml[i], NULL);
        triage_scratch *s = NULL;
        const triage_result *r;

        assert_non_null(rs);
        assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
        r = classify(rs, s, text);
        p[i][0] = p[i][1] = -1;
        if (i != 2)
            assert_non_null(triage_result_bayes(r, TRIAGE_AXIS_TYPE, &p[i][0]));
        if (i != 1)
            assert_non_null(triage_result_bayes(r, TRIAGE_AXIS_NATURE, &p[i][1]));
        triage_scratch_destroy(s);
        triage_ruleset_destroy(rs);
    }
    assert_true(p[0][0] > 0.5 && p[0][0] < 1);
    assert_true(p[0][1] > 0.5 && p[0][1] < 1);
    assert_float_equal(p[0][0], p[1][0], 1e-12);
    assert_float_equal(p[0][1], p[2][1], 1e-12);
}

/* A token is evidence once per text however often it is written, and
 * explain names, for each model, only tokens that model lists, with the
 * sign of their pull (a token of the other model, or one that favours the
 * runner-up, is left out). */
static const char *bayes_detail(const triage_result *r, const char *model)
{
    triage_trace_step st;
    unsigned i;

    for (i = 0; i < triage_trace_count(r); i++)
        if (triage_trace_get(r, i, &st) == TRIAGE_OK && st.kind == TRIAGE_TRACE_BAYES &&
            strcmp(st.rule_id, model) == 0)
            return st.detail;
    fail_msg("no trace step for %s", model);
    return NULL;
}

static void test_bayes_counts_a_token_once_and_traces_its_own_model(void **state)
{
    static const char text[] = "快递没到，包裹呢，气死，退款";
    triage_ruleset *rs = compile_with("bayes:\n" NATURE_MODEL "      - 投诉 2 1\n"
                                      TYPE_MODEL "      - 退款 0 1\n", NULL);
    triage_scratch *s = NULL;
    const char *d;
    double once, many;

    (void)state;
    assert_non_null(rs);
    assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
    assert_non_null(triage_result_bayes(classify(rs, s, "包裹"), TRIAGE_AXIS_TYPE, &once));
    assert_non_null(triage_result_bayes(classify(rs, s, "包裹，包裹，包裹"), TRIAGE_AXIS_TYPE,
                                        &many));
    assert_true(once > 0.5 && once < 0.9);
    assert_float_equal(once, many, 1e-12);
    triage_scratch_set_trace(s, 1);
    d = bayes_detail(classify(rs, s, text), "m.type");
    assert_non_null(strstr(d, "logistics"));
    assert_non_null(strstr(d, "tokens 快递 +1.8, 包裹 +0.4"));
    assert_null(strstr(d, "退款"));   /* pulls toward price_refund */
    assert_null(strstr(d, "气死"));   /* the nature model's token */
    d = bayes_detail(classify(rs, s, text), "m.nature");
    assert_non_null(strstr(d, "venting"));
    assert_non_null(strstr(d, "气死 +"));
    assert_null(strstr(d, "包裹"));
    triage_scratch_destroy(s);
    triage_ruleset_destroy(rs);
}

/* A temperature divides the tokens' evidence: the same likeliest class,
 * held with less certainty, so a threshold such as 'raise' means something
 * on texts with many tokens. */
static void test_bayes_temperature_softens_the_posterior(void **state)
{
    static const char *const temps[] = { "", "    temperature: 3\n" };
    double p[2];
    size_t i;
    char yaml[512];

    (void)state;
    for (i = 0; i < 2; i++) {
        triage_ruleset *rs;
        triage_scratch *s = NULL;

        snprintf(yaml, sizeof yaml, "bayes:\n  - id: bayes.type\n    axis: type\n%s"
                 "    classes: [logistics, price_refund]\n    docs: [10, 10]\n"
                 "    tokens:\n      - 包裹 8 1\n      - 多收 1 8\n      - 没到 6 1\n", temps[i]);
        rs = compile_with(yaml, NULL);
        assert_non_null(rs);
        assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
        assert_string_equal(triage_result_bayes(classify(rs, s, "包裹没到"),
                                                TRIAGE_AXIS_TYPE, &p[i]), "logistics");
        triage_scratch_destroy(s);
        triage_ruleset_destroy(rs);
    }
    assert_true(p[0] > 0.9);
    assert_true(p[1] > 0.5 && p[1] < p[0] - 0.1);
}

/* ---- the compiler's checks ------------------------------------------- */

static void expect_error(const char *yaml, unsigned line, unsigned col, const char *words)
{
    triage_compiler *c = NULL;
    triage_ruleset *rs = compile_with(yaml, &c);
    const triage_diag *d;

    assert_null(rs);
    assert_true(triage_compiler_errors(c) >= 1);
    d = triage_compiler_last_diag(c);
    assert_non_null(d);
    if (strstr(d->message, words) == NULL || d->line != line || d->column != col)
        fail_msg("got %s:%u:%u: %s; want line %u column %u with '%s'", d->file, d->line,
                 d->column, d->message, line, col, words);
    assert_string_equal(d->file, "bayes.yaml");
    triage_compiler_destroy(c);
}

#define HEAD "bayes:\n  - id: bayes.type\n    axis: type\n" \
             "    classes: [logistics, price_refund]\n    docs: [3, 3]\n    tokens:\n"

static void test_bayes_compiler_names_the_bad_line(void **state)
{
    (void)state;
    expect_error(HEAD "      - 快递 3 0\n      - 多收 0\n", 8, 9, "has 1 count(s)");
    expect_error(HEAD "      - 快递 3 0 1\n", 7, 9, "more counts");
    expect_error(HEAD "      - 快递 3 0\n      - 快递 1 1\n", 8, 9, "listed twice");
    expect_error("bayes:\n  - id: b\n    axis: level\n    classes: [L1]\n"
                 "    docs: [1]\n    tokens: []\n", 3, 11, "type, nature, temperament or severity");
    expect_error("bayes:\n  - id: b\n    axis: severity\n    weight: 1\n    raise: 0.9\n"
                 "    classes: [low]\n    docs: [1]\n    tokens: []\n", 4, 13,
                 "'raise', not 'weight'");
    expect_error("bayes:\n  - id: b\n    axis: type\n    raise: 0.9\n"
                 "    classes: [other]\n    docs: [1]\n    tokens: []\n", 4, 12,
                 "'raise' is for a severity model");
    expect_error("bayes:\n  - id: b\n    axis: type\n    classes: [logistics, nosuch]\n"
                 "    docs: [1, 1]\n    tokens: []\n", 4, 26, "unknown type 'nosuch'");
    expect_error("bayes:\n  - id: b\n    axis: type\n    classes: [logistics]\n"
                 "    docs: [1, 1]\n    tokens: []\n", 5, 11, "2 docs counts for 1 classes");
    expect_error("bayes:\n  - id: b\n    axis: type\n    temperature: 0.5\n"
                 "    classes: [other]\n    docs: [1]\n    tokens: []\n", 4, 18,
                 "out of range [1, 100]");
    expect_error(HEAD "      - 快递 3 0\n  - id: again\n    axis: type\n"
                 "    classes: [logistics]\n    docs: [1]\n    tokens: []\n",
                 9, 11, "second bayes model");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bayes_tokens_han_pairs_and_words),
        cmocka_unit_test(test_bayes_learner_writes_sorted_counts),
        cmocka_unit_test(test_bayes_learner_refuses_bad_labels),
        cmocka_unit_test(test_bayes_decides_when_no_rule_fires),
        cmocka_unit_test(test_bayes_cannot_outvote_agreeing_rules),
        cmocka_unit_test(test_bayes_survives_save_and_load),
        cmocka_unit_test(test_bayes_severity_model_only_raises),
        cmocka_unit_test(test_bayes_severity_model_skips_denied_words),
        cmocka_unit_test(test_bayes_models_share_tokens_without_mixing),
        cmocka_unit_test(test_bayes_counts_a_token_once_and_traces_its_own_model),
        cmocka_unit_test(test_bayes_temperature_softens_the_posterior),
        cmocka_unit_test(test_bayes_compiler_names_the_bad_line),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
