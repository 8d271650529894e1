/*
 * replay.c - runs a fuzz harness without libFuzzer: every regular file of
 * the folders (or the files) given on the command line goes once through
 * LLVMFuzzerTestOneInput, in byte order of their names. Used by
 * `make fuzz-replay` and tests/e2e/fuzz_replay.sh under plain and ASan
 * builds; a crash or a sanitizer report fails the run.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned long runs;

static int run_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    unsigned char *buf = NULL, *p;
    size_t len = 0, cap = 0, got;

    if (fp == NULL) {
        perror(path);
        return 1;
    }
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            p = realloc(buf, cap);
            if (p == NULL) {
                fclose(fp);
                free(buf);
                return 1;
            }
            buf = p;
        }
        got = fread(buf + len, 1, cap - len, fp);
        if (got == 0)
            break;
        len += got;
    }
    fclose(fp);
    /* An exact-size copy, as libFuzzer passes it. */
    p = malloc(len ? len : 1);
    if (p == NULL) {
        free(buf);
        return 1;
    }
    memcpy(p, buf, len);
    free(buf);
    fprintf(stderr, "replay %s (%zu bytes)\n", path, len);
    LLVMFuzzerTestOneInput(p, len);
    free(p);
    runs++;
    return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int run_path(const char *path)
{
    struct dirent **list;
    struct stat sb;
    char sub[4096];
    int n, i, bad = 0;

    if (stat(path, &sb) != 0)
        return 0;   /* a folder that does not exist yet holds nothing */
    if (!S_ISDIR(sb.st_mode))
        return run_file(path);
    n = scandir(path, &list, NULL, by_name);
    if (n < 0) {
        perror(path);
        return 1;
    }
    for (i = 0; i < n; i++) {
        if (list[i]->d_name[0] != '.') {
            snprintf(sub, sizeof sub, "%s/%s", path, list[i]->d_name);
            if (stat(sub, &sb) == 0 && S_ISREG(sb.st_mode))
                bad |= run_file(sub);
        }
        free(list[i]);
    }
    free(list);
    return bad;
}

int main(int argc, char **argv)
{
    int i, bad = 0;

    for (i = 1; i < argc; i++)
        bad |= run_path(argv[i]);
    printf("%s: %lu inputs replayed\n", argv[0], runs);
    return bad;
}
