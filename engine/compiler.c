/*
 * compiler.c - the public compiler API: collect YAML documents, then build
 * one immutable rule set from all of them in finish().
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "compile_int.h"

triage_status triage_compiler_create(triage_compiler **out)
{
    triage_compiler *c;

    if (out == NULL)
        return TRIAGE_EINVAL;
    *out = NULL;
    c = tri_calloc(1, sizeof *c);
    if (c == NULL)
        return TRIAGE_ENOMEM;
    c->docs_tail = &c->docs;
    c->hash[0] = 1469598103934665603ull;
    c->hash[1] = 0x9e3779b97f4a7c15ull;
    *out = c;
    return TRIAGE_OK;
}

void triage_compiler_destroy(triage_compiler *c)
{
    if (c == NULL)
        return;
    tri_ydoc_free(c->docs);
    tri_diag_free(&c->diag);
    tri_free(c->cache_dir);
    tri_free(c);
}

triage_status triage_compiler_set_cache(triage_compiler *c, const char *dir)
{
    char *copy = NULL;

    if (c == NULL)
        return TRIAGE_EINVAL;
    if (dir != NULL && (copy = tri_strndup(dir, strlen(dir))) == NULL)
        return TRIAGE_ENOMEM;
    tri_free(c->cache_dir);
    c->cache_dir = copy;
    return TRIAGE_OK;
}

void triage_compiler_set_diag(triage_compiler *c, triage_diag_fn fn, void *user)
{
    if (c == NULL)
        return;
    c->diag.fn = fn;
    c->diag.user = user;
}

const triage_diag *triage_compiler_last_diag(const triage_compiler *c)
{
    return c != NULL && (c->diag.errors || c->diag.warnings) ? &c->diag.last : NULL;
}

unsigned triage_compiler_errors(const triage_compiler *c)
{
    return c ? c->diag.errors : 0;
}

unsigned triage_compiler_warnings(const triage_compiler *c)
{
    return c ? c->diag.warnings : 0;
}

/* Two FNV-1a lanes over names and contents: the rule set's content hash. */
static void hash_add(triage_compiler *c, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        c->hash[0] = (c->hash[0] ^ (unsigned char)s[i]) * 1099511628211ull;
        c->hash[1] = (c->hash[1] ^ (unsigned char)s[i]) * 0x100000001b3ull +
                     (c->hash[1] >> 29);
    }
}

triage_status triage_compiler_add_string(triage_compiler *c, const char *name,
                                         const char *yaml, size_t len)
{
    struct tri_ydoc *doc = NULL;
    triage_status st;

    if (c == NULL || (yaml == NULL && len > 0))
        return TRIAGE_EINVAL;
    if (name == NULL)
        name = "<string>";
    hash_add(c, name, strlen(name) + 1);
    hash_add(c, yaml ? yaml : "", len);
    st = tri_yaml_parse(name, yaml ? yaml : "", len, &c->diag, &doc);
    if (st != TRIAGE_OK)
        return st;
    if (doc->root == NULL || (doc->root->kind == TRI_Y_SCALAR && doc->root->len == 0)) {
        tri_diag(&c->diag, TRIAGE_ERULE_SCHEMA, 0, name, 1, 1, NULL, -1, -1,
                 "empty rule file");
        tri_ydoc_free(doc);
        return TRIAGE_ERULE_SCHEMA;
    }
    if (doc->root->kind != TRI_Y_MAP) {
        tri_diag(&c->diag, TRIAGE_ERULE_SCHEMA, 0, name, doc->root->line,
                 doc->root->col, NULL, -1, -1,
                 "a rule file must be a mapping of sections (rules:, cues: ...)");
        tri_ydoc_free(doc);
        return TRIAGE_ERULE_SCHEMA;
    }
    *c->docs_tail = doc;
    c->docs_tail = &doc->next;
    c->n_docs++;
    return TRIAGE_OK;
}

