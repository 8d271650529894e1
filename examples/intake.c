/* intake.c - the smallest embedding: compile rules, classify one complaint
 * from the command line, print its level and JSON with the hits of the
 * rules that fired (the scratch then skips rules that cannot fire).
 * Build with pkg-config. */
#include <stdio.h>
#include <string.h>
#include <triage.h>

int main(int argc, char **argv)
{
    triage_compiler *c = NULL;
    triage_ruleset *rs = NULL;
    triage_scratch *s = NULL;
    const triage_result *r;
    const char *json;
    size_t len;
    triage_status st;

    if (argc != 3) {
        fprintf(stderr, "usage: intake RULES TEXT\n");
        return 2;
    }
    if ((st = triage_compiler_create(&c)) == TRIAGE_OK &&
        (st = triage_compiler_add_path(c, argv[1])) == TRIAGE_OK &&
        (st = triage_compiler_finish(c, &rs)) == TRIAGE_OK &&
        (st = triage_scratch_create(rs, &s)) == TRIAGE_OK &&
        (st = triage_scratch_set_hits(s, TRIAGE_JSON_HITS_FIRED)) == TRIAGE_OK &&
        (st = triage_classify(rs, s, argv[2], strlen(argv[2]), &r)) == TRIAGE_OK &&
        (st = triage_result_json_hits(r, NULL, TRIAGE_JSON_HITS_FIRED, &json, &len)) ==
            TRIAGE_OK)
        printf("%s %s\n%s\n", triage_result_level(r), triage_result_type(r), json);
    else
        fprintf(stderr, "intake: %s\n", triage_strerror(st));
    triage_scratch_destroy(s);
    triage_ruleset_destroy(rs);
    triage_compiler_destroy(c);
    return st == TRIAGE_OK ? 0 : 1;
}
