/*
 * context.c - NegEx/ConText-style marking of hits: negated, hypothetical,
 * in a question. Cues compete (longest wins), never overlap a hit, and
 * reach forward (or backward) to the end of their clause or 'scope' code
 * points, whichever comes first.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static int by_start(const void *a, const void *b)
{
    const struct tri_hit *x = a, *y = b;

    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1;    /* longer first */
    return x->pattern < y->pattern ? -1 : x->pattern > y->pattern;
}

/* Vectorscan reports hits by end offset, so they arrive almost in start
 * order: insertion sort for the usual few, qsort (which allocates) past. */
static void sort_hits(struct tri_hit *h, size_t n)
{
    size_t i, j;

    if (n > 64) {
        qsort(h, n, sizeof *h, by_start);
        return;
    }
    for (i = 1; i < n; i++) {
        struct tri_hit v = h[i];

        for (j = i; j > 0 && by_start(&h[j - 1], &v) > 0; j--)
            h[j] = h[j - 1];
        h[j] = v;
    }
}

uint32_t tri_cp_between(const struct triage_scratch *s, uint32_t a, uint32_t b)
{
    if (b <= a)
        return 0;
    return s->norm.cp[b] - s->norm.cp[a];
}

/* Clause punctuation of the folded text; a '.' between digits is not. */
static int is_bound(const struct tri_norm *n, size_t i, size_t *len)
{
    unsigned char c = (unsigned char)n->text[i];

    *len = 1;
    switch (c) {
    case ',': case '!': case '?': case ';': case '\n':
        return 1;
    case '.':
        return !(i > 0 && i + 1 < n->len && n->text[i - 1] >= '0' &&
                 n->text[i - 1] <= '9' && n->text[i + 1] >= '0' && n->text[i + 1] <= '9');
    case 0xe3:   /* 。 U+3002 */
        *len = 3;
        return i + 2 < n->len && (unsigned char)n->text[i + 1] == 0x80 &&
               (unsigned char)n->text[i + 2] == 0x82;
    default:
        return 0;
    }
}

/*
 * Add the starts of the live cues of 'role' to the sorted list *dst, which
 * first gets a copy of the n_src bounds at src (src NULL: *dst already
 * holds them). The cues are sorted by start, so one merge from the back
 * does it, linear however many there are.
 */
