/* test_compiler.c - the rule compiler: the documented example, every
 * bad-rule fixture with its expected positions, warnings, multi-file and
 * folder input, open vocabularies and rule set information. */
#include <ctype.h>
#include <glob.h>
#include "test_util.h"

#define DATA "tests/data/"

/* ---- a diag callback that keeps copies of everything it is given ----- */

#define MAX_DIAGS 32

struct seen {
    triage_status code;
    int is_warning;
    char file[256];
    unsigned line, column;
    char rule[128];     /* "" when the diag has no rule id */
    int pattern_offset;
    char message[512];
};

struct log {
    unsigned n, errors, warnings;
    struct seen d[MAX_DIAGS];
};

static void on_diag(const triage_diag *d, void *user)
{
    struct log *lg = user;
    struct seen *s;

    if (d->is_warning)
        lg->warnings++;
    else
        lg->errors++;
    if (lg->n >= MAX_DIAGS)
        return;
    s = &lg->d[lg->n++];
    s->code = d->code;
    s->is_warning = d->is_warning;
    snprintf(s->file, sizeof s->file, "%s", d->file ? d->file : "");
    s->line = d->line;
    s->column = d->column;
    snprintf(s->rule, sizeof s->rule, "%s", d->rule_id ? d->rule_id : "");
    s->pattern_offset = d->pattern_offset;
    snprintf(s->message, sizeof s->message, "%s", d->message ? d->message : "");
}

static triage_compiler *new_compiler(struct log *lg)
{
    triage_compiler *c = NULL;

    assert_int_equal(triage_compiler_create(&c), TRIAGE_OK);
    assert_non_null(c);
    memset(lg, 0, sizeof *lg);
    triage_compiler_set_diag(c, on_diag, lg);
    return c;
}

/* Compiles one document called 'name', its diagnostics into 'lg'; returns
 * what finishing the compile returned, the rule set in *rs. */
static triage_status compile_logged(const char *name, const char *yaml, struct log *lg,
                                    triage_ruleset **rs)
{
    triage_compiler *c = new_compiler(lg);
    triage_status st;

    assert_int_equal(triage_compiler_add_string(c, name, yaml, strlen(yaml)), TRIAGE_OK);
    st = triage_compiler_finish(c, rs);
    triage_compiler_destroy(c);
    return st;
}

/* A diagnostic a test expects once: a piece of its message, its line and
 * column (0: any), whether it is a warning and its rule ("" : any). */
struct want {
    const char *text;
    unsigned line, column;
    int is_warning;
    const char *rule;
};

/* Compile 'yaml' as 'file', which must fail, and find each wanted
 * diagnostic exactly once at its place. */
static void expect_diags(const char *file, const char *yaml, const struct want *w,
                         size_t n_want)
{
    struct log lg;
    triage_compiler *c = new_compiler(&lg);
    triage_ruleset *rs = NULL;
    size_t i, k, found;

    assert_int_equal(triage_compiler_add_string(c, file, yaml, strlen(yaml)), TRIAGE_OK);
    assert_int_not_equal(triage_compiler_finish(c, &rs), TRIAGE_OK);
    assert_null(rs);
    for (k = 0; k < n_want; k++) {
        for (i = 0, found = 0; i < lg.n; i++) {
            const struct seen *d = &lg.d[i];

            if (strstr(d->message, w[k].text) == NULL)
                continue;
            found++;
            assert_int_equal(d->line, w[k].line);
            if (w[k].column)
                assert_int_equal(d->column, w[k].column);
            assert_int_equal(d->is_warning, w[k].is_warning);
            if (*w[k].rule)
                assert_string_equal(d->rule, w[k].rule);
        }
        if (found != 1)
            fail_msg("'%s': seen %zu times, want once", w[k].text, found);
    }
    triage_compiler_destroy(c);
}

/* Compile one YAML string that must compile without any diagnostic. */
static triage_ruleset *compile_clean(const char *yaml)
{
    struct log lg;
    triage_compiler *c = new_compiler(&lg);
    triage_ruleset *rs = NULL;

    assert_int_equal(triage_compiler_add_string(c, "inline.yaml", yaml,
                                                strlen(yaml)), TRIAGE_OK);
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_OK);
    assert_non_null(rs);
    if (lg.n > 0)
        fail_msg("unexpected diagnostic: %u:%u %s", lg.d[0].line,
                 lg.d[0].column, lg.d[0].message);
    triage_compiler_destroy(c);
    return rs;
}

static const triage_result *classify(const triage_ruleset *rs, triage_scratch *s,
                                     const char *text)
{
    const triage_result *r = NULL;

    assert_int_equal(triage_classify(rs, s, text, strlen(text), &r), TRIAGE_OK);
    assert_non_null(r);
    return r;
}

/* ---- the documented minimal example ----------------------------------- */

