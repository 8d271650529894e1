/*
 * rules_load.c - finding, compiling or loading the rules for a command:
 * -r PATH (repeatable) or -t TABLE, else $TRIAGE_RULES, ./rules, and the
 * installed rules, in that order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>
#include "cli.h"
#include "rules_cache.h"

#ifndef TRIAGE_DATADIR
#define TRIAGE_DATADIR "/usr/local/share/triage"
#endif

void cli_print_diag(const triage_diag *d, void *user)
{
    const struct rules_opt *o = user;

    if (d->is_warning && o != NULL && o->quiet)
        return;
    fprintf(stderr, "%s", d->file ? d->file : "triage");
    if (d->line > 0)
        fprintf(stderr, ":%u:%u", d->line, d->column);
    fprintf(stderr, ": %s: %s", d->is_warning ? "warning" : "error", d->message);
    if (d->rule_id != NULL)
        fprintf(stderr, " [%s]", d->rule_id);
    fputc('\n', stderr);
}

int cli_rules_arg(struct rules_opt *o, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    int is_r = !strcmp(a, "-r") || !strcmp(a, "--rules");
    int is_t = !strcmp(a, "-t") || !strcmp(a, "--table");

    if (!is_r && !is_t)
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "triage: %s needs a value\n", a);
        return -1;
    }
    (*i)++;
    if (is_t) {
        o->table = argv[*i];
    } else if (o->n_paths < CLI_MAX_RULES) {
        o->paths[o->n_paths++] = argv[*i];
    } else {
        fprintf(stderr, "triage: more than %d rule paths\n", CLI_MAX_RULES);
        return -1;
    }
    return 1;
}

static int is_table_file(const char *p)
{
    size_t n = strlen(p);

    return n > 4 && strcmp(p + n - 4, ".tdb") == 0;
}

/* A table from another machine loads, its Vectorscan databases compiled
 * again (then kept in the cache folder): say so, since that costs the
 * first run seconds and every run the cache lookup. */
static void warn_rebuilt(const char *path, const triage_ruleset *rs, double secs)
{
    triage_status why = triage_ruleset_rebuilt(rs);

    if (why == TRIAGE_OK)
        return;
    fprintf(stderr, "%s: warning: its pattern databases were built %s, so they "
            "were compiled again or taken from the cache (%.1f s); 'triage compile "
            "-t %s -o NEW.tdb' saves a table that loads here without that\n", path,
            why == TRIAGE_EPLATFORM ? "for CPU features this machine lacks"
                                    : "with another Hyperscan library", secs, path);
}

static int load_table(const char *path, triage_ruleset **out)
{
    triage_status st;
    double t0 = cli_now();
    char dir[4096];

    errno = 0;
    st = triage_ruleset_load_cached(path, rules_cache_dir(dir, sizeof dir), out);

    if (st == TRIAGE_OK) {
        warn_rebuilt(path, *out, cli_now() - t0);
        return EXIT_OK_;
    }
    /* The library says only "input/output error"; errno says which. */
    if (st == TRIAGE_EIO && errno != 0)
        fprintf(stderr, "%s: error: cannot read the table: %s%s\n", path, strerror(errno),
                errno == EISDIR ? " (a folder of rules is given with -r)" : "");
    else
        fprintf(stderr, "%s: error: %s\n", path, triage_strerror(st));
    return st == TRIAGE_EIO ? EXIT_IO : EXIT_RULES;
}

void cli_cache_store(const char *const *paths, int n, triage_compiler *c,
                     const triage_ruleset *rs)
{
    char cache[4096];

    /* Cache only a clean compile, so warnings keep showing every time. */
    if (triage_compiler_warnings(c) == 0 && triage_compiler_errors(c) == 0 &&
        rules_cache_path(paths, n, cache, sizeof cache) == 0 &&
        triage_ruleset_save(rs, cache) == TRIAGE_OK)
        rules_cache_prune(cache);
}

