/*
 * hit_index.c - the per-text indexes the rule evaluator reads: hits
 * grouped by pattern, each node part's hit leaves, the candidate rules,
 * and each candidate's hits for the result. Built from the hits, so their
 * cost follows the hits, not the size of the rule set.
 */
#include "internal.h"

int tri_cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return x < y ? -1 : x > y;
}
/* Tell each node part which of its leaf patterns hit: a list per slot,
 * valid where s->slot[].gen == gen (see index_slots in runtime.c). */
static triage_status link_slots(struct triage_scratch *s)
{
    const struct triage_ruleset *rs = s->rs;
    size_t i;
    uint32_t j;

    s->n_slot_links = 0;
    for (i = 0; i < s->n_touched; i++) {
        uint32_t p = s->touched[i], a = rs->pat_slots_first[p], e = rs->pat_slots_first[p + 1];

        if (s->n_slot_links + (e - a) >= s->slot_links_cap &&
            tri_grow((void **)&s->slot_links, &s->slot_links_cap,
                     s->n_slot_links + (e - a) + 1, sizeof *s->slot_links) != TRIAGE_OK)
            return TRIAGE_ENOMEM;
        for (j = a; j < e; j++) {
            uint32_t slot = rs->pat_slots[j];
            struct tri_slot_link *l = &s->slot_links[s->n_slot_links];

            if (s->slot[slot].gen != s->gen) {
                s->slot[slot].gen = s->gen;
                s->slot[slot].head = TRI_NONE;
            }
            l->pattern = p;
            l->next = s->slot[slot].head;
            s->slot[slot].head = (uint32_t)s->n_slot_links++;
        }
    }
    return TRIAGE_OK;
}
/* Group hit indexes by pattern: s->pat[p].first/.count valid where .gen == gen. */
triage_status tri_index_hits(struct triage_scratch *s)
{
    size_t i, total = 0;

    s->n_touched = 0;
    for (i = 0; i < s->n_hits; i++) {
        uint32_t p = s->hits[i].pattern;

        if (s->pat[p].gen != s->gen) {
            s->pat[p].gen = s->gen;
            s->pat[p].count = 0;
            s->touched[s->n_touched++] = p;
        }
        s->pat[p].count++;
    }
    if (tri_grow((void **)&s->byp, &s->byp_cap, s->n_hits + 1, sizeof *s->byp) != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    for (i = 0; i < s->n_touched; i++) {
        uint32_t p = s->touched[i];

        s->pat[p].first = (uint32_t)total;
        total += s->pat[p].count;
        s->pat[p].count = 0;
    }
    for (i = 0; i < s->n_hits; i++) {
        uint32_t p = s->hits[i].pattern;

        s->byp[s->pat[p].first + s->pat[p].count++] = (uint32_t)i;
    }
    return link_slots(s);
}
/* Many candidates (a long text against a large rule set): a bit per rule,
 * then the set bits in order, clearing them for the next text. Cheaper
 * than qsort's calls to a comparison once there are more than a few. */
static void order_by_bits(struct triage_scratch *s)
{
    uint64_t *bits = s->cand_bits;
    size_t i, w, lo = SIZE_MAX, hi = 0, n = 0;

    for (i = 0; i < s->n_cand; i++) {
        w = s->cand[i] / 64;
        bits[w] |= (uint64_t)1 << (s->cand[i] % 64);
        lo = w < lo ? w : lo;
        hi = w > hi ? w : hi;
    }
    for (w = lo; w <= hi; w++)
        while (bits[w] != 0) {
            s->cand[n++] = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(bits[w]));
            bits[w] &= bits[w] - 1;
        }
}

/* Rules with a hit on one of their patterns, and which of them had a
 * trigger hit (rule_triggers.c). */
static void with_a_hit(struct triage_scratch *s)
{
    const struct triage_ruleset *rs = s->rs;
    size_t i;
    uint32_t j;

    for (i = 0; i < s->n_touched; i++) {
        const struct tri_pattern *p = &rs->t.patterns[s->touched[i]];

        for (j = 0; j < p->rules_count; j++) {
            uint32_t r = rs->t.rule_refs[p->rules_first + j];

            if (s->rule[r].gen != s->gen) {
                s->rule[r].gen = s->gen;
                s->cand[s->n_cand++] = r;
            }
        }
        for (j = rs->trig_first[s->touched[i]]; j < rs->trig_first[s->touched[i] + 1]; j++)
            s->rule[rs->trig_rules[j]].tgen = s->gen;
    }
}

