/*
 * cmd_explain.c - `triage explain`: the result for people. Which rules
 * fired on which words, which hits were negated or hypothetical, which
 * escalation row decided, with --why-not, why one rule did not fire, and
 * with --profile, where the time goes on this text.
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "rule_profile.h"

struct paint {
    const char *bold, *green, *red, *dim, *off;
};

static void help(FILE *fp)
{
    fprintf(fp, "usage: triage explain [-r RULES] [-t TABLE] [--why-not RULE] [--all]\n"
            "                      [--profile[=N]] [TEXT...]\n"
            "Explain the triage of one complaint (TEXT or standard input).\n"
            "--why-not RULE  say why RULE did not fire (or that it did).\n"
            "--all           list every hit and every rule tried, not only the\n"
            "                rules that fired (one line each for the others).\n"
            "--profile[=N]   classify the text again for about half a second with\n"
            "                timers on: time per stage and the N (10) slowest rules.\n"
            "Colour on a terminal; NO_COLOR=1 turns it off.\n");
}

static void summary(const triage_result *r, const struct paint *p)
{
    unsigned i;

    printf("%stype%s         %s (confidence %.2f)", p->bold, p->off,
           triage_result_type(r), triage_result_confidence(r));
    for (i = 0; i < triage_result_also_count(r); i++)
        printf("%s%s", i ? ", " : "  also: ", triage_result_also(r, i));
    printf("\n%snature%s       %s\n%sseverity%s     %s\n%stemperament%s  %s\n"
           "%slanguage%s     %s\n", p->bold, p->off, triage_result_nature(r),
           p->bold, p->off, triage_result_severity(r), p->bold, p->off,
           triage_result_temperament(r), p->bold, p->off, triage_result_lang(r));
    printf("%sescalation%s   %s, team %s, respond within %g h\n", p->bold, p->off,
           triage_result_level(r), triage_result_team(r), triage_result_hours(r));
    for (i = 0; i < triage_result_tag_count(r); i++)
        printf("%s%s", i ? ", " : "tags         ", triage_result_tag(r, i));
    if (triage_result_tag_count(r))
        putchar('\n');
}

static int fired(const triage_result *r, const char *rule)
{
    unsigned i;

    for (i = 0; i < triage_result_fired_count(r); i++)
        if (strcmp(triage_result_fired(r, i), rule) == 0)
            return 1;
    return 0;
}

static void hit_line(const triage_hit *h, const char *text, const struct paint *p)
{
    printf("  %s%s%s %-28s \"%.*s\" at %zu-%zu%s%s%s\n",
           h->counted ? p->green : p->dim, h->counted ? "+" : "-", p->off,
           h->rule_id, (int)(h->end - h->start), text + h->start, h->start, h->end,
           h->negated ? " negated" : "", h->hypothetical ? " hypothetical" : "",
           h->question ? " question" : "");
}

/*
 * Hits of the rules that fired, one line each; then, unless 'all', the
 * hits of every other rule folded into one line per rule. A large rule set
 * has hits in hundreds of rules that did not fire (a word of one part of
 * an 'all'), and a line per hit buried the few that decided.
 */
static void hits(const triage_result *r, const char *text, const struct paint *p,
                 int all)
{
    unsigned i, k, n = triage_result_hit_count(r), others = 0;
    triage_hit h, g;

    printf("\n%shits%s\n", p->bold, p->off);
    if (n == 0)
        printf("  (no rule pattern occurs in the text)\n");
    for (i = 0; i < n; i++) {
        triage_result_hit(r, i, &h);
        if (all || fired(r, h.rule_id))
            hit_line(&h, text, p);
        else
            others++;
    }
    if (others == 0)
        return;
    printf("\n%shits of rules that did not fire%s (--why-not RULE says why)\n",
           p->bold, p->off);
    /* The hits come grouped by rule. */
    for (i = 0; i < n; i = k) {
        triage_result_hit(r, i, &h);
        for (k = i + 1; k < n; k++) {
            triage_result_hit(r, k, &g);
            if (strcmp(g.rule_id, h.rule_id) != 0)
                break;
        }
        if (fired(r, h.rule_id))
            continue;
        printf("  %s-%s %-28s", p->dim, p->off, h.rule_id);
        for (; i < k; i++) {
            triage_result_hit(r, i, &g);
            printf(" \"%.*s\"%s%s%s", (int)(g.end - g.start), text + g.start,
                   g.negated ? " negated" : "", g.hypothetical ? " hypothetical" : "",
                   g.question ? " question" : "");
        }
        putchar('\n');
    }
}

