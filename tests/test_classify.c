/* test_classify.c - classification against tests/data/classify.yaml:
 * context (negation, hypotheticals, questions), conditions, spans in the
 * original text, awkward input, decisions, scripts, JSON and reply checks. */
#include <jansson.h>
#include "test_util.h"

#define DATA "tests/data/"

struct fx {
    triage_ruleset *rs;
    triage_scratch *s;
};

static triage_ruleset *compile_yaml(const char *yaml)
{
    triage_compiler *c = NULL;
    triage_ruleset *rs = NULL;

    assert_int_equal(triage_compiler_create(&c), TRIAGE_OK);
    assert_int_equal(triage_compiler_add_string(c, "inline.yaml", yaml, strlen(yaml)),
                     TRIAGE_OK);
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_OK);
    triage_compiler_destroy(c);
    return rs;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);

    if (f == NULL)
        return -1;
    f->rs = compile_rules_file(DATA "classify.yaml");
    if (f->rs == NULL || triage_scratch_create(f->rs, &f->s) != TRIAGE_OK) {
        fprintf(stderr, "cannot compile " DATA "classify.yaml cleanly\n");
        return -1;
    }
    *state = f;
    return 0;
}

/* A fixture for a rule set written inline in one test. */
static void fx_yaml(struct fx *f, const char *yaml)
{
    f->rs = compile_yaml(yaml);
    assert_int_equal(triage_scratch_create(f->rs, &f->s), TRIAGE_OK);
}

static void fx_release(struct fx *f)
{
    triage_scratch_destroy(f->s);
    triage_ruleset_destroy(f->rs);
}

static int teardown(void **state)
{
    struct fx *f = *state;

    fx_release(f);
    free(f);
    return 0;
}

static const triage_result *run_len(struct fx *f, const char *text, size_t len)
{
    const triage_result *r = NULL;

    assert_int_equal(triage_classify(f->rs, f->s, text, len, &r), TRIAGE_OK);
    assert_non_null(r);
    return r;
}

static const triage_result *run(struct fx *f, const char *text)
{
    return run_len(f, text, strlen(text));
}

/* The n-th hit (0-based) recorded for rule 'id'; fails if there is none. */
static triage_hit hit_of(const triage_result *r, const char *id, unsigned n)
{
    triage_hit h;
    unsigned i;

    for (i = 0; i < triage_result_hit_count(r); i++) {
        assert_int_equal(triage_result_hit(r, i, &h), TRIAGE_OK);
        if (strcmp(h.rule_id, id) == 0 && n-- == 0)
            return h;
    }
    fail_msg("no hit %u for rule %s", n, id);
    memset(&h, 0, sizeof h);
    return h;
}

static void assert_span(const triage_hit *h, size_t start, size_t end)
{
    if (h->start != start || h->end != end)
        fail_msg("span [%zu,%zu), want [%zu,%zu)", h->start, h->end, start, end);
}

static json_t *json_of_hits(const triage_result *r, const char *id,
                            triage_json_hits which)
{
    const char *js = NULL;
    size_t len = 0;
    json_error_t err;
    json_t *root;

    assert_int_equal(triage_result_json_hits(r, id, which, &js, &len), TRIAGE_OK);
    assert_non_null(js);
    assert_int_equal(strlen(js), len);
    root = json_loadb(js, len, 0, &err);
    if (root == NULL)
        fail_msg("invalid JSON (%s at %d): %s", err.text, err.position, js);
    return root;
}

static json_t *json_of(const triage_result *r, const char *id)
{
    return json_of_hits(r, id, TRIAGE_JSON_HITS_ALL);
}

/* ---- negation ---------------------------------------------------------- */

static void test_classify_negated_keyword_does_not_fire(void **state)
{
    struct fx *f = *state;
    const triage_result *r = run(f, "吃了以后没有过敏");
    triage_hit h;

    assert_int_equal(triage_result_fired_count(r), 0);
    assert_string_equal(triage_result_type(r), "other");
    assert_int_equal(triage_result_flags(r), TRIAGE_FLAG_NO_MATCH);
    h = hit_of(r, "adr.allergy", 0);
    assert_span(&h, 18, 24);
    assert_true(h.negated);
    assert_false(h.counted);
    /* The same words without the cue fire. */
    r = run(f, "吃了以后过敏了");
    assert_true(fired(r, "adr.allergy"));
    h = hit_of(r, "adr.allergy", 0);
    assert_false(h.negated);
    assert_true(h.counted);
}

static void test_classify_negation_stays_in_its_clause(void **state)
{
    struct fx *f = *state;
    const triage_result *r = run(f, "没有任何不良反应，就是没效果");
    triage_hit h;

    /* 不 inside 不良反应 and 没 inside 没效果 are not cues. */
    assert_int_equal(triage_result_fired_count(r), 1);
    assert_string_equal(triage_result_fired(r, 0), "efficacy.none");
    assert_string_equal(triage_result_type(r), "efficacy");
    h = hit_of(r, "adr.allergy", 0);
    assert_true(h.negated);
    assert_false(h.counted);
    h = hit_of(r, "efficacy.none", 0);
    assert_span(&h, 33, 42);
    assert_false(h.negated);
    assert_true(h.counted);
}

static void test_classify_english_negation_matches_whole_words(void **state)
{
    struct fx *f = *state;
    const triage_result *r = run(f, "no rash");
    triage_hit h;

    assert_false(fired(r, "adr.allergy"));
    h = hit_of(r, "adr.allergy", 0);
    assert_true(h.negated);
    assert_span(&h, 3, 7);
    /* "no" must not be found inside "know". */
    r = run(f, "know rash");
    assert_true(fired(r, "adr.allergy"));
    h = hit_of(r, "adr.allergy", 0);
    assert_false(h.negated);
    assert_span(&h, 5, 9);
    /* And "rash" not inside "rashes" or "crash". */
    r = run(f, "rashes after the crash");
    assert_int_equal(triage_result_hit_count(r), 0);
    assert_false(fired(r, "adr.allergy"));
    r = run(f, "Rash!");
    assert_true(fired(r, "adr.allergy"));
}

static void test_classify_pseudo_negation_negates_nothing(void **state)
{
    struct fx *f = *state;
    const triage_result *r = run(f, "不但过敏还起了皮疹");
    triage_hit h;

    assert_true(fired(r, "adr.allergy"));
    h = hit_of(r, "adr.allergy", 0);
    assert_span(&h, 6, 12);
    assert_false(h.negated);
    h = hit_of(r, "adr.allergy", 1);
    assert_span(&h, 21, 27);
    assert_false(h.negated);
    r = run(f, "not only a rash but a fever");
    assert_true(fired(r, "adr.allergy"));
    assert_false(hit_of(r, "adr.allergy", 0).negated);
    /* The built-in context's other pseudo-negations: "or else" before a
     * threat, "non-stop" before a symptom. */
    r = run(f, "赔钱，不然我就砸店");
    assert_true(fired(r, "threat"));
    assert_false(hit_of(r, "threat", 0).negated);
    r = run(f, "不停地起皮疹");
    assert_true(fired(r, "adr.allergy"));
    assert_false(hit_of(r, "adr.allergy", 0).negated);
}

/* ---- hypotheticals, questions, modes ----------------------------------- */

static void test_classify_hypothetical_hit_does_not_fire(void **state)
{
    struct fx *f = *state;
    const triage_result *r = run(f, "吃了会不会过敏？");
    triage_hit h;

    assert_false(fired(r, "adr.allergy"));
    assert_true(triage_result_flags(r) & TRIAGE_FLAG_NO_MATCH);
    h = hit_of(r, "adr.allergy", 0);
    assert_true(h.hypothetical);
    assert_true(h.question);
    assert_false(h.negated);
    assert_false(h.counted);
}

static void test_classify_hypothetical_include_fires(void **state)
{
    struct fx *f = *state;
    const triage_result *r = run(f, "吃了会不会有副作用？");
    triage_hit h;

    assert_true(fired(r, "adr.worry"));
    assert_string_equal(triage_result_type(r), "adverse_reaction");
    h = hit_of(r, "adr.worry", 0);
    assert_span(&h, 18, 27);
    assert_true(h.hypothetical);
    assert_true(h.counted);
    /* Plain mentions count for it too. */
    r = run(f, "有副作用");
    assert_true(fired(r, "adr.worry"));
    assert_false(hit_of(r, "adr.worry", 0).hypothetical);
}

