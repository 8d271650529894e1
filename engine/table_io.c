/*
 * table_io.c - save and load a compiled table. The header (magic, format
 * and engine versions, Vectorscan version, body size, CRC-32) is checked
 * before the body is read, and every index in the body is bounds-checked,
 * so a damaged file or one of another engine is refused instead of
 * half-parsed. The Vectorscan databases of another library or of CPU
 * features this machine lacks are compiled again from the table instead.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

#define TDB_MAGIC "TRIAGEDB"
#define TDB_FORMAT 14u  /* 2: per-language within; 3: Bayes models; 4: temperature;
                           5: per-language context scope; 6: negation terminators, answers;
                           7: topic markers; 8: per-condition modes; 9: list ids;
                           10: history cues; 11: type precedence;
                           12: words and regexes in two Vectorscan blobs;
                           13: a regex's reach, every nomination reported;
                           14: the checksum covers the library's name */

struct tdb_header {
    char magic[8];
    uint32_t format;
    uint32_t header_size;
    char engine[16];
    char hs_version[64];
    uint64_t body_len;
    uint32_t crc;
    uint32_t sections;
};

struct section {
    void **data;
    uint32_t *count;
    uint32_t elem;
};

/* The fixed-size part of the table that is not an array. */
struct tdb_misc {
    struct tri_defaults defaults;
    uint32_t vocab_first[TRIAGE_AXIS_COUNT], vocab_count[TRIAGE_AXIS_COUNT];
    uint32_t name, version, hash, pad;
};

#define ARRAYS(t, X)                                                        \
    X((t)->patterns, (t)->n_patterns) X((t)->nodes, (t)->n_nodes)           \
    X((t)->node_kids, (t)->n_node_kids) X((t)->rules, (t)->n_rules)         \
    X((t)->u32s, (t)->n_u32s) X((t)->esc, (t)->n_esc)                       \
    X((t)->scripts, (t)->n_scripts) X((t)->vocab, (t)->n_vocab)             \
    X((t)->checks, (t)->n_checks) X((t)->bayes, (t)->n_bayes)

static triage_status put_array(struct tri_buf *b, const void *p, uint32_t n,
                               uint32_t elem)
{
    triage_status st = tri_buf_add(b, &n, sizeof n);

    if (st == TRIAGE_OK)
        st = tri_buf_add(b, &elem, sizeof elem);
    if (st == TRIAGE_OK && n > 0)
        st = tri_buf_add(b, p, (size_t)n * elem);
    return st;
}

static triage_status put_blob(struct tri_buf *b, const void *p, uint64_t n)
{
    triage_status st = tri_buf_add(b, &n, sizeof n);

    return st == TRIAGE_OK && n > 0 ? tri_buf_add(b, p, (size_t)n) : st;
}

static triage_status body_of(const triage_ruleset *rs, struct tri_buf *b)
{
    const struct tri_table *t = &rs->t;
    struct tdb_misc m;
    char *hs = NULL;
    size_t hs_len = 0;
    triage_status st;
    int i;

    memset(&m, 0, sizeof m);
    m.defaults = t->defaults;
    memcpy(m.vocab_first, t->vocab_first, sizeof m.vocab_first);
    memcpy(m.vocab_count, t->vocab_count, sizeof m.vocab_count);
    m.name = t->name;
    m.version = t->version;
    m.hash = t->hash;
    st = tri_buf_add(b, &m, sizeof m);
#define PUT(arr, n) if (st == TRIAGE_OK) st = put_array(b, arr, n, sizeof *(arr));
    ARRAYS(t, PUT)
#undef PUT
    if (st == TRIAGE_OK)
        st = put_blob(b, t->pool.data, t->pool.len);
    for (i = 0; st == TRIAGE_OK && i < TRI_DB_COUNT; i++) {
        hs = NULL;
        hs_len = 0;
        if (rs->hs[i].db != NULL &&
            hs_serialize_database(rs->hs[i].db, &hs, &hs_len) != HS_SUCCESS)
            st = TRIAGE_ENOMEM;
        if (st == TRIAGE_OK)
            st = put_blob(b, hs, hs_len);
        free(hs);   /* Vectorscan allocates with the C library */
    }
    return st;
}

