/*
 * result.c - result accessors and the JSON rendering of docs/result.md.
 */
#include <string.h>
#include "internal.h"

const char *const tri_lang_names[TRI_LANG_COUNT] = { "zh-Hans", "zh-Hant", "en", "any" };

#define VNAME(r, axis, idx) tri_vocab_str((r)->rs, (axis), (idx))

const char *triage_result_type(const triage_result *r)
{ return r ? VNAME(r, TRIAGE_AXIS_TYPE, r->type) : NULL; }
double triage_result_confidence(const triage_result *r)
{ return r ? r->confidence : 0; }
const char *triage_result_nature(const triage_result *r)
{ return r ? VNAME(r, TRIAGE_AXIS_NATURE, r->nature) : NULL; }
const char *triage_result_severity(const triage_result *r)
{ return r ? VNAME(r, TRIAGE_AXIS_SEVERITY, r->severity) : NULL; }
const char *triage_result_temperament(const triage_result *r)
{ return r ? VNAME(r, TRIAGE_AXIS_TEMPERAMENT, r->temperament) : NULL; }
const char *triage_result_lang(const triage_result *r)
{ return r ? tri_lang_names[r->lang] : NULL; }
const char *triage_result_level(const triage_result *r)
{ return r ? VNAME(r, TRIAGE_AXIS_LEVEL, r->level) : NULL; }
const char *triage_result_team(const triage_result *r)
{ return r ? r->team : NULL; }
double triage_result_hours(const triage_result *r)
{ return r ? r->hours : 0; }
unsigned triage_result_flags(const triage_result *r)
{ return r ? r->flags : 0; }
unsigned triage_result_also_count(const triage_result *r)
{ return r ? r->n_also : 0; }

const char *triage_result_also(const triage_result *r, unsigned i)
{
    return r && i < r->n_also ? VNAME(r, TRIAGE_AXIS_TYPE, r->also[i]) : NULL;
}

double triage_result_type_score(const triage_result *r, unsigned i)
{
    if (r == NULL || i >= r->rs->t.vocab_count[TRIAGE_AXIS_TYPE])
        return 0;
    return r->s->scores[TRIAGE_AXIS_TYPE][i];
}

unsigned triage_result_fired_count(const triage_result *r)
{ return r ? (unsigned)r->s->n_fired : 0; }

const char *triage_result_fired(const triage_result *r, unsigned i)
{
    if (r == NULL || i >= r->s->n_fired)
        return NULL;
    return tri_str(&r->rs->t, r->rs->t.rules[r->s->fired_list[i]].id);
}

unsigned triage_result_script_count(const triage_result *r)
{ return r ? (unsigned)r->s->n_scripts : 0; }

const char *triage_result_script_id(const triage_result *r, unsigned i)
{
    if (r == NULL || i >= r->s->n_scripts)
        return NULL;
    return tri_str(&r->rs->t, r->rs->t.scripts[r->s->scripts[i]].id);
}

const char *triage_result_script_text(const triage_result *r, unsigned i)
{
    if (r == NULL || i >= r->s->n_scripts)
        return NULL;
    return tri_str(&r->rs->t, r->rs->t.scripts[r->s->scripts[i]].text);
}

unsigned triage_result_tag_count(const triage_result *r)
{ return r ? (unsigned)r->s->n_tags : 0; }

const char *triage_result_tag(const triage_result *r, unsigned i)
{
    return r && i < r->s->n_tags ? VNAME(r, TRIAGE_AXIS_TAG, r->s->tags[i]) : NULL;
}

unsigned triage_result_hit_count(const triage_result *r)
{ return r ? (unsigned)r->s->n_rhits : 0; }

triage_status triage_result_hit(const triage_result *r, unsigned i, triage_hit *hit)
{
    const struct tri_rhit *rh;
    const struct tri_hit *h;

    if (r == NULL || hit == NULL || i >= r->s->n_rhits)
        return TRIAGE_EINVAL;
    rh = &r->s->rhits[i];
    h = &r->s->hits[rh->hit];
    hit->rule_id = tri_str(&r->rs->t, r->rs->t.rules[rh->rule].id);
    hit->start = tri_norm_orig(&r->s->norm, h->start);
    hit->end = tri_norm_orig_end(&r->s->norm, r->s->orig, r->s->orig_len,
                                 h->end);
    hit->negated = (h->flags & TRI_HIT_NEG) != 0;
    hit->hypothetical = (h->flags & TRI_HIT_HYPO) != 0;
    hit->question = (h->flags & TRI_HIT_QUESTION) != 0;
    hit->counted = (int)rh->counted;
    return TRIAGE_OK;
}

