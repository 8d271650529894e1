/* test_alloc.c - out of memory at every engine allocation (sqlite faultsim
 * style): compiling (with and without a database cache), loading and
 * classifying fail with TRIAGE_ENOMEM or
 * give exactly the normal result, never crash, and free everything. The
 * counting allocator is installed before any object exists and removed at
 * the end; third-party libraries allocate on their own and are not failed,
 * but LeakSanitizer (make asan) still sees anything they leak. */
#include <dirent.h>
#include <unistd.h>
#include "test_util.h"
#include "internal.h"

/* Touches most of the compiler: header, vocabularies with data, defaults,
 * the built-in context, every condition kind, a field, a regex only PCRE2
 * takes, cues, escalation, Bayes models sharing a token, scripts with a written zh-Hant twin (no OpenCC,
 * which would make each of the thousands of runs slow) and reply checks. */
static const char yaml[] =
    "ruleset: { name: oom, version: '1' }\n"
    "vocabulary:\n"
    "  types: [adverse_reaction, product_quality, refund, other]\n"
    "  levels:\n"
    "    - { id: L1, team: desk, hours: 24 }\n"
    "    - { id: L3, team: safety, hours: 4 }\n"
    "  tags:\n"
    "    - id: adr\n"
    "      data: { days: 15, body: nmpa, urgent: true }\n"
    "    - angry\n"
    "defaults: { type: other, close_call: 0.7 }\n"
    "rules:\n"
    "  - id: o.allergy\n"
    "    type: adverse_reaction\n"
    "    severity: high\n"
    "    weight: 3\n"
    "    tags: [adr]\n"
    "    match: { any: [过敏, 皮疹, rash], none: [不是我] }\n"
    "  - id: o.dizzy\n"
    "    type: adverse_reaction\n"
    "    match: { all: [吃药, { any: [头晕, 恶心] }], within: 6 }\n"
    "  - id: o.lot\n"
    "    type: product_quality\n"
    "    match: { regex: ['批号(?<lot>[a-z0-9]{4,})', '药品(?C1)\\K发霉'] }\n"
    "  - id: o.refund\n"
    "    type: refund\n"
    "    hypothetical: include\n"
    "    match: { any: [退款] }\n"
    "cues:\n"
    "  - id: o.angry\n"
    "    temperament: choleric\n"
    "    nature: venting\n"
    "    tags: [angry]\n"
    "    question: exclude\n"
    "    match: { any: [气死, 投诉] }\n"
    "escalation:\n"
    "  - when: { tags: [angry], severity: '>= high' }\n"
    "    level: L3\n"
    "    hours: 2\n"
    "  - when: { rules: [o.dizzy], score: '>= 1' }\n"
    "    level: L3\n"
    "  - default: true\n"
    "    level: L1\n"
    "scripts:\n"
    "  - id: hi\n"
    "    group: open\n"
    "    lang: zh-Hans\n"
    "    when: { level: [L3] }\n"
    "    text: 请您放心\n"
    "  - id: hi\n"
    "    group: open\n"
    "    lang: zh-Hant\n"
    "    text: 請您放心\n"
    "  - id: hi.en\n"
    "    group: open\n"
    "    lang: en\n"
    "    text: Sorry\n"
    "reply_checks:\n"
    "  - id: c.no\n"
    "    phrases: [与我无关, not my job]\n"
    "    message: 不要推卸\n"
    "bayes:\n"
    "  - id: b.type\n"
    "    axis: type\n"
    "    classes: [adverse_reaction, product_quality]\n"
    "    docs: [3, 2]\n"
    "    tokens:\n"
    "      - 过敏 3 0\n"
    "      - 发霉 0 2\n"
    "      - rash 2 0\n"
    "  - id: b.severity\n"
    "    axis: severity\n"
    "    raise: 0.6\n"
    "    classes: [high, low]\n"
    "    docs: [2, 2]\n"
    "    tokens:\n"
    "      - 过敏 2 1\n"
    "      - 头晕 1 0\n";

static const char *const texts[] = {
    "气死了！吃了以后过敏，起了皮疹，还要投诉",
    "吃药以后头晕，药品发霉，批号AB1234，如果不行就退款",
    "没有过敏，但是 rash? 藥品發霉",
    "\xff过敏\x00 no rash",
};
#define N_TEXTS (sizeof texts / sizeof texts[0])

/* ---- the fault-injecting allocator ------------------------------------- */

static struct {
    long count;      /* engine allocations so far                */
    long fail_at;    /* refuse this one (1-based); 0: refuse none */
    long live;       /* blocks handed out and not freed yet      */
    int refused;     /* the fail_at-th allocation happened        */
} F;