static void test_classify_question_flag_and_question_only(void **state)
{
    struct fx *f = *state;
    const triage_result *r = run(f, "过敏了怎么办？");
    triage_hit h;

    assert_true(fired(r, "service.what_now"));
    assert_true(fired(r, "adr.allergy"));   /* question: include (default) */
    h = hit_of(r, "adr.allergy", 0);
    assert_true(h.question);
    assert_false(h.hypothetical);           /* '?' alone is not hypothetical */
    h = hit_of(r, "service.what_now", 0);
    assert_span(&h, 9, 18);
    assert_true(h.question);
    /* Without the question mark the question-only rule stays silent. */
    r = run(f, "过敏了怎么办");
    assert_false(fired(r, "service.what_now"));
    assert_true(fired(r, "adr.allergy"));
    assert_false(hit_of(r, "service.what_now", 0).question);
    /* A later clause's '?' is not this clause's. */
    r = run(f, "怎么办。过敏了吗?");
    assert_false(fired(r, "service.what_now"));
}

static void test_classify_negated_only_counts_negated_hits(void **state)
{
    struct fx *f = *state;
    const triage_result *r = run(f, "没有说明书");
    triage_hit h;

    assert_true(fired(r, "service.no_leaflet"));
    assert_string_equal(triage_result_type(r), "service");
    h = hit_of(r, "service.no_leaflet", 0);
    assert_true(h.negated);
    assert_true(h.counted);
    r = run(f, "说明书写错了");
    assert_false(fired(r, "service.no_leaflet"));
    assert_false(hit_of(r, "service.no_leaflet", 0).counted);
}

/* ---- conditions -------------------------------------------------------- */

static void test_classify_within_measures_code_points(void **state)
{
    struct fx *f = *state;
    const triage_result *r;

    /* within: 4. Four Han characters apart: 12 bytes but 4 code points. */
    r = run(f, "吃药一二三四头晕");
    assert_true(fired(r, "adr.dizzy_after_pill"));
    r = run(f, "吃药一二三四五头晕");
    assert_false(fired(r, "adr.dizzy_after_pill"));
    assert_int_equal(triage_result_hit_count(r), 2);
    /* Touching parts and reversed order. */
    r = run(f, "吃药头晕");
    assert_true(fired(r, "adr.dizzy_after_pill"));
    r = run(f, "头晕一二吃药");
    assert_true(fired(r, "adr.dizzy_after_pill"));
    /* The closest pair is chosen among several hits. */
    r = run(f, "吃药一二三四五六七八头晕吃药");
    assert_true(fired(r, "adr.dizzy_after_pill"));
    /* Only one part present. */
    r = run(f, "头晕");
    assert_false(fired(r, "adr.dizzy_after_pill"));
}

static void test_classify_within_depends_on_text_language(void **state)
{
    struct fx *f = *state;
    const triage_result *r;

    /* within: { zh: 3, en: 12 }: the text's language picks the window. */
    r = run(f, "店员一二三态度差");
    assert_string_equal(triage_result_lang(r), "zh-Hans");
    assert_true(fired(r, "sa.staff_rude"));
    r = run(f, "店员一二三四态度差");
    assert_false(fired(r, "sa.staff_rude"));
    /* Twelve code points between the English words, not three. */
    r = run(f, "the staff were so rude");
    assert_string_equal(triage_result_lang(r), "en");
    assert_true(fired(r, "sa.staff_rude"));
    r = run(f, "the staff were so very rude");
    assert_false(fired(r, "sa.staff_rude"));
    /* English words in a Chinese text take the Chinese window. */
    r = run(f, "那个staff态度差");
    assert_true(fired(r, "sa.staff_rude"));
    r = run(f, "今天那个staff真的是很态度差");
    assert_false(fired(r, "sa.staff_rude"));
}

static void test_classify_none_blocks_rule(void **state)
{
    struct fx *f = *state;
    const triage_result *r = run(f, "我要退款");

    assert_true(fired(r, "refund.ask"));
    r = run(f, "已退款，还要退款");
    assert_false(fired(r, "refund.ask"));
    r = run(f, "please refund me");
    assert_true(fired(r, "refund.ask"));
}

static void test_classify_regex_named_group_becomes_field(void **state)
{
    struct fx *f = *state;
    const triage_result *r = run(f, "批号：AB1234有问题");
    json_t *root, *lot;
    triage_hit h;

    assert_true(fired(r, "quality.lot"));
    h = hit_of(r, "quality.lot", 0);
    assert_span(&h, 0, 15);
    root = json_of(r, NULL);
    lot = json_object_get(json_object_get(root, "fields"), "lot");
    assert_non_null(lot);
    /* The value is cut from the original text (upper case, full-width ：). */
    assert_string_equal(json_string_value(json_object_get(lot, "value")), "AB1234");
    assert_int_equal(json_integer_value(json_array_get(json_object_get(lot, "span"), 0)), 9);
    assert_int_equal(json_integer_value(json_array_get(json_object_get(lot, "span"), 1)), 15);
    json_decref(root);
    r = run(f, "批号 x1");   /* too short for the group */
    assert_false(fired(r, "quality.lot"));
    root = json_of(r, NULL);
    assert_int_equal(json_object_size(json_object_get(root, "fields")), 0);
    json_decref(root);
}

/* ---- spans in the original text ---------------------------------------- */

static void test_classify_traditional_text_spans_point_into_original(void **state)
{
    struct fx *f = *state;
    const triage_result *r = run(f, "藥品發霉了");
    triage_hit h;

    assert_true(fired(r, "quality.mold"));
    h = hit_of(r, "quality.mold", 0);
    assert_span(&h, 0, 12);
    /* Full-width letters (3 bytes each, 1 folded) and a zero-width space
     * (3 bytes, removed) before the hit. */
    r = run(f, "ＡＢＣ\u200b過敏");
    assert_true(fired(r, "adr.allergy"));
    h = hit_of(r, "adr.allergy", 0);
    assert_span(&h, 12, 18);
    /* Invisible characters inside the keyword. */
    r = run(f, "服药后过\u200d敏");
    assert_true(fired(r, "adr.allergy"));
    h = hit_of(r, "adr.allergy", 0);
    assert_span(&h, 9, 18);
}

static void test_classify_space_between_han_is_ignored(void **state)
{
    struct fx *f = *state;
    const triage_result *r = run(f, "退 款");
    triage_hit h;

    assert_true(fired(r, "refund.ask"));
    h = hit_of(r, "refund.ask", 0);
    assert_span(&h, 0, 7);
    r = run(f, "退\u3000\u3000款");   /* ideographic spaces */
    assert_true(fired(r, "refund.ask"));
    h = hit_of(r, "refund.ask", 0);
    assert_span(&h, 0, 12);
    r = run(f, "退\n款");            /* a line break ends a clause */
    assert_false(fired(r, "refund.ask"));
}

/* A hit ends where its last character ends: what folding dropped after
 * it (a space between Han characters, invisibles, NUL) is not included. */
static void test_classify_span_end_excludes_dropped_characters(void **state)
{
    struct fx *f = *state;
    const triage_result *r = run(f, "过敏 退款");
    triage_hit h;
    json_t *root;

    h = hit_of(r, "adr.allergy", 0);
    assert_span(&h, 0, 6);
    h = hit_of(r, "refund.ask", 0);
    assert_span(&h, 7, 13);
    r = run(f, "过敏\u200b\u200b了，批号：AB1234\u200b的药");
    h = hit_of(r, "adr.allergy", 0);
    assert_span(&h, 0, 6);
    root = json_of(r, NULL);
    assert_string_equal(json_string_value(json_object_get(json_array_get(
        json_object_get(root, "hits"), 0), "text")), "过敏");
    assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(
        root, "fields"), "lot"), "value")), "AB1234");
    json_decref(root);
}

/* Results belong to the scratch: the caller's text may go away. */
static void test_classify_result_outlives_callers_text(void **state)
{
    struct fx *f = *state;
    static const char src[] = "我过敏了，批号：AB1234";
    char *text = malloc(sizeof src);
    const triage_result *r;
    json_t *root;
    triage_hit h;

    assert_non_null(text);
    memcpy(text, src, sizeof src);
    r = run_len(f, text, sizeof src - 1);
    memset(text, '#', sizeof src);
    free(text);
    h = hit_of(r, "adr.allergy", 0);
    assert_span(&h, 3, 9);
    root = json_of(r, NULL);
    assert_string_equal(json_string_value(json_object_get(json_array_get(
        json_object_get(root, "hits"), 0), "text")), "过敏");
    assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(
        root, "fields"), "lot"), "value")), "AB1234");
    json_decref(root);
}

/* ---- awkward input ----------------------------------------------------- */

