/*
 * db_cache.c - Vectorscan databases kept in a folder, named by a hash of
 * what went into them, as Rspamd keeps its Hyperscan databases. The regex
 * prefilters are most of a large rule set's compile time (17 of 20 s for
 * the shipped rules), and an edit to a keyword, a script or a weight does
 * not change them: the next compile loads them instead.
 *
 * A file is a header (magic, key, lengths and CRC-32s), the serialized
 * database and the facts its caller derived along with it (the regexes'
 * reach, runtime.c, a third of a compile that finds its databases here);
 * anything that does not check out is a miss. Files are written under a
 * temporary name and renamed, so a reader never sees half of one, and only
 * the newest few are kept.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>
#include "internal.h"

#define CACHE_MAGIC "TRIAGEH2"   /* 2: the extra section */
#define CACHE_KEEP 6          /* newest databases kept in the folder */
#define NAME_LEN 41           /* "hs-" + 32 hex digits + ".hsdb" + NUL */

struct cache_head {
    char magic[8];
    uint64_t key[2];
    uint64_t len, extra_len;   /* the database, then the extra section */
    uint32_t crc, extra_crc;
};

static int name_of(char *buf, size_t size, const char *dir, const uint64_t key[2])
{
    int n = snprintf(buf, size, "%s/hs-%016llx%016llx.hsdb", dir,
                     (unsigned long long)key[0], (unsigned long long)key[1]);

    return n < 0 || (size_t)n >= size ? -1 : 0;
}

int tri_db_cache_get(const char *dir, const uint64_t key[2], struct tri_hsdb *h,
                     void *extra, size_t extra_len)
{
    char path[4096];
    struct cache_head head;
    char *blob = NULL;
    FILE *fp;
    int rc = -1;

    if (dir == NULL || name_of(path, sizeof path, dir, key) != 0 ||
        (fp = fopen(path, "rb")) == NULL)
        return -1;
    if (fread(&head, sizeof head, 1, fp) == 1 &&
        memcmp(head.magic, CACHE_MAGIC, 8) == 0 && head.key[0] == key[0] &&
        head.key[1] == key[1] && head.len > 0 && head.len < ((uint64_t)1 << 32) &&
        head.extra_len == extra_len &&
        (blob = tri_malloc((size_t)head.len)) != NULL &&
        fread(blob, 1, (size_t)head.len, fp) == head.len &&
        (extra_len == 0 || fread(extra, 1, extra_len, fp) == extra_len) &&
        fgetc(fp) == EOF &&
        tri_crc32((const unsigned char *)blob, (size_t)head.len) == head.crc &&
        tri_crc32(extra, extra_len) == head.extra_crc &&
        tri_hsdb_deserialize(h, blob, (size_t)head.len) == HS_SUCCESS) {
        h->cached = 1;
        rc = 0;
    }
    fclose(fp);
    tri_free(blob);
    if (rc == 0)
        (void)utime(path, NULL);   /* recently used: pruned last */
    return rc;
}

struct aged {
    char name[NAME_LEN];
    struct timespec mtime;    /* to the nanosecond: compiles come quickly */
};

static int newest_first(const void *a, const void *b)
{
    const struct aged *x = a, *y = b;

    if (x->mtime.tv_sec != y->mtime.tv_sec)
        return x->mtime.tv_sec < y->mtime.tv_sec ? 1 : -1;
    if (x->mtime.tv_nsec != y->mtime.tv_nsec)
        return x->mtime.tv_nsec < y->mtime.tv_nsec ? 1 : -1;
    return strcmp(x->name, y->name);
}

/* Keep the CACHE_KEEP newest databases of the folder; delete the rest. */
static void prune(const char *dir)
{
    struct aged *v = NULL, *p;
    size_t n = 0, cap = 0, i;
    struct dirent *e;
    DIR *d = opendir(dir);

    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        struct stat sb;

        if (strlen(e->d_name) != NAME_LEN - 1 || strncmp(e->d_name, "hs-", 3) != 0 ||
            strcmp(e->d_name + NAME_LEN - 6, ".hsdb") != 0)
            continue;   /* only the cache's own files */
        if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path ||
            stat(path, &sb) != 0)
            continue;
        if (n == cap) {
            p = realloc(v, (cap ? cap * 2 : 16) * sizeof *v);
            if (p == NULL)
                break;
            v = p;
            cap = cap ? cap * 2 : 16;
        }
        memcpy(v[n].name, e->d_name, NAME_LEN);
        v[n++].mtime = sb.st_mtim;
    }
    closedir(d);
    if (n > 1)
        qsort(v, n, sizeof *v, newest_first);
    for (i = CACHE_KEEP; i < n; i++) {
        char path[4096];

        if (snprintf(path, sizeof path, "%s/%s", dir, v[i].name) < (int)sizeof path)
            (void)unlink(path);
    }
    free(v);
}

void tri_db_cache_put(const char *dir, const uint64_t key[2], const hs_database_t *db,
                      const void *extra, size_t extra_len)
{
    char path[4096], tmp[4200];
    struct cache_head head;
    char *blob = NULL;
    size_t len = 0;
    FILE *fp = NULL;
    int fd = -1, ok;

    if (dir == NULL || db == NULL || name_of(path, sizeof path, dir, key) != 0 ||
        snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp ||
        hs_serialize_database(db, &blob, &len) != HS_SUCCESS)
        return;
    memset(&head, 0, sizeof head);
    memcpy(head.magic, CACHE_MAGIC, 8);
    head.key[0] = key[0];
    head.key[1] = key[1];
    head.len = len;
    head.crc = tri_crc32((const unsigned char *)blob, len);
    head.extra_len = extra_len;
    head.extra_crc = tri_crc32(extra, extra_len);
    /* A name of its own: threads and processes may store the same key. */
    if ((fd = mkstemp(tmp)) >= 0 && (fp = fdopen(fd, "wb")) == NULL)
        close(fd);
    ok = fp != NULL && fwrite(&head, sizeof head, 1, fp) == 1 &&
         fwrite(blob, 1, len, fp) == len &&
         (extra_len == 0 || fwrite(extra, 1, extra_len, fp) == extra_len);
    if (fp != NULL && fclose(fp) != 0)
        ok = 0;
    free(blob);   /* Vectorscan allocates with the C library */
    if (ok && rename(tmp, path) == 0)
        prune(dir);
    else if (fd >= 0)
        (void)unlink(tmp);
}
