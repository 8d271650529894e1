/*
 * negation_forms.c - two negations NegEx's one-cue scopes get wrong:
 * a double negation ("不是没有副作用", "not that there was no rash"),
 * where two cues cancel and what follows is affirmed, and an answer
 * ("头晕？没有。", "Rash: none.", "至于过敏，没发现"), where a lone
 * negation denies the question, label or topic before it, across the
 * '?', ':' or ',' that ends that clause.
 */
#include <string.h>
#include "internal.h"

/* Han code points a zh double negation may hold between its two cues:
 * 不是没有, 并非没有, 不可能没有, 没有一天不, 不会没有. A verb there
 * ("不退不换") means two negations of two things, not a double one. */
static const char *const zh_between[] = { "是", "系", "可能", "会", "能", "一天",
                                          "一次", "哪天", "一个", "人", NULL };
/* English: the first cue is "not"/"never"/"n't" and the words between
 * say it is the second negation that is denied ("not that", "never said",
 * "not as if", "not a day goes by"). */
static const char *const en_between[] = { "that", "if", "said", "say", "says",
                                          "day", "true", "claim", NULL };
#define EN_BETWEEN_MAX 24   /* bytes of words between the two cues */

static int is_neg(const struct triage_scratch *s, const struct tri_hit *c)
{
    uint32_t role = s->rs->t.patterns[c->pattern].role;

    return (role == TRI_ROLE_NEG || role == TRI_ROLE_NEG_POST) && c->flags == 0;
}

/* 1 if folded bytes [a, b) may sit between the two cues of a double
 * negation in language 'lang'. */
static int between_ok(const struct tri_norm *n, uint32_t a, uint32_t b, int lang)
{
    const char *t = n->text + a;
    size_t len = b - a, i;

    if (lang != TRI_LANG_EN) {
        if (len == 0)
            return 1;
        for (i = 0; zh_between[i] != NULL; i++)
            if (strlen(zh_between[i]) == len && memcmp(t, zh_between[i], len) == 0)
                return 1;
        return 0;
    }
    if (len > EN_BETWEEN_MAX)
        return 0;
    for (i = 0; i < len; i++)
        if (!(t[i] == ' ' || (t[i] >= 'a' && t[i] <= 'z') || t[i] == '\''))
            return 0;
    for (i = 0; en_between[i] != NULL; i++) {
        const char *w = en_between[i], *at = t;
        size_t wn = strlen(w);

        while ((at = memmem(at, len - (size_t)(at - t), w, wn)) != NULL) {
            int start = at == t || at[-1] == ' ';
            int end = (size_t)(at - t) + wn == len || at[wn] == ' ';

            if (start && end)
                return 1;
            at++;
        }
    }
    return 0;
}

