/* test_buf.c - the byte buffer's JSON pieces: strings and numbers. */
#include "test_util.h"
#include "internal.h"

static void expect_json_str(const char *in, size_t len, const char *want)
{
    struct tri_buf b = { NULL, 0, 0, 0 };

    assert_int_equal(tri_buf_json_str(&b, in, len), TRIAGE_OK);
    assert_string_equal(b.data, want);
    tri_buf_free(&b);
}

static void expect_num(double v, int places, int trim, const char *want)
{
    struct tri_buf b = { NULL, 0, 0, 0 };

    assert_int_equal(tri_buf_num(&b, v, places, trim), TRIAGE_OK);
    assert_string_equal(b.data, want);
    tri_buf_free(&b);
}

static void test_json_str_escapes(void **state)
{
    (void)state;
    expect_json_str("a\"b\\c", 5, "\"a\\\"b\\\\c\"");
    expect_json_str("\n\x01", 2, "\"\\u000a\\u0001\"");
    expect_json_str("", 0, "\"\"");
    expect_json_str("a\0b", 3, "\"a\\u0000b\"");
}

static void test_json_str_keeps_valid_utf8(void **state)
{
    (void)state;
    expect_json_str("退款 ok 😀", strlen("退款 ok 😀"), "\"退款 ok 😀\"");
    expect_json_str("\xc2\xa9", 2, "\"\xc2\xa9\"");
}

static void test_json_str_replaces_invalid_utf8(void **state)
{
    (void)state;
    /* Lone continuation, overlong, surrogate, past U+10FFFF, truncated. */
    expect_json_str("a\x80z", 3, "\"a\xef\xbf\xbdz\"");
    expect_json_str("\xc0\xaf", 2, "\"\xef\xbf\xbd\xef\xbf\xbd\"");
    expect_json_str("\xe0\x80\xaf", 3, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
    expect_json_str("\xed\xa0\x80", 3, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
    expect_json_str("\xf4\x90\x80\x80", 4,
                    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
    expect_json_str("\xe8\xbf", 2, "\"\xef\xbf\xbd\xef\xbf\xbd\"");
}

static void test_num_formats(void **state)
{
    (void)state;
    expect_num(2, 6, 1, "2");
    expect_num(1.5, 6, 1, "1.5");
    expect_num(0.75, 3, 0, "0.750");
    expect_num(1.0 / 3, 3, 0, "0.333");
    expect_num(2.0 / 3, 3, 0, "0.667");
    expect_num(0.8125, 3, 0, "0.812");   /* an exact half: to even, as printf */
    expect_num(0.9996, 3, 0, "1.000");
    expect_num(-2.25, 6, 1, "-2.25");
    expect_num(-0.0000001, 3, 1, "0");
    expect_num(123456.000001, 6, 1, "123456.000001");
    expect_num(0.0 / 0.0, 3, 1, "0");
    expect_num(1e300, 3, 1, "0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_str_escapes),
        cmocka_unit_test(test_json_str_keeps_valid_utf8),
        cmocka_unit_test(test_json_str_replaces_invalid_utf8),
        cmocka_unit_test(test_num_formats),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
