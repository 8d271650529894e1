/*
 * score.c - rule conditions over the marked hits. Only rules that have a
 * hit (or can fire without one) are evaluated, so the cost follows the
 * hits, not the number of rules.
 */
#include <stdio.h>
#include <string.h>
#include "internal.h"

#define WITHIN_SPANS 64      /* hits per part considered by 'within'   */
#define WITHIN_COMBOS 4096   /* choices tried before giving up         */

static int mode_ok(uint32_t mode, int flagged)
{
    return mode == TRI_MODE_INCLUDE || (mode == TRI_MODE_ONLY) == flagged;
}

const char *const tri_mode_names[3] = { "exclude", "include", "only" };
const char *const tri_mode_flag_names[3] = { "negated", "hypothetical", "question" };

int tri_mode_from_name(const char *name)
{
    int m;

    for (m = 0; m < 3; m++)
        if (strcmp(name, tri_mode_names[m]) == 0)
            return m;
    return -1;
}

uint32_t tri_rule_modes(const struct tri_rule *r)
{
    return TRI_MODE_BITS(TRI_MF_NEG, r->negated) |
           TRI_MODE_BITS(TRI_MF_HYPO, r->hypothetical) |
           TRI_MODE_BITS(TRI_MF_QUESTION, r->question);
}

int tri_hit_ok(uint32_t m, const struct tri_hit *h)
{
    return mode_ok(TRI_MODE_GET(m, TRI_MF_NEG), (h->flags & TRI_HIT_NEG) != 0) &&
           mode_ok(TRI_MODE_GET(m, TRI_MF_HYPO), (h->flags & TRI_HIT_HYPO) != 0) &&
           mode_ok(TRI_MODE_GET(m, TRI_MF_QUESTION), (h->flags & TRI_HIT_QUESTION) != 0);
}

static int counted_under(const struct tri_table *t, uint32_t node, uint32_t m,
                         const struct tri_hit *h)
{
    const struct tri_node *nd = &t->nodes[node];
    uint32_t k, i;

    if (nd->kind == TRI_NODE_LEAF)
        return nd->pattern == h->pattern && tri_hit_ok(m, h);
    m = tri_modes_apply(m, nd->modes);
    for (k = 0; k < TRI_PART_COUNT; k++)
        for (i = 0; k != TRI_PART_NONE && i < nd->count[k]; i++)
            if (counted_under(t, t->node_kids[nd->first[k] + i], m, h))
                return 1;
    return 0;
}

int tri_hit_counted(const struct tri_table *t, const struct tri_rule *r,
                    const struct tri_hit *h)
{
    if (!r->own_modes)   /* the usual rule: one set of modes throughout */
        return tri_hit_ok(tri_rule_modes(r), h);
    return counted_under(t, r->root, tri_rule_modes(r), h);
}

/* 'm': the packed modes in force (internal.h), the rule's unless a
 * condition on the way down set its own. */
static int leaf_ok(const struct triage_scratch *s, uint32_t m, uint32_t pat)
{
    uint32_t i;

    if (s->pat[pat].gen != s->gen)
        return 0;
    for (i = 0; i < s->pat[pat].count; i++)
        if (tri_hit_ok(m, &s->hits[s->byp[s->pat[pat].first + i]]))
            return 1;
    return 0;
}

/*
 * The next pattern among a part's leaves that has hits in this text;
 * TRI_NONE at the end. *cursor starts at TRI_NONE. The part's hit leaves
 * were linked by link_slots, so a long keyword list costs its hits, not
 * its length.
 */
static uint32_t next_hit_leaf(const struct triage_scratch *s,
                              const struct tri_part_index *pi, uint32_t *cursor)
{
    uint32_t at;

    if (*cursor == TRI_NONE - 1)
        return TRI_NONE;
    if (*cursor == TRI_NONE) {
        if (pi->slot == TRI_NONE || s->slot[pi->slot].gen != s->gen)
            return TRI_NONE;
        at = s->slot[pi->slot].head;
    } else {
        at = s->slot_links[*cursor].next;
    }
    *cursor = at;
    if (at == TRI_NONE) {
        *cursor = TRI_NONE - 1;   /* exhausted: stays at the end */
        return TRI_NONE;
    }
    return s->slot_links[at].pattern;
}

static const struct tri_part_index *part_index(const struct triage_scratch *s,
                                               const struct tri_node *nd, int k)
{
    return &s->rs->parts[(size_t)(nd - s->rs->t.nodes) * TRI_PART_COUNT + (size_t)k];
}

