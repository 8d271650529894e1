/*
 * rule_triggers.c - for each rule, a few patterns one of which must hit
 * for its condition to hold: its triggers. A rule is a candidate when any
 * of its patterns hits (its hits are reported either way), but it is
 * evaluated only when a trigger hit too (score.c), since otherwise it
 * cannot fire. On the shipped rules that leaves about a quarter of the
 * candidates to evaluate.
 *
 * A condition holds only if each of its 'any' and 'regex' parts has an
 * item that holds, and every item of its 'all' part holds. So a leaf needs
 * its pattern; an 'any' or 'regex' part needs one of its items' needs; an
 * 'all' part needs the need of any one item, and the condition takes the
 * cheapest of its parts. 'none' parts need nothing. A pattern costs one
 * plus the number of rules using it: a word many rules share is a common
 * word, and a poor trigger. A condition with no such need can hold with
 * no hit at all (only 'none' parts): its rule is a zero-hit rule.
 */
#include "internal.h"

#define NO_NEED UINT64_MAX   /* the condition can hold with no hit */

/* The cost of part k's option at node nd, given the costs of nodes
 * before it; NO_NEED when the part does not require a hit. */
static uint64_t part_cost(const struct tri_table *t, const uint64_t *cost,
                          uint32_t node, uint32_t k)
{
    const struct tri_node *nd = &t->nodes[node];
    uint64_t sum = 0, best = NO_NEED, c;
    uint32_t i;

    if (nd->count[k] == 0 || k == TRI_PART_NONE)
        return NO_NEED;
    for (i = 0; i < nd->count[k]; i++) {
        uint32_t kid = t->node_kids[nd->first[k] + i];

        c = kid < node ? cost[kid] : NO_NEED;   /* kids come first */
        if (k == TRI_PART_ALL) {
            best = c < best ? c : best;
        } else {
            if (c == NO_NEED)
                return NO_NEED;   /* that item holds without a hit */
            sum = sum + c < sum || sum + c == NO_NEED ? NO_NEED - 1 : sum + c;
        }
    }
    return k == TRI_PART_ALL ? best : sum;
}

/* Every node's cheapest need, in node order (kids before parents). */
static void node_costs(const struct tri_table *t, uint64_t *cost)
{
    uint32_t i, k;

    for (i = 0; i < t->n_nodes; i++) {
        const struct tri_node *nd = &t->nodes[i];

        if (nd->kind == TRI_NODE_LEAF) {
            cost[i] = 1 + (uint64_t)t->patterns[nd->pattern].rules_count;
            continue;
        }
        cost[i] = NO_NEED;
        for (k = 0; k < TRI_PART_COUNT; k++) {
            uint64_t c = part_cost(t, cost, i, k);

            cost[i] = c < cost[i] ? c : cost[i];
        }
    }
}

struct emit {
    const struct tri_table *t;
    const uint64_t *cost;
    uint32_t rule;
    uint32_t *seen;      /* per pattern: rule + 1 once listed for it */
    uint32_t *count;     /* per pattern: its rules (first pass)       */
    uint32_t *fill;      /* per pattern: next free slot (second pass) */
    uint32_t *rules;     /* NULL in the first pass                   */
};

/* The patterns of node's cheapest need, each once per rule. */
static void emit(struct emit *e, uint32_t node)
{
    const struct tri_table *t = e->t;
    const struct tri_node *nd = &t->nodes[node];
    uint32_t k, i;

    if (nd->kind == TRI_NODE_LEAF) {
        if (e->seen[nd->pattern] == e->rule + 1)
            return;
        e->seen[nd->pattern] = e->rule + 1;
        if (e->rules == NULL)
            e->count[nd->pattern]++;
        else
            e->rules[e->fill[nd->pattern]++] = e->rule;
        return;
    }
    for (k = 0; k < TRI_PART_COUNT; k++) {
        if (part_cost(t, e->cost, node, k) != e->cost[node])
            continue;
        for (i = 0; i < nd->count[k]; i++) {
            uint32_t kid = t->node_kids[nd->first[k] + i];

            if (k != TRI_PART_ALL) {
                emit(e, kid);
            } else if (kid < node && e->cost[kid] == e->cost[node]) {
                emit(e, kid);
                break;
            }
        }
        return;
    }
}

/* Both passes over the rules: count, then fill. A rule whose condition
 * needs no hit has no triggers: it is listed in rs->zero_hit_rules and
 * evaluated on every text. */
static void emit_all(struct triage_ruleset *rs, struct emit *e)
{
    struct tri_table *t = &rs->t;

    memset(e->seen, 0, ((size_t)t->n_patterns + 1) * sizeof *e->seen);
    rs->n_zero_hit = 0;
    for (e->rule = 0; e->rule < t->n_rules; e->rule++) {
        uint32_t root = t->rules[e->rule].root;

        t->rules[e->rule].zero_hit = e->cost[root] == NO_NEED;
        if (t->rules[e->rule].zero_hit)
            rs->zero_hit_rules[rs->n_zero_hit++] = e->rule;
        else
            emit(e, root);
    }
}

triage_status tri_index_triggers(struct triage_ruleset *rs)
{
    struct tri_table *t = &rs->t;
    struct emit e = { t, NULL, 0, NULL, NULL, NULL, NULL };
    uint64_t *cost = tri_malloc(((size_t)t->n_nodes + 1) * sizeof *cost);
    uint32_t i, total = 0;
    triage_status st = TRIAGE_ENOMEM;

    e.cost = cost;
    e.seen = tri_malloc(((size_t)t->n_patterns + 1) * sizeof *e.seen);
    e.count = tri_calloc((size_t)t->n_patterns + 1, sizeof *e.count);
    rs->trig_first = tri_malloc(((size_t)t->n_patterns + 1) * sizeof *rs->trig_first);
    rs->zero_hit_rules = tri_malloc(((size_t)t->n_rules + 1) * sizeof *rs->zero_hit_rules);
    if (cost == NULL || e.seen == NULL || e.count == NULL || rs->trig_first == NULL ||
        rs->zero_hit_rules == NULL)
        goto done;
    node_costs(t, cost);
    emit_all(rs, &e);
    for (i = 0; i < t->n_patterns; i++) {   /* counts -> starts */
        rs->trig_first[i] = total;
        total += e.count[i];
    }
    rs->trig_first[t->n_patterns] = total;
    rs->trig_rules = tri_malloc(((size_t)total + 1) * sizeof *rs->trig_rules);
    if (rs->trig_rules == NULL)
        goto done;
    e.fill = e.count;   /* reused: each pattern's next free slot */
    for (i = 0; i < t->n_patterns; i++)
        e.fill[i] = rs->trig_first[i];
    e.rules = rs->trig_rules;
    emit_all(rs, &e);
    st = TRIAGE_OK;
done:
    tri_free(cost);
    tri_free(e.seen);
    tri_free(e.count);
    return st;
}
