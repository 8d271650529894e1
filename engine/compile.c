/*
 * compile.c - triage_compiler_finish(): walks every added document in the
 * order that lets later sections refer to earlier ones (header and
 * vocabulary, then defaults and context, then rules and tables), and moves
 * the result into an immutable rule set.
 */
#include <stdio.h>
#include <string.h>
#include "compile_int.h"

static const char *const top_keys[] = { "ruleset", "vocabulary", "defaults",
    "context", "lists", "rules", "cues", "escalation", "scripts", "reply_checks",
    "bayes", NULL };

static void build_init(struct tri_build *b, triage_compiler *c,
                       struct triage_ruleset *rs)
{
    struct tri_defaults *d = &rs->t.defaults;

    memset(b, 0, sizeof *b);
    b->c = c;
    b->rs = rs;
    b->t = &rs->t;
    b->file = "";
    rs->t.name = rs->t.version = rs->t.hash = TRI_NONE;
    d->type = d->nature = d->severity = d->temperament = TRI_NONE;
    d->min_score = 1;
    d->also_ratio = 0.5;
    d->close_call = 0.8;
    d->scope[TRI_LANG_HANS] = d->scope[TRI_LANG_HANT] = 12;
    d->scope[TRI_LANG_EN] = 24;
}

static void build_free(struct tri_build *b)
{
    int a;

    tri_buf_free(&b->u32s);
    tri_buf_free(&b->patterns);
    tri_buf_free(&b->nodes);
    tri_buf_free(&b->kids);
    tri_buf_free(&b->rules);
    tri_buf_free(&b->esc);
    tri_buf_free(&b->scripts);
    tri_buf_free(&b->checks);
    tri_buf_free(&b->bayes);
    tri_buf_free(&b->esc_files);
    tri_buf_free(&b->script_files);
    tri_buf_free(&b->tagnodes);
    tri_buf_free(&b->lists);
    tri_prefilters_free(b);
    for (a = 0; a < TRIAGE_AXIS_COUNT; a++)
        tri_buf_free(&b->vaxis[a]);
    tri_free(b->pat_hash);
}

/* Pass 1: header, vocabularies, and the check of top-level keys. */
static void pass_declare(struct tri_build *b)
{
    const struct tri_ydoc *d;
    const struct tri_ynode *v;

    for (d = b->c->docs; d != NULL; d = d->next) {
        b->file = d->file;
        tri_check_keys(b, d->root, top_keys, "a rule file");
        if ((v = tri_map_get(d->root, "ruleset")) != NULL)
            tri_header_compile(b, v);
        if ((v = tri_map_get(d->root, "vocabulary")) != NULL)
            tri_vocab_declare(b, v);
    }
    tri_vocab_seed(b);
}

/* Pass 2: defaults and context, then pass 3: the named lists, rules and
 * tables. */
static void pass_content(struct tri_build *b)
{
    const struct tri_ydoc *d;
    const struct tri_ynode *v;

    for (d = b->c->docs; d != NULL; d = d->next) {
        b->file = d->file;
        if ((v = tri_map_get(d->root, "defaults")) != NULL)
            tri_defaults_compile(b, v);
        if ((v = tri_map_get(d->root, "context")) != NULL)
            tri_context_compile(b, v);
    }
    if (!b->have_context)
        tri_context_default(b);
    for (d = b->c->docs; d != NULL; d = d->next) {
        b->file = d->file;
        if ((v = tri_map_get(d->root, "lists")) != NULL)
            tri_lists_declare(b, v);
    }
    for (d = b->c->docs; d != NULL; d = d->next) {
        b->file = d->file;
        if ((v = tri_map_get(d->root, "rules")) != NULL)
            tri_rules_compile(b, v, 0);
        if ((v = tri_map_get(d->root, "cues")) != NULL)
            tri_rules_compile(b, v, 1);
        if ((v = tri_map_get(d->root, "escalation")) != NULL)
            tri_escalation_compile(b, v);
        if ((v = tri_map_get(d->root, "scripts")) != NULL)
            tri_scripts_compile(b, v);
        if ((v = tri_map_get(d->root, "reply_checks")) != NULL)
            tri_checks_compile(b, v);
        if ((v = tri_map_get(d->root, "bayes")) != NULL)
            tri_bayes_compile(b, v);
    }
    tri_lists_finish(b);
    b->file = "";
}

/* Move a staging buffer into a table array; the buffer gives up its data. */
#define TAKE(buf, arr, n)                                                   \
    do {                                                                    \
        (arr) = (void *)(buf).data;                                         \
        (n) = (uint32_t)((buf).len / sizeof *(arr));                        \
        memset(&(buf), 0, sizeof(buf));                                     \
    } while (0)