static triage_status leaf_positions(struct triage_scratch *s, uint32_t m,
                                    uint32_t pat, size_t base, size_t *n)
{
    uint32_t i;

    if (s->pat[pat].gen != s->gen)
        return TRIAGE_OK;
    for (i = 0; i < s->pat[pat].count && *n - base < 2 * WITHIN_SPANS; i++) {
        const struct tri_hit *h = &s->hits[s->byp[s->pat[pat].first + i]];

        if (!tri_hit_ok(m, h))
            continue;
        if (tri_grow((void **)&s->pos, &s->pos_cap, *n + 2, sizeof *s->pos) != TRIAGE_OK)
            return TRIAGE_ENOMEM;
        s->pos[(*n)++] = h->start;
        s->pos[(*n)++] = h->end;
    }
    return TRIAGE_OK;
}

/* Append eligible hits under 'node' (positive parts only) to s->pos as
 * start,end pairs, at most WITHIN_SPANS of them past 'base'. */
static triage_status positions(struct triage_scratch *s, uint32_t m,
                               uint32_t node, size_t base, size_t *n)
{
    const struct tri_table *t = &s->rs->t;
    const struct tri_node *nd = &t->nodes[node];
    uint32_t i, k;
    triage_status st = TRIAGE_OK;

    if (nd->kind == TRI_NODE_COND) {
        m = tri_modes_apply(m, nd->modes);
        for (k = 0; k < TRI_PART_COUNT && st == TRIAGE_OK; k++) {
            const struct tri_part_index *pi = part_index(s, nd, (int)k);
            uint32_t cur = TRI_NONE, p;

            if (k == TRI_PART_NONE)
                continue;
            while (st == TRIAGE_OK && (p = next_hit_leaf(s, pi, &cur)) != TRI_NONE)
                st = leaf_positions(s, m, p, base, n);
            for (i = 0; i < pi->n_others && st == TRIAGE_OK; i++)
                st = positions(s, m, s->rs->part_items[pi->others_first + i], base, n);
        }
        return st;
    }
    return leaf_positions(s, m, nd->pattern, base, n);
}

struct within_search {
    const struct triage_scratch *s;
    size_t first[8], count[8];  /* span runs of each part in s->pos      */
    uint32_t pick[8];
    unsigned parts, tried;
    uint32_t best;              /* smallest largest-gap found            */
};

/* Largest gap between the picked spans, sorted by start. */
static uint32_t pick_gap(const struct within_search *w)
{
    uint32_t st[8], en[8], gap = 0, reach;
    unsigned i, j;

    for (i = 0; i < w->parts; i++) {
        uint32_t a = w->s->pos[w->first[i] + 2 * w->pick[i]];
        uint32_t b = w->s->pos[w->first[i] + 2 * w->pick[i] + 1];

        for (j = i; j > 0 && st[j - 1] > a; j--) {
            st[j] = st[j - 1];
            en[j] = en[j - 1];
        }
        st[j] = a;
        en[j] = b;
    }
    reach = en[0];
    for (i = 1; i < w->parts; i++) {
        uint32_t g = tri_cp_between(w->s, reach, st[i]);

        if (g > gap)
            gap = g;
        if (en[i] > reach)
            reach = en[i];
    }
    return gap;
}

static void within_try(struct within_search *w, unsigned part)
{
    uint32_t i;

    if (part == w->parts) {
        uint32_t g = pick_gap(w);

        if (g < w->best)
            w->best = g;
        w->tried++;
        return;
    }
    for (i = 0; i < w->count[part] && w->tried < WITHIN_COMBOS && w->best > 0; i++) {
        w->pick[part] = i;
        within_try(w, part + 1);
    }
}

/* Smallest largest-gap over choices of one hit per 'all' part; 'm' holds
 * the modes of nd itself. */
static triage_status within_gap(struct triage_scratch *s, uint32_t m,
                                const struct tri_node *nd, uint32_t *best)
{
    struct within_search w;
    size_t n = 0;
    unsigned i;
    triage_status st = TRIAGE_OK;

    memset(&w, 0, sizeof w);
    w.s = s;
    w.parts = nd->count[TRI_PART_ALL];
    w.best = UINT32_MAX;
    for (i = 0; i < w.parts && st == TRIAGE_OK; i++) {
        w.first[i] = n;
        st = positions(s, m, s->rs->t.node_kids[nd->first[TRI_PART_ALL] + i], n, &n);
        w.count[i] = (n - w.first[i]) / 2;
    }
    if (st == TRIAGE_OK)
        within_try(&w, 0);
    *best = w.best;
    return st;
}

