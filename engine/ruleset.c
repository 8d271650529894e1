/*
 * ruleset.c - lifetime and read-only introspection of a compiled rule set.
 */
#include <string.h>
#include <sys/mman.h>
#include "internal.h"

void tri_table_free(struct tri_table *t)
{
    tri_buf_free(&t->pool);
    tri_free(t->patterns);
    tri_free(t->nodes);
    tri_free(t->node_kids);
    tri_free(t->rules);
    tri_free(t->rule_refs);
    tri_free(t->u32s);
    tri_free(t->esc);
    tri_free(t->scripts);
    tri_free(t->vocab);
    tri_free(t->checks);
    tri_free(t->bayes);
    memset(t, 0, sizeof *t);
}

void triage_ruleset_destroy(triage_ruleset *rs)
{
    uint32_t i;

    if (rs == NULL)
        return;
    if (rs->re != NULL)
        for (i = 0; i < rs->t.n_patterns; i++)
            pcre2_code_free(rs->re[i]);
    if (rs->split != NULL)
        for (i = 0; i < rs->t.n_patterns; i++)
            tri_split_free(rs->split[i]);
    tri_free(rs->split);
    for (i = 0; rs->jit != NULL && i < rs->t.n_patterns; i++) {
        pcre2_code *c = atomic_load(&rs->jit[i]);

        if (c != TRI_NO_JIT)
            pcre2_code_free(c);
    }
    tri_free(rs->re);
    tri_free(rs->slow);
    tri_free(rs->jit);
    tri_free(rs->zero_hit_rules);
    tri_free(rs->trig_first);
    tri_free(rs->trig_rules);
    for (i = 0; i < TRI_DB_COUNT; i++) {
        if (rs->hs[i].map != NULL)
            munmap(rs->hs[i].map, rs->hs[i].map_len);
        else
            hs_free_database(rs->hs[i].db);
    }
    tri_free(rs->rx_pat);
    tri_buf_free(&rs->json);
    tri_free(rs->script_json);
    tri_free(rs->tag_json);
    tri_free(rs->rule_json);
    tri_free(rs->parts);
    tri_free(rs->part_items);
    tri_free(rs->pat_slots_first);
    tri_free(rs->pat_slots);
    tri_free(rs->pat_claims);
    tri_free(rs->vocab_json);
    tri_bayes_free(rs);
    tri_table_free(&rs->t);
    tri_free(rs);
}

triage_status triage_ruleset_get_info(const triage_ruleset *rs,
                                      triage_ruleset_info *info)
{
    if (rs == NULL || info == NULL)
        return TRIAGE_EINVAL;
    memset(info, 0, sizeof *info);
    info->name = tri_str(&rs->t, rs->t.name);
    info->version = tri_str(&rs->t, rs->t.version);
    info->hash = tri_str(&rs->t, rs->t.hash);
    info->rules = rs->t.n_rules;
    info->patterns = rs->t.n_patterns;
    info->slow_patterns = rs->n_slow;
    info->escalation_rows = rs->t.n_esc;
    info->scripts = rs->t.n_scripts;
    return TRIAGE_OK;
}

triage_status triage_ruleset_rebuilt(const triage_ruleset *rs)
{
    return rs == NULL ? TRIAGE_EINVAL : rs->rebuilt;
}

unsigned triage_vocab_count(const triage_ruleset *rs, triage_axis a)
{
    if (rs == NULL || (unsigned)a >= TRIAGE_AXIS_COUNT)
        return 0;
    return rs->t.vocab_count[a];
}

const char *triage_vocab_name(const triage_ruleset *rs, triage_axis a, unsigned i)
{
    if (rs == NULL || (unsigned)a >= TRIAGE_AXIS_COUNT || i >= rs->t.vocab_count[a])
        return NULL;
    return tri_str(&rs->t, rs->t.vocab[rs->t.vocab_first[a] + i].name);
}

/* Name of a vocabulary value of axis a, NULL for TRI_NONE. */
const char *tri_vocab_str(const triage_ruleset *rs, triage_axis a, uint32_t i)
{
    return i == TRI_NONE ? NULL : triage_vocab_name(rs, a, i);
}

unsigned triage_rule_count(const triage_ruleset *rs)
{
    return rs ? rs->t.n_rules : 0;
}

triage_status triage_rule_get(const triage_ruleset *rs, unsigned i,
                              triage_rule_info *info)
{
    const struct tri_rule *r;

    if (rs == NULL || info == NULL || i >= rs->t.n_rules)
        return TRIAGE_EINVAL;
    r = &rs->t.rules[i];
    memset(info, 0, sizeof *info);
    info->id = tri_str(&rs->t, r->id);
    info->file = tri_str(&rs->t, r->file);
    info->line = r->line;
    info->column = r->column;
    info->type = tri_vocab_str(rs, TRIAGE_AXIS_TYPE, r->type);
    info->nature = tri_vocab_str(rs, TRIAGE_AXIS_NATURE, r->nature);
    info->severity = tri_vocab_str(rs, TRIAGE_AXIS_SEVERITY, r->severity);
    info->temperament = tri_vocab_str(rs, TRIAGE_AXIS_TEMPERAMENT, r->temperament);
    info->weight = r->weight;
    return TRIAGE_OK;
}

triage_status triage_rule_find(const triage_ruleset *rs, const char *id,
                               unsigned *index)
{
    uint32_t i;

    if (rs == NULL || id == NULL || index == NULL)
        return TRIAGE_EINVAL;
    for (i = 0; i < rs->t.n_rules; i++)
        if (strcmp(tri_str(&rs->t, rs->t.rules[i].id), id) == 0) {
            *index = i;
            return TRIAGE_OK;
        }
    return TRIAGE_ENOTFOUND;
}
