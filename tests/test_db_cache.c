/* test_db_cache.c - the compiler's Vectorscan database cache
 * (engine/db_cache.c): an edit that leaves the regexes alone reuses their
 * database, a damaged or foreign file is a miss, the folder is pruned, and
 * a cache that cannot be used never fails a compile. */
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include "test_util.h"
#include "internal.h"

static const char rules_fmt[] =
    "rules:\n"
    "  - id: k.allergy\n"
    "    type: adverse_reaction\n"
    "    match: { any: [过敏, %s] }\n"
    "  - id: k.lot\n"
    "    type: product_quality\n"
    "    match: { regex: '批号(?<lot>[a-z0-9]{4,})%s' }\n";

struct fix {
    char dir[64];
};

static int setup(void **state)
{
    struct fix *f = calloc(1, sizeof *f);

    if (f == NULL)
        return -1;
    strcpy(f->dir, "/tmp/test_db_cache.XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fix *f = *state;
    struct dirent *e;
    DIR *d = opendir(f->dir);
    char p[512];

    while (d != NULL && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(p, sizeof p, "%s/%s", f->dir, e->d_name);
        unlink(p);
    }
    if (d != NULL)
        closedir(d);
    rmdir(f->dir);
    free(f);
    return 0;
}

/* The rules with keyword 'word' and regex suffix 'rx', compiled with the
 * cache folder 'dir' (NULL: none). */
static triage_ruleset *compile_with(const char *dir, const char *word, const char *rx)
{
    char yaml[1024];
    triage_compiler *c = NULL;
    triage_ruleset *rs = NULL;

    snprintf(yaml, sizeof yaml, rules_fmt, word, rx);
    assert_int_equal(triage_compiler_create(&c), TRIAGE_OK);
    assert_int_equal(triage_compiler_set_cache(c, dir), TRIAGE_OK);
    assert_int_equal(triage_compiler_add_string(c, "r.yaml", yaml, strlen(yaml)), TRIAGE_OK);
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_OK);
    triage_compiler_destroy(c);
    return rs;
}

/* The type 'text' gets, and its number of hits. */
static void classify(const triage_ruleset *rs, const char *text, char *type, size_t size,
                     unsigned *hits)
{
    triage_scratch *s = NULL;
    const triage_result *r = NULL;

    assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
    assert_int_equal(triage_classify(rs, s, text, strlen(text), &r), TRIAGE_OK);
    snprintf(type, size, "%s", triage_result_type(r));
    *hits = triage_result_hit_count(r);
    triage_scratch_destroy(s);
}

/* Cache files in the folder; 'newest' gets the latest one's name. */
static unsigned count_files(const char *dir, char *newest, size_t size)
{
    struct dirent *e;
    DIR *d = opendir(dir);
    unsigned n = 0;
    time_t best = 0;
    char p[512];
    struct stat sb;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, "hs-", 3) != 0)
            continue;
        n++;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (newest != NULL && stat(p, &sb) == 0 && sb.st_mtime >= best) {
            best = sb.st_mtime;
            snprintf(newest, size, "%s", p);
        }
    }
    closedir(d);
    return n;
}

static void test_db_cache_reuses_the_regexes_after_a_keyword_edit(void **state)
{
    struct fix *f = *state;
    triage_ruleset *a = compile_with(f->dir, "rash", ""), *b, *plain;
    char type[64];
    unsigned hits;

    assert_false(a->hs[TRI_DB_REGEXES].cached);
    assert_false(a->hs[TRI_DB_WORDS].cached);
    assert_int_equal(count_files(f->dir, NULL, 0), 2);
    /* A new keyword: its words are built, its regexes come from the cache. */
    b = compile_with(f->dir, "hives", "");
    assert_true(b->hs[TRI_DB_REGEXES].cached);
    assert_false(b->hs[TRI_DB_WORDS].cached);
    assert_int_equal(count_files(f->dir, NULL, 0), 3);
    plain = compile_with(NULL, "hives", "");
    assert_false(plain->hs[TRI_DB_REGEXES].cached);
    classify(b, "药盒上批号ab12cd，吃了起hives", type, sizeof type, &hits);
    assert_int_equal(hits, 2);
    classify(plain, "药盒上批号ab12cd，吃了起hives", type, sizeof type, &hits);
    assert_int_equal(hits, 2);
    classify(b, "批号ab12cd", type, sizeof type, &hits);
    assert_string_equal(type, "product_quality");
    /* Nothing changed: both from the cache. */
    triage_ruleset_destroy(a);
    a = compile_with(f->dir, "rash", "");
    assert_true(a->hs[TRI_DB_REGEXES].cached);
    assert_true(a->hs[TRI_DB_WORDS].cached);
    classify(a, "起了rash", type, sizeof type, &hits);
    assert_string_equal(type, "adverse_reaction");
    /* A regex edit misses. */
    triage_ruleset_destroy(b);
    b = compile_with(f->dir, "rash", "x?");
    assert_false(b->hs[TRI_DB_REGEXES].cached);
    triage_ruleset_destroy(a);
    triage_ruleset_destroy(b);
    triage_ruleset_destroy(plain);
}