static int eval(struct triage_scratch *s, const struct tri_rule *r, uint32_t node,
                int depth, uint32_t m);

/* explain: a leaf that holds inside condition 'node', which holds, so a
 * veto by a nested condition or a list still names its word. */
static uint32_t held_leaf(const struct triage_scratch *s, uint32_t node, uint32_t m)
{
    const struct tri_node *nd = &s->rs->t.nodes[node];
    uint32_t k, i, p, cur;

    if (nd->kind == TRI_NODE_LEAF)
        return leaf_ok(s, m, nd->pattern) ? nd->pattern : TRI_NONE;
    m = tri_modes_apply(m, nd->modes);
    for (k = 0; k < TRI_PART_COUNT; k++) {
        const struct tri_part_index *pi = part_index(s, nd, (int)k);

        if (k == TRI_PART_NONE)
            continue;
        cur = TRI_NONE;
        while ((p = next_hit_leaf(s, pi, &cur)) != TRI_NONE)
            if (leaf_ok(s, m, p))
                return p;
        for (i = 0; i < pi->n_others; i++)
            if ((p = held_leaf(s, s->rs->part_items[pi->others_first + i], m)) != TRI_NONE)
                return p;
    }
    return TRI_NONE;
}

/* Whether any item of part k holds: its hit leaves first (1), then nested
 * conditions (2). *leaf gets the pattern of the leaf that held; for a
 * nested condition, when tracing, one of its leaves and in *held the
 * condition (explain names them). */
static int part_any(struct triage_scratch *s, const struct tri_rule *r,
                    const struct tri_node *nd, int k, int depth, uint32_t m,
                    uint32_t *leaf, uint32_t *held)
{
    const struct tri_part_index *pi = part_index(s, nd, k);
    uint32_t cur = TRI_NONE, p, i;

    *leaf = TRI_NONE;
    while ((p = next_hit_leaf(s, pi, &cur)) != TRI_NONE)
        if (leaf_ok(s, m, p)) {
            *leaf = p;
            return 1;
        }
    for (i = 0; i < pi->n_others; i++)
        if (eval(s, r, s->rs->part_items[pi->others_first + i], depth + 1, m)) {
            *held = s->rs->part_items[pi->others_first + i];
            if (s->trace_on)
                *leaf = held_leaf(s, *held, m);
            return 2;
        }
    return 0;
}

/* explain: the item of a 'none' part that vetoed the rule, so the author
 * sees the word (a keyword or a regex) or that a nested condition, such
 * as a named list, held. */
static void trace_none(struct triage_scratch *s, const struct tri_rule *r,
                       uint32_t leaf, uint32_t held, int depth)
{
    const struct tri_table *t = &s->rs->t;
    const struct tri_pattern *pt;
    uint32_t list = held == TRI_NONE ? TRI_NONE : t->nodes[held].list;
    const char *what = held == TRI_NONE ? "" : list != TRI_NONE ? "list '" : "a nested condition holds";
    const char *name = list != TRI_NONE ? tri_str(t, list) : "";
    const char *tail = list != TRI_NONE ? "' holds" : "";
    unsigned n;

    if (leaf == TRI_NONE) {
        tri_trace(s, TRIAGE_TRACE_PART, tri_str(t, r->id), 0, depth,
                  "an item of 'none' is present: %s%s%s", what, name, tail);
        return;
    }
    pt = &t->patterns[leaf];
    n = pt->src_len > 60 ? 60 : pt->src_len;
    tri_trace(s, TRIAGE_TRACE_PART, tri_str(t, r->id), 0, depth,
              "an item of 'none' is present: %s%s%s%s%s \"%.*s%s\"", what, name,
              tail, held != TRI_NONE ? ": " : "",
              pt->kind == TRI_PAT_REGEX ? "regex" : "keyword", (int)n,
              tri_str(t, pt->src), n < pt->src_len ? "..." : "");
}

/* explain: a part of 'all' that failed, with the modes it set itself
 * ("negated: only"), since those decide which of its hits count. */
