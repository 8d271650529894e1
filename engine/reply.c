/*
 * reply.c - checks an agent's draft reply against the rule set's reply
 * checks (forbidden phrases, follow-up wording). Not on the triage hot path,
 * so a plain search over the folded reply is enough.
 */

#include <string.h>
#include "internal.h"

static triage_status add_issue(struct triage_scratch *s,
                               const struct tri_reply_check *ck,
                               const char *phrase, size_t at, size_t len,
                               const char *text, size_t text_len)
{
    const struct tri_table *t = &s->rs->t;
    triage_reply_issue *is;

    if (tri_grow((void **)&s->issues, &s->issues_cap, s->n_issues + 1,
                 sizeof *s->issues) != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    is = &s->issues[s->n_issues++];
    is->check_id = tri_str(t, ck->id);
    is->phrase = phrase;
    is->message = tri_str(t, ck->message);
    is->is_warning = (int)ck->is_warning;
    is->start = tri_norm_orig(&s->norm, at);
    is->end = tri_norm_orig_end(&s->norm, text, text_len, at + len);
    return TRIAGE_OK;
}

triage_status triage_check_reply(const triage_ruleset *rs, triage_scratch *s,
                                 const char *text, size_t len, int followup,
                                 const triage_reply_issue **issues,
                                 unsigned *count)
{
    const struct tri_table *t;
    triage_status st;
    uint32_t i, k;

    if (rs == NULL || s == NULL || issues == NULL || count == NULL ||
        (text == NULL && len > 0))
        return TRIAGE_EINVAL;
    if (s->rs != rs)
        return TRIAGE_EMISMATCH;
    t = &rs->t;
    s->n_issues = 0;
    st = tri_normalize(&s->norm, text ? text : "", len);
    for (i = 0; st == TRIAGE_OK && i < t->n_checks; i++) {
        const struct tri_reply_check *ck = &t->checks[i];

        if (ck->followup && !followup)
            continue;
        for (k = 0; st == TRIAGE_OK && k < ck->phrases_count; k++) {
            const char *ph = tri_str(t, t->u32s[ck->phrases_first + k]);
            size_t plen = strlen(ph), at = 0;
            const char *hit;

            while (st == TRIAGE_OK &&
                   (hit = memmem(s->norm.text + at, s->norm.len - at, ph, plen)) != NULL) {
                at = (size_t)(hit - s->norm.text);
                st = add_issue(s, ck, ph, at, plen, text ? text : "", len);
                at += plen;
            }
        }
    }
    *issues = s->issues;
    *count = (unsigned)s->n_issues;
    return st;
}
