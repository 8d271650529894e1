/*
 * bayes.c - the naive Bayes models of a rule set at run time: a text's
 * tokens, their lookup in the shared token table (bayes_table.c) and the
 * posterior per class. Rules stay the main evidence: decide.c adds each
 * posterior to the rules' votes in proportion to their total.
 */
#include <math.h>
#include <stdio.h>
#include "internal.h"

uint32_t tri_bayes_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;   /* FNV-1a */
    size_t i;

    for (i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* Length of the UTF-8 sequence at s[0] and its code point; 1 and
 * U+FFFD for a byte that does not start a complete sequence. */
static size_t next_cp(const unsigned char *s, size_t left, uint32_t *cp)
{
    size_t k, n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc0 ? 2 : 1;
    uint32_t c;

    if (n == 1 || n > left) {
        *cp = s[0] < 0x80 ? s[0] : 0xfffd;
        return 1;
    }
    c = s[0] & (0x7f >> n);
    for (k = 1; k < n; k++) {
        if ((s[k] & 0xc0) != 0x80) {
            *cp = 0xfffd;
            return 1;
        }
        c = (c << 6) | (s[k] & 0x3f);
    }
    *cp = c;
    return n;
}

static int word_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

void tri_bayes_tokens(const char *text, size_t len,
                      void (*fn)(void *ctx, const char *tok, size_t n), void *ctx)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0, prev = SIZE_MAX;   /* start of the previous Han character */

    while (i < len) {
        uint32_t cp;
        size_t n;

        if (word_char(s[i])) {
            size_t a = i;
            int letter = 0;

            for (; i < len && word_char(s[i]); i++)
                letter |= s[i] >= 'a';
            if (i - a >= 2 && letter)
                fn(ctx, text + a, i - a);
            prev = SIZE_MAX;
            continue;
        }
        n = next_cp(s + i, len - i, &cp);
        if (tri_is_han(cp)) {
            fn(ctx, text + i, n);
            if (prev != SIZE_MAX)
                fn(ctx, text + prev, i + n - prev);
            prev = i;
        } else {
            prev = SIZE_MAX;
        }
        i += n;
    }
}

triage_status tri_bayes_scratch(struct triage_scratch *s)
{
    s->bayes_p = tri_calloc((size_t)s->rs->bayes_classes + 1, sizeof *s->bayes_p);
    return s->bayes_p == NULL ? TRIAGE_ENOMEM : TRIAGE_OK;
}

/* The text's tokens, found once for every model. */
static void keep_token(void *ctx, const char *tok, size_t n)
{
    struct triage_scratch *s = ctx;

    if (tri_grow((void **)&s->btok, &s->btok_cap, s->n_btok + 1,
                 sizeof *s->btok) != TRIAGE_OK) {
        s->btok_oom = 1;
        return;
    }
    s->btok[s->n_btok].off = (uint32_t)(tok - s->norm.text);
    s->btok[s->n_btok].len = (uint32_t)n;
    s->btok[s->n_btok].denied = 0;
    s->btok[s->n_btok++].hash = tri_bayes_hash(tok, n);   /* once for all models */
}

/*
 * Mark the tokens that lie on a hit the context negated ("冇暈低"): the
 * models count words, not their negation. Tokens and hits are both in
 * text order, so one walk with the furthest end of the negated hits
 * started so far does it.
 */
static void mark_denied(struct triage_scratch *s)
{
    size_t i = 0, j;
    uint32_t reach = 0;

    for (j = 0; j < s->n_btok; j++) {
        struct tri_span *t = &s->btok[j];

        for (; i < s->n_hits && s->hits[i].start < t->off + t->len; i++)
            if ((s->hits[i].flags & TRI_HIT_NEG) && s->hits[i].end > reach)
                reach = s->hits[i].end;
        t->denied = reach > t->off;
    }
}

/* The token's record, or NULL when no model lists it. */
static const union tri_bword *lookup(const struct triage_ruleset *rs, const char *tok,
                                     uint32_t n, uint32_t hash)
{
    uint32_t h = hash & rs->btok_mask, at;

    while ((at = rs->btok_slots[2 * h]) != 0) {
        const union tri_bword *r = rs->btok_rec + at - 1;

        if (rs->btok_slots[2 * h + 1] == hash && r->u == n && memcmp(r + 1, tok, n) == 0)
            return r;
        h = (h + 1) & rs->btok_mask;
    }
    return NULL;
}

/*
 * The slots and records are megabytes: ask for a later token's slot, and
 * for the record of a nearer one whose slot should be in cache by now, so
 * their misses overlap this token's work.
 */
