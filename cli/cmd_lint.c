/*
 * cmd_lint.c - `triage lint [RULES]`: compile, then report what compiles
 * but should not ship. Any finding, warning or error, fails the run.
 */
#include <string.h>
#include "cli.h"
#include "rules_cache.h"

static void help(FILE *fp)
{
    fprintf(fp, "usage: triage lint [RULES...]\n"
            "Check rule files and folders (default: the rules 'classify' would\n"
            "use): compile errors and warnings, keywords equal once folded,\n"
            "keywords shadowed by 'none', regexes that match anything, condition\n"
            "modes that change nothing, rows and scripts never chosen, vocabulary\n"
            "never used, forbidden phrases in scripts.\n"
            "Prints file:line:column: warning|error: message [id].\n"
            "Exit 0 when clean, 1 on any finding, 3 when the rules do not compile.\n");
}

int cmd_lint(int argc, char **argv)
{
    struct rules_opt o;
    triage_compiler *c = NULL;
    triage_ruleset *rs = NULL;
    triage_status st = TRIAGE_OK;
    unsigned findings;
    int i, rc = EXIT_OK_;

    memset(&o, 0, sizeof o);
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help")) {
            help(stdout);
            return EXIT_OK_;
        }
        if (argv[i][0] == '-' || o.n_paths >= CLI_MAX_RULES) {
            help(stderr);
            return EXIT_USAGE;
        }
        o.paths[o.n_paths++] = argv[i];
    }
    if (o.n_paths == 0)
        o.paths[o.n_paths++] = "rules";
    if (triage_compiler_create(&c) != TRIAGE_OK)
        return EXIT_INTERNAL;
    triage_compiler_set_diag(c, cli_print_diag, &o);
    rules_cache_use(c);
    for (i = 0; i < o.n_paths; i++)
        if (triage_compiler_add_path(c, o.paths[i]) == TRIAGE_EIO)
            rc = EXIT_IO;
    if (rc == EXIT_OK_)
        st = triage_compiler_finish(c, &rs);
    if (rc == EXIT_OK_ && st != TRIAGE_OK)
        rc = EXIT_RULES;
    if (rs != NULL) {
        cli_cache_store(o.paths, o.n_paths, c, rs);   /* before lint's findings */
        triage_compiler_lint(c, rs);
    }
    findings = triage_compiler_errors(c) + triage_compiler_warnings(c);
    if (rc == EXIT_OK_) {
        printf("%u finding(s)\n", findings);
        rc = findings ? EXIT_FAILED : EXIT_OK_;
    }
    triage_ruleset_destroy(rs);
    triage_compiler_destroy(c);
    return rc;
}
