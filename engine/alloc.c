/*
 * alloc.c - the engine's one allocation path, replaceable through
 * triage_set_allocator() so tests can fail the k-th allocation.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* The only mutable global of the engine: set before any object exists,
 * like sqlite3_config(SQLITE_CONFIG_MALLOC). */
static triage_allocator g_alloc;

void triage_set_allocator(const triage_allocator *a)
{
    if (a == NULL)
        memset(&g_alloc, 0, sizeof g_alloc);
    else
        g_alloc = *a;
}

void *tri_malloc(size_t n)
{
    if (g_alloc.malloc_fn != NULL)
        return g_alloc.malloc_fn(n ? n : 1, g_alloc.user);
    return malloc(n ? n : 1);
}

void *tri_calloc(size_t n, size_t size)
{
    void *p;

    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    p = tri_malloc(n * size);
    if (p != NULL)
        memset(p, 0, n * size);
    return p;
}

void *tri_realloc(void *p, size_t n)
{
    if (g_alloc.realloc_fn != NULL)
        return g_alloc.realloc_fn(p, n ? n : 1, g_alloc.user);
    return realloc(p, n ? n : 1);
}

void tri_free(void *p)
{
    if (p == NULL)
        return;
    if (g_alloc.free_fn != NULL)
        g_alloc.free_fn(p, g_alloc.user);
    else
        free(p);
}

char *tri_strndup(const char *s, size_t n)
{
    char *p = tri_malloc(n + 1);

    if (p == NULL)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* Doubling growth keeps appends amortised O(1). */
triage_status tri_grow_slow(void **buf, size_t *cap, size_t need, size_t size)
{
    size_t ncap;
    void *p;

    if (need <= *cap)
        return TRIAGE_OK;
    ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / size)
            return TRIAGE_ENOMEM;
        ncap *= 2;
    }
    p = tri_realloc(*buf, ncap * size);
    if (p == NULL)
        return TRIAGE_ENOMEM;
    *buf = p;
    *cap = ncap;
    return TRIAGE_OK;
}
