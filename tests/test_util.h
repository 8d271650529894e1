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