static void test_compiler_compiles_minimal_doc_example(void **state)
{
    struct log lg;
    triage_compiler *c = new_compiler(&lg);
    triage_ruleset *rs = NULL;
    triage_rule_info ri;
    triage_ruleset_info info;
    triage_scratch *s = NULL;
    const triage_result *r;

    (void)state;
    assert_int_equal(triage_compiler_add_path(c, DATA "minimal.yaml"), TRIAGE_OK);
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_OK);
    assert_non_null(rs);
    assert_int_equal(lg.n, 0);
    assert_int_equal(triage_compiler_errors(c), 0);
    assert_int_equal(triage_compiler_warnings(c), 0);
    assert_null(triage_compiler_last_diag(c));
    triage_compiler_destroy(c);

    assert_int_equal(triage_rule_count(rs), 2);
    assert_int_equal(triage_rule_get(rs, 0, &ri), TRIAGE_OK);
    assert_string_equal(ri.id, "t.allergy");
    assert_string_equal(ri.file, DATA "minimal.yaml");
    assert_int_equal(ri.line, 2);
    assert_int_equal(ri.column, 5);
    assert_string_equal(ri.type, "adverse_reaction");
    assert_string_equal(ri.severity, "high");
    assert_null(ri.nature);
    assert_float_equal(ri.weight, 3.0, 1e-12);
    assert_int_equal(triage_rule_get(rs, 1, &ri), TRIAGE_OK);
    assert_string_equal(ri.id, "t.mold");
    assert_int_equal(ri.line, 7);
    assert_string_equal(ri.type, "product_quality");
    assert_float_equal(ri.weight, 1.0, 1e-12);   /* the default weight */

    assert_int_equal(triage_ruleset_get_info(rs, &info), TRIAGE_OK);
    assert_string_equal(info.name, "");
    assert_string_equal(info.version, "");
    assert_int_equal(info.rules, 2);
    assert_int_equal(info.slow_patterns, 0);
    assert_int_equal(info.escalation_rows, 1);   /* the implicit default */
    assert_int_equal(info.scripts, 0);

    /* What the documentation promises for this file. */
    assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
    r = classify(rs, s, "吃了以后没有过敏");
    assert_int_equal(triage_result_fired_count(r), 0);
    assert_true(triage_result_flags(r) & TRIAGE_FLAG_NO_MATCH);
    r = classify(rs, s, "吃了以后起了皮疹");
    assert_string_equal(triage_result_type(r), "adverse_reaction");
    assert_string_equal(triage_result_severity(r), "high");
    r = classify(rs, s, "药品有点发霉");
    assert_string_equal(triage_result_type(r), "product_quality");
    assert_string_equal(triage_result_severity(r), "medium");
    triage_scratch_destroy(s);
    triage_ruleset_destroy(rs);
}

/* ---- bad-rule fixtures with their .expect sidecars --------------------- */

static const struct { const char *name; triage_status st; } status_names[] = {
    { "TRIAGE_OK", TRIAGE_OK }, { "TRIAGE_ENOMEM", TRIAGE_ENOMEM },
    { "TRIAGE_EINVAL", TRIAGE_EINVAL }, { "TRIAGE_EIO", TRIAGE_EIO },
    { "TRIAGE_ERULE_SYNTAX", TRIAGE_ERULE_SYNTAX },
    { "TRIAGE_ERULE_SCHEMA", TRIAGE_ERULE_SCHEMA },
    { "TRIAGE_EPATTERN", TRIAGE_EPATTERN }, { "TRIAGE_ELIMIT", TRIAGE_ELIMIT },
    { "TRIAGE_ENORULES", TRIAGE_ENORULES },
};

struct expect {
    unsigned line, column;
    int is_warning;
    triage_status code;
    char fragment[256];
    char rule[128];
};

static triage_status status_of(const char *name, const char *where)
{
    size_t i;

    for (i = 0; i < sizeof status_names / sizeof status_names[0]; i++)
        if (strcmp(status_names[i].name, name) == 0)
            return status_names[i].st;
    fail_msg("%s: unknown status name '%s'", where, name);
    return TRIAGE_OK;
}

/* Parse "LINE:COL: error|warning: STATUS: fragment [rule-id]" lines. */
static unsigned read_expect(const char *path, struct expect *e, unsigned max)
{
    FILE *fp = fopen(path, "r");
    char line[1024], kind[16], code[48];
    unsigned n = 0;
    int used;

    if (fp == NULL)
        fail_msg("missing sidecar %s", path);
    while (fgets(line, sizeof line, fp) != NULL) {
        char *rest, *end;
        size_t len = strlen(line);

        while (len > 0 && isspace((unsigned char)line[len - 1]))
            line[--len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        if (n == max)
            fail_msg("%s: too many lines", path);
        memset(&e[n], 0, sizeof e[n]);
        if (sscanf(line, "%u:%u: %15[a-z]: %47[A-Z_]: %n", &e[n].line,
                   &e[n].column, kind, code, &used) != 4)
            fail_msg("%s: cannot parse '%s'", path, line);
        e[n].is_warning = strcmp(kind, "warning") == 0;
        if (!e[n].is_warning && strcmp(kind, "error") != 0)
            fail_msg("%s: '%s' is neither error nor warning", path, kind);
        e[n].code = status_of(code, path);
        rest = line + used;
        end = rest + strlen(rest);
        if (end > rest && end[-1] == ']' && (end = strrchr(rest, '[')) != NULL) {
            snprintf(e[n].rule, sizeof e[n].rule, "%.*s",
                     (int)(strlen(end) - 2), end + 1);
            while (end > rest && end[-1] == ' ')
                end--;
            *end = '\0';
        }
        snprintf(e[n].fragment, sizeof e[n].fragment, "%s", rest);
        n++;
    }
    fclose(fp);
    return n;
}

/* One fixture: every diagnostic, in order, with file, position, status,
 * message and rule id; add + finish fail with the first error's status. */
static void check_fixture(const char *yaml)
{
    struct expect want[MAX_DIAGS];
    char side[512];
    struct log lg;
    triage_compiler *c = new_compiler(&lg);
    triage_ruleset *rs = (triage_ruleset *)&lg;   /* must become NULL */
    triage_status add, fin, first = TRIAGE_OK;
    unsigned n, i, errors = 0;
    const triage_diag *last;

    snprintf(side, sizeof side, "%.*s.expect", (int)(strlen(yaml) - 5), yaml);
    n = read_expect(side, want, MAX_DIAGS);
    assert_true(n > 0);
    for (i = 0; i < n; i++)
        if (!want[i].is_warning) {
            errors++;
            if (first == TRIAGE_OK)
                first = want[i].code;
        }
    add = triage_compiler_add_path(c, yaml);
    fin = triage_compiler_finish(c, &rs);
    if (lg.n != n) {
        for (i = 0; i < lg.n; i++)
            print_error("  got %u:%u: %s [%s]\n", lg.d[i].line, lg.d[i].column,
                        lg.d[i].message, lg.d[i].rule);
        fail_msg("%s: %u diagnostics, want %u", yaml, lg.n, n);
    }
    for (i = 0; i < n; i++) {
        const struct seen *g = &lg.d[i];

        if (strcmp(g->file, yaml) != 0 || g->line != want[i].line ||
            g->column != want[i].column || g->is_warning != want[i].is_warning ||
            g->code != want[i].code || strstr(g->message, want[i].fragment) == NULL ||
            strcmp(g->rule, want[i].rule) != 0)
            fail_msg("%s: diagnostic %u is %s:%u:%u: %s: %s (%s) [%s], want "
                     "%u:%u: %s: %s (%s) [%s]", yaml, i + 1, g->file, g->line,
                     g->column, g->is_warning ? "warning" : "error",
                     triage_strerror(g->code), g->message, g->rule,
                     want[i].line, want[i].column,
                     want[i].is_warning ? "warning" : "error",
                     triage_strerror(want[i].code), want[i].fragment, want[i].rule);
    }
    /* YAML-level errors surface from add, schema errors from finish. */
    assert_true(add == TRIAGE_OK || add == first);
    assert_int_equal(fin, first);
    assert_null(rs);
    assert_int_equal(triage_compiler_errors(c), errors);
    assert_int_equal(lg.errors, errors);
    last = triage_compiler_last_diag(c);
    assert_non_null(last);
    assert_int_equal(last->line, lg.d[n - 1].line);
    assert_string_equal(last->message, lg.d[n - 1].message);
    triage_compiler_destroy(c);
}

static void test_compiler_reports_each_bad_rule_fixture(void **state)
{
    glob_t g;
    size_t i;

    (void)state;
    assert_int_equal(glob(DATA "bad_rules/*.yaml", 0, NULL, &g), 0);
    /* A vanished folder must not pass by checking nothing. */
    assert_true(g.gl_pathc >= 15);
    for (i = 0; i < g.gl_pathc; i++)
        check_fixture(g.gl_pathv[i]);
    globfree(&g);
}

static void test_compiler_reports_every_error_of_a_file(void **state)
{
    struct log lg;
    triage_compiler *c = new_compiler(&lg);
    triage_ruleset *rs = NULL;

    (void)state;
    assert_int_equal(triage_compiler_add_path(c, DATA "bad_rules/two_mistakes.yaml"),
                     TRIAGE_OK);
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_ERULE_SCHEMA);
    assert_null(rs);
    assert_int_equal(lg.errors, 2);
    assert_int_equal(lg.warnings, 0);
    assert_string_equal(lg.d[0].rule, "two.first");
    assert_string_equal(lg.d[1].rule, "two.second");
    /* Errors of several files in one run, too. */
    triage_compiler_destroy(c);
    c = new_compiler(&lg);
    triage_compiler_add_path(c, DATA "bad_rules/weight_not_number.yaml");
    triage_compiler_add_path(c, DATA "bad_rules/duplicate_id.yaml");
    triage_compiler_add_path(c, DATA "bad_rules/within_without_all.yaml");
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_ERULE_SCHEMA);
    assert_null(rs);
    assert_int_equal(lg.errors, 3);
    assert_string_equal(lg.d[0].file, DATA "bad_rules/weight_not_number.yaml");
    assert_string_equal(lg.d[1].file, DATA "bad_rules/duplicate_id.yaml");
    assert_string_equal(lg.d[2].file, DATA "bad_rules/within_without_all.yaml");
    triage_compiler_destroy(c);
}

