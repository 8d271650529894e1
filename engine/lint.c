/*
 * lint.c - problems a rule set compiles with but should not ship with:
 * keywords equal once folded, keywords shadowed by 'none', regexes that
 * match anything, rows and scripts that can never be chosen, vocabulary
 * never used, forbidden phrases inside reply scripts. Works on the YAML
 * trees the compiler kept, so every finding has a file, line and column.
 */
#include <string.h>
#include "compile_int.h"

struct lint {
    struct tri_build b;          /* only c, file and rule_id are used      */
    const struct triage_ruleset *rs;
    struct tri_buf used;         /* "axis\tvalue\n" of every value used    */
};

static void warn_at(struct lint *l, const struct tri_ynode *n, const char *fmt,
                    const char *a, const char *b)
{
    tri_warn(&l->b, n, fmt, a, b);
}

static void fold(const struct tri_ynode *n, struct tri_buf *out)
{
    if (tri_fold_literal(n->str, n->len, out) != TRIAGE_OK)
        out->len = 0;
}

/* Canonical text of a subtree, to compare conditions structurally. */
static void canon(const struct tri_ynode *n, struct tri_buf *out)
{
    size_t i;

    if (n == NULL) {
        tri_buf_adds(out, "~");
        return;
    }
    if (n->kind == TRI_Y_SCALAR) {
        tri_buf_json_str(out, n->str, n->len);
        return;
    }
    tri_buf_addc(out, n->kind == TRI_Y_SEQ ? '[' : '{');
    for (i = 0; i < n->n; i++) {
        canon(n->kids[i], out);
        tri_buf_addc(out, ',');
    }
    tri_buf_addc(out, n->kind == TRI_Y_SEQ ? ']' : '}');
}

static void mark_used(struct lint *l, const char *axis, const struct tri_ynode *v)
{
    size_t i;

    if (v == NULL)
        return;
    if (v->kind == TRI_Y_SEQ) {
        for (i = 0; i < v->n; i++)
            mark_used(l, axis, v->kids[i]);
        return;
    }
    if (v->kind != TRI_Y_SCALAR)
        return;
    tri_buf_printf(&l->used, "%s\t%s\n", axis,
                   v->str + strspn(v->str, "<>=! "));
}

static int was_used(struct lint *l, const char *axis, const char *value)
{
    struct tri_buf key = { 0 };
    int found;

    tri_buf_printf(&key, "\n%s\t%s\n", axis, value);
    found = l->used.data != NULL &&
            (strstr(l->used.data, key.data) != NULL ||
             strncmp(l->used.data, key.data + 1, key.len - 1) == 0);
    tri_buf_free(&key);
    return found;
}

/* Words of a regex that is only a list of them: a branch is a word or a
 * group of words ("(孩子|小孩)", "(?:son|kid)"), with or without \\b on
 * both sides. The words go to 'words' one a line. Returns 0 when that is
 * all the regex is, else -1. *odd gets the offset in 'words' of the first
 * word whose \\b edges are not what a keyword has by itself (whole words
 * where it starts or ends with a tri_word_byte), *odd_len its length (0
 * when all are). */
