/*
 * compile_tables.c - the escalation decision table, reply scripts and reply
 * checks. Traditional scripts are derived from simplified ones here, with
 * OpenCC's phrase-level conversion, so nothing is written twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <opencc.h>
#include "compile_int.h"

static const char *const when_keys[] = { "type", "primary_type", "severity",
    "nature", "temperament", "tags", "rules", "level", "score", NULL };
static const int when_axis[] = { TRIAGE_AXIS_TYPE, TRIAGE_AXIS_TYPE,
    TRIAGE_AXIS_SEVERITY, TRIAGE_AXIS_NATURE, TRIAGE_AXIS_TEMPERAMENT,
    TRIAGE_AXIS_TAG, -1, TRIAGE_AXIS_LEVEL };

/* "> = high" style comparisons; returns the operator and the rest. */
static uint32_t parse_cmp(const char *s, const char **rest)
{
    static const struct { const char *op; uint32_t v; } ops[] = {
        { ">=", TRI_CMP_GE }, { "<=", TRI_CMP_LE }, { ">", TRI_CMP_GT },
        { "<", TRI_CMP_LT }, { "==", TRI_CMP_EQ }, { "=", TRI_CMP_EQ } };
    size_t i;

    for (i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strncmp(s, ops[i].op, strlen(ops[i].op)) == 0) {
            *rest = s + strlen(ops[i].op);
            while (**rest == ' ')
                (*rest)++;
            return ops[i].v;
        }
    return TRI_CMP_NONE;
}

static void when_list(struct tri_build *b, struct tri_when *w, int k,
                      const struct tri_ynode *v)
{
    const struct tri_ynode *one = v;
    size_t i, n = v->kind == TRI_Y_SEQ ? v->n : 1;

    if (v->kind == TRI_Y_MAP) {
        tri_err(b, v, TRIAGE_ERULE_SCHEMA, "'%s' must be a value or a list",
                when_keys[k]);
        return;
    }
    w->first[k] = tri_u32_count(b);
    for (i = 0; i < n; i++) {
        uint32_t idx = TRI_NONE;

        if (v->kind == TRI_Y_SEQ)
            one = v->kids[i];
        if (when_axis[k] >= 0) {
            idx = tri_vocab_ref(b, (triage_axis)when_axis[k], one);
        } else if (tri_expect(b, one, TRI_Y_SCALAR, "a rule id")) {
            /* Rule ids are resolved by name at run time through the pool. */
            tri_pool_add(b->t, one->str, one->len, &idx);
        }
        if (idx != TRI_NONE) {
            tri_u32_push(b, idx);
            w->count[k]++;
        }
    }
}

static void when_severity(struct tri_build *b, struct tri_when *w,
                          const struct tri_ynode *v)
{
    const char *rest;
    struct tri_ynode tmp;

    if (v->kind == TRI_Y_SCALAR && (w->sev_op = parse_cmp(v->str, &rest)) != TRI_CMP_NONE) {
        tmp = *v;
        tmp.str = (char *)rest;
        tmp.len = strlen(rest);
        w->sev_val = tri_vocab_ref(b, TRIAGE_AXIS_SEVERITY, &tmp);
        if (w->sev_val == TRI_NONE)
            w->sev_op = TRI_CMP_NONE;
        return;
    }
    when_list(b, w, TRI_W_SEVERITY, v);
}

static void when_score(struct tri_build *b, struct tri_when *w,
                       const struct tri_ynode *v)
{
    const char *rest = NULL;
    char *end;

    if (!tri_expect(b, v, TRI_Y_SCALAR, "score"))
        return;
    w->score_op = parse_cmp(v->str, &rest);
    if (w->score_op == TRI_CMP_NONE) {
        w->score_op = TRI_CMP_GE;
        rest = v->str;
    }
    w->score_val = strtod(rest, &end);
    if (end == rest || *end != '\0') {
        tri_err(b, v, TRIAGE_ERULE_SCHEMA, "score must look like \">= 5\"");
        w->score_op = TRI_CMP_NONE;
    }
}