static triage_status move_into_table(struct tri_build *b)
{
    struct tri_table *t = b->t;
    char hex[48];

    TAKE(b->patterns, t->patterns, t->n_patterns);
    TAKE(b->nodes, t->nodes, t->n_nodes);
    TAKE(b->kids, t->node_kids, t->n_node_kids);
    TAKE(b->rules, t->rules, t->n_rules);
    TAKE(b->u32s, t->u32s, t->n_u32s);
    TAKE(b->esc, t->esc, t->n_esc);
    TAKE(b->scripts, t->scripts, t->n_scripts);
    TAKE(b->checks, t->checks, t->n_checks);
    TAKE(b->bayes, t->bayes, t->n_bayes);
    snprintf(hex, sizeof hex, "%016llx%016llx",
             (unsigned long long)b->c->hash[0], (unsigned long long)b->c->hash[1]);
    if (t->name == TRI_NONE && tri_pool_add(t, "", 0, &t->name) != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    if (t->version == TRI_NONE && tri_pool_add(t, "", 0, &t->version) != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    return tri_pool_add(t, hex, strlen(hex), &t->hash);
}

/* 'rules:' conditions name rules that may come later in the set. */
static void resolve_rule_names(struct tri_build *b, struct tri_when *w,
                               const char *file, unsigned line, unsigned col)
{
    const struct tri_rule *r = (const struct tri_rule *)b->rules.data;
    uint32_t *u = (uint32_t *)b->u32s.data;
    size_t nr = b->rules.len / sizeof *r, j;
    uint32_t i;

    for (i = 0; i < w->count[TRI_W_RULES]; i++) {
        const char *name = tri_str(b->t, u[w->first[TRI_W_RULES] + i]);

        for (j = 0; j < nr && strcmp(tri_str(b->t, r[j].id), name) != 0; j++)
            ;
        if (j == nr)
            tri_diag(&b->c->diag, TRIAGE_ERULE_SCHEMA, 0, file, line, col, NULL,
                     -1, -1, "condition names unknown rule '%s'", name);
        u[w->first[TRI_W_RULES] + i] = (uint32_t)j;
    }
}

/* Strings and staging arrays are appended to without a check at every
 * call; a failed append is remembered by its buffer and caught here. */
static int build_failed(const struct tri_build *b)
{
    int a, failed = b->t->pool.failed || b->u32s.failed || b->patterns.failed ||
                    b->nodes.failed || b->kids.failed || b->rules.failed ||
                    b->esc.failed || b->scripts.failed || b->checks.failed ||
                    b->esc_files.failed || b->script_files.failed ||
                    b->bayes.failed;

    for (a = 0; a < TRIAGE_AXIS_COUNT; a++)
        failed |= b->vaxis[a].failed;
    return failed;
}

static void resolve_all(struct tri_build *b)
{
    struct tri_esc_row *e = (struct tri_esc_row *)b->esc.data;
    struct tri_script *s = (struct tri_script *)b->scripts.data;
    const char **ef = (const char **)b->esc_files.data;
    const char **sf = (const char **)b->script_files.data;
    size_t i, nef = b->esc_files.len / sizeof *ef;
    size_t nsf = b->script_files.len / sizeof *sf;

    for (i = 0; i < b->esc.len / sizeof *e; i++)
        resolve_rule_names(b, &e[i].when, i < nef ? ef[i] : NULL, e[i].line,
                           e[i].column);
    for (i = 0; i < b->scripts.len / sizeof *s; i++)
        resolve_rule_names(b, &s[i].when, i < nsf ? sf[i] : NULL, s[i].line,
                           s[i].column);
}

triage_status triage_compiler_finish(triage_compiler *c, triage_ruleset **out)
{
    struct tri_build b;
    triage_ruleset *rs;
    triage_status st;

    if (c == NULL || out == NULL)
        return TRIAGE_EINVAL;
    *out = NULL;
    if (c->diag.errors > 0)
        return c->diag.first_error;
    rs = tri_calloc(1, sizeof *rs);
    if (rs == NULL)
        return TRIAGE_ENOMEM;
    build_init(&b, c, rs);
    if (c->n_docs == 0)
        tri_diag(&c->diag, TRIAGE_ENORULES, 0, NULL, 0, 0, NULL, -1, -1,
                 "no rule files given");
    pass_declare(&b);
    pass_content(&b);
    if (c->n_docs > 0 && b.rules.len == 0)
        tri_diag(&c->diag, TRIAGE_ENORULES, 0, c->docs->file, 0, 0, NULL, -1, -1,
                 "the rule set has no rules or cues");
    resolve_all(&b);
    st = tri_escalation_finish(&b);
    if (st == TRIAGE_OK)
        st = tri_scripts_finish(&b);
    if (st == TRIAGE_OK)
        st = tri_vocab_finish(&b);
    if (st == TRIAGE_OK && build_failed(&b)) {
        tri_diag(&c->diag, TRIAGE_ENOMEM, 0, NULL, 0, 0, NULL, -1, -1,
                 "out of memory");
        st = TRIAGE_ENOMEM;
    }
    if (st == TRIAGE_OK && c->diag.errors == 0)
        st = move_into_table(&b);
    if (st == TRIAGE_OK && c->diag.errors == 0)
        st = tri_runtime_build(rs, c->cache_dir, &c->diag,
                               (struct tri_prefilter *)b.prefilters.data,
                               b.prefilters.len / sizeof(struct tri_prefilter));
    build_free(&b);
    if (st == TRIAGE_OK && c->diag.errors > 0)
        st = c->diag.first_error;
    if (st != TRIAGE_OK) {
        triage_ruleset_destroy(rs);
        return st;
    }
    *out = rs;
    return TRIAGE_OK;
}
