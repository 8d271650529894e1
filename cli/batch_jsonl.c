/*
 * batch_jsonl.c - turns one JSON Lines line into a batch record: finds the
 * text, id, date, customer and kept members and renders them as text.
 */
#include <jansson.h>

#include "batch_internal.h"

struct batch_jsonl {
    char **text_names;     /* members joined into the text; none: guess */
    size_t n_text;
    char *role_names[3];   /* id, date, customer member; NULL: guess */
    char **keep_names;
    size_t n_keep;
    struct batch_field *kept;
    struct batch_buf *keep_vals;
    struct batch_buf text, role_vals[3];
    json_t *root;          /* the current line, owns its strings */
    char msg[200];
    /* Guessed members of the last line's layout: lines of an export share
     * their member names, so a line with the same names in the same order
     * reuses the guesses (text, id, date, customer) instead of repeating
     * the case-insensitive search. */
    struct batch_buf layout;
    char *guessed[4];      /* NULL: the guess found no member */
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
    j->keep_vals = calloc(j->n_keep, sizeof *j->keep_vals);
    if (j->kept == NULL || j->keep_vals == NULL)
        return TRIAGE_ENOMEM;
    for (i = 0; i < j->n_keep; i++)
        j->kept[i].name = j->keep_names[i];
    return TRIAGE_OK;
}

/* The member called 'name': exact spelling first, then ignoring case;
 * *key (when not NULL) is set to the name as the line spells it. */
static json_t *member_key(json_t *obj, const char *name, const char **key)
{
    const char *k;
    json_t *v = json_object_get(obj, name), *found = NULL;

    if (v != NULL) {
        found = v;
        k = name;
    } else {
        /* json_object_foreach leaves v at the last member when nothing
         * matches, so the match is kept apart. */
        json_object_foreach(obj, k, v) {
            if (batch_name_eq(k, strlen(k), name)) {
                found = v;
                break;
            }
        }
    }
    if (key != NULL)
        *key = found != NULL ? k : NULL;
    return found;
}

static json_t *member(json_t *obj, const char *name)
{
    return member_key(obj, name, NULL);
}

/* The first of the role's usual names the line has, and its spelling. */
static json_t *guess_fresh(json_t *obj, enum batch_role role, const char **key)
{
    const char *const *names = batch_role_names(role);
    json_t *v = NULL;

    for (; *names != NULL && v == NULL; names++)
        v = member_key(obj, *names, key);
    return v;
}

