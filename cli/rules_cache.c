/*
 * rules_cache.c - compiled tables cached by what went into them, so
 * `triage classify -r rules/ ...` compiles a large rule set once (seconds:
 * the Vectorscan build) and then loads it (milliseconds), like
 * SpamAssassin's sa-compile but without a step to forget.
 *
 * The key hashes the rule paths as given, every non-hidden file below
 * them (names, sizes, bytes: a superset of what the compiler reads), the
 * triage binary itself and the Hyperscan library's version, so any edit,
 * a rebuilt engine or another library misses the cache. Tables are
 * written only when compiling gave no warning (warnings must keep
 * showing) and go to $TRIAGE_CACHE_DIR, else
 * $XDG_CACHE_HOME/triage, else ~/.cache/triage; TRIAGE_CACHE=off turns it
 * off. `triage compile` and `triage lint` write but never read it. The
 * loader checks a cached table like any other (CRC, bounds).
 *
 * Every compile also keeps its Vectorscan databases in the same folder
 * (engine/db_cache.c), keyed by their patterns alone: after an edit that
 * misses the table cache, unchanged regexes are not rebuilt.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <hs.h>
#include "rules_cache.h"

#define KEEP_TABLES 8       /* newest cached tables kept; older ones pruned */

/* Two 64-bit lanes (FNV-1a and a rotate-multiply mix): 128 bits is ample
 * to tell rule sets apart; nothing adversarial is at stake in a user's
 * own cache folder. */
struct hash {
    uint64_t a, b;
};

static void feed(struct hash *h, const void *p, size_t n)
{
    const unsigned char *s = p;
    size_t i;

    for (i = 0; i < n; i++) {
        h->a = (h->a ^ s[i]) * 0x100000001b3ull;
        h->b = ((h->b << 5 | h->b >> 59) ^ s[i]) * 0x9e3779b97f4a7c15ull;
    }
}

static void feed_str(struct hash *h, const char *s)
{
    feed(h, s, strlen(s) + 1);
}

static int feed_file(struct hash *h, const char *path, const struct stat *sb)
{
    char buf[65536];
    FILE *fp = fopen(path, "rb");
    size_t got;
    long long size = (long long)sb->st_size;

    if (fp == NULL)
        return -1;
    feed_str(h, path);
    feed(h, &size, sizeof size);
    while ((got = fread(buf, 1, sizeof buf, fp)) > 0)
        feed(h, buf, got);
    got = (size_t)ferror(fp);
    fclose(fp);
    return got ? -1 : 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every non-hidden entry below dir, in name order. */
static int feed_dir(struct hash *h, const char *dir, int depth)
{
    DIR *d;
    struct dirent *e;
    char **names = NULL, **p;
    size_t n = 0, cap = 0, i;
    int rc = 0;

    if (depth > 32 || (d = opendir(dir)) == NULL)
        return -1;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            p = realloc(names, cap * sizeof *names);
            if (p == NULL) {
                rc = -1;
                break;
            }
            names = p;
        }
        if ((names[n] = strdup(e->d_name)) == NULL) {
            rc = -1;
            break;
        }
        n++;
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof *names, by_name);
    for (i = 0; i < n; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        char *path = malloc(len);
        struct stat sb;

        if (rc == 0 && path != NULL) {
            snprintf(path, len, "%s/%s", dir, names[i]);
            if (stat(path, &sb) != 0)
                rc = -1;
            else if (S_ISDIR(sb.st_mode))
                rc = feed_dir(h, path, depth + 1);
            else if (S_ISREG(sb.st_mode))
                rc = feed_file(h, path, &sb);
        } else {
            rc = -1;
        }
        free(path);
        free(names[i]);
    }
    free(names);
    return rc;
}

/* The running binary and the Hyperscan library it runs on (linked
 * dynamically, it may change under the same binary): either may compile
 * the same rules apart, and a table of another library would have its
 * databases compiled again on every load. */
static int feed_self(struct hash *h)
{
    struct stat sb;
    long long id[3];
    hs_platform_info_t plat;

    if (stat("/proc/self/exe", &sb) != 0)
        return -1;
    id[0] = (long long)sb.st_size;
    id[1] = (long long)sb.st_mtim.tv_sec;
    id[2] = (long long)sb.st_mtim.tv_nsec;
    feed(h, id, sizeof id);
    feed_str(h, triage_version());
    feed_str(h, hs_version());
    /* The table's databases are built for this CPU's features: a cache
     * folder shared with another machine keeps a table for each. */
    if (hs_populate_platform(&plat) == HS_SUCCESS) {
        feed(h, &plat.tune, sizeof plat.tune);
        feed(h, &plat.cpu_features, sizeof plat.cpu_features);
    }
    return 0;
}