static void test_classify_invalid_utf8_is_flagged_and_matching_goes_on(void **state)
{
    struct fx *f = *state;
    static const char text[] = "\xff\xfe过敏\x80 \xe8\xbf退款";
    const triage_result *r = run_len(f, text, sizeof text - 1);
    triage_hit h;
    json_t *root, *hits;

    assert_true(triage_result_flags(r) & TRIAGE_FLAG_INVALID_UTF8);
    assert_true(fired(r, "adr.allergy"));
    assert_true(fired(r, "refund.ask"));
    h = hit_of(r, "adr.allergy", 0);
    assert_span(&h, 2, 8);
    h = hit_of(r, "refund.ask", 0);
    assert_span(&h, 12, 18);
    /* The JSON stays valid UTF-8 whatever the input held. */
    root = json_of(r, NULL);
    hits = json_object_get(root, "hits");
    assert_string_equal(json_string_value(json_object_get(json_array_get(hits, 0), "text")),
                        "过敏");
    assert_string_equal(json_string_value(json_array_get(json_object_get(root, "flags"), 0)),
                        "invalid_utf8");
    json_decref(root);
    r = run(f, "过敏");
    assert_false(triage_result_flags(r) & TRIAGE_FLAG_INVALID_UTF8);
}

static void test_classify_nul_bytes_inside_text(void **state)
{
    struct fx *f = *state;
    static const char text[] = "abc\0过敏\0退款";
    const triage_result *r = run_len(f, text, sizeof text - 1);
    triage_hit h;
    json_t *root;

    assert_true(fired(r, "adr.allergy"));
    assert_true(fired(r, "refund.ask"));
    h = hit_of(r, "adr.allergy", 0);
    assert_span(&h, 4, 10);
    h = hit_of(r, "refund.ask", 0);
    assert_span(&h, 11, 17);
    assert_false(triage_result_flags(r) & TRIAGE_FLAG_INVALID_UTF8);
    root = json_of(r, NULL);
    json_decref(root);
}

static void check_defaults(const triage_result *r)
{
    assert_string_equal(triage_result_type(r), "other");
    assert_float_equal(triage_result_confidence(r), 0.0, 1e-12);
    assert_string_equal(triage_result_severity(r), "low");
    assert_string_equal(triage_result_nature(r), "formal");
    assert_string_equal(triage_result_temperament(r), "phlegmatic");
    assert_string_equal(triage_result_lang(r), "zh-Hans");
    assert_string_equal(triage_result_level(r), "L1");
    assert_string_equal(triage_result_team(r), "service_desk");
    assert_float_equal(triage_result_hours(r), 24.0, 1e-12);
    assert_int_equal(triage_result_flags(r), TRIAGE_FLAG_NO_MATCH);
    assert_int_equal(triage_result_fired_count(r), 0);
    assert_int_equal(triage_result_hit_count(r), 0);
    assert_int_equal(triage_result_also_count(r), 0);
    assert_int_equal(triage_result_tag_count(r), 0);
}

static void test_classify_empty_text_gives_defaults(void **state)
{
    struct fx *f = *state;
    const triage_result *r = NULL;
    json_t *root;

    check_defaults(run_len(f, "", 0));
    assert_int_equal(triage_classify(f->rs, f->s, NULL, 0, &r), TRIAGE_OK);
    check_defaults(r);
    root = json_of(r, NULL);
    assert_string_equal(json_string_value(json_object_get(root, "type")), "other");
    assert_string_equal(json_string_value(json_array_get(json_object_get(root, "flags"), 0)),
                        "no_match");
    assert_string_equal(json_string_value(json_object_get(json_object_get(root, "escalation"),
                                                          "row")), "fallback");
    json_decref(root);
    /* White space and punctuation only. */
    check_defaults(run(f, "  \n\t，。！"));
}

static void test_classify_huge_text_is_truncated(void **state)
{
    struct fx *f = *state;
    size_t len = 20u << 20, i;
    char *text = malloc(len);
    const triage_result *r;

    assert_non_null(text);
    for (i = 0; i < len; i++)
        text[i] = "abc "[i % 4];
    memcpy(text + 100, "过敏", 6);
    memcpy(text + (17u << 20), "退款", 6);   /* past the 16 MiB cut */
    r = run_len(f, text, len);
    assert_true(triage_result_flags(r) & TRIAGE_FLAG_TRUNCATED);
    assert_true(fired(r, "adr.allergy"));
    assert_false(fired(r, "refund.ask"));
    /* A multi-byte character across the cut is not split. */
    for (i = 0; i + 3 <= len; i += 3)
        memcpy(text + i, "药", 3);
    r = run_len(f, text, len - len % 3);
    assert_true(triage_result_flags(r) & TRIAGE_FLAG_TRUNCATED);
    assert_false(triage_result_flags(r) & TRIAGE_FLAG_INVALID_UTF8);
    free(text);
    /* The scratch is fine afterwards. */
    r = run(f, "我过敏了");
    assert_int_equal(triage_result_flags(r), 0);
    assert_true(fired(r, "adr.allergy"));
}

/* PCRE2 runs of rule 0 since the last call: the limit tests below prove
 * "never hangs" by the work done (and the flag), not by a wall clock. */
static unsigned long long regex_runs(triage_scratch *s)
{
    triage_rule_profile p;

    assert_int_equal(triage_profile_rule(s, 0, &p), TRIAGE_OK);
    triage_profile_reset(s);
    return p.regex_runs;
}

static void test_classify_catastrophic_regex_stops_quickly(void **state)
{
    static const char yaml[] =
        "rules:\n"
        "  - id: evil\n"
        "    type: t\n"
        "    match: { regex: '(a+)+$' }\n";
    static const char yaml_slow[] =
        "rules:\n"
        "  - id: evil.slow\n"
        "    type: t\n"
        "    match: { regex: '(a+)+(?C1)$' }\n";
    triage_ruleset *rs = compile_yaml(yaml), *slow = compile_yaml(yaml_slow);
    triage_scratch *s = NULL, *s2 = NULL;
    const triage_result *r = NULL;
    size_t n = 30000;
    char *text = malloc(n + 3);

    (void)state;
    assert_non_null(text);
    memset(text, 'a', n);
    memcpy(text + n, "!a", 3);
    assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
    assert_int_equal(triage_scratch_create(slow, &s2), TRIAGE_OK);
    assert_int_equal(triage_scratch_set_profile(s, 1), TRIAGE_OK);
    assert_int_equal(triage_scratch_set_profile(s2, 1), TRIAGE_OK);

    /* 30000 'a' + '!': no match at all, which the Vectorscan prefilter
     * proves without running PCRE2, so there is no limit to report. */
    assert_int_equal(triage_classify(rs, s, text, n + 1, &r), TRIAGE_OK);
    assert_int_equal(triage_result_flags(r), TRIAGE_FLAG_NO_MATCH);
    assert_int_equal(regex_runs(s), 0);
    /* With a real match at the end, PCRE2 runs from the start and hits
     * its match limit on the 30000 'a': flagged, not fired, no hang. */
    assert_int_equal(triage_classify(rs, s, text, n + 2, &r), TRIAGE_OK);
    assert_int_equal(triage_result_flags(r), TRIAGE_FLAG_NO_MATCH | TRIAGE_FLAG_REGEX_LIMIT);
    assert_int_equal(regex_runs(s), 1);
    /* A regex Vectorscan cannot take always runs in PCRE2. */
    assert_int_equal(triage_classify(slow, s2, text, n + 1, &r), TRIAGE_OK);
    assert_int_equal(triage_result_flags(r), TRIAGE_FLAG_NO_MATCH | TRIAGE_FLAG_REGEX_LIMIT);
    assert_int_equal(regex_runs(s2), 1);
    /* The flag does not stick to the next text. */
    assert_int_equal(triage_classify(slow, s2, "aaa", 3, &r), TRIAGE_OK);
    assert_int_equal(triage_result_flags(r), 0);
    assert_int_equal(triage_result_fired_count(r), 1);
    free(text);
    triage_scratch_destroy(s);
    triage_scratch_destroy(s2);
    triage_ruleset_destroy(rs);
    triage_ruleset_destroy(slow);
}

/* ---- decisions --------------------------------------------------------- */

static void test_classify_escalation_first_matching_row_wins(void **state)
{
    struct fx *f = *state;
    const triage_result *r;
    json_t *root;

    /* Rows 'violence' and 'adr_high' both hold: the first decides. */
    r = run(f, "我过敏了，要砸店");
    assert_string_equal(triage_result_level(r), "L4");
    assert_string_equal(triage_result_team(r), "crisis");
    assert_float_equal(triage_result_hours(r), 1.0, 1e-12);
    assert_string_equal(triage_result_severity(r), "critical");
    r = run(f, "我过敏了");
    assert_string_equal(triage_result_level(r), "L3");
    assert_string_equal(triage_result_team(r), "pharmacovigilance");
    assert_float_equal(triage_result_hours(r), 2.0, 1e-12);   /* row's hours */
    root = json_of(r, NULL);
    assert_string_equal(json_string_value(json_object_get(json_object_get(root, "escalation"),
                                                          "row")), "adr_high");
    json_decref(root);
    /* Nothing holds: the default row, wherever it is. */
    r = run(f, "没效果");
    assert_string_equal(triage_result_level(r), "L1");
    assert_string_equal(triage_result_team(r), "service_desk");
    assert_float_equal(triage_result_hours(r), 24.0, 1e-12);
}