static void trace_all_part(struct triage_scratch *s, const struct tri_rule *r,
                           uint32_t kid, uint32_t i, int depth)
{
    const struct tri_node *nd = &s->rs->t.nodes[kid];
    struct tri_buf own = { 0 };
    uint32_t f;

    if (nd->kind == TRI_NODE_COND && nd->list != TRI_NONE)
        tri_buf_printf(&own, " (list '%s'", tri_str(&s->rs->t, nd->list));
    for (f = 0; nd->kind == TRI_NODE_COND && f < 3; f++)
        if (nd->modes & TRI_MODE_SET(f))
            tri_buf_printf(&own, "%s%s: %s", own.len ? ", " : " (",
                           tri_mode_flag_names[f],
                           tri_mode_names[TRI_MODE_GET(nd->modes, f)]);
    if (own.len)
        tri_buf_addc(&own, ')');
    tri_trace(s, TRIAGE_TRACE_PART, tri_str(&s->rs->t, r->id), 0, depth,
              "part %u of 'all'%s has no counted hit", i + 1,
              own.data && !own.failed ? own.data : "");
    tri_buf_free(&own);
}

static int part_true(struct triage_scratch *s, const struct tri_rule *r,
                     const struct tri_node *nd, int k, int depth, uint32_t m)
{
    uint32_t i, leaf, held;

    if (k == TRI_PART_ANY || k == TRI_PART_REGEX)
        return part_any(s, r, nd, k, depth, m, &leaf, &held);
    if (k == TRI_PART_NONE) {
        held = TRI_NONE;
        if (!part_any(s, r, nd, k, depth, m, &leaf, &held))
            return 1;
        if (s->trace_on)
            trace_none(s, r, leaf, held, depth);
        return 0;
    }
    for (i = 0; i < nd->count[k]; i++) {
        uint32_t kid = s->rs->t.node_kids[nd->first[k] + i];

        if (!eval(s, r, kid, depth + 1, m)) {
            if (s->trace_on)
                trace_all_part(s, r, kid, i, depth);
            return 0;
        }
    }
    return 1;
}

static int eval(struct triage_scratch *s, const struct tri_rule *r, uint32_t node,
                int depth, uint32_t m)
{
    const struct tri_node *nd = &s->rs->t.nodes[node];
    uint32_t best, within;
    int k;

    if (nd->kind == TRI_NODE_LEAF)
        return leaf_ok(s, m, nd->pattern);
    m = tri_modes_apply(m, nd->modes);
    for (k = 0; k < TRI_PART_COUNT; k++)
        if (nd->count[k] > 0 && !part_true(s, r, nd, k, depth, m))
            return 0;
    within = nd->within[s->result.lang];
    if (within == TRI_NONE)
        return 1;
    if (within_gap(s, m, nd, &best) != TRIAGE_OK) {
        s->oom = 1;   /* not "did not fire": tri_rules_eval fails the call */
        return 0;
    }
    tri_trace(s, TRIAGE_TRACE_WITHIN, tri_str(&s->rs->t, r->id), best <= within,
              depth, best == UINT32_MAX ? "within %u (%s): no pair of parts found"
              : "within %u (%s): closest parts are %u code points apart", within,
              tri_lang_names[s->result.lang], best);
    return best <= within;
}

triage_status tri_rules_eval(struct triage_scratch *s)
{
    const struct tri_table *t = &s->rs->t;
    triage_status st = tri_index_hits(s);
    size_t i;

    for (i = 0; i < s->n_fired; i++)   /* so fired[] needs no stamp check */
        s->fired[s->fired_list[i]] = 0;
    s->n_fired = s->n_rhits = s->n_evals = 0;
    if (st != TRIAGE_OK)
        return st;
    tri_candidates(s);
    for (i = 0; i < s->n_cand && st == TRIAGE_OK; i++) {
        uint32_t rule = s->cand[i];
        const struct tri_rule *r = &t->rules[rule];
        double t0;
        int fired;

        /* No trigger hit: it cannot fire. explain still tries it, to
         * say which part failed. */
        if (s->rule[rule].tgen != s->gen && !s->trace_on)
            continue;
        t0 = s->prof ? tri_now() : 0;
        fired = eval(s, r, r->root, 1, tri_rule_modes(r));
        s->n_evals++;

        if (s->prof) {
            struct tri_rule_prof *p = &s->prof->rules[rule];

            p->eval_s += tri_profile_since(s->prof, t0);
            p->evals++;
            p->fired += (unsigned)fired;
        }
        if (s->oom)
            return TRIAGE_ENOMEM;
        if (fired) {
            s->fired[rule] = 1;
            s->fired_list[s->n_fired++] = rule;
        }
        tri_trace(s, TRIAGE_TRACE_RULE, tri_str(t, r->id), fired, 0,
                  fired ? "fired" : "did not fire");
    }
    return st == TRIAGE_OK ? tri_record_hits(s) : st;
}
