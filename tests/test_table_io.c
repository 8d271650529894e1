/* test_table_io.c - saving and loading compiled tables: identical results
 * after a round trip, refusal of damaged, truncated and foreign files,
 * atomic saves. Header layout: engine/table_io.c struct tdb_header. */
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include "test_util.h"
#include "internal.h"

#define DATA "tests/data/"

/* struct tdb_header, as written by engine/table_io.c. */
#define HDR_SIZE 112
#define OFF_FORMAT 8
#define OFF_HEADER_SIZE 12
#define OFF_ENGINE 16
#define OFF_HS_VERSION 32
#define OFF_BODY_LEN 96
#define OFF_CRC 104

/* Small on purpose: its own short context keeps the Vectorscan database,
 * and so the table, small enough to flip every byte. */
static const char tiny_yaml[] =
    "ruleset: { name: tiny, version: '1' }\n"
    "context:\n"
    "  negation: [没有, 'no']\n"
    "  hypothetical: [如果]\n"
    "  terminators: [但是]\n"
    "rules:\n"
    "  - id: k.allergy\n"
    "    type: adverse_reaction\n"
    "    severity: high\n"
    "    tags: [adr]\n"
    "    match: { any: [过敏, rash], none: [不过敏] }\n"
    "  - id: k.lot\n"
    "    type: product_quality\n"
    "    match: { all: [药品, { regex: '批号(?<lot>[a-z0-9]{4,})' }], within: 10 }\n"
    "  - id: k.denied\n"
    "    type: inquiry\n"
    "    match: { all: [{ list: allergy, negated: only }, '?'] }\n"
    "lists:\n"
    "  - id: allergy\n"
    "    match: { any: [过敏] }\n"
    "escalation:\n"
    "  - when: { severity: '>= high', rules: [k.allergy] }\n"
    "    level: L3\n"
    "  - default: true\n"
    "    level: L1\n"
    "scripts:\n"
    "  - id: s1\n"
    "    group: g\n"
    "    lang: en\n"
    "    when: { level: [L3] }\n"
    "    text: sorry\n"
    "reply_checks:\n"
    "  - id: c1\n"
    "    phrases: [与我无关]\n";

static const char *const texts[] = {
    "我过敏了", "吃了以后没有过敏", "吃了会不会过敏？", "藥品發霉了，吃了還過敏",
    "药品批号AB1234有问题", "没效果，我要退款", "no rash, know rash",
    "I took it and got a rash", "我过敏了，要砸店", "过敏了怎么办？", "",
    "\xff\xfe过敏\x80", "没有过敏，能吃吗？",
};
#define N_TEXTS (sizeof texts / sizeof texts[0])

struct fx {
    char dir[64];
    triage_ruleset *classify, *tiny;
    unsigned char *tiny_tdb;       /* the saved tiny table */
    size_t tiny_len;
};