static int cache_off(void)
{
    const char *off = getenv("TRIAGE_CACHE");

    return off != NULL && (!strcmp(off, "off") || !strcmp(off, "0") || !strcmp(off, "no"));
}

static int cache_dir(char *buf, size_t len)
{
    const char *dir = getenv("TRIAGE_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    int n;

    if (dir != NULL && *dir != '\0')
        n = snprintf(buf, len, "%s", dir);
    else if (xdg != NULL && *xdg != '\0')
        n = snprintf(buf, len, "%s/triage", xdg);
    else if (home != NULL && *home != '\0')
        n = snprintf(buf, len, "%s/.cache/triage", home);
    else
        return -1;
    if (n < 0 || (size_t)n >= len)
        return -1;
    if (mkdir(buf, 0700) != 0 && errno != EEXIST) {
        /* $XDG_CACHE_HOME or ~/.cache itself may be missing: one level up. */
        char *slash = strrchr(buf, '/');

        if (slash == NULL || slash == buf)
            return -1;
        *slash = '\0';
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            return -1;
        *slash = '/';
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            return -1;
    }
    return 0;
}

int rules_cache_path(const char *const *paths, int n, char *buf, size_t len)
{
    struct hash h = { 0xcbf29ce484222325ull, 0x243f6a8885a308d3ull };
    char dir[4096];
    struct stat sb;
    int i, k;

    if (cache_off())
        return -1;
    if (feed_self(&h) != 0)
        return -1;
    for (i = 0; i < n; i++) {
        feed_str(&h, paths[i]);
        if (stat(paths[i], &sb) != 0)
            return -1;   /* the compiler reports it */
        if (S_ISDIR(sb.st_mode) ? feed_dir(&h, paths[i], 0) != 0
                                : feed_file(&h, paths[i], &sb) != 0)
            return -1;
    }
    if (cache_dir(dir, sizeof dir) != 0)
        return -1;
    k = snprintf(buf, len, "%s/%016llx%016llx.tdb", dir, (unsigned long long)h.a,
                 (unsigned long long)h.b);
    return k < 0 || (size_t)k >= len ? -1 : 0;
}

struct aged {
    char *path;
    time_t mtime;
};

static int newest_first(const void *a, const void *b)
{
    const struct aged *x = a, *y = b;

    return x->mtime < y->mtime ? 1 : x->mtime > y->mtime ? -1 : strcmp(x->path, y->path);
}

void rules_cache_prune(const char *table)
{
    char dir[4096];
    const char *slash = strrchr(table, '/');
    struct aged *v = NULL, *p;
    size_t n = 0, cap = 0, i;
    struct dirent *e;
    DIR *d;

    if (slash == NULL || (size_t)(slash - table) >= sizeof dir)
        return;
    memcpy(dir, table, (size_t)(slash - table));
    dir[slash - table] = '\0';
    if ((d = opendir(dir)) == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        size_t k = strlen(e->d_name), len = strlen(dir) + k + 2;
        struct stat sb;
        char *path;

        if (k != 36 || strcmp(e->d_name + 32, ".tdb") != 0)
            continue;   /* only the cache's own tables */
        if (n == cap) {
            p = realloc(v, (cap ? cap * 2 : 16) * sizeof *v);
            if (p == NULL)
                break;
            v = p;
            cap = cap ? cap * 2 : 16;
        }
        if ((path = malloc(len)) == NULL)
            break;
        memcpy(path, dir, len - k - 2);   /* exact sizes: dir "/" name NUL */
        path[len - k - 2] = '/';
        memcpy(path + len - k - 1, e->d_name, k + 1);
        if (stat(path, &sb) != 0) {
            free(path);
            continue;
        }
        v[n].path = path;
        v[n].mtime = sb.st_mtime;
        n++;
    }
    closedir(d);
    if (n > 1)
        qsort(v, n, sizeof *v, newest_first);
    for (i = 0; i < n; i++) {
        if (i >= KEEP_TABLES)
            unlink(v[i].path);
        free(v[i].path);
    }
    free(v);
}

const char *rules_cache_dir(char *buf, size_t len)
{
    return !cache_off() && cache_dir(buf, len) == 0 ? buf : NULL;
}

void rules_cache_use(triage_compiler *c)
{
    char dir[4096];

    if (!cache_off() && cache_dir(dir, sizeof dir) == 0)
        (void)triage_compiler_set_cache(c, dir);   /* a cache is optional */
}