/* The checksum covers the body and the name of the library that built its
 * databases: a table whose name was changed is damaged, and one of
 * another library loads with its databases compiled again (read_hs). */
static uint32_t crc_of(const struct tdb_header *h, const unsigned char *body, size_t n)
{
    return tri_crc32_update(tri_crc32((const unsigned char *)h->hs_version,
                                      sizeof h->hs_version), body, n);
}

uint32_t tri_tdb_crc(const unsigned char *file, size_t len)
{
    struct tdb_header h;

    if (len < sizeof h)
        return 0;
    memcpy(&h, file, sizeof h);
    return crc_of(&h, file + sizeof h, len - sizeof h);
}

static void header_of(struct tdb_header *h, const struct tri_buf *body)
{
    memset(h, 0, sizeof *h);
    memcpy(h->magic, TDB_MAGIC, 8);
    h->format = TDB_FORMAT;
    h->header_size = sizeof *h;
    snprintf(h->engine, sizeof h->engine, "%s", TRIAGE_VERSION_STRING);
    snprintf(h->hs_version, sizeof h->hs_version, "%s", hs_version());
    h->body_len = body->len;
    h->crc = crc_of(h, (const unsigned char *)body->data, body->len);
}

triage_status triage_ruleset_save(const triage_ruleset *rs, const char *path)
{
    struct tri_buf body = { 0 };
    struct tdb_header h;
    char *tmp = NULL;
    FILE *fp = NULL;
    triage_status st;
    struct stat sb;
    size_t n;

    if (rs == NULL || path == NULL)
        return TRIAGE_EINVAL;
    st = body_of(rs, &body);
    if (st != TRIAGE_OK)
        goto done;
    header_of(&h, &body);
    n = strlen(path) + 16;
    tmp = tri_malloc(n);
    if (tmp == NULL) {
        st = TRIAGE_ENOMEM;
        goto done;
    }
    /* A device or FIFO (/dev/null, a pipe) is written in place: renaming
     * a file over it would replace the device. Files are replaced whole. */
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
        snprintf(tmp, n, "%s", path);
    else
        snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
    fp = fopen(tmp, "wb");
    if (fp == NULL || fwrite(&h, sizeof h, 1, fp) != 1 ||
        (body.len && fwrite(body.data, body.len, 1, fp) != 1) || fflush(fp) != 0) {
        st = TRIAGE_EIO;
        goto done;
    }
    if (fclose(fp) != 0 ||
        (fp = NULL, strcmp(tmp, path) != 0 && rename(tmp, path) != 0))
        st = TRIAGE_EIO;
done:
    if (fp != NULL)
        fclose(fp);
    if (st != TRIAGE_OK && tmp != NULL && strcmp(tmp, path) != 0)
        unlink(tmp);   /* nothing half-written stays behind */
    tri_free(tmp);
    tri_buf_free(&body);
    return st;
}

struct reader {
    const unsigned char *p, *end;
};

static triage_status get_array(struct reader *r, void **out, uint32_t *n,
                               uint32_t elem)
{
    uint32_t cnt, esz;

    if ((size_t)(r->end - r->p) < 8)
        return TRIAGE_ECORRUPT;
    memcpy(&cnt, r->p, 4);
    memcpy(&esz, r->p + 4, 4);
    r->p += 8;
    if (esz != elem)
        return TRIAGE_EVERSION;
    if ((uint64_t)cnt * elem > (uint64_t)(r->end - r->p))
        return TRIAGE_ECORRUPT;
    *out = tri_malloc((size_t)cnt * elem);
    if (*out == NULL)
        return TRIAGE_ENOMEM;
    if (cnt > 0)
        memcpy(*out, r->p, (size_t)cnt * elem);
    r->p += (size_t)cnt * elem;
    *n = cnt;
    return TRIAGE_OK;
}

