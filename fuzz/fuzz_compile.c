/*
 * fuzz_compile.c - arbitrary bytes as one YAML rule file: add_string, then
 * finish (and lint when it compiled), classify a few texts with the trace
 * off and on (the results must agree), then destroy everything.
 * Diagnostics are checked for sane positions but otherwise ignored.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "triage.h"
#include "same_line.h"

static void on_diag(const triage_diag *d, void *user)
{
    (void)user;
    /* Touch every string so a dangling pointer shows under ASan. */
    if (d->file != NULL && strlen(d->file) == (size_t)-1)
        abort();
    if (d->message == NULL || strlen(d->message) == (size_t)-1)
        abort();
    if (d->rule_id != NULL && strlen(d->rule_id) == (size_t)-1)
        abort();
}

/* Classified with the trace off (candidates without a trigger hit are
 * skipped, engine/rule_triggers.c) and on (every candidate evaluated):
 * whatever shape the fuzzer gave the rules, the results are the same. */
static void same_with_trace(triage_ruleset *rs, triage_scratch *s, const char *text)
{
    const triage_result *r;
    const char *json;
    size_t jlen, fast_len;
    char *fast;

    triage_scratch_set_trace(s, 0);
    if (triage_classify(rs, s, text, strlen(text), &r) != TRIAGE_OK ||
        triage_result_json(r, "x", &json, &jlen) != TRIAGE_OK)
        return;
    fast = malloc(jlen + 1);
    if (fast == NULL)
        return;
    memcpy(fast, json, jlen);
    fast_len = jlen;
    triage_scratch_set_trace(s, 1);
    if (triage_classify(rs, s, text, strlen(text), &r) == TRIAGE_OK &&
        triage_result_json(r, "x", &json, &jlen) == TRIAGE_OK)
        same_line("fuzz_compile: the result with the trace on", "off:", fast, fast_len, "on:",
                  json, jlen);
    free(fast);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    triage_compiler *c = NULL;
    triage_ruleset *rs = NULL;
    triage_scratch *s = NULL;
    static const char *const texts[] = {
        "吃了以后过敏，药品发霉了 refund please 没有效果?",
        "没有头晕也没有恶心吗？如果再发霉就退款。批号AB1234，订单号5678",
        "I got a rash after taking it, not dizzy, no refund yet. 気持ち悪い",
    };
    size_t i;
    char *copy;

    if (triage_compiler_create(&c) != TRIAGE_OK)
        return 0;
    triage_compiler_set_diag(c, on_diag, NULL);
    /* An exact-size copy: the library must not read past 'size'. */
    copy = malloc(size ? size : 1);
    if (copy == NULL) {
        triage_compiler_destroy(c);
        return 0;
    }
    if (size)
        memcpy(copy, data, size);
    triage_compiler_add_string(c, "fuzz.yaml", copy, size);
    free(copy);
    if (triage_compiler_finish(c, &rs) == TRIAGE_OK) {
        triage_compiler_lint(c, rs);
        /* A rule set that compiled must also classify. */
        if (triage_scratch_create(rs, &s) == TRIAGE_OK) {
            for (i = 0; i < sizeof texts / sizeof texts[0]; i++)
                same_with_trace(rs, s, texts[i]);
            triage_scratch_destroy(s);
        }
        triage_ruleset_destroy(rs);
    }
    triage_compiler_destroy(c);
    return 0;
}
