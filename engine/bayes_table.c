/*
 * bayes_table.c - the token table the naive Bayes models share at run
 * time, built from their counts after compiling and after loading. Each
 * distinct token gets one record holding its bytes and every model's
 * log-likelihoods, so scoring a token touches a hash slot and one record
 * instead of a string, a row index and a row per model (bayes.c).
 */
#include <math.h>
#include "internal.h"

/* Building: distinct tokens by their string in the pool. */
struct build {
    uint32_t *str;     /* per token: pool offset of its string            */
    uint32_t *len;     /* per token: its length in bytes                  */
    uint32_t *at;      /* per token: its record, in words                 */
    uint32_t *id;      /* per model row, models in order: its token       */
    uint32_t n;
};

/* The token 'tok' (hash 'hash') seen so far, or TRI_NONE; slots hold
 * token + 1 while building. */
static uint32_t find(const struct triage_ruleset *rs, const struct build *b,
                     const char *tok, uint32_t hash)
{
    uint32_t h = hash & rs->btok_mask, id;

    while ((id = rs->btok_slots[2 * h]) != 0) {
        if (rs->btok_slots[2 * h + 1] == hash &&
            strcmp(tri_str(&rs->t, b->str[id - 1]), tok) == 0)
            return id - 1;
        h = (h + 1) & rs->btok_mask;
    }
    return TRI_NONE;
}

/* Give every token the models list an id and a hash slot. */
static void add_tokens(struct triage_ruleset *rs, struct build *b)
{
    const struct tri_table *t = &rs->t;
    uint32_t i, row, h, *id = b->id;

    for (i = 0; i < t->n_bayes; i++)
        for (row = 0; row < t->bayes[i].n_tokens; row++) {
            uint32_t off = t->u32s[t->bayes[i].tokens_first + row];
            const char *tok = tri_str(t, off);
            size_t len = strlen(tok);
            uint32_t hash = tri_bayes_hash(tok, len);

            if ((*id++ = find(rs, b, tok, hash)) != TRI_NONE)
                continue;
            for (h = hash & rs->btok_mask; rs->btok_slots[2 * h] != 0;)
                h = (h + 1) & rs->btok_mask;
            id[-1] = b->n;
            b->str[b->n] = off;
            b->len[b->n] = (uint32_t)len;
            rs->btok_slots[2 * h] = ++b->n;
            rs->btok_slots[2 * h + 1] = hash;   /* most probes end on a hash mismatch */
        }
}

/* Lay the records out: length, bytes, every log-likelihood NaN (absent)
 * until a model's row fills its own. */
static triage_status lay_out(struct triage_ruleset *rs, struct build *b)
{
    const struct tri_table *t = &rs->t;
    size_t words = 0;
    uint32_t id, k;

    for (id = 0; id < b->n; id++) {
        b->at[id] = (uint32_t)words;
        words += tri_btok_head(b->len[id]) + rs->bayes_classes;
        if (words >= UINT32_MAX)
            return TRIAGE_ELIMIT;
    }
    rs->btok_rec = tri_calloc(words + 1, sizeof *rs->btok_rec);
    if (rs->btok_rec == NULL)
        return TRIAGE_ENOMEM;
    for (id = 0; id < b->n; id++) {
        union tri_bword *r = rs->btok_rec + b->at[id];
        uint32_t head = tri_btok_head(b->len[id]);

        r->u = b->len[id];
        memcpy(r + 1, tri_str(t, b->str[id]), b->len[id]);
        for (k = 0; k < rs->bayes_classes; k++)
            r[head + k].f = NAN;
    }
    return TRIAGE_OK;
}

/* Model i's log-likelihoods into its tokens' records (ids: its rows'
 * tokens). A token listed
 * twice by one model (the compiler refuses that; a loaded table may not)
 * keeps its first row. */