static triage_status get_blob(struct reader *r, const unsigned char **p, size_t *n)
{
    uint64_t len;

    if ((size_t)(r->end - r->p) < 8)
        return TRIAGE_ECORRUPT;
    memcpy(&len, r->p, 8);
    r->p += 8;
    if (len > (uint64_t)(r->end - r->p))
        return TRIAGE_ECORRUPT;
    *p = r->p;
    *n = (size_t)len;
    r->p += len;
    return TRIAGE_OK;
}

/* ---- validation: every index a damaged file could turn into a wild read */

struct check {
    const struct tri_table *t;
    int bad;
    int oom;            /* the check itself ran out of memory */
};

static void off_ok(struct check *c, uint32_t off, int none_ok)
{
    if (off == TRI_NONE ? !none_ok : off >= c->t->pool.len)
        c->bad = 1;
}

static void idx_ok(struct check *c, uint32_t v, uint32_t n, int none_ok)
{
    if (v == TRI_NONE ? !none_ok : v >= n)
        c->bad = 1;
}

static void run_ok(struct check *c, uint32_t first, uint32_t count, uint32_t n)
{
    if ((uint64_t)first + count > n)
        c->bad = 1;
}

static void when_ok(struct check *c, const struct tri_when *w)
{
    static const int axis[TRI_W_COUNT] = { TRIAGE_AXIS_TYPE, TRIAGE_AXIS_TYPE,
        TRIAGE_AXIS_SEVERITY, TRIAGE_AXIS_NATURE, TRIAGE_AXIS_TEMPERAMENT,
        TRIAGE_AXIS_TAG, -1, TRIAGE_AXIS_LEVEL };
    const struct tri_table *t = c->t;
    uint32_t k, i;

    for (k = 0; k < TRI_W_COUNT && !c->bad; k++) {
        run_ok(c, w->first[k], w->count[k], t->n_u32s);
        for (i = 0; i < w->count[k] && !c->bad; i++)
            idx_ok(c, t->u32s[w->first[k] + i],
                   axis[k] < 0 ? t->n_rules : t->vocab_count[axis[k]], 0);
    }
    if (w->sev_op != TRI_CMP_NONE)
        idx_ok(c, w->sev_val, t->vocab_count[TRIAGE_AXIS_SEVERITY], 0);
    if (w->sev_op > TRI_CMP_EQ || w->score_op > TRI_CMP_EQ)
        c->bad = 1;
}

/* Children come before parents (no cycles), no chain is deeper than the
 * compiler allows, and, as the compiler writes them, conditions form
 * trees: a node is a kid or a rule's root once at most. So the recursive
 * walks in runtime.c, rule_triggers.c and score.c stay shallow and linear
 * whatever a damaged file says; a node shared by the 20 kids of each of 8
 * nested conditions would make each walk 20^8 steps. */