/* Damage every cached file alike (flip a byte of the magic, the key or
 * the blob, or cut it short): each is a miss, the compile still matches,
 * and the files are written again whole. */
static void damage_all(const char *dir, long at)
{
    struct dirent *e;
    DIR *d = opendir(dir);
    char path[512];
    struct stat sb;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        FILE *fp;
        long off;
        int c;

        if (strncmp(e->d_name, "hs-", 3) != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        assert_int_equal(stat(path, &sb), 0);
        if (at < 0) {
            assert_int_equal(truncate(path, sb.st_size + at), 0);
            continue;
        }
        off = at < 48 ? at : (long)sb.st_size / 2;   /* 48: the header */
        fp = fopen(path, "r+b");
        assert_non_null(fp);
        fseek(fp, off, SEEK_SET);
        c = fgetc(fp);
        fseek(fp, off, SEEK_SET);
        fputc(c ^ 0x20, fp);
        fclose(fp);
    }
    closedir(d);
}

static void test_db_cache_damaged_file_is_a_miss(void **state)
{
    struct fix *f = *state;
    triage_ruleset *rs = compile_with(f->dir, "rash", "");
    const long at[] = { 3, 20, 100, -1, -5000 };
    char type[64];
    unsigned i, hits;

    triage_ruleset_destroy(rs);
    for (i = 0; i < sizeof at / sizeof at[0]; i++) {
        damage_all(f->dir, at[i]);
        rs = compile_with(f->dir, "rash", "");
        assert_false(rs->hs[TRI_DB_WORDS].cached);
        assert_false(rs->hs[TRI_DB_REGEXES].cached);
        classify(rs, "起了rash，批号ab12", type, sizeof type, &hits);
        assert_int_equal(hits, 2);
        triage_ruleset_destroy(rs);
        rs = compile_with(f->dir, "rash", "");   /* written again whole */
        assert_true(rs->hs[TRI_DB_WORDS].cached);
        assert_true(rs->hs[TRI_DB_REGEXES].cached);
        triage_ruleset_destroy(rs);
    }
    assert_int_equal(count_files(f->dir, NULL, 0), 2);
}

static void test_db_cache_keeps_the_newest_six(void **state)
{
    struct fix *f = *state;
    char rx[16];
    unsigned i;

    triage_ruleset *rs;

    /* One words database and eight of regexes, pruned as they come. */
    for (i = 0; i < 8; i++) {
        snprintf(rx, sizeof rx, "%u", i);
        rs = compile_with(f->dir, "rash", rx);
        triage_ruleset_destroy(rs);
        assert_true(count_files(f->dir, NULL, 0) <= 6);
    }
    assert_int_equal(count_files(f->dir, NULL, 0), 6);
    rs = compile_with(f->dir, "rash", "7");   /* the newest are the ones kept */
    assert_true(rs->hs[TRI_DB_REGEXES].cached);
    assert_true(rs->hs[TRI_DB_WORDS].cached);
    triage_ruleset_destroy(rs);
    rs = compile_with(f->dir, "rash", "0");
    assert_false(rs->hs[TRI_DB_REGEXES].cached);
    triage_ruleset_destroy(rs);
}

/* A folder that is missing or a file: compiles, uncached, every time. */
static void test_db_cache_unusable_folder_never_fails_a_compile(void **state)
{
    struct fix *f = *state;
    char missing[128], file[128];
    triage_ruleset *rs;
    FILE *fp;

    snprintf(missing, sizeof missing, "%s/none/deeper", f->dir);
    snprintf(file, sizeof file, "%s/plain", f->dir);
    fp = fopen(file, "w");
    assert_non_null(fp);
    fclose(fp);
    rs = compile_with(missing, "rash", "");
    assert_false(rs->hs[TRI_DB_REGEXES].cached);
    triage_ruleset_destroy(rs);
    rs = compile_with(file, "rash", "");
    triage_ruleset_destroy(rs);
    rs = compile_with(file, "rash", "");
    assert_false(rs->hs[TRI_DB_REGEXES].cached);
    triage_ruleset_destroy(rs);
    assert_int_equal(triage_compiler_set_cache(NULL, f->dir), TRIAGE_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_db_cache_reuses_the_regexes_after_a_keyword_edit,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_db_cache_damaged_file_is_a_miss, setup, teardown),
        cmocka_unit_test_setup_teardown(test_db_cache_keeps_the_newest_six, setup, teardown),
        cmocka_unit_test_setup_teardown(test_db_cache_unusable_folder_never_fails_a_compile,
                                        setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
