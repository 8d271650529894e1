/*
 * decide.c - from fired rules to the answer: votes per type, nature and
 * temperament, the highest severity, the language, then the escalation
 * table (first matching row wins) and one reply script per group.
 */
#include <string.h>
#include "internal.h"

/* Set a tag once per text. */
static void add_tag(struct triage_scratch *s, uint32_t tag)
{
    if (s->tag_gen[tag] != s->gen) {
        s->tag_gen[tag] = s->gen;
        s->tags[s->n_tags++] = tag;
    }
}

static const struct tri_vocab_entry *ventry(const struct tri_table *t,
                                            triage_axis a, uint32_t i)
{
    return &t->vocab[t->vocab_first[a] + i];
}

/* Best score of an axis (ties: earlier vocabulary value); NONE if none > 0. */
static uint32_t top_of(const double *sc, uint32_t n, uint32_t skip, double *best)
{
    uint32_t i, top = TRI_NONE;

    *best = 0;
    for (i = 0; i < n; i++)
        if (i != skip && sc[i] > *best) {
            *best = sc[i];
            top = i;
        }
    return top;
}

static void vote(struct triage_scratch *s)
{
    const struct tri_table *t = &s->rs->t;
    struct triage_result *res = &s->result;
    size_t i;
    int a;

    for (a = 0; a < TRIAGE_AXIS_COUNT; a++)
        if (s->scores[a] != NULL)
            memset(s->scores[a], 0, t->vocab_count[a] * sizeof(double));
    res->severity = TRI_NONE;
    s->n_tags = 0;
    for (i = 0; i < s->n_fired; i++) {
        const struct tri_rule *r = &t->rules[s->fired_list[i]];
        uint32_t k;

        if (r->type != TRI_NONE)
            s->scores[TRIAGE_AXIS_TYPE][r->type] += r->weight;
        if (r->nature != TRI_NONE)
            s->scores[TRIAGE_AXIS_NATURE][r->nature] += r->weight;
        if (r->temperament != TRI_NONE)
            s->scores[TRIAGE_AXIS_TEMPERAMENT][r->temperament] += r->weight;
        if (r->severity != TRI_NONE &&
            (res->severity == TRI_NONE || r->severity > res->severity))
            res->severity = r->severity;
        for (k = 0; k < r->tags_count; k++)
            add_tag(s, t->u32s[r->tags_first + k]);
    }
}

/* A severity model only raises: its likeliest class, when sure enough
 * and above what the rules found (vocabulary order is rank order). */
static void raise_severity(struct triage_scratch *s, const struct tri_bayes *m,
                           const double *p, const uint32_t *cls)
{
    uint32_t best = tri_bayes_top(p, m->n_classes, TRI_NONE);

    if (p[best] < m->raise ||
        (s->result.severity != TRI_NONE && cls[best] <= s->result.severity))
        return;
    s->result.severity = cls[best];
    tri_trace(s, TRIAGE_TRACE_BAYES, tri_str(&s->rs->t, m->id), 1, 0,
              "raises severity to %s (posterior %.2f >= %.2f)",
              tri_vocab_str(s->rs, TRIAGE_AXIS_SEVERITY, cls[best]), p[best], m->raise);
}

/*
 * Each Bayes model adds its posterior to its axis, scaled to the rules'
 * vote total there (at least the model's base): with weight w a sure
 * posterior counts for w times what all rules said. Type's rule-only
 * votes are kept: 'also' lists only problems a rule found.
 */
static void add_bayes(struct triage_scratch *s)
{
    const struct tri_table *t = &s->rs->t;
    uint32_t i, k;

    memcpy(s->rule_scores, s->scores[TRIAGE_AXIS_TYPE],
           t->vocab_count[TRIAGE_AXIS_TYPE] * sizeof(double));
    for (i = 0; i < t->n_bayes; i++) {
        const struct tri_bayes *m = &t->bayes[i];
        const double *p = s->bayes_p + s->rs->bayes_rt[i].p_first;
        const uint32_t *cls = t->u32s + m->classes_first;
        double *sc = s->scores[m->axis], total = 0;

        if (s->trace_on)
            tri_bayes_trace(s, i);
        if (m->axis == TRIAGE_AXIS_SEVERITY) {
            raise_severity(s, m, p, cls);
            continue;
        }
        for (k = 0; k < t->vocab_count[m->axis]; k++)
            total += sc[k] > 0 ? sc[k] : 0;
        if (total < m->base)
            total = m->base;
        for (k = 0; k < m->n_classes; k++)
            sc[cls[k]] += m->weight * total * p[k];
    }
}

/*
 * defaults.precedence, first entry that applies: a type leads over the
 * winner when the winner is one it is set over and its own score reaches
 * ratio x the winner's and min_score (LABELS' "health first": a reaction
 * told beside a dispensing error or a defect is the reaction's case). The
 * old winner becomes the runner-up, so the call is flagged close, and it
 * is returned for 'also'; TRI_NONE when no entry applies.
 */
