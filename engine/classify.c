/*
 * classify.c - per-thread scratch and the classification pipeline:
 * normalise, match, context, rules, decision. Buffers are sized to the rule
 * set once and reused, so a steady stream of texts allocates nothing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

void triage_scratch_destroy(triage_scratch *s)
{
    int a;

    if (s == NULL)
        return;
    triage_scratch_set_profile(s, 0);
    hs_free_scratch(s->hs);
    pcre2_match_data_free(s->md);
    pcre2_match_data_free(s->md_lb);
    pcre2_match_context_free(s->mctx);
    pcre2_jit_stack_free(s->jit);
    tri_norm_free(&s->norm);
    tri_free(s->hits);
    tri_free(s->cues);
    tri_free(s->bounds);
    tri_free(s->neg_bounds);
    tri_free(s->pat);
    tri_free(s->rule);
    tri_free(s->slot);
    tri_free(s->slot_links);
    tri_free(s->cand);
    tri_free(s->cand_bits);
    tri_free(s->touched);
    tri_free(s->byp);
    tri_free(s->rx);
    tri_free(s->rx_slot);
    tri_free(s->maxend);
    tri_free(s->rhits);
    tri_free(s->pos);
    tri_free(s->fired);
    tri_free(s->fired_list);
    tri_free(s->tag_gen);
    tri_free(s->tags);
    for (a = 0; a < TRIAGE_AXIS_COUNT; a++)
        tri_free(s->scores[a]);
    tri_free(s->scripts);
    tri_free(s->rule_scores);
    tri_free(s->bayes_p);
    tri_free(s->bseen);
    tri_free(s->bayes_rows);
    tri_free(s->btok);
    tri_free(s->fields);
    tri_buf_free(&s->json);
    tri_buf_free(&s->orig_copy);
    tri_buf_free(&s->trace_text);
    tri_free(s->trace);
    tri_free(s->issues);
    tri_free(s);
}

static triage_status scratch_pcre(triage_scratch *s)
{
    s->md = pcre2_match_data_create(64, NULL);
    s->md_lb = pcre2_match_data_create(1, NULL);
    s->mctx = pcre2_match_context_create(NULL);
    s->jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
    if (s->md == NULL || s->md_lb == NULL || s->mctx == NULL || s->jit == NULL)
        return TRIAGE_ENOMEM;
    pcre2_set_match_limit(s->mctx, TRI_MATCH_LIMIT);
    pcre2_set_depth_limit(s->mctx, TRI_DEPTH_LIMIT);
    pcre2_jit_stack_assign(s->mctx, NULL, s->jit);
    return TRIAGE_OK;
}

triage_status triage_scratch_create(const triage_ruleset *rs, triage_scratch **out)
{
    const struct tri_table *t;
    triage_scratch *s;
    size_t np, nr;
    int a;

    if (rs == NULL || out == NULL)
        return TRIAGE_EINVAL;
    *out = NULL;
    t = &rs->t;
    np = t->n_patterns + 1;
    nr = t->n_rules + 1;
    s = tri_calloc(1, sizeof *s);
    if (s == NULL)
        return TRIAGE_ENOMEM;
    s->rs = rs;
    tri_norm_init(&s->norm);
    s->pat = tri_calloc(np, sizeof *s->pat);
    s->touched = tri_calloc(np, sizeof *s->touched);
    s->rx = tri_calloc(np, sizeof *s->rx);
    s->rx_slot = tri_calloc((size_t)rs->n_rx_pat + 1, sizeof *s->rx_slot);
    s->rule = tri_calloc(nr, sizeof *s->rule);
    s->slot = tri_calloc((size_t)rs->n_slots + 1, sizeof *s->slot);
    s->cand = tri_calloc(nr, sizeof *s->cand);
    s->cand_bits = tri_calloc(nr / 64 + 1, sizeof *s->cand_bits);
    s->fired = tri_calloc(nr, sizeof *s->fired);
    s->fired_list = tri_calloc(nr, sizeof *s->fired_list);
    s->tag_gen = tri_calloc(t->vocab_count[TRIAGE_AXIS_TAG] + 1, sizeof *s->tag_gen);
    s->tags = tri_calloc(t->vocab_count[TRIAGE_AXIS_TAG] + 1, sizeof *s->tags);
    s->scripts = tri_calloc(t->n_scripts + 1, sizeof *s->scripts);
    s->rule_scores = tri_calloc(t->vocab_count[TRIAGE_AXIS_TYPE] + 1, sizeof(double));
    for (a = 0; a < TRIAGE_AXIS_COUNT; a++)
        s->scores[a] = tri_calloc(t->vocab_count[a] + 1, sizeof(double));
    if (s->pat == NULL ||
        s->touched == NULL || s->rx == NULL || s->rx_slot == NULL || s->rule == NULL ||
        s->slot == NULL ||
        s->cand == NULL || s->cand_bits == NULL || s->fired == NULL || s->fired_list == NULL ||
        s->tag_gen == NULL || s->tags == NULL || s->scripts == NULL ||
        s->rule_scores == NULL || tri_bayes_scratch(s) != TRIAGE_OK ||
        s->scores[0] == NULL || s->scores[1] == NULL || s->scores[2] == NULL ||
        s->scores[3] == NULL || s->scores[4] == NULL || s->scores[5] == NULL ||
        scratch_pcre(s) != TRIAGE_OK ||
        (rs->hs[TRI_DB_WORDS].db != NULL &&
         hs_alloc_scratch(rs->hs[TRI_DB_WORDS].db, &s->hs) != HS_SUCCESS) ||
        (rs->hs[TRI_DB_REGEXES].db != NULL &&   /* one scratch serves both */
         hs_alloc_scratch(rs->hs[TRI_DB_REGEXES].db, &s->hs) != HS_SUCCESS)) {
        triage_scratch_destroy(s);
        return TRIAGE_ENOMEM;
    }
    *out = s;
    return TRIAGE_OK;
}

