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
#endif