static uint32_t apply_precedence(struct triage_scratch *s, const double *sc, double *top,
                                 double *second)
{
    const struct tri_defaults *d = &s->rs->t.defaults;
    uint32_t i, k;

    for (i = 0; i < d->n_precedence; i++) {
        const struct tri_precedence *p = &d->precedence[i];
        double need = p->ratio * *top;

        for (k = 0; k < p->n_over && p->over[k] != s->result.type; k++)
            ;
        if (k == p->n_over || p->type == s->result.type)
            continue;
        if (need < p->min_score)
            need = p->min_score;
        if (sc[p->type] <= 0 || sc[p->type] < need)
            continue;
        tri_trace(s, TRIAGE_TRACE_DECISION, NULL, 1, 0,
                  "precedence %u: %s (%.2f) leads over %s (%.2f): at least %.2f",
                  i + 1, tri_vocab_str(s->rs, TRIAGE_AXIS_TYPE, p->type), sc[p->type],
                  tri_vocab_str(s->rs, TRIAGE_AXIS_TYPE, s->result.type), *top, need);
        for (k = 0; k < p->n_tags; k++)
            add_tag(s, p->tags[k]);
        k = s->result.type;
        s->result.type = p->type;
        *second = *top;
        *top = sc[p->type];
        return k;
    }
    return TRI_NONE;
}

static void decide_type(struct triage_scratch *s)
{
    const struct tri_table *t = &s->rs->t;
    struct triage_result *res = &s->result;
    const double *sc = s->scores[TRIAGE_AXIS_TYPE], *rsc = s->rule_scores;
    uint32_t n = t->vocab_count[TRIAGE_AXIS_TYPE], i, j, led;
    double top, second, rtop;

    res->type = top_of(sc, n, TRI_NONE, &top);
    top_of(sc, n, res->type, &second);
    top_of(rsc, n, TRI_NONE, &rtop);
    res->n_also = 0;
    res->confidence = 0;
    if (res->type == TRI_NONE || top < t->defaults.min_score) {
        res->type = t->defaults.type;
        return;
    }
    led = apply_precedence(s, sc, &top, &second);
    res->confidence = top / (top + second + 1.0);
    if (second > 0 && second >= t->defaults.close_call * top)
        res->flags |= TRIAGE_FLAG_CLOSE_CALL;
    /* The type led over is the other problem of the case: listed first. */
    if (led != TRI_NONE)
        res->also[res->n_also++] = led;
    for (i = 0; i < n && res->n_also < 8; i++) {
        if (i == res->type || i == led || rsc[i] <= 0 ||
            rsc[i] < t->defaults.also_ratio * rtop || rsc[i] < t->defaults.min_score)
            continue;
        for (j = res->n_also; j > (led != TRI_NONE) && rsc[res->also[j - 1]] < rsc[i]; j--)
            res->also[j] = res->also[j - 1];
        res->also[j] = i;
        res->n_also++;
    }
}

/* Traditional when a sixth or more of the Han characters changed; English
 * when Latin letters outnumber Han four to one. Known before the rules run:
 * 'within' windows depend on it. */
uint32_t tri_text_lang(const struct tri_norm *n)
{
    if (n->han == 0 || n->latin > 4 * n->han)
        return n->han == 0 && n->latin == 0 ? TRI_LANG_HANS : TRI_LANG_EN;
    return n->han_trad >= 1 && n->han_trad * 6 >= n->han ? TRI_LANG_HANT : TRI_LANG_HANS;
}

static void decide_rest(struct triage_scratch *s)
{
    const struct tri_table *t = &s->rs->t;
    struct triage_result *res = &s->result;
    double best;

    res->nature = top_of(s->scores[TRIAGE_AXIS_NATURE],
                         t->vocab_count[TRIAGE_AXIS_NATURE], TRI_NONE, &best);
    if (res->nature == TRI_NONE)
        res->nature = t->defaults.nature;
    res->temperament = top_of(s->scores[TRIAGE_AXIS_TEMPERAMENT],
                              t->vocab_count[TRIAGE_AXIS_TEMPERAMENT], TRI_NONE, &best);
    if (res->temperament == TRI_NONE)
        res->temperament = t->defaults.temperament;
    if (res->severity == TRI_NONE)
        res->severity = t->defaults.severity;
}

static int in_list(const struct tri_table *t, const struct tri_when *w, int k,
                   uint32_t v)
{
    uint32_t i;

    for (i = 0; i < w->count[k]; i++)
        if (t->u32s[w->first[k] + i] == v)
            return 1;
    return 0;
}

static int cmp_holds(uint32_t op, double a, double b)
{
    switch (op) {
    case TRI_CMP_GE: return a >= b;
    case TRI_CMP_GT: return a > b;
    case TRI_CMP_LE: return a <= b;
    case TRI_CMP_LT: return a < b;
    case TRI_CMP_EQ: return a == b;
    default: return 1;
    }
}