static void *f_malloc(size_t n, void *user)
{
    void *p;

    (void)user;
    if (++F.count == F.fail_at) {
        F.refused = 1;
        return NULL;
    }
    p = malloc(n);
    F.live += p != NULL;
    return p;
}

static void *f_realloc(void *p, size_t n, void *user)
{
    void *q;

    (void)user;
    if (++F.count == F.fail_at) {
        F.refused = 1;
        return NULL;
    }
    q = realloc(p, n);
    F.live += q != NULL && p == NULL;
    return q;
}

static void f_free(void *p, void *user)
{
    (void)user;
    if (p != NULL)
        F.live--;
    free(p);
}

static void arm(long fail_at)
{
    F.count = 0;
    F.fail_at = fail_at;
    F.refused = 0;
}

static int setup(void **state)
{
    static const triage_allocator a = { f_malloc, f_realloc, f_free, NULL };

    (void)state;
    memset(&F, 0, sizeof F);
    triage_set_allocator(&a);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    triage_set_allocator(NULL);
    /* Restored: plain malloc works again and nothing is counted. */
    F.count = 0;
    {
        triage_compiler *c = NULL;

        if (triage_compiler_create(&c) != TRIAGE_OK || F.count != 0)
            return -1;
        triage_compiler_destroy(c);
    }
    return F.live == 0 ? 0 : -1;
}

/* ---- helpers ----------------------------------------------------------- */

/* The rules compiled with Vectorscan's cache folder 'cache' (NULL: none). */
static triage_status compile_cached(const char *cache, triage_ruleset **out)
{
    triage_compiler *c = NULL;
    triage_status st = triage_compiler_create(&c);

    *out = NULL;
    if (st == TRIAGE_OK)
        st = triage_compiler_set_cache(c, cache);
    if (st == TRIAGE_OK)
        st = triage_compiler_add_string(c, "oom.yaml", yaml, sizeof yaml - 1);
    if (st == TRIAGE_OK)
        st = triage_compiler_finish(c, out);
    triage_compiler_destroy(c);
    return st;
}

static triage_status compile(triage_ruleset **out)
{
    return compile_cached(NULL, out);
}

/* The number of files in folder 'dir'; with 'remove', delete them too. */
static int files_in(const char *dir, int remove)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[512];
    int n = 0;

    while (d != NULL && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        n++;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (remove)
            unlink(path);
    }
    if (d != NULL)
        closedir(d);
    return n;
}

/* All JSON of texts[] plus the reply issues, as one string (malloc'd). */
static triage_status results(const triage_ruleset *rs, triage_scratch *s, char **out)
{
    size_t cap = 1 << 16, len = 0, i;
    char *buf = malloc(cap);
    triage_status st = TRIAGE_OK;

    *out = NULL;
    assert_non_null(buf);
    for (i = 0; i < N_TEXTS && st == TRIAGE_OK; i++) {
        const triage_result *r = NULL;
        const char *js;
        size_t n = 0;

        st = triage_classify(rs, s, texts[i], strlen(texts[i]) + (i == 3 ? 9 : 0), &r);
        if (st == TRIAGE_OK)
            st = triage_result_json(r, "k", &js, &n);
        if (st == TRIAGE_OK) {
            assert_true(len + n + 2 < cap);
            memcpy(buf + len, js, n);
            len += n;
            buf[len++] = '\n';
        }
    }
    if (st == TRIAGE_OK) {
        const triage_reply_issue *is;
        unsigned n = 0, k;

        st = triage_check_reply(rs, s, "这与我无关, NOT MY JOB", 27, 0, &is, &n);
        for (k = 0; st == TRIAGE_OK && k < n; k++)
            len += (size_t)snprintf(buf + len, cap - len, "%s %zu-%zu\n",
                                    is[k].check_id, is[k].start, is[k].end);
    }
    buf[len] = '\0';
    if (st == TRIAGE_OK)
        *out = buf;
    else
        free(buf);
    return st;
}

static char *reference(const triage_ruleset *rs)
{
    triage_scratch *s = NULL;
    char *ref = NULL;

    arm(0);
    assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
    assert_int_equal(results(rs, s, &ref), TRIAGE_OK);
    triage_scratch_destroy(s);
    return ref;
}

/* Fail showing where 'got' first differs from 'want'. */
static void fail_diff(const char *got, const char *want, const char *what, long k)
{
    size_t i = 0, from;

    while (got[i] != '\0' && got[i] == want[i])
        i++;
    from = i > 60 ? i - 60 : 0;
    fail_msg("%s succeeded with allocation %ld refused, but differs at byte %zu "
             "(got %zu bytes, want %zu):\n  got  ...%.160s\n  want ...%.160s", what, k,
             i, strlen(got), strlen(want), got + from, want + from);
}