/* triage_result_json_hits: all hits of rules tried, those of fired rules,
 * only counted ones, or none; an unknown choice is refused. */
static size_t json_hit_count(const triage_result *r, triage_json_hits which)
{
    json_t *root = json_of_hits(r, NULL, which), *hits = json_object_get(root, "hits");
    size_t n;

    assert_true(json_is_array(hits));
    n = json_array_size(hits);
    json_decref(root);
    return n;
}

static void test_classify_json_hits_choice(void **state)
{
    struct fx *f = *state;
    const triage_result *r;
    const char *js;
    size_t len;

    /* 过敏 counts, 皮疹 is negated (adr.allergy still fires), 说明书 is a
     * hit of service.no_leaflet, which needs a negation and so does not. */
    r = run(f, "吃了过敏，没有皮疹，看了说明书，药品发霉了");
    assert_int_equal(json_hit_count(r, TRIAGE_JSON_HITS_ALL), 4);
    assert_int_equal(json_hit_count(r, TRIAGE_JSON_HITS_FIRED), 3);
    assert_int_equal(json_hit_count(r, TRIAGE_JSON_HITS_COUNTED), 2);
    assert_int_equal(json_hit_count(r, TRIAGE_JSON_HITS_NONE), 0);
    assert_int_equal(triage_result_json_hits(r, NULL, (triage_json_hits)4, &js, &len),
                     TRIAGE_EINVAL);
}

/* A rule that uses one keyword twice has one hit per occurrence of it. */
static void test_classify_pattern_used_twice_is_one_hit(void **state)
{
    static const char yaml[] =
        "rules:\n  - id: r.twice\n    type: t\n"
        "    match: { all: [过敏, { any: [过敏, 皮疹] }] }\n";
    triage_ruleset *rs = compile_yaml(yaml);
    triage_scratch *s = NULL;
    const triage_result *r = NULL;

    (void)state;
    assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
    assert_int_equal(triage_classify(rs, s, "过敏", strlen("过敏"), &r), TRIAGE_OK);
    assert_true(fired(r, "r.twice"));
    assert_int_equal(triage_result_hit_count(r), 1);
    triage_scratch_destroy(s);
    triage_ruleset_destroy(rs);
}

/* A keyword that only excludes ('none') does not own its words: the
 * hypothetical cue "if" inside it still marks the hits after it. A keyword
 * a rule matches on does own them (the cue inside is dropped). */
static void test_classify_exclusion_keywords_leave_cues_be(void **state)
{
    static const char yaml[] =
        "context:\n  hypothetical: [if]\n"
        "rules:\n"
        "  - id: r.rash\n    type: adverse_reaction\n    match: { any: [rash] }\n"
        "  - id: r.refund\n    type: price_refund\n"
        "    match: { any: [refund], none: [if i] }\n";
    static const char yaml_claim[] =
        "context:\n  hypothetical: [if]\n"
        "rules:\n"
        "  - id: r.rash\n    type: adverse_reaction\n    match: { any: [rash] }\n"
        "  - id: r.if_i\n    type: other\n    match: { any: [if i] }\n";
    triage_ruleset *rs = compile_yaml(yaml), *claim = compile_yaml(yaml_claim);
    triage_scratch *s = NULL, *s2 = NULL;
    const triage_result *r = NULL;
    const char *text = "if i get a rash";

    (void)state;
    assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
    assert_int_equal(triage_scratch_create(claim, &s2), TRIAGE_OK);
    assert_int_equal(triage_classify(rs, s, text, strlen(text), &r), TRIAGE_OK);
    assert_false(fired(r, "r.rash"));          /* hypothetical: not counted */
    assert_int_equal(triage_classify(claim, s2, text, strlen(text), &r), TRIAGE_OK);
    assert_true(fired(r, "r.rash"));           /* "if" belongs to "if i" */
    triage_scratch_destroy(s);
    triage_scratch_destroy(s2);
    triage_ruleset_destroy(rs);
    triage_ruleset_destroy(claim);
}

/* The hit of rule 'id' that starts at byte 'at' of the text. */
static triage_hit hit_at(const triage_result *r, const char *id, size_t at)
{
    triage_hit h;
    unsigned i;

    for (i = 0; i < triage_result_hit_count(r); i++) {
        assert_int_equal(triage_result_hit(r, i, &h), TRIAGE_OK);
        if (strcmp(h.rule_id, id) == 0 && h.start == at)
            return h;
    }
    fail_msg("no hit of rule %s at %zu", id, at);
    memset(&h, 0, sizeof h);
    return h;
}

/* Whether the hit of rule "sx" at byte 'at' of 'text' is negated. */
static int sx_negated(struct fx *f, const char *text, size_t at)
{
    return hit_at(run(f, text), "sx", at).negated;
}

/* Which cues a rule hit switches off: a regex only those it spells out, a
 * keyword none that hold it whole; a post-negation negates backwards only
 * at the end of its clause. Built-in context. */
static void test_classify_cues_next_to_rule_words(void **state)
{
    static const char yaml[] =
        "rules:\n"
        "  - id: sx\n    type: adverse_reaction\n"
        "    match: { any: [头晕, 恶心, 呕吐, 过敏, 吃了药, 风团, 头疼] }\n"
        "  - id: after\n    type: other\n"
        "    match: { any: [{ regex: '吃了[^，。]{0,6}后[^，。]{0,4}头' }, 多久,\n"
        "                   { regex: '没(有)?效果' }] }\n";
    struct fx f;
    const triage_result *r;

    (void)state;
    fx_yaml(&f, yaml);
    /* The regex's wildcards ran over 不: it still negates 头晕. */
    r = run(&f, "吃了以后既不头晕");
    assert_true(hit_at(r, "after", 0).start == 0);
    assert_true(hit_at(r, "sx", 18).negated);
    /* 多久 inside the pseudo-negation 没过多久 leaves it standing, so 没
     * does not negate 呕吐. */
    r = run(&f, "没过多久就呕吐");
    assert_false(hit_at(r, "sx", 15).negated);
    assert_true(fired(r, "sx"));
    /* A regex that spells 没 out owns it: 过敏 is not negated. */
    r = run(&f, "没效果还过敏");
    assert_false(hit_at(r, "sx", 12).negated);
    /* 没有出现 negates what follows, not what came before it. */
    r = run(&f, "吃了药以后没有出现过敏");
    assert_false(hit_at(r, "sx", 0).negated);
    assert_true(hit_at(r, "sx", 27).negated);
    /* At the end of its clause it negates backwards. */
    r = run(&f, "过敏也没出现。");
    assert_true(hit_at(r, "sx", 0).negated);
    /* One verb of a symptom may follow it: "风团都没起" denies the rash;
     * "一晚上都没睡" is itself the complaint and denies nothing. */
    r = run(&f, "风团都没起。");
    assert_true(hit_at(r, "sx", 0).negated);
    r = run(&f, "头疼得一晚上都没睡。");
    assert_false(hit_at(r, "sx", 0).negated);
    assert_true(fired(r, "sx"));
    fx_release(&f);
}

/* A cue may be a regex for a family of words: it marks hits as a keyword
 * cue does, from the span it matched. */
static void test_classify_regex_cues(void **state)
{
    static const char yaml[] =
        "context:\n"
        "  negation: [{ regex: '(从来|一直)(都)?没' }]\n"
        "  hearsay: [{ regex: '听[^,.!?;。]{0,6}(邻居|朋友)[^,.!?;。]{0,4}说' }]\n"
        "rules:\n"
        "  - id: sx\n    type: adverse_reaction\n"
        "    match: { any: [过敏, 住院] }\n"
        "  - id: claim\n    type: other\n"
        "    match: { any: [一直没过敏] }\n";
    struct fx f;
    const triage_result *r;

    (void)state;
    fx_yaml(&f, yaml);
    r = run(&f, "听楼下的邻居阿姨说，有人吃了住院");
    assert_true(hit_at(r, "sx", 42).hypothetical);
    assert_false(fired(r, "sx"));
    r = run(&f, "邻居住院了");
    assert_false(hit_at(r, "sx", 6).hypothetical);
    r = run(&f, "我从来都没过敏");
    assert_true(hit_at(r, "sx", 15).negated);
    /* Inside a keyword that holds it, it negates only there, as a keyword
     * cue does: 过敏 is denied and the claim keyword counts. */
    r = run(&f, "我一直没过敏");
    assert_true(hit_at(r, "sx", 12).negated);
    assert_true(fired(r, "claim"));
    fx_release(&f);
}

/* A condition may set its own negated, hypothetical and question modes
 * for the hits under it, and so may a list reference: a denied symptom
 * plus a question is an inquiry, while a rule around it keeps its own
 * modes. Hits count where their leaf's modes take them. */