static void test_compiler_reports_regex_error_offset(void **state)
{
    struct log lg;
    triage_compiler *c = new_compiler(&lg);
    triage_ruleset *rs = NULL;
    const triage_diag *d;

    (void)state;
    assert_int_equal(triage_compiler_add_path(c, DATA "bad_rules/bad_regex.yaml"),
                     TRIAGE_OK);
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_EPATTERN);
    assert_int_equal(lg.n, 1);
    /* '药品**发霉': the second '*' is byte 7 of the pattern. */
    assert_int_equal(lg.d[0].pattern_offset, 7);
    d = triage_compiler_last_diag(c);
    assert_non_null(d);
    assert_int_equal(d->pattern_offset, 7);
    assert_int_equal(d->code, TRIAGE_EPATTERN);
    assert_string_equal(d->rule_id, "bad.regex");
    assert_string_equal(d->file, DATA "bad_rules/bad_regex.yaml");
    /* Other errors carry no offset. */
    triage_compiler_destroy(c);
    c = new_compiler(&lg);
    triage_compiler_add_path(c, DATA "bad_rules/weight_not_number.yaml");
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_ERULE_SCHEMA);
    assert_int_equal(lg.d[0].pattern_offset, -1);
    triage_compiler_destroy(c);
}

static void test_compiler_refuses_scalar_over_64k(void **state)
{
    static const char head[] = "rules:\n  - id: big\n    title: ";
    size_t n = sizeof head - 1 + 70000;
    char *yaml = malloc(n + 64);
    struct log lg;
    triage_compiler *c = new_compiler(&lg);
    triage_ruleset *rs = NULL;

    (void)state;
    assert_non_null(yaml);
    memcpy(yaml, head, sizeof head - 1);
    memset(yaml + sizeof head - 1, 'x', 70000);
    strcpy(yaml + n, "\n    match: { any: [x] }\n");
    assert_int_equal(triage_compiler_add_string(c, "big.yaml", yaml, strlen(yaml)),
                     TRIAGE_ELIMIT);
    assert_int_equal(lg.n, 1);
    assert_string_equal(lg.d[0].file, "big.yaml");
    assert_int_equal(lg.d[0].line, 3);
    assert_int_equal(lg.d[0].column, 12);
    assert_non_null(strstr(lg.d[0].message, "65536"));
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_ELIMIT);
    assert_null(rs);
    /* 64 KiB exactly is still accepted. */
    triage_compiler_destroy(c);
    c = new_compiler(&lg);
    n = sizeof head - 1 + 65536;
    memset(yaml + sizeof head - 1, 'x', 65536);
    strcpy(yaml + n, "\n    type: t\n    match: { any: [x] }\n");
    assert_int_equal(triage_compiler_add_string(c, "edge.yaml", yaml, strlen(yaml)),
                     TRIAGE_OK);
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_OK);
    triage_ruleset_destroy(rs);
    triage_compiler_destroy(c);
    free(yaml);
}