/* A run that reported success must give exactly the normal results. */
static void check_same(const triage_ruleset *rs, const char *ref, long k, const char *what)
{
    char *got = reference(rs);

    if (strcmp(got, ref) != 0)
        fail_diff(got, ref, what, k);
    free(got);
}

/* ---- tests ------------------------------------------------------------- */

/* Compile with allocation k refused, for every k of a normal compile
 * (with the cache folder 'cache', NULL for none): TRIAGE_ENOMEM or the
 * table 'ref' describes, and nothing leaked. With a cache, a refusal while
 * reading it is a miss (the database is compiled again), and the folder
 * keeps its two databases. */
static void compile_fails_cleanly(const char *cache, const char *ref)
{
    triage_ruleset *rs = NULL;
    long total, k, oom = 0, base = F.live;

    arm(0);
    assert_int_equal(compile_cached(cache, &rs), TRIAGE_OK);
    total = F.count;
    assert_true(total > 100);
    check_same(rs, ref, 0, "compile");
    triage_ruleset_destroy(rs);
    assert_int_equal(F.live, base);

    for (k = 1; k <= total + 1; k++) {
        triage_status st;

        arm(k);
        st = compile_cached(cache, &rs);
        if (st == TRIAGE_OK) {
            assert_non_null(rs);
            if (F.refused)
                check_same(rs, ref, k, "compile");
            triage_ruleset_destroy(rs);
        } else {
            if (st != TRIAGE_ENOMEM)
                fail_msg("allocation %ld of %ld refused: compile gave '%s'", k, total,
                         triage_strerror(st));
            assert_null(rs);
            oom++;
        }
        if (F.live != base)
            fail_msg("allocation %ld of %ld refused: %ld block(s) leaked", k, total,
                     F.live - base);
        if (cache != NULL && files_in(cache, 0) != 2)
            fail_msg("allocation %ld of %ld refused: the cache holds %d files, not 2", k,
                     total, files_in(cache, 0));
    }
    assert_false(F.refused);   /* k = total + 1 is past the last one */
    assert_true(oom > total / 2);
}

static void test_alloc_compile_fails_cleanly_at_every_allocation(void **state)
{
    triage_ruleset *rs = NULL;
    char *ref;

    (void)state;
    arm(0);
    assert_int_equal(compile(&rs), TRIAGE_OK);
    ref = reference(rs);
    triage_ruleset_destroy(rs);
    compile_fails_cleanly(NULL, ref);
    free(ref);
}

static void test_alloc_cached_compile_fails_cleanly_at_every_allocation(void **state)
{
    char dir[] = "/tmp/triage-oom-cache-XXXXXX";
    triage_ruleset *rs = NULL;
    char *ref;

    (void)state;
    assert_non_null(mkdtemp(dir));
    arm(0);
    assert_int_equal(compile_cached(dir, &rs), TRIAGE_OK);   /* fills the cache */
    ref = reference(rs);
    triage_ruleset_destroy(rs);
    assert_int_equal(files_in(dir, 0), 2);                    /* words, regexes */
    compile_fails_cleanly(dir, ref);
    files_in(dir, 1);
    rmdir(dir);
    free(ref);
}

/* Load 'path' with allocation k refused, for every k up to total + 1:
 * each load gives ENOMEM, or a rule set that classifies as 'ref' does,
 * and leaks nothing. */
static void load_fails_cleanly(const char *path, const char *ref, long total,
                               long base, const char *what)
{
    triage_ruleset *rs = NULL;
    long k;

    for (k = 1; k <= total + 1; k++) {
        triage_status st;

        arm(k);
        st = triage_ruleset_load(path, &rs);
        if (st == TRIAGE_OK) {
            if (F.refused)
                check_same(rs, ref, k, what);
            triage_ruleset_destroy(rs);
        } else {
            if (st != TRIAGE_ENOMEM)
                fail_msg("allocation %ld of %ld refused: %s gave '%s'", k, total,
                         what, triage_strerror(st));
            assert_null(rs);
        }
        if (F.live != base)
            fail_msg("allocation %ld of %ld refused: %ld block(s) leaked", k, total,
                     F.live - base);
    }
}

/* The test rules compiled and saved to a new file at 'path' (a mkstemp
 * template); returns their reference results. */
static char *save_compiled(char *path)
{
    int fd = mkstemp(path);
    triage_ruleset *rs = NULL;
    char *ref;

    assert_true(fd >= 0);
    close(fd);
    arm(0);
    assert_int_equal(compile(&rs), TRIAGE_OK);
    ref = reference(rs);
    assert_int_equal(triage_ruleset_save(rs, path), TRIAGE_OK);
    triage_ruleset_destroy(rs);
    return ref;
}