static int word_list(const char *re, size_t len, struct tri_buf *words,
                     size_t *odd, size_t *odd_len)
{
    static const char meta[] = "\\[](){}.*+?|^$#";
    size_t i = 0, w;

    *odd = *odd_len = 0;
    while (i < len) {
        int b0 = len - i >= 2 && memcmp(re + i, "\\b", 2) == 0, grouped, b1;
        size_t first = words->len, j, end;

        i += b0 ? 2 : 0;
        grouped = i < len && re[i] == '(';
        if (grouped)
            i += len - i >= 3 && memcmp(re + i, "(?:", 3) == 0 ? 3 : 1;
        for (;;) {                       /* words, '|' between them if grouped */
            for (w = i; i < len && strchr(meta, re[i]) == NULL; i++)
                if ((unsigned char)re[i] >= 0x80 && memchr(re + w, ' ', i - w))
                    return -1;           /* a space beside Han folds away */
            if (i == w)
                return -1;
            tri_buf_add(words, re + w, i - w);
            tri_buf_addc(words, '\n');
            if (words->failed)
                return -1;
            if (!grouped || i >= len || re[i] != '|')
                break;
            i++;
        }
        if (grouped && (i >= len || re[i++] != ')'))
            return -1;
        b1 = len - i >= 2 && memcmp(re + i, "\\b", 2) == 0;
        i += b1 ? 2 : 0;
        if (i < len && re[i++] != '|')
            return -1;
        for (j = first; j < words->len; j = end + 1) {
            int starts = tri_word_byte((unsigned char)words->data[j]), ends;

            for (end = j; words->data[end] != '\n'; end++)
                ;
            ends = tri_word_byte((unsigned char)words->data[end - 1]);
            if (*odd_len == 0 && (starts != b0 || ends != b1)) {
                *odd = j;
                *odd_len = end - j;
            }
        }
    }
    return 0;
}

/* A regex that is a list of words costs a prefilter in the regex database
 * and a PCRE2 run whenever it is nominated; the same words as keywords
 * are found in Vectorscan's keyword pass at no further cost. */
static void lint_word_list(struct lint *l, const struct tri_ynode *n)
{
    struct tri_buf words = { 0 }, msg = { 0 };
    size_t odd, odd_len;

    if (word_list(n->str, n->len, &words, &odd, &odd_len) == 0 && words.len > 0) {
        const char *w = words.data + odd;
        /* The advice must fit: the regex's first 120 bytes, whole characters. */
        size_t shown = n->len > 120 ? tri_utf8_floor(n->str, 120) : n->len;
        if (odd_len > 0)
            tri_buf_printf(&msg, " (but as a keyword, '%.*s' would match %s)",
                           (int)odd_len, w,
                           tri_word_byte((unsigned char)w[0]) ||
                                   tri_word_byte((unsigned char)w[odd_len - 1])
                               ? "whole words only" : "without the \\b");
        tri_warn(&l->b, n, "regex '%.*s%s' is only a list of words: as keywords "
                 "in an any: list, Vectorscan finds them in its keyword pass "
                 "with no PCRE2 run%s", (int)shown, n->str,
                 shown < n->len ? "..." : "", msg.data ? msg.data : "");
    }
    tri_buf_free(&words);
    tri_buf_free(&msg);
}

/* Texts a sane regex should not all match. */
static const char *const probes[] = {
    "", "ok", "hello, this is a normal sentence.", "今天天气很好，谢谢。",
    "12345", "\xe8\xb0\xa2\xe8\xb0\xa2",
};

static void lint_regex(struct lint *l, const struct tri_ynode *n)
{
    int err;
    PCRE2_SIZE off;
    pcre2_code *re;
    pcre2_match_data *md;
    size_t i, hits = 0, np = sizeof probes / sizeof probes[0];

    if (n->kind != TRI_Y_SCALAR)
        return;
    re = pcre2_compile((PCRE2_SPTR)n->str, n->len, PCRE2_UTF | PCRE2_UCP |
                       PCRE2_CASELESS, &err, &off, NULL);
    if (re == NULL)
        return;
    md = pcre2_match_data_create_from_pattern(re, NULL);
    for (i = 1; md != NULL && i < np; i++)
        hits += pcre2_match(re, (PCRE2_SPTR)probes[i], strlen(probes[i]), 0, 0,
                            md, NULL) >= 0;
    if (hits == np - 1)
        warn_at(l, n, "regex '%s' matches every probe text: it would fire on "
                "almost anything%s", n->str, "");
    else
        lint_word_list(l, n);
    pcre2_match_data_free(md);
    pcre2_code_free(re);
}

/* Keywords of one list: duplicates once folded. Returns folded forms
 * joined by NUL in 'all' for the shadowing check. */
