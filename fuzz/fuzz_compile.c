/*
 * fuzz_compile.c - arbitrary bytes as one YAML rule file: add_string, then
 * finish (and lint when it compiled), then destroy everything. Diagnostics
 * are checked for sane positions but otherwise ignored.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "triage.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    triage_compiler *c = NULL;
    triage_ruleset *rs = NULL;
    triage_scratch *s = NULL;
    const triage_result *r;
    const char *json;
    size_t jlen;
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
            static const char text[] = "吃了以后过敏，药品发霉了 refund please 没有效果?";
            if (triage_classify(rs, s, text, sizeof text - 1, &r) == TRIAGE_OK)
                triage_result_json(r, "x", &json, &jlen);
            triage_scratch_destroy(s);
        }
        triage_ruleset_destroy(rs);
    }
    triage_compiler_destroy(c);
    return 0;
}
