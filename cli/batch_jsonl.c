/*
 * batch_jsonl.c - turns one JSON Lines line into a batch record: finds the
 * text, id, date, customer and kept members and renders them as text.
 */
#include <stddef.h>

#include "batch_internal.h"

struct batch_jsonl {
    char **text_names;     /* members joined into the text; none: guess */
    size_t n_text;
    char *role_names[3];   /* id, date, customer member; NULL: guess */
    char **keep_names;
    size_t n_keep;
    struct batch_field *kept;
    struct batch_buf text, role_vals[3];
    struct batch_jflat flat;   /* the current line's members */
    /* Guessed members of the last line's layout: lines of an export share
     * their member names, so a line with the same names in the same order
     * reuses the guesses (text, id, date, customer) instead of repeating
     * the case-insensitive search. */
    struct batch_buf layout;
    ptrdiff_t guessed[4];  /* member index; -1: the guess found none */
    int have_layout;
};

static const enum batch_role roles[3] = {
    BATCH_ROLE_ID, BATCH_ROLE_DATE, BATCH_ROLE_CUSTOMER
};

/* Copy a member spec; numbers are refused (members have no position). */
static triage_status copy_spec(const char *spec, char **out, char *err,
                               size_t errlen)
{
    const char *p = spec;
    size_t n = strlen(spec), i;

    batch_trim(&p, &n);
    for (i = 0; i < n && p[i] >= '0' && p[i] <= '9'; i++)
        ;
    if (n == 0 || i == n) {
        snprintf(err, errlen,
                 "JSON Lines members go by name, not number ('%s')", spec);
        return TRIAGE_EINVAL;
    }
    *out = malloc(n + 1);
    if (*out == NULL)
        return TRIAGE_ENOMEM;
    memcpy(*out, p, n);
    (*out)[n] = '\0';
    return TRIAGE_OK;
}

static triage_status copy_specs(const char *const *specs, size_t n,
                                char ***out, char *err, size_t errlen)
{
    triage_status st = TRIAGE_OK;
    size_t i;

    if (n == 0)
        return TRIAGE_OK;
    *out = calloc(n, sizeof **out);
    if (*out == NULL)
        return TRIAGE_ENOMEM;
    for (i = 0; i < n && st == TRIAGE_OK; i++)
        st = copy_spec(specs[i], &(*out)[i], err, errlen);
    return st;
}

triage_status batch_jsonl_create(struct batch_jsonl **out,
                                 const struct batch_opts *o, char *err,
                                 size_t errlen)
{
    const char *role_specs[3] = { o->id_col, o->date_col, o->customer_col };
    struct batch_jsonl *j = calloc(1, sizeof *j);
    triage_status st;
    size_t i;

    *out = j;    /* the reader destroys it whatever happens */
    if (j == NULL)
        return TRIAGE_ENOMEM;
    j->n_text = o->n_text_cols;
    j->n_keep = o->n_keep_cols;
    st = copy_specs(o->text_cols, o->n_text_cols, &j->text_names, err,
                    errlen);
    if (st == TRIAGE_OK)
        st = copy_specs(o->keep_cols, o->n_keep_cols, &j->keep_names, err,
                        errlen);
    for (i = 0; i < 3 && st == TRIAGE_OK; i++)
        if (role_specs[i] != NULL)
            st = copy_spec(role_specs[i], &j->role_names[i], err, errlen);
    if (st != TRIAGE_OK || j->n_keep == 0)
        return st;
    j->kept = calloc(j->n_keep, sizeof *j->kept);
    if (j->kept == NULL)
        return TRIAGE_ENOMEM;
    for (i = 0; i < j->n_keep; i++)
        j->kept[i].name = j->keep_names[i];
    return TRIAGE_OK;
}

/* The member called 'name': exact spelling first, then ignoring case. */
static const struct batch_jmember *member(const struct batch_jflat *f,
                                          const char *name)
{
    size_t i, n = strlen(name);

    for (i = 0; i < f->n; i++)
        if (f->m[i].klen == n && memcmp(f->m[i].key, name, n) == 0)
            return &f->m[i];
    for (i = 0; i < f->n; i++)
        if (batch_name_eq(f->m[i].key, f->m[i].klen, name))
            return &f->m[i];
    return NULL;
}

/* The first of the role's usual names the line has. */
static const struct batch_jmember *guess_fresh(const struct batch_jflat *f,
                                               enum batch_role role)
{
    const char *const *names = batch_role_names(role);
    const struct batch_jmember *v = NULL;

    for (; *names != NULL && v == NULL; names++)
        v = member(f, *names);
    return v;
}

/* The line's member names in order, NUL-separated, into 'out'. */
static triage_status layout_of(const struct batch_jflat *f,
                               struct batch_buf *out)
{
    size_t i;

