/* test_threads.c - one shared rule set, one scratch per thread: threads get
 * exactly the single-thread results. Worker threads only record; every
 * assertion runs on the main thread (cmocka is not thread-safe). */
#include <pthread.h>
#include <time.h>
#include "test_util.h"

#define DATA "tests/data/"
#define N_TEXTS 200
#define N_THREADS 4
#define ROUNDS 3

static const char *const parts[] = {
    "我吃了这个药以后过敏了", "吃了以后没有过敏", "吃了会不会过敏？", "藥品發霉了",
    "批号：AB1234有问题", "没效果，我要退款", "no rash, but know rash", "I got a rash",
    "已退款，还要退款", "吃药一二三头晕", "没有说明书", "过敏了怎么办？",
    "我要砸店", "吃药后休克", "没有任何不良反应，就是没效果", "退 款", "\xff\xfe过敏\x80",
    "ＡＢＣ\u200b過敏", "it is useless", "一切正常，谢谢",
};
#define N_PARTS (sizeof parts / sizeof parts[0])

struct job {
    const triage_ruleset *rs;
    char *const *texts;
    char *json[N_TEXTS];       /* the last round's JSON per text */
    unsigned first;            /* each thread starts somewhere else */
    int failures;              /* calls that did not return TRIAGE_OK */
    int mismatches;            /* rounds that disagreed with round 1  */
};

static triage_ruleset *compile_path(const char *path)
{
    triage_compiler *c = NULL;
    triage_ruleset *rs = NULL;

    assert_int_equal(triage_compiler_create(&c), TRIAGE_OK);
    assert_int_equal(triage_compiler_add_path(c, path), TRIAGE_OK);
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_OK);
    triage_compiler_destroy(c);
    return rs;
}

/* Text i: one to three fragments, joined by ，. Deterministic. */
static char **make_texts(void)
{
    char **t = calloc(N_TEXTS, sizeof *t);
    unsigned i;

    assert_non_null(t);
    for (i = 0; i < N_TEXTS; i++) {
        char buf[512];
        const char *a = parts[i % N_PARTS], *b = parts[(i * 7 + 3) % N_PARTS],
                   *c = parts[(i * 13 + 5) % N_PARTS];

        if (i < N_PARTS)
            snprintf(buf, sizeof buf, "%s", a);
        else if (i % 3 == 0)
            snprintf(buf, sizeof buf, "%s，%s", a, b);
        else
            snprintf(buf, sizeof buf, "%s，%s。%s", a, b, c);
        t[i] = strdup(buf);
        assert_non_null(t[i]);
    }
    return t;
}

static char *classify_json(const triage_ruleset *rs, triage_scratch *s,
                           const char *text, triage_status *st)
{
    const triage_result *r = NULL;
    const char *js = NULL;
    size_t len = 0;

    *st = triage_classify(rs, s, text, strlen(text), &r);
    if (*st == TRIAGE_OK)
        *st = triage_result_json(r, NULL, &js, &len);
    return *st == TRIAGE_OK ? strndup(js, len) : NULL;
}

static void *worker(void *arg)
{
    struct job *j = arg;
    triage_scratch *s = NULL;
    triage_status st;
    unsigned round, k;

    if (triage_scratch_create(j->rs, &s) != TRIAGE_OK) {
        j->failures++;
        return NULL;
    }
    for (round = 0; round < ROUNDS; round++)
        for (k = 0; k < N_TEXTS; k++) {
            unsigned i = (j->first + k) % N_TEXTS;
            char *js = classify_json(j->rs, s, j->texts[i], &st);

            if (js == NULL) {
                j->failures++;
                continue;
            }
            if (j->json[i] != NULL && strcmp(j->json[i], js) != 0)
                j->mismatches++;
            free(j->json[i]);
            j->json[i] = js;
        }
    triage_scratch_destroy(s);
    return NULL;
}

static void test_threads_share_one_ruleset_and_agree_with_one_thread(void **state)
{
    /* The reference comes from a rule set of its own: the threads start on
     * one that has classified nothing, so they race to JIT-compile its
     * regexes on first use (engine/match.c). */
    triage_ruleset *rs = compile_path(DATA "classify.yaml");
    triage_ruleset *ref_rs = compile_path(DATA "classify.yaml");
    char **texts = make_texts(), *ref[N_TEXTS];
    struct job *jobs = calloc(N_THREADS, sizeof *jobs);
    pthread_t th[N_THREADS];
    triage_scratch *s = NULL;
    triage_status st;
    unsigned i, t, distinct = 0;

    (void)state;
    assert_non_null(jobs);
    assert_int_equal(triage_scratch_create(ref_rs, &s), TRIAGE_OK);
    for (i = 0; i < N_TEXTS; i++) {
        ref[i] = classify_json(ref_rs, s, texts[i], &st);
        assert_int_equal(st, TRIAGE_OK);
        assert_non_null(ref[i]);
        distinct += i == 0 || strcmp(ref[i], ref[i - 1]) != 0;
    }
    triage_scratch_destroy(s);
    /* The texts really differ in their results (a constant would agree). */
    assert_true(distinct > N_TEXTS / 2);

    for (t = 0; t < N_THREADS; t++) {
        jobs[t].rs = rs;
        jobs[t].texts = texts;
        jobs[t].first = t * (N_TEXTS / N_THREADS);
        assert_int_equal(pthread_create(&th[t], NULL, worker, &jobs[t]), 0);
    }
    for (t = 0; t < N_THREADS; t++)
        assert_int_equal(pthread_join(th[t], NULL), 0);
    for (t = 0; t < N_THREADS; t++) {
        assert_int_equal(jobs[t].failures, 0);
        assert_int_equal(jobs[t].mismatches, 0);
        for (i = 0; i < N_TEXTS; i++) {
            assert_non_null(jobs[t].json[i]);
            if (strcmp(jobs[t].json[i], ref[i]) != 0)
                fail_msg("thread %u, text %u:\n  %s\nwant\n  %s", t, i,
                         jobs[t].json[i], ref[i]);
            free(jobs[t].json[i]);
        }
    }
    for (i = 0; i < N_TEXTS; i++) {
        free(ref[i]);
        free(texts[i]);
    }
    free(texts);
    free(jobs);
    triage_ruleset_destroy(rs);
    triage_ruleset_destroy(ref_rs);
}