static int compile_paths(const char *const *paths, int n, int quiet, int no_cache,
                         triage_ruleset **out)
{
    struct rules_opt o = { { 0 }, 0, NULL, quiet, 1 };
    triage_compiler *c = NULL;
    triage_status st, io = TRIAGE_OK;
    char cache[4096];
    int i, cached = rules_cache_path(paths, n, cache, sizeof cache) == 0;

    /* compile and lint never read the cache, but refresh it for the runs
     * that follow (`triage lint rules/ && triage test corpus/`). */
    if (cached && !no_cache && triage_ruleset_load(cache, out) == TRIAGE_OK) {
        utime(cache, NULL);   /* recently used: pruned last */
        return EXIT_OK_;
    }
    if (triage_compiler_create(&c) != TRIAGE_OK)
        return EXIT_INTERNAL;
    /* The shipped rules take seconds to compile: on a terminal, say why
     * the first run after a change waits, or it looks like a hang. */
    if (isatty(2))
        fprintf(stderr, "triage: compiling %s%s%s\n", paths[0], n > 1 ? " and more" : "",
                cached ? " (cached for the next runs)" : "");
    triage_compiler_set_diag(c, cli_print_diag, &o);
    rules_cache_use(c);
    for (i = 0; i < n; i++) {
        st = triage_compiler_add_path(c, paths[i]);
        if (st == TRIAGE_EIO && io == TRIAGE_OK)
            io = st;
    }
    st = triage_compiler_finish(c, out);
    if (st != TRIAGE_OK)
        fprintf(stderr, "triage: %u error(s); rules not compiled\n",
                triage_compiler_errors(c));
    if (st == TRIAGE_OK)
        cli_cache_store(paths, n, c, *out);
    triage_compiler_destroy(c);
    if (st == TRIAGE_OK)
        return EXIT_OK_;
    return io != TRIAGE_OK ? EXIT_IO : st == TRIAGE_ENOMEM ? EXIT_INTERNAL : EXIT_RULES;
}

/* The rules installed beside this binary (PREFIX/bin/../share/triage/rules),
 * so an install works wherever PREFIX pointed at build time. */
static int installed_rules(char *buf, size_t len)
{
    ssize_t n = readlink("/proc/self/exe", buf, len - 1);
    char *slash;
    struct stat sb;

    if (n <= 0)
        return -1;
    buf[n] = '\0';
    if ((slash = strrchr(buf, '/')) == NULL)
        return -1;
    *slash = '\0';
    if ((size_t)snprintf(slash, len - (size_t)(slash - buf), "/../share/triage/rules") >=
        len - (size_t)(slash - buf))
        return -1;
    return stat(buf, &sb) == 0 && S_ISDIR(sb.st_mode) ? 0 : -1;
}

int cli_load_rules(const struct rules_opt *o, triage_ruleset **out)
{
    const char *env = getenv("TRIAGE_RULES");
    const char *path;
    char near[4096];
    struct stat sb;

    *out = NULL;
    if (o->table != NULL)
        return load_table(o->table, out);
    if (o->n_paths > 0)
        return compile_paths(o->paths, o->n_paths, o->quiet, o->no_cache, out);
    if (env != NULL && *env != '\0')
        path = env;
    else if (stat("rules", &sb) == 0 && S_ISDIR(sb.st_mode))
        path = "rules";
    else if (installed_rules(near, sizeof near) == 0)
        path = near;
    else
        path = TRIAGE_DATADIR "/rules";
    if (is_table_file(path))
        return load_table(path, out);
    return compile_paths(&path, 1, 1, o->no_cache, out);
}

char *cli_read_all(FILE *fp, size_t *len)
{
    size_t cap = 65536, n = 0, got;
    char *buf = malloc(cap + 1), *p;

    while (buf != NULL && (got = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += got;
        if (n == cap) {
            p = realloc(buf, cap * 2 + 1);
            if (p == NULL)
                break;
            buf = p;
            cap *= 2;
        }
    }
    if (buf == NULL || ferror(fp) || (n == cap)) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

char *cli_join_args(int argc, char **argv, int from, size_t *len)
{
    size_t n = 0;
    int i;
    char *s, *p;

    for (i = from; i < argc; i++)
        n += strlen(argv[i]) + 1;
    s = p = malloc(n + 1);
    if (s == NULL)
        return NULL;
    for (i = from; i < argc; i++) {
        size_t k = strlen(argv[i]);

        if (i > from)
            *p++ = ' ';
        memcpy(p, argv[i], k);
        p += k;
    }
    *p = '\0';
    *len = (size_t)(p - s);
    return s;
}

int cli_hits_arg(const char *v, triage_json_hits *out)
{
    static const char *const names[] = { "all", "fired", "counted", "none" };
    int i;

    for (i = 0; i < 4; i++)
        if (strcmp(v, names[i]) == 0) {
            *out = (triage_json_hits)i;
            return 0;
        }
    fprintf(stderr, "triage: --hits wants all, fired, counted or none, not '%s'\n", v);
    return -1;
}

double cli_now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int cli_use_colour(FILE *fp)
{
    const char *nc = getenv("NO_COLOR");

    return isatty(fileno(fp)) && (nc == NULL || *nc == '\0');
}