void triage_scratch_set_trace(triage_scratch *s, int on)
{
    if (s != NULL)
        s->trace_on = on != 0;
}

triage_status triage_scratch_set_hits(triage_scratch *s, triage_json_hits which)
{
    if (s == NULL || (unsigned)which > TRIAGE_JSON_HITS_NONE)
        return TRIAGE_EINVAL;
    s->fired_hits_only = which != TRIAGE_JSON_HITS_ALL;
    return TRIAGE_OK;
}

void tri_trace_add(struct triage_scratch *s, triage_trace_kind kind,
                   const char *id, int ok, int depth, const char *fmt, ...)
{
    va_list ap;
    char msg[256];
    struct tri_trace_rec *r;

    if (tri_grow((void **)&s->trace, &s->trace_cap, s->n_trace + 1,
                 sizeof *s->trace) != TRIAGE_OK)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r = &s->trace[s->n_trace];
    r->kind = kind;
    r->id = id;
    r->ok = ok;
    r->depth = depth;
    r->detail = (uint32_t)s->trace_text.len;
    if (tri_buf_add(&s->trace_text, msg, strlen(msg) + 1) == TRIAGE_OK)
        s->n_trace++;
}

unsigned triage_trace_count(const triage_result *r)
{
    return r ? (unsigned)r->s->n_trace : 0;
}

triage_status triage_trace_get(const triage_result *r, unsigned i,
                               triage_trace_step *step)
{
    const struct tri_trace_rec *t;

    if (r == NULL || step == NULL || i >= r->s->n_trace)
        return TRIAGE_EINVAL;
    t = &r->s->trace[i];
    step->kind = t->kind;
    step->rule_id = t->id;
    step->ok = t->ok;
    step->depth = t->depth;
    step->detail = r->s->trace_text.data + t->detail;
    return TRIAGE_OK;
}

/* When profiling, book the time since *t to stage k, less 'inner' seconds
 * timed separately inside the span, and restart *t; no clock otherwise. */
static void lap(triage_scratch *s, triage_stage k, double inner, double *t)
{
    double now;

    if (s->prof == NULL)
        return;
    now = tri_now();
    s->prof->stage[k] += now - *t - inner;
    *t = now;
}

