/*
 * compile_util.c - small helpers the compiler passes share: reading typed
 * values out of the YAML tree with positioned errors, and literal folding.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "compile_int.h"
#include "normalize.h"

static const char *const kind_names[] = { "a scalar", "a list", "a mapping" };

void tri_err(struct tri_build *b, const struct tri_ynode *n, triage_status code,
             const char *fmt, ...)
{
    char msg[768];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    tri_diag(&b->c->diag, code, 0, b->file, n ? n->line : 0, n ? n->col : 0,
             b->rule_id, -1, -1, "%s", msg);
}

void tri_warn(struct tri_build *b, const struct tri_ynode *n, const char *fmt, ...)
{
    char msg[768];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    tri_diag(&b->c->diag, TRIAGE_OK, 1, b->file, n ? n->line : 0,
             n ? n->col : 0, b->rule_id, -1, -1, "%s", msg);
}

const struct tri_ynode *tri_map_get(const struct tri_ynode *map, const char *key)
{
    size_t i;

    if (map == NULL || map->kind != TRI_Y_MAP)
        return NULL;
    for (i = 0; i + 1 < map->n; i += 2)
        if (map->kids[i]->kind == TRI_Y_SCALAR && strcmp(map->kids[i]->str, key) == 0)
            return map->kids[i + 1];
    return NULL;
}

/* Reports unknown and repeated keys; returns the number of problems. */
int tri_check_keys(struct tri_build *b, const struct tri_ynode *map,
                   const char *const *allowed, const char *what)
{
    size_t i, j, k;
    int bad = 0;

    for (i = 0; i + 1 < map->n; i += 2) {
        const struct tri_ynode *key = map->kids[i];

        if (key->kind != TRI_Y_SCALAR) {
            tri_err(b, key, TRIAGE_ERULE_SCHEMA, "%s keys must be plain words", what);
            bad++;
            continue;
        }
        for (k = 0; allowed[k] != NULL && strcmp(allowed[k], key->str) != 0; k++)
            ;
        if (allowed[k] == NULL) {
            tri_err(b, key, TRIAGE_ERULE_SCHEMA, "unknown key '%s' in %s",
                    key->str, what);
            bad++;
        }
        for (j = 0; j < i; j += 2)
            if (map->kids[j]->kind == TRI_Y_SCALAR &&
                strcmp(map->kids[j]->str, key->str) == 0) {
                tri_err(b, key, TRIAGE_ERULE_SCHEMA, "key '%s' repeated in %s",
                        key->str, what);
                bad++;
                break;
            }
    }
    return bad;
}

int tri_expect(struct tri_build *b, const struct tri_ynode *n,
               enum tri_ykind kind, const char *what)
{
    if (n != NULL && n->kind == kind)
        return 1;
    tri_err(b, n, TRIAGE_ERULE_SCHEMA, "%s must be %s", what, kind_names[kind]);
    return 0;
}

int tri_get_double(struct tri_build *b, const struct tri_ynode *n,
                   double lo, double hi, double *out)
{
    char *end;
    double v;

    if (!tri_expect(b, n, TRI_Y_SCALAR, "a number"))
        return 0;
    errno = 0;
    v = strtod(n->str, &end);
    if (n->len == 0 || *end != '\0' || errno != 0 || !isfinite(v)) {
        tri_err(b, n, TRIAGE_ERULE_SCHEMA, "'%s' is not a number", n->str);
        return 0;
    }
    if (v < lo || v > hi) {
        tri_err(b, n, TRIAGE_ERULE_SCHEMA, "%s is out of range [%g, %g]",
                n->str, lo, hi);
        return 0;
    }
    *out = v;
    return 1;
}

int tri_get_uint(struct tri_build *b, const struct tri_ynode *n,
                 uint32_t lo, uint32_t hi, uint32_t *out)
{
    double v;

    if (!tri_get_double(b, n, lo, hi, &v))
        return 0;
    if (v != floor(v)) {
        tri_err(b, n, TRIAGE_ERULE_SCHEMA, "%s is not a whole number", n->str);
        return 0;
    }
    *out = (uint32_t)v;
    return 1;
}

int tri_get_bool(struct tri_build *b, const struct tri_ynode *n, int *out)
{
    if (!tri_expect(b, n, TRI_Y_SCALAR, "a boolean"))
        return 0;
    if (strcmp(n->str, "true") == 0 || strcmp(n->str, "yes") == 0) {
        *out = 1;
        return 1;
    }
    if (strcmp(n->str, "false") == 0 || strcmp(n->str, "no") == 0) {
        *out = 0;
        return 1;
    }
    tri_err(b, n, TRIAGE_ERULE_SCHEMA, "'%s' is not true or false", n->str);
    return 0;
}

uint32_t tri_u32_push(struct tri_build *b, uint32_t v)
{
    uint32_t at = tri_u32_count(b);

    if (tri_buf_add(&b->u32s, &v, sizeof v) != TRIAGE_OK)
        tri_err(b, NULL, TRIAGE_ENOMEM, "out of memory");
    return at;
}

uint32_t tri_u32_count(const struct tri_build *b)
{
    return (uint32_t)(b->u32s.len / sizeof(uint32_t));
}

triage_status tri_fold_literal(const char *s, size_t n, struct tri_buf *out)
{
    struct tri_norm norm;
    triage_status st;

    tri_norm_init(&norm);
    st = tri_normalize(&norm, s, n);
    out->len = 0;
    if (st == TRIAGE_OK)
        st = tri_buf_add(out, norm.text, norm.len);
    tri_norm_free(&norm);
    return st;
}

/*
 * A regex runs on folded text, so its Han characters fold the same way
 * (traditional to simplified: 搵 -> 揾, 嗰 -> 𠮶, 後 -> 后); nothing else
 * changes, since no Han character is regex syntax. Invalid UTF-8 is copied
 * as it is, for PCRE2 to refuse.
 */
triage_status tri_fold_regex(const char *s, size_t n, struct tri_buf *out)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0;

    out->len = 0;
    while (i < n) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &c);
        utf8proc_uint8_t enc[4];
        uint32_t t = k > 0 && tri_is_han((uint32_t)c) ? tri_t2s((uint32_t)c) : (uint32_t)c;
        triage_status st;

        if (k <= 0)
            k = 1;
        if (t != (uint32_t)c)
            st = tri_buf_add(out, enc, (size_t)utf8proc_encode_char((utf8proc_int32_t)t, enc));
        else
            st = tri_buf_add(out, s + i, (size_t)k);
        if (st != TRIAGE_OK)
            return st;
        i += (size_t)k;
    }
    /* An empty buffer still needs a string to point at. */
    return tri_buf_add(out, "", 0);
}

triage_status tri_pool_add(struct tri_table *t, const char *s, size_t n,
                           uint32_t *off)
{
    *off = (uint32_t)t->pool.len;
    if (t->pool.len + n + 1 >= UINT32_MAX)
        return TRIAGE_ELIMIT;
    if (tri_buf_add(&t->pool, s, n) != TRIAGE_OK ||
        tri_buf_addc(&t->pool, '\0') != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    return TRIAGE_OK;
}