static void test_compiler_refuses_folder_without_rule_files(void **state)
{
    struct log lg;
    triage_compiler *c = new_compiler(&lg);
    triage_ruleset *rs = (triage_ruleset *)&lg;
    const char *dir = DATA "bad_rules/no_rule_files";

    (void)state;
    /* README.txt is not a rule file and .hidden.yaml is skipped. */
    assert_int_equal(triage_compiler_add_path(c, dir), TRIAGE_ENORULES);
    assert_int_equal(lg.n, 1);
    assert_int_equal(lg.d[0].code, TRIAGE_ENORULES);
    assert_string_equal(lg.d[0].file, dir);
    assert_int_equal(lg.d[0].line, 0);
    assert_non_null(strstr(lg.d[0].message, "no *.yaml or *.yml"));
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_ENORULES);
    assert_null(rs);
    triage_compiler_destroy(c);
}

static void test_compiler_refuses_missing_path_and_no_input(void **state)
{
    struct log lg;
    triage_compiler *c = new_compiler(&lg);
    triage_ruleset *rs = (triage_ruleset *)&lg;

    (void)state;
    assert_int_equal(triage_compiler_add_path(c, DATA "does/not/exist.yaml"),
                     TRIAGE_EIO);
    assert_int_equal(lg.n, 1);
    assert_string_equal(lg.d[0].file, DATA "does/not/exist.yaml");
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_EIO);
    assert_null(rs);
    triage_compiler_destroy(c);
    /* Nothing added at all. */
    c = new_compiler(&lg);
    rs = (triage_ruleset *)&lg;
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_ENORULES);
    assert_null(rs);
    assert_int_equal(lg.errors, 1);
    triage_compiler_destroy(c);
}

/* add_* returns the status of its own document, not of an earlier one. */
static void test_compiler_add_returns_its_own_documents_status(void **state)
{
    struct log lg;
    triage_compiler *c = new_compiler(&lg);

    (void)state;
    assert_int_equal(triage_compiler_add_path(c, DATA "bad_rules/malformed_yaml.yaml"),
                     TRIAGE_ERULE_SYNTAX);
    assert_int_equal(triage_compiler_add_path(c, DATA "bad_rules/too_deep.yaml"),
                     TRIAGE_ELIMIT);
    assert_int_equal(triage_compiler_add_path(c, DATA "minimal.yaml"), TRIAGE_OK);
    assert_int_equal(lg.errors, 2);
    triage_compiler_destroy(c);
}

/* ---- regexes Vectorscan cannot take ------------------------------------ */

static void test_compiler_warns_on_regex_vectorscan_cannot_take(void **state)
{
    static const char yaml[] =
        "rules:\n"
        "  - id: slow.k\n"
        "    type: product_quality\n"
        "    match: { regex: '药品(?C1)\\K发霉' }\n"
        "  - id: reset.k\n"
        "    type: product_quality\n"
        "    match: { regex: '(?:药品|药片)\\K变色' }\n"
        "  - id: backref\n"
        "    type: efficacy\n"
        "    match: { regex: '(药)\\1' }\n"
        "  - id: slow.again\n"
        "    type: product_quality\n"
        "    match: { regex: '药品(?C1)\\K发霉' }\n";
    struct log lg;
    triage_compiler *c = new_compiler(&lg);
    triage_ruleset *rs = NULL;
    triage_ruleset_info info;
    triage_scratch *s = NULL;
    const triage_result *r;
    triage_hit h;

    (void)state;
    assert_int_equal(triage_compiler_add_string(c, "slow.yaml", yaml, strlen(yaml)),
                     TRIAGE_OK);
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_OK);
    assert_non_null(rs);
    assert_int_equal(lg.errors, 0);
    /* The regex is stored and checked once, and warned about where each
     * rule writes it. */
    assert_int_equal(lg.warnings, 2);
    assert_int_equal(triage_compiler_warnings(c), 2);
    assert_true(lg.d[0].is_warning);
    assert_string_equal(lg.d[0].file, "slow.yaml");
    assert_int_equal(lg.d[0].line, 4);
    assert_int_equal(lg.d[0].column, 21);
    assert_string_equal(lg.d[0].rule, "slow.k");
    assert_non_null(strstr(lg.d[0].message, "PCRE2 alone"));
    assert_int_equal(lg.d[1].line, 13);
    assert_string_equal(lg.d[1].rule, "slow.again");
    assert_string_equal(lg.d[1].message, lg.d[0].message);
    triage_compiler_destroy(c);

    assert_int_equal(triage_ruleset_get_info(rs, &info), TRIAGE_OK);
    assert_int_equal(info.slow_patterns, 1);
    assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
    /* \K drops 药品 from the match: the hit is 发霉 only. The callout is
     * what Vectorscan cannot take. */
    r = classify(rs, s, "这盒药品发霉了");
    assert_true(fired(r, "slow.k"));
    assert_true(fired(r, "slow.again"));
    assert_int_equal(triage_result_hit_count(r), 2);   /* one a rule */
    assert_int_equal(triage_result_hit(r, 0, &h), TRIAGE_OK);
    assert_int_equal(h.start, 12);   /* 这盒 is 6 bytes, 药品 6 more */
    assert_int_equal(h.end, 18);
    r = classify(rs, s, "这盒药品很好");
    assert_int_equal(triage_result_fired_count(r), 0);
    /* \K alone is no reason to run on every text: the prefilter drops it
     * (so the regex is not slow), and PCRE2 still starts the hit after it. */
    r = classify(rs, s, "药片变色了");
    assert_true(fired(r, "reset.k"));
    assert_int_equal(triage_result_hit_count(r), 1);
    assert_int_equal(triage_result_hit(r, 0, &h), TRIAGE_OK);
    assert_int_equal(h.start, 6);
    assert_int_equal(h.end, 12);
    /* A backreference goes to Vectorscan as a prefilter and PCRE2 decides. */
    r = classify(rs, s, "药药");
    assert_true(fired(r, "backref"));
    r = classify(rs, s, "药品");
    assert_false(fired(r, "backref"));
    triage_scratch_destroy(s);
    triage_ruleset_destroy(rs);
}

/* Atomic groups, possessive repeats, comments and a leading (?x) are
 * written plainly for the prefilter: no warning, nothing run on every
 * text (kept as written, the library took 4 s to refuse the first). */