#define HAS_PARENT 0x80u
static void nodes_ok(struct check *c)
{
    const struct tri_table *t = c->t;
    uint8_t *depth = tri_calloc((size_t)t->n_nodes + 1, 1);
    uint32_t i, k, j;

    if (depth == NULL) {
        c->bad = c->oom = 1;
        return;
    }
    for (i = 0; i < t->n_nodes && !c->bad; i++) {
        const struct tri_node *n = &t->nodes[i];

        depth[i] = 1;
        if ((n->modes & ~TRI_MODES_VALID) != 0 ||
            TRI_MODE_GET(n->modes, TRI_MF_NEG) > 2 ||
            TRI_MODE_GET(n->modes, TRI_MF_HYPO) > 2 ||
            TRI_MODE_GET(n->modes, TRI_MF_QUESTION) > 2) {
            c->bad = 1;
            break;
        }
        off_ok(c, n->list, 1);
        if (n->kind == TRI_NODE_LEAF) {
            idx_ok(c, n->pattern, t->n_patterns, 0);
            continue;
        }
        if (n->kind != TRI_NODE_COND)
            c->bad = 1;
        for (k = 0; k < TRI_PART_COUNT && !c->bad; k++) {
            run_ok(c, n->first[k], n->count[k], t->n_node_kids);
            for (j = 0; j < n->count[k] && !c->bad; j++) {
                uint32_t kid = t->node_kids[n->first[k] + j];

                idx_ok(c, kid, i, 0);
                if (!c->bad && (depth[kid] & HAS_PARENT))
                    c->bad = 1;   /* a second parent */
                if (c->bad)
                    break;
                if ((depth[kid] & ~HAS_PARENT) + 1 > depth[i])
                    depth[i] = (uint8_t)((depth[kid] & ~HAS_PARENT) + 1);
                depth[kid] |= HAS_PARENT;
            }
        }
        if (depth[i] > TRI_MAX_NEST + 1)
            c->bad = 1;
        for (k = 0; k < 3; k++)
            if (n->within[k] != TRI_NONE &&
                (n->count[TRI_PART_ALL] > 8 || n->count[TRI_PART_ALL] < 2))
                c->bad = 1;
    }
    for (i = 0; i < t->n_rules && !c->bad; i++) {   /* rules_ok checks the range */
        uint32_t root = t->rules[i].root;

        if (root < t->n_nodes && (depth[root] & HAS_PARENT))
            c->bad = 1;
        else if (root < t->n_nodes)
            depth[root] |= HAS_PARENT;
    }
    tri_free(depth);
}

static void rules_ok(struct check *c)
{
    const struct tri_table *t = c->t;
    uint32_t i, k;

    for (i = 0; i < t->n_rules && !c->bad; i++) {
        const struct tri_rule *r = &t->rules[i];

        off_ok(c, r->id, 0);
        off_ok(c, r->file, 0);
        off_ok(c, r->title, 1);
        idx_ok(c, r->type, t->vocab_count[TRIAGE_AXIS_TYPE], 1);
        idx_ok(c, r->nature, t->vocab_count[TRIAGE_AXIS_NATURE], 1);
        idx_ok(c, r->temperament, t->vocab_count[TRIAGE_AXIS_TEMPERAMENT], 1);
        idx_ok(c, r->severity, t->vocab_count[TRIAGE_AXIS_SEVERITY], 1);
        idx_ok(c, r->root, t->n_nodes, 0);
        run_ok(c, r->tags_first, r->tags_count, t->n_u32s);
        for (k = 0; k < r->tags_count && !c->bad; k++)
            idx_ok(c, t->u32s[r->tags_first + k], t->vocab_count[TRIAGE_AXIS_TAG], 0);
        if (r->negated > 2 || r->hypothetical > 2 || r->question > 2)
            c->bad = 1;
    }
}

static void tables_ok(struct check *c)
{
    const struct tri_table *t = c->t;
    uint32_t i, k, defaults = 0;

    for (i = 0; i < t->n_esc && !c->bad; i++) {
        off_ok(c, t->esc[i].id, 0);
        off_ok(c, t->esc[i].team, 1);
        idx_ok(c, t->esc[i].level, t->vocab_count[TRIAGE_AXIS_LEVEL], 0);
        when_ok(c, &t->esc[i].when);
        defaults += t->esc[i].is_default != 0;
    }
    if (defaults == 0)
        c->bad = 1;
    for (i = 0; i < t->n_scripts && !c->bad; i++) {
        off_ok(c, t->scripts[i].id, 0);
        off_ok(c, t->scripts[i].group, 0);
        off_ok(c, t->scripts[i].text, 0);
        if (t->scripts[i].lang > TRI_LANG_ANY)
            c->bad = 1;
        when_ok(c, &t->scripts[i].when);
    }
    for (i = 0; i < t->n_checks && !c->bad; i++) {
        off_ok(c, t->checks[i].id, 0);
        off_ok(c, t->checks[i].message, 0);
        run_ok(c, t->checks[i].phrases_first, t->checks[i].phrases_count, t->n_u32s);
        for (k = 0; k < t->checks[i].phrases_count && !c->bad; k++) {
            uint32_t off = t->u32s[t->checks[i].phrases_first + k];

            off_ok(c, off, 0);
            /* An empty phrase is found everywhere: check-reply would spin. */
            if (!c->bad && t->pool.data[off] == '\0')
                c->bad = 1;
        }
    }
}

