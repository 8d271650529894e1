/* test_util.h - shared includes and helpers for the cmocka unit programs. */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "triage.h"

/* The rule set of compiler c, to which the rules were added with status
 * 'added', when it compiles with no error and no warning; else NULL.
 * Destroys c. */
static inline triage_ruleset *finish_clean(triage_compiler *c, triage_status added)
{
    triage_ruleset *rs = NULL;

    if (added != TRIAGE_OK || triage_compiler_finish(c, &rs) != TRIAGE_OK ||
        triage_compiler_errors(c) + triage_compiler_warnings(c) != 0) {
        triage_ruleset_destroy(rs);
        rs = NULL;
    }
    triage_compiler_destroy(c);
    return rs;
}

/* The rules at 'path' compiled with no error and no warning, or NULL. */
static inline triage_ruleset *compile_rules_file(const char *path)
{
    triage_compiler *c = NULL;

    if (triage_compiler_create(&c) != TRIAGE_OK)
        return NULL;
    return finish_clean(c, triage_compiler_add_path(c, path));
}

/* The rules in the string 'yaml', the same way. */
static inline triage_ruleset *compile_rules_string(const char *yaml)
{
    triage_compiler *c = NULL;

    if (triage_compiler_create(&c) != TRIAGE_OK)
        return NULL;
    return finish_clean(c, triage_compiler_add_string(c, "rules.yaml", yaml, strlen(yaml)));
}

/* 1 if rule 'id' fired in result r. */
static inline int fired(const triage_result *r, const char *id)
{
    unsigned i;

    for (i = 0; i < triage_result_fired_count(r); i++)
        if (strcmp(triage_result_fired(r, i), id) == 0)
            return 1;
    return 0;
}
#endif
