/*
 * cmd_check_reply.c - `triage check-reply`: an agent's draft reply against
 * the rule set's forbidden phrases and follow-up wording, with spans.
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static void help(FILE *fp)
{
    fprintf(fp, "usage: triage check-reply [-r RULES] [-t TABLE] [--followup] [TEXT...]\n"
            "Check a draft reply (TEXT or standard input). Prints one line per\n"
            "problem: start-end: error|warning: message (\"phrase\") [check-id].\n"
            "Exit 1 when an error is found, 0 when only warnings or none, 2 when\n"
            "the draft is empty.\n");
}

int cmd_check_reply(int argc, char **argv)
{
    struct rules_opt o;
    triage_ruleset *rs = NULL;
    triage_scratch *s = NULL;
    const triage_reply_issue *is;
    unsigned n = 0, i, errors = 0;
    int followup = 0, k, rc;
    char *text;
    size_t len;

    memset(&o, 0, sizeof o);
    for (k = 1; k < argc && argv[k][0] == '-'; k++) {
        int got = cli_rules_arg(&o, argc, argv, &k);

        if (got == 1)
            continue;
        if (got == 0 && !strcmp(argv[k], "--followup")) {
            followup = 1;
        } else if (got == 0 && !strcmp(argv[k], "--help")) {
            help(stdout);
            return EXIT_OK_;
        } else {
            help(stderr);
            return EXIT_USAGE;
        }
    }
    text = k < argc ? cli_join_args(argc, argv, k, &len) : cli_read_all(stdin, &len);
    if (text == NULL)
        return EXIT_IO;
    if (strspn(text, " \t\r\n") == len) {   /* "no problems" would be a lie */
        fprintf(stderr, "triage check-reply: the reply is empty (give TEXT or pipe "
                "the draft on standard input)\n");
        free(text);
        return EXIT_USAGE;
    }
    rc = cli_load_rules(&o, &rs);
    if (rc == EXIT_OK_ && (triage_scratch_create(rs, &s) != TRIAGE_OK ||
                           triage_check_reply(rs, s, text, len, followup, &is, &n) != TRIAGE_OK))
        rc = EXIT_INTERNAL;
    for (i = 0; rc == EXIT_OK_ && i < n; i++) {
        printf("%zu-%zu: %s: %s (\"%.*s\") [%s]\n", is[i].start, is[i].end,
               is[i].is_warning ? "warning" : "error", is[i].message,
               (int)(is[i].end - is[i].start), text + is[i].start, is[i].check_id);
        errors += !is[i].is_warning;
    }
    if (rc == EXIT_OK_ && n == 0)
        printf("no problems found\n");
    triage_scratch_destroy(s);
    triage_ruleset_destroy(rs);
    free(text);
    return rc != EXIT_OK_ ? rc : errors ? EXIT_FAILED : EXIT_OK_;
}