/* Bayes models: one per axis, every run inside u32s, classes in
 * the axis's vocabulary, tokens in the pool, numbers that keep log()
 * finite. */
static void bayes_ok(struct check *c)
{
    const struct tri_table *t = c->t;
    uint32_t i, k, axes = 0;

    for (i = 0; i < t->n_bayes && !c->bad; i++) {
        const struct tri_bayes *m = &t->bayes[i];
        uint64_t cells = (uint64_t)m->n_tokens * m->n_classes;

        off_ok(c, m->id, 0);
        off_ok(c, m->file, 0);
        if ((m->axis != TRIAGE_AXIS_TYPE && m->axis != TRIAGE_AXIS_NATURE &&
             m->axis != TRIAGE_AXIS_TEMPERAMENT && m->axis != TRIAGE_AXIS_SEVERITY) ||
            (axes & (1u << m->axis)) ||
            (m->axis == TRIAGE_AXIS_SEVERITY && !(m->raise >= 0.5 && m->raise <= 1)) ||
            m->n_classes == 0 || m->n_classes > TRI_BAYES_MAX_CLASSES ||
            m->n_tokens >= (1u << 24) || !(m->weight >= 0 && m->weight <= 100) ||
            !(m->base >= 0 && m->base <= 1e6) ||
            !(m->smoothing > 0 && m->smoothing <= 100) ||
            !(m->temperature >= 1 && m->temperature <= 100)) {
            c->bad = 1;
            break;
        }
        axes |= 1u << m->axis;
        run_ok(c, m->classes_first, m->n_classes, t->n_u32s);
        run_ok(c, m->docs_first, m->n_classes, t->n_u32s);
        run_ok(c, m->tokens_first, m->n_tokens, t->n_u32s);
        if (m->counts_first > t->n_u32s || cells > t->n_u32s - m->counts_first)
            c->bad = 1;
        for (k = 0; k < m->n_classes && !c->bad; k++)
            idx_ok(c, t->u32s[m->classes_first + k], t->vocab_count[m->axis], 0);
        for (k = 0; k < m->n_tokens && !c->bad; k++)
            off_ok(c, t->u32s[m->tokens_first + k], 0);
    }
}

static void precedence_ok(struct check *c, const struct tri_defaults *d, uint32_t types,
                          uint32_t tags)
{
    uint32_t i, k;

    if (d->n_precedence > TRI_MAX_PRECEDENCE) {
        c->bad = 1;
        return;
    }
    for (i = 0; i < d->n_precedence; i++) {
        const struct tri_precedence *p = &d->precedence[i];

        idx_ok(c, p->type, types, 0);
        /* NaN fails both comparisons */
        if (p->n_over > TRI_MAX_PRECEDENCE_OVER || p->n_tags > TRI_MAX_PRECEDENCE_TAGS ||
            !(p->ratio >= 0 && p->ratio <= 1) || !(p->min_score >= 0 && p->min_score <= 1e6))
            c->bad = 1;
        for (k = 0; k < p->n_over && !c->bad; k++)
            idx_ok(c, p->over[k], types, 0);
        for (k = 0; k < p->n_tags && !c->bad; k++)
            idx_ok(c, p->tags[k], tags, 0);
    }
}