/* The line's member names in order, NUL-separated, into 'out'. */
static triage_status layout_of(json_t *obj, struct batch_buf *out)
{
    const char *k;
    json_t *v;

    if (batch_buf_clear(out) != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    json_object_foreach(obj, k, v) {
        (void)v;
        if (batch_buf_add(out, k, strlen(k) + 1) != TRIAGE_OK)
            return TRIAGE_ENOMEM;
    }
    return TRIAGE_OK;
}

static int same_layout(json_t *obj, const struct batch_buf *l)
{
    const char *k;
    json_t *v;
    size_t at = 0, n;

    json_object_foreach(obj, k, v) {
        (void)v;
        n = strlen(k) + 1;
        if (at + n > l->len || memcmp(l->data + at, k, n) != 0)
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

/* Refresh j->guessed when this line's member names differ from the last. */
static triage_status learn_layout(struct batch_jsonl *j)
{
    const char *key;
    int k;

    if (j->have_layout && same_layout(j->root, &j->layout))
        return TRIAGE_OK;
    j->have_layout = 0;
    if (layout_of(j->root, &j->layout) != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    for (k = 0; k < 4; k++) {
        free(j->guessed[k]);
        j->guessed[k] = NULL;
        if (guess_fresh(j->root, slot_role(k), &key) != NULL &&
            (j->guessed[k] = strdup(key)) == NULL)
            return TRIAGE_ENOMEM;
    }
    j->have_layout = 1;
    return TRIAGE_OK;
}

static json_t *guess(struct batch_jsonl *j, int slot)
{
    return j->guessed[slot] ? json_object_get(j->root, j->guessed[slot]) : NULL;
}

/* Append a member as text: strings as they are, numbers as written. */
static triage_status render(json_t *v, struct batch_buf *b)
{
    char num[64];
    char *dump;
    triage_status st;

    switch (json_typeof(v)) {
    case JSON_STRING:
        return batch_buf_add(b, json_string_value(v), json_string_length(v));
    case JSON_INTEGER:
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
                 json_integer_value(v));
        return batch_buf_add(b, num, strlen(num));
    case JSON_REAL:
        snprintf(num, sizeof num, "%.15g", json_real_value(v));
        return batch_buf_add(b, num, strlen(num));
    case JSON_TRUE:
        return batch_buf_add(b, "true", 4);
    case JSON_FALSE:
        return batch_buf_add(b, "false", 5);
    case JSON_NULL:
        return TRIAGE_OK;
    default:
        dump = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        if (dump == NULL)
            return TRIAGE_ENOMEM;
        st = batch_buf_add(b, dump, strlen(dump));
        free(dump);
        return st;
    }
}

/* Set rec->text, or rec->error when the text members are unusable. */
static triage_status text_value(struct batch_jsonl *j,
                                struct batch_record *rec)
{
    size_t i, n = j->n_text ? j->n_text : 1, mark;
    int found = 0;
    json_t *v;

    if (batch_buf_clear(&j->text) != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    for (i = 0; i < n; i++) {
        v = j->n_text ? member(j->root, j->text_names[i])
                      : guess(j, 0);
        if (v == NULL || json_is_null(v))
            continue;
        if (!json_is_string(v) && !json_is_number(v)) {
            rec->error = "text field is not a string";
            return TRIAGE_OK;
        }
        found = 1;
        mark = j->text.len;
        if ((mark > 0 && batch_buf_add(&j->text, "\n", 1)) ||
            render(v, &j->text) != TRIAGE_OK)
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
    json_t *v = j->role_names[k] ? member(j->root, j->role_names[k])
                                 : guess(j, k + 1);
    struct batch_buf *b = &j->role_vals[k];
    const char *p;
    size_t n;

    *out = NULL;
    if (v == NULL || json_is_object(v) || json_is_array(v))
        return TRIAGE_OK;
    if (batch_buf_clear(b) != TRIAGE_OK || render(v, b) != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    p = b->data;
    n = b->len;
    batch_trim(&p, &n);
    if (n == 0)
        return TRIAGE_OK;
    memmove(b->data, p, n);
    b->data[b->len = n] = '\0';
    *out = b->data;
    return TRIAGE_OK;
}

/* jansson's message without its " near '...'" part, which quotes input. */
static void json_message(struct batch_jsonl *j, const json_error_t *e)
{
    const char *near = strstr(e->text, " near ");
    int n = near ? (int)(near - e->text) : (int)strlen(e->text);

    if (e->column > 0)
        snprintf(j->msg, sizeof j->msg, "invalid JSON: %.*s at column %d", n,
                 e->text, e->column);
    else
        snprintf(j->msg, sizeof j->msg, "invalid JSON: %.*s", n, e->text);
}

triage_status batch_jsonl_record(struct batch_jsonl *j, const char *line,
                                 size_t len, struct batch_record *rec)
{
    const char **role_out[3] = { &rec->id, &rec->date, &rec->customer };
    json_error_t e;
    size_t i;

    json_decref(j->root);
    j->root = NULL;
    if (batch_is_blank(line, len)) {
        rec->error = "empty line";
        return TRIAGE_OK;
    }
    j->root = json_loadb(line, len, JSON_ALLOW_NUL, &e);
    if (j->root == NULL) {
        if (json_error_code(&e) == json_error_out_of_memory)
            return TRIAGE_ENOMEM;
        json_message(j, &e);
        rec->error = j->msg;
        return TRIAGE_OK;
    }
    if (!json_is_object(j->root)) {
        rec->error = "JSON line is not an object";
        return TRIAGE_OK;
    }
    if (learn_layout(j) != TRIAGE_OK || text_value(j, rec) != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    for (i = 0; i < 3; i++)
        if (role_value(j, (int)i, role_out[i]) != TRIAGE_OK)
            return TRIAGE_ENOMEM;
    for (i = 0; i < j->n_keep; i++) {
        struct batch_buf *b = &j->keep_vals[i];
        json_t *v = member(j->root, j->keep_names[i]);
        if (batch_buf_clear(b) != TRIAGE_OK ||
            (v != NULL && render(v, b) != TRIAGE_OK))
            return TRIAGE_ENOMEM;
        j->kept[i].value = b->data;
        j->kept[i].len = b->len;
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
    json_decref(j->root);
    free_names(j->text_names, j->n_text);
    free_names(j->keep_names, j->n_keep);
    for (i = 0; i < 3; i++) {
        free(j->role_names[i]);
        batch_buf_free(&j->role_vals[i]);
    }
    for (i = 0; j->keep_vals != NULL && i < j->n_keep; i++)
        batch_buf_free(&j->keep_vals[i]);
    free(j->keep_vals);
    free(j->kept);
    batch_buf_free(&j->text);
    batch_buf_free(&j->layout);
    for (i = 0; i < 4; i++)
        free(j->guessed[i]);
    free(j);
}