static void test_compiler_prefilters_restricting_forms(void **state)
{
    static const char yaml[] =
        "rules:\n"
        "  - id: possessive\n"
        "    type: logistics\n"
        "    match: { regex: 'order\\s*[\\w.]{2,80}+ lost' }\n"
        "  - id: extended\n"
        "    type: logistics\n"
        "    match: { regex: \"(?x) order \\\\s* [\\\\w.]{2,80} \\\\s lost  # the id\" }\n"
        "  - id: atomic\n"
        "    type: product_quality\n"
        "    match: { regex: '(?>药品|药)(?#what)发霉' }\n";
    struct log lg;
    triage_ruleset *rs = NULL;
    triage_ruleset_info info;
    triage_scratch *s = NULL;
    const triage_result *r;

    (void)state;
    assert_int_equal(compile_logged("plain.yaml", yaml, &lg, &rs), TRIAGE_OK);
    assert_int_equal(lg.errors + lg.warnings, 0);
    assert_int_equal(triage_ruleset_get_info(rs, &info), TRIAGE_OK);
    assert_int_equal(info.slow_patterns, 0);
    assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
    r = classify(rs, s, "My ORDER ab.cd lost again");
    assert_true(fired(r, "possessive"));
    assert_true(fired(r, "extended"));
    r = classify(rs, s, "order lost");
    assert_int_equal(triage_result_fired_count(r), 0);
    r = classify(rs, s, "这盒药品发霉了");
    assert_true(fired(r, "atomic"));
    triage_scratch_destroy(s);
    triage_ruleset_destroy(rs);
}

/* The library may take a regex when asked about it alone and refuse the
 * database holding it, naming no expression ("x{32767}" kept as written,
 * here for its (?ix): a resource limit): the error still says which regex
 * and which rule. */
static void test_compiler_names_the_regex_a_database_refuses(void **state)
{
    static const char yaml[] =
        "rules:\n"
        "  - id: fine\n"
        "    type: logistics\n"
        "    match: { regex: '快递.{0,4}丢' }\n"
        "  - id: huge\n"
        "    type: logistics\n"
        "    match: { regex: '(?ix)x{32767}' }\n";
    struct log lg;
    triage_ruleset *rs = NULL;

    (void)state;
    assert_int_not_equal(compile_logged("huge.yaml", yaml, &lg, &rs), TRIAGE_OK);
    assert_null(rs);
    assert_int_equal(lg.errors, 1);
    assert_string_equal(lg.d[0].file, "huge.yaml");
    assert_int_equal(lg.d[0].line, 5);
    assert_string_equal(lg.d[0].rule, "huge");
    assert_non_null(strstr(lg.d[0].message, "refuses '(?ix)x{32767}'"));
}

/* ---- lint: regexes that are lists of words ----------------------------- */

/* The word that would match differently as a keyword comes first, and
 * hundreds of words after it grow the list it is kept in (under ASan a
 * pointer into the old list would be caught); the finding quotes the
 * start of so long a regex, so the advice fits. A regex with anything
 * else in it is no list. */
static void test_lint_reports_a_regex_that_is_a_word_list(void **state)
{
    struct log lg;
    triage_compiler *c = new_compiler(&lg);
    triage_ruleset *rs = NULL;
    char yaml[16384];
    size_t n;
    unsigned i;

    (void)state;
    n = (size_t)snprintf(yaml, sizeof yaml, "rules:\n  - id: list\n    type: t\n"
                         "    match: { regex: 'ig");
    for (i = 0; i < 400; i++)
        n += (size_t)snprintf(yaml + n, sizeof yaml - n, "|w%u", i);
    snprintf(yaml + n, sizeof yaml - n, "' }\n  - id: fine\n    type: t\n"
             "    match: { regex: ['\\b(son|kid)\\b|小孩', '小孩\\d'] }\n");
    assert_int_equal(triage_compiler_add_string(c, "w.yaml", yaml, strlen(yaml)),
                     TRIAGE_OK);
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_OK);
    assert_int_equal(triage_compiler_lint(c, rs), TRIAGE_OK);
    assert_int_equal(lg.warnings, 2);
    assert_int_equal(lg.d[0].line, 4);
    assert_string_equal(lg.d[0].rule, "list");
    assert_non_null(strstr(lg.d[0].message, "regex 'ig|w0|w1|w2|"));
    assert_non_null(strstr(lg.d[0].message, "...' is only a list of words"));
    assert_non_null(strstr(lg.d[0].message, "'ig' would match whole words only"));
    assert_string_equal(lg.d[1].rule, "fine");
    assert_null(strstr(lg.d[1].message, "would match"));
    triage_ruleset_destroy(rs);
    triage_compiler_destroy(c);
}

/* ---- several inputs ---------------------------------------------------- */

