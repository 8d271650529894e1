/*
 * batch_paths.c - expands the files and folders given to `triage batch`
 * into a list of input files, folders searched recursively in byte order.
 */
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include "batch_internal.h"

static triage_status push(struct batch_paths *p, size_t *cap, char *path)
{
    char **v;

    if (path == NULL)
        return TRIAGE_ENOMEM;
    if (p->count == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        v = realloc(p->paths, *cap * sizeof *v);
        if (v == NULL) {
            free(path);
            return TRIAGE_ENOMEM;
        }
        p->paths = v;
    }
    p->paths[p->count++] = path;
    return TRIAGE_OK;
}

static char *join(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    int slash = dl > 0 && dir[dl - 1] == '/';
    char *s = malloc(dl + nl + 2);

    if (s != NULL) {
        memcpy(s, dir, dl);
        if (!slash)
            s[dl++] = '/';
        memcpy(s + dl, name, nl + 1);
    }
    return s;
}

static int by_bytes(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Add the regular files under 'dir'. Symbolic links to files are kept;
 * links to folders are not followed, so a link cycle cannot loop.
 */
static triage_status walk(const char *dir, struct batch_paths *p,
                          size_t *cap, char *err, size_t errlen)
{
    triage_status st = TRIAGE_OK;
    struct dirent *e;
    struct stat sb;
    char *path;
    DIR *d = opendir(dir);

    if (d == NULL) {
        snprintf(err, errlen, "cannot read %s: %s", dir, strerror(errno));
        return TRIAGE_EIO;
    }
    while (st == TRIAGE_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;   /* hidden, and "." and ".." */
        path = join(dir, e->d_name);
        if (path == NULL || lstat(path, &sb) != 0) {
            st = path == NULL ? TRIAGE_ENOMEM : TRIAGE_EIO;
            if (path != NULL)
                snprintf(err, errlen, "cannot read %s: %s", path,
                         strerror(errno));
            free(path);
        } else if (S_ISDIR(sb.st_mode)) {
            st = walk(path, p, cap, err, errlen);
            free(path);
        } else if (S_ISREG(sb.st_mode) ||
                   (S_ISLNK(sb.st_mode) && stat(path, &sb) == 0 &&
                    S_ISREG(sb.st_mode))) {
            st = push(p, cap, path);
        } else {
            free(path);
        }
    }
    closedir(d);
    return st;
}

static triage_status add_arg(const char *arg, struct batch_paths *p,
                             size_t *cap, char *err, size_t errlen)
{
    struct stat sb;
    size_t first = p->count;
    triage_status st;

    if (strcmp(arg, "-") != 0 && stat(arg, &sb) != 0) {
        snprintf(err, errlen, "cannot read %s: %s", arg, strerror(errno));
        return TRIAGE_EIO;
    }
    if (strcmp(arg, "-") == 0 || !S_ISDIR(sb.st_mode))
        return push(p, cap, strdup(arg));
    st = walk(arg, p, cap, err, errlen);
    if (st == TRIAGE_OK)
        qsort(p->paths + first, p->count - first, sizeof *p->paths,
              by_bytes);
    return st;
}

triage_status batch_collect_paths(const char *const *args, size_t nargs,
                                  struct batch_paths *out, char *err,
                                  size_t errlen)
{
    triage_status st = TRIAGE_OK;
    char scratch[256];
    size_t i, cap = 0;

    if (err == NULL || errlen == 0) {
        err = scratch;
        errlen = sizeof scratch;
    }
    err[0] = '\0';
    if (out == NULL || (args == NULL && nargs > 0))
        return TRIAGE_EINVAL;
    out->paths = NULL;
    out->count = 0;
    for (i = 0; i < nargs && st == TRIAGE_OK; i++)
        st = args[i] ? add_arg(args[i], out, &cap, err, errlen)
                     : TRIAGE_EINVAL;
    if (st != TRIAGE_OK)
        batch_paths_free(out);
    if (st == TRIAGE_ENOMEM && err[0] == '\0')
        snprintf(err, errlen, "out of memory");
    return st;
}

void batch_paths_free(struct batch_paths *p)
{
    size_t i;

    if (p == NULL)
        return;
    for (i = 0; i < p->count; i++)
        free(p->paths[i]);
    free(p->paths);
    p->paths = NULL;
    p->count = 0;
}
