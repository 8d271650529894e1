/* test_normalize.c - folding of text and keywords, offset and code point maps. */
#include "test_util.h"
#include "normalize.h"
#include "t2s_table.h"

/* Fold 'len' bytes of 'in' and require exactly 'want' (NUL-terminated). */
static void fold_len(struct tri_norm *n, const char *in, size_t len,
                     const char *want)
{
    assert_int_equal(tri_normalize(n, in, len), TRIAGE_OK);
    assert_int_equal(n->len, strlen(want));
    assert_memory_equal(n->text, want, strlen(want) + 1);
}

static void fold(struct tri_norm *n, const char *in, const char *want)
{
    fold_len(n, in, strlen(in), want);
}

static int setup(void **state)
{
    struct tri_norm *n = malloc(sizeof *n);

    if (n == NULL)
        return -1;
    tri_norm_init(n);
    *state = n;
    return 0;
}

static int teardown(void **state)
{
    tri_norm_free(*state);
    free(*state);
    return 0;
}

static void test_normalize_folds_ascii_case(void **state)
{
    struct tri_norm *n = *state;

    fold(n, "Refund NOW, Pharmacy!", "refund now, pharmacy!");
    assert_int_equal(n->latin, 17);
    assert_int_equal(n->identity, 0);
    fold(n, "AZaz@[`{", "azaz@[`{");
}

static void test_normalize_folds_full_width(void **state)
{
    struct tri_norm *n = *state;

    fold(n, "ＡＢＣｘ１２３", "abcx123");
    fold(n, "，！？；：（）", ",!?;:()");
    fold(n, "退款，谢谢！", "退款,谢谢!");
    /* Full-width letters are not ASCII letters of the input. */
    assert_int_equal(n->latin, 0);
    /* Other NFKC and case folds go through utf8proc. */
    fold(n, "Éﬁß\u212B", "\xc3\xa9" "fiss" "\xc3\xa5");
}

static void test_normalize_maps_traditional_to_simplified(void **state)
{
    struct tri_norm *n = *state;

    fold(n, "藥品發霉", "药品发霉");
    assert_int_equal(n->han, 4);
    assert_int_equal(n->han_trad, 2);
    fold(n, "沒有過敏", "没有过敏");
    assert_int_equal(n->han_trad, 2);
    /* A compatibility ideograph: NFKC to U+8C48, then t2s to U+5C82. */
    fold(n, "\xef\xa4\x80", "\xe5\xb2\x82");
    assert_int_equal(n->han, 1);
    assert_int_equal(n->han_trad, 1);
    assert_int_equal(tri_t2s(0x85E5), 0x836F);
    assert_int_equal(tri_t2s('a'), 'a');
    assert_int_equal(tri_t2s(0x836F), 0x836F);
}

static void test_normalize_drops_space_between_han(void **state)
{
    struct tri_norm *n = *state;

    fold(n, "退 款", "退款");
    fold(n, "退　款", "退款");
    fold(n, "退 \t\u3000\u00a0 款", "退款");
    fold(n, "退\n款", "退\n款");
    fold(n, "退 \r\n 款", "退\n款");
    fold(n, "退 a", "退 a");
    fold(n, "a 款", "a 款");
    fold(n, "退 ，", "退 ,");
}

static void test_normalize_collapses_white_space(void **state)
{
    struct tri_norm *n = *state;

    fold(n, "refund now", "refund now");
    assert_int_equal(n->identity, 1);
    fold(n, "refund \t\u00a0\u3000 now", "refund now");
    fold(n, "refund \r\n\n now", "refund\nnow");
    fold(n, "  refund  ", " refund ");
    fold(n, "\n\n", "\n");
    fold(n, "a\u2028b", "a\nb");
}

static void test_normalize_removes_zero_width(void **state)
{
    struct tri_norm *n = *state;

    fold(n, "退\u200b款", "退款");
    fold(n, "\ufeffre\u00adfu\u2060nd\u200d", "refund");
    fold(n, "\u2764\ufe0f", "\u2764");
    fold(n, "\u8fd4\U000E0100\u6b3e", "\u8fd4\u6b3e");
    /* Invisible characters inside a run don't stop Han joining. */
    fold(n, "退 \u200b 款", "退款");
}

