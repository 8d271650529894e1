/*
 * batch_pool.c - classification of a window of records by N threads, each
 * with its own scratch over the one shared rule set. Worker k takes slots
 * k, k+N, ...; output order is the slot order, so results are identical to
 * one thread whatever N is.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "batch_run.h"

struct worker {
    struct batch_pool *pool;
    triage_scratch *s;
    int index;
    struct batch_window *w;
    pthread_t tid;
    int started;
};

struct batch_pool {
    const triage_ruleset *rs;
    struct batch_output out;
    int n;
    struct worker *workers;
};

size_t window_put(struct batch_window *w, const char *s, size_t n)
{
    size_t at = w->alen;

    if (w->alen + n + 1 > w->acap) {
        size_t cap = w->acap ? w->acap : 1 << 20;
        char *p;

        while (cap < w->alen + n + 1)
            cap *= 2;
        p = realloc(w->arena, cap);
        if (p == NULL)
            abort();   /* the CLI cannot go on without memory */
        w->arena = p;
        w->acap = cap;
    }
    memcpy(w->arena + at, s, n);
    w->arena[at + n] = '\0';
    w->alen += n + 1;
    return at;
}

static void push(const char ***arr, size_t *n, size_t *cap, const char *s)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        *arr = realloc(*arr, *cap * sizeof **arr);
        if (*arr == NULL)
            abort();
    }
    (*arr)[(*n)++] = s;
}

static void facts_of(struct batch_facts *f, const triage_result *r)
{
    unsigned i;

    f->type = triage_result_type(r);
    f->nature = triage_result_nature(r);
    f->severity = triage_result_severity(r);
    f->temperament = triage_result_temperament(r);
    f->level = triage_result_level(r);
    f->team = triage_result_team(r);
    f->confidence = triage_result_confidence(r);
    f->hours = triage_result_hours(r);
    f->flags = triage_result_flags(r);
    f->n_fired = f->n_scripts = 0;
    for (i = 0; i < triage_result_fired_count(r); i++)
        push(&f->fired, &f->n_fired, &f->fired_cap, triage_result_fired(r, i));
    for (i = 0; i < triage_result_script_count(r); i++)
        push(&f->scripts, &f->n_scripts, &f->scripts_cap, triage_result_script_id(r, i));
}

static void classify_slot(struct worker *wk, struct batch_slot *sl)
{
    const struct batch_output *o = &wk->pool->out;
    const triage_result *r;
    const char *json = NULL;
    size_t len = 0;
    triage_status st;

    if (sl->is_error) {
        batch_line(&sl->out, o->csv, wk->w, sl, NULL, NULL, 0);
        return;
    }
    st = triage_classify(wk->pool->rs, wk->s, window_str(wk->w, sl->text),
                         sl->text_len, &r);
    if (st == TRIAGE_OK && !o->csv)
        st = triage_result_json_hits(r, NULL, o->hits, &json, &len);
    if (st != TRIAGE_OK) {
        sl->failed = (int)st;
        return;
    }
    batch_line(&sl->out, o->csv, wk->w, sl, r, json, len);
    if (o->facts)
        facts_of(&sl->facts, r);
}

static void *work(void *arg)
{
    struct worker *wk = arg;
    size_t i;

    for (i = (size_t)wk->index; i < wk->w->n; i += (size_t)wk->pool->n)
        classify_slot(wk, &wk->w->slots[i]);
    return NULL;
}

int pool_create(struct batch_pool **out, const triage_ruleset *rs, int threads,
                const struct batch_output *o)
{
    struct batch_pool *p = calloc(1, sizeof *p);
    int i;

    *out = NULL;
    if (p == NULL)
        return -1;
    p->rs = rs;
    p->out = *o;
    p->n = threads < 1 ? 1 : threads;
    p->workers = calloc((size_t)p->n, sizeof *p->workers);
    for (i = 0; p->workers != NULL && i < p->n; i++) {
        p->workers[i].pool = p;
        p->workers[i].index = i;
        /* Only the listed hits are kept, so rules that cannot fire are
         * skipped unless every hit is wanted (CSV lists none). */
        if (triage_scratch_create(rs, &p->workers[i].s) != TRIAGE_OK ||
            triage_scratch_set_hits(p->workers[i].s, o->csv ? TRIAGE_JSON_HITS_NONE
                                                             : o->hits) != TRIAGE_OK)
            break;
    }
    if (p->workers == NULL || i < p->n) {
        pool_destroy(p);
        return -1;
    }
    *out = p;
    return 0;
}

int pool_threads(const struct batch_pool *p)
{
    return p->n;
}

/*
 * Start classifying a window and return at once, so the caller can read the
 * next window meanwhile; pool_wait() joins. With one thread, or a window too
 * small to be worth threads, the work is done here before returning.
 */
int pool_start(struct batch_pool *p, struct batch_window *w)
{
    int i;

    for (i = 0; i < p->n; i++)
        p->workers[i].w = w;
    if (p->n == 1 || w->n < 64) {
        for (i = 0; i < p->n; i++)
            work(&p->workers[i]);
        return 0;
    }
    for (i = 0; i < p->n; i++) {
        if (pthread_create(&p->workers[i].tid, NULL, work, &p->workers[i]) != 0) {
            work(&p->workers[i]);   /* no thread to be had: do it here */
            continue;
        }
        p->workers[i].started = 1;
    }
    return 0;
}

void pool_wait(struct batch_pool *p)
{
    int i;

    for (i = 0; i < p->n; i++)
        if (p->workers[i].started) {
            pthread_join(p->workers[i].tid, NULL);
            p->workers[i].started = 0;
        }
}

void pool_destroy(struct batch_pool *p)
{
    int i;

    if (p == NULL)
        return;
    for (i = 0; p->workers != NULL && i < p->n; i++)
        triage_scratch_destroy(p->workers[i].s);
    free(p->workers);
    free(p);
}

void window_free(struct batch_window *w)
{
    size_t i;

    for (i = 0; i < BATCH_WINDOW; i++) {
        batch_buf_free(&w->slots[i].out);
        free(w->slots[i].facts.fired);
        free(w->slots[i].facts.scripts);
    }
    free(w->arena);
}