static void test_classify_modes_per_condition(void **state)
{
    static const char yaml[] =
        "lists:\n"
        "  - id: sx\n    match: { any: [过敏, 风团] }\n"
        "rules:\n"
        "  - id: denied\n    type: inquiry\n"
        "    match:\n"
        "      all:\n"
        "        - { any: [过敏, 风团], negated: only }\n"
        "        - { any: [吃几粒], question: only }\n"
        "  - id: denied_list\n    type: inquiry\n"
        "    match: { all: [{ list: sx, negated: only }, 吃几粒] }\n"
        "  - id: mentioned\n    type: adverse_reaction\n"
        "    match: { any: [{ list: sx, negated: include }] }\n"
        "  - id: asserted\n    type: adverse_reaction\n"
        "    match: { any: [过敏, 风团] }\n"
        "  - id: near\n    type: inquiry\n"
        "    match:\n"
        "      all: [{ any: [过敏], negated: only }, 吃几粒]\n"
        "      within: 2\n"
        "  - id: inner_wins\n    type: other\n    negated: only\n"
        "    match: { all: [{ any: [过敏], negated: exclude }, 说明书] }\n";
    struct fx f;
    const triage_result *r;

    (void)state;
    fx_yaml(&f, yaml);
    r = run(&f, "吃了没有过敏，一天吃几粒？");
    assert_true(fired(r, "denied"));
    assert_true(fired(r, "denied_list"));
    assert_true(fired(r, "mentioned"));
    assert_false(fired(r, "asserted"));
    assert_false(fired(r, "near"));            /* 3 code points apart */
    assert_string_equal(triage_result_type(r), "inquiry");
    assert_true(hit_at(r, "denied", 12).counted);
    assert_true(hit_at(r, "mentioned", 12).counted);
    assert_false(hit_at(r, "asserted", 12).counted);
    r = run(&f, "吃了过敏了，一天吃几粒？");
    assert_false(fired(r, "denied"));
    assert_false(fired(r, "denied_list"));
    assert_true(fired(r, "mentioned"));
    assert_true(fired(r, "asserted"));
    r = run(&f, "没有过敏，吃几粒？");
    assert_true(fired(r, "near"));
    /* 'question: only' on its part: 吃几粒 outside a question does not count. */
    r = run(&f, "没有过敏，一天吃几粒。");
    assert_false(fired(r, "denied"));
    assert_true(fired(r, "denied_list"));
    /* The rule counts only negated hits; its inner condition, asserted ones. */
    r = run(&f, "吃了过敏了，也没有说明书");
    assert_true(fired(r, "inner_wins"));
    assert_true(hit_at(r, "inner_wins", 6).counted);
    r = run(&f, "没有过敏，也没有说明书");
    assert_false(fired(r, "inner_wins"));
    fx_release(&f);
}

/* A hearsay cue reports what follows to the end of its sentence: across
 * commas, but not past a full stop, a terminator or its 60 code points.
 * A keyword that starts on its last word (说喝了 after 有人说) does not
 * take it out of play; one that holds it whole (听说过) does. */
static void test_classify_hearsay_reaches_sentence_end(void **state)
{
    static const char yaml[] =
        "context:\n"
        "  hearsay: [听说, 有人说, i heard that]\n"
        "  terminators: [但是]\n"
        "rules:\n"
        "  - id: coma\n    type: adverse_reaction\n    severity: critical\n"
        "    match: { any: [昏迷, unconscious] }\n"
        "  - id: claim\n    type: efficacy_claim\n"
        "    match: { any: [说喝了, 没听说过] }\n";
    struct fx f;
    const triage_result *r;
    char far[256];

    (void)state;
    fx_yaml(&f, yaml);
    r = run(&f, "听说，有个孩子吃了药昏迷了");
    assert_true(hit_of(r, "coma", 0).hypothetical);
    assert_false(fired(r, "coma"));
    r = run(&f, "听说有个孩子昏迷了。我儿子现在昏迷了");
    assert_true(hit_of(r, "coma", 0).hypothetical);
    assert_false(hit_of(r, "coma", 1).hypothetical);
    assert_true(fired(r, "coma"));
    r = run(&f, "听说别人没事，但是我儿子昏迷了");
    assert_false(hit_of(r, "coma", 0).hypothetical);
    r = run(&f, "I heard that a boy was unconscious. My son is unconscious now.");
    assert_true(hit_of(r, "coma", 0).hypothetical);
    assert_false(hit_of(r, "coma", 1).hypothetical);
    /* 60 code points at most: 70 filler characters, then the word. */
    strcpy(far, "听说");
    while (strlen(far) < 6 + 70 * 3)
        strcat(far, "啊");
    strcat(far, "昏迷");
    r = run(&f, far);
    assert_false(hit_of(r, "coma", 0).hypothetical);
    r = run(&f, "有人说喝了这个昏迷了");
    assert_true(fired(r, "claim"));
    assert_true(hit_of(r, "coma", 0).hypothetical);
    assert_false(fired(r, "coma"));
    r = run(&f, "没听说过有人昏迷了");
    assert_false(hit_of(r, "coma", 0).hypothetical);
    fx_release(&f);
}

/* A history cue makes its own clause the customer's past, on either side
 * of the cue and within the scope; the next clause and a clause cut off by
 * a terminator are the present again. */
static void test_classify_history_covers_its_clause(void **state)
{
    static const char yaml[] =
        "context:\n"
        "  history: [小时候, years ago, { regex: '[0-9几十]+年前(?!的)' }]\n"
        "  terminators: [但是, but]\n"
        "rules:\n"
        "  - id: rash\n    type: adverse_reaction\n"
        "    match: { any: [起疹子, 休克, rash] }\n";
    struct fx f;
    const triage_result *r;

    (void)state;
    fx_yaml(&f, yaml);
    r = run(&f, "我小时候吃这个药起疹子，能吃吗");
    assert_true(hit_of(r, "rash", 0).hypothetical);
    assert_false(fired(r, "rash"));
    r = run(&f, "I had a rash from amoxicillin years ago. Is it safe now?");
    assert_true(hit_of(r, "rash", 0).hypothetical);
    assert_false(fired(r, "rash"));
    r = run(&f, "我十年前打青霉素休克过，这次吃了又起疹子");
    assert_true(hit_of(r, "rash", 0).hypothetical);
    assert_false(hit_of(r, "rash", 1).hypothetical);
    assert_true(fired(r, "rash"));
    r = run(&f, "小时候没事但是这次起疹子");
    assert_false(hit_of(r, "rash", 0).hypothetical);
    /* 三年前的 dates a product: the regex's lookahead leaves it out. */
    r = run(&f, "生产日期是三年前的起疹子");
    assert_false(hit_of(r, "rash", 0).hypothetical);
    fx_release(&f);
}

/* defaults.precedence: a type leads over the winner it is set over when
 * its score reaches ratio x the winner's and min_score; the winner goes
 * first in 'also', the entry's tags are set, the call is flagged close and
 * the trace says why. Below the ratio, or over another type, nothing. */
static void test_classify_precedence_leads_over_winner(void **state)
{
    static const char yaml[] =
        "vocabulary:\n"
        "  types: [adverse_reaction, product_quality, logistics]\n"
        "  tags: [defect_too]\n"
        "defaults:\n"
        "  precedence:\n"
        "    - { type: adverse_reaction, over: [product_quality], ratio: 0.5,\n"
        "        min_score: 3, tags: [defect_too] }\n"
        "rules:\n"
        "  - id: mould\n    type: product_quality\n    weight: 10\n"
        "    match: { any: [发霉] }\n"
        "  - id: late\n    type: logistics\n    weight: 10\n"
        "    match: { any: [迟到] }\n"
        "  - id: sick\n    type: adverse_reaction\n    weight: 6\n"
        "    match: { any: [拉肚子] }\n"
        "  - id: itch\n    type: adverse_reaction\n    weight: 2\n"
        "    match: { any: [痒] }\n";
    struct fx f;
    const triage_result *r;
    triage_trace_step st;
    unsigned i, seen = 0;

    (void)state;
    fx_yaml(&f, yaml);
    triage_scratch_set_trace(f.s, 1);
    r = run(&f, "发霉了，吃了拉肚子");
    assert_string_equal(triage_result_type(r), "adverse_reaction");
    assert_int_equal(triage_result_also_count(r), 1);
    assert_string_equal(triage_result_also(r, 0), "product_quality");
    assert_int_equal(triage_result_tag_count(r), 1);
    assert_string_equal(triage_result_tag(r, 0), "defect_too");
    assert_true(triage_result_flags(r) & TRIAGE_FLAG_CLOSE_CALL);
    for (i = 0; i < triage_trace_count(r); i++) {
        triage_trace_get(r, i, &st);
        seen += st.kind == TRIAGE_TRACE_DECISION && strstr(st.detail, "leads over") != NULL;
    }
    assert_int_equal(seen, 1);
    /* 2 < 0.5 x 10 and below min_score: the defect stays first. */
    r = run(&f, "发霉了，有点痒");
    assert_string_equal(triage_result_type(r), "product_quality");
    assert_int_equal(triage_result_tag_count(r), 0);
    /* Not set over logistics. */
    r = run(&f, "迟到了，吃了拉肚子");
    assert_string_equal(triage_result_type(r), "logistics");
    fx_release(&f);
}