static void test_normalize_maps_offsets(void **state)
{
    struct tri_norm *n = *state;
    /* x ZWSP Y z: the bytes after the removed character point past it. */
    static const uint32_t zw[] = { 0, 4, 5, 6 };
    /* A B(full width) space-run c */
    static const uint32_t fw[] = { 0, 1, 4, 7, 8 };
    /* U+346E folds to U+2B748: 3 bytes become 4. */
    static const uint32_t grow[] = { 0, 0, 0, 0, 3, 4, 5 };
    size_t i;

    fold(n, "x\u200bYz", "xyz");
    for (i = 0; i <= n->len; i++)
        assert_int_equal(tri_norm_orig(n, i), zw[i]);
    fold(n, "aＢ \t c", "ab c");
    for (i = 0; i <= n->len; i++)
        assert_int_equal(tri_norm_orig(n, i), fw[i]);
    fold(n, "\u346eXy", "\U0002B748xy");
    for (i = 0; i <= n->len; i++)
        assert_int_equal(tri_norm_orig(n, i), grow[i]);
}

static void test_normalize_indexes_code_points(void **state)
{
    struct tri_norm *n = *state;
    static const uint32_t han[] = { 0, 1, 1, 1, 2, 3 };
    /* U+FB01 folds to two code points that share one source. */
    static const uint32_t lig[] = { 0, 1, 2, 3, 3, 3, 4 };
    static const uint32_t lig_orig[] = { 0, 1, 1, 4, 4, 4, 7 };
    size_t i;

    fold(n, "a退b", "a退b");
    for (i = 0; i <= n->len; i++)
        assert_int_equal(n->cp[i], han[i]);
    fold(n, "a\ufb01退", "afi退");
    for (i = 0; i <= n->len; i++) {
        assert_int_equal(n->cp[i], lig[i]);
        assert_int_equal(tri_norm_orig(n, i), lig_orig[i]);
    }
}

static void test_normalize_sets_identity_for_folded_text(void **state)
{
    struct tri_norm *n = *state;

    fold(n, "refund 退款 now, 谢谢。", "refund 退款 now, 谢谢。");
    assert_int_equal(n->identity, 1);
    assert_int_equal(n->cp[n->len], 18);
    fold(n, "Refund", "refund");
    assert_int_equal(n->identity, 0);
    fold(n, "a  b", "a b");
    assert_int_equal(n->identity, 0);
    fold(n, "藥", "药");
    assert_int_equal(n->identity, 0);
}

struct bad_case {
    const char *in;
    size_t len;
    const char *want;
    uint32_t orig[16];
};

#define FFFD "\xef\xbf\xbd"

static void test_normalize_replaces_invalid_utf8(void **state)
{
    struct tri_norm *n = *state;
    static const struct bad_case cases[] = {
        /* lone continuation byte */
        { "a\x80" "b", 3, "a" FFFD "b", { 0, 1, 1, 1, 2, 3 } },
        /* overlong: C0 never starts a sequence, AF is then stray */
        { "a\xc0\xaf" "b", 4, "a" FFFD FFFD "b",
          { 0, 1, 1, 1, 2, 2, 2, 3, 4 } },
        /* overlong three-byte form */
        { "\xe0\x80\xaf", 3, FFFD FFFD FFFD, { 0, 0, 0, 1, 1, 1, 2, 2, 2, 3 } },
        /* surrogate: ED then A0 is out of range */
        { "\xed\xa0\x80" "b", 4, FFFD FFFD FFFD "b",
          { 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 4 } },
        /* byte F5 */
        { "a\xf5", 2, "a" FFFD, { 0, 1, 1, 1, 2 } },
        /* above U+10FFFF */
        { "\xf4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD,
          { 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4 } },
        /* truncated at the end: one replacement for the whole subpart */
        { "ab\xe5\x8f", 4, "ab" FFFD, { 0, 1, 2, 2, 2, 4 } },
        /* truncated in the middle, before ASCII and before a Han lead */
        { "\xe5\x8f" "b\xe5\x8f\xe5\x8f\x96", 8, FFFD "b" FFFD "取",
          { 0, 0, 0, 2, 3, 3, 3, 5, 5, 5, 8 } },
        /* truncated four-byte sequence */
        { "\xf0\x9f\x98x", 4, FFFD "x", { 0, 0, 0, 3, 4 } },
    };
    size_t c, i;

    for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        fold_len(n, cases[c].in, cases[c].len, cases[c].want);
        assert_int_equal(n->invalid_utf8, 1);
        assert_int_equal(n->identity, 0);
        for (i = 0; i <= n->len; i++)
            assert_int_equal(n->orig[i], cases[c].orig[i]);
    }
    fold(n, "ok \U0010FFFF \ufffd", "ok \U0010FFFF \ufffd");
    assert_int_equal(n->invalid_utf8, 0);
}