static triage_status table_ok(const struct tri_table *t)
{
    struct check c = { t, 0, 0 };
    const struct tri_defaults *d = &t->defaults;
    uint32_t i, a;

    if (t->pool.len == 0 || t->pool.data[t->pool.len - 1] != '\0')
        return TRIAGE_ECORRUPT;
    for (a = 0; a < TRIAGE_AXIS_COUNT; a++)
        run_ok(&c, t->vocab_first[a], t->vocab_count[a], t->n_vocab);
    for (i = 0; i < t->n_vocab; i++) {
        off_ok(&c, t->vocab[i].name, 0);
        off_ok(&c, t->vocab[i].team, 1);
        off_ok(&c, t->vocab[i].data, 1);
    }
    for (i = 0; i < t->n_patterns && !c.bad; i++) {
        const struct tri_pattern *p = &t->patterns[i];

        if (p->kind > TRI_PAT_REGEX || p->role > TRI_ROLE_HISTORY ||
            (uint64_t)p->src + p->src_len >= t->pool.len)
            c.bad = 1;
    }
    idx_ok(&c, d->type, t->vocab_count[TRIAGE_AXIS_TYPE], 1);
    idx_ok(&c, d->nature, t->vocab_count[TRIAGE_AXIS_NATURE], 1);
    idx_ok(&c, d->severity, t->vocab_count[TRIAGE_AXIS_SEVERITY], 1);
    idx_ok(&c, d->temperament, t->vocab_count[TRIAGE_AXIS_TEMPERAMENT], 1);
    precedence_ok(&c, d, t->vocab_count[TRIAGE_AXIS_TYPE], t->vocab_count[TRIAGE_AXIS_TAG]);
    off_ok(&c, t->name, 0);
    off_ok(&c, t->version, 0);
    off_ok(&c, t->hash, 0);
    if (!c.bad)
        nodes_ok(&c);
    if (!c.bad)
        rules_ok(&c);
    if (!c.bad)
        tables_ok(&c);
    if (!c.bad)
        bayes_ok(&c);
    if (c.oom)
        return TRIAGE_ENOMEM;
    return !c.bad && t->vocab_count[TRIAGE_AXIS_LEVEL] > 0 && d->scope[0] > 0 &&
           d->scope[1] > 0 && d->scope[2] > 0
               ? TRIAGE_OK : TRIAGE_ECORRUPT;
}

/* The header of a table this engine can read. A table saved with another
 * Hyperscan library still loads: 'foreign' is set, and its databases are
 * compiled again from its patterns (read_body). */
static triage_status check_header(const struct tdb_header *h, size_t len, int *foreign)
{
    struct tdb_header want;

    if (memcmp(h->magic, TDB_MAGIC, 8) != 0)
        return TRIAGE_ECORRUPT;
    /* Whole fields, padding included: the CRC does not cover the header,
     * so a byte changed after a version string's NUL must not pass. */
    memset(&want, 0, sizeof want);
    snprintf(want.engine, sizeof want.engine, "%s", TRIAGE_VERSION_STRING);
    snprintf(want.hs_version, sizeof want.hs_version, "%s", hs_version());
    if (h->format != TDB_FORMAT || h->header_size != sizeof *h ||
        memcmp(h->engine, want.engine, sizeof h->engine) != 0)
        return TRIAGE_EVERSION;
    if (memchr(h->hs_version, '\0', sizeof h->hs_version) == NULL)
        return TRIAGE_ECORRUPT;
    *foreign = memcmp(h->hs_version, want.hs_version, sizeof h->hs_version) != 0;
    if (h->body_len != len - sizeof *h || h->sections != 0)
        return TRIAGE_ECORRUPT;
    return TRIAGE_OK;
}

#define HUGE_PAGE (2u << 20)

/*
 * A large Vectorscan database goes into memory of our own, 2 MiB aligned
 * and offered to transparent huge pages: filling 17 MB of fresh heap pages
 * one 4 KiB fault at a time was a sixth of a `triage` run's start-up.
 * Where huge pages are off, the advice is ignored and nothing is lost.
 */