static void lint_list(struct lint *l, const struct tri_ynode *list,
                      struct tri_buf *all)
{
    struct tri_buf a = { 0 }, b = { 0 };
    size_t i, j;

    if (list == NULL || list->kind != TRI_Y_SEQ)
        return;
    for (i = 0; i < list->n; i++) {
        const struct tri_ynode *x = list->kids[i];

        if (x->kind != TRI_Y_SCALAR)
            continue;
        fold(x, &a);
        if (all != NULL && a.len) {
            tri_buf_add(all, a.data, a.len);
            tri_buf_addc(all, '\n');
        }
        for (j = 0; j < i; j++) {
            if (list->kids[j]->kind != TRI_Y_SCALAR)
                continue;
            fold(list->kids[j], &b);
            if (a.len && a.len == b.len && memcmp(a.data, b.data, a.len) == 0) {
                warn_at(l, x, "keyword '%s' is the same as '%s' once folded",
                        x->str, list->kids[j]->str);
                break;
            }
        }
    }
    tri_buf_free(&a);
    tri_buf_free(&b);
}

static int in_lines(const struct tri_buf *set, const char *s, size_t n)
{
    const char *p = set->data;

    while (p != NULL && p < set->data + set->len) {
        const char *e = memchr(p, '\n', (size_t)(set->data + set->len - p));

        if (e != NULL && (size_t)(e - p) == n && memcmp(p, s, n) == 0)
            return 1;
        p = e ? e + 1 : NULL;
    }
    return 0;
}

#define MODES_UNKNOWN UINT32_MAX   /* a list's: each use gives its own */

/* The modes given at map n (a rule or a condition) over 'inherited'. A
 * condition that sets a mode to what it already has gets a warning: its
 * author most likely meant another (a rule may spell out its defaults). */
static uint32_t lint_modes(struct lint *l, const struct tri_ynode *n, uint32_t inherited,
                           int is_cond)
{
    uint32_t f, out = inherited;
    int m;

    for (f = 0; f < 3; f++) {
        const struct tri_ynode *v = tri_map_get(n, tri_mode_flag_names[f]);

        if (v == NULL || v->kind != TRI_Y_SCALAR || (m = tri_mode_from_name(v->str)) < 0)
            continue;   /* compile reported it */
        if (is_cond && inherited != MODES_UNKNOWN &&
            TRI_MODE_GET(inherited, f) == (uint32_t)m)
            tri_warn(&l->b, v, "'%s: %s' is what the condition has already from "
                     "the rule or condition around it; it changes nothing",
                     tri_mode_flag_names[f], v->str);
        if (out != MODES_UNKNOWN)
            out = tri_modes_apply(out, TRI_MODE_SET(f) | TRI_MODE_BITS(f, m));
    }
    return out;
}

static void lint_cond(struct lint *l, const struct tri_ynode *c, uint32_t modes)
{
    struct tri_buf pos = { 0 }, f = { 0 };
    const struct tri_ynode *none, *v;
    size_t i, k;
    static const char *const parts[] = { "any", "all" };

    if (c == NULL || c->kind != TRI_Y_MAP)
        return;
    modes = lint_modes(l, c, modes, 1);
    for (k = 0; k < 2; k++)
        lint_list(l, tri_map_get(c, parts[k]), &pos);
    none = tri_map_get(c, "none");
    lint_list(l, none, NULL);
    for (i = 0; none != NULL && none->kind == TRI_Y_SEQ && i < none->n; i++) {
        if (none->kids[i]->kind != TRI_Y_SCALAR)
            continue;
        fold(none->kids[i], &f);
        if (f.len && in_lines(&pos, f.data, f.len))
            warn_at(l, none->kids[i], "keyword '%s' is both required and "
                    "excluded by 'none': that part can never hold%s",
                    none->kids[i]->str, "");
    }
    if ((v = tri_map_get(c, "regex")) != NULL) {
        if (v->kind == TRI_Y_SCALAR)
            lint_regex(l, v);
        for (i = 0; v->kind == TRI_Y_SEQ && i < v->n; i++)
            lint_regex(l, v->kids[i]);
    }
    for (k = 0; k < 3; k++) {
        static const char *const all3[] = { "any", "all", "none" };

        v = tri_map_get(c, all3[k]);
        for (i = 0; v != NULL && v->kind == TRI_Y_SEQ && i < v->n; i++)
            if (v->kids[i]->kind == TRI_Y_MAP)
                lint_cond(l, v->kids[i], modes);
    }
    tri_buf_free(&pos);
    tri_buf_free(&f);
}