/* A negation cue inside a longer keyword still negates inside that
 * keyword, and only there: the claim 不过敏 denies 过敏, the complaint
 * 没效果 denies 效果 but not the 头晕 that follows it. Built-in context. */
static void test_classify_cue_in_keyword_negates_inside_it(void **state)
{
    static const char yaml[] =
        "rules:\n"
        "  - id: sx\n    type: adverse_reaction\n"
        "    match: { any: [头晕, 过敏, 副作用] }\n"
        "  - id: claim\n    type: efficacy_claim\n"
        "    match: { any: [不过敏, 没有副作用] }\n"
        "  - id: eff\n    type: efficacy\n"
        "    match: { any: [没效果, 效果] }\n";
    struct fx f;
    const triage_result *r;

    (void)state;
    fx_yaml(&f, yaml);
    r = run(&f, "我从来不过敏");
    assert_true(hit_at(r, "sx", 12).negated);
    assert_false(hit_at(r, "claim", 9).negated);
    assert_false(fired(r, "sx"));
    assert_true(fired(r, "claim"));
    r = run(&f, "说是没有副作用");
    assert_true(hit_at(r, "sx", 12).negated);
    assert_false(hit_at(r, "claim", 6).negated);
    r = run(&f, "没效果还头晕");
    assert_true(hit_at(r, "eff", 3).negated);
    assert_false(hit_at(r, "eff", 0).negated);
    assert_false(hit_at(r, "sx", 12).negated);
    assert_true(fired(r, "sx"));
    fx_release(&f);
}

/* The negation forms one cue's scope gets wrong, with the built-in
 * context: 就 ends a negation but not a hypothesis, two negations cancel,
 * and a lone answer denies the question before its '?'. */
static void test_classify_negation_forms(void **state)
{
    static const char yaml[] =
        "rules:\n"
        "  - id: sx\n    type: adverse_reaction\n"
        "    negated: include\n    hypothetical: include\n"
        "    match: { any: [头晕, 难受, 过敏, 恶心, 副作用, 起疹子, rash, swelling] }\n";
    struct fx f;
    const triage_result *r;

    (void)state;
    fx_yaml(&f, yaml);
    assert_false(sx_negated(&f, "不吃就难受", 9));
    r = run(&f, "如果吃了就过敏");
    assert_true(hit_at(r, "sx", 15).hypothetical);
    assert_false(sx_negated(&f, "吃药头晕", 6));   /* control: no cue */
    assert_false(sx_negated(&f, "不是没有副作用", 12));
    assert_true(sx_negated(&f, "没有副作用", 6));
    assert_false(sx_negated(&f, "It's not that there was no rash", 27));
    assert_true(sx_negated(&f, "头晕？没有。恶心？也没有。", 0));
    assert_true(sx_negated(&f, "头晕？没有。恶心？也没有。", 18));
    assert_true(sx_negated(&f, "Rash: none. Swelling? No.", 0));
    assert_true(sx_negated(&f, "Rash: none. Swelling? No.", 12));
    /* Not an answer: the 没有 is no lone reply to the question. */
    assert_false(sx_negated(&f, "头晕？我没有吃药", 0));
    /* A topic is answered across its comma; a bare comma may be a list. */
    assert_true(sx_negated(&f, "至于过敏，没有。", 6));
    assert_false(sx_negated(&f, "过敏，没有", 0));
    assert_true(sx_negated(&f, "As for the rash, there wasn't any.", 11));
    /* A post-negation alone in its clause answers a question too. */
    assert_true(sx_negated(&f, "恶心？没发现。", 0));
    /* ... also with the one symptom verb a 没 may take ("都没起"). */
    assert_true(sx_negated(&f, "起疹子了吗？都没起。", 0));
    assert_false(sx_negated(&f, "起疹子了吗？都没睡。", 0));
    fx_release(&f);
}

/* A regex that starts with (?-i) keeps case: it reads the original text
 * (the folded one is lower case), and its span comes back in original
 * bytes even where folding moved them (spaces between Han characters
 * dropped, traditional characters folded). */
static void test_classify_cased_regex_reads_original_text(void **state)
{
    static const char yaml[] =
        "rules:\n"
        "  - id: shout\n    temperament: choleric\n"
        "    match: { regex: ['(?-i)\\b[A-Z]{2,}(?: [A-Z]{2,}){2,}\\b'] }\n"
        "  - id: ref\n    type: price_refund\n"
        "    match: { regex: ['(?-i)\\bREF-(?<ref>[0-9]+)'] }\n";
    static const char text[] = "退 款 太 慢，這是 THIS IS UNACCEPTABLE ref-1 REF-42";
    struct fx f;
    const triage_result *r;
    triage_hit h;
    const char *json;
    const char *at = strstr(text, "THIS");

    (void)state;
    fx_yaml(&f, yaml);
    r = run(&f, text);
    h = hit_of(r, "shout", 0);
    assert_span(&h, (size_t)(at - text), (size_t)(at - text) + strlen("THIS IS UNACCEPTABLE"));
    h = hit_of(r, "ref", 0);   /* ref-1 is lower case: no hit */
    assert_span(&h, (size_t)(strstr(text, "REF-42") - text), strlen(text));
    assert_int_equal(triage_result_json(r, NULL, &json, NULL), TRIAGE_OK);
    assert_non_null(strstr(json, "\"ref\":{\"value\":\"42\""));
    assert_string_equal(triage_result_temperament(r), "choleric");
    /* The same words in lower case: nothing to shout about. */
    r = run(&f, "this is unacceptable");
    assert_int_equal(triage_result_hit_count(r), 0);
    /* Invalid UTF-8 in the original does not stop a cased regex. */
    r = run(&f, "\xff\xfe NOT GOOD AT ALL");
    h = hit_of(r, "shout", 0);
    assert_span(&h, 3, 3 + strlen("NOT GOOD AT ALL"));
    fx_release(&f);
}

/* The context's scope by text language: English words are longer. A map
 * must give every language a value. */
static void test_classify_scope_depends_on_text_language(void **state)
{
    static const char yaml[] =
        "context: { negation: [没有, not], scope: { zh: 3, en: 20 } }\n"
        "rules:\n"
        "  - id: sx\n    type: adverse_reaction\n    match: { any: [头晕, dizziness] }\n";
    static const char no_en[] =
        "context: { negation: [not], scope: { zh: 3 } }\n"
        "rules:\n  - id: sx\n    type: other\n    match: { any: [x] }\n";
    triage_ruleset *bad = NULL;
    triage_compiler *c = NULL;
    struct fx f;

    (void)state;
    fx_yaml(&f, yaml);
    /* 头晕 2 code points after the cue, then 4 (past zh's 3); dizziness
     * 17 after "not" (within en's 20). */
    assert_true(hit_of(run(&f, "没有一直头晕"), "sx", 0).negated);
    assert_false(hit_of(run(&f, "没有那个一直头晕"), "sx", 0).negated);
    assert_true(hit_of(run(&f, "I have not experienced any dizziness"), "sx", 0).negated);
    assert_int_equal(triage_compiler_create(&c), TRIAGE_OK);
    assert_int_equal(triage_compiler_add_string(c, "no_en.yaml", no_en, strlen(no_en)),
                     TRIAGE_OK);
    assert_int_equal(triage_compiler_finish(c, &bad), TRIAGE_ERULE_SCHEMA);
    assert_null(bad);
    triage_compiler_destroy(c);
    fx_release(&f);
}

/* Regexes run on folded text, so their Han characters fold too: a regex
 * written with 搵 (traditional, Cantonese) must match 搵 and 揾 alike. */
static void test_classify_regex_han_folds_like_text(void **state)
{
    static const char yaml[] =
        "rules:\n"
        "  - id: hk\n    type: other\n"
        "    match: { any: [{ regex: '搵(唔|不)到[^，。]{0,4}(嗰|這)間' }] }\n";
    struct fx f;
    const triage_result *r;
    triage_hit h;

    (void)state;
    fx_yaml(&f, yaml);
    r = run(&f, "我搵唔到嗰間舖");
    assert_true(fired(r, "hk"));
    h = hit_of(r, "hk", 0);
    assert_span(&h, 3, 18);     /* into the original text */
    assert_true(fired(run(&f, "我揾不到这间店"), "hk"));
    fx_release(&f);
}