/* A 'when' mapping; 'allow_level' for scripts only. */
static void when_compile(struct tri_build *b, struct tri_when *w,
                         const struct tri_ynode *n, int allow_level)
{
    int k;
    const struct tri_ynode *v;

    memset(w, 0, sizeof *w);
    if (n == NULL || !tri_expect(b, n, TRI_Y_MAP, "when"))
        return;
    tri_check_keys(b, n, when_keys, "when");
    for (k = 0; when_keys[k] != NULL; k++) {
        if ((v = tri_map_get(n, when_keys[k])) == NULL)
            continue;
        if (k == TRI_W_LEVEL && !allow_level)
            tri_err(b, v, TRIAGE_ERULE_SCHEMA, "'level' is decided by this table "
                    "and cannot be a condition of it");
        else if (k == TRI_W_SEVERITY)
            when_severity(b, w, v);
        else if (k == TRI_W_COUNT)
            when_score(b, w, v);
        else
            when_list(b, w, k, v);
    }
}

/* 1 if a default row was already compiled (in this file or an earlier one). */
static int has_default_row(const struct tri_build *b)
{
    const struct tri_esc_row *r = (const struct tri_esc_row *)b->esc.data;
    size_t i, n = b->esc.len / sizeof *r;

    for (i = 0; i < n; i++)
        if (r[i].is_default)
            return 1;
    return 0;
}

static void esc_row(struct tri_build *b, const struct tri_ynode *n, unsigned idx)
{
    static const char *const keys[] = { "id", "when", "default", "level", "team",
                                        "hours", "description", NULL };
    struct tri_esc_row r;
    const struct tri_ynode *v;
    char name[32];
    int dflt = 0;

    if (!tri_expect(b, n, TRI_Y_MAP, "an escalation row"))
        return;
    tri_check_keys(b, n, keys, "an escalation row");
    memset(&r, 0, sizeof r);
    r.line = n->line;
    r.column = n->col;
    r.team = TRI_NONE;
    r.hours = -1;
    v = tri_map_get(n, "id");
    if (v != NULL && tri_expect(b, v, TRI_Y_SCALAR, "id")) {
        tri_pool_add(b->t, v->str, v->len, &r.id);
    } else {
        snprintf(name, sizeof name, "row %u", idx + 1);
        tri_pool_add(b->t, name, strlen(name), &r.id);
    }
    if ((v = tri_map_get(n, "default")) != NULL && tri_get_bool(b, v, &dflt) &&
        dflt && has_default_row(b))
        tri_err(b, v, TRIAGE_ERULE_SCHEMA, "a second 'default: true' row; the "
                "escalation table needs exactly one");
    r.is_default = (uint32_t)dflt;
    v = tri_map_get(n, "when");
    if (dflt && v != NULL)
        tri_err(b, v, TRIAGE_ERULE_SCHEMA, "the default row takes no 'when'");
    else if (!dflt && v == NULL)
        tri_err(b, n, TRIAGE_ERULE_SCHEMA, "escalation row needs 'when' or "
                "'default: true'");
    when_compile(b, &r.when, v, 0);
    v = tri_map_get(n, "level");
    r.level = v ? tri_vocab_ref(b, TRIAGE_AXIS_LEVEL, v) : TRI_NONE;
    if (v == NULL)
        tri_err(b, n, TRIAGE_ERULE_SCHEMA, "escalation row needs a 'level'");
    if ((v = tri_map_get(n, "team")) != NULL && tri_expect(b, v, TRI_Y_SCALAR, "team"))
        tri_pool_add(b->t, v->str, v->len, &r.team);
    if ((v = tri_map_get(n, "hours")) != NULL)
        tri_get_double(b, v, 0, 8760, &r.hours);
    if (tri_buf_add(&b->esc, &r, sizeof r) != TRIAGE_OK ||
        tri_buf_add(&b->esc_files, &b->file, sizeof b->file) != TRIAGE_OK)
        tri_err(b, n, TRIAGE_ENOMEM, "out of memory");
}

triage_status tri_escalation_compile(struct tri_build *b, const struct tri_ynode *seq)
{
    size_t i;

    if (!tri_expect(b, seq, TRI_Y_SEQ, "escalation"))
        return TRIAGE_ERULE_SCHEMA;
    for (i = 0; i < seq->n; i++)
        esc_row(b, seq->kids[i], (unsigned)(b->esc.len / sizeof(struct tri_esc_row)));
    return TRIAGE_OK;
}

/* Exactly one default row; with no table at all, everything goes to the
 * first level, which is a documented behaviour rather than an error. */