/* The first hit (sorted by start) that starts at or after pos. */
static size_t first_hit_at(const struct triage_scratch *s, uint32_t pos)
{
    size_t lo = 0, hi = s->n_hits;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;

        if (s->hits[mid].start < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* No hit starts and no clause bound lies in [a, b). */
static int nothing_between(const struct triage_scratch *s, uint32_t a, uint32_t b)
{
    size_t h = first_hit_at(s, a), k = tri_next_bound(s->bounds, s->n_bounds, a);

    return (h == s->n_hits || s->hits[h].start >= b) &&
           (k == s->n_bounds || s->bounds[k] >= b);
}

/* Cancel cue i and the cues of other roles on its very span, which sit
 * next to it in the sorted cues. */
static void cancel(struct triage_scratch *s, size_t i)
{
    uint32_t a = s->cues[i].start, e = s->cues[i].end;
    size_t k;

    for (k = i; k > 0 && s->cues[k - 1].start == a; k--)
        ;
    for (; k < s->n_cues && s->cues[k].start == a; k++)
        if (s->cues[k].end == e && is_neg(s, &s->cues[k]))
            s->cues[k].flags = 2;
}

static void trace_pair(struct triage_scratch *s, const struct tri_hit *a,
                       const struct tri_hit *b)
{
    size_t a0 = tri_norm_orig(&s->norm, a->start);
    size_t b1 = tri_norm_orig_end(&s->norm, s->orig, s->orig_len, b->end);

    tri_trace(s, TRIAGE_TRACE_CUE, NULL, 1, 0,
              "double negation \"%.*s\" at %zu-%zu: its two cues cancel",
              (int)(b1 - a0), s->orig + a0, a0, b1);
}

void tri_cancel_double_negations(struct triage_scratch *s)
{
    size_t i, j;
    int lang = s->result.lang;

    for (i = 0; i < s->n_cues; i++) {
        struct tri_hit *a = &s->cues[i];

        if (!is_neg(s, a))
            continue;
        if (lang == TRI_LANG_EN && a->end - a->start > 5)
            continue;   /* "not", "never", "n't" only: not "no longer" */
        for (j = i + 1; j < s->n_cues && s->cues[j].start < a->end; j++)
            ;
        for (; j < s->n_cues && !is_neg(s, &s->cues[j]); j++)
            ;
        if (j == s->n_cues)
            return;
        if (!between_ok(&s->norm, a->end, s->cues[j].start, lang) ||
            !nothing_between(s, a->end, s->cues[j].start))
            continue;
        if (s->trace_on)
            trace_pair(s, a, &s->cues[j]);
        cancel(s, j);   /* both go, with every role the two words have */
        cancel(s, i);
    }
}

/* Han code points that may stand between a '?' or ':' and the answer:
 * "恶心？也没有", "胃出血？绝对没有". */
static const char zh_answer_adverbs[] = "也都真绝对倒是根本完全确实并还从来一点的";
#define ANSWER_SKIP_MAX 4   /* such code points, or ASCII words */

/* Where the question, label or topic an answer at 'at' replies to ends:
 * the offset of its '?', ':' or ',', or UINT32_MAX when none is right
 * before. */
static uint32_t answered(const struct tri_norm *n, uint32_t at)
{
    unsigned skipped = 0;

    while (at > 0) {
        unsigned char c = (unsigned char)n->text[at - 1];

        if (c == ' ') {
            at--;
        } else if (c == '?' || c == ':' || c == ',') {
            return at - 1;
        } else if (c >= 'a' && c <= 'z' && skipped < ANSWER_SKIP_MAX) {
            while (at > 0 && n->text[at - 1] >= 'a' && n->text[at - 1] <= 'z')
                at--;   /* "Also no" */
            skipped++;
        } else if (c >= 0x80 && at >= 3 && skipped < ANSWER_SKIP_MAX &&
                   ((unsigned char)n->text[at - 3] & 0xf0) == 0xe0) {
            const char *p = zh_answer_adverbs;
            size_t k;

            for (k = 0; k + 3 <= sizeof zh_answer_adverbs - 1; k += 3)
                if (memcmp(p + k, n->text + at - 3, 3) == 0)
                    break;
            if (k + 3 > sizeof zh_answer_adverbs - 1)
                return UINT32_MAX;
            at -= 3;
            skipped++;
        } else {
            return UINT32_MAX;
        }
    }
    return UINT32_MAX;
}

/* A topic marker ("至于", "as for") that is not dropped lies in [a, b). */
static int has_topic(const struct triage_scratch *s, uint32_t a, uint32_t b)
{
    size_t i;

    for (i = 0; i < s->n_cues && s->cues[i].start < b; i++)
        if (s->cues[i].start >= a && s->cues[i].flags == 0 &&
            s->rs->t.patterns[s->cues[i].pattern].role == TRI_ROLE_TOPIC)
            return 1;
    return 0;
}

void tri_mark_answer(struct triage_scratch *s, const struct tri_hit *c,
                     uint32_t scope)
{
    size_t b = tri_next_bound(s->bounds, s->n_bounds, c->end), i;
    uint32_t to = b < s->n_bounds ? s->bounds[b] : (uint32_t)s->norm.len, q, from;

    /* "皮疹：都没起" answers as "皮疹：都没" does (tri_post_neg_tail). */
    if (!tri_ends_clause(&s->norm, tri_post_neg_tail(&s->norm, c->end, to), to))
        return;
    if ((q = answered(&s->norm, c->start)) == UINT32_MAX)
        return;
    /* The question's clause: from the bound before its '?' (or ':'). */
    b = tri_next_bound(s->bounds, s->n_bounds, q);
    from = b > 0 ? s->bounds[b - 1] : 0;
    /* After a comma only a topic is answered: "过敏，没有" may list two
     * things, "至于过敏，没有" cannot. */
    if (s->norm.text[q] == ',' && !has_topic(s, from, q))
        return;
    for (i = first_hit_at(s, from); i < s->n_hits && s->hits[i].start < q; i++) {
        struct tri_hit *h = &s->hits[i];

        if (h->start >= from && h->end <= q && tri_cp_between(s, h->end, q) <= scope)
            h->flags |= TRI_HIT_NEG;
    }
}