/* A named list's condition gets the same checks as a rule's. */
static void lint_lists(struct lint *l, const struct tri_ynode *seq)
{
    size_t i;

    for (i = 0; seq != NULL && seq->kind == TRI_Y_SEQ && i < seq->n; i++)
        lint_cond(l, tri_map_get(seq->kids[i], "match"), MODES_UNKNOWN);
}

static void lint_rules(struct lint *l, const struct tri_ynode *seq)
{
    static const char *const axes[] = { "type", "nature", "temperament",
                                        "severity", "tags" };
    size_t i, k;

    for (i = 0; seq != NULL && seq->kind == TRI_Y_SEQ && i < seq->n; i++) {
        const struct tri_ynode *r = seq->kids[i], *id = tri_map_get(r, "id");

        l->b.rule_id = id && id->kind == TRI_Y_SCALAR ? id->str : NULL;
        for (k = 0; k < 5; k++)
            mark_used(l, axes[k], tri_map_get(r, axes[k]));
        lint_cond(l, tri_map_get(r, "match"),
                  lint_modes(l, r, TRI_MODE_BITS(TRI_MF_QUESTION, TRI_MODE_INCLUDE), 0));
        l->b.rule_id = NULL;
    }
}

static void mark_when(struct lint *l, const struct tri_ynode *w)
{
    static const char *const keys[] = { "type", "primary_type", "severity",
        "nature", "temperament", "tags", "level" };
    static const char *const axes[] = { "type", "type", "severity", "nature",
        "temperament", "tags", "level" };
    size_t k;

    for (k = 0; k < 7; k++)
        mark_used(l, axes[k], tri_map_get(w, keys[k]));
}

/* Rows (or scripts of one group and language) whose condition repeats an
 * earlier one, or comes after an unconditional one, are never chosen. */
static void lint_shadowed(struct lint *l, const struct tri_ynode *seq,
                          int scripts)
{
    struct tri_buf a = { 0 }, b = { 0 };
    size_t i, j;

    for (i = 0; seq != NULL && seq->kind == TRI_Y_SEQ && i < seq->n; i++) {
        const struct tri_ynode *x = seq->kids[i];

        mark_used(l, "level", tri_map_get(x, "level"));
        if (tri_map_get(x, "default") != NULL)
            continue;
        mark_when(l, tri_map_get(x, "when"));
        a.len = 0;
        canon(tri_map_get(x, "when"), &a);
        if (scripts) {
            canon(tri_map_get(x, "group"), &a);
            canon(tri_map_get(x, "lang"), &a);
        }
        for (j = 0; j < i; j++) {
            const struct tri_ynode *y = seq->kids[j];

            b.len = 0;
            canon(tri_map_get(y, "when"), &b);
            if (scripts) {
                canon(tri_map_get(y, "group"), &b);
                canon(tri_map_get(y, "lang"), &b);
            }
            if (a.len == b.len && memcmp(a.data, b.data, a.len) == 0) {
                tri_warn(&l->b, x, "%s can never be chosen: the one at line %u "
                         "has the same condition", scripts ? "script" : "row",
                         y->line);
                break;
            }
        }
    }
    tri_buf_free(&a);
    tri_buf_free(&b);
}