static triage_status pipeline(const triage_ruleset *rs, triage_scratch *s,
                              const char *text, size_t len)
{
    triage_status st;
    double t, regex0;

    memset(&s->result, 0, sizeof s->result);
    s->result.rs = rs;
    s->result.s = s;
    s->n_trace = 0;
    s->trace_text.len = 0;
    if (len > TRI_MAX_TEXT) {
        /* Cut on a code point boundary; the flag says the rest was unread. */
        len = tri_utf8_floor(text, TRI_MAX_TEXT);
        s->result.flags |= TRIAGE_FLAG_TRUNCATED;
    }
    /* The result quotes the text (JSON hits and fields) after the call
     * returns, when the caller's buffer may be gone: keep a copy. */
    s->orig_copy.len = 0;
    st = tri_buf_add(&s->orig_copy, text, len);
    if (st != TRIAGE_OK)
        return st;
    s->orig = s->orig_copy.data;
    s->orig_len = len;
    if (++s->gen == 0) {   /* stamps wrapped: clear them once in 4 billion */
        memset(s->pat, 0, (rs->t.n_patterns + 1) * sizeof *s->pat);
        memset(s->rule, 0, (rs->t.n_rules + 1) * sizeof *s->rule);
        memset(s->slot, 0, ((size_t)rs->n_slots + 1) * sizeof *s->slot);
        memset(s->tag_gen, 0, (rs->t.vocab_count[TRIAGE_AXIS_TAG] + 1) * sizeof *s->tag_gen);
        s->gen = 1;
    }
    t = s->prof ? tri_now() : 0;
    regex0 = s->prof ? s->prof->stage[TRIAGE_STAGE_REGEX] : 0;
    st = tri_normalize(&s->norm, text, len);
    lap(s, TRIAGE_STAGE_NORMALIZE, 0, &t);
    if (s->prof)
        s->prof->texts++;
    if (st != TRIAGE_OK)
        return st;
    if (s->norm.invalid_utf8)
        s->result.flags |= TRIAGE_FLAG_INVALID_UTF8;
    s->result.lang = tri_text_lang(&s->norm);
    st = tri_match(rs, s);
    /* tri_match books its PCRE2 runs to the regex stage itself. */
    lap(s, TRIAGE_STAGE_SCAN, s->prof ? s->prof->stage[TRIAGE_STAGE_REGEX] - regex0 : 0, &t);
    if (st == TRIAGE_OK)
        st = tri_context(rs, s);
    lap(s, TRIAGE_STAGE_CONTEXT, 0, &t);
    if (st == TRIAGE_OK)
        st = tri_rules_eval(s);
    /* The per-rule timers ran inside this span: take their reads off. */
    lap(s, TRIAGE_STAGE_RULES, s->prof ? 2 * (double)s->n_evals * s->prof->clock_cost : 0, &t);
    if (st == TRIAGE_OK && rs->t.n_bayes > 0)
        st = tri_bayes_score(s);   /* the posteriors decide adds in */
    if (st == TRIAGE_OK)
        tri_decide(s);
    lap(s, TRIAGE_STAGE_DECIDE, 0, &t);
    return st;
}

triage_status triage_classify(const triage_ruleset *rs, triage_scratch *s,
                              const char *text, size_t len,
                              const triage_result **out)
{
    triage_status st;

    if (out != NULL)
        *out = NULL;
    if (rs == NULL || s == NULL || out == NULL || (text == NULL && len > 0))
        return TRIAGE_EINVAL;
    if (s->rs != rs)
        return TRIAGE_EMISMATCH;
    if (__atomic_exchange_n(&s->busy, 1, __ATOMIC_ACQUIRE))
        return TRIAGE_ESCRATCH_BUSY;
    st = pipeline(rs, s, text ? text : "", len);
    __atomic_store_n(&s->busy, 0, __ATOMIC_RELEASE);
    if (st == TRIAGE_OK)
        *out = &s->result;
    return st;
}