#define SLOT_AHEAD 16
#define RECORD_AHEAD 8
static void prefetch(const struct triage_scratch *s, size_t j)
{
    const struct triage_ruleset *rs = s->rs;
    uint32_t h, at, words, w;

    if (j + SLOT_AHEAD < s->n_btok)
        __builtin_prefetch(&rs->btok_slots[2 * (s->btok[j + SLOT_AHEAD].hash & rs->btok_mask)]);
    if (j + RECORD_AHEAD >= s->n_btok)
        return;
    h = s->btok[j + RECORD_AHEAD].hash & rs->btok_mask;
    at = rs->btok_slots[2 * h];
    if (at == 0 || rs->btok_slots[2 * h + 1] != s->btok[j + RECORD_AHEAD].hash)
        return;
    words = tri_btok_head(s->btok[j + RECORD_AHEAD].len) + rs->bayes_classes;
    for (w = 0; w < words; w += 16)   /* 16 words: a 64-byte line */
        __builtin_prefetch(rs->btok_rec + at - 1 + w);
    __builtin_prefetch(rs->btok_rec + at - 1 + words - 1);
}

/* What a token of this text was already counted for. */
#define SEEN_ALL 1u
#define SEEN_SEV 2u

/* An empty set for the text's tokens: at most half full. */
static triage_status seen_reset(struct triage_scratch *s)
{
    size_t cap = 64;

    while (cap < 2 * s->n_btok)
        cap *= 2;
    if (tri_grow((void **)&s->bseen, &s->bseen_cap, 2 * cap, sizeof *s->bseen) != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    memset(s->bseen, 0, 2 * cap * sizeof *s->bseen);
    s->bseen_mask = cap - 1;
    return TRIAGE_OK;
}

/* The flags of the token whose record is at 'at', added if new. */
static uint32_t *seen(struct triage_scratch *s, uint32_t at)
{
    size_t h = (at * 2654435761u) & s->bseen_mask;

    while (s->bseen[2 * h] != 0 && s->bseen[2 * h] != at + 1)
        h = (h + 1) & s->bseen_mask;
    s->bseen[2 * h] = at + 1;
    return &s->bseen[2 * h + 1];
}

/*
 * Each known token of the text, once, adds its log-likelihood per class
 * to every model that has it (the models count documents). The severity
 * models leave out denied tokens, with a flag of their own: a denied
 * "昏迷" must not raise a complaint to critical, while "没效果" still
 * tells the type model what the complaint is about.
 */
static void add_evidence(struct triage_scratch *s, double *lp)
{
    const struct triage_ruleset *rs = s->rs;
    uint32_t nb = rs->t.n_bayes, i, k, at, *flags;
    size_t j;

    for (j = 0; j < s->n_btok; j++) {
        const union tri_bword *r, *lls;
        int all, sev;

        prefetch(s, j);
        r = lookup(rs, s->norm.text + s->btok[j].off, s->btok[j].len, s->btok[j].hash);
        if (r == NULL)
            continue;
        at = (uint32_t)(r - rs->btok_rec);
        flags = seen(s, at);
        all = !(*flags & SEEN_ALL);
        sev = !s->btok[j].denied && !(*flags & SEEN_SEV);
        if (!all && !sev)
            continue;
        *flags |= (all ? SEEN_ALL : 0) | (sev ? SEEN_SEV : 0);
        lls = r + tri_btok_head(r->u);
        for (i = 0; i < nb; i++) {
            const struct tri_bayes *m = &rs->t.bayes[i];
            const union tri_bword *ll = lls + rs->bayes_rt[i].p_first;
            double *l = lp + rs->bayes_rt[i].p_first;

            if (!(m->axis == TRIAGE_AXIS_SEVERITY ? sev : all) || isnan(ll[0].f))
                continue;
            for (k = 0; k < m->n_classes; k++)
                l[k] += ll[k].f;
            /* explain lists the tokens that weighed most */
            if (s->trace_on &&
                tri_grow((void **)&s->bayes_rows, &s->bayes_rows_cap, 2 * s->n_bayes_rows + 2,
                         sizeof *s->bayes_rows) == TRIAGE_OK) {
                s->bayes_rows[2 * s->n_bayes_rows] = i;
                s->bayes_rows[2 * s->n_bayes_rows++ + 1] = at;
            }
        }
    }
}

/* Model i's posterior from its summed evidence lp (its prior included). */
static void posterior(struct triage_scratch *s, uint32_t i, double *lp)
{
    const struct tri_bayes *m = &s->rs->t.bayes[i];
    const struct tri_bayes_rt *rt = &s->rs->bayes_rt[i];
    double *p = s->bayes_p + rt->p_first, top, sum = 0;
    uint32_t k;

    if (m->temperature != 1)   /* naive Bayes is overconfident on long texts */
        for (k = 0; k < m->n_classes; k++)
            lp[k] = rt->prior[k] + (lp[k] - rt->prior[k]) / m->temperature;
    top = lp[0];
    for (k = 1; k < m->n_classes; k++)
        top = lp[k] > top ? lp[k] : top;
    for (k = 0; k < m->n_classes; k++)
        sum += p[k] = exp(lp[k] - top);
    for (k = 0; k < m->n_classes; k++)
        p[k] /= sum;
}

triage_status tri_bayes_score(struct triage_scratch *s)
{
    const struct triage_ruleset *rs = s->rs;
    uint32_t i;

    s->n_bayes_rows = s->n_btok = 0;
    s->btok_oom = 0;
    tri_bayes_tokens(s->norm.text, s->norm.len, keep_token, s);
    if (s->btok_oom)
        return TRIAGE_ENOMEM;
    /* The posteriors' slots hold the evidence until posterior() turns it
     * into probabilities. */
    for (i = 0; i < rs->t.n_bayes; i++)
        memcpy(s->bayes_p + rs->bayes_rt[i].p_first, rs->bayes_rt[i].prior,
               rs->t.bayes[i].n_classes * sizeof(double));
    mark_denied(s);
    if (seen_reset(s) != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    add_evidence(s, s->bayes_p);
    for (i = 0; i < rs->t.n_bayes; i++)
        posterior(s, i, s->bayes_p + rs->bayes_rt[i].p_first);
    return TRIAGE_OK;
}

uint32_t tri_bayes_top(const double *p, uint32_t n, uint32_t skip)
{
    uint32_t k, best = TRI_NONE;

    for (k = 0; k < n; k++)
        if (k != skip && (best == TRI_NONE || p[k] > p[best]))
            best = k;
    return best == TRI_NONE ? 0 : best;
}

/* explain: a model's two likeliest classes and the tokens that most
 * favoured the first over the second. */
void tri_bayes_trace(struct triage_scratch *s, uint32_t model)
{
    const struct tri_table *t = &s->rs->t;
    const struct tri_bayes *m = &t->bayes[model];
    const struct tri_bayes_rt *rt = &s->rs->bayes_rt[model];
    const double *p = s->bayes_p + rt->p_first;
    const uint32_t *cls = t->u32s + m->classes_first;
    uint32_t k, a = tri_bayes_top(p, m->n_classes, TRI_NONE),
             b = tri_bayes_top(p, m->n_classes, a), best[6], nb = 0;
    double gain[6];
    char toks[160];
    size_t i, used = 0;

    for (i = 0; i < s->n_bayes_rows; i++) {
        const union tri_bword *r = s->rs->btok_rec + s->bayes_rows[2 * i + 1], *ll;
        uint32_t j;
        double g;

        if (s->bayes_rows[2 * i] != model)   /* another model's token */
            continue;
        ll = r + tri_btok_head(r->u) + rt->p_first;
        g = (double)ll[a].f - ll[b].f;
        if (g <= 0 || (nb == 6 && g <= gain[5]))
            continue;
        j = nb < 6 ? nb++ : 5;   /* insert, keeping gain descending */
        for (; j > 0 && gain[j - 1] < g; j--) {
            gain[j] = gain[j - 1];
            best[j] = best[j - 1];
        }
        gain[j] = g;
        best[j] = s->bayes_rows[2 * i + 1];
    }
    toks[0] = '\0';
    for (k = 0; k < nb && used + 1 < sizeof toks; k++) {
        const union tri_bword *r = s->rs->btok_rec + best[k];
        int w = snprintf(toks + used, sizeof toks - used, "%s%.*s %+.1f", k ? ", " : "",
                         (int)r->u, (const char *)(r + 1), gain[k]);

        if (w < 0 || (size_t)w >= sizeof toks - used)
            break;
        used += (size_t)w;
    }
    tri_trace(s, TRIAGE_TRACE_BAYES, tri_str(t, m->id), 1, 0,
              "%s %.2f over %s %.2f%s%s", tri_vocab_str(s->rs, m->axis, cls[a]), p[a],
              tri_vocab_str(s->rs, m->axis, cls[b]), p[b], nb ? "; tokens " : "", toks);
}