static void fill_model(struct triage_ruleset *rs, const struct build *b, uint32_t i,
                       const uint32_t *ids)
{
    const struct tri_table *t = &rs->t;
    const struct tri_bayes *m = &t->bayes[i];
    const uint32_t *cnt = t->u32s + m->counts_first, *docs = t->u32s + m->docs_first;
    struct tri_bayes_rt *rt = &rs->bayes_rt[i];
    uint32_t k, row, n = m->n_classes;
    double total[TRI_BAYES_MAX_CLASSES] = { 0 }, all_docs = 0;

    for (row = 0; row < m->n_tokens; row++)
        for (k = 0; k < n; k++)
            total[k] += cnt[(size_t)row * n + k];
    for (k = 0; k < n; k++)
        all_docs += docs[k];
    for (k = 0; k < n; k++)   /* add-one: a class never seen is not -inf */
        rt->prior[k] = log((docs[k] + 1.0) / (all_docs + n));
    for (row = 0; row < m->n_tokens; row++) {
        uint32_t id = ids[row];
        union tri_bword *ll = rs->btok_rec + b->at[id] + tri_btok_head(b->len[id]) +
                              rt->p_first;

        if (!isnan(ll[0].f))
            continue;
        for (k = 0; k < n; k++)
            ll[k].f = (float)log((cnt[(size_t)row * n + k] + m->smoothing) /
                                 (total[k] + m->smoothing * m->n_tokens));
    }
}

triage_status tri_bayes_build(struct triage_ruleset *rs)
{
    const struct tri_table *t = &rs->t;
    struct build b = { NULL, NULL, NULL, NULL, 0 };
    uint32_t i, h, cap = 16;
    size_t all = 0;
    triage_status st = TRIAGE_OK;

    rs->bayes_classes = 0;
    if (t->n_bayes == 0)
        return TRIAGE_OK;
    for (i = 0; i < t->n_bayes; i++)
        all += t->bayes[i].n_tokens;
    if (all > UINT32_MAX / 4)
        return TRIAGE_ELIMIT;
    while (cap < 2 * all)
        cap *= 2;
    rs->bayes_rt = tri_calloc(t->n_bayes, sizeof *rs->bayes_rt);
    rs->btok_slots = tri_calloc(2 * (size_t)cap, sizeof *rs->btok_slots);
    b.str = tri_malloc((all + 1) * sizeof *b.str);
    b.len = tri_malloc((all + 1) * sizeof *b.len);
    b.at = tri_malloc((all + 1) * sizeof *b.at);
    b.id = tri_malloc((all + 1) * sizeof *b.id);
    if (rs->bayes_rt == NULL || rs->btok_slots == NULL || b.str == NULL || b.len == NULL ||
        b.at == NULL || b.id == NULL) {
        st = TRIAGE_ENOMEM;
        goto done;
    }
    rs->btok_mask = cap - 1;
    for (i = 0; i < t->n_bayes && st == TRIAGE_OK; i++) {
        rs->bayes_rt[i].p_first = rs->bayes_classes;
        rs->bayes_classes += t->bayes[i].n_classes;
        rs->bayes_rt[i].prior = tri_malloc(t->bayes[i].n_classes * sizeof(double) + 1);
        if (rs->bayes_rt[i].prior == NULL)
            st = TRIAGE_ENOMEM;
    }
    if (st == TRIAGE_OK) {
        add_tokens(rs, &b);
        st = lay_out(rs, &b);
    }
    for (i = 0, all = 0; i < t->n_bayes && st == TRIAGE_OK; i++) {
        fill_model(rs, &b, i, b.id + all);
        all += t->bayes[i].n_tokens;
    }
    /* From here on a slot names its token's record (+ 1), not its id. */
    for (h = 0; h <= rs->btok_mask && st == TRIAGE_OK; h++)
        if (rs->btok_slots[2 * h] != 0)
            rs->btok_slots[2 * h] = b.at[rs->btok_slots[2 * h] - 1] + 1;
done:
    tri_free(b.str);
    tri_free(b.len);
    tri_free(b.at);
    tri_free(b.id);
    return st;
}

void tri_bayes_free(struct triage_ruleset *rs)
{
    uint32_t i;

    for (i = 0; rs->bayes_rt != NULL && i < rs->t.n_bayes; i++)
        tri_free(rs->bayes_rt[i].prior);
    tri_free(rs->bayes_rt);
    rs->bayes_rt = NULL;
    tri_free(rs->btok_slots);
    tri_free(rs->btok_rec);
    rs->btok_slots = NULL;
    rs->btok_rec = NULL;
}
