/*
 * rules_cache.h - compiled tables cached by the content of the rule files
 * and the binary (see rules_cache.c).
 */
#ifndef TRIAGE_RULES_CACHE_H
#define TRIAGE_RULES_CACHE_H

#include <stddef.h>
#include "triage.h"

/* The cache file for these rule paths into buf; -1 when caching is off
 * (TRIAGE_CACHE=off), a path cannot be read, or there is no cache folder. */
int rules_cache_path(const char *const *paths, int n, char *buf, size_t len);
/* Keep the newest cached tables beside 'table', delete the rest. */
void rules_cache_prune(const char *table);
/* The cache folder into buf, or NULL when caching is off or there is
 * none: where a table of another machine keeps its rebuilt databases. */
const char *rules_cache_dir(char *buf, size_t len);
/* Let compiler c keep and reuse its Vectorscan databases in the cache
 * folder (unless TRIAGE_CACHE=off). */
void rules_cache_use(triage_compiler *c);

#endif
