/*
 * batch_jsonl_flat.c - one JSON Lines line as a flat list of members with
 * their values rendered as text. Export lines are nearly always one flat
 * object of strings and numbers: a scanner decodes those in place, and any
 * other line (nesting, reals, odd escapes, invalid JSON) goes to jansson,
 * which decides it exactly as before and words the errors.
 */
#include <jansson.h>

#include "batch_internal.h"

/* Room for one more member; positions are offsets into f->store until the
 * line is done, as the store may move while it grows. */
static triage_status add_member(struct batch_jflat *f,
                                struct batch_jmember **out)
{
    struct batch_jmember *m;
    size_t cap;

    if (f->n == f->cap) {
        cap = f->cap ? f->cap * 2 : 16;
        m = realloc(f->m, cap * sizeof *m);
        if (m == NULL)
            return TRIAGE_ENOMEM;
        f->m = m;
        f->cap = cap;
    }
    *out = &f->m[f->n++];
    return TRIAGE_OK;
}

static size_t skip_ws(const unsigned char *s, size_t len, size_t i)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
                       s[i] == '\r'))
        i++;
    return i;
}

static int hex4(const unsigned char *s, size_t len, size_t i, unsigned *out)
{
    unsigned v = 0, d;
    size_t k;

    if (i + 4 > len)
        return 0;
    for (k = 0; k < 4; k++) {
        d = s[i + k];
        if (d >= '0' && d <= '9')
            d -= '0';
        else if ((d | 0x20) >= 'a' && (d | 0x20) <= 'f')
            d = (d | 0x20) - 'a' + 10;
        else
            return 0;
        v = v << 4 | d;
    }
    *out = v;
    return 1;
}