triage_status tri_escalation_finish(struct tri_build *b)
{
    const struct tri_esc_row *r = (const struct tri_esc_row *)b->esc.data;
    size_t i, n = b->esc.len / sizeof *r, defaults = 0;
    struct tri_esc_row d;

    for (i = 0; i < n; i++)
        defaults += r[i].is_default;
    if (n == 0) {
        memset(&d, 0, sizeof d);
        d.is_default = 1;
        d.level = 0;
        d.team = TRI_NONE;
        d.hours = -1;
        tri_pool_add(b->t, "default", 7, &d.id);
        return tri_buf_add(&b->esc, &d, sizeof d);
    }
    /* A second default row was reported where it is written (esc_row). */
    if (defaults == 0)
        tri_diag(&b->c->diag, TRIAGE_ERULE_SCHEMA, 0, NULL, 0, 0, NULL, -1, -1,
                 "the escalation table needs exactly one 'default: true' row, "
                 "found none");
    return TRIAGE_OK;
}

static uint32_t lang_of(struct tri_build *b, const struct tri_ynode *v)
{
    uint32_t i;

    if (v == NULL)
        return TRI_LANG_ANY;
    if (tri_expect(b, v, TRI_Y_SCALAR, "lang"))
        for (i = 0; i < TRI_LANG_COUNT; i++)
            if (strcmp(v->str, tri_lang_names[i]) == 0)
                return i;
    tri_err(b, v, TRIAGE_ERULE_SCHEMA, "lang must be zh-Hans, zh-Hant, en or any");
    return TRI_LANG_ANY;
}

static void script_one(struct tri_build *b, const struct tri_ynode *n)
{
    static const char *const keys[] = { "id", "group", "lang", "when", "text",
                                        "title", NULL };
    struct tri_script s;
    const struct tri_ynode *id, *group, *text;

    if (!tri_expect(b, n, TRI_Y_MAP, "a script"))
        return;
    tri_check_keys(b, n, keys, "a script");
    memset(&s, 0, sizeof s);
    id = tri_map_get(n, "id");
    group = tri_map_get(n, "group");
    text = tri_map_get(n, "text");
    if (id == NULL || group == NULL || text == NULL) {
        tri_err(b, n, TRIAGE_ERULE_SCHEMA, "a script needs id, group and text");
        return;
    }
    if (!tri_expect(b, id, TRI_Y_SCALAR, "id") ||
        !tri_expect(b, group, TRI_Y_SCALAR, "group") ||
        !tri_expect(b, text, TRI_Y_SCALAR, "text"))
        return;
    b->rule_id = id->str;
    s.line = n->line;
    s.column = n->col;
    s.lang = lang_of(b, tri_map_get(n, "lang"));
    when_compile(b, &s.when, tri_map_get(n, "when"), 1);
    tri_pool_add(b->t, id->str, id->len, &s.id);
    tri_pool_add(b->t, group->str, group->len, &s.group);
    tri_pool_add(b->t, text->str, text->len, &s.text);
    if (tri_buf_add(&b->scripts, &s, sizeof s) != TRIAGE_OK ||
        tri_buf_add(&b->script_files, &b->file, sizeof b->file) != TRIAGE_OK)
        tri_err(b, n, TRIAGE_ENOMEM, "out of memory");
    b->rule_id = NULL;
}

triage_status tri_scripts_compile(struct tri_build *b, const struct tri_ynode *seq)
{
    size_t i;

    if (!tri_expect(b, seq, TRI_Y_SEQ, "scripts"))
        return TRIAGE_ERULE_SCHEMA;
    for (i = 0; i < seq->n; i++)
        script_one(b, seq->kids[i]);
    return TRIAGE_OK;
}

static int has_hant_twin(const struct tri_build *b, const struct tri_script *s,
                         size_t n, uint32_t id)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i].lang == TRI_LANG_HANT &&
            strcmp(tri_str(b->t, s[i].id), tri_str(b->t, id)) == 0)
            return 1;
    return 0;
}

/*
 * Give every zh-Hans script a zh-Hant twin placed right after it, so "first
 * matching script per group" keeps the author's order in both scripts.
 */
