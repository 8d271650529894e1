/* test_rule_triggers.c - a candidate rule is evaluated only when one of
 * its trigger patterns hit (engine/rule_triggers.c). Skipping the others
 * must never change a result: with tracing on every candidate is
 * evaluated, so a traced scratch is the reference for an untraced one. */
#include "test_util.h"

/* Every shape a condition takes: 'all' with a list inside, nested parts,
 * 'none' alone and as an item of 'any', regexes, 'within', own modes. */
static const char rules_yaml[] =
    "vocabulary:\n"
    "  types: [adverse_reaction, product_quality, logistics, price_refund, other]\n"
    "lists:\n"
    "  - id: sx\n"
    "    match: { any: [头晕, 恶心, 皮疹] }\n"
    "rules:\n"
    "  - id: r.all\n"
    "    type: adverse_reaction\n"
    "    match: { all: [{ list: sx }, 吃药] }\n"
    "  - id: r.any\n"
    "    type: adverse_reaction\n"
    "    match: { any: [过敏, 皮疹] }\n"
    "  - id: r.nested\n"
    "    type: product_quality\n"
    "    match: { all: [{ any: [药品, 药] }, { all: [发霉, { any: [批号, 日期] }] }] }\n"
    "  - id: r.none_only\n"
    "    type: other\n"
    "    match: { none: [满意, 谢谢] }\n"
    "  - id: r.any_or_nothing\n"
    "    type: price_refund\n"
    "    match: { any: [退款, { none: [药] }] }\n"
    "  - id: r.regex\n"
    "    type: product_quality\n"
    "    match: { all: [药], regex: ['批号[0-9]{4}'] }\n"
    "  - id: r.within\n"
    "    type: logistics\n"
    "    match: { all: [快递, 没到], within: 4 }\n"
    "  - id: r.modes\n"
    "    type: adverse_reaction\n"
    "    match: { all: [吃药, { any: [过敏, 头晕], negated: only }], none: [满意] }\n";

static const char *const words[] = {
    "头晕", "恶心", "皮疹", "吃药", "过敏", "药品", "药", "发霉", "批号", "批号1234",
    "日期", "满意", "谢谢", "退款", "快递", "没到", "没有", "不", "如果", "吗", "，", "。",
};
#define N_WORDS (sizeof words / sizeof words[0])

static triage_ruleset *compile_yaml(void)
{
    triage_compiler *c = NULL;
    triage_ruleset *rs = NULL;

    assert_int_equal(triage_compiler_create(&c), TRIAGE_OK);
    assert_int_equal(triage_compiler_add_string(c, "t.yaml", rules_yaml,
                                                sizeof rules_yaml - 1), TRIAGE_OK);
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_OK);
    triage_compiler_destroy(c);
    return rs;
}

static const triage_result *classify(triage_ruleset *rs, triage_scratch *s, const char *t)
{
    const triage_result *r = NULL;

    assert_int_equal(triage_classify(rs, s, t, strlen(t), &r), TRIAGE_OK);
    return r;
}

/* 4,000 texts of random words: the same JSON, every hit included, with
 * and without tracing; and every rule both fires and stays quiet. */
static void test_rule_triggers_never_change_a_result(void **state)
{
    triage_ruleset *rs = compile_yaml();
    triage_scratch *fast = NULL, *all = NULL;
    unsigned seed = 12345, i, k, n = triage_rule_count(rs), fired_in[16] = { 0 };
    char text[256];

    (void)state;
    assert_true(n <= 16);
    assert_int_equal(triage_scratch_create(rs, &fast), TRIAGE_OK);
    assert_int_equal(triage_scratch_create(rs, &all), TRIAGE_OK);
    triage_scratch_set_trace(all, 1);
    for (i = 0; i < 4000; i++) {
        const triage_result *a, *b;
        const char *ja, *jb;
        size_t la, lb, used = 0;
        unsigned w = 1 + i % 7;

        text[0] = '\0';
        for (k = 0; k < w; k++) {
            seed = seed * 1103515245u + 12345u;
            used += (size_t)snprintf(text + used, sizeof text - used, "%s",
                                     words[(seed >> 16) % N_WORDS]);
        }
        a = classify(rs, fast, text);
        b = classify(rs, all, text);
        assert_int_equal(triage_result_json(a, "x", &ja, &la), TRIAGE_OK);
        assert_int_equal(triage_result_json(b, "x", &jb, &lb), TRIAGE_OK);
        if (la != lb || memcmp(ja, jb, la) != 0)
            fail_msg("'%s':\n  without trace %.*s\n  with trace    %.*s", text,
                     (int)la, ja, (int)lb, jb);
        for (k = 0; k < triage_result_fired_count(a); k++) {
            unsigned idx;

            assert_int_equal(triage_rule_find(rs, triage_result_fired(a, k), &idx), TRIAGE_OK);
            fired_in[idx]++;
        }
    }
    for (k = 0; k < n; k++) {   /* the texts exercise every rule both ways */
        triage_rule_info ri;

        assert_int_equal(triage_rule_get(rs, k, &ri), TRIAGE_OK);
        if (fired_in[k] == 0 || fired_in[k] == 4000)
            fail_msg("rule %s fired on %u of 4000 texts", ri.id, fired_in[k]);
    }
    triage_scratch_destroy(fast);
    triage_scratch_destroy(all);
    triage_ruleset_destroy(rs);
}