hs_error_t tri_hsdb_deserialize(struct tri_hsdb *h, const char *p, size_t n)
{
    size_t size, len;
    char *map, *at;

    if (hs_serialized_database_size(p, n, &size) != HS_SUCCESS || size < HUGE_PAGE)
        return hs_deserialize_database(p, n, &h->db);
    len = (size + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE + HUGE_PAGE;
    map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED)
        return hs_deserialize_database(p, n, &h->db);
    at = map + (HUGE_PAGE - (uintptr_t)map % HUGE_PAGE) % HUGE_PAGE;
    (void)madvise(at, len - (size_t)(at - map), MADV_HUGEPAGE);
    if (hs_deserialize_database_at(p, n, (hs_database_t *)(void *)at) != HS_SUCCESS) {
        munmap(map, len);
        return hs_deserialize_database(p, n, &h->db);   /* says why */
    }
    h->db = (hs_database_t *)(void *)at;
    h->map = map;
    h->map_len = len;
    return HS_SUCCESS;
}

/* A saved Vectorscan blob into database 'which'; an empty one is none.
 * A blob of another library or of CPU features this machine lacks is left
 * out, and noted: tri_runtime_build compiles the database from the
 * table's patterns, so a table built elsewhere still loads. */
static triage_status read_hs(triage_ruleset *rs, int which, const unsigned char *p,
                             size_t n, int foreign)
{
    hs_error_t e;

    if (n == 0)
        return TRIAGE_OK;
    if (foreign) {
        rs->rebuilt = TRIAGE_EVERSION;
        return TRIAGE_OK;
    }
    e = tri_hsdb_deserialize(&rs->hs[which], (const char *)p, n);
    if (e == HS_DB_PLATFORM_ERROR || e == HS_DB_VERSION_ERROR) {
        rs->rebuilt = e == HS_DB_PLATFORM_ERROR ? TRIAGE_EPLATFORM : TRIAGE_EVERSION;
        return TRIAGE_OK;
    }
    return e == HS_SUCCESS ? TRIAGE_OK : TRIAGE_ECORRUPT;
}

static triage_status read_body(triage_ruleset *rs, struct reader *r, int foreign)
{
    struct tri_table *t = &rs->t;
    struct tdb_misc m;
    const unsigned char *p, *rx;
    size_t n, n_rx;
    triage_status st = TRIAGE_OK;

    memcpy(&m, r->p, sizeof m);
    r->p += sizeof m;
    t->defaults = m.defaults;
    memcpy(t->vocab_first, m.vocab_first, sizeof m.vocab_first);
    memcpy(t->vocab_count, m.vocab_count, sizeof m.vocab_count);
    t->name = m.name;
    t->version = m.version;
    t->hash = m.hash;
#define GET(arr, cnt) if (st == TRIAGE_OK) st = get_array(r, (void **)&(arr), &(cnt), sizeof *(arr));
    ARRAYS(t, GET)
#undef GET
    if (st == TRIAGE_OK)
        st = get_blob(r, &p, &n);
    if (st == TRIAGE_OK)
        st = tri_buf_add(&t->pool, p, n);
    if (st == TRIAGE_OK)
        st = table_ok(t);
    if (st == TRIAGE_OK)
        st = get_blob(r, &p, &n);
    if (st == TRIAGE_OK)
        st = get_blob(r, &rx, &n_rx);
    if (st == TRIAGE_OK && r->p != r->end)
        st = TRIAGE_ECORRUPT;
    if (st == TRIAGE_OK)
        st = read_hs(rs, TRI_DB_WORDS, p, n, foreign);
    if (st == TRIAGE_OK)
        st = read_hs(rs, TRI_DB_REGEXES, rx, n_rx, foreign);
    return st;
}

/* A table in memory; databases it must compile (read_hs) are taken from
 * and kept in 'cache_dir' when it is not NULL. */