static void test_compiler_combines_documents_in_order(void **state)
{
    static const char vocab[] =
        "ruleset: { name: combo, version: '3.1' }\n"
        "vocabulary:\n"
        "  types: [efficacy, adverse_reaction]\n";
    static const char rules1[] =
        "rules:\n"
        "  - id: c.one\n"
        "    type: adverse_reaction\n"
        "    match: { any: [过敏] }\n";
    static const char rules2[] =
        "rules:\n"
        "  - id: c.two\n"
        "    type: efficacy\n"
        "    match: { any: [没效果] }\n"
        "escalation:\n"
        "  - when: { rules: [c.one] }\n"
        "    level: L3\n"
        "  - default: true\n"
        "    level: L0\n";
    static const char bad[] =
        "rules:\n"
        "  - id: c.three\n"
        "    type: refund\n"
        "    match: { any: [退款] }\n";
    struct log lg;
    triage_compiler *c = new_compiler(&lg);
    triage_ruleset *rs = NULL;
    triage_rule_info ri;
    triage_scratch *s = NULL;
    const triage_result *r;
    unsigned idx;

    (void)state;
    /* Rules come first; the vocabulary they use is declared later. */
    assert_int_equal(triage_compiler_add_string(c, "r1.yaml", rules1, strlen(rules1)),
                     TRIAGE_OK);
    assert_int_equal(triage_compiler_add_string(c, "vocab.yaml", vocab, strlen(vocab)),
                     TRIAGE_OK);
    assert_int_equal(triage_compiler_add_string(c, "r2.yaml", rules2, strlen(rules2)),
                     TRIAGE_OK);
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_OK);
    assert_int_equal(lg.n, 0);
    triage_compiler_destroy(c);
    assert_int_equal(triage_rule_count(rs), 2);
    assert_int_equal(triage_rule_get(rs, 0, &ri), TRIAGE_OK);
    assert_string_equal(ri.id, "c.one");
    assert_string_equal(ri.file, "r1.yaml");
    assert_int_equal(triage_rule_get(rs, 1, &ri), TRIAGE_OK);
    assert_string_equal(ri.file, "r2.yaml");
    assert_int_equal(triage_rule_find(rs, "c.two", &idx), TRIAGE_OK);
    assert_int_equal(idx, 1);
    assert_int_equal(triage_rule_find(rs, "c.nope", &idx), TRIAGE_ENOTFOUND);
    /* The declared order, not the order of use. */
    assert_int_equal(triage_vocab_count(rs, TRIAGE_AXIS_TYPE), 2);
    assert_string_equal(triage_vocab_name(rs, TRIAGE_AXIS_TYPE, 0), "efficacy");
    assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
    r = classify(rs, s, "过敏");
    assert_string_equal(triage_result_level(r), "L3");
    r = classify(rs, s, "没效果");
    assert_string_equal(triage_result_level(r), "L0");
    triage_scratch_destroy(s);
    triage_ruleset_destroy(rs);

    /* A declaration in one file binds the others. */
    c = new_compiler(&lg);
    triage_compiler_add_string(c, "vocab.yaml", vocab, strlen(vocab));
    triage_compiler_add_string(c, "bad.yaml", bad, strlen(bad));
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_ERULE_SCHEMA);
    assert_null(rs);
    assert_int_equal(lg.errors, 1);
    assert_string_equal(lg.d[0].file, "bad.yaml");
    assert_int_equal(lg.d[0].line, 3);
    assert_int_equal(lg.d[0].column, 11);
    triage_compiler_destroy(c);
}

static void test_compiler_searches_folders_recursively_in_path_order(void **state)
{
    static const char *const ids[] = { "m.first", "m.second", "m.third", "m.fourth" };
    static const char *const files[] = { DATA "multi/a-b.yaml", DATA "multi/a.yaml",
                                         DATA "multi/a/x.yaml",
                                         DATA "multi/sub/deeper/y.yml" };
    struct log lg;
    triage_compiler *c = new_compiler(&lg);
    triage_ruleset *rs = NULL;
    triage_ruleset_info info;
    triage_rule_info ri;
    unsigned i;

    (void)state;
    /* notes.txt is ignored and .hidden.yaml skipped (both are bad YAML). */
    assert_int_equal(triage_compiler_add_path(c, DATA "multi"), TRIAGE_OK);
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_OK);
    assert_int_equal(lg.n, 0);
    triage_compiler_destroy(c);
    assert_int_equal(triage_rule_count(rs), 4);
    for (i = 0; i < 4; i++) {
        assert_int_equal(triage_rule_get(rs, i, &ri), TRIAGE_OK);
        assert_string_equal(ri.id, ids[i]);
        assert_string_equal(ri.file, files[i]);
    }
    /* Open type vocabulary: order of first use, in file order. */
    assert_int_equal(triage_vocab_count(rs, TRIAGE_AXIS_TYPE), 4);
    assert_string_equal(triage_vocab_name(rs, TRIAGE_AXIS_TYPE, 0), "type_one");
    assert_string_equal(triage_vocab_name(rs, TRIAGE_AXIS_TYPE, 1), "type_two");
    assert_string_equal(triage_vocab_name(rs, TRIAGE_AXIS_TYPE, 2), "type_three");
    assert_string_equal(triage_vocab_name(rs, TRIAGE_AXIS_TYPE, 3), "other");
    assert_int_equal(triage_ruleset_get_info(rs, &info), TRIAGE_OK);
    assert_string_equal(info.name, "multi-fixture");
    assert_string_equal(info.version, "7");
    triage_ruleset_destroy(rs);
}

static void test_compiler_opens_vocabularies_with_documented_defaults(void **state)
{
    static const char yaml[] =
        "rules:\n"
        "  - id: v.one\n"
        "    type: zebra\n"
        "    severity: urgent\n"
        "    tags: [t2, t1]\n"
        "    match: { any: [斑马] }\n"
        "  - id: v.two\n"
        "    type: aardvark\n"
        "    nature: venting\n"
        "    temperament: choleric\n"
        "    match: { any: [土豚] }\n";
    static const char *const sev[] = { "low", "medium", "high", "critical", "urgent" };
    triage_ruleset *rs = compile_clean(yaml);
    triage_scratch *s = NULL;
    const triage_result *r;
    char name[8];
    unsigned i;

    (void)state;
    assert_int_equal(triage_vocab_count(rs, TRIAGE_AXIS_SEVERITY), 5);
    for (i = 0; i < 5; i++)
        assert_string_equal(triage_vocab_name(rs, TRIAGE_AXIS_SEVERITY, i), sev[i]);
    assert_int_equal(triage_vocab_count(rs, TRIAGE_AXIS_LEVEL), 5);
    for (i = 0; i < 5; i++) {
        snprintf(name, sizeof name, "L%u", i);
        assert_string_equal(triage_vocab_name(rs, TRIAGE_AXIS_LEVEL, i), name);
    }
    assert_null(triage_vocab_name(rs, TRIAGE_AXIS_LEVEL, 5));
    /* Types in order of use, then the default 'other'. */
    assert_int_equal(triage_vocab_count(rs, TRIAGE_AXIS_TYPE), 3);
    assert_string_equal(triage_vocab_name(rs, TRIAGE_AXIS_TYPE, 0), "zebra");
    assert_string_equal(triage_vocab_name(rs, TRIAGE_AXIS_TYPE, 1), "aardvark");
    assert_string_equal(triage_vocab_name(rs, TRIAGE_AXIS_TYPE, 2), "other");
    assert_int_equal(triage_vocab_count(rs, TRIAGE_AXIS_TAG), 2);
    assert_string_equal(triage_vocab_name(rs, TRIAGE_AXIS_TAG, 0), "t2");

    assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
    r = classify(rs, s, "什么都没有");
    assert_string_equal(triage_result_type(r), "other");
    assert_string_equal(triage_result_severity(r), "low");
    assert_string_equal(triage_result_nature(r), "formal");
    assert_string_equal(triage_result_temperament(r), "phlegmatic");
    /* No escalation table: the first level, with its default team. */
    assert_string_equal(triage_result_level(r), "L0");
    assert_string_equal(triage_result_team(r), "level_0");
    assert_float_equal(triage_result_hours(r), 24.0, 1e-12);
    /* A value used by a rule ranks above the seeded ones. */
    r = classify(rs, s, "斑马 土豚");
    assert_string_equal(triage_result_severity(r), "urgent");
    assert_string_equal(triage_result_nature(r), "venting");
    assert_string_equal(triage_result_temperament(r), "choleric");
    triage_scratch_destroy(s);
    triage_ruleset_destroy(rs);
}