static void test_alloc_load_fails_cleanly_at_every_allocation(void **state)
{
    char path[] = "/tmp/triage-oom-XXXXXX";
    triage_ruleset *rs = NULL;
    long total, k, base = F.live;
    char *ref = save_compiled(path);

    (void)state;
    /* Saving fails cleanly too, and leaves the old file alone. */
    arm(0);
    assert_int_equal(triage_ruleset_load(path, &rs), TRIAGE_OK);
    total = F.count;
    for (k = 1; k <= 8; k++) {
        char other[64];

        snprintf(other, sizeof other, "%s.save", path);
        arm(k);
        if (triage_ruleset_save(rs, other) == TRIAGE_OK)
            assert_false(F.refused);
        else
            assert_int_equal(access(other, F_OK), -1);
        unlink(other);
    }
    triage_ruleset_destroy(rs);

    load_fails_cleanly(path, ref, total, base, "load");
    unlink(path);
    free(ref);
}

/* A table of another Hyperscan library: its load compiles the databases,
 * and fails as cleanly at each of those allocations. */
static void test_alloc_rebuilding_load_fails_cleanly_at_every_allocation(void **state)
{
    static const char other[] = "0.0.0 another library";
    char path[] = "/tmp/triage-oom-XXXXXX";
    triage_ruleset *rs = NULL;
    unsigned char *m;
    size_t len;
    uint32_t crc;
    long base = F.live;
    char *ref = save_compiled(path);
    FILE *fp;

    (void)state;
    fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    len = (size_t)ftell(fp);
    rewind(fp);
    m = malloc(len);
    assert_non_null(m);
    assert_int_equal(fread(m, 1, len, fp), len);
    fclose(fp);
    memset(m + 32, 0, 64);                       /* the library's name */
    memcpy(m + 32, other, sizeof other - 1);
    crc = tri_tdb_crc(m, len);
    memcpy(m + 104, &crc, 4);
    fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(m, 1, len, fp), len);
    fclose(fp);
    free(m);
    arm(0);
    assert_int_equal(triage_ruleset_load(path, &rs), TRIAGE_OK);
    assert_int_equal(triage_ruleset_rebuilt(rs), TRIAGE_EVERSION);
    check_same(rs, ref, 0, "rebuilding load");
    triage_ruleset_destroy(rs);
    load_fails_cleanly(path, ref, F.count, base, "rebuilding load");
    unlink(path);
    free(ref);
}

static void test_alloc_classify_fails_cleanly_at_every_allocation(void **state)
{
    triage_ruleset *rs = NULL;
    char *ref;
    long base, total, k, oom = 0, start = F.live;

    (void)state;
    arm(0);
    assert_int_equal(compile(&rs), TRIAGE_OK);
    base = F.live;
    ref = reference(rs);
    assert_int_equal(F.live, base);
    /* How many allocations scratch + classify + JSON + check-reply take. */
    arm(0);
    {
        triage_scratch *s = NULL;
        char *got = NULL;

        assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
        assert_int_equal(results(rs, s, &got), TRIAGE_OK);
        total = F.count;
        free(got);
        triage_scratch_destroy(s);
    }
    assert_true(total > 20);

    for (k = 1; k <= total + 1; k++) {
        triage_scratch *s = NULL;
        char *got = NULL;
        triage_status st;

        arm(k);
        st = triage_scratch_create(rs, &s);
        if (st == TRIAGE_OK)
            st = results(rs, s, &got);
        if (st == TRIAGE_OK) {
            if (strcmp(got, ref) != 0)
                fail_diff(got, ref, "classify", k);
            free(got);
        } else if (st != TRIAGE_ENOMEM) {
            fail_msg("allocation %ld of %ld refused: classify gave '%s'", k, total,
                     triage_strerror(st));
        } else {
            oom++;
        }
        /* After a failure the same scratch still gives the right answer. */
        if (s != NULL) {
            arm(0);
            assert_int_equal(results(rs, s, &got), TRIAGE_OK);
            if (strcmp(got, ref) != 0)
                fail_diff(got, ref, "the scratch reused after it", k);
            free(got);
        }
        triage_scratch_destroy(s);
        if (F.live != base)
            fail_msg("allocation %ld of %ld refused: %ld block(s) leaked", k, total,
                     F.live - base);
    }
    assert_true(oom > 0);
    triage_ruleset_destroy(rs);
    assert_int_equal(F.live, start);
    free(ref);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_compile_fails_cleanly_at_every_allocation),
        cmocka_unit_test(test_alloc_cached_compile_fails_cleanly_at_every_allocation),
        cmocka_unit_test(test_alloc_load_fails_cleanly_at_every_allocation),
        cmocka_unit_test(test_alloc_rebuilding_load_fails_cleanly_at_every_allocation),
        cmocka_unit_test(test_alloc_classify_fails_cleanly_at_every_allocation),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