static triage_status load_mem_in(const void *data, size_t len, const char *cache_dir,
                                 triage_ruleset **out)
{
    struct tdb_header h;
    struct reader r;
    triage_ruleset *rs;
    triage_status st;
    int foreign = 0;

    if (out == NULL || (data == NULL && len > 0))
        return TRIAGE_EINVAL;
    *out = NULL;
    if (len < sizeof h + sizeof(struct tdb_misc))
        return TRIAGE_ECORRUPT;
    memcpy(&h, data, sizeof h);
    st = check_header(&h, len, &foreign);
    if (st != TRIAGE_OK)
        return st;
    r.p = (const unsigned char *)data + sizeof h;
    r.end = (const unsigned char *)data + len;
    if (crc_of(&h, r.p, (size_t)(r.end - r.p)) != h.crc)
        return TRIAGE_ECORRUPT;
    rs = tri_calloc(1, sizeof *rs);
    if (rs == NULL)
        return TRIAGE_ENOMEM;
    st = read_body(rs, &r, foreign);
    if (st == TRIAGE_OK)
        st = tri_runtime_build(rs, cache_dir, NULL, NULL, 0);
    /* A regex the table's library took and this one refuses: the table
     * must be compiled here from its rules, which the reason says. */
    if (st == TRIAGE_EPATTERN && rs->rebuilt != TRIAGE_OK)
        st = rs->rebuilt;
    if (st != TRIAGE_OK) {
        triage_ruleset_destroy(rs);
        return st;
    }
    *out = rs;
    return TRIAGE_OK;
}

triage_status triage_ruleset_load_mem(const void *data, size_t len,
                                      triage_ruleset **out)
{
    return load_mem_in(data, len, NULL, out);
}

/* A pipe or other stream: read it whole. */
static triage_status load_stream(int fd, const char *cache_dir, triage_ruleset **out)
{
    struct tri_buf data = { 0 };
    char chunk[65536];
    ssize_t n;
    triage_status st = TRIAGE_OK;

    while (st == TRIAGE_OK && (n = read(fd, chunk, sizeof chunk)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        st = n < 0 ? TRIAGE_EIO : tri_buf_add(&data, chunk, (size_t)n);
    }
    if (st == TRIAGE_OK)
        st = load_mem_in(data.data, data.len, cache_dir, out);
    tri_buf_free(&data);
    return st;
}

/* A regular file is mapped, not read: everything is copied out of it into
 * the rule set before it is unmapped, and reading tens of megabytes into
 * fresh heap pages cost ten times what mapping the page cache does. The
 * cache and `triage compile` replace a table by rename, never in place, so
 * the mapped file does not shrink under the load. */
triage_status triage_ruleset_load_cached(const char *path, const char *cache_dir,
                                         triage_ruleset **out)
{
    struct stat sb;
    void *map;
    int fd;
    triage_status st;

    if (path == NULL || out == NULL)
        return TRIAGE_EINVAL;
    *out = NULL;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return TRIAGE_EIO;
    if (fstat(fd, &sb) != 0) {
        st = TRIAGE_EIO;
    } else if (S_ISDIR(sb.st_mode)) {
        errno = EISDIR;   /* what reading it says; the caller's message shows it */
        st = TRIAGE_EIO;
    } else if (!S_ISREG(sb.st_mode) || sb.st_size == 0) {
        st = load_stream(fd, cache_dir, out);
    } else if ((uint64_t)sb.st_size > SIZE_MAX) {
        st = TRIAGE_ELIMIT;
    } else {
        map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE,
                   fd, 0);
        if (map == MAP_FAILED) {
            st = load_stream(fd, cache_dir, out);
        } else {
            st = load_mem_in(map, (size_t)sb.st_size, cache_dir, out);
            munmap(map, (size_t)sb.st_size);
        }
    }
    close(fd);
    return st;
}

triage_status triage_ruleset_load(const char *path, triage_ruleset **out)
{
    return triage_ruleset_load_cached(path, NULL, out);
}