/* ---- JSON --------------------------------------------------------------- */

/* Keys are literals, so the inlined append knows their length. */
#define JKEY(b, k) tri_buf_add((b), ",\"" k "\":", sizeof(k) + 3)
#define JLIT(b, s) tri_buf_add((b), (s), sizeof(s) - 1)

/* A cached piece of the rule set's JSON (see render_json in runtime.c). */
static void jpiece(struct tri_buf *b, const triage_ruleset *rs, const uint32_t *at)
{
    tri_buf_add(b, rs->json.data + at[0], at[1]);
}

/* A vocabulary value of 'axis' as a JSON string, or null. */
static void jvocab(struct tri_buf *b, const triage_ruleset *rs, triage_axis axis,
                   uint32_t idx)
{
    if (idx == TRI_NONE || idx >= rs->t.vocab_count[axis])
        JLIT(b, "null");
    else
        jpiece(b, rs, &rs->vocab_json[2 * ((size_t)rs->t.vocab_first[axis] + idx)]);
}

static void jstr(struct tri_buf *b, const char *s)
{
    if (s == NULL)
        tri_buf_adds(b, "null");
    else
        tri_buf_json_str(b, s, strlen(s));
}

static void json_scores_tags(const triage_result *r, struct tri_buf *b)
{
    const struct tri_table *t = &r->rs->t;
    unsigned i, first = 1;

    JKEY(b, "scores");
    tri_buf_addc(b, '{');
    for (i = 0; i < t->vocab_count[TRIAGE_AXIS_TYPE]; i++) {
        double v = r->s->scores[TRIAGE_AXIS_TYPE][i];

        if (v < 5e-7)   /* what would print as 0 (a Bayes model's crumbs) */
            continue;
        if (!first)
            tri_buf_addc(b, ',');
        jvocab(b, r->rs, TRIAGE_AXIS_TYPE, i);
        tri_buf_addc(b, ':');
        tri_buf_num(b, v, 6, 1);
        first = 0;
    }
    tri_buf_addc(b, '}');
    JKEY(b, "tags");
    tri_buf_addc(b, '[');
    for (i = 0; i < r->s->n_tags; i++) {
        if (i)
            tri_buf_addc(b, ',');
        jpiece(b, r->rs, &r->rs->tag_json[2 * r->s->tags[i]]);
    }
    tri_buf_addc(b, ']');
}

const char *triage_result_bayes(const triage_result *r, triage_axis axis, double *p)
{
    const struct tri_table *t;
    uint32_t i, best;
    const double *post;

    if (p != NULL)
        *p = 0;
    if (r == NULL)
        return NULL;
    t = &r->rs->t;
    for (i = 0; i < t->n_bayes && t->bayes[i].axis != (uint32_t)axis; i++)
        ;
    if (i == t->n_bayes)
        return NULL;
    post = r->s->bayes_p + r->rs->bayes_rt[i].p_first;
    best = tri_bayes_top(post, t->bayes[i].n_classes, TRI_NONE);
    if (p != NULL)
        *p = post[best];
    return VNAME(r, axis, t->u32s[t->bayes[i].classes_first + best]);
}

/* Each model's likeliest class and its posterior; only for rule sets
 * that have models. */
static void json_bayes(const triage_result *r, struct tri_buf *b)
{
    const struct tri_table *t = &r->rs->t;
    uint32_t i;

    if (t->n_bayes == 0)
        return;
    JKEY(b, "bayes");
    tri_buf_addc(b, '{');
    for (i = 0; i < t->n_bayes; i++) {
        double p;
        const char *label = triage_result_bayes(r, (triage_axis)t->bayes[i].axis, &p);

        tri_buf_adds(b, i ? ",\"" : "\"");
        tri_buf_adds(b, tri_axis_names[t->bayes[i].axis]);
        tri_buf_adds(b, "\":{\"label\":");
        jstr(b, label);
        tri_buf_adds(b, ",\"p\":");
        tri_buf_num(b, p, 3, 0);
        tri_buf_addc(b, '}');
    }
    tri_buf_addc(b, '}');
}