/* No shipped script may contain a phrase a reply check forbids. */
static void lint_script_text(struct lint *l, const struct tri_ynode *seq)
{
    const struct tri_table *t = &l->rs->t;
    struct tri_buf f = { 0 };
    size_t i;
    uint32_t c, k;

    for (i = 0; seq != NULL && seq->kind == TRI_Y_SEQ && i < seq->n; i++) {
        const struct tri_ynode *text = tri_map_get(seq->kids[i], "text");
        const struct tri_ynode *id = tri_map_get(seq->kids[i], "id");

        if (text == NULL || text->kind != TRI_Y_SCALAR)
            continue;
        l->b.rule_id = id && id->kind == TRI_Y_SCALAR ? id->str : NULL;
        fold(text, &f);
        for (c = 0; c < t->n_checks; c++)
            for (k = 0; k < t->checks[c].phrases_count; k++) {
                const char *ph = tri_str(t, t->u32s[t->checks[c].phrases_first + k]);

                if (f.len && memmem(f.data, f.len, ph, strlen(ph)) != NULL)
                    tri_err(&l->b, text, TRIAGE_ERULE_SCHEMA, "script contains "
                            "'%s', which reply check '%s' forbids", ph,
                            tri_str(t, t->checks[c].id));
            }
        l->b.rule_id = NULL;
    }
    tri_buf_free(&f);
}

static void lint_vocab(struct lint *l, const struct tri_ynode *voc)
{
    static const char *const keys[] = { "types", "natures", "severities",
                                        "temperaments", "levels", "tags" };
    static const char *const axes[] = { "type", "nature", "severity",
                                        "temperament", "level", "tags" };
    size_t k, i;

    for (k = 0; k < 6; k++) {
        const struct tri_ynode *seq = tri_map_get(voc, keys[k]);

        for (i = 0; seq != NULL && seq->kind == TRI_Y_SEQ && i < seq->n; i++) {
            const struct tri_ynode *v = seq->kids[i];

            if (v->kind == TRI_Y_MAP)
                v = tri_map_get(v, "id");
            if (v != NULL && v->kind == TRI_Y_SCALAR && !was_used(l, axes[k], v->str))
                warn_at(l, v, "%s '%s' is declared but no rule, row, script or "
                        "default uses it", axes[k], v->str);
        }
    }
}

triage_status triage_compiler_lint(triage_compiler *c, const triage_ruleset *rs)
{
    struct lint l;
    const struct tri_ydoc *d;
    const struct tri_ynode *v;
    unsigned before;

    if (c == NULL || rs == NULL)
        return TRIAGE_EINVAL;
    memset(&l, 0, sizeof l);
    l.b.c = c;
    l.rs = rs;
    before = c->diag.errors;
    tri_buf_adds(&l.used, "\n");
    for (d = c->docs; d != NULL; d = d->next) {
        l.b.file = d->file;
        lint_lists(&l, tri_map_get(d->root, "lists"));
        lint_rules(&l, tri_map_get(d->root, "rules"));
        lint_rules(&l, tri_map_get(d->root, "cues"));
        lint_shadowed(&l, tri_map_get(d->root, "escalation"), 0);
        lint_shadowed(&l, tri_map_get(d->root, "scripts"), 1);
        lint_script_text(&l, tri_map_get(d->root, "scripts"));
        if ((v = tri_map_get(d->root, "defaults")) != NULL) {
            mark_used(&l, "type", tri_map_get(v, "type"));
            mark_used(&l, "nature", tri_map_get(v, "nature"));
            mark_used(&l, "severity", tri_map_get(v, "severity"));
            mark_used(&l, "temperament", tri_map_get(v, "temperament"));
        }
    }
    for (d = c->docs; d != NULL; d = d->next) {
        l.b.file = d->file;
        if ((v = tri_map_get(d->root, "vocabulary")) != NULL)
            lint_vocab(&l, v);
    }
    tri_buf_free(&l.used);
    return c->diag.errors > before ? TRIAGE_ERULE_SCHEMA : TRIAGE_OK;
}