    if (batch_buf_clear(out) != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    for (i = 0; i < f->n; i++)
        if (batch_buf_add(out, f->m[i].key, f->m[i].klen + 1) != TRIAGE_OK)
            return TRIAGE_ENOMEM;
    return TRIAGE_OK;
}

static int same_layout(const struct batch_jflat *f, const struct batch_buf *l)
{
    size_t i, at = 0, n;

    for (i = 0; i < f->n; i++) {
        n = f->m[i].klen + 1;
        if (at + n > l->len || memcmp(l->data + at, f->m[i].key, n) != 0)
            return 0;
        at += n;
    }
    return at == l->len;
}

/* Slot 0 is the text, 1..3 the roles of 'roles'. */
static enum batch_role slot_role(int slot)
{
    return slot == 0 ? BATCH_ROLE_TEXT : roles[slot - 1];
}

/* Refresh j->guessed (member positions) when this line's member names
 * differ from the last line's. */
static triage_status learn_layout(struct batch_jsonl *j)
{
    const struct batch_jmember *v;
    int k;

    if (j->have_layout && same_layout(&j->flat, &j->layout))
        return TRIAGE_OK;
    j->have_layout = 0;
    if (layout_of(&j->flat, &j->layout) != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    for (k = 0; k < 4; k++) {
        v = guess_fresh(&j->flat, slot_role(k));
        j->guessed[k] = v != NULL ? v - j->flat.m : -1;
    }
    j->have_layout = 1;
    return TRIAGE_OK;
}

static const struct batch_jmember *guess(struct batch_jsonl *j, int slot)
{
    return j->guessed[slot] >= 0 ? &j->flat.m[j->guessed[slot]] : NULL;
}

/* Set rec->text, or rec->error when the text members are unusable. */
static triage_status text_value(struct batch_jsonl *j,
                                struct batch_record *rec)
{
    size_t i, n = j->n_text ? j->n_text : 1, mark;
    int found = 0;
    const struct batch_jmember *v;

    if (batch_buf_clear(&j->text) != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    for (i = 0; i < n; i++) {
        v = j->n_text ? member(&j->flat, j->text_names[i]) : guess(j, 0);
        if (v == NULL || v->kind == BATCH_J_NULL)
            continue;
        if (v->kind != BATCH_J_STRING && v->kind != BATCH_J_NUMBER) {
            rec->error = "text field is not a string";
            return TRIAGE_OK;
        }
        found = 1;
        mark = j->text.len;
        if ((mark > 0 && batch_buf_add(&j->text, "\n", 1)) ||
            batch_buf_add(&j->text, v->val, v->vlen) != TRIAGE_OK)
            return TRIAGE_ENOMEM;
        if (batch_is_blank(j->text.data + mark, j->text.len - mark))
            j->text.data[j->text.len = mark] = '\0';   /* leave it out */
    }
    if (!found)
        rec->error = "missing text field";
    else if (batch_is_blank(j->text.data, j->text.len))
        rec->error = "empty text";
    else {
        rec->text = j->text.data;
        rec->text_len = j->text.len;
    }
    return TRIAGE_OK;
}

/* Id, date or customer: a trimmed scalar, NULL when absent or blank. */
static triage_status role_value(struct batch_jsonl *j, int k,
                                const char **out)
{
    const struct batch_jmember *v = j->role_names[k]
                                        ? member(&j->flat, j->role_names[k])
                                        : guess(j, k + 1);
    struct batch_buf *b = &j->role_vals[k];
    const char *p;
    size_t n;

    *out = NULL;
    if (v == NULL || v->kind == BATCH_J_NESTED)
        return TRIAGE_OK;
    p = v->val;
    n = v->vlen;
    batch_trim(&p, &n);
    if (n == 0)
        return TRIAGE_OK;
    if (batch_buf_clear(b) != TRIAGE_OK || batch_buf_add(b, p, n) != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    *out = b->data;
    return TRIAGE_OK;
}

triage_status batch_jsonl_record(struct batch_jsonl *j, const char *line,
                                 size_t len, struct batch_record *rec)
{
    const char **role_out[3] = { &rec->id, &rec->date, &rec->customer };
    const struct batch_jmember *v;
    triage_status st;
    size_t i;

    if (batch_is_blank(line, len)) {
        rec->error = "empty line";
        return TRIAGE_OK;
    }
    if ((st = batch_jflat_parse(&j->flat, line, len, &rec->error)) != TRIAGE_OK)
        return st;
    if (rec->error != NULL)
        return TRIAGE_OK;
    if (learn_layout(j) != TRIAGE_OK || text_value(j, rec) != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    for (i = 0; i < 3; i++)
        if (role_value(j, (int)i, role_out[i]) != TRIAGE_OK)
            return TRIAGE_ENOMEM;
    for (i = 0; i < j->n_keep; i++) {
        v = member(&j->flat, j->keep_names[i]);
        j->kept[i].value = v != NULL ? v->val : "";
        j->kept[i].len = v != NULL ? v->vlen : 0;
    }
    rec->kept = j->kept;
    rec->n_kept = j->n_keep;
    return TRIAGE_OK;
}

static void free_names(char **v, size_t n)
{
    size_t i;

    for (i = 0; v != NULL && i < n; i++)
        free(v[i]);
    free(v);
}

void batch_jsonl_destroy(struct batch_jsonl *j)
{
    size_t i;

    if (j == NULL)
        return;
    batch_jflat_free(&j->flat);
    free_names(j->text_names, j->n_text);
    free_names(j->keep_names, j->n_keep);
    for (i = 0; i < 3; i++) {
        free(j->role_names[i]);
        batch_buf_free(&j->role_vals[i]);
    }
    free(j->kept);
    batch_buf_free(&j->text);
    batch_buf_free(&j->layout);
    free(j);
}