static void json_scripts(const triage_result *r, struct tri_buf *b)
{
    unsigned i;

    JKEY(b, "scripts");
    tri_buf_addc(b, '[');
    for (i = 0; i < r->s->n_scripts; i++) {
        if (i)
            tri_buf_addc(b, ',');
        jpiece(b, r->rs, &r->rs->script_json[2 * r->s->scripts[i]]);
    }
    tri_buf_addc(b, ']');
}

/* A hit is a dozen pieces of known worst-case size: reserve them at once
 * and write them without a check each (the text between is escaped by
 * tri_buf_json_str). Returns 0 when out of memory. */
#define HIT_HEAD_MAX (sizeof ",{\"rule\":,\"spans\":[[,]],\"text\":" + 2 * TRI_UINT_MAX)
#define HIT_TAIL_MAX (sizeof ",\"negated\":false,\"hypothetical\":false" \
                      ",\"question\":false,\"counted\":false}")

static int json_hit_head(struct tri_buf *b, const triage_ruleset *rs,
                         uint32_t rule, size_t a, size_t e, int comma)
{
    const uint32_t *id = &rs->rule_json[2 * rule];
    char *p = tri_buf_room(b, HIT_HEAD_MAX + id[1]);

    if (p == NULL)
        return 0;
    if (comma)
        *p++ = ',';
    p = TRI_PUT_LIT(p, "{\"rule\":");
    p = tri_put(p, rs->json.data + id[0], id[1]);
    p = TRI_PUT_LIT(p, ",\"spans\":[[");
    p = tri_put_uint(p, a);
    *p++ = ',';
    p = tri_put_uint(p, e);
    p = TRI_PUT_LIT(p, "]],\"text\":");
    tri_buf_commit(b, p);
    return 1;
}

/* 'key' is the literal ,"name": */
#define PUT_BOOL(p, key, v) \
    ((v) ? TRI_PUT_LIT((p), key "true") : TRI_PUT_LIT((p), key "false"))

static int json_hit_tail(struct tri_buf *b, uint32_t flags, uint32_t counted)
{
    char *p = tri_buf_room(b, HIT_TAIL_MAX);

    if (p == NULL)
        return 0;
    p = PUT_BOOL(p, ",\"negated\":", flags & TRI_HIT_NEG);
    p = PUT_BOOL(p, ",\"hypothetical\":", flags & TRI_HIT_HYPO);
    p = PUT_BOOL(p, ",\"question\":", flags & TRI_HIT_QUESTION);
    p = PUT_BOOL(p, ",\"counted\":", counted);
    *p++ = '}';
    tri_buf_commit(b, p);
    return 1;
}

static void json_hits(const triage_result *r, struct tri_buf *b, triage_json_hits which)
{
    const struct triage_scratch *s = r->s;
    unsigned i, n = 0;

    JKEY(b, "hits");
    tri_buf_addc(b, '[');
    for (i = 0; i < s->n_rhits && which != TRIAGE_JSON_HITS_NONE; i++) {
        const struct tri_rhit *rh = &s->rhits[i];
        const struct tri_hit *h = &s->hits[rh->hit];
        size_t a, e;

        if ((which == TRIAGE_JSON_HITS_FIRED && !s->fired[rh->rule]) ||
            (which == TRIAGE_JSON_HITS_COUNTED && !rh->counted))
            continue;
        a = tri_norm_orig(&s->norm, h->start);
        e = tri_norm_orig_end(&s->norm, s->orig, s->orig_len, h->end);
        if (!json_hit_head(b, r->rs, rh->rule, a, e, n++ > 0) ||
            tri_buf_json_str(b, s->orig + a, e - a) != TRIAGE_OK ||
            !json_hit_tail(b, h->flags, rh->counted))
            return;   /* b->failed is set */
    }
    tri_buf_addc(b, ']');
    JKEY(b, "fields");
    tri_buf_addc(b, '{');
    for (i = 0; i < s->n_fields; i++) {
        size_t a = tri_norm_orig(&s->norm, s->fields[i].start);
        size_t e = tri_norm_orig_end(&s->norm, s->orig, s->orig_len,
                                     s->fields[i].end);

        tri_buf_adds(b, i ? "," : "");
        jstr(b, s->fields[i].name);
        tri_buf_adds(b, ":{\"value\":");
        tri_buf_json_str(b, s->orig + a, e - a);
        tri_buf_adds(b, ",\"span\":[");
        tri_buf_uint(b, a);
        tri_buf_addc(b, ',');
        tri_buf_uint(b, e);
        tri_buf_adds(b, "]}");
    }
    tri_buf_addc(b, '}');
}

