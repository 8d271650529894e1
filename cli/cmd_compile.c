/*
 * cmd_compile.c - `triage compile RULES... -o TABLE`: check and compile
 * rules like yarac; without -o it only checks them. `-t OLD -o NEW` saves
 * a table again, so one from another machine loads here at full speed.
 */
#include <string.h>
#include "cli.h"

static void help(FILE *fp)
{
    fprintf(fp, "usage: triage compile RULES... [-o TABLE.tdb] [-q]\n"
            "       triage compile -t OLD.tdb -o TABLE.tdb\n"
            "Compile rule files and folders; report every error as\n"
            "file:line:column: error: message [rule-id]. With -o, save the\n"
            "compiled table (load it later with -t). -q hides warnings.\n"
            "With -t, save a table again for this machine: one built with\n"
            "another Hyperscan library or on a CPU with other features\n"
            "loads, but its pattern databases are compiled again (once,\n"
            "then taken from the cache folder).\n");
}

int cmd_compile(int argc, char **argv)
{
    struct rules_opt o;
    const char *outp = NULL;
    triage_ruleset *rs = NULL;
    triage_ruleset_info info;
    triage_status st;
    int i, rc;

    memset(&o, 0, sizeof o);
    o.no_cache = 1;     /* compile means compile: timings and warnings are real */
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc) {
            outp = argv[++i];
        } else if (!strcmp(argv[i], "-t") && i + 1 < argc) {
            o.table = argv[++i];
        } else if (!strcmp(argv[i], "-q")) {
            o.quiet = 1;
        } else if (!strcmp(argv[i], "--help")) {
            help(stdout);
            return EXIT_OK_;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "triage compile: unknown option '%s'\n", argv[i]);
            help(stderr);
            return EXIT_USAGE;
        } else if (o.n_paths < CLI_MAX_RULES) {
            o.paths[o.n_paths++] = argv[i];
        }
    }
    if ((o.n_paths == 0) == (o.table == NULL) || (o.table != NULL && outp == NULL)) {
        help(stderr);
        return EXIT_USAGE;
    }
    rc = cli_load_rules(&o, &rs);
    if (rc != EXIT_OK_)
        return rc;
    triage_ruleset_get_info(rs, &info);
    if (outp != NULL && (st = triage_ruleset_save(rs, outp)) != TRIAGE_OK) {
        fprintf(stderr, "%s: error: %s\n", outp, triage_strerror(st));
        rc = EXIT_IO;
    } else {
        fprintf(stderr, "%s %s: %u rules, %u patterns (%u through PCRE2 only), "
                "%u escalation rows, %u scripts%s%s\n",
                *info.name ? info.name : "rules", info.version, info.rules,
                info.patterns, info.slow_patterns, info.escalation_rows,
                info.scripts, outp ? " -> " : "", outp ? outp : "");
    }
    triage_ruleset_destroy(rs);
    return rc;
}