/* Spaces that put a nested condition's step under its part. */
static int nest_indent(const triage_trace_step *st)
{
    return st->depth > 1 ? 2 * (st->depth - 1) : 0;
}

/* The trace; unless 'all', rules that did not fire (and their parts) are
 * left out: the hits section already names them. */
static void steps(const triage_result *r, const struct paint *p, int all)
{
    unsigned i, n = triage_trace_count(r);
    triage_trace_step st;
    static const char *const heads[] = { "rules", NULL, NULL, "escalation rows tried",
                                         "scripts", "context cues",
                                         "Bayes models (added to the rules' votes)",
                                         "type decision" };
    int last = -1, skip = 0;

    for (i = 0; i < n; i++) {
        triage_trace_get(r, i, &st);
        if (st.kind == TRIAGE_TRACE_PART || st.kind == TRIAGE_TRACE_WITHIN) {
            if (!skip)   /* nested conditions indent under their part */
                printf("      %*s%s%s%s\n", nest_indent(&st), "", p->dim, st.detail,
                       p->off);
            continue;
        }
        skip = !all && st.kind == TRIAGE_TRACE_RULE && !st.ok;
        if (skip)
            continue;
        if ((int)st.kind != last && heads[st.kind] != NULL)
            printf("\n%s%s%s\n", p->bold, heads[st.kind], p->off);
        last = (int)st.kind;
        printf("  %s%s%s %s%s%s\n", st.ok ? p->green : p->red, st.ok ? "✓" : "✗",
               p->off, st.rule_id ? st.rule_id : "", st.rule_id ? ": " : "", st.detail);
    }
}

/* A rule that fired can still lose: its type below the winner or the
 * minimum score, or an escalation row that did not look at it. */
static void fired_but(const triage_ruleset *rs, const triage_result *r,
                      unsigned idx)
{
    triage_rule_info ri;
    triage_trace_step st;
    unsigned i, n = triage_vocab_count(rs, TRIAGE_AXIS_TYPE);
    double score = 0;

    triage_rule_get(rs, idx, &ri);
    printf("\n%s fired (weight %g", ri.id, ri.weight);
    if (ri.type != NULL)
        printf(", votes %s", ri.type);
    printf(").\n");
    for (i = 0; ri.type != NULL && i < n; i++)
        if (strcmp(triage_vocab_name(rs, TRIAGE_AXIS_TYPE, i), ri.type) == 0)
            score = triage_result_type_score(r, i);
    if (ri.type != NULL && strcmp(ri.type, triage_result_type(r)) != 0)
        printf("  but %s scored %g in all, and the result's type is %s "
               "(below the winner or the minimum score)\n", ri.type, score,
               triage_result_type(r));
    for (i = 0; i < triage_trace_count(r); i++) {
        triage_trace_get(r, i, &st);
        if (st.kind == TRIAGE_TRACE_ESCALATION && st.ok)
            printf("  escalation was decided by row '%s' (%s)\n", st.rule_id,
                   triage_result_level(r));
    }
}