/* Only the rules with a trigger hit, when the result keeps only fired
 * rules' hits (triage_scratch_set_hits): the others cannot fire, and
 * their hits are not wanted. */
static void triggered_only(struct triage_scratch *s)
{
    const struct triage_ruleset *rs = s->rs;
    size_t i;
    uint32_t j;

    for (i = 0; i < s->n_touched; i++)
        for (j = rs->trig_first[s->touched[i]]; j < rs->trig_first[s->touched[i] + 1]; j++) {
            uint32_t r = rs->trig_rules[j];

            if (s->rule[r].gen != s->gen) {
                s->rule[r].gen = s->rule[r].tgen = s->gen;
                s->cand[s->n_cand++] = r;
            }
        }
}

/* Whether the result lists the hits of every rule with a hit, not only
 * of the rules that fired. explain's trace wants them all. */
static int all_hits(const struct triage_scratch *s)
{
    return !s->fired_hits_only || s->trace_on;
}

/* Candidate rules, in rule order: those with a hit on one of their
 * patterns (or, keeping only fired rules' hits, a trigger hit), plus the
 * few that can fire with none. */
void tri_candidates(struct triage_scratch *s)
{
    const struct triage_ruleset *rs = s->rs;
    size_t i;
    uint32_t j;

    s->n_cand = 0;
    if (all_hits(s))
        with_a_hit(s);
    else
        triggered_only(s);
    for (j = 0; j < rs->n_zero_hit; j++) {
        uint32_t r = rs->zero_hit_rules[j];

        s->rule[r].tgen = s->gen;   /* needs no trigger */
        if (s->rule[r].gen != s->gen) {
            s->rule[r].gen = s->gen;
            s->cand[s->n_cand++] = r;
        }
    }
    if (s->n_cand > 32)
        order_by_bits(s);
    else    /* the usual handful: insertion sort */
        for (i = 1; i < s->n_cand; i++) {
            uint32_t v = s->cand[i];

            for (j = (uint32_t)i; j > 0 && s->cand[j - 1] > v; j--)
                s->cand[j] = s->cand[j - 1];
            s->cand[j] = v;
        }
}
/* Whether (rule, hit) pairs of 'rule' go in the result. */
static int recorded(const struct triage_scratch *s, uint32_t rule, int all)
{
    return all || s->fired[rule];
}

/*
 * Every candidate rule's hits (for the result and explain), or only the
 * fired rules' (triage_scratch_set_hits), grouped by rule in candidate
 * order and by hit within a rule: a counting sort over the hits'
 * pattern-to-rule references, so the cost follows the hits.
 */
triage_status tri_record_hits(struct triage_scratch *s)
{
    const struct tri_table *t = &s->rs->t;
    size_t i, total = 0;
    uint32_t j;
    int all = all_hits(s);

    for (i = 0; i < s->n_cand; i++)
        s->rule[s->cand[i]].nhits = 0;
    for (i = 0; i < s->n_hits; i++) {
        const struct tri_pattern *p = &t->patterns[s->hits[i].pattern];

        for (j = 0; j < p->rules_count; j++)
            if (recorded(s, t->rule_refs[p->rules_first + j], all))
                s->rule[t->rule_refs[p->rules_first + j]].nhits++;
    }
    for (i = 0; i < s->n_cand; i++) {       /* counts -> group starts */
        uint32_t c = s->rule[s->cand[i]].nhits;

        s->rule[s->cand[i]].nhits = (uint32_t)total;
        total += c;
    }
    if (tri_grow((void **)&s->rhits, &s->rhits_cap, total + 1, sizeof *s->rhits) != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    for (i = 0; i < s->n_hits; i++) {
        const struct tri_pattern *p = &t->patterns[s->hits[i].pattern];

        for (j = 0; j < p->rules_count; j++) {
            uint32_t rule = t->rule_refs[p->rules_first + j];
            struct tri_rhit *rh;

            if (!recorded(s, rule, all))
                continue;
            rh = &s->rhits[s->rule[rule].nhits++];
            rh->rule = rule;
            rh->hit = (uint32_t)i;
            rh->counted = (uint32_t)(s->fired[rule] &&
                                     tri_hit_counted(t, &t->rules[rule], &s->hits[i]));
        }
    }
    /* index_rules lists a rule once per pattern, however often the rule
     * uses it, so each (rule, hit) pair is here once. */
    s->n_rhits = total;
    return TRIAGE_OK;
}
