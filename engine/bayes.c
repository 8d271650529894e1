/*
 * bayes.c - the naive Bayes models of a rule set at run time: the token
 * lookup and log-likelihoods built from a model's counts, and a text's
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

static const uint32_t *counts_of(const struct tri_table *t, const struct tri_bayes *m)
{
    return t->u32s + m->counts_first;
}

/* The token 'tok' (hash 'hash') in the shared table, or TRI_NONE. */
static uint32_t lookup(const struct triage_ruleset *rs, const char *tok, size_t n,
                       uint32_t hash)
{
    uint32_t h = hash & rs->btok_mask, id;

    while ((id = rs->btok_slots[2 * h]) != 0) {
        const char *cand;

        if (rs->btok_slots[2 * h + 1] == hash &&
            (cand = tri_str(&rs->t, rs->btok_str[id - 1]),
             strncmp(cand, tok, n) == 0 && cand[n] == '\0'))   /* stops at NUL */
            return id - 1;
        h = (h + 1) & rs->btok_mask;
    }
    return TRI_NONE;
}

/* Model i's row 'row' joins the shared table: under its token's id, a new
 * one if no model listed the token before. A token listed twice by one
 * model (the compiler refuses that; a loaded table may not) keeps its
 * first row. */
static void add_token(struct triage_ruleset *rs, uint32_t i, uint32_t row)
{
    const struct tri_table *t = &rs->t;
    uint32_t off = t->u32s[t->bayes[i].tokens_first + row];
    const char *tok = tri_str(t, off);
    size_t n = strlen(tok);
    uint32_t hash = tri_bayes_hash(tok, n), id = lookup(rs, tok, n, hash), h, k;

    if (id == TRI_NONE) {
        id = rs->bayes_tokens++;
        rs->btok_str[id] = off;
        for (k = 0; k < t->n_bayes; k++)
            rs->btok_rows[(size_t)id * t->n_bayes + k] = TRI_NONE;
        for (h = hash & rs->btok_mask; rs->btok_slots[2 * h] != 0;)
            h = (h + 1) & rs->btok_mask;
        rs->btok_slots[2 * h] = id + 1;
        rs->btok_slots[2 * h + 1] = hash;   /* most probes end on a hash mismatch */
    }
    if (rs->btok_rows[(size_t)id * t->n_bayes + i] == TRI_NONE)
        rs->btok_rows[(size_t)id * t->n_bayes + i] = row;
}

static triage_status build_one(struct triage_ruleset *rs, uint32_t i)
{
    const struct tri_table *t = &rs->t;
    const struct tri_bayes *m = &t->bayes[i];
    struct tri_bayes_rt *rt = &rs->bayes_rt[i];
    const uint32_t *cnt = counts_of(t, m), *docs = t->u32s + m->docs_first;
    uint32_t k, row, n = m->n_classes;
    double total[TRI_BAYES_MAX_CLASSES] = { 0 }, all_docs = 0;

    rt->ll = tri_malloc(((size_t)m->n_tokens * n + 1) * sizeof *rt->ll);
    rt->prior = tri_malloc((size_t)n * sizeof *rt->prior);
    if (rt->ll == NULL || rt->prior == NULL)
        return TRIAGE_ENOMEM;
    for (row = 0; row < m->n_tokens; row++)
        for (k = 0; k < n; k++)
            total[k] += cnt[(size_t)row * n + k];
    for (k = 0; k < n; k++)
        all_docs += docs[k];
    for (k = 0; k < n; k++)   /* add-one: a class never seen is not -inf */
        rt->prior[k] = log((docs[k] + 1.0) / (all_docs + n));
    for (row = 0; row < m->n_tokens; row++) {
        for (k = 0; k < n; k++)
            rt->ll[(size_t)row * n + k] = (float)log(
                (cnt[(size_t)row * n + k] + m->smoothing) /
                (total[k] + m->smoothing * m->n_tokens));
        add_token(rs, i, row);
    }
    return TRIAGE_OK;
}

triage_status tri_bayes_build(struct triage_ruleset *rs)
{
    const struct tri_table *t = &rs->t;
    uint32_t i, cap = 16;
    size_t all = 0;
    triage_status st = TRIAGE_OK;

    rs->bayes_classes = rs->bayes_tokens = 0;
    if (t->n_bayes == 0)
        return TRIAGE_OK;
    for (i = 0; i < t->n_bayes; i++)
        all += t->bayes[i].n_tokens;
    if (all > UINT32_MAX / 4 / t->n_bayes)
        return TRIAGE_ELIMIT;
    while (cap < 2 * all)
        cap *= 2;
    rs->bayes_rt = tri_calloc(t->n_bayes, sizeof *rs->bayes_rt);
    rs->btok_slots = tri_calloc(2 * (size_t)cap, sizeof *rs->btok_slots);
    rs->btok_str = tri_malloc((all + 1) * sizeof *rs->btok_str);
    rs->btok_rows = tri_malloc((all * t->n_bayes + 1) * sizeof *rs->btok_rows);
    if (rs->bayes_rt == NULL || rs->btok_slots == NULL || rs->btok_str == NULL ||
        rs->btok_rows == NULL)
        return TRIAGE_ENOMEM;
    rs->btok_mask = cap - 1;
    for (i = 0; i < t->n_bayes && st == TRIAGE_OK; i++) {
        rs->bayes_rt[i].p_first = rs->bayes_classes;
        rs->bayes_classes += t->bayes[i].n_classes;
        st = build_one(rs, i);
    }
    return st;
}