static triage_ruleset *compile_path(const char *path, const char *yaml)
{
    triage_compiler *c = NULL;
    triage_ruleset *rs = NULL;

    if (triage_compiler_create(&c) != TRIAGE_OK)
        return NULL;
    if ((yaml ? triage_compiler_add_string(c, "tiny.yaml", yaml, strlen(yaml))
              : triage_compiler_add_path(c, path)) != TRIAGE_OK ||
        triage_compiler_finish(c, &rs) != TRIAGE_OK)
        rs = NULL;
    triage_compiler_destroy(c);
    return rs;
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    unsigned char *buf;
    long n;

    if (fp == NULL)
        return NULL;
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    rewind(fp);
    buf = malloc((size_t)n + 1);
    if (buf != NULL && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

static void spit(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    if (len > 0)
        assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static void path_in(const struct fx *f, const char *name, char *out, size_t n)
{
    snprintf(out, n, "%s/%s", f->dir, name);
}

/* Remove every entry of the temporary folder (it holds plain files only). */
static void empty_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[512];

    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    closedir(d);
}

static unsigned count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    unsigned n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    char p[128];

    if (f == NULL)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/triage-tio-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    f->classify = compile_path(DATA "classify.yaml", NULL);
    f->tiny = compile_path(NULL, tiny_yaml);
    if (f->classify == NULL || f->tiny == NULL)
        return -1;
    path_in(f, "tiny.tdb", p, sizeof p);
    if (triage_ruleset_save(f->tiny, p) != TRIAGE_OK)
        return -1;
    f->tiny_tdb = slurp(p, &f->tiny_len);
    unlink(p);
    if (f->tiny_tdb == NULL || f->tiny_len <= HDR_SIZE)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    triage_ruleset_destroy(f->classify);
    triage_ruleset_destroy(f->tiny);
    free(f->tiny_tdb);
    empty_dir(f->dir);
    rmdir(f->dir);
    free(f);
    return 0;
}

/* JSON of 'text' under rs, copied (the scratch's string is reused). */
static char *json_for(const triage_ruleset *rs, triage_scratch *s, const char *text)
{
    const triage_result *r = NULL;
    const char *js = NULL;
    size_t len = 0;

    assert_int_equal(triage_classify(rs, s, text, strlen(text), &r), TRIAGE_OK);
    assert_int_equal(triage_result_json(r, "x", &js, &len), TRIAGE_OK);
    return strndup(js, len);
}

/* Same info, vocabularies, JSON for every text and reply-check count;
 * returns the number of reply issues found. */
static unsigned assert_same_results(const triage_ruleset *a, const triage_ruleset *b)
{
    triage_scratch *sa = NULL, *sb = NULL;
    triage_ruleset_info ia, ib;
    const triage_reply_issue *is;
    unsigned i, n1 = 0, n2 = 0, ax;

    assert_int_equal(triage_ruleset_get_info(a, &ia), TRIAGE_OK);
    assert_int_equal(triage_ruleset_get_info(b, &ib), TRIAGE_OK);
    assert_string_equal(ia.name, ib.name);
    assert_string_equal(ia.version, ib.version);
    assert_string_equal(ia.hash, ib.hash);
    assert_int_equal(ia.rules, ib.rules);
    assert_int_equal(ia.patterns, ib.patterns);
    assert_int_equal(ia.slow_patterns, ib.slow_patterns);
    assert_int_equal(ia.escalation_rows, ib.escalation_rows);
    assert_int_equal(ia.scripts, ib.scripts);
    for (ax = 0; ax < TRIAGE_AXIS_COUNT; ax++) {
        assert_int_equal(triage_vocab_count(a, (triage_axis)ax),
                         triage_vocab_count(b, (triage_axis)ax));
        for (i = 0; i < triage_vocab_count(a, (triage_axis)ax); i++)
            assert_string_equal(triage_vocab_name(a, (triage_axis)ax, i),
                                triage_vocab_name(b, (triage_axis)ax, i));
    }
    assert_int_equal(triage_scratch_create(a, &sa), TRIAGE_OK);
    assert_int_equal(triage_scratch_create(b, &sb), TRIAGE_OK);
    for (i = 0; i < N_TEXTS; i++) {
        char *ja = json_for(a, sa, texts[i]), *jb = json_for(b, sb, texts[i]);

        assert_non_null(ja);
        assert_non_null(jb);
        assert_string_equal(ja, jb);
        free(ja);
        free(jb);
    }
    assert_int_equal(triage_check_reply(a, sa, "这与我无关。请冷静", 27, 0, &is, &n1),
                     TRIAGE_OK);
    assert_int_equal(triage_check_reply(b, sb, "这与我无关。请冷静", 27, 0, &is, &n2),
                     TRIAGE_OK);
    assert_int_equal(n1, n2);
    triage_scratch_destroy(sa);
    triage_scratch_destroy(sb);
    return n1;
}

static void test_table_io_round_trip_gives_identical_results(void **state)
{
    struct fx *f = *state;
    triage_ruleset *back = NULL;
    triage_rule_info r1, r2;
    char p[128];
    unsigned i;

    path_in(f, "classify.tdb", p, sizeof p);
    assert_int_equal(triage_ruleset_save(f->classify, p), TRIAGE_OK);
    assert_int_equal(triage_ruleset_load(p, &back), TRIAGE_OK);
    assert_non_null(back);
    assert_int_equal(assert_same_results(f->classify, back), 2);
    assert_int_equal(triage_rule_count(back), triage_rule_count(f->classify));
    for (i = 0; i < triage_rule_count(back); i++) {
        assert_int_equal(triage_rule_get(f->classify, i, &r1), TRIAGE_OK);
        assert_int_equal(triage_rule_get(back, i, &r2), TRIAGE_OK);
        assert_string_equal(r1.id, r2.id);
        assert_string_equal(r1.file, r2.file);
        assert_int_equal(r1.line, r2.line);
        assert_float_equal(r1.weight, r2.weight, 0);
    }
    /* A loaded table saves to the same bytes. */
    {
        char p2[128];
        size_t l1, l2;
        unsigned char *b1, *b2;

        path_in(f, "again.tdb", p2, sizeof p2);
        assert_int_equal(triage_ruleset_save(back, p2), TRIAGE_OK);
        b1 = slurp(p, &l1);
        b2 = slurp(p2, &l2);
        assert_non_null(b1);
        assert_non_null(b2);
        assert_int_equal(l1, l2);
        assert_memory_equal(b1, b2, l1);
        free(b1);
        free(b2);
        unlink(p2);
    }
    triage_ruleset_destroy(back);
    unlink(p);
    /* The tiny table (own context, PCRE2 regex with a field) from memory. */
    assert_int_equal(triage_ruleset_load_mem(f->tiny_tdb, f->tiny_len, &back), TRIAGE_OK);
    assert_int_equal(assert_same_results(f->tiny, back), 1);
    {   /* a condition's own modes survive: k.denied counts the negated 过敏 */
        triage_scratch *s = NULL;
        char *js;

        assert_int_equal(triage_scratch_create(back, &s), TRIAGE_OK);
        js = json_for(back, s, texts[N_TEXTS - 1]);
        assert_non_null(strstr(js, "\"type\":\"inquiry\""));
        free(js);
        triage_scratch_destroy(s);
    }
    triage_ruleset_destroy(back);
}

static void test_table_io_round_trip_keeps_slow_regexes(void **state)
{
    static const char yaml[] =
        "rules:\n"
        "  - id: s.k\n"
        "    type: q\n"
        "    match: { regex: '批号(?C1)(?<lot>[a-z0-9]{4,})' }\n";
    struct fx *f = *state;
    triage_ruleset *rs = compile_path(NULL, yaml), *back = NULL;
    triage_ruleset_info info;
    triage_scratch *s = NULL;
    const triage_result *r;
    char p[128];

    assert_non_null(rs);
    path_in(f, "slow.tdb", p, sizeof p);
    assert_int_equal(triage_ruleset_save(rs, p), TRIAGE_OK);
    assert_int_equal(triage_ruleset_load(p, &back), TRIAGE_OK);
    assert_int_equal(triage_ruleset_get_info(back, &info), TRIAGE_OK);
    assert_int_equal(info.slow_patterns, 1);
    assert_int_equal(triage_scratch_create(back, &s), TRIAGE_OK);
    assert_int_equal(triage_classify(back, s, "批号AB12", 10, &r), TRIAGE_OK);
    assert_int_equal(triage_result_fired_count(r), 1);
    assert_int_equal(assert_same_results(rs, back), 0);
    triage_scratch_destroy(s);
    triage_ruleset_destroy(back);
    triage_ruleset_destroy(rs);
    unlink(p);
}

static void test_table_io_save_is_atomic(void **state)
{
    struct fx *f = *state;
    triage_ruleset *back = NULL;
    char p[128], bad[160];
    size_t len;
    unsigned char *data;

    empty_dir(f->dir);
    path_in(f, "atomic.tdb", p, sizeof p);
    assert_int_equal(triage_ruleset_save(f->tiny, p), TRIAGE_OK);
    assert_int_equal(count_entries(f->dir), 1);   /* no .tmp left behind */
    /* Replacing an existing file, and a file that was garbage. */
    spit(p, "garbage", 7);
    assert_int_equal(triage_ruleset_save(f->tiny, p), TRIAGE_OK);
    assert_int_equal(count_entries(f->dir), 1);
    data = slurp(p, &len);
    assert_non_null(data);
    assert_int_equal(len, f->tiny_len);
    assert_memory_equal(data, f->tiny_tdb, len);
    free(data);
    assert_int_equal(triage_ruleset_load(p, &back), TRIAGE_OK);
    triage_ruleset_destroy(back);
    /* Into a folder that does not exist: EIO, nothing written anywhere. */
    snprintf(bad, sizeof bad, "%s/no/such/dir/x.tdb", f->dir);
    assert_int_equal(triage_ruleset_save(f->tiny, bad), TRIAGE_EIO);
    assert_int_equal(count_entries(f->dir), 1);
    /* Onto a folder: the rename fails and the temporary file is removed. */
    snprintf(bad, sizeof bad, "%s/adir", f->dir);
    assert_int_equal(mkdir(bad, 0700), 0);
    assert_int_equal(triage_ruleset_save(f->tiny, bad), TRIAGE_EIO);
    assert_int_equal(count_entries(f->dir), 2);   /* atomic.tdb and adir */
    assert_int_equal(rmdir(bad), 0);
    unlink(p);
}

static triage_status load_copy(const unsigned char *data, size_t len)
{
    triage_ruleset *rs = (triage_ruleset *)&rs;
    triage_status st = triage_ruleset_load_mem(data, len, &rs);

    if (st == TRIAGE_OK)
        triage_ruleset_destroy(rs);
    else if (rs != NULL)
        fail_msg("failed load left *out set");
    return st;
}

static void test_table_io_refuses_every_flipped_body_byte(void **state)
{
    struct fx *f = *state;
    unsigned char *m = malloc(f->tiny_len);
    size_t i;
    char p[128];
    triage_ruleset *rs = NULL;

    assert_non_null(m);
    memcpy(m, f->tiny_tdb, f->tiny_len);
    assert_int_equal(load_copy(m, f->tiny_len), TRIAGE_OK);
    for (i = HDR_SIZE; i < f->tiny_len; i++) {
        m[i] ^= i & 1 ? 0xff : 0x01;
        if (load_copy(m, f->tiny_len) != TRIAGE_ECORRUPT)
            fail_msg("flipping body byte %zu was not refused", i);
        m[i] ^= i & 1 ? 0xff : 0x01;
    }
    /* Through a file too, with the message that says what to do. */
    m[f->tiny_len / 2] ^= 0x20;
    path_in(f, "flipped.tdb", p, sizeof p);
    spit(p, m, f->tiny_len);
    assert_int_equal(triage_ruleset_load(p, &rs), TRIAGE_ECORRUPT);
    assert_null(rs);
    assert_non_null(strstr(triage_strerror(TRIAGE_ECORRUPT), "recompile"));
    unlink(p);
    free(m);
}

/* The same on a real-size table: a prime stride giving about 400 bytes
 * across all fields, plus the first and last 64 bytes of the body. */
static void test_table_io_refuses_flipped_bytes_of_a_large_table(void **state)
{
    struct fx *f = *state;
    triage_ruleset *back = NULL;
    unsigned char *m;
    size_t len, i, stride;
    char p[128];

    path_in(f, "large.tdb", p, sizeof p);
    assert_int_equal(triage_ruleset_save(f->classify, p), TRIAGE_OK);
    m = slurp(p, &len);
    assert_non_null(m);
    unlink(p);
    assert_true(len > 100000);
    stride = len / 400 | 1;
    while (stride % 3 == 0 || stride % 5 == 0 || stride % 7 == 0)
        stride += 2;
    for (i = HDR_SIZE; i < len; i += (i < HDR_SIZE + 64 || i + 64 > len) ? 1 : stride) {
        m[i] ^= 0x80;
        if (load_copy(m, len) != TRIAGE_ECORRUPT)
            fail_msg("flipping body byte %zu of %zu was not refused", i, len);
        m[i] ^= 0x80;
    }
    assert_int_equal(triage_ruleset_load_mem(m, len, &back), TRIAGE_OK);
    triage_ruleset_destroy(back);
    free(m);
}

/* Damage the checksum cannot see (a flip with the CRC recomputed, as a
 * broken writer or an edited file would give): every load is refused or
 * gives a rule set that classifies without crashing or hanging. */
static void test_table_io_survives_damage_behind_a_good_checksum(void **state)
{
    static const unsigned char xors[] = { 0x01, 0xff, 0x10 };
    struct fx *f = *state;
    unsigned char *m = malloc(f->tiny_len);
    size_t i, x, loaded = 0, refused = 0, blob;
    uint32_t crc;

    assert_non_null(m);
    memcpy(m, f->tiny_tdb, f->tiny_len);
    crc = tri_crc32_update(tri_crc32(m + OFF_HS_VERSION, OFF_BODY_LEN - OFF_HS_VERSION),
                           m + HDR_SIZE, f->tiny_len - HDR_SIZE);
    assert_memory_equal(m + OFF_CRC, &crc, 4);   /* CRC-32 of library name, body */
    assert_int_equal(tri_tdb_crc(m, f->tiny_len), crc);
    /* The body ends with the Vectorscan blob: a u64 length, then bytes.
     * Vectorscan checks its own blob; the table before it is ours. */
    for (blob = HDR_SIZE; blob + 8 < f->tiny_len; blob++) {
        uint64_t n;

        memcpy(&n, m + blob, 8);
        if (blob + 8 + n == f->tiny_len)
            break;
    }
    assert_true(blob + 8 < f->tiny_len);
    for (i = HDR_SIZE; i < f->tiny_len; i += i < blob + 8 ? 1 : 31)
        for (x = 0; x < (i < blob + 8 ? sizeof xors : 1); x++) {
            triage_ruleset *rs = NULL;
            triage_scratch *s = NULL;
            const triage_result *r;
            const triage_reply_issue *is;
            const char *js;
            size_t k, jl;
            unsigned n;
            triage_status st;

            m[i] ^= xors[x];
            crc = tri_tdb_crc(m, f->tiny_len);
            memcpy(m + OFF_CRC, &crc, 4);
            st = triage_ruleset_load_mem(m, f->tiny_len, &rs);
            m[i] ^= xors[x];
            if (st != TRIAGE_OK) {
                refused++;
                assert_null(rs);
                continue;
            }
            loaded++;
            assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
            for (k = 0; k < 4; k++)
                if (triage_classify(rs, s, texts[k * 3 + 1], strlen(texts[k * 3 + 1]),
                                    &r) == TRIAGE_OK)
                    triage_result_json(r, NULL, &js, &jl);
            triage_check_reply(rs, s, "与我无关", 12, 1, &is, &n);
            triage_scratch_destroy(s);
            triage_ruleset_destroy(rs);
        }
    /* Both outcomes happen: the checks are neither absent nor blanket. */
    assert_true(refused > 0);
    assert_true(loaded > 0);
    free(m);
}

/* The checksum a table of 'len' bytes should carry, put in place. */
static void set_crc(unsigned char *m, size_t len)
{
    uint32_t crc = tri_tdb_crc(m, len);

    memcpy(m + OFF_CRC, &crc, 4);
}

static void put32(unsigned char *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

static void test_table_io_header_names_version_and_damage(void **state)
{
    struct fx *f = *state;
    unsigned char *m = malloc(f->tiny_len);
    uint32_t u, format;
    uint64_t body;
    unsigned char hs_name[OFF_BODY_LEN - OFF_HS_VERSION];

    assert_non_null(m);
    memcpy(m, f->tiny_tdb, f->tiny_len);
    /* The layout this test relies on. */
    assert_memory_equal(m, "TRIAGEDB", 8);
    memcpy(&format, m + OFF_FORMAT, 4);
    assert_int_equal(format, 14);
    memcpy(&u, m + OFF_HEADER_SIZE, 4);
    assert_int_equal(u, HDR_SIZE);
    assert_string_equal((const char *)m + OFF_ENGINE, TRIAGE_VERSION_STRING);
    memcpy(&body, m + OFF_BODY_LEN, 8);
    assert_int_equal(body, f->tiny_len - HDR_SIZE);

    m[0] = 'X';                                           /* magic */
    assert_int_equal(load_copy(m, f->tiny_len), TRIAGE_ECORRUPT);
    m[0] = 'T';
    put32(m + OFF_FORMAT, 99);                            /* format number */
    assert_int_equal(load_copy(m, f->tiny_len), TRIAGE_EVERSION);
    put32(m + OFF_FORMAT, 0);
    assert_int_equal(load_copy(m, f->tiny_len), TRIAGE_EVERSION);
    put32(m + OFF_FORMAT, format);
    put32(m + OFF_HEADER_SIZE, HDR_SIZE + 8);             /* header size */
    assert_int_equal(load_copy(m, f->tiny_len), TRIAGE_EVERSION);
    put32(m + OFF_HEADER_SIZE, HDR_SIZE);
    m[OFF_ENGINE + 4] ^= 1;                               /* "1.0.1" */
    assert_int_equal(load_copy(m, f->tiny_len), TRIAGE_EVERSION);
    m[OFF_ENGINE + 4] ^= 1;
    memcpy(m + OFF_ENGINE, "0.9.0", 5);                  /* older engine */
    assert_int_equal(load_copy(m, f->tiny_len), TRIAGE_EVERSION);
    memcpy(m + OFF_ENGINE, TRIAGE_VERSION_STRING, strlen(TRIAGE_VERSION_STRING));
    m[OFF_HS_VERSION] ^= 1;            /* Vectorscan's name: the CRC covers it */
    assert_int_equal(load_copy(m, f->tiny_len), TRIAGE_ECORRUPT);
    m[OFF_HS_VERSION] ^= 1;
    memcpy(hs_name, m + OFF_HS_VERSION, sizeof hs_name);
    memset(m + OFF_HS_VERSION, 'x', sizeof hs_name);   /* no NUL: not a name */
    set_crc(m, f->tiny_len);
    assert_int_equal(load_copy(m, f->tiny_len), TRIAGE_ECORRUPT);
    memcpy(m + OFF_HS_VERSION, hs_name, sizeof hs_name);
    set_crc(m, f->tiny_len);
    m[OFF_BODY_LEN] ^= 1;                                 /* body length */
    assert_int_equal(load_copy(m, f->tiny_len), TRIAGE_ECORRUPT);
    m[OFF_BODY_LEN] ^= 1;
    m[OFF_CRC] ^= 1;                                      /* checksum */
    assert_int_equal(load_copy(m, f->tiny_len), TRIAGE_ECORRUPT);
    m[OFF_CRC] ^= 1;
    assert_int_equal(load_copy(m, f->tiny_len), TRIAGE_OK);
    assert_non_null(strstr(triage_strerror(TRIAGE_EVERSION), "recompile"));
    free(m);
}

static void test_table_io_refuses_truncated_or_padded_file(void **state)
{
    struct fx *f = *state;
    const size_t cuts[] = { 0, 1, 8, HDR_SIZE - 1, HDR_SIZE, HDR_SIZE + 1,
                            HDR_SIZE + 200, f->tiny_len / 2, f->tiny_len - 1 };
    unsigned char *m = malloc(f->tiny_len + 1);
    triage_ruleset *rs = NULL;
    char p[128];
    size_t i;

    assert_non_null(m);
    memcpy(m, f->tiny_tdb, f->tiny_len);
    path_in(f, "cut.tdb", p, sizeof p);
    for (i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        triage_status st;

        spit(p, m, cuts[i]);
        st = triage_ruleset_load(p, &rs);
        if (st != TRIAGE_ECORRUPT)
            fail_msg("a table cut to %zu bytes gave '%s'", cuts[i], triage_strerror(st));
        assert_null(rs);
        assert_int_equal(load_copy(m, cuts[i]), TRIAGE_ECORRUPT);
    }
    m[f->tiny_len] = 0;                                   /* one byte too many */
    assert_int_equal(load_copy(m, f->tiny_len + 1), TRIAGE_ECORRUPT);
    unlink(p);
    free(m);
}

/* A Vectorscan database past 2 MiB is loaded into a mapping of the
 * loader's own (offered to huge pages) and scans exactly as the compiled
 * one: 32,000 made-up seven-letter keywords give about 3 MB. The words
 * run "w0 w1 ..." in one text so hits come from all over the database. */
static void test_table_io_large_vectorscan_database_maps_and_matches(void **state)
{
    struct fx *f = *state;
    struct tri_buf y = { 0 };
    triage_ruleset *rs, *back = NULL;
    triage_scratch *sa = NULL, *sb = NULL;
    const triage_result *ra, *rb;
    char word[8], p[128], text[2048] = "";
    uint32_t x = 12345u;
    unsigned r, w, k;

    assert_int_equal(tri_buf_add(&y, "rules:\n", 7), TRIAGE_OK);
    for (r = 0; r < 160; r++) {
        char head[64];

        snprintf(head, sizeof head, "  - id: r%u\n    type: other\n    match: { any: [", r);
        assert_int_equal(tri_buf_add(&y, head, strlen(head)), TRIAGE_OK);
        for (w = 0; w < 200; w++) {
            for (k = 0; k < 7; k++) {
                x = x * 1103515245u + 12345u;
                word[k] = "bcdfghjklmnpqrstvwxz"[(x >> 16) % 20];
            }
            word[7] = '\0';
            assert_int_equal(tri_buf_add(&y, w ? ", " : "", w ? 2 : 0), TRIAGE_OK);
            assert_int_equal(tri_buf_add(&y, word, 7), TRIAGE_OK);
            if (w == r % 200 && strlen(text) + 9 < sizeof text) {
                strcat(text, word);
                strcat(text, " ");
            }
        }
        assert_int_equal(tri_buf_add(&y, "] }\n", 4), TRIAGE_OK);
    }
    assert_int_equal(tri_buf_add(&y, "", 1), TRIAGE_OK);
    rs = compile_path(NULL, y.data);
    tri_buf_free(&y);
    assert_non_null(rs);
    path_in(f, "big-db.tdb", p, sizeof p);
    assert_int_equal(triage_ruleset_save(rs, p), TRIAGE_OK);
    assert_int_equal(triage_ruleset_load(p, &back), TRIAGE_OK);
    unlink(p);
    assert_non_null(back->hs[TRI_DB_WORDS].map);     /* the large-database path was taken */
    assert_null(rs->hs[TRI_DB_WORDS].map);           /* a compiled one is Vectorscan's   */
    assert_int_equal(triage_scratch_create(rs, &sa), TRIAGE_OK);
    assert_int_equal(triage_scratch_create(back, &sb), TRIAGE_OK);
    assert_int_equal(triage_classify(rs, sa, text, strlen(text), &ra), TRIAGE_OK);
    assert_int_equal(triage_classify(back, sb, text, strlen(text), &rb), TRIAGE_OK);
    assert_true(triage_result_hit_count(ra) >= 160);
    assert_int_equal(triage_result_hit_count(ra), triage_result_hit_count(rb));
    triage_scratch_destroy(sa);
    triage_scratch_destroy(sb);
    triage_ruleset_destroy(back);
    triage_ruleset_destroy(rs);
}

/* A loaded table JIT-compiles a regex on its first use, not at load: none
 * is compiled after loading, the lot regex is once a text nominates it,
 * and the second run uses the same copy and gives the same result. */
static void test_table_io_regexes_are_jit_compiled_on_first_use(void **state)
{
    struct fx *f = *state;
    triage_ruleset *back = NULL;
    triage_scratch *s = NULL;
    const triage_result *r;
    const char *json;
    char first[4096];
    size_t len;
    pcre2_code *jit = NULL;
    uint32_t i, regexes = 0, compiled = 0;

    assert_int_equal(triage_ruleset_load_mem(f->tiny_tdb, f->tiny_len, &back), TRIAGE_OK);
    for (i = 0; i < back->t.n_patterns; i++) {
        regexes += back->t.patterns[i].kind == TRI_PAT_REGEX;
        assert_null(atomic_load(&back->jit[i]));
    }
    assert_true(regexes > 0);
    assert_int_equal(triage_scratch_create(back, &s), TRIAGE_OK);
    assert_int_equal(triage_classify(back, s, "药品批号AB1234有问题", strlen("药品批号AB1234有问题"), &r), TRIAGE_OK);
    assert_int_equal(triage_result_json(r, NULL, &json, &len), TRIAGE_OK);
    snprintf(first, sizeof first, "%s", json);
    assert_non_null(strstr(first, "\"lot\":{\"value\":\"AB1234\""));
    for (i = 0; i < back->t.n_patterns; i++)
        if (atomic_load(&back->jit[i]) != NULL) {
            compiled++;
            jit = atomic_load(&back->jit[i]);
        }
    assert_int_equal(compiled, 1);
    assert_int_equal(triage_classify(back, s, "药品批号AB1234有问题", strlen("药品批号AB1234有问题"), &r), TRIAGE_OK);
    assert_int_equal(triage_result_json(r, NULL, &json, &len), TRIAGE_OK);
    assert_string_equal(json, first);
    for (i = 0, compiled = 0; i < back->t.n_patterns; i++)
        compiled += atomic_load(&back->jit[i]) == jit && jit != NULL;
    assert_int_equal(compiled, 1);
    triage_scratch_destroy(s);
    triage_ruleset_destroy(back);
}

/* The byte-at-a-time CRC-32 the table format was defined with. */
/* The saved bytes of 'rs' (malloc'd). */
static unsigned char *saved(const struct fx *f, const triage_ruleset *rs, size_t *len)
{
    char p[128];
    unsigned char *m;

    path_in(f, "saved.tdb", p, sizeof p);
    assert_int_equal(triage_ruleset_save(rs, p), TRIAGE_OK);
    m = slurp(p, len);
    assert_non_null(m);
    unlink(p);
    return m;
}

/* Load m, check why its databases were rebuilt and that it classifies as
 * 'want' does; then that saving it again gives a table that loads here
 * without a rebuild. */
static void assert_rebuilt_as(const struct fx *f, const unsigned char *m, size_t len,
                              triage_status why, const triage_ruleset *want)
{
    triage_ruleset *rs = NULL, *again = NULL;
    unsigned char *m2;
    size_t len2;

    assert_int_equal(triage_ruleset_load_mem(m, len, &rs), TRIAGE_OK);
    assert_int_equal(triage_ruleset_rebuilt(rs), why);
    assert_same_results(want, rs);
    m2 = saved(f, rs, &len2);
    assert_int_equal(triage_ruleset_load_mem(m2, len2, &again), TRIAGE_OK);
    assert_int_equal(triage_ruleset_rebuilt(again), TRIAGE_OK);
    assert_same_results(want, again);
    triage_ruleset_destroy(again);
    triage_ruleset_destroy(rs);
    free(m2);
}

/* A table saved with another Hyperscan library (another version, or
 * Vectorscan where this is Hyperscan) loads with its databases compiled
 * again from its patterns, and classifies as the original does. */
static void test_table_io_loads_a_table_of_another_library(void **state)
{
    static const char other[] = "5.4.9 another library";
    struct fx *f = *state;
    triage_ruleset *rs = NULL;
    size_t len;
    unsigned char *m = saved(f, f->classify, &len);

    assert_int_equal(triage_ruleset_rebuilt(f->classify), TRIAGE_OK);  /* compiled */
    assert_int_equal(triage_ruleset_rebuilt(NULL), TRIAGE_EINVAL);
    assert_int_equal(triage_ruleset_load_mem(m, len, &rs), TRIAGE_OK);
    assert_int_equal(triage_ruleset_rebuilt(rs), TRIAGE_OK);          /* native */
    triage_ruleset_destroy(rs);
    memset(m + OFF_HS_VERSION, 0, OFF_BODY_LEN - OFF_HS_VERSION);
    memcpy(m + OFF_HS_VERSION, other, sizeof other - 1);
    assert_int_equal(load_copy(m, len), TRIAGE_ECORRUPT);   /* name changed */
    set_crc(m, len);
    assert_rebuilt_as(f, m, len, TRIAGE_EVERSION, f->classify);
    free(m);
}

/* A foreign table holding a regex this library cannot take in its
 * database (as if the other library took it: the "slow" mark cleared) is
 * refused with the reason to recompile, not as an invalid pattern. */
static void test_table_io_foreign_table_this_library_cannot_build(void **state)
{
    static const char yaml[] =
        "rules:\n"
        "  - id: p.any_byte\n"
        "    type: t\n"
        "    match: { regex: 'a\\Cb' }\n";
    static const char other[] = "5.4.9 another library";
    struct fx *f = *state;
    triage_compiler *c = NULL;
    triage_ruleset *rs = NULL;
    unsigned char *m;
    size_t len, i;

    assert_int_equal(triage_compiler_create(&c), TRIAGE_OK);
    assert_int_equal(triage_compiler_add_string(c, "p.yaml", yaml, sizeof yaml - 1),
                     TRIAGE_OK);
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_OK);
    triage_compiler_destroy(c);
    for (i = 0; i < rs->t.n_patterns; i++)
        if (rs->t.patterns[i].kind == TRI_PAT_REGEX &&
            (rs->t.patterns[i].flags & TRI_PATF_SLOW) &&
            rs->t.patterns[i].role == TRI_ROLE_RULE)
            break;
    assert_true(i < rs->t.n_patterns);          /* Vectorscan refused \C */
    rs->t.patterns[i].flags &= ~TRI_PATF_SLOW;
    m = saved(f, rs, &len);
    triage_ruleset_destroy(rs);
    memset(m + OFF_HS_VERSION, 0, OFF_BODY_LEN - OFF_HS_VERSION);
    memcpy(m + OFF_HS_VERSION, other, sizeof other - 1);
    set_crc(m, len);
    assert_int_equal(load_copy(m, len), TRIAGE_EVERSION);
    free(m);
}

/* Entries of folder 'dir' whose names start with 'prefix'. */
static unsigned files_with(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    unsigned n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

/* With a cache folder, the databases a foreign table's load compiles are
 * kept, and the next load of it takes them from there; a native table's
 * load writes nothing. */
static void test_table_io_cached_load_keeps_rebuilt_databases(void **state)
{
    static const char other[] = "5.4.9 another library";
    struct fx *f = *state;
    triage_ruleset *rs = NULL;
    char p[128], cache[128];
    size_t len;
    unsigned char *m = saved(f, f->classify, &len);
    FILE *fp;
    int k;

    path_in(f, "cache", cache, sizeof cache);
    assert_int_equal(mkdir(cache, 0700), 0);
    path_in(f, "native.tdb", p, sizeof p);
    assert_int_equal(triage_ruleset_save(f->classify, p), TRIAGE_OK);
    assert_int_equal(triage_ruleset_load_cached(p, cache, &rs), TRIAGE_OK);
    assert_int_equal(triage_ruleset_rebuilt(rs), TRIAGE_OK);
    triage_ruleset_destroy(rs);
    assert_int_equal(files_with(cache, "hs-"), 0);
    unlink(p);

    memset(m + OFF_HS_VERSION, 0, OFF_BODY_LEN - OFF_HS_VERSION);
    memcpy(m + OFF_HS_VERSION, other, sizeof other - 1);
    set_crc(m, len);
    path_in(f, "foreign.tdb", p, sizeof p);
    fp = fopen(p, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(m, 1, len, fp), len);
    fclose(fp);
    for (k = 0; k < 2; k++) {   /* compiled and kept, then taken */
        assert_int_equal(triage_ruleset_load_cached(p, cache, &rs), TRIAGE_OK);
        assert_int_equal(triage_ruleset_rebuilt(rs), TRIAGE_EVERSION);
        assert_int_equal(files_with(cache, "hs-"), 2);   /* words, regexes */
        assert_true(rs->hs[TRI_DB_WORDS].cached == k && rs->hs[TRI_DB_REGEXES].cached == k);
        assert_same_results(f->classify, rs);
        triage_ruleset_destroy(rs);
    }
    unlink(p);
    empty_dir(cache);
    rmdir(cache);
    free(m);
}

/* The offset of the Vectorscan blob that ends at 'end' of m: a u64
 * length, then the blob, which opens with its magic. */
static size_t blob_ending_at(const unsigned char *m, size_t end)
{
    size_t at;

    for (at = HDR_SIZE; at + 8 + 4 <= end; at++) {
        uint64_t n;

        memcpy(&n, m + at, 8);
        if (at + 8 + n == end && memcmp(m + at + 8, "\xdb\xdb\xdb\xdb", 4) == 0)
            return at + 8;
    }
    fail_msg("no Vectorscan blob ends at %zu", end);
    return 0;
}

/* Databases built for CPU features this machine lacks (the platform word
 * of each blob changed, as a table from a newer CPU has it): the load
 * compiles them again instead of failing. */
static void test_table_io_loads_a_table_built_for_another_cpu(void **state)
{
    struct fx *f = *state;
    size_t len, rx, words;
    unsigned char *m = saved(f, f->classify, &len);

    rx = blob_ending_at(m, len);
    words = blob_ending_at(m, rx - 8);
    m[rx + 12] ^= 0x40;       /* Vectorscan's platform word: bytes 12..19 */
    m[words + 12] ^= 0x40;
    set_crc(m, len);
    assert_rebuilt_as(f, m, len, TRIAGE_EPLATFORM, f->classify);
    m[words + 12] ^= 0x40;    /* one of the two is enough */
    set_crc(m, len);
    assert_rebuilt_as(f, m, len, TRIAGE_EPLATFORM, f->classify);
    m[rx + 4] ^= 0x01;        /* its version word: another library */
    m[rx + 12] ^= 0x40;
    set_crc(m, len);
    assert_rebuilt_as(f, m, len, TRIAGE_EVERSION, f->classify);
    free(m);
}

static uint32_t crc32_bytewise(const unsigned char *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    unsigned k;

    while (n-- > 0) {
        c ^= *p++;
        for (k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xffffffffu;
}

/* The eight-bytes-a-step CRC gives the standard check value and the
 * byte-at-a-time value at every length and alignment, so tables saved
 * before it still load. */
static void test_table_io_crc32_matches_bytewise_at_every_length(void **state)
{
    unsigned char buf[300];
    size_t off, len;
    uint32_t x = 0x7472u;

    (void)state;
    assert_int_equal(tri_crc32((const unsigned char *)"123456789", 9), 0xcbf43926u);
    assert_int_equal(tri_crc32(buf, 0), 0);
    for (off = 0; off < sizeof buf; off++) {
        x = x * 1103515245u + 12345u;
        buf[off] = (unsigned char)(x >> 16);
    }
    for (off = 0; off < 8; off++)
        for (len = 0; off + len <= sizeof buf; len++)
            if (tri_crc32(buf + off, len) != crc32_bytewise(buf + off, len))
                fail_msg("CRC differs at offset %zu, length %zu", off, len);
}

static void test_table_io_missing_file_is_eio(void **state)
{
    struct fx *f = *state;
    triage_ruleset *rs = (triage_ruleset *)&rs;
    char p[128];

    path_in(f, "never-written.tdb", p, sizeof p);
    assert_int_equal(triage_ruleset_load(p, &rs), TRIAGE_EIO);
    assert_null(rs);
    /* A folder is not a table either. */
    rs = (triage_ruleset *)&rs;
    assert_int_equal(triage_ruleset_load(f->dir, &rs), TRIAGE_EIO);
    assert_null(rs);
}

/* Conditions are trees: a table where one node is the kid of two parents
 * (or the root of two rules) is refused, however valid its checksum. 20
 * kids of each of 8 nested conditions all naming the condition below made
 * a 500 KB file whose loading ran for hours. */
static void test_table_io_refuses_a_shared_condition(void **state)
{
    static const char yaml[] =
        "rules:\n"
        "  - id: r.a\n    type: other\n"
        "    match: { any: [甲, { all: [乙, { any: [丙, 丁] }] }, 戊] }\n"
        "  - id: r.b\n    type: other\n    match: { any: [己] }\n";
    struct fx *f = *state;
    triage_ruleset *rs, *back;
    char p[128];
    uint32_t i, j, inner = TRI_NONE, outer = TRI_NONE, save_kid, save_root;
    struct tri_node *n;

    rs = compile_path(NULL, yaml);
    assert_non_null(rs);
    path_in(f, "shared.tdb", p, sizeof p);
    for (i = 0; i < rs->t.n_nodes; i++) {   /* a nested condition, then r.a's root */
        if (rs->t.nodes[i].kind == TRI_NODE_COND && inner == TRI_NONE)
            inner = i;
        if (rs->t.nodes[i].kind == TRI_NODE_COND && rs->t.nodes[i].count[TRI_PART_ANY] == 3)
            outer = i;
    }
    assert_true(inner != TRI_NONE && outer != TRI_NONE && inner < outer);
    n = &rs->t.nodes[outer];
    /* As compiled: loads. */
    assert_int_equal(triage_ruleset_save(rs, p), TRIAGE_OK);
    assert_int_equal(triage_ruleset_load(p, &back), TRIAGE_OK);
    triage_ruleset_destroy(back);
    /* The outer condition's last kid is also the inner condition. */
    j = n->first[TRI_PART_ANY] + 2;
    save_kid = rs->t.node_kids[j];
    rs->t.node_kids[j] = inner;
    assert_int_equal(triage_ruleset_save(rs, p), TRIAGE_OK);
    back = (triage_ruleset *)&back;
    assert_int_equal(triage_ruleset_load(p, &back), TRIAGE_ECORRUPT);
    assert_null(back);
    rs->t.node_kids[j] = save_kid;
    /* Two rules with one root. */
    save_root = rs->t.rules[1].root;
    rs->t.rules[1].root = rs->t.rules[0].root;
    assert_int_equal(triage_ruleset_save(rs, p), TRIAGE_OK);
    assert_int_equal(triage_ruleset_load(p, &back), TRIAGE_ECORRUPT);
    rs->t.rules[1].root = save_root;
    triage_ruleset_destroy(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_io_round_trip_gives_identical_results),
        cmocka_unit_test(test_table_io_round_trip_keeps_slow_regexes),
        cmocka_unit_test(test_table_io_save_is_atomic),
        cmocka_unit_test(test_table_io_refuses_every_flipped_body_byte),
        cmocka_unit_test(test_table_io_refuses_flipped_bytes_of_a_large_table),
        cmocka_unit_test(test_table_io_survives_damage_behind_a_good_checksum),
        cmocka_unit_test(test_table_io_header_names_version_and_damage),
        cmocka_unit_test(test_table_io_loads_a_table_of_another_library),
        cmocka_unit_test(test_table_io_loads_a_table_built_for_another_cpu),
        cmocka_unit_test(test_table_io_cached_load_keeps_rebuilt_databases),
        cmocka_unit_test(test_table_io_foreign_table_this_library_cannot_build),
        cmocka_unit_test(test_table_io_refuses_truncated_or_padded_file),
        cmocka_unit_test(test_table_io_missing_file_is_eio),
        cmocka_unit_test(test_table_io_refuses_a_shared_condition),
        cmocka_unit_test(test_table_io_crc32_matches_bytewise_at_every_length),
        cmocka_unit_test(test_table_io_large_vectorscan_database_maps_and_matches),
        cmocka_unit_test(test_table_io_regexes_are_jit_compiled_on_first_use),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
