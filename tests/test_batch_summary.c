/*
 * test_batch_summary.c - the counting behind `triage batch --summary`
 * (cli/batch_summary.c): every key counted once per add, in first-seen
 * order, however many distinct keys a year's log brings.
 */
#include "test_util.h"
#include "batch_summary.h"

static void free_tally(struct tally *t)
{
    size_t i;

    for (i = 0; i < t->n; i++)
        free(t->keys[i]);
    free(t->keys);
    free(t->counts);
    free(t->slots);
}

/* 100,000 customers, customer k complaining k % 3 + 1 times, interleaved:
 * the index grows many times while counts accumulate. */
static void test_batch_summary_counts_many_keys_in_first_seen_order(void **state)
{
    struct tally t = { 0 };
    char key[32];
    size_t k, round;
    const size_t n = 100000;

    (void)state;
    for (round = 0; round < 3; round++)
        for (k = 0; k < n; k++) {
            if (k % 3 < round)
                continue;
            snprintf(key, sizeof key, "1380000%06zu", k);
            assert_int_equal(tally_add(&t, key), 0);
        }
    assert_int_equal(t.n, n);
    for (k = 0; k < n; k++) {
        snprintf(key, sizeof key, "1380000%06zu", k);
        assert_string_equal(t.keys[k], key);
        if (t.counts[k] != k % 3 + 1)
            fail_msg("%s counted %lu times, not %zu", key, t.counts[k], k % 3 + 1);
    }
    assert_true(t.n_slots >= 2 * t.n);   /* the index stays at most half full */
    free_tally(&t);
}

/* Keys a byte apart count apart; the empty key is a key. */
static void test_batch_summary_keeps_near_keys_apart(void **state)
{
    struct tally t = { 0 };

    (void)state;
    assert_int_equal(tally_add(&t, ""), 0);
    assert_int_equal(tally_add(&t, "L4"), 0);
    assert_int_equal(tally_add(&t, "L4 "), 0);
    assert_int_equal(tally_add(&t, "L4"), 0);
    assert_int_equal(tally_add(&t, ""), 0);
    assert_int_equal(t.n, 3);
    assert_string_equal(t.keys[1], "L4");
    assert_int_equal(t.counts[0], 2);
    assert_int_equal(t.counts[1], 2);
    assert_int_equal(t.counts[2], 1);
    free_tally(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batch_summary_counts_many_keys_in_first_seen_order),
        cmocka_unit_test(test_batch_summary_keeps_near_keys_apart),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