static triage_status add_file(triage_compiler *c, const char *path)
{
    FILE *fp = fopen(path, "rb");
    struct tri_buf data = { 0 };
    char chunk[65536];
    size_t n;
    triage_status st = TRIAGE_OK;

    if (fp == NULL) {
        tri_diag(&c->diag, TRIAGE_EIO, 0, path, 0, 0, NULL, -1, -1,
                 "cannot open: %s", strerror(errno));
        return TRIAGE_EIO;
    }
    while (st == TRIAGE_OK && (n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        if (data.len + n > TRI_MAX_FILE) {
            tri_diag(&c->diag, TRIAGE_ELIMIT, 0, path, 0, 0, NULL, -1, -1,
                     "rule file larger than 16 MiB");
            st = TRIAGE_ELIMIT;
        } else {
            st = tri_buf_add(&data, chunk, n);
        }
    }
    if (st == TRIAGE_OK && ferror(fp)) {
        tri_diag(&c->diag, TRIAGE_EIO, 0, path, 0, 0, NULL, -1, -1,
                 "read error: %s", strerror(errno));
        st = TRIAGE_EIO;
    }
    fclose(fp);
    if (st == TRIAGE_OK)
        st = triage_compiler_add_string(c, path, data.data, data.len);
    tri_buf_free(&data);
    return st;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_rule_file(const char *name)
{
    size_t n = strlen(name);

    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

/* Collect rule files below 'dir' (recursive, hidden entries skipped). */
static triage_status collect(triage_compiler *c, const char *dir, struct tri_buf *list)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    triage_status st = TRIAGE_OK;

    if (d == NULL) {
        tri_diag(&c->diag, TRIAGE_EIO, 0, dir, 0, 0, NULL, -1, -1,
                 "cannot open folder: %s", strerror(errno));
        return TRIAGE_EIO;
    }
    while (st == TRIAGE_OK && (e = readdir(d)) != NULL) {
        struct stat sb;
        char *path;
        size_t n;

        if (e->d_name[0] == '.')
            continue;
        n = strlen(dir) + strlen(e->d_name) + 2;
        path = tri_malloc(n);
        if (path == NULL) {
            st = TRIAGE_ENOMEM;
            break;
        }
        snprintf(path, n, "%s/%s", dir, e->d_name);
        if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            st = collect(c, path, list);
            tri_free(path);
        } else if (is_rule_file(e->d_name)) {
            st = tri_buf_add(list, &path, sizeof path);
        } else {
            tri_free(path);
        }
    }
    closedir(d);
    return st;
}

triage_status triage_compiler_add_path(triage_compiler *c, const char *path)
{
    struct tri_buf list = { 0 };
    struct stat sb;
    triage_status st, first = TRIAGE_OK;
    size_t i, n;
    char **paths;

    if (c == NULL || path == NULL)
        return TRIAGE_EINVAL;
    if (stat(path, &sb) != 0) {
        tri_diag(&c->diag, TRIAGE_EIO, 0, path, 0, 0, NULL, -1, -1,
                 "cannot open: %s", strerror(errno));
        return TRIAGE_EIO;
    }
    if (!S_ISDIR(sb.st_mode))
        return add_file(c, path);
    st = collect(c, path, &list);
    paths = (char **)list.data;
    n = list.len / sizeof *paths;
    if (st == TRIAGE_OK && n == 0) {
        tri_diag(&c->diag, TRIAGE_ENORULES, 0, path, 0, 0, NULL, -1, -1,
                 "no *.yaml or *.yml rule files in this folder");
        st = TRIAGE_ENORULES;
    }
    if (n > 0)
        qsort(paths, n, sizeof *paths, cmp_str);
    for (i = 0; i < n; i++) {
        if (st == TRIAGE_OK) {
            triage_status one = add_file(c, paths[i]);

            if (first == TRIAGE_OK)
                first = one;   /* go on: report every file's errors */
        }
        tri_free(paths[i]);
    }
    tri_buf_free(&list);
    return st != TRIAGE_OK ? st : first;
}
