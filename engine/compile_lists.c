/*
 * compile_lists.c - named conditions ('lists:') that rules share. A rule
 * writes { list: told_harmless } wherever a condition may stand, and the
 * list's condition is compiled there as if written in place, so one
 * exclusion ("the doctor said it is harmless") is kept in one place
 * instead of copied into every rule that needs it.
 */
#include <string.h>
#include "compile_int.h"

struct tri_list_def {
    const struct tri_ynode *id, *match;
    const char *file;            /* document that declares it             */
    int busy, used;
};

static struct tri_list_def *defs(struct tri_build *b, size_t *n)
{
    *n = b->lists.len / sizeof(struct tri_list_def);
    return (struct tri_list_def *)b->lists.data;
}

static struct tri_list_def *find(struct tri_build *b, const char *id)
{
    size_t i, n;
    struct tri_list_def *d = defs(b, &n);

    for (i = 0; i < n; i++)
        if (strcmp(d[i].id->str, id) == 0)
            return &d[i];
    return NULL;
}

/* Every document's lists are declared before any rule is compiled, so a
 * rule may use a list from any file. */
void tri_lists_declare(struct tri_build *b, const struct tri_ynode *seq)
{
    static const char *const keys[] = { "id", "title", "match", NULL };
    struct tri_list_def d;
    const struct tri_ynode *n;
    size_t i;

    if (!tri_expect(b, seq, TRI_Y_SEQ, "lists"))
        return;
    for (i = 0; i < seq->n; i++) {
        n = seq->kids[i];
        if (!tri_expect(b, n, TRI_Y_MAP, "a list"))
            continue;
        tri_check_keys(b, n, keys, "a list");
        memset(&d, 0, sizeof d);
        d.id = tri_map_get(n, "id");
        d.match = tri_map_get(n, "match");
        d.file = b->file;
        if (d.id == NULL || !tri_expect(b, d.id, TRI_Y_SCALAR, "id") || d.id->len == 0) {
            tri_err(b, n, TRIAGE_ERULE_SCHEMA, "list without an id");
            continue;
        }
        if (d.match == NULL) {
            tri_err(b, n, TRIAGE_ERULE_SCHEMA, "list '%s' has no 'match'", d.id->str);
            continue;
        }
        if (find(b, d.id->str) != NULL) {
            tri_err(b, d.id, TRIAGE_ERULE_SCHEMA, "duplicate list id '%s'", d.id->str);
            continue;
        }
        if (tri_buf_add(&b->lists, &d, sizeof d) != TRIAGE_OK)
            tri_err(b, n, TRIAGE_ENOMEM, "out of memory");
    }
}

/*
 * The condition { list: NAME } at n: NAME's condition compiled in place by
 * 'compile' (errors inside it name the list's own file and line). The
 * caller applies the reference's own modes ({ list: NAME, negated:
 * include }). A list that reaches itself, directly or through others, is
 * an error, not an endless walk.
 */
uint32_t tri_list_use(struct tri_build *b, const struct tri_ynode *n, int depth,
                      uint32_t (*compile)(struct tri_build *, const struct tri_ynode *, int))
{
    static const char *const keys[] = { "list", "negated", "hypothetical", "question",
                                        NULL };
    const struct tri_ynode *name = tri_map_get(n, "list");
    struct tri_list_def *d;
    const char *file = b->file;
    uint32_t at;

    if (tri_check_keys(b, n, keys, "a list reference") != 0 ||
        !tri_expect(b, name, TRI_Y_SCALAR, "a list name"))
        return TRI_NONE;
    if ((d = find(b, name->str)) == NULL) {
        tri_err(b, name, TRIAGE_ERULE_SCHEMA, "unknown list '%s'", name->str);
        return TRI_NONE;
    }
    if (d->busy) {
        tri_err(b, name, TRIAGE_ERULE_SCHEMA, "list '%s' refers to itself", name->str);
        return TRI_NONE;
    }
    d->busy = d->used = 1;
    b->file = d->file;
    at = compile(b, d->match, depth);
    b->file = file;
    d->busy = 0;
    return at;
}

/* A list no rule uses is most likely a misspelt reference elsewhere. */
void tri_lists_finish(struct tri_build *b)
{
    size_t i, n;
    struct tri_list_def *d = defs(b, &n);
    const char *file = b->file;

    for (i = 0; i < n; i++)
        if (!d[i].used) {
            b->file = d[i].file;
            tri_warn(b, d[i].id, "list '%s' is never used", d[i].id->str);
        }
    b->file = file;
}
