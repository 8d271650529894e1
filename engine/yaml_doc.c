/*
 * yaml_doc.c - YAML text into a small tree with 1-based positions, using
 * libyaml's event API. Anchors, aliases, deep nesting and huge scalars are
 * refused here so no later pass has to think about them.
 */
#include <string.h>
#include <yaml.h>
#include "compile_int.h"

struct ybuild {
    const char *file;
    struct tri_diag_sink *d;
    struct tri_ynode *stack[TRI_MAX_DEPTH + 1];
    int depth;
    struct tri_ynode *root;
    int failed;
    triage_status code;          /* first error of this document          */
};

static void ynode_free(struct tri_ynode *n)
{
    size_t i;

    if (n == NULL)
        return;
    for (i = 0; i < n->n; i++)
        ynode_free(n->kids[i]);
    tri_free(n->kids);
    tri_free(n->str);
    tri_free(n);
}

void tri_ydoc_free(struct tri_ydoc *doc)
{
    while (doc != NULL) {
        struct tri_ydoc *next = doc->next;

        ynode_free(doc->root);
        tri_free(doc->file);
        tri_free(doc);
        doc = next;
    }
}

static void yerr(struct ybuild *y, const yaml_mark_t *m, triage_status code,
                 const char *msg)
{
    tri_diag(y->d, code, 0, y->file, (unsigned)m->line + 1,
             (unsigned)m->column + 1, NULL, -1, -1, "%s", msg);
    y->failed = 1;
    if (y->code == TRIAGE_OK)
        y->code = code;
}

/* Attach a finished node to its parent (or make it the root). */
static int attach(struct ybuild *y, struct tri_ynode *n)
{
    struct tri_ynode *parent;
    size_t cap;

    if (y->depth == 0) {
        y->root = n;
        return 1;
    }
    parent = y->stack[y->depth - 1];
    cap = parent->n;
    if ((cap & (cap - 1)) == 0) {   /* grow at powers of two */
        void *p = tri_realloc(parent->kids, (cap ? cap * 2 : 4) * sizeof n);

        if (p == NULL)
            return 0;
        parent->kids = p;
    }
    parent->kids[parent->n++] = n;
    return 1;
}

static struct tri_ynode *ynode_new(enum tri_ykind kind, const yaml_mark_t *m)
{
    struct tri_ynode *n = tri_calloc(1, sizeof *n);

    if (n != NULL) {
        n->kind = kind;
        n->line = (unsigned)m->line + 1;
        n->col = (unsigned)m->column + 1;
    }
    return n;
}

/* Handle one event; returns 0 to stop. */
static int on_event(struct ybuild *y, const yaml_event_t *ev)
{
    struct tri_ynode *n;
    const yaml_mark_t *m = &ev->start_mark;

    switch (ev->type) {
    case YAML_ALIAS_EVENT:
        yerr(y, m, TRIAGE_ERULE_SYNTAX, "YAML aliases are not allowed in rule files");
        return 0;
    case YAML_SCALAR_EVENT:
        if (ev->data.scalar.anchor != NULL) {
            yerr(y, m, TRIAGE_ERULE_SYNTAX, "YAML anchors are not allowed in rule files");
            return 0;
        }
        if (ev->data.scalar.length > TRI_MAX_SCALAR) {
            yerr(y, m, TRIAGE_ELIMIT, "scalar longer than 65536 bytes");
            return 0;
        }
        n = ynode_new(TRI_Y_SCALAR, m);
        if (n == NULL)
            return 0;
        n->str = tri_strndup((const char *)ev->data.scalar.value,
                             ev->data.scalar.length);
        n->len = ev->data.scalar.length;
        n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        if (n->str == NULL || !attach(y, n)) {
            ynode_free(n);
            return 0;
        }
        return 1;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        if ((ev->type == YAML_SEQUENCE_START_EVENT
                 ? ev->data.sequence_start.anchor
                 : ev->data.mapping_start.anchor) != NULL) {
            yerr(y, m, TRIAGE_ERULE_SYNTAX, "YAML anchors are not allowed in rule files");
            return 0;
        }
        if (y->depth >= TRI_MAX_DEPTH) {
            yerr(y, m, TRIAGE_ELIMIT, "YAML nested deeper than 64 levels");
            return 0;
        }
        n = ynode_new(ev->type == YAML_SEQUENCE_START_EVENT ? TRI_Y_SEQ : TRI_Y_MAP, m);
        if (n == NULL || !attach(y, n)) {
            ynode_free(n);
            return 0;
        }
        y->stack[y->depth++] = n;
        return 1;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        y->depth--;
        return 1;
    case YAML_DOCUMENT_START_EVENT:
        if (y->root != NULL) {
            yerr(y, m, TRIAGE_ERULE_SYNTAX, "only one YAML document per rule file");
            return 0;
        }
        return 1;
    default:
        return 1;
    }
}

static void parser_error(struct ybuild *y, const yaml_parser_t *p)
{
    char msg[512];
    const yaml_mark_t *m = &p->problem_mark;

    if (p->error == YAML_MEMORY_ERROR) {
        yerr(y, m, TRIAGE_ENOMEM, "out of memory");
        return;
    }
    if (p->context != NULL)
        snprintf(msg, sizeof msg, "%s %s", p->problem ? p->problem : "error",
                 p->context);
    else
        snprintf(msg, sizeof msg, "%s", p->problem ? p->problem : "YAML error");
    yerr(y, m, TRIAGE_ERULE_SYNTAX, msg);
}

triage_status tri_yaml_parse(const char *file, const char *text, size_t len,
                             struct tri_diag_sink *d, struct tri_ydoc **out)
{
    struct ybuild y;
    yaml_parser_t parser;
    yaml_event_t ev;
    struct tri_ydoc *doc = NULL;
    int done = 0;

    *out = NULL;
    memset(&y, 0, sizeof y);
    y.file = file;
    y.d = d;
    if (len > TRI_MAX_FILE) {
        tri_diag(d, TRIAGE_ELIMIT, 0, file, 1, 1, NULL, -1, -1,
                 "rule file larger than 16 MiB");
        return TRIAGE_ELIMIT;
    }
    if (!yaml_parser_initialize(&parser)) {
        tri_diag(d, TRIAGE_ENOMEM, 0, file, 0, 0, NULL, -1, -1, "out of memory");
        return TRIAGE_ENOMEM;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    while (!done && !y.failed) {
        if (!yaml_parser_parse(&parser, &ev)) {
            parser_error(&y, &parser);
            break;
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        if (!on_event(&y, &ev) && !y.failed) {
            y.failed = 1;
            y.code = TRIAGE_ENOMEM;
            tri_diag(d, TRIAGE_ENOMEM, 0, file, 0, 0, NULL, -1, -1, "out of memory");
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    if (!y.failed) {
        doc = tri_calloc(1, sizeof *doc);
        if (doc != NULL)
            doc->file = tri_strndup(file, strlen(file));
        if (doc == NULL || doc->file == NULL) {
            /* Reported too: the built-in context is parsed here as well. */
            tri_diag(d, TRIAGE_ENOMEM, 0, file, 0, 0, NULL, -1, -1,
                     "out of memory");
            tri_free(doc);
            ynode_free(y.root);
            return TRIAGE_ENOMEM;
        }
        doc->root = y.root;
        *out = doc;
        return TRIAGE_OK;
    }
    /* The root holds every node built so far, whatever the depth. */
    ynode_free(y.root);
    return y.code != TRIAGE_OK ? y.code : TRIAGE_ERULE_SYNTAX;
}
