/*
 * batch_run.h - the batch pipeline: a window of records read on the main
 * thread, classified by N workers (one scratch each), written in input
 * order. Memory is bounded by the window, not by the input.
 */
#ifndef TRIAGE_BATCH_RUN_H
#define TRIAGE_BATCH_RUN_H

#include <stddef.h>
#include <stdio.h>
#include "triage.h"
#include "batch_internal.h"

#define BATCH_WINDOW 2048
/* Results of one window are held until it is written; with long results
 * (a long complaint against the shipped rules renders 20-100 KB of JSON) the
 * window takes fewer records, sized from the last window's mean result. */
#define BATCH_RESULT_BUDGET (8u << 20)
#define BATCH_WINDOW_MIN 64

/* What the summary and CSV output need of one result; every string is
 * borrowed from the rule set, so it outlives the worker's scratch. */
struct batch_facts {
    const char *type, *nature, *severity, *temperament, *level, *team;
    double confidence, hours;
    unsigned flags;
    const char **fired;   size_t n_fired, fired_cap;
    const char **scripts; size_t n_scripts, scripts_cap;
};

struct batch_slot {
    /* Input, copied out of the reader (offsets into the window arena). */
    size_t text, text_len, id, date, customer, kept, error;
    unsigned long long number, line, offset;
    const char *file;
    size_t n_kept;
    int has_date, has_customer, is_error;
    /* Output of a worker: the record's whole output line, and the facts
     * the summary counts (only when there is a summary). */
    struct batch_buf out;
    struct batch_facts facts;
    int failed;          /* engine failure (triage_status) */
};

struct batch_window {
    char *arena;         size_t alen, acap;
    struct batch_slot slots[BATCH_WINDOW];
    size_t n;
};

/* Append bytes to the arena; returns their offset. */
size_t window_put(struct batch_window *w, const char *s, size_t n);
static inline const char *window_str(const struct batch_window *w, size_t off)
{
    return w->arena + off;
}

/* What the workers make of each record. */
struct batch_output {
    int csv;                 /* CSV lines, else JSON Lines               */
    triage_json_hits hits;   /* which hits a JSON line lists             */
    int facts;               /* fill batch_slot.facts (for the summary)  */
};

struct batch_pool;
int pool_create(struct batch_pool **out, const triage_ruleset *rs, int threads,
                const struct batch_output *o);
/* Classify every good slot of the window (results in input order), in two
 * steps so reading the next window overlaps classifying this one. */
int pool_start(struct batch_pool *p, struct batch_window *w);
void pool_wait(struct batch_pool *p);
int pool_threads(const struct batch_pool *p);
void pool_destroy(struct batch_pool *p);
void window_free(struct batch_window *w);

/* batch_line.c: render the output line of a slot into b (replacing what
 * it held, and sizing b for it): of result r and its JSON (NULL for CSV),
 * or of the slot's error when r and json are NULL. The CSV header names
 * the kept columns. */
void batch_line(struct batch_buf *b, int csv, const struct batch_window *w,
                const struct batch_slot *sl, const triage_result *r,
                const char *json, size_t len);
void batch_csv_header(struct batch_buf *b, const char *const *keep, size_t n_keep);

/* Mask phone numbers, Chinese ID numbers, e-mail addresses and bank card
 * numbers in place, byte for byte, so spans stay valid. */
void redact(char *s, size_t n);

#endif