const char *triage_flag_name(unsigned flag)
{
    switch (flag) {
    case TRIAGE_FLAG_INVALID_UTF8: return "invalid_utf8";
    case TRIAGE_FLAG_NO_MATCH: return "no_match";
    case TRIAGE_FLAG_CLOSE_CALL: return "close_call";
    case TRIAGE_FLAG_TRUNCATED: return "truncated";
    case TRIAGE_FLAG_REGEX_LIMIT: return "regex_limit";
    default: return NULL;
    }
}

static void json_flags(const triage_result *r, struct tri_buf *b)
{
    unsigned i, n = 0;

    JKEY(b, "flags");
    tri_buf_addc(b, '[');
    for (i = 0; triage_flag_name(1u << i) != NULL; i++)
        if (r->flags & (1u << i)) {
            tri_buf_adds(b, n++ ? ",\"" : "\"");
            tri_buf_adds(b, triage_flag_name(1u << i));
            tri_buf_addc(b, '"');
        }
    tri_buf_addc(b, ']');
}

triage_status triage_result_json(const triage_result *r, const char *id,
                                 const char **json, size_t *len)
{
    return triage_result_json_hits(r, id, TRIAGE_JSON_HITS_ALL, json, len);
}

triage_status triage_result_json_hits(const triage_result *r, const char *id,
                                      triage_json_hits which, const char **json,
                                      size_t *len)
{
    struct tri_buf *b;
    const struct tri_table *t;
    unsigned i;

    if (r == NULL || json == NULL || (unsigned)which > TRIAGE_JSON_HITS_NONE)
        return TRIAGE_EINVAL;
    b = &r->s->json;
    t = &r->rs->t;
    b->len = 0;
    b->failed = 0;
    tri_buf_adds(b, "{\"schema_version\":");
    tri_buf_uint(b, TRIAGE_SCHEMA_VERSION);
    if (id != NULL) {
        JKEY(b, "id");
        jstr(b, id);
    }
    JKEY(b, "type");
    jvocab(b, r->rs, TRIAGE_AXIS_TYPE, r->type);
    tri_buf_adds(b, ",\"confidence\":");
    tri_buf_num(b, r->confidence, 3, 0);
    JKEY(b, "also");
    tri_buf_addc(b, '[');
    for (i = 0; i < r->n_also; i++) {
        if (i)
            tri_buf_addc(b, ',');
        jvocab(b, r->rs, TRIAGE_AXIS_TYPE, r->also[i]);
    }
    tri_buf_addc(b, ']');
    json_scores_tags(r, b);
    json_bayes(r, b);
    JKEY(b, "nature");
    jvocab(b, r->rs, TRIAGE_AXIS_NATURE, r->nature);
    JKEY(b, "severity");
    jvocab(b, r->rs, TRIAGE_AXIS_SEVERITY, r->severity);
    JKEY(b, "temperament");
    jvocab(b, r->rs, TRIAGE_AXIS_TEMPERAMENT, r->temperament);
    tri_buf_adds(b, ",\"lang\":\"");
    tri_buf_adds(b, tri_lang_names[r->lang]);
    tri_buf_adds(b, "\",\"escalation\":{\"level\":");
    jvocab(b, r->rs, TRIAGE_AXIS_LEVEL, r->level);
    tri_buf_adds(b, ",\"team\":");
    jstr(b, r->team);
    tri_buf_adds(b, ",\"respond_within_hours\":");
    tri_buf_num(b, r->hours, 6, 1);
    tri_buf_adds(b, ",\"row\":");
    jstr(b, tri_str(t, t->esc[r->esc_row].id));
    tri_buf_addc(b, '}');
    json_scripts(r, b);
    json_hits(r, b, which);
    json_flags(r, b);
    jpiece(b, r->rs, r->rs->ruleset_json);   /* ends the object */
    /* Pieces are appended unchecked; one failed append fails the whole. */
    if (b->failed)
        return TRIAGE_ENOMEM;
    *json = b->data;
    if (len != NULL)
        *len = b->len;
    return TRIAGE_OK;
}