static void test_compiler_ruleset_info_names_and_hashes(void **state)
{
    static const char a[] =
        "ruleset: { name: pharmacy-complaints, version: 2024.06-rc1 }\n"
        "rules:\n"
        "  - id: i.one\n"
        "    type: t\n"
        "    match: { any: [过敏, 皮疹], regex: '批号\\d+' }\n";
    static const char b[] =
        "ruleset: { name: pharmacy-complaints, version: 2024.06-rc1 }\n"
        "rules:\n"
        "  - id: i.one\n"
        "    type: t\n"
        "    match: { any: [过敏, 皮疹], regex: '批号\\d{2}' }\n";
    triage_ruleset *r1 = compile_clean(a), *r2 = compile_clean(a), *r3 = compile_clean(b);
    triage_ruleset_info i1, i2, i3;
    size_t k;

    (void)state;
    assert_int_equal(triage_ruleset_get_info(r1, &i1), TRIAGE_OK);
    assert_int_equal(triage_ruleset_get_info(r2, &i2), TRIAGE_OK);
    assert_int_equal(triage_ruleset_get_info(r3, &i3), TRIAGE_OK);
    assert_string_equal(i1.name, "pharmacy-complaints");
    assert_string_equal(i1.version, "2024.06-rc1");
    assert_int_equal(i1.rules, 1);
    assert_int_equal(i1.escalation_rows, 1);
    assert_int_equal(strlen(i1.hash), 32);
    for (k = 0; k < 32; k++)
        assert_non_null(strchr("0123456789abcdef", i1.hash[k]));
    /* Same input, same hash; one byte changed, another hash. */
    assert_string_equal(i1.hash, i2.hash);
    assert_string_not_equal(i1.hash, i3.hash);
    triage_ruleset_destroy(r1);
    triage_ruleset_destroy(r2);
    triage_ruleset_destroy(r3);
}

/* last_diag copies what it points to: it survives the text it came from. */
static void test_compiler_last_diag_owns_its_strings(void **state)
{
    char name[32], *yaml = strdup("rules:\n  - id: x.y\n    weight: zz\n"
                                  "    type: t\n    match: { any: [a] }\n");
    triage_compiler *c = NULL;
    triage_ruleset *rs = NULL;
    const triage_diag *d;

    (void)state;
    assert_non_null(yaml);
    snprintf(name, sizeof name, "volatile.yaml");
    assert_int_equal(triage_compiler_create(&c), TRIAGE_OK);
    /* No callback set: diagnostics are still counted and kept. */
    assert_int_equal(triage_compiler_add_string(c, name, yaml, strlen(yaml)),
                     TRIAGE_OK);
    memset(name, 'Z', sizeof name - 1);
    memset(yaml, 'Z', strlen(yaml));
    free(yaml);
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_ERULE_SCHEMA);
    assert_int_equal(triage_compiler_errors(c), 1);
    d = triage_compiler_last_diag(c);
    assert_non_null(d);
    assert_string_equal(d->file, "volatile.yaml");
    assert_string_equal(d->rule_id, "x.y");
    assert_int_equal(d->line, 3);
    assert_int_equal(d->column, 13);
    assert_int_equal(d->code, TRIAGE_ERULE_SCHEMA);
    assert_non_null(strstr(d->message, "'zz' is not a number"));
    triage_compiler_destroy(c);
}

/* ---- named lists ------------------------------------------------------- */

/* A list declared in one file serves rules in another, in 'none' and as a
 * whole 'match', exactly as if written in place. */
static void test_compiler_lists_are_shared_conditions(void **state)
{
    static const char lists[] =
        "lists:\n"
        "  - id: told_harmless\n"
        "    title: a doctor said it is harmless\n"
        "    match: { regex: '医生说[^。]{0,6}没事' }\n"
        "  - id: rash\n"
        "    match: { any: [起疹子, 皮疹] }\n";
    static const char rules[] =
        "rules:\n"
        "  - id: l.child\n"
        "    type: adverse_reaction\n"
        "    severity: critical\n"
        "    match:\n"
        "      any: [误吞]\n"
        "      none: [{ list: told_harmless }]\n"
        "  - id: l.rash\n"
        "    type: adverse_reaction\n"
        "    match: { list: rash }\n";
    struct log lg;
    triage_compiler *c = new_compiler(&lg);
    triage_ruleset *rs = NULL;
    triage_scratch *s = NULL;
    const triage_result *r;

    (void)state;
    assert_int_equal(triage_compiler_add_string(c, "rules.yaml", rules, strlen(rules)),
                     TRIAGE_OK);
    assert_int_equal(triage_compiler_add_string(c, "lists.yaml", lists, strlen(lists)),
                     TRIAGE_OK);
    assert_int_equal(triage_compiler_finish(c, &rs), TRIAGE_OK);
    if (lg.n > 0)
        fail_msg("unexpected diagnostic: %s", lg.d[0].message);
    triage_compiler_destroy(c);
    assert_int_equal(triage_scratch_create(rs, &s), TRIAGE_OK);
    r = classify(rs, s, "孩子误吞了一粒药");
    assert_string_equal(triage_result_severity(r), "critical");
    r = classify(rs, s, "孩子误吞了一粒药，医生说应该没事");
    assert_string_not_equal(triage_result_severity(r), "critical");
    r = classify(rs, s, "吃了以后起疹子");
    assert_string_equal(triage_result_type(r), "adverse_reaction");
    triage_scratch_destroy(s);
    triage_ruleset_destroy(rs);
}