/* Why one rule did not fire, from the trace and its hits. */
static void why_not(const triage_ruleset *rs, const triage_result *r,
                    const char *rule)
{
    unsigned i, idx, hits = 0, neg = 0, hyp = 0, seen = 0;
    triage_hit h;
    triage_trace_step st;

    if (triage_rule_find(rs, rule, &idx) != TRIAGE_OK) {
        printf("\nno rule or cue called '%s' in this rule set\n", rule);
        return;
    }
    for (i = 0; i < triage_result_fired_count(r); i++)
        if (strcmp(triage_result_fired(r, i), rule) == 0) {
            fired_but(rs, r, idx);
            return;
        }
    printf("\nwhy not %s:\n", rule);
    for (i = 0; i < triage_result_hit_count(r); i++) {
        triage_result_hit(r, i, &h);
        if (strcmp(h.rule_id, rule) != 0)
            continue;
        hits++;
        neg += (unsigned)h.negated;
        hyp += (unsigned)h.hypothetical;
    }
    if (hits == 0) {
        printf("  none of its keywords or regexes occurs in the text\n");
        return;
    }
    if (neg)
        printf("  %u of its %u hit(s) are negated\n", neg, hits);
    if (hyp)
        printf("  %u of its %u hit(s) are hypothetical\n", hyp, hits);
    for (i = 0; i < triage_trace_count(r); i++) {
        triage_trace_get(r, i, &st);
        if (st.rule_id != NULL && strcmp(st.rule_id, rule) == 0 &&
            st.kind != TRIAGE_TRACE_RULE) {
            printf("  %*s%s\n", nest_indent(&st), "", st.detail);
            seen++;
        }
    }
    if (!seen && !neg && !hyp)
        printf("  its hits do not satisfy its condition (question or mode filters)\n");
}

int cmd_explain(int argc, char **argv)
{
    struct rules_opt o;
    const char *why = NULL;
    struct profile_opts po = { 10, 0.5 };
    int profile = 0, all = 0;
    triage_ruleset *rs = NULL;
    triage_scratch *s = NULL;
    const triage_result *r = NULL;
    struct paint p = { "", "", "", "", "" };
    char *text;
    size_t len;
    int i, k, rc;

    memset(&o, 0, sizeof o);
    for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        if ((k = cli_rules_arg(&o, argc, argv, &i)) == 1)
            continue;
        if (k == 0 && !strcmp(argv[i], "--why-not") && i + 1 < argc) {
            why = argv[++i];
        } else if (k == 0 && !strcmp(argv[i], "--all")) {
            all = 1;
        } else if (k == 0 && (k = profile_arg(&po, argv[i], &profile)) != 0) {
            if (k < 0)
                return EXIT_USAGE;
        } else if (k == 0 && !strcmp(argv[i], "--help")) {
            help(stdout);
            return EXIT_OK_;
        } else {
            help(stderr);
            return EXIT_USAGE;
        }
    }
    text = i < argc ? cli_join_args(argc, argv, i, &len) : cli_read_all(stdin, &len);
    if (text == NULL)
        return EXIT_IO;
    if (cli_use_colour(stdout)) {
        struct paint c = { "\033[1m", "\033[32m", "\033[31m", "\033[2m", "\033[0m" };
        p = c;
    }
    rc = cli_load_rules(&o, &rs);
    if (rc == EXIT_OK_ && triage_scratch_create(rs, &s) == TRIAGE_OK) {
        triage_scratch_set_trace(s, 1);
        if (triage_classify(rs, s, text, len, &r) != TRIAGE_OK)
            rc = EXIT_INTERNAL;
    } else if (rc == EXIT_OK_) {
        rc = EXIT_INTERNAL;
    }
    if (r != NULL) {
        summary(r, &p);
        hits(r, text, &p, all);
        steps(r, &p, all);
        if (why != NULL)
            why_not(rs, r, why);
    }
    if (r != NULL && profile) {
        const char *texts[1] = { text };
        json_t *prof = profile_texts(rs, texts, &len, 1, &po);

        if (prof != NULL)
            profile_print(prof, stdout);
        else
            rc = EXIT_INTERNAL;
        json_decref(prof);
    }
    triage_scratch_destroy(s);
    triage_ruleset_destroy(rs);
    free(text);
    return rc;
}