static void test_threads_scratch_of_another_ruleset_is_refused(void **state)
{
    triage_ruleset *a = compile_path(DATA "classify.yaml");
    triage_ruleset *b = compile_path(DATA "minimal.yaml");
    triage_scratch *sa = NULL, *sb = NULL;
    const triage_result *r = (const triage_result *)&r;
    const triage_reply_issue *is;
    unsigned n;

    (void)state;
    assert_int_equal(triage_scratch_create(a, &sa), TRIAGE_OK);
    assert_int_equal(triage_scratch_create(b, &sb), TRIAGE_OK);
    assert_int_equal(triage_classify(b, sa, "过敏", 6, &r), TRIAGE_EMISMATCH);
    assert_null(r);
    assert_int_equal(triage_classify(a, sb, "过敏", 6, &r), TRIAGE_EMISMATCH);
    assert_int_equal(triage_check_reply(b, sa, "与我无关", 12, 0, &is, &n),
                     TRIAGE_EMISMATCH);
    /* The scratch still works with its own rule set. */
    assert_int_equal(triage_classify(a, sa, "过敏", 6, &r), TRIAGE_OK);
    assert_string_equal(triage_result_type(r), "adverse_reaction");
    assert_int_equal(triage_classify(b, sb, "过敏", 6, &r), TRIAGE_OK);
    assert_string_equal(triage_result_type(r), "adverse_reaction");
    triage_scratch_destroy(sa);
    triage_scratch_destroy(sb);
    triage_ruleset_destroy(a);
    triage_ruleset_destroy(b);
}

/* Two threads on one scratch: the second call is refused, never mixed. */
struct busy_job {
    const triage_ruleset *rs;
    triage_scratch *s;
    const char *text;
    size_t len;
    int stop;            /* atomic: set by the main thread */
    int ok, busy, other;
};

static void *busy_worker(void *arg)
{
    struct busy_job *j = arg;
    const triage_result *r;

    while (!__atomic_load_n(&j->stop, __ATOMIC_RELAXED)) {
        triage_status st = triage_classify(j->rs, j->s, j->text, j->len, &r);

        if (st == TRIAGE_OK)
            __atomic_add_fetch(&j->ok, 1, __ATOMIC_RELAXED);
        else if (st == TRIAGE_ESCRATCH_BUSY)
            __atomic_add_fetch(&j->busy, 1, __ATOMIC_RELAXED);
        else
            __atomic_add_fetch(&j->other, 1, __ATOMIC_RELAXED);
        if (__atomic_load_n(&j->busy, __ATOMIC_RELAXED) > 0)
            break;
    }
    return NULL;
}

static void test_threads_shared_scratch_reports_busy(void **state)
{
    static const char pattern[] = "过敏，no rash. ";
    triage_ruleset *rs = compile_path(DATA "classify.yaml");
    struct busy_job j;
    pthread_t th[2];
    size_t i, len = 1u << 20;
    char *text = malloc(len);
    struct timespec t0, t1;

    (void)state;
    assert_non_null(text);
    for (i = 0; i < len; i++)
        text[i] = pattern[i % (sizeof pattern - 1)];
    memset(&j, 0, sizeof j);
    j.rs = rs;
    j.text = text;
    j.len = len;
    assert_int_equal(triage_scratch_create(rs, &j.s), TRIAGE_OK);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(pthread_create(&th[0], NULL, busy_worker, &j), 0);
    assert_int_equal(pthread_create(&th[1], NULL, busy_worker, &j), 0);
    do {
        struct timespec nap = { 0, 5000000 };

        nanosleep(&nap, NULL);
        clock_gettime(CLOCK_MONOTONIC, &t1);
    } while (__atomic_load_n(&j.busy, __ATOMIC_RELAXED) == 0 &&
             t1.tv_sec - t0.tv_sec < 10);
    __atomic_store_n(&j.stop, 1, __ATOMIC_RELAXED);
    assert_int_equal(pthread_join(th[0], NULL), 0);
    assert_int_equal(pthread_join(th[1], NULL), 0);
    assert_int_equal(j.other, 0);
    assert_true(j.busy > 0);
    /* The flag is released: the scratch works again. */
    {
        const triage_result *r = NULL;

        assert_int_equal(triage_classify(rs, j.s, "过敏", 6, &r), TRIAGE_OK);
        assert_int_equal(triage_result_fired_count(r), 1);
    }
    triage_scratch_destroy(j.s);
    triage_ruleset_destroy(rs);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_share_one_ruleset_and_agree_with_one_thread),
        cmocka_unit_test(test_threads_scratch_of_another_ruleset_is_refused),
        cmocka_unit_test(test_threads_shared_scratch_reports_busy),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