/* Unknown, repeated, self-referring and unused lists, each at its place. */
static void test_compiler_reports_list_mistakes(void **state)
{
    static const char yaml[] =
        "lists:\n"
        "  - id: a\n"
        "    match: { any: [x1], none: [{ list: b }] }\n"
        "  - id: b\n"
        "    match: { any: [{ list: a }] }\n"
        "  - id: a\n"
        "    match: { any: [x2] }\n"
        "  - id: spare\n"
        "    match: { any: [x3] }\n"
        "rules:\n"
        "  - id: m.one\n"
        "    type: other\n"
        "    match: { any: [{ list: nosuch }, { list: a }] }\n";
    static const struct want w[] = {
        { "duplicate list id 'a'", 6, 9, 0, "" },
        { "unknown list 'nosuch'", 13, 0, 0, "m.one" },
        { "refers to itself", 5, 0, 0, "" },
        { "list 'spare' is never used", 8, 0, 1, "" },
    };

    (void)state;
    expect_diags("bad.yaml", yaml, w, sizeof w / sizeof w[0]);
}

/* A condition's or a list reference's mode is checked like a rule's, at
 * its own place; a mode is not a key of a keyword. */
static void test_compiler_reports_bad_condition_modes(void **state)
{
    static const char yaml[] =
        "lists:\n"
        "  - id: sx\n"
        "    match: { any: [x1] }\n"
        "rules:\n"
        "  - id: m.one\n"
        "    type: other\n"
        "    match:\n"
        "      all:\n"
        "        - { any: [x2], negated: sometimes }\n"
        "        - { list: sx, question: [only] }\n"
        "        - { any: [x3], hypothetical: only, negate: only }\n";
    static const struct want w[] = {
        { "'sometimes' is not exclude, include or only", 9, 33, 0, "m.one" },
        { "a mode must be a scalar", 10, 0, 0, "m.one" },
        { "unknown key 'negate'", 11, 0, 0, "m.one" },
    };

    (void)state;
    expect_diags("bad.yaml", yaml, w, sizeof w / sizeof w[0]);
}

/* A context cue is a keyword or { regex: ... }; each mistake at its place. */
static void test_compiler_reports_bad_regex_cues(void **state)
{
    static const char yaml[] =
        "context:\n"
        "  hearsay:\n"
        "    - 听说\n"
        "    - { regex: '听(' }\n"
        "    - { rx: x }\n"
        "    - {}\n"
        "rules:\n"
        "  - id: a\n"
        "    type: other\n"
        "    match: { any: [x] }\n";
    static const struct want w[] = {
        { "bad regex", 4, 0, 0, "" },
        { "unknown key 'rx' in a cue", 5, 0, 0, "" },
        { "a cue is a keyword or { regex: ... }", 6, 0, 0, "" },
    };

    (void)state;
    expect_diags("ctx.yaml", yaml, w, sizeof w / sizeof w[0]);
}

/* defaults.precedence: each mistake at its place. */
static void test_compiler_reports_bad_precedence(void **state)
{
    static const char yaml[] =
        "vocabulary:\n"
        "  types: [adverse_reaction, product_quality, other]\n"
        "defaults:\n"
        "  precedence:\n"
        "    - { type: adverse_reaction, over: [product_qualty] }\n"
        "    - { type: adverse_reaction, over: [other], ratio: 2 }\n"
        "    - { type: adverse_reaction }\n"
        "    - { type: adverse_reaction, over: [] }\n"
        "    - { type: adverse_reaction, over: [other], tag: [x] }\n"
        "rules:\n"
        "  - id: a\n"
        "    type: other\n"
        "    match: { any: [x] }\n";
    static const struct want w[] = {
        { "unknown type 'product_qualty'", 5, 0, 0, "" },
        { "2 is out of range [0, 1]", 6, 0, 0, "" },
        { "a precedence needs 'type' and 'over'", 7, 0, 0, "" },
        { "'over' lists 1 to 16 names", 8, 0, 0, "" },
        { "unknown key 'tag' in a precedence", 9, 0, 0, "" },
    };

    (void)state;
    expect_diags("prec.yaml", yaml, w, sizeof w / sizeof w[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compiler_compiles_minimal_doc_example),
        cmocka_unit_test(test_compiler_reports_each_bad_rule_fixture),
        cmocka_unit_test(test_compiler_reports_every_error_of_a_file),
        cmocka_unit_test(test_compiler_reports_regex_error_offset),
        cmocka_unit_test(test_compiler_refuses_scalar_over_64k),
        cmocka_unit_test(test_compiler_refuses_folder_without_rule_files),
        cmocka_unit_test(test_compiler_refuses_missing_path_and_no_input),
        cmocka_unit_test(test_compiler_add_returns_its_own_documents_status),
        cmocka_unit_test(test_compiler_warns_on_regex_vectorscan_cannot_take),
        cmocka_unit_test(test_compiler_prefilters_restricting_forms),
        cmocka_unit_test(test_compiler_names_the_regex_a_database_refuses),
        cmocka_unit_test(test_compiler_combines_documents_in_order),
        cmocka_unit_test(test_compiler_searches_folders_recursively_in_path_order),
        cmocka_unit_test(test_compiler_opens_vocabularies_with_documented_defaults),
        cmocka_unit_test(test_compiler_ruleset_info_names_and_hashes),
        cmocka_unit_test(test_compiler_last_diag_owns_its_strings),
        cmocka_unit_test(test_compiler_lists_are_shared_conditions),
        cmocka_unit_test(test_compiler_reports_list_mistakes),
        cmocka_unit_test(test_compiler_reports_bad_condition_modes),
        cmocka_unit_test(test_compiler_reports_bad_regex_cues),
        cmocka_unit_test(test_compiler_reports_bad_precedence),
        cmocka_unit_test(test_lint_reports_a_regex_that_is_a_word_list),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