triage_status tri_scripts_finish(struct tri_build *b)
{
    struct tri_script *s = (struct tri_script *)b->scripts.data;
    size_t i, n = b->scripts.len / sizeof *s;
    struct tri_buf out = { 0 };
    opencc_t cc = (opencc_t)-1;
    triage_status st = TRIAGE_OK;

    for (i = 0; i < n && st == TRIAGE_OK; i++) {
        struct tri_script twin = s[i];
        char *conv;

        st = tri_buf_add(&out, &s[i], sizeof s[i]);
        if (s[i].lang != TRI_LANG_HANS || has_hant_twin(b, s, n, s[i].id))
            continue;
        if (cc == (opencc_t)-1 && (cc = opencc_open("s2t.json")) == (opencc_t)-1) {
            tri_diag(&b->c->diag, TRIAGE_EIO, 0, NULL, 0, 0, NULL, -1, -1,
                     "cannot open OpenCC's s2t.json to derive traditional scripts");
            st = TRIAGE_EIO;
            break;
        }
        conv = opencc_convert_utf8(cc, tri_str(b->t, s[i].text),
                                   strlen(tri_str(b->t, s[i].text)));
        if (conv == NULL) {
            st = TRIAGE_ENOMEM;
            break;
        }
        twin.lang = TRI_LANG_HANT;
        st = tri_pool_add(b->t, conv, strlen(conv), &twin.text);
        opencc_convert_utf8_free(conv);
        if (st == TRIAGE_OK)
            st = tri_buf_add(&out, &twin, sizeof twin);
    }
    if (cc != (opencc_t)-1)
        opencc_close(cc);
    tri_buf_free(&b->scripts);
    b->scripts = out;
    return st;
}

static void check_one(struct tri_build *b, const struct tri_ynode *n)
{
    static const char *const keys[] = { "id", "phrases", "message", "severity",
                                        "followup", NULL };
    struct tri_reply_check ck;
    const struct tri_ynode *v, *ph;
    struct tri_buf folded = { 0 };
    int flag = 0;
    size_t i;

    if (!tri_expect(b, n, TRI_Y_MAP, "a reply check"))
        return;
    tri_check_keys(b, n, keys, "a reply check");
    memset(&ck, 0, sizeof ck);
    ck.line = n->line;
    ck.column = n->col;
    v = tri_map_get(n, "id");
    ph = tri_map_get(n, "phrases");
    if (v == NULL || ph == NULL || !tri_expect(b, v, TRI_Y_SCALAR, "id") ||
        !tri_expect(b, ph, TRI_Y_SEQ, "phrases")) {
        tri_err(b, n, TRIAGE_ERULE_SCHEMA, "a reply check needs an id and phrases");
        return;
    }
    b->rule_id = v->str;
    tri_pool_add(b->t, v->str, v->len, &ck.id);
    v = tri_map_get(n, "message");
    if (v != NULL && tri_expect(b, v, TRI_Y_SCALAR, "message"))
        tri_pool_add(b->t, v->str, v->len, &ck.message);
    else
        ck.message = ck.id;
    if ((v = tri_map_get(n, "severity")) != NULL && tri_expect(b, v, TRI_Y_SCALAR, "severity")) {
        if (strcmp(v->str, "warning") == 0)
            ck.is_warning = 1;
        else if (strcmp(v->str, "error") != 0)
            tri_err(b, v, TRIAGE_ERULE_SCHEMA, "severity must be error or warning");
    }
    if ((v = tri_map_get(n, "followup")) != NULL && tri_get_bool(b, v, &flag))
        ck.followup = (uint32_t)flag;
    ck.phrases_first = tri_u32_count(b);
    for (i = 0; i < ph->n; i++) {
        uint32_t off;

        if (!tri_expect(b, ph->kids[i], TRI_Y_SCALAR, "a phrase"))
            continue;
        if (tri_fold_literal(ph->kids[i]->str, ph->kids[i]->len,
                             &folded) != TRIAGE_OK) {
            tri_err(b, ph->kids[i], TRIAGE_ENOMEM, "out of memory");
            continue;
        }
        if (folded.len == 0)
            continue;
        tri_pool_add(b->t, folded.data, folded.len, &off);
        tri_u32_push(b, off);
        ck.phrases_count++;
    }
    tri_buf_free(&folded);
    tri_buf_add(&b->checks, &ck, sizeof ck);
    b->rule_id = NULL;
}

triage_status tri_checks_compile(struct tri_build *b, const struct tri_ynode *seq)
{
    size_t i;

    if (!tri_expect(b, seq, TRI_Y_SEQ, "reply_checks"))
        return TRIAGE_ERULE_SCHEMA;
    for (i = 0; i < seq->n; i++)
        check_one(b, seq->kids[i]);
    return TRIAGE_OK;
}
