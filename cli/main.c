/*
 * main.c - the triage command line: a table of sub-commands and nothing
 * else. Each handler parses its own options (see docs/cli.md).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <hs.h>
#include "cli.h"

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
};

static const struct command commands[] = {
    { "classify", cmd_classify, "classify one complaint, JSON out" },
    { "explain", cmd_explain, "show why a complaint got its result" },
    { "compile", cmd_compile, "compile rules into a table (.tdb)" },
    { "batch", cmd_batch, "triage complaint logs (CSV, TSV, JSONL, text)" },
    { "test", cmd_test, "score rules against a labelled corpus" },
    { "learn", cmd_learn, "learn Bayes models from a labelled corpus" },
    { "lint", cmd_lint, "find rule problems that compile cannot" },
    { "check-reply", cmd_check_reply, "check an agent's draft reply" },
};

static void usage(FILE *fp)
{
    size_t i;

    fprintf(fp, "usage: triage COMMAND [OPTIONS] ...\n\ncommands:\n");
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(fp, "  %-12s %s\n", commands[i].name, commands[i].help);
    fprintf(fp, "\n'triage COMMAND --help' for a command's options; "
            "'triage --version'.\nexit codes: 0 ok, 1 test/lint failures, "
            "2 usage, 3 rule errors, 4 I/O, 5 batch with error records, "
            "6 internal, 130 batch interrupted\n");
}

/* The pattern library and the CPU features its databases are built for
 * here: a saved table built elsewhere with others has them compiled again
 * on load, and this line tells which machine built what. */
static void print_patterns_line(void)
{
    static const struct { unsigned long long bit; const char *name; } feats[] = {
        { HS_CPU_FEATURES_AVX2, "AVX2" }, { HS_CPU_FEATURES_AVX512, "AVX512" },
        { HS_CPU_FEATURES_AVX512VBMI, "AVX512VBMI" },
    };
    hs_platform_info_t plat;
    size_t i;
    int any = 0;

    printf("patterns: libhs %s, databases built for", hs_version());
    if (hs_populate_platform(&plat) == HS_SUCCESS)
        for (i = 0; i < sizeof feats / sizeof feats[0]; i++)
            if (plat.cpu_features & feats[i].bit) {
                printf(" %s", feats[i].name);
                any = 1;
            }
    printf("%s\n", any ? "" : " the baseline instruction set");
}

static int version(int argc, char **argv)
{
    struct rules_opt o;
    triage_ruleset *rs = NULL;
    triage_ruleset_info info;
    int i;

    memset(&o, 0, sizeof o);
    o.quiet = 1;
    for (i = 2; i < argc; i++)
        if (cli_rules_arg(&o, argc, argv, &i) != 1)
            return EXIT_USAGE;
    printf("triage %s (result schema %d)\n", triage_version(), TRIAGE_SCHEMA_VERSION);
    print_patterns_line();
    if (cli_load_rules(&o, &rs) == EXIT_OK_ &&
        triage_ruleset_get_info(rs, &info) == TRIAGE_OK)
        printf("rules: %s %s (%u rules, hash %s)\n",
               *info.name ? info.name : "(unnamed)", info.version, info.rules,
               info.hash);
    triage_ruleset_destroy(rs);
    return EXIT_OK_;
}

/* Output that could not be written (a full disk, say) is an error, not
 * a success that leaves a cut file behind. A command that failed on I/O
 * has said why already. */
static int flush_stdout(int rc)
{
    int err;

    errno = 0;
    if ((fflush(stdout) == 0 && !ferror(stdout)) || rc == EXIT_IO)
        return rc;
    err = errno;
    fprintf(stderr, "triage: cannot write the standard output: %s\n",
            err ? strerror(err) : "a write failed");
    return rc == EXIT_OK_ || rc == EXIT_FAILED || rc == EXIT_PARTIAL ? EXIT_IO : rc;
}

int main(int argc, char **argv)
{
    size_t i;

    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK_;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version"))
        return version(argc, argv);
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return flush_stdout(commands[i].run(argc - 1, argv + 1));
    fprintf(stderr, "triage: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
