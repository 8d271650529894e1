/*
 * cli.h - what the command handlers share: exit codes, rule loading and
 * option helpers. The CLI uses the library through triage.h only.
 */
#ifndef TRIAGE_CLI_H
#define TRIAGE_CLI_H

#include <stdio.h>
#include "triage.h"

enum cli_exit {
    EXIT_OK_ = 0,       /* success                                       */
    EXIT_FAILED = 1,    /* tests or lint found failures                  */
    EXIT_USAGE = 2,     /* bad command line                              */
    EXIT_RULES = 3,     /* rules did not compile or the table was refused */
    EXIT_IO = 4,        /* a file could not be read or written           */
    EXIT_PARTIAL = 5,   /* batch finished, some records are error records */
    EXIT_INTERNAL = 6,  /* out of memory or another engine failure       */
    EXIT_INTERRUPTED = 130 /* batch stopped by SIGINT or SIGTERM (128 + 2) */
};

#define CLI_MAX_RULES 64

/* Where rules come from: -r (repeatable), -t, else the documented search. */
struct rules_opt {
    const char *paths[CLI_MAX_RULES];
    int n_paths;
    const char *table;
    int quiet;          /* no warnings on stderr                          */
    int no_cache;       /* compile even when a cached table matches (the
                           clean result still refreshes the cache)         */
};

/* If argv[*i] is -r/--rules or -t/--table, consume it (and its value).
 * Returns 1 if consumed, 0 if not, -1 on a usage error (printed). */
int cli_rules_arg(struct rules_opt *o, int argc, char **argv, int *i);
/* Compile or load the rules; prints diagnostics; returns an exit code. */
int cli_load_rules(const struct rules_opt *o, triage_ruleset **out);
/* Save a clean compile of 'paths' to the rules cache (rules_cache.c), for
 * the next run on the same rules; does nothing after a warning or error,
 * or with the cache off. */
void cli_cache_store(const char *const *paths, int n, triage_compiler *c,
                     const triage_ruleset *rs);
/* Print one diagnostic in GNU form. */
void cli_print_diag(const triage_diag *d, void *user);
/* Read all of a stream into a malloc'd buffer; NULL on error. */
char *cli_read_all(FILE *fp, size_t *len);
/* Join argv[from..argc) with spaces into a malloc'd string. */
char *cli_join_args(int argc, char **argv, int from, size_t *len);
/* "all", "fired", "counted" or "none" into *out; -1 (printed) otherwise. */
int cli_hits_arg(const char *v, triage_json_hits *out);
/* Monotonic seconds, for progress rates and profile passes. */
double cli_now(void);
/* Colour on a terminal unless NO_COLOR is set. */
int cli_use_colour(FILE *fp);

int cmd_classify(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_compile(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_check_reply(int argc, char **argv);
int cmd_learn(int argc, char **argv);

#endif