static triage_status merge_cues(const struct triage_scratch *s, uint32_t role,
                                const uint32_t *src, size_t n_src, uint32_t **dst,
                                size_t *n_dst, size_t *cap)
{
    size_t k = 0, c, i = n_src, w;
    uint32_t *d;

    for (c = 0; c < s->n_cues; c++)
        k += s->rs->t.patterns[s->cues[c].pattern].role == role && !s->cues[c].flags;
    if (tri_grow((void **)dst, cap, n_src + k + 1, sizeof **dst) != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    d = *dst;
    if (src != NULL && n_src > 0)
        memcpy(d, src, n_src * sizeof *d);
    for (w = n_src + k, c = s->n_cues; w > i && c-- > 0;) {
        const struct tri_hit *h = &s->cues[c];

        if (s->rs->t.patterns[h->pattern].role != role || h->flags)
            continue;
        while (i > 0 && d[i - 1] > h->start)
            d[--w] = d[--i];
        d[--w] = h->start;
    }
    *n_dst = n_src + k;
    return TRIAGE_OK;
}

/*
 * Clause bounds: punctuation and terminator cues end every cue's scope;
 * negation terminators (就: "不吃就难受") end a negation's only, so
 * neg_bounds holds both kinds and a hypothesis ("如果吃了就过敏") still
 * reaches past 就.
 */
static triage_status find_bounds(struct triage_scratch *s)
{
    size_t i, len;

    s->n_bounds = 0;
    for (i = 0;; i += len) {
        /* Skip to the next byte that can start a bound; the folded text is
         * NUL-terminated (an inner NUL just stops the skip early). */
        i += strcspn(s->norm.text + i, ",!?;\n.\xe3");
        if (i >= s->norm.len)
            break;
        if (!is_bound(&s->norm, i, &len))
            continue;
        if (tri_grow((void **)&s->bounds, &s->bounds_cap, s->n_bounds + 1,
                     sizeof *s->bounds) != TRIAGE_OK)
            return TRIAGE_ENOMEM;
        s->bounds[s->n_bounds++] = (uint32_t)i;
    }
    if (merge_cues(s, TRI_ROLE_TERM, NULL, s->n_bounds, &s->bounds, &s->n_bounds,
                   &s->bounds_cap) != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    return merge_cues(s, TRI_ROLE_NEG_TERM, s->bounds, s->n_bounds, &s->neg_bounds,
                      &s->n_neg_bounds, &s->neg_bounds_cap);
}

/* First of the n sorted bounds at or after 'pos' (n if none). */
size_t tri_next_bound(const uint32_t *bounds, size_t n, uint32_t pos)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;

        if (bounds[mid] < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/*
 * 1 if hit h makes cue c part of a rule's word. A keyword claims the cues
 * it overlaps (不 inside 不良反应); a regex only those it spells out
 * (没 in '没(有)?效果'), not one its wildcards ran over: '吃了.{0,8}后.{0,10}头'
 * across "吃了以后既不头晕" must leave 不 negating 头晕.
 */
static int claims(const struct triage_scratch *s, const struct tri_hit *h,
                  const struct tri_hit *c)
{
    const struct tri_table *t = &s->rs->t;
    const struct tri_pattern *p = &t->patterns[h->pattern];

    if (p->kind != TRI_PAT_REGEX)
        return 1;
    return memmem(tri_str(t, p->src), p->src_len, s->norm.text + c->start,
                  c->end - c->start) != NULL;
}

/*
 * 1 if a rule hit among hits[0..lo) overlaps cue c without being the very
 * same word: 不 inside 不良反应 is part of a keyword and negates nothing,
 * but a keyword that IS a cue word (会不会 in some rule) leaves the cue be,
 * and so does a keyword only used to exclude ('none': "if you" there must
 * not switch off the hypothetical cue "if" for the whole text), and so does
 * a keyword inside a longer cue (多久 inside the pseudo-negation 没过多久).
 * A hearsay cue is a phrase that ends in "said": a keyword that starts
 * inside it and runs on (说喝了 after 网上有人说) leaves it reporting.
 * maxend lets the walk back stop as soon as no earlier hit can reach c.
 */
static const struct tri_hit *overlapped(const struct triage_scratch *s,
                                        const struct tri_hit *c, size_t lo)
{
    int hearsay = s->rs->t.patterns[c->pattern].role == TRI_ROLE_HEARSAY;
    unsigned steps = 0;

    while (lo > 0 && s->maxend[lo - 1] > c->start) {
        const struct tri_hit *h = &s->hits[--lo];

        if (h->end > c->start && (h->start != c->start || h->end != c->end) &&
            !(h->start >= c->start && h->end <= c->end) &&
            !(hearsay && h->start > c->start && h->end > c->end) &&
            s->rs->pat_claims[h->pattern] && claims(s, h, c))
            return h;
        if (++steps == 256)
            return h;   /* pathological pile-up: treat as inside a keyword */
    }
    return NULL;
}

static const char *role_name(uint32_t role)
{
    return role == TRI_ROLE_HYPO ? "hypothetical" :
           role == TRI_ROLE_TERM ? "terminator" :
           role == TRI_ROLE_NEG_TERM ? "negation terminator" :
           role == TRI_ROLE_NEG_ANSWER ? "answer negation" :
           role == TRI_ROLE_TOPIC ? "topic marker" :
           role == TRI_ROLE_HEARSAY ? "hearsay" :
           role == TRI_ROLE_HISTORY ? "history" :
           role == TRI_ROLE_PSEUDO ? "pseudo-negation" :
           role == TRI_ROLE_NEG_POST ? "post-negation" : "negation";
}

/* explain: a cue left out, and the rule word (or longer cue) it lies in. */
static void trace_dropped(struct triage_scratch *s, const struct tri_hit *c,
                          const struct tri_hit *by, const char *what)
{
    size_t a = tri_norm_orig(&s->norm, c->start);
    size_t e = tri_norm_orig_end(&s->norm, s->orig, s->orig_len, c->end);
    size_t ba = tri_norm_orig(&s->norm, by->start);
    size_t be = tri_norm_orig_end(&s->norm, s->orig, s->orig_len, by->end);

    tri_trace(s, TRIAGE_TRACE_CUE, NULL, 0, 0,
              "%s cue \"%.*s\" at %zu-%zu left out: it overlaps the %s \"%.*s\"",
              role_name(s->rs->t.patterns[c->pattern].role), (int)(e - a),
              s->orig + a, a, e, what, (int)(be - ba), s->orig + ba);
}

/*
 * A negation cue taken by the keyword 'by' still negates inside it: 不 in
 * the claim 不过敏 leaves "我从来不过敏" saying 过敏 is denied, and 没 in
 * 没有副作用 denies 副作用, while the keyword itself counts and nothing
 * past its end is touched ("没效果还头疼" keeps 头疼).
 */
static void negate_inside(struct triage_scratch *s, const struct tri_hit *c,
                          const struct tri_hit *by)
{
    uint32_t role = s->rs->t.patterns[c->pattern].role;
    size_t i;

    if (role != TRI_ROLE_NEG && role != TRI_ROLE_NEG_POST)
        return;
    for (i = 0; i < s->n_hits && s->hits[i].start < by->end; i++) {
        struct tri_hit *h = &s->hits[i];

        if (h == by || h->end > by->end || h->start < by->start)
            continue;
        if (role == TRI_ROLE_NEG ? h->start >= c->end : h->end <= c->start)
            h->flags |= TRI_HIT_NEG;
    }
}

/* Drop cues that overlap a hit or a longer cue. cue->flags = 1: dropped. */
static void settle_cues(struct triage_scratch *s)
{
    const struct tri_hit *by;
    size_t i, j, lo;

    for (i = 0; i < s->n_cues; i++) {
        struct tri_hit *c = &s->cues[i];

        /* Hits are sorted by start; maxend[k] = max end of hits[0..k]. */
        for (lo = 0, j = s->n_hits; lo < j;) {
            size_t mid = (lo + j) / 2;

            if (s->hits[mid].start < c->end)
                lo = mid + 1;
            else
                j = mid;
        }
        if ((by = overlapped(s, c, lo)) != NULL) {
            c->flags = 1;
            negate_inside(s, c, by);
            if (s->trace_on)
                trace_dropped(s, c, by, s->rs->t.patterns[by->pattern].kind == TRI_PAT_REGEX
                                            ? "regex hit" : "keyword");
            continue;
        }
        for (j = 0; j < i; j++) {
            struct tri_hit *o = &s->cues[j];

            if (o->flags || o->end <= c->start ||
                (o->start == c->start && o->end == c->end))
                continue;   /* one word in two roles keeps both */
            /* Sorted by start, longer first: o is earlier or longer. */
            if (c->end - c->start > o->end - o->start) {
                o->flags = 1;
                if (s->trace_on)
                    trace_dropped(s, o, c, "longer cue");
            } else {
                c->flags = 1;
                if (s->trace_on)
                    trace_dropped(s, c, o, "longer cue");
                break;
            }
        }
    }
}

/*
 * 1 if a post-negation at [.., from) ends its clause (whose bound is at
 * 'to'): only sentence particles (了, 过, 啊 ...) or a few English words
 * ("now", "by the pharmacist on duty") may follow it. "副作用都没有了。" ends there;
 * "没有出现过敏" goes on, so its 没有出现 negates forward only.
 */
#define POST_TAIL_EN 28
int tri_ends_clause(const struct tri_norm *n, uint32_t from, uint32_t to)
{
    static const char particles[] = "了过啊呀吧呢的啦哦嘛咯喔哈";
    uint32_t i = from, ascii = 0;

    while (i < to) {
        unsigned char c = (unsigned char)n->text[i];

        if (c < 0x80) {
            if (++ascii > POST_TAIL_EN)
                return 0;
            i++;
        } else {
            size_t k;

            for (k = 0; k + 3 < sizeof particles; k += 3)
                if (i + 3 <= to && memcmp(particles + k, n->text + i, 3) == 0)
                    break;
            if (k + 3 >= sizeof particles)
                return 0;     /* a word, not a particle */
            i += 3;
        }
    }
    return 1;
}

/* Flag the hits after cue c that start before 'stop' (a bound, or the
 * text's end) and within 'scope' code points of it. */
static void flag_forward(struct triage_scratch *s, const struct tri_hit *c,
                         uint32_t stop, uint32_t scope, uint32_t flag)
{
    size_t i;

    for (i = 0; i < s->n_hits; i++) {
        struct tri_hit *h = &s->hits[i];

        if (h->start < c->end)
            continue;
        if (h->start >= stop || tri_cp_between(s, c->end, h->start) >= scope)
            break;
        h->flags |= flag;
    }
}

/* Flag the hits before cue c that start at or after 'from' (a clause's
 * start) and end within 'scope' code points of it: flag_forward's twin. */
static void flag_backward(struct triage_scratch *s, const struct tri_hit *c,
                          uint32_t from, uint32_t scope, uint32_t flag)
{
    size_t i;

    for (i = 0; i < s->n_hits && s->hits[i].start < c->start; i++) {
        struct tri_hit *h = &s->hits[i];

        if (h->start >= from && h->end <= c->start &&
            tri_cp_between(s, h->end, c->start) <= scope)
            h->flags |= flag;
    }
}

/*
 * Where the clause tail after a post-negation starts. "一个风团都没起",
 * "脸也没红": a cue that ends in 没 or 冇 takes one verb of a symptom or
 * an event after it and still denies what came before. Only these verbs:
 * in "一晚上都没睡", "叫都没醒", "路都没法走" the 没 + verb is itself the
 * complaint.
 */
uint32_t tri_post_neg_tail(const struct tri_norm *n, uint32_t end, uint32_t to)
{
    static const char verbs[] = "起出长红肿痒疼痛破变见碰伤烫吐拉晕咳掉";
    const char *t = n->text;
    size_t k;

    if (end < 3 || end + 3 > to ||
        (memcmp(t + end - 3, "\xe6\xb2\xa1", 3) != 0 &&   /* 没 */
         memcmp(t + end - 3, "\xe5\x86\x87", 3) != 0))    /* 冇 */
        return end;
    for (k = 0; k + 3 < sizeof verbs; k += 3)
        if (memcmp(verbs + k, t + end, 3) == 0)
            return end + 3;
    return end;
}

static void mark_scope(struct triage_scratch *s, const struct tri_hit *c,
                       uint32_t flag)
{
    const struct tri_pattern *p = &s->rs->t.patterns[c->pattern];
    uint32_t scope = s->rs->t.defaults.scope[s->result.lang < 3 ? s->result.lang
                                                                 : TRI_LANG_HANS];
    /* 就 ends what a negation reaches forward; "过敏就没有" still
     * negates backward. */
    int neg = flag == TRI_HIT_NEG && p->role != TRI_ROLE_NEG_POST;
    const uint32_t *bounds = neg ? s->neg_bounds : s->bounds;
    size_t n = neg ? s->n_neg_bounds : s->n_bounds, b;

    if (p->role == TRI_ROLE_NEG_POST) {
        uint32_t to;

        b = tri_next_bound(bounds, n, c->start);
        to = b < n ? bounds[b] : (uint32_t)s->norm.len;
        if (!tri_ends_clause(&s->norm, tri_post_neg_tail(&s->norm, c->end, to), to))
            return;
        flag_backward(s, c, b > 0 ? bounds[b - 1] : 0, scope, flag);
        return;
    }
    b = tri_next_bound(bounds, n, c->end);
    flag_forward(s, c, b < n ? bounds[b] : UINT32_MAX, scope, flag);
}

/* Code points a hearsay cue reaches at most: a reported event is told in
 * a sentence of several clauses ("听群里说，有人家孩子吃了…抽搐住院了"). */
#define HEARSAY_SCOPE 60

/* Code points a history cue reaches either way within its clause: an
 * English clause puts "years ago" after its event. */
#define HISTORY_SCOPE 40

/* A clause bound that also ends a sentence (not a comma or semicolon). */
static int ends_sentence(const struct tri_norm *n, uint32_t at)
{
    char c = n->text[at];

    return c != ',' && c != ';';
}

/*
 * What someone else told the customer is reported, not witnessed: hits
 * from a hearsay cue to the end of its sentence (HEARSAY_SCOPE code points
 * at most) are hypothetical, across the commas that end a clause.
 */
static void mark_hearsay(struct triage_scratch *s, const struct tri_hit *c)
{
    size_t b = tri_next_bound(s->bounds, s->n_bounds, c->end);

    while (b < s->n_bounds && !ends_sentence(&s->norm, s->bounds[b]))
        b++;
    flag_forward(s, c, b < s->n_bounds ? s->bounds[b] : UINT32_MAX, HEARSAY_SCOPE,
                 TRI_HIT_HYPO);
}

/*
 * A long-ago past ("小时候", "以前有过", "years ago") is the customer's
 * history, not this complaint: the hits of its clause are hypothetical, on
 * either side of the cue ("I went into shock from penicillin years ago")
 * and within HISTORY_SCOPE code points of it. The next clause ("，这次…")
 * is the present again.
 */
static void mark_history(struct triage_scratch *s, const struct tri_hit *c)
{
    size_t b = tri_next_bound(s->bounds, s->n_bounds, c->start);

    flag_backward(s, c, b > 0 ? s->bounds[b - 1] : 0, HISTORY_SCOPE, TRI_HIT_HYPO);
    b = tri_next_bound(s->bounds, s->n_bounds, c->end);
    flag_forward(s, c, b < s->n_bounds ? s->bounds[b] : UINT32_MAX, HISTORY_SCOPE,
                 TRI_HIT_HYPO);
}

/*
 * A hit is in a question when the first bound after it starts a run of
 * punctuation ("!?", ",?") that reaches a '?'. q[b] says so for bound b,
 * filled in one pass from the end: walking the run once per hit was
 * quadratic (65,536 hits before a run of millions of '!' took hours).
 * maxend is free again once the cues are settled.
 */
static triage_status mark_questions(struct triage_scratch *s)
{
    uint32_t *q;
    size_t i, b;

    if (tri_grow((void **)&s->maxend, &s->maxend_cap, s->n_bounds + 1,
                 sizeof *s->maxend) != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    q = s->maxend;
    for (b = s->n_bounds; b-- > 0;) {
        char c = s->norm.text[s->bounds[b]];

        /* A run of punctuation ("!?") ends one clause together. */
        q[b] = c == '?' ||
               ((c == '!' || c == '.' || c == ',') && b + 1 < s->n_bounds &&
                s->bounds[b + 1] == s->bounds[b] + 1 && q[b + 1]);
    }
    for (i = 0; i < s->n_hits; i++) {
        b = tri_next_bound(s->bounds, s->n_bounds, s->hits[i].end);
        if (b < s->n_bounds && q[b])
            s->hits[i].flags |= TRI_HIT_QUESTION;
    }
    return TRIAGE_OK;
}

triage_status tri_context(const struct triage_ruleset *rs, struct triage_scratch *s)
{
    size_t i;
    triage_status st;

    sort_hits(s->hits, s->n_hits);
    sort_hits(s->cues, s->n_cues);
    if (tri_grow((void **)&s->maxend, &s->maxend_cap, s->n_hits + 1,
                 sizeof *s->maxend) != TRIAGE_OK)
        return TRIAGE_ENOMEM;
    for (i = 0; i < s->n_hits; i++)
        s->maxend[i] = i == 0 || s->hits[i].end > s->maxend[i - 1]
                           ? s->hits[i].end : s->maxend[i - 1];
    settle_cues(s);
    st = find_bounds(s);
    if (st != TRIAGE_OK)
        return st;
    tri_cancel_double_negations(s);
    for (i = 0; i < s->n_cues; i++) {
        const struct tri_hit *c = &s->cues[i];
        uint32_t role = rs->t.patterns[c->pattern].role;

        if (c->flags)
            continue;
        if (role == TRI_ROLE_NEG || role == TRI_ROLE_NEG_POST)
            mark_scope(s, c, TRI_HIT_NEG);
        /* A post-negation alone in its clause answers too: "皮疹：没发现". */
        if (role == TRI_ROLE_NEG_ANSWER || role == TRI_ROLE_NEG_POST)
            tri_mark_answer(s, c, s->rs->t.defaults.scope[s->result.lang < 3
                                  ? s->result.lang : TRI_LANG_HANS]);
        if (role == TRI_ROLE_HYPO)
            mark_scope(s, c, TRI_HIT_HYPO);
        if (role == TRI_ROLE_HEARSAY)
            mark_hearsay(s, c);
        if (role == TRI_ROLE_HISTORY)
            mark_history(s, c);
        if (s->trace_on) {
            size_t a = tri_norm_orig(&s->norm, c->start);
            size_t e = tri_norm_orig_end(&s->norm, s->orig, s->orig_len, c->end);

            tri_trace(s, TRIAGE_TRACE_CUE, NULL, 1, 0, "%s cue \"%.*s\" at %zu-%zu",
                      role_name(role), (int)(e - a), s->orig + a, a, e);
        }
    }
    return mark_questions(s);
}