static void test_classify_escalation_compares_severity(void **state)
{
    struct fx *f = *state;
    const triage_result *r;

    r = run(f, "吃药后休克");                    /* critical >= high */
    assert_string_equal(triage_result_severity(r), "critical");
    assert_string_equal(triage_result_level(r), "L3");
    r = run(f, "吃药以后头晕");                  /* medium < high */
    assert_string_equal(triage_result_type(r), "adverse_reaction");
    assert_string_equal(triage_result_severity(r), "medium");
    assert_string_equal(triage_result_level(r), "L1");
}

static void test_classify_escalation_type_matches_also(void **state)
{
    struct fx *f = *state;
    const triage_result *r;

    /* product_quality 3+1 beats adverse_reaction 3: 'primary_type:
     * [adverse_reaction]' does not hold although severity is high, and
     * 'type: [product_quality]' holds through the primary type. */
    r = run(f, "药品发霉，批号AB1234，吃了皮疹");
    assert_string_equal(triage_result_type(r), "product_quality");
    assert_int_equal(triage_result_also_count(r), 1);
    assert_string_equal(triage_result_also(r, 0), "adverse_reaction");
    assert_string_equal(triage_result_severity(r), "high");
    assert_string_equal(triage_result_level(r), "L2");
    /* 'type' also holds when product_quality is only in 'also'. */
    r = run(f, "没效果，批号：AB1234");
    assert_string_equal(triage_result_type(r), "efficacy");
    assert_string_equal(triage_result_also(r, 0), "product_quality");
    assert_string_equal(triage_result_level(r), "L2");
    assert_string_equal(triage_result_team(r), "quality");
}

static void test_classify_also_and_close_call(void **state)
{
    struct fx *f = *state;
    const triage_result *r;

    /* efficacy 2 = refund 2: vocabulary order breaks the tie. */
    r = run(f, "没效果，我要退款");
    assert_string_equal(triage_result_type(r), "efficacy");
    assert_int_equal(triage_result_also_count(r), 1);
    assert_string_equal(triage_result_also(r, 0), "refund");
    assert_null(triage_result_also(r, 1));
    assert_int_equal(triage_result_flags(r), TRIAGE_FLAG_CLOSE_CALL);
    assert_float_equal(triage_result_confidence(r), 2.0 / 5.0, 1e-9);
    /* 1 >= 0.5 x 2 goes to also, but 1 < 0.8 x 2 is no close call. */
    r = run(f, "没效果，批号：AB1234");
    assert_int_equal(triage_result_also_count(r), 1);
    assert_int_equal(triage_result_flags(r), 0);
    assert_float_equal(triage_result_confidence(r), 2.0 / 4.0, 1e-9);
    /* Three types: also sorted strongest first. */
    r = run(f, "过敏，没效果，批号：AB1234");
    assert_string_equal(triage_result_type(r), "adverse_reaction");
    assert_int_equal(triage_result_also_count(r), 1);   /* 1 < 0.5 x 3 */
    assert_string_equal(triage_result_also(r, 0), "efficacy");
    assert_false(triage_result_flags(r) & TRIAGE_FLAG_CLOSE_CALL);
}

static void test_classify_confidence_is_top_over_top_second_one(void **state)
{
    struct fx *f = *state;
    const triage_result *r;

    r = run(f, "我过敏了");                            /* 3 / (3 + 0 + 1) */
    assert_float_equal(triage_result_confidence(r), 0.75, 1e-9);
    assert_float_equal(triage_result_type_score(r, 0), 3.0, 1e-12);
    r = run(f, "药品发霉，批号AB1234，吃了皮疹");        /* 4 / (4 + 3 + 1) */
    assert_float_equal(triage_result_confidence(r), 0.5, 1e-9);
    assert_float_equal(triage_result_type_score(r, 1), 4.0, 1e-12);
    assert_float_equal(triage_result_type_score(r, 0), 3.0, 1e-12);
    assert_float_equal(triage_result_type_score(r, 99), 0.0, 1e-12);
    r = run(f, "过敏了怎么办？");                       /* 3 / (3 + 1 + 1) */
    assert_float_equal(triage_result_confidence(r), 0.6, 1e-9);
    r = run(f, "吃药以后头晕");                         /* 2 / (2 + 0 + 1) */
    assert_float_equal(triage_result_confidence(r), 2.0 / 3.0, 1e-9);
}

static void test_classify_detects_language(void **state)
{
    struct fx *f = *state;

    assert_string_equal(triage_result_lang(run(f, "我吃了这个药以后过敏了")), "zh-Hans");
    assert_string_equal(triage_result_lang(run(f, "我吃了這個藥以後過敏了")), "zh-Hant");
    assert_string_equal(triage_result_lang(run(f, "I took the pills and got a rash")), "en");
    /* A few Latin letters in Chinese text stay Chinese. */
    assert_string_equal(triage_result_lang(run(f, "批号AB1234的药过敏")), "zh-Hans");
    assert_string_equal(triage_result_lang(run(f, "APP里买的藥過敏")), "zh-Hant");
}

/* ---- scripts ----------------------------------------------------------- */

static void check_scripts(struct fx *f, const char *text, const char *lang,
                          const char *id0, const char *text0, const char *id1)
{
    const triage_result *r = run(f, text);
    unsigned want = id1 ? 2 : 1;

    assert_string_equal(triage_result_lang(r), lang);
    assert_int_equal(triage_result_script_count(r), want);
    assert_string_equal(triage_result_script_id(r, 0), id0);
    assert_string_equal(triage_result_script_text(r, 0), text0);
    if (id1 != NULL)
        assert_string_equal(triage_result_script_id(r, 1), id1);
    assert_null(triage_result_script_id(r, want));
    assert_null(triage_result_script_text(r, want));
}

static void test_classify_scripts_first_per_group_in_the_complaints_language(void **state)
{
    struct fx *f = *state;
    const triage_result *r;

    check_scripts(f, "我过敏了", "zh-Hans", "open.urgent", "请您放心，我们会立即处理",
                  "follow.pharmacist");
    /* The zh-Hant twin derived by OpenCC from the zh-Hans text. */
    check_scripts(f, "我過敏了", "zh-Hant", "open.urgent", "請您放心，我們會立即處理",
                  "follow.pharmacist");
    check_scripts(f, "I got a rash", "en", "open.urgent",
                  "Please rest assured, we are on it.", "follow.pharmacist");
    /* An explicit zh-Hant script replaces the derived one. */
    check_scripts(f, "藥品發霉了", "zh-Hant", "open.general", "您好，謝謝您的意見", NULL);
    check_scripts(f, "没效果", "zh-Hans", "open.general", "您好，感谢您的反馈", NULL);
    check_scripts(f, "it is useless", "en", "open.general",
                  "Thank you for your feedback.", NULL);
    /* lang: any serves every language, unconverted. */
    r = run(f, "我過敏了");
    assert_string_equal(triage_result_script_text(r, 1), "药师会联系您");
}

/* ---- JSON -------------------------------------------------------------- */

static void test_classify_json_carries_tags_with_data(void **state)
{
    struct fx *f = *state;
    const triage_result *r = run(f, "我过敏了");
    json_t *root, *tags, *t0, *t1, *esc, *rs, *hit;

    assert_int_equal(triage_result_tag_count(r), 2);
    assert_string_equal(triage_result_tag(r, 0), "adr_report");
    assert_string_equal(triage_result_tag(r, 1), "needs_pharmacist");
    assert_null(triage_result_tag(r, 2));
    root = json_of(r, "case-17");
    assert_int_equal(json_integer_value(json_object_get(root, "schema_version")),
                     TRIAGE_SCHEMA_VERSION);
    assert_string_equal(json_string_value(json_object_get(root, "id")), "case-17");
    assert_string_equal(json_string_value(json_object_get(root, "type")),
                        "adverse_reaction");
    assert_float_equal(json_real_value(json_object_get(root, "confidence")), 0.75, 1e-9);
    tags = json_object_get(root, "tags");
    assert_int_equal(json_array_size(tags), 2);
    t0 = json_array_get(tags, 0);
    assert_string_equal(json_string_value(json_object_get(t0, "id")), "adr_report");
    assert_true(json_is_integer(json_object_get(t0, "report_within_days")));
    assert_int_equal(json_integer_value(json_object_get(t0, "report_within_days")), 15);
    assert_string_equal(json_string_value(json_object_get(t0, "regulator")), "nmpa");
    assert_true(json_is_true(json_object_get(t0, "urgent")));
    assert_int_equal(json_object_size(t0), 4);
    t1 = json_array_get(tags, 1);
    assert_string_equal(json_string_value(json_object_get(t1, "id")), "needs_pharmacist");
    assert_int_equal(json_object_size(t1), 1);
    assert_float_equal(json_number_value(json_object_get(json_object_get(root, "scores"),
                                                         "adverse_reaction")), 3.0, 1e-12);
    esc = json_object_get(root, "escalation");
    assert_string_equal(json_string_value(json_object_get(esc, "level")), "L3");
    assert_string_equal(json_string_value(json_object_get(esc, "team")), "pharmacovigilance");
    assert_float_equal(json_number_value(json_object_get(esc, "respond_within_hours")),
                       2.0, 1e-12);
    hit = json_array_get(json_object_get(root, "hits"), 0);
    assert_string_equal(json_string_value(json_object_get(hit, "rule")), "adr.allergy");
    assert_string_equal(json_string_value(json_object_get(hit, "text")), "过敏");
    assert_int_equal(json_integer_value(json_array_get(json_array_get(
        json_object_get(hit, "spans"), 0), 0)), 3);
    assert_true(json_is_true(json_object_get(hit, "counted")));
    assert_int_equal(json_array_size(json_object_get(root, "flags")), 0);
    rs = json_object_get(root, "ruleset");
    assert_string_equal(json_string_value(json_object_get(rs, "name")), "test-classify");
    assert_string_equal(json_string_value(json_object_get(rs, "version")), "1.2.3");
    assert_int_equal(strlen(json_string_value(json_object_get(rs, "hash"))), 32);
    json_decref(root);
    /* No id given: no member. */
    root = json_of(r, NULL);
    assert_null(json_object_get(root, "id"));
    json_decref(root);
}