static triage_status put_cp(struct batch_buf *b, unsigned c)
{
    char u[4];
    size_t n;

    if (c < 0x80) {
        u[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        u[0] = (char)(0xC0 | c >> 6);
        u[1] = (char)(0x80 | (c & 0x3F));
        n = 2;
    } else if (c < 0x10000) {
        u[0] = (char)(0xE0 | c >> 12);
        u[1] = (char)(0x80 | (c >> 6 & 0x3F));
        u[2] = (char)(0x80 | (c & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | c >> 18);
        u[1] = (char)(0x80 | (c >> 12 & 0x3F));
        u[2] = (char)(0x80 | (c >> 6 & 0x3F));
        u[3] = (char)(0x80 | (c & 0x3F));
        n = 4;
    }
    return batch_buf_add(b, u, n);
}

/*
 * The escape at s[i] (after the backslash) decoded into b; returns the
 * index after it, 0 when the scanner leaves it to jansson (bad escapes,
 * lone surrogates, and NUL in a key, which jansson refuses).
 */
static size_t escape(struct batch_buf *b, const unsigned char *s, size_t len,
                     size_t i, int key, triage_status *st)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *p;
    unsigned c, lo;

    if (i >= len)
        return 0;
    if (s[i] != 'u') {
        if (s[i] == 0 || (p = strchr(from, s[i])) == NULL)
            return 0;
        *st = batch_buf_add(b, &to[p - from], 1);
        return i + 1;
    }
    if (!hex4(s, len, i + 1, &c) || (c == 0 && key) ||
        (c >= 0xDC00 && c <= 0xDFFF))
        return 0;
    i += 5;
    if (c >= 0xD800 && c <= 0xDBFF) {
        if (i + 2 > len || s[i] != '\\' || s[i + 1] != 'u' ||
            !hex4(s, len, i + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF)
            return 0;
        c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
        i += 6;
    }
    *st = put_cp(b, c);
    return i;
}

/* The string whose opening quote is s[i], decoded into f->store with a NUL
 * after it; returns the index after the closing quote, 0 to fall back. */
static size_t string(struct batch_jflat *f, const unsigned char *s,
                     size_t len, size_t i, int key, triage_status *st)
{
    size_t run, n;

    for (i++; i < len && *st == TRIAGE_OK;) {
        /* A run of plain ASCII and whole UTF-8 sequences is copied at once:
         * a Chinese complaint is nearly all one run. */
        for (run = i; i < len;) {
            if (s[i] >= 0x20 && s[i] < 0x80 && s[i] != '"' && s[i] != '\\') {
                i++;
                continue;
            }
            if (s[i] < 0x80)
                break;
            n = batch_utf8_seq(s + i, len - i);
            if (n == 0 || n == (size_t)-1)
                return 0;                  /* jansson words the error */
            i += n;
        }
        if (i > run && (*st = batch_buf_add(&f->store, s + run, i - run)))
            return 0;
        if (i >= len || s[i] < 0x20)
            return 0;                      /* unterminated, control byte */
        if (s[i] == '"')
            return (*st = batch_buf_add(&f->store, "", 1)) ? 0 : i + 1;
        i = escape(&f->store, s, len, i + 1, key, st);   /* s[i] is '\\' */
        if (i == 0)
            return 0;
    }
    return 0;
}

/* A value that is not a string: integers of up to 18 digits as written,
 * true, false, null. Reals, "-0" and larger integers go to jansson, whose
 * rendering of them (%.15g, 64-bit limits) stays the reference. */
static size_t scalar(struct batch_jflat *f, struct batch_jmember *m,
                     const unsigned char *s, size_t len, size_t i,
                     triage_status *st)
{
    static const struct { const char *w; size_t n; enum batch_jkind k; } lit[] = {
        { "true", 4, BATCH_J_BOOL }, { "false", 5, BATCH_J_BOOL },
        { "null", 4, BATCH_J_NULL },
    };
    size_t a = i, d, k;

    for (k = 0; k < 3; k++)
        if (len - i >= lit[k].n && memcmp(s + i, lit[k].w, lit[k].n) == 0) {
            m->kind = lit[k].k;
            i += lit[k].n;
            goto done;
        }
    if (s[i] == '-')
        i++;
    for (d = i; i < len && s[i] >= '0' && s[i] <= '9'; i++)
        ;
    if (i == d || i - d > 18 || (s[d] == '0' && i - d > 1) ||
        (s[d] == '0' && d > a) ||
        (i < len && (s[i] == '.' || s[i] == 'e' || s[i] == 'E')))
        return 0;
    m->kind = BATCH_J_NUMBER;
done:
    if (i < len && ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z'))
        return 0;                          /* "truex", "12a": invalid */
    if (m->kind == BATCH_J_NULL)
        *st = batch_buf_add(&f->store, "", 1);
    else if ((*st = batch_buf_add(&f->store, s + a, i - a)) == TRIAGE_OK)
        *st = batch_buf_add(&f->store, "", 1);
    return i;
}

/* Key at index k equals an earlier one: jansson keeps the last value, so
 * such lines go to it. */
static int repeated(const struct batch_jflat *f, size_t k)
{
    const struct batch_jmember *m = f->m;
    size_t i;

    for (i = 0; i < k; i++)
        if (m[i].klen == m[k].klen &&
            memcmp(f->store.data + m[i].koff, f->store.data + m[k].koff,
                   m[k].klen) == 0)
            return 1;
    return 0;
}

/* The flat object in s[0..len): 1 parsed, 0 leave it to jansson. */
static int scan_flat(struct batch_jflat *f, const unsigned char *s,
                     size_t len, triage_status *st)
{
    struct batch_jmember *m;
    size_t i = skip_ws(s, len, 0), at;

    if (i >= len || s[i] != '{')
        return 0;
    i = skip_ws(s, len, i + 1);
    if (i < len && s[i] == '}')
        return skip_ws(s, len, i + 1) == len;
    for (;;) {
        if (i >= len || s[i] != '"' || (*st = add_member(f, &m)))
            return 0;
        m->koff = f->store.len;
        if ((i = string(f, s, len, i, 1, st)) == 0)
            return 0;
        m->klen = f->store.len - 1 - m->koff;
        if (repeated(f, f->n - 1))
            return 0;
        i = skip_ws(s, len, i);
        if (i >= len || s[i] != ':')
            return 0;
        i = skip_ws(s, len, i + 1);
        if (i >= len)
            return 0;
        m->voff = at = f->store.len;
        if (s[i] == '"') {
            m->kind = BATCH_J_STRING;
            i = string(f, s, len, i, 0, st);
        } else {
            i = scalar(f, m, s, len, i, st);
        }
        if (i == 0)
            return 0;
        m->vlen = f->store.len - 1 - at;
        i = skip_ws(s, len, i);
        if (i < len && s[i] == ',') {
            i = skip_ws(s, len, i + 1);
            continue;
        }
        if (i < len && s[i] == '}')
            return skip_ws(s, len, i + 1) == len;
        return 0;
    }
}

/* A member of jansson's object rendered as text: strings as they are,
 * numbers as jansson prints them, nesting as compact JSON. */
static triage_status render(struct batch_jflat *f, struct batch_jmember *m,
                            json_t *v)
{
    char num[64];
    const char *p = num;
    char *dump = NULL;
    size_t n;
    triage_status st;

    switch (json_typeof(v)) {
    case JSON_STRING:
        m->kind = BATCH_J_STRING;
        p = json_string_value(v);
        n = json_string_length(v);
        break;
    case JSON_INTEGER:
        m->kind = BATCH_J_NUMBER;
        n = (size_t)snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
                             json_integer_value(v));
        break;
    case JSON_REAL:
        m->kind = BATCH_J_NUMBER;
        n = (size_t)snprintf(num, sizeof num, "%.15g", json_real_value(v));
        break;
    case JSON_TRUE:
    case JSON_FALSE:
        m->kind = BATCH_J_BOOL;
        p = json_is_true(v) ? "true" : "false";
        n = strlen(p);
        break;
    case JSON_NULL:
        m->kind = BATCH_J_NULL;
        n = 0;
        break;
    default:
        m->kind = BATCH_J_NESTED;
        if ((dump = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY)) == NULL)
            return TRIAGE_ENOMEM;
        p = dump;
        n = strlen(dump);
        break;
    }
    m->voff = f->store.len;
    m->vlen = n;
    st = batch_buf_add(&f->store, p, n);
    if (st == TRIAGE_OK)
        st = batch_buf_add(&f->store, "", 1);
    free(dump);
    return st;
}

/* jansson's message without its " near '...'" part, which quotes input. */
static void json_message(struct batch_jflat *f, const json_error_t *e)
{
    const char *near = strstr(e->text, " near ");
    int n = near ? (int)(near - e->text) : (int)strlen(e->text);

    if (e->column > 0)
        snprintf(f->msg, sizeof f->msg, "invalid JSON: %.*s at column %d", n,
                 e->text, e->column);
    else
        snprintf(f->msg, sizeof f->msg, "invalid JSON: %.*s", n, e->text);
}

static triage_status with_jansson(struct batch_jflat *f, const char *line,
                                  size_t len, const char **error)
{
    struct batch_jmember *m;
    json_error_t e;
    json_t *root = json_loadb(line, len, JSON_ALLOW_NUL, &e), *v;
    const char *k;
    triage_status st = TRIAGE_OK;

    if (root == NULL) {
        if (json_error_code(&e) == json_error_out_of_memory)
            return TRIAGE_ENOMEM;
        json_message(f, &e);
        *error = f->msg;
        return TRIAGE_OK;
    }
    if (!json_is_object(root))
        *error = "JSON line is not an object";
    else
        json_object_foreach(root, k, v) {
            if ((st = add_member(f, &m)) != TRIAGE_OK)
                break;
            m->koff = f->store.len;
            m->klen = strlen(k);
            if ((st = batch_buf_add(&f->store, k, m->klen + 1)) != TRIAGE_OK ||
                (st = render(f, m, v)) != TRIAGE_OK)
                break;
        }
    json_decref(root);
    return st;
}

static triage_status parse(struct batch_jflat *f, const char *line, size_t len,
                           const char **error, int flat)
{
    triage_status st = TRIAGE_OK;
    size_t i;

    *error = NULL;
    f->n = 0;
    f->store.len = 0;
    if (!flat || !scan_flat(f, (const unsigned char *)line, len, &st)) {
        if (st != TRIAGE_OK)
            return st;
        f->n = 0;
        f->store.len = 0;
        if ((st = with_jansson(f, line, len, error)) != TRIAGE_OK)
            return st;
    }
    for (i = 0; i < f->n; i++) {
        f->m[i].key = f->store.data + f->m[i].koff;
        f->m[i].val = f->store.data + f->m[i].voff;
    }
    return TRIAGE_OK;
}

triage_status batch_jflat_parse(struct batch_jflat *f, const char *line,
                                size_t len, const char **error)
{
    return parse(f, line, len, error, 1);
}

triage_status batch_jflat_parse_jansson(struct batch_jflat *f, const char *line,
                                        size_t len, const char **error)
{
    return parse(f, line, len, error, 0);
}

void batch_jflat_free(struct batch_jflat *f)
{
    free(f->m);
    batch_buf_free(&f->store);
    memset(f, 0, sizeof *f);
}