void tri_bayes_free(struct triage_ruleset *rs)
{
    uint32_t i;

    for (i = 0; rs->bayes_rt != NULL && i < rs->t.n_bayes; i++) {
        tri_free(rs->bayes_rt[i].ll);
        tri_free(rs->bayes_rt[i].prior);
    }
    tri_free(rs->bayes_rt);
    rs->bayes_rt = NULL;
    tri_free(rs->btok_slots);
    tri_free(rs->btok_str);
    tri_free(rs->btok_rows);
    rs->btok_slots = rs->btok_str = rs->btok_rows = NULL;
}

triage_status tri_bayes_scratch(struct triage_scratch *s)
{
    s->bayes_p = tri_calloc((size_t)s->rs->bayes_classes + 1, sizeof *s->bayes_p);
    s->bayes_gen = tri_calloc((size_t)s->rs->bayes_tokens + 1, sizeof *s->bayes_gen);
    s->bayes_sev_gen = tri_calloc((size_t)s->rs->bayes_tokens + 1, sizeof *s->bayes_sev_gen);
    return s->bayes_p == NULL || s->bayes_gen == NULL || s->bayes_sev_gen == NULL
               ? TRIAGE_ENOMEM : TRIAGE_OK;
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

/*
 * Each known token of the text, once, adds its log-likelihood per class
 * to every model that has it (the models count documents). The severity
 * models leave out denied tokens, with a once-stamp of their own: a
 * denied "昏迷" must not raise a complaint to critical, while "没效果"
 * still tells the type model what the complaint is about.
 */
#define BAYES_PREFETCH 8
static void add_evidence(struct triage_scratch *s, double *lp)
{
    const struct triage_ruleset *rs = s->rs;
    uint32_t nb = rs->t.n_bayes, i, k;
    size_t j;

    for (j = 0; j < s->n_btok; j++) {
        const uint32_t *rows;
        uint32_t id;
        int all, sev;

        /* The token table is megabytes: ask for a later token's slot now,
         * so its cache miss overlaps this one's work. */
        if (j + BAYES_PREFETCH < s->n_btok)
            __builtin_prefetch(&rs->btok_slots[2 * (s->btok[j + BAYES_PREFETCH].hash &
                                                    rs->btok_mask)]);
        id = lookup(rs, s->norm.text + s->btok[j].off, s->btok[j].len, s->btok[j].hash);

        if (id == TRI_NONE)
            continue;
        all = s->bayes_gen[id] != s->gen;
        sev = !s->btok[j].denied && s->bayes_sev_gen[id] != s->gen;
        if (!all && !sev)
            continue;
        if (all)
            s->bayes_gen[id] = s->gen;
        if (sev)
            s->bayes_sev_gen[id] = s->gen;
        rows = rs->btok_rows + (size_t)id * nb;
        for (i = 0; i < nb; i++) {
            const struct tri_bayes *m = &rs->t.bayes[i];
            const float *ll;
            double *l = lp + rs->bayes_rt[i].p_first;

            if (rows[i] == TRI_NONE || !(m->axis == TRIAGE_AXIS_SEVERITY ? sev : all))
                continue;
            ll = rs->bayes_rt[i].ll + (size_t)rows[i] * m->n_classes;
            for (k = 0; k < m->n_classes; k++)
                l[k] += ll[k];
            /* explain lists the tokens that weighed most */
            if (s->trace_on &&
                tri_grow((void **)&s->bayes_rows, &s->bayes_rows_cap, s->n_bayes_rows + 1,
                         sizeof *s->bayes_rows) == TRIAGE_OK)
                s->bayes_rows[s->n_bayes_rows++] = (i << 24) | rows[i];
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
        uint32_t row = s->bayes_rows[i] & 0xffffffu, j;
        const float *ll;
        double g;

        if (s->bayes_rows[i] >> 24 != model)   /* another model's row */
            continue;
        ll = rt->ll + (size_t)row * m->n_classes;
        g = (double)ll[a] - ll[b];
        if (g <= 0 || (nb == 6 && g <= gain[5]))
            continue;
        j = nb < 6 ? nb++ : 5;   /* insert, keeping gain descending */
        for (; j > 0 && gain[j - 1] < g; j--) {
            gain[j] = gain[j - 1];
            best[j] = best[j - 1];
        }
        gain[j] = g;
        best[j] = row;
    }
    toks[0] = '\0';
    for (k = 0; k < nb && used + 1 < sizeof toks; k++) {
        int w = snprintf(toks + used, sizeof toks - used, "%s%s %+.1f", k ? ", " : "",
                         tri_str(t, t->u32s[m->tokens_first + best[k]]), gain[k]);

        if (w < 0 || (size_t)w >= sizeof toks - used)
            break;
        used += (size_t)w;
    }
    tri_trace(s, TRIAGE_TRACE_BAYES, tri_str(t, m->id), 1, 0,
              "%s %.2f over %s %.2f%s%s", tri_vocab_str(s->rs, m->axis, cls[a]), p[a],
              tri_vocab_str(s->rs, m->axis, cls[b]), p[b], nb ? "; tokens " : "", toks);
}