/* r.all's cheapest need is 吃药 (one rule uses it; the list has three
 * words): a text with only a symptom makes it a candidate, whose hit is
 * reported, but it is not evaluated; with 吃药 as well it is. */
static void test_rule_triggers_skip_a_rule_that_cannot_fire(void **state)
{
    triage_ruleset *rs = compile_yaml();
    triage_scratch *s = NULL;
    triage_rule_profile p;
    triage_hit h;
    const triage_result *r;
    unsigned idx, i, hits = 0;

    (void)state;
    assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
    assert_int_equal(triage_scratch_set_profile(s, 1), TRIAGE_OK);
    assert_int_equal(triage_rule_find(rs, "r.all", &idx), TRIAGE_OK);
    r = classify(rs, s, "我头晕");
    for (i = 0; i < triage_result_hit_count(r); i++)
        if (triage_result_hit(r, i, &h) == TRIAGE_OK && strcmp(h.rule_id, "r.all") == 0)
            hits++;
    assert_int_equal(hits, 1);
    assert_int_equal(triage_profile_rule(s, idx, &p), TRIAGE_OK);
    assert_int_equal(p.evaluations, 0);
    r = classify(rs, s, "我吃药了");
    assert_false(fired(r, "r.all"));
    assert_int_equal(triage_profile_rule(s, idx, &p), TRIAGE_OK);
    assert_int_equal(p.evaluations, 1);
    r = classify(rs, s, "吃药以后头晕");
    assert_true(fired(r, "r.all"));
    assert_int_equal(triage_profile_rule(s, idx, &p), TRIAGE_OK);
    assert_int_equal(p.evaluations, 2);
    assert_int_equal(p.fired, 1);
    /* explain tries every candidate, to say why it did not fire */
    triage_scratch_set_trace(s, 1);
    classify(rs, s, "我头晕");
    assert_int_equal(triage_profile_rule(s, idx, &p), TRIAGE_OK);
    assert_int_equal(p.evaluations, 3);
    triage_scratch_destroy(s);
    triage_ruleset_destroy(rs);
}

/* A scratch that keeps only fired rules' hits (triage_scratch_set_hits,
 * as batch triage uses it) evaluates only rules with a trigger hit: its
 * JSON with fired, counted or no hits is the default scratch's, byte for
 * byte, and its hit list is the default's hits of fired rules. */
static void test_rule_triggers_fired_hits_only_give_the_same_lines(void **state)
{
    triage_ruleset *rs = compile_yaml();
    triage_scratch *full = NULL, *lean = NULL;
    unsigned seed = 777, i, k, w;
    char text[256];

    (void)state;
    assert_int_equal(triage_scratch_create(rs, &full), TRIAGE_OK);
    assert_int_equal(triage_scratch_create(rs, &lean), TRIAGE_OK);
    assert_int_equal(triage_scratch_set_hits(lean, (triage_json_hits)4), TRIAGE_EINVAL);
    assert_int_equal(triage_scratch_set_hits(NULL, TRIAGE_JSON_HITS_FIRED), TRIAGE_EINVAL);
    assert_int_equal(triage_scratch_set_hits(lean, TRIAGE_JSON_HITS_FIRED), TRIAGE_OK);
    for (i = 0; i < 4000; i++) {
        const triage_result *a, *b;
        unsigned fired_hits = 0;
        size_t used = 0;
        triage_hit h;

        text[0] = '\0';
        for (k = 0, w = 1 + i % 7; k < w; k++) {
            seed = seed * 1103515245u + 12345u;
            used += (size_t)snprintf(text + used, sizeof text - used, "%s",
                                     words[(seed >> 16) % N_WORDS]);
        }
        a = classify(rs, full, text);
        b = classify(rs, lean, text);
        for (k = TRIAGE_JSON_HITS_FIRED; k <= TRIAGE_JSON_HITS_NONE; k++) {
            const char *ja, *jb;
            size_t la, lb;

            assert_int_equal(triage_result_json_hits(a, "x", (triage_json_hits)k, &ja, &la),
                             TRIAGE_OK);
            assert_int_equal(triage_result_json_hits(b, "x", (triage_json_hits)k, &jb, &lb),
                             TRIAGE_OK);
            if (la != lb || memcmp(ja, jb, la) != 0)
                fail_msg("'%s' (hits %u):\n  all hits   %.*s\n  fired only %.*s", text, k,
                         (int)la, ja, (int)lb, jb);
        }
        for (k = 0; k < triage_result_hit_count(a); k++)
            if (triage_result_hit(a, k, &h) == TRIAGE_OK && fired(a, h.rule_id))
                fired_hits++;
        assert_int_equal(triage_result_hit_count(b), fired_hits);
    }
    /* With the trace on (explain), every hit is kept again: 头晕 is a
     * word of r.all (through its list) and of r.modes, neither fires. */
    triage_scratch_set_trace(lean, 1);
    assert_int_equal(triage_result_hit_count(classify(rs, lean, "我头晕")), 2);
    triage_scratch_set_trace(lean, 0);
    assert_int_equal(triage_result_hit_count(classify(rs, lean, "我头晕")), 0);
    triage_scratch_destroy(full);
    triage_scratch_destroy(lean);
    triage_ruleset_destroy(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_triggers_never_change_a_result),
        cmocka_unit_test(test_rule_triggers_skip_a_rule_that_cannot_fire),
        cmocka_unit_test(test_rule_triggers_fired_hits_only_give_the_same_lines),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