static int any_type(const struct triage_scratch *s, const struct tri_when *w)
{
    const struct triage_result *res = &s->result;
    unsigned i;

    if (in_list(&s->rs->t, w, TRI_W_TYPE, res->type))
        return 1;
    for (i = 0; i < res->n_also; i++)
        if (in_list(&s->rs->t, w, TRI_W_TYPE, res->also[i]))
            return 1;
    return 0;
}

static int any_of(const struct triage_scratch *s, const struct tri_when *w, int k)
{
    uint32_t i;

    for (i = 0; i < w->count[k]; i++) {
        uint32_t v = s->rs->t.u32s[w->first[k] + i];

        if (k == TRI_W_TAGS && s->tag_gen[v] == s->gen)
            return 1;
        if (k == TRI_W_RULES && v < s->rs->t.n_rules && s->fired[v])
            return 1;
    }
    return 0;
}

int tri_when_holds(const struct triage_scratch *s, const struct tri_when *w)
{
    const struct tri_table *t = &s->rs->t;
    const struct triage_result *res = &s->result;
    double score = res->type == TRI_NONE ? 0 : s->scores[TRIAGE_AXIS_TYPE][res->type];

    if (w->count[TRI_W_TYPE] && !any_type(s, w))
        return 0;
    if (w->count[TRI_W_PRIMARY] && !in_list(t, w, TRI_W_PRIMARY, res->type))
        return 0;
    if (w->count[TRI_W_SEVERITY] && !in_list(t, w, TRI_W_SEVERITY, res->severity))
        return 0;
    if (w->sev_op != TRI_CMP_NONE && !cmp_holds(w->sev_op, res->severity, w->sev_val))
        return 0;
    if (w->count[TRI_W_NATURE] && !in_list(t, w, TRI_W_NATURE, res->nature))
        return 0;
    if (w->count[TRI_W_TEMPERAMENT] && !in_list(t, w, TRI_W_TEMPERAMENT, res->temperament))
        return 0;
    if (w->count[TRI_W_TAGS] && !any_of(s, w, TRI_W_TAGS))
        return 0;
    if (w->count[TRI_W_RULES] && !any_of(s, w, TRI_W_RULES))
        return 0;
    if (w->count[TRI_W_LEVEL] && !in_list(t, w, TRI_W_LEVEL, res->level))
        return 0;
    return cmp_holds(w->score_op, score, w->score_val);
}

static void escalate(struct triage_scratch *s)
{
    const struct tri_table *t = &s->rs->t;
    struct triage_result *res = &s->result;
    uint32_t i, row = TRI_NONE, dflt = 0;
    const struct tri_vocab_entry *lv;

    for (i = 0; i < t->n_esc && row == TRI_NONE; i++) {
        int ok;

        if (t->esc[i].is_default) {
            dflt = i;
            continue;
        }
        ok = tri_when_holds(s, &t->esc[i].when);
        tri_trace(s, TRIAGE_TRACE_ESCALATION, tri_str(t, t->esc[i].id), ok, 0,
                  ok ? "row matched" : "row does not match");
        if (ok)
            row = i;
    }
    if (row == TRI_NONE) {
        for (; i < t->n_esc; i++)
            if (t->esc[i].is_default)
                dflt = i;
        row = dflt;
        tri_trace(s, TRIAGE_TRACE_ESCALATION, tri_str(t, t->esc[row].id), 1, 0,
                  "default row");
    }
    res->esc_row = row;
    res->level = t->esc[row].level;
    lv = ventry(t, TRIAGE_AXIS_LEVEL, res->level);
    res->team = tri_str(t, t->esc[row].team != TRI_NONE ? t->esc[row].team : lv->team);
    res->hours = t->esc[row].hours >= 0 ? t->esc[row].hours : lv->hours;
}

static void choose_scripts(struct triage_scratch *s)
{
    const struct tri_table *t = &s->rs->t;
    uint32_t i;
    size_t k;

    s->n_scripts = 0;
    for (i = 0; i < t->n_scripts; i++) {
        const struct tri_script *sc = &t->scripts[i];
        const char *group = tri_str(t, sc->group);

        if (sc->lang != TRI_LANG_ANY && sc->lang != s->result.lang)
            continue;
        for (k = 0; k < s->n_scripts; k++)
            if (strcmp(tri_str(t, t->scripts[s->scripts[k]].group), group) == 0)
                break;
        if (k < s->n_scripts || !tri_when_holds(s, &sc->when))
            continue;
        s->scripts[s->n_scripts++] = i;
        tri_trace(s, TRIAGE_TRACE_SCRIPT, tri_str(t, sc->id), 1, 0,
                  "first matching script of group '%s'", group);
    }
}

void tri_decide(struct triage_scratch *s)
{
    vote(s);
    add_bayes(s);
    decide_type(s);
    decide_rest(s);
    if (s->n_fired == 0)
        s->result.flags |= TRIAGE_FLAG_NO_MATCH;
    escalate(s);
    choose_scripts(s);
}