static void test_normalize_folds_nul_to_space(void **state)
{
    struct tri_norm *n = *state;

    fold_len(n, "a\0b", 3, "a b");
    assert_int_equal(n->orig[1], 1);
    fold_len(n, "\0", 1, " ");
    fold_len(n, "a\0\0 b\0", 6, "a b ");
    assert_int_equal(n->invalid_utf8, 0);
}

static void test_normalize_accepts_empty_input(void **state)
{
    struct tri_norm *n = *state;

    fold_len(n, "", 0, "");
    assert_int_equal(n->identity, 1);
    assert_int_equal(n->cp[0], 0);
    assert_int_equal(tri_norm_orig(n, 0), 0);
    fold_len(n, NULL, 0, "");
    fold(n, " ", " ");
    assert_int_equal(n->cp[1], 1);
}

static void test_normalize_reuses_buffers(void **state)
{
    struct tri_norm *n = *state;
    size_t big = 3000, i;
    char *in = malloc(big * 3 + 1);
    char *want = malloc(big * 3 + 1);

    assert_non_null(in);
    assert_non_null(want);
    for (i = 0; i < big; i++) {
        memcpy(in + 3 * i, "藥", 3);
        memcpy(want + 3 * i, "药", 3);
    }
    in[big * 3] = want[big * 3] = '\0';
    fold(n, in, want);
    assert_int_equal(n->han, big);
    assert_int_equal(n->cp[n->len], big);
    assert_int_equal(n->orig[n->len - 1], 3 * big - 3);
    fold(n, "Ab", "ab");
    assert_int_equal(n->han, 0);
    assert_int_equal(n->latin, 2);
    assert_int_equal(n->cp[2], 2);
    assert_int_equal(n->orig[2], 2);
    fold(n, in, want);
    assert_int_equal(n->han_trad, big);
    free(in);
    free(want);
}

static void test_normalize_counts_scripts(void **state)
{
    struct tri_norm *n = *state;

    fold(n, "Refund 藥品 ok 沒 \xe3\x80\x87", "refund 药品 ok 没\xe3\x80\x87");
    assert_int_equal(n->han, 4);
    assert_int_equal(n->han_trad, 2);
    assert_int_equal(n->latin, 8);
}

static void test_normalize_classifies_han(void **state)
{
    (void)state;
    assert_true(tri_is_han(0x4E00));
    assert_true(tri_is_han(0x9FFF));
    assert_true(tri_is_han(0x3400));
    assert_true(tri_is_han(0x3007));
    assert_true(tri_is_han(0x20000));
    assert_true(tri_is_han(0x2EBEF));
    assert_true(tri_is_han(0xF900));
    assert_true(tri_is_han(0x2FA1F));
    assert_false(tri_is_han('a'));
    assert_false(tri_is_han(0x3001));
    assert_false(tri_is_han(0x3000));
    assert_false(tri_is_han(0xAC00));
    assert_false(tri_is_han(0x4DC0));
}

static void test_normalize_rejects_bad_arguments(void **state)
{
    struct tri_norm *n = *state;
    struct tri_norm z;

    assert_int_equal(tri_normalize(n, "x", (size_t)0x80000000u), TRIAGE_ELIMIT);
    assert_int_equal(tri_normalize(n, NULL, 1), TRIAGE_EINVAL);
    assert_int_equal(tri_normalize(NULL, "x", 1), TRIAGE_EINVAL);
    tri_norm_init(&z);
    tri_norm_free(&z);
    tri_norm_free(&z);
    tri_norm_free(NULL);
    assert_null(z.text);
    assert_int_equal(z.cap, 0);
}