static void test_classify_json_escapes_id_and_text(void **state)
{
    struct fx *f = *state;
    static const char id[] = "a\"b\\c\nd\x01\xe8\xbf";   /* ends in a cut character */
    const triage_result *r = run(f, "\"过敏\"\\\t");
    json_t *root = json_of(r, id);
    const char *got = json_string_value(json_object_get(root, "id"));

    size_t k;

    /* The cut character becomes U+FFFD (one per byte or one in all). */
    assert_non_null(got);
    assert_memory_equal(got, "a\"b\\c\nd\x01\xef\xbf\xbd", 11);
    for (k = 8; got[k] != '\0'; k += 3)
        assert_memory_equal(got + k, "\xef\xbf\xbd", 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(
        json_object_get(root, "hits"), 0), "text")), "过敏");
    json_decref(root);
}

/* ---- trace and reply checks ------------------------------------------- */

static void test_classify_trace_only_when_enabled(void **state)
{
    struct fx *f = *state;
    const triage_result *r;
    triage_trace_step st;
    unsigned i, rule_steps = 0, cues = 0, dropped = 0;

    r = run(f, "吃了以后没有过敏");
    assert_int_equal(triage_trace_count(r), 0);
    triage_scratch_set_trace(f->s, 1);
    r = run(f, "吃了以后没有过敏");
    assert_true(triage_trace_count(r) > 0);
    for (i = 0; i < triage_trace_count(r); i++) {
        assert_int_equal(triage_trace_get(r, i, &st), TRIAGE_OK);
        assert_non_null(st.detail);
        if (st.kind == TRIAGE_TRACE_RULE && st.rule_id &&
            strcmp(st.rule_id, "adr.allergy") == 0) {
            rule_steps++;
            assert_false(st.ok);
        }
        cues += st.kind == TRIAGE_TRACE_CUE && st.ok;
        /* 没 inside 没有 is left out, and the trace says why. */
        if (st.kind == TRIAGE_TRACE_CUE && !st.ok)
            dropped += strcmp(st.detail, "negation cue \"没\" at 12-15 left out: "
                                         "it overlaps the longer cue \"没有\"") == 0;
    }
    assert_int_equal(rule_steps, 1);
    assert_int_equal(cues, 2);   /* 没有 negates forward and answers */
    assert_int_equal(dropped, 1);
    assert_int_equal(triage_trace_get(r, triage_trace_count(r), &st), TRIAGE_EINVAL);
    triage_scratch_set_trace(f->s, 0);
    r = run(f, "吃了以后没有过敏");
    assert_int_equal(triage_trace_count(r), 0);
}

static void test_classify_check_reply_finds_phrases_with_spans(void **state)
{
    struct fx *f = *state;
    static const char reply[] = "您好，这件事与我无关，请冷静。It is NOT MY DEPARTMENT.";
    const triage_reply_issue *is = NULL;
    unsigned n = 99;

    assert_int_equal(triage_check_reply(f->rs, f->s, reply, strlen(reply), 0, &is, &n),
                     TRIAGE_OK);
    assert_int_equal(n, 3);
    assert_string_equal(is[0].check_id, "never.not_mine");
    assert_int_equal(is[0].start, 18);
    assert_int_equal(is[0].end, 30);
    assert_false(is[0].is_warning);
    assert_string_equal(is[0].message, "推卸责任的说法");
    assert_string_equal(is[1].check_id, "never.not_mine");
    assert_int_equal(is[1].start, 51);
    assert_int_equal(is[1].end, 68);
    assert_string_equal(is[1].phrase, "not my department");
    assert_string_equal(is[2].check_id, "warn.calm_down");
    assert_true(is[2].is_warning);
    assert_int_equal(is[2].start, 36);
    /* Follow-up checks apply to follow-up calls only. */
    assert_int_equal(triage_check_reply(f->rs, f->s, "请再说一遍", 15, 0, &is, &n), TRIAGE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(triage_check_reply(f->rs, f->s, "请再说一遍", 15, 1, &is, &n), TRIAGE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(is[0].check_id, "followup.again");
    assert_int_equal(is[0].start, 3);
    assert_int_equal(is[0].end, 15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify_negated_keyword_does_not_fire),
        cmocka_unit_test(test_classify_negation_stays_in_its_clause),
        cmocka_unit_test(test_classify_english_negation_matches_whole_words),
        cmocka_unit_test(test_classify_pseudo_negation_negates_nothing),
        cmocka_unit_test(test_classify_hypothetical_hit_does_not_fire),
        cmocka_unit_test(test_classify_hypothetical_include_fires),
        cmocka_unit_test(test_classify_hearsay_reaches_sentence_end),
        cmocka_unit_test(test_classify_history_covers_its_clause),
        cmocka_unit_test(test_classify_precedence_leads_over_winner),
        cmocka_unit_test(test_classify_question_flag_and_question_only),
        cmocka_unit_test(test_classify_negated_only_counts_negated_hits),
        cmocka_unit_test(test_classify_within_measures_code_points),
        cmocka_unit_test(test_classify_within_depends_on_text_language),
        cmocka_unit_test(test_classify_none_blocks_rule),
        cmocka_unit_test(test_classify_regex_named_group_becomes_field),
        cmocka_unit_test(test_classify_traditional_text_spans_point_into_original),
        cmocka_unit_test(test_classify_space_between_han_is_ignored),
        cmocka_unit_test(test_classify_span_end_excludes_dropped_characters),
        cmocka_unit_test(test_classify_result_outlives_callers_text),
        cmocka_unit_test(test_classify_invalid_utf8_is_flagged_and_matching_goes_on),
        cmocka_unit_test(test_classify_nul_bytes_inside_text),
        cmocka_unit_test(test_classify_empty_text_gives_defaults),
        cmocka_unit_test(test_classify_huge_text_is_truncated),
        cmocka_unit_test(test_classify_catastrophic_regex_stops_quickly),
        cmocka_unit_test(test_classify_escalation_first_matching_row_wins),
        cmocka_unit_test(test_classify_exclusion_keywords_leave_cues_be),
        cmocka_unit_test(test_classify_cues_next_to_rule_words),
        cmocka_unit_test(test_classify_cue_in_keyword_negates_inside_it),
        cmocka_unit_test(test_classify_negation_forms),
        cmocka_unit_test(test_classify_cased_regex_reads_original_text),
        cmocka_unit_test(test_classify_scope_depends_on_text_language),
        cmocka_unit_test(test_classify_regex_han_folds_like_text),
        cmocka_unit_test(test_classify_pattern_used_twice_is_one_hit),
        cmocka_unit_test(test_classify_json_hits_choice),
        cmocka_unit_test(test_classify_escalation_compares_severity),
        cmocka_unit_test(test_classify_escalation_type_matches_also),
        cmocka_unit_test(test_classify_also_and_close_call),
        cmocka_unit_test(test_classify_confidence_is_top_over_top_second_one),
        cmocka_unit_test(test_classify_detects_language),
        cmocka_unit_test(test_classify_modes_per_condition),
        cmocka_unit_test(test_classify_regex_cues),
        cmocka_unit_test(test_classify_scripts_first_per_group_in_the_complaints_language),
        cmocka_unit_test(test_classify_json_carries_tags_with_data),
        cmocka_unit_test(test_classify_json_escapes_id_and_text),
        cmocka_unit_test(test_classify_trace_only_when_enabled),
        cmocka_unit_test(test_classify_check_reply_finds_phrases_with_spans),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
