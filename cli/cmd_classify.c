/*
 * cmd_classify.c - `triage classify`: one complaint (arguments or standard
 * input) in, one line of result JSON out.
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static void help(FILE *fp)
{
    fprintf(fp, "usage: triage classify [-r RULES]... [-t TABLE] [--id ID]\n"
            "                       [--hits all|fired|counted|none] [TEXT...]\n"
            "Classify one complaint: TEXT (words joined by spaces) or, with no\n"
            "TEXT, all of standard input. Prints one JSON object (docs/result.md).\n"
            "--hits: which hits to list (default all: every hit of every rule tried).\n");
}

int cmd_classify(int argc, char **argv)
{
    struct rules_opt o;
    const char *id = NULL, *json;
    triage_json_hits hits = TRIAGE_JSON_HITS_ALL;
    triage_ruleset *rs = NULL;
    triage_scratch *s = NULL;
    const triage_result *res;
    char *text = NULL;
    size_t len = 0, jlen;
    int i, rc, k;
    triage_status st;

    memset(&o, 0, sizeof o);
    for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        if ((k = cli_rules_arg(&o, argc, argv, &i)) == 1)
            continue;
        if (k == 0 && !strcmp(argv[i], "--id") && i + 1 < argc) {
            id = argv[++i];
        } else if (k == 0 && !strcmp(argv[i], "--hits") && i + 1 < argc) {
            if (cli_hits_arg(argv[++i], &hits) != 0)
                return EXIT_USAGE;
        } else if (k == 0 && !strcmp(argv[i], "--help")) {
            help(stdout);
            return EXIT_OK_;
        } else if (k == 0 && !strcmp(argv[i], "--")) {
            i++;
            break;
        } else {
            if (k == 0)
                fprintf(stderr, "triage classify: unknown option '%s'\n", argv[i]);
            help(stderr);
            return EXIT_USAGE;
        }
    }
    text = i < argc ? cli_join_args(argc, argv, i, &len) : cli_read_all(stdin, &len);
    if (text == NULL) {
        fprintf(stderr, "triage classify: cannot read the complaint\n");
        return EXIT_IO;
    }
    rc = cli_load_rules(&o, &rs);
    if (rc == EXIT_OK_) {
        st = triage_scratch_create(rs, &s);
        if (st == TRIAGE_OK)
            st = triage_scratch_set_hits(s, hits);
        if (st == TRIAGE_OK)
            st = triage_classify(rs, s, text, len, &res);
        if (st == TRIAGE_OK)
            st = triage_result_json_hits(res, id, hits, &json, &jlen);
        if (st == TRIAGE_OK) {
            fwrite(json, 1, jlen, stdout);
            fputc('\n', stdout);
        } else {
            fprintf(stderr, "triage classify: %s\n", triage_strerror(st));
            rc = EXIT_INTERNAL;
        }
    }
    triage_scratch_destroy(s);
    triage_ruleset_destroy(rs);
    free(text);
    return rc;
}
