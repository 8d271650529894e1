/*
 * fuzz_classify.c - arbitrary bytes classified with the shipped rules
 * (folder or .tdb in $TRIAGE_FUZZ_RULES, default "rules"), compiled once,
 * then every result accessor, the JSON rendering, the trace and the reply
 * check on the same bytes; the result with the trace on must be the
 * result with it off, and a scratch keeping only fired rules' hits must
 * give the same line with fired hits.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "triage.h"
#include "same_line.h"

static triage_ruleset *rs;
static triage_scratch *s, *lean;   /* lean keeps only fired rules' hits */

static void quiet(const triage_diag *d, void *user)
{
    (void)user;
    if (!d->is_warning)
        fprintf(stderr, "%s:%u:%u: %s\n", d->file ? d->file : "?", d->line,
                d->column, d->message);
}

static void init(void)
{
    const char *path = getenv("TRIAGE_FUZZ_RULES");
    triage_compiler *c;
    size_t n;

    if (path == NULL || *path == '\0')
        path = "rules";
    n = strlen(path);
    if (n > 4 && strcmp(path + n - 4, ".tdb") == 0) {
        if (triage_ruleset_load(path, &rs) != TRIAGE_OK) {
            fprintf(stderr, "fuzz_classify: cannot load %s\n", path);
            abort();
        }
    } else {
        if (triage_compiler_create(&c) != TRIAGE_OK)
            abort();
        triage_compiler_set_diag(c, quiet, NULL);
        triage_compiler_add_path(c, path);
        if (triage_compiler_finish(c, &rs) != TRIAGE_OK) {
            fprintf(stderr, "fuzz_classify: rules in '%s' do not compile "
                    "(set TRIAGE_FUZZ_RULES)\n", path);
            abort();
        }
        triage_compiler_destroy(c);
    }
    if (triage_scratch_create(rs, &s) != TRIAGE_OK ||
        triage_scratch_create(rs, &lean) != TRIAGE_OK ||
        triage_scratch_set_hits(lean, TRIAGE_JSON_HITS_FIRED) != TRIAGE_OK)
        abort();
}

/* The default scratch's line with fired hits only (in 'want') must be
 * the lean scratch's, which skips rules that cannot fire. */
static void same_when_lean(const char *text, size_t size, const char *want, size_t want_len)
{
    const triage_result *r;
    const char *json;
    size_t jlen;

    if (triage_classify(rs, lean, text, size, &r) != TRIAGE_OK ||
        triage_result_json_hits(r, "fuzz", TRIAGE_JSON_HITS_FIRED, &json, &jlen) != TRIAGE_OK)
        abort();
    same_line("fuzz_classify: the lean scratch's line", "all:", want, want_len, "lean:",
              json, jlen);
}

static void use(const char *p)
{
    /* Read every byte of a returned string. */
    if (p != NULL && strlen(p) == (size_t)-1)
        abort();
}

static void check_result(const triage_result *r, size_t len)
{
    triage_hit h;
    triage_trace_step st;
    unsigned i, n;
    const char *json;
    size_t jlen;

    use(triage_result_type(r));
    use(triage_result_nature(r));
    use(triage_result_severity(r));
    use(triage_result_temperament(r));
    use(triage_result_lang(r));
    use(triage_result_level(r));
    use(triage_result_team(r));
    (void)triage_result_confidence(r);
    (void)triage_result_hours(r);
    (void)triage_result_flags(r);
    n = triage_result_also_count(r);
    for (i = 0; i < n; i++)
        use(triage_result_also(r, i));
    n = triage_vocab_count(rs, TRIAGE_AXIS_TYPE);
    for (i = 0; i < n; i++)
        (void)triage_result_type_score(r, i);
    n = triage_result_fired_count(r);
    for (i = 0; i < n; i++)
        use(triage_result_fired(r, i));
    n = triage_result_script_count(r);
    for (i = 0; i < n; i++) {
        use(triage_result_script_id(r, i));
        use(triage_result_script_text(r, i));
    }
    n = triage_result_tag_count(r);
    for (i = 0; i < n; i++)
        use(triage_result_tag(r, i));
    n = triage_result_hit_count(r);
    for (i = 0; i < n; i++) {
        if (triage_result_hit(r, i, &h) != TRIAGE_OK)
            abort();
        use(h.rule_id);
        /* Spans are bytes of the original text. */
        if (h.start > h.end || h.end > len)
            abort();
    }
    n = triage_trace_count(r);
    for (i = 0; i < n; i++)
        if (triage_trace_get(r, i, &st) == TRIAGE_OK) {
            use(st.rule_id);
            use(st.detail);
        }
    if (triage_result_json(r, "fuzz", &json, &jlen) != TRIAGE_OK)
        abort();
    if (memchr(json, '\n', jlen) != NULL || strlen(json) != jlen)
        abort();
    for (i = TRIAGE_JSON_HITS_FIRED; i <= TRIAGE_JSON_HITS_NONE; i++) {
        size_t all = jlen;

        if (triage_result_json_hits(r, NULL, (triage_json_hits)i, &json, &jlen) != TRIAGE_OK ||
            strlen(json) != jlen || jlen > all)
            abort();   /* fewer hits never make a longer line (the id is left out) */
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Compiling the shipped rules takes seconds (more under ASan): done here,
 * before libFuzzer starts timing inputs. The replay driver does not call
 * this, so TestOneInput still compiles lazily. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const triage_result *r;
    const triage_reply_issue *issues;
    const char *json;
    size_t jlen, fast_len;
    unsigned n, i;
    char *text, *fast;

    if (rs == NULL)
        init();
    /* An exact-size copy, not NUL-terminated. */
    text = malloc(size ? size : 1);
    if (text == NULL)
        return 0;
    if (size)
        memcpy(text, data, size);
    triage_scratch_set_trace(s, 0);
    if (triage_classify(rs, s, text, size, &r) != TRIAGE_OK)
        abort();
    check_result(r, size);
    if (triage_result_json(r, "fuzz", &json, &jlen) != TRIAGE_OK ||
        (fast = malloc(jlen + 1)) == NULL)
        abort();
    memcpy(fast, json, jlen);
    fast_len = jlen;
    if (triage_result_json_hits(r, "fuzz", TRIAGE_JSON_HITS_FIRED, &json, &jlen) != TRIAGE_OK)
        abort();
    same_when_lean(text, size, json, jlen);   /* r is still the last result of s */
    /* Again with the trace on: the explain path. It evaluates every
     * candidate rule, where the fast path skips those without a trigger
     * hit (engine/rule_triggers.c): the results must be the same. */
    triage_scratch_set_trace(s, 1);
    if (triage_classify(rs, s, text, size, &r) != TRIAGE_OK)
        abort();
    check_result(r, size);
    if (triage_result_json(r, "fuzz", &json, &jlen) != TRIAGE_OK)
        abort();
    same_line("fuzz_classify: the result with the trace on", "off:", fast, fast_len, "on:",
              json, jlen);
    free(fast);
    triage_scratch_set_trace(s, 0);
    if (triage_check_reply(rs, s, text, size, size & 1, &issues, &n) == TRIAGE_OK)
        for (i = 0; i < n; i++) {
            use(issues[i].check_id);
            use(issues[i].phrase);
            use(issues[i].message);
            if (issues[i].start > issues[i].end || issues[i].end > size)
                abort();
        }
    free(text);
    return 0;
}