static void test_normalize_drops_pinyin_annotations(void **state)
{
    struct tri_norm *n = *state;

    /* "醫(yī)藥網(wǎng)" as garbled web pages print it. */
    fold(n, "醫(yī)藥網(wǎng)", "医药网");
    assert_int_equal(n->orig[3], 8);      /* 药 comes from byte 8 */
    assert_int_equal(n->orig[6], 11);     /* 网 from byte 11      */
    fold(n, "過（guò）敏", "过敏");
    /* Not pinyin: after Latin text, too long, digits, unclosed. */
    fold(n, "took it (daily)", "took it (daily)");
    fold(n, "阿莫西林(amoxicillin)", "阿莫西林(amoxicillin)");
    fold(n, "药(a1)", "药(a1)");
    fold(n, "药(abc", "药(abc");
}

static size_t put_utf8(char *out, uint32_t c)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* The fast path for U+4E00..U+9FFF must agree with tri_t2s() on every
 * character of the block, keep offsets and count scripts like the rest. */
static void test_normalize_han_fast_path_agrees_with_t2s(void **state)
{
    struct tri_norm *n = *state;
    char in[16], want[16];
    uint32_t c, s;
    size_t k, w;

    for (c = 0x4E00; c <= 0x9FFF; c++) {
        k = put_utf8(in, 'x');
        k += put_utf8(in + k, c);
        k += put_utf8(in + k, ' ');
        k += put_utf8(in + k, c);
        s = tri_t2s(c);
        w = put_utf8(want, 'x');
        w += put_utf8(want + w, s);
        w += put_utf8(want + w, s);   /* the space between Han is dropped */
        want[w] = 0;
        in[k] = 0;
        assert_int_equal(tri_normalize(n, in, k), TRIAGE_OK);
        if (n->len != w || memcmp(n->text, want, w + 1) != 0)
            fail_msg("U+%04X folds to '%s', want '%s'", (unsigned)c, n->text, want);
        assert_int_equal(n->han, 2);
        assert_int_equal(n->han_trad, s != c ? 2 : 0);
        assert_int_equal(tri_norm_orig(n, w - put_utf8(want, s)), 5);
    }
}

/* The bitmap of changing characters, the direct table and the pair list
 * are three generated views of one dictionary: every pair of the direct
 * range has its bit and its entry, and no other bit is set. */
static void test_t2s_bitmap_matches_the_pairs(void **state)
{
    unsigned i, in_range = 0, bits = 0;
    uint32_t k;

    (void)state;
    for (i = 0; i < tri_t2s_count; i++) {
        uint32_t t = tri_t2s_pairs[i].trad;

        if (t < TRI_T2S_DENSE_FIRST || t > TRI_T2S_DENSE_END)
            continue;
        in_range++;
        assert_true(TRI_T2S_CHANGES(t - TRI_T2S_DENSE_FIRST));
        assert_int_equal(tri_t2s(t), tri_t2s_pairs[i].simp);
    }
    for (k = 0; k <= TRI_T2S_DENSE_END - TRI_T2S_DENSE_FIRST; k++)
        bits += TRI_T2S_CHANGES(k);
    assert_true(in_range > 2000);
    assert_int_equal(bits, in_range);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_normalize_folds_ascii_case),
        T(test_normalize_folds_full_width),
        T(test_normalize_maps_traditional_to_simplified),
        T(test_normalize_drops_space_between_han),
        T(test_normalize_collapses_white_space),
        T(test_normalize_removes_zero_width),
        T(test_normalize_maps_offsets),
        T(test_normalize_indexes_code_points),
        T(test_normalize_sets_identity_for_folded_text),
        T(test_normalize_replaces_invalid_utf8),
        T(test_normalize_folds_nul_to_space),
        T(test_normalize_accepts_empty_input),
        T(test_normalize_reuses_buffers),
        T(test_normalize_counts_scripts),
        T(test_normalize_classifies_han),
        T(test_normalize_rejects_bad_arguments),
        T(test_normalize_drops_pinyin_annotations),
        T(test_normalize_han_fast_path_agrees_with_t2s),
        cmocka_unit_test(test_t2s_bitmap_matches_the_pairs),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
