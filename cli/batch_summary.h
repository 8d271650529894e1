/*
 * batch_summary.h - the month's statistics of a batch run: counts by axis
 * and month, frequent rules, repeat complainers, and every L4 case.
 */
#ifndef TRIAGE_BATCH_SUMMARY_H
#define TRIAGE_BATCH_SUMMARY_H

#include <stdint.h>
#include <stdio.h>
#include "triage.h"
#include "batch_run.h"

/* Distinct keys and their counts, in first-seen order, with a hash index:
 * a year's log has hundreds of thousands of customers and case ids. */
struct tally {
    char **keys;
    unsigned long *counts;
    size_t n, cap;
    struct tally_slot {
        uint32_t item;          /* key index + 1; 0: empty                */
        uint32_t tag;           /* high half of the key's hash: most      */
    } *slots;                   /* probes end without reading the key     */
    size_t n_slots;             /* a power of two, at most half full      */
};

enum { SUM_TYPE, SUM_NATURE, SUM_SEVERITY, SUM_TEMPERAMENT, SUM_LEVEL,
       SUM_MONTH, SUM_RULE, SUM_CUSTOMER, SUM_AXES };

struct batch_summary {
    struct tally t[SUM_AXES];
    struct tally urgent;        /* ids at the top level, in input order */
    const char *top_level;      /* the most urgent level (last declared) */
    unsigned long read, triaged, errors;
};

/* Count 'key' once more. 0, or -1 when memory ran out (nothing lost:
 * the tally is as it was). */
int tally_add(struct tally *t, const char *key);
/* Count one triaged record. 0, or -1 when memory ran out. */
int summary_add(struct batch_summary *s, const struct batch_facts *f,
                const char *id, const char *date, const char *customer);
/* Write as JSON when 'path' ends in .json, else as text. 0 on success. */
int summary_write(const struct batch_summary *s, const char *path);
void summary_free(struct batch_summary *s);

#endif
