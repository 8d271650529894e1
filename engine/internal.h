/*
 * internal.h - private declarations shared by the engine's files: the flat,
 * serialisable decision table, the scratch and the compiler's AST.
 */
#ifndef TRI_INTERNAL_H
#define TRI_INTERNAL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <hs.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include "triage.h"
#include "normalize.h"

#define TRI_NONE UINT32_MAX        /* "no value" in u32 index fields       */
#define TRI_MAX_TEXT (16u << 20)   /* longer texts are cut and flagged     */
#define TRI_MAX_HITS 65536u        /* hits kept per text                   */
#define TRI_MAX_REGEX_HITS 256u    /* matches kept per regex per text      */
#define TRI_MATCH_LIMIT 200000u    /* PCRE2 match limit per regex call     */
#define TRI_DEPTH_LIMIT 5000u      /* PCRE2 depth limit per regex call     */
#define TRI_MAX_NEST 8             /* nesting of match conditions          */

/* ---- allocation (alloc.c): all engine memory goes through here ------- */
void *tri_malloc(size_t n);
void *tri_calloc(size_t n, size_t size);
void *tri_realloc(void *p, size_t n);
void tri_free(void *p);
char *tri_strndup(const char *s, size_t n);
/* Grow *buf (of elements of 'size') to hold at least 'need'. The check is
 * inlined: per-hit and per-bound pushes almost always have room. */
triage_status tri_grow_slow(void **buf, size_t *cap, size_t need, size_t size);
static inline triage_status tri_grow(void **buf, size_t *cap, size_t need,
                                     size_t size)
{
    return need <= *cap ? TRIAGE_OK : tri_grow_slow(buf, cap, need, size);
}

/* ---- byte buffer and string pool (buf.c) ------------------------------ */
struct tri_buf {
    char *data;
    size_t len, cap;
    int failed;     /* an append failed (out of memory) since it was reset */
};
/* Appends grow the buffer out of line; the common case (room left) is
 * inlined because JSON rendering appends many short pieces per result. */
triage_status tri_buf_add_slow(struct tri_buf *b, const void *p, size_t n);
static inline triage_status tri_buf_add(struct tri_buf *b, const void *p, size_t n)
{
    if (b->len + n >= b->cap)
        return tri_buf_add_slow(b, p, n);
    if (n > 0)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return TRIAGE_OK;
}
/* Room for n more bytes (and the NUL) at the end of b, or NULL (b->failed
 * set): a renderer that knows a piece's worst-case size reserves it once,
 * writes through the pointer and hands the end back to tri_buf_commit. */
triage_status tri_buf_reserve_slow(struct tri_buf *b, size_t n);
static inline char *tri_buf_room(struct tri_buf *b, size_t n)
{
    if (b->len + n >= b->cap && tri_buf_reserve_slow(b, n) != TRIAGE_OK)
        return NULL;
    return b->data + b->len;
}
static inline void tri_buf_commit(struct tri_buf *b, char *end)
{
    b->len = (size_t)(end - b->data);
    b->data[b->len] = '\0';
}
/* Writers for tri_buf_room space; each returns the end of what it wrote. */
static inline char *tri_put(char *p, const void *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}
#define TRI_PUT_LIT(p, s) tri_put((p), (s), sizeof(s) - 1)
#define TRI_UINT_MAX 20   /* digits of UINT64_MAX */
char *tri_put_uint(char *p, uint64_t v);
static inline triage_status tri_buf_addc(struct tri_buf *b, char c)
{
    return tri_buf_add(b, &c, 1);
}
static inline triage_status tri_buf_adds(struct tri_buf *b, const char *s)
{
    return tri_buf_add(b, s, strlen(s));
}
triage_status tri_buf_printf(struct tri_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
triage_status tri_buf_json_str(struct tri_buf *b, const char *s, size_t n);
triage_status tri_buf_uint(struct tri_buf *b, uint64_t v);
triage_status tri_buf_num(struct tri_buf *b, double v, int places, int trim);
void tri_buf_free(struct tri_buf *b);

/* An ASCII letter, digit or '_': a keyword that starts or ends with one
 * matches whole words only (compile_rules.c, match.c), as \b sees words. */
static inline int tri_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           (c >= 'A' && c <= 'Z');
}

/* The start of the UTF-8 character holding byte i of s: a cut there keeps
 * every character whole. */
static inline size_t tri_utf8_floor(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80)
        i--;
    return i;
}

/* The first character start at or after byte i of s[0..len). */
static inline size_t tri_utf8_ceil(const char *s, size_t len, size_t i)
{
    while (i < len && ((unsigned char)s[i] & 0xc0) == 0x80)
        i++;
    return i;
}

/* ---- regex_lex.c ------------------------------------------------------ */
/* Whether byte c is one of 'set' (strchr alone also finds a NUL byte,
 * which a regex may hold). */
int tri_rx_one_of(char c, const char *set);
/* Index of the last byte of the escape at re[i] (a backslash). */
size_t tri_rx_escape_end(const char *re, size_t len, size_t i);
/* Index of the first byte from re[j] on that PCRE2 does not ignore (a \E
 * outside a quote, an empty \Q\E). */
size_t tri_rx_skip_ignored(const char *re, size_t len, size_t j);
/* Index of the ']' that ends a POSIX member ("[:alpha:]") at re[j] inside
 * a class, or 0 when PCRE2 reads that '[' as a plain member. */
size_t tri_rx_posix_end(const char *re, size_t len, size_t j);
/* Index of the ']' that closes the class opened at re[i], or len. */
size_t tri_rx_class_end(const char *re, size_t len, size_t i);
/* Digits at re[*i], *i moved past them; the value, or -1 when none. */
long tri_rx_read_count(const char *re, size_t len, size_t *i);
/* Whether "{...}" at re[i] is a repeat as PCRE2 10.42 reads one: {m},
 * {m,} or {m,n}; then *m and *n are its bounds (*n is *m for {m}, -1 for
 * {m,}) and *end the index of its '}'. */
int tri_rx_repeat(const char *re, size_t len, size_t i, long *m, long *n, size_t *end);
/* Whether re holds U+0085, U+200E, U+200F, U+2028 or U+2029: white space
 * PCRE2 skips in extended mode, Vectorscan does not. */
int tri_rx_unicode_space(const char *re, size_t len);
/* Whether re holds an inline option list with x ("(?x)", "(?i-x:"). */
int tri_rx_x_option(const char *re, size_t len);

/* ---- regex_plain.c ---------------------------------------------------- */
/* re with atomic groups and possessive quantifiers written plainly (they
 * only remove matches), comments dropped and a "(?x)" outside any group
 * undone: a regex regex_relax.c can loosen. NULL when that "(?x)" cannot be
 * undone (then *oom is 0) or out of memory (*oom is 1); else its length is
 * *out_len (it may hold a NUL byte, as re may), NUL-terminated, tri_free
 * it. */
char *tri_regex_plain(const char *re, size_t len, size_t *out_len, int *oom);

/* ---- regex_relax.c ---------------------------------------------------- */
/* A superset of a regex's matches that Vectorscan compiles far faster:
 * bounded repeats {m,n} become {m,}, \b and \B go; a regex where that could
 * lose a match comes back as written. NUL-terminated, tri_free it; NULL
 * when out of memory. */
char *tri_regex_relax(const char *re, size_t len);
/* The same form with its repeats as written: a match of the regex over
 * [s,e) is one of this form over [s - b, e + a), where b and a are the
 * lengths of a kept lookbehind and lookahead, so the form's widest match
 * bounds how far before the end of a nomination a match can start. */
char *tri_regex_relax_spans(const char *re, size_t len);
/* Why PCRE2 and Vectorscan read the regex apart, or NULL: in extended
 * mode PCRE2 also skips Unicode's pattern white space (U+0085, U+200E,
 * U+200F, U+2028, U+2029), which Vectorscan takes as text; PCRE2 reads a
 * script property by script extensions ("\p{Han}" takes 。), Vectorscan by
 * script. Either way a prefilter would miss what PCRE2 matches (both found
 * by fuzz_relax), so such a regex runs through PCRE2 alone. */
const char *tri_regex_reads_apart(const char *re, size_t len);

/* ---- regex_uncase.c --------------------------------------------------- */
/* The prefilter form re[0..len) written so that, compiled without
 * CASELESS, it matches on casefolded text exactly what re matches with it:
 * ASCII capitals in lowercase. NULL when that is not known to hold (then
 * *oom is 0) or when out of memory (*oom is 1). NUL-terminated, tri_free
 * it. */
char *tri_regex_uncase(const char *re, size_t len, int *oom);
/* The length of the lookbehind "(?<=X)" or "(?<!X)" a regex opens with,
 * when the regex is that and one branch Y after it, with no capture in X
 * and no \K or \G in Y, so that the regex's matches are Y's matches
 * where X holds at the start (match.c runs it so); else 0. */
size_t tri_regex_leading_lookbehind(const char *re, size_t len);

/* ---- the decision table ----------------------------------------------- */

enum tri_pat_kind { TRI_PAT_LITERAL = 0, TRI_PAT_REGEX = 1 };
enum tri_cue_role {
    TRI_ROLE_RULE = 0, TRI_ROLE_NEG, TRI_ROLE_NEG_POST, TRI_ROLE_HYPO,
    TRI_ROLE_PSEUDO, TRI_ROLE_TERM,
    TRI_ROLE_NEG_TERM,  /* ends a negation's scope, not a hypothesis's */
    TRI_ROLE_NEG_ANSWER, /* a lone "没有"/"none" after a '?' or ':' */
    TRI_ROLE_TOPIC,     /* "至于", "as for": a later lone negation answers it */
    TRI_ROLE_HEARSAY,   /* "听群里说", "a woman in my building says": what
                         * follows, to the sentence's end, is reported */
    TRI_ROLE_HISTORY    /* "小时候", "years ago": its clause is the customer's
                         * past, not this complaint */
};
#define TRI_PATF_WORD_START 0x1u  /* literal must start at a word edge    */
#define TRI_PATF_WORD_END 0x2u    /* literal must end at a word edge      */
#define TRI_PATF_SLOW 0x4u        /* regex Vectorscan cannot take         */
#define TRI_PATF_NAMED 0x8u       /* regex has named groups (fields)      */
#define TRI_PATF_CASED 0x10u      /* "(?-i)...": runs on the original text,
                                     case kept, through PCRE2 alone        */
#define TRI_CASED_PREFIX "(?-i)"
#define TRI_CASED_PREFIX_LEN 5

struct tri_pattern {
    uint32_t kind;      /* enum tri_pat_kind                               */
    uint32_t role;      /* enum tri_cue_role                               */
    uint32_t src;       /* pool: folded literal or regex source            */
    uint32_t src_len;
    uint32_t flags;
    uint32_t rules_first, rules_count; /* rules using it (rule_refs)       */
    uint32_t reach;     /* regex: tri_regex_reach, 0 unknown (runtime.c)   */
};

enum tri_node_kind { TRI_NODE_COND = 0, TRI_NODE_LEAF = 1 };
enum tri_part { TRI_PART_ANY = 0, TRI_PART_ALL, TRI_PART_NONE, TRI_PART_REGEX,
                TRI_PART_COUNT };

struct tri_node {
    uint32_t kind;      /* enum tri_node_kind                              */
    uint32_t pattern;   /* leaf: its pattern                               */
    uint32_t first[TRI_PART_COUNT], count[TRI_PART_COUNT]; /* node_kids   */
    /* 'within' per text language (enum tri_lang below HANS..EN), TRI_NONE
     * when not set: English needs a wider window for the same words. */
    uint32_t within[3];
    /* The condition's own negated/hypothetical/question modes, for the
     * hits under it (TRI_MODES_* below); 0 when it inherits them all. */
    uint32_t modes;
    uint32_t list;      /* pool offset of the list's id when the condition
                         * is a { list: NAME } use, else TRI_NONE (explain) */
};

enum tri_mode { TRI_MODE_EXCLUDE = 0, TRI_MODE_INCLUDE = 1, TRI_MODE_ONLY = 2 };

/*
 * Modes travel packed: two bits of enum tri_mode per flag (negated,
 * hypothetical, question), and in a condition's 'modes' a bit per flag
 * saying it sets that one. Evaluation passes the packed modes down the
 * condition tree, so a nested condition (or a list) may count negated
 * hits where the rule around it does not.
 */
enum tri_mode_flag { TRI_MF_NEG = 0, TRI_MF_HYPO = 1, TRI_MF_QUESTION = 2 };
#define TRI_MODE_BITS(f, m)  ((uint32_t)(m) << (2 * (f)))
#define TRI_MODE_GET(ms, f)  (((ms) >> (2 * (f))) & 3u)
#define TRI_MODE_SET(f)      (1u << (8 + (f)))
#define TRI_MODES_SETS       0x700u
#define TRI_MODES_VALID      0x73fu

static inline uint32_t tri_modes_apply(uint32_t inherited, uint32_t own)
{
    uint32_t f;

    if (own == 0)         /* the usual condition: it inherits them all */
        return inherited;
    for (f = 0; f < 3; f++)
        if (own & TRI_MODE_SET(f))
            inherited = (inherited & ~TRI_MODE_BITS(f, 3)) |
                        TRI_MODE_BITS(f, TRI_MODE_GET(own, f));
    return inherited;
}

struct tri_rule {
    uint32_t id, title, file, line, column;
    uint32_t type, nature, temperament, severity; /* vocab index or NONE  */
    double weight;
    uint32_t root;                   /* node index                        */
    uint32_t tags_first, tags_count; /* into u32s                         */
    uint32_t negated, hypothetical, question; /* enum tri_mode            */
    uint32_t is_cue;
    uint32_t zero_hit;               /* may fire without any hit          */
    uint32_t own_modes;              /* a condition in it sets its modes  */
};

enum tri_when_key {
    TRI_W_TYPE = 0, TRI_W_PRIMARY, TRI_W_SEVERITY, TRI_W_NATURE,
    TRI_W_TEMPERAMENT, TRI_W_TAGS, TRI_W_RULES, TRI_W_LEVEL, TRI_W_COUNT
};
enum tri_cmp { TRI_CMP_NONE = 0, TRI_CMP_GE, TRI_CMP_GT, TRI_CMP_LE,
               TRI_CMP_LT, TRI_CMP_EQ };

struct tri_when {
    uint32_t first[TRI_W_COUNT], count[TRI_W_COUNT]; /* into u32s         */
    uint32_t sev_op, sev_val;
    uint32_t score_op;
    double score_val;
};

struct tri_esc_row {
    uint32_t id, line, column;
    struct tri_when when;
    uint32_t is_default;
    uint32_t level;     /* vocab index                                    */
    uint32_t team;      /* pool offset or NONE: the level's team          */
    double hours;       /* < 0: the level's hours                         */
};

enum tri_lang { TRI_LANG_HANS = 0, TRI_LANG_HANT, TRI_LANG_EN, TRI_LANG_ANY };
#define TRI_LANG_COUNT 4
/* "zh-Hans", "zh-Hant", "en", "any", indexed by enum tri_lang (result.c). */
extern const char *const tri_lang_names[TRI_LANG_COUNT];
/* "type", "nature", ... indexed by triage_axis (compile_vocab.c). */
extern const char *const tri_axis_names[TRIAGE_AXIS_COUNT];
struct tri_norm;
/* The language of a normalised text (HANS, HANT or EN; decide.c). */
uint32_t tri_text_lang(const struct tri_norm *n);

struct tri_script {
    uint32_t id, group, text, line, column;
    uint32_t lang;      /* enum tri_lang                                  */
    struct tri_when when;
};

struct tri_vocab_entry {
    uint32_t name;
    uint32_t team;      /* levels: pool offset                            */
    double hours;       /* levels                                         */
    uint32_t data;      /* tags: pool offset of a JSON members snippet    */
};

struct tri_reply_check {
    uint32_t id, message, line, column;
    uint32_t is_warning, followup;
    uint32_t phrases_first, phrases_count; /* into u32s: pool offsets     */
};

/* defaults.precedence: 'type' leads over the types in 'over' when its
 * score reaches ratio x theirs (and min_score), and sets 'tags': "health
 * first". */
#define TRI_MAX_PRECEDENCE 8u
#define TRI_MAX_PRECEDENCE_OVER 16u
#define TRI_MAX_PRECEDENCE_TAGS 6u
struct tri_precedence {
    uint32_t type, n_over, n_tags, pad;
    uint32_t over[TRI_MAX_PRECEDENCE_OVER];
    uint32_t tags[TRI_MAX_PRECEDENCE_TAGS];
    double ratio, min_score;
};

struct tri_defaults {
    uint32_t type, nature, severity, temperament; /* vocab index or NONE  */
    double min_score, also_ratio, close_call;
    uint32_t scope[3];  /* context scope in code points, per text language
                           (HANS, HANT, EN): English words are longer     */
    uint32_t n_precedence;
    struct tri_precedence precedence[TRI_MAX_PRECEDENCE];
};

/*
 * A naive Bayes model of a voting axis (type, nature or temperament) or
 * of severity,
 * learned by `triage learn`: per class, the documents seen and, per token,
 * the documents of the class that contain it (bayes.c).
 */
#define TRI_BAYES_MAX_CLASSES 64u

/* A token record, in words: the token's length in bytes, its bytes
 * (zero-padded to a word), then log P(token | class) for every class of
 * every model, a model's at its p_first; NaN where it lacks the token. */
union tri_bword { uint32_t u; float f; };

/* Words of a record before its log-likelihoods. */
static inline uint32_t tri_btok_head(size_t len)
{
    return 1 + (uint32_t)((len + 3) / 4);
}
struct tri_bayes {
    uint32_t id, file, line, column;   /* pool offsets, position of id    */
    uint32_t axis;                     /* TYPE, NATURE or TEMPERAMENT     */
    double weight;      /* share of the rules' vote total it adds         */
    double base;        /* vote total assumed when rules cast less        */
    double smoothing;   /* added to every count (Lidstone)                */
    double raise;       /* severity: the posterior that raises it         */
    double temperature; /* divides the tokens' evidence: >= 1, 1 = plain  */
    uint32_t classes_first, n_classes; /* into u32s: vocab indexes        */
    uint32_t docs_first;               /* into u32s: n_classes counts     */
    uint32_t tokens_first, n_tokens;   /* into u32s: pool offsets, sorted */
    uint32_t counts_first;             /* into u32s: n_tokens x n_classes */
};

/* Every array of the table, in save order; see table_io.c. */
struct tri_table {
    struct tri_buf pool;
    struct tri_pattern *patterns;  uint32_t n_patterns;
    struct tri_node *nodes;        uint32_t n_nodes;
    uint32_t *node_kids;           uint32_t n_node_kids;
    struct tri_rule *rules;        uint32_t n_rules;
    uint32_t *rule_refs;           uint32_t n_rule_refs;
    uint32_t *u32s;                uint32_t n_u32s;
    struct tri_esc_row *esc;       uint32_t n_esc;
    struct tri_script *scripts;    uint32_t n_scripts;
    struct tri_vocab_entry *vocab; uint32_t n_vocab;
    struct tri_reply_check *checks; uint32_t n_checks;
    struct tri_bayes *bayes;       uint32_t n_bayes;
    uint32_t vocab_first[TRIAGE_AXIS_COUNT], vocab_count[TRIAGE_AXIS_COUNT];
    struct tri_defaults defaults;
    uint32_t name, version, hash;  /* pool offsets                        */
};

/* triage_ruleset.jit: JIT cannot take this regex; PCRE2 interprets it. */
extern char tri_no_jit_mark;
#define TRI_NO_JIT ((pcre2_code *)(void *)&tri_no_jit_mark)

/* A Vectorscan database and, for a large loaded one, the memory it lives
 * in (table_io.c); map NULL: hs_free_database frees db. */
struct tri_hsdb {
    hs_database_t *db;            /* NULL when no pattern goes to it      */
    void *map;
    size_t map_len;
    int cached;                   /* compiling took it from the cache     */
};

/*
 * The words (keyword and cue literals) and the regex prefilters are two
 * databases scanned in turn: the regexes' is most of a large rule set's
 * compile time and size, and it does not change when a keyword does, so
 * it can be reused (compile_cache.c). Its ids are regex ordinals:
 * rx_pat[k] is the pattern of the k-th regex that goes to Vectorscan.
 */
enum { TRI_DB_WORDS, TRI_DB_REGEXES, TRI_DB_COUNT };

/* A serialized database into h, a large one on huge pages (table_io.c). */
hs_error_t tri_hsdb_deserialize(struct tri_hsdb *h, const char *p, size_t n);
/* The database cache (db_cache.c): 'key' names what went into a database
 * (expressions, flags, ids, Vectorscan version). get returns 0 and fills
 * h and 'extra' on a hit, which needs the extra_len bytes put stored;
 * put stores db and 'extra', best effort: a cache never fails a compile. */
int tri_db_cache_get(const char *dir, const uint64_t key[2], struct tri_hsdb *h,
                     void *extra, size_t extra_len);
void tri_db_cache_put(const char *dir, const uint64_t key[2], const hs_database_t *db,
                      const void *extra, size_t extra_len);

struct triage_ruleset {
    struct tri_table t;
    struct tri_hsdb hs[TRI_DB_COUNT];
    triage_status rebuilt;        /* why a loaded table's databases were
                                     compiled here instead (EVERSION: other
                                     library, EPLATFORM: other CPU); OK     */
    uint32_t *rx_pat;             /* regex ordinal -> pattern             */
    uint32_t n_rx_pat;
    pcre2_code **re;              /* per pattern; NULL for literals       */
    _Atomic(pcre2_code *) *jit;   /* per pattern: its regex's JIT-compiled
                                     copy, made on first use (match.c);
                                     NULL until then, TRI_NO_JIT when JIT
                                     cannot take it                       */
    /* Per pattern, NULL for most: a regex that opens with a lookbehind,
     * split in two (runtime.c, match.c); NULL when no regex is split. */
    struct tri_rx_split {
        pcre2_code *rest;         /* the regex after its lookbehind        */
        pcre2_code *lb;           /* the lookbehind alone                  */
        int jit;                  /* rest is JIT-compiled                  */
    } **split;
    uint32_t *slow;               /* regex patterns run by PCRE2 alone    */
    uint32_t n_slow;
    /* Per pattern, the rules it triggers: a rule is evaluated only when
     * one of its triggers hit; the zero-hit rules need no hit, have no
     * triggers and are evaluated on every text (rule_triggers.c). */
    uint32_t *trig_first;         /* n_patterns + 1 starts into trig_rules */
    uint32_t *trig_rules;
    uint32_t *zero_hit_rules;     uint32_t n_zero_hit;
    /* Per node and part: its leaves' patterns, sorted, and its other kids,
     * so a long keyword list is checked against the text's few hit
     * patterns instead of item by item (runtime.c, score.c). */
    struct tri_part_index {
        uint32_t leaves_first, n_leaves, others_first, n_others;
        uint32_t slot;            /* parts with leaves: 0..n_slots-1      */
    } *parts;                     /* n_nodes * TRI_PART_COUNT             */
    uint32_t *part_items;
    uint32_t n_slots;
    uint8_t *pat_claims;          /* per pattern: used outside 'none' by a
                                   * rule, so its hits own their words and
                                   * hide cues inside them (context.c)    */
    uint32_t *pat_slots_first;    /* per pattern: the slots it is a leaf  */
    uint32_t *pat_slots;          /*   of, pat_slots[first[p]..first[p+1]) */
    /* JSON pieces that never change, rendered once (runtime.c): each
     * script object, each tag object, each rule id and vocabulary name as a
     * JSON string, and the closing ruleset member. */
    struct tri_buf json;
    uint32_t *script_json;        /* per script: offset, length pairs     */
    uint32_t *tag_json;           /* per tag: offset, length pairs        */
    uint32_t *rule_json;          /* per rule: its id as a JSON string    */
    uint32_t *vocab_json;         /* per vocab entry: its name, quoted    */
    uint32_t ruleset_json[2];
    struct tri_bayes_rt {         /* per model: built from its counts     */
        double *prior;            /* log P(class)                         */
        uint32_t p_first;         /* its classes in bayes_p and a record  */
    } *bayes_rt;
    /* One token table for all models, which mostly share a vocabulary: a
     * text's token is looked up once, in one record (bayes_table.c). */
    uint32_t *btok_slots;         /* open addressing: record + 1, then hash */
    uint32_t btok_mask;
    union tri_bword *btok_rec;    /* the token records, back to back      */
    uint32_t bayes_classes;       /* classes of all models                */
};

static inline const char *tri_str(const struct tri_table *t, uint32_t off)
{
    return off == TRI_NONE ? NULL : t->pool.data + off;
}

triage_status tri_pool_add(struct tri_table *t, const char *s, size_t n,
                           uint32_t *off);

/* Build the runtime parts (Vectorscan databases, PCRE2 codes, indexes) of
 * a ruleset whose table is filled (runtime.c); a database a loaded table
 * brought is kept, a missing one taken from the cache folder 'cache_dir'
 * (NULL: none) or compiled. Errors go to 'diag' when it is not NULL.
 * 'pre', when not NULL, holds the compiler's prefilters for the first
 * 'n_pre' patterns; the regex database takes their expressions (set to
 * NULL) instead of computing them again. */
struct tri_diag_sink;
/* A regex's prefilter as the compiler made it (compile_rules.c): asking
 * Vectorscan about 1,471 relaxed forms took a fifth of a cached compile,
 * and the runtime asked again. 'why' is the library's refusal (then no
 * expression), for the warning at each place the regex is written. */
struct tri_prefilter {
    char *expr, *why;
    unsigned flags;
};
triage_status tri_runtime_build(struct triage_ruleset *rs, const char *cache_dir,
                                struct tri_diag_sink *diag, struct tri_prefilter *pre,
                                size_t n_pre);
/* How the regex database compiles each prefilter. No SINGLEMATCH: the
 * library does not promise that the one match it would report is the
 * earliest, and match.c searches from the earliest to the latest. */
#define TRI_HS_REGEX_FLAGS (HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_CASELESS | \
                            HS_FLAG_PREFILTER | HS_FLAG_DOTALL)
/* The expression Vectorscan compiles to nominate a regex and, in
 * '*flags', the flags to compile it with (runtime.c); 'why', when not
 * NULL, receives Vectorscan's refusal of it or NULL. */
char *tri_prefilter_expr(const char *re, size_t len, unsigned *flags,
                         hs_compile_error_t **why);
/* How far before the end of its first nomination a regex's first match
 * can start, in bytes; 0 when not known (runtime.c). */
uint32_t tri_regex_reach(const char *re, size_t len);
struct tri_rx_split;
void tri_split_free(struct tri_rx_split *sp);
void tri_table_free(struct tri_table *t);
/* CRC-32 (IEEE, zlib's values; crc32.c), and the same continued from
 * 'crc' over more bytes. */
uint32_t tri_crc32(const unsigned char *p, size_t n);
uint32_t tri_crc32_update(uint32_t crc, const unsigned char *p, size_t n);
/* The checksum a saved table of 'len' bytes (header included) carries:
 * its body and the library name in its header (table_io.c). Tests and
 * the load fuzzer use it to forge valid-looking damaged files. */
uint32_t tri_tdb_crc(const unsigned char *file, size_t len);

/* ---- scratch and result ----------------------------------------------- */

#define TRI_HIT_NEG 0x1u
#define TRI_HIT_HYPO 0x2u
#define TRI_HIT_QUESTION 0x4u
#define TRI_HIT_COUNTED 0x8u

struct tri_hit {
    uint32_t pattern;
    uint32_t start, end;  /* folded bytes                                 */
    uint32_t flags;
};

struct tri_field {
    uint32_t pattern;
    const char *name;     /* borrowed from the PCRE2 name table           */
    uint32_t start, end;  /* folded bytes                                 */
};

struct tri_trace_rec {
    triage_trace_kind kind;
    const char *id;
    int ok, depth;
    uint32_t detail;      /* offset in scratch trace_text                 */
};

struct triage_result {
    const struct triage_ruleset *rs;
    struct triage_scratch *s;
    uint32_t type, nature, severity, temperament, level;
    double confidence, hours;
    const char *team;
    uint32_t lang;
    unsigned flags;
    uint32_t also[8];
    unsigned n_also;
    uint32_t esc_row;
};

/* profile.c: counters of a scratch with profiling on. */
struct tri_profile {
    unsigned long long texts;
    double stage[TRIAGE_STAGE_COUNT];
    double scan_regexes;         /* of the scan stage, the regex database */
    double clock_cost;           /* one clock read, taken off each span   */
    struct tri_rule_prof {
        double eval_s, regex_s;
        unsigned long long evals, fired, regex_runs;
    } *rules;                    /* per rule                                */
    struct tri_regex_prof {
        double s;
        unsigned long long runs;
    } *regexes;                  /* per pattern (only regexes count)       */
    uint32_t *rx_list, n_rx;     /* the regex patterns, in table order     */
};
double tri_now(void);
double tri_profile_since(const struct tri_profile *p, double t0);
void tri_profile_regex(struct triage_scratch *s, uint32_t pat, double secs);

struct triage_scratch {
    const struct triage_ruleset *rs;
    struct tri_profile *prof;    /* NULL unless profiling                 */
    int busy;
    int trace_on;
    int fired_hits_only;         /* triage_scratch_set_hits: not ALL       */
    int oom;                     /* the Vectorscan callback ran out       */
    hs_scratch_t *hs;
    pcre2_match_data *md;
    pcre2_match_data *md_lb;     /* a split regex's lookbehind test        */
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit;
    struct tri_norm norm;
    const char *orig;            /* orig_copy.data: the text of the result */
    size_t orig_len;
    struct tri_buf orig_copy;    /* results outlive the caller's buffer   */
    struct tri_hit *hits;        size_t n_hits, hits_cap;
    struct tri_hit *cues;        size_t n_cues, cues_cap;
    uint32_t *bounds;            size_t n_bounds, bounds_cap; /* clauses  */
    uint32_t *neg_bounds;        size_t n_neg_bounds, neg_bounds_cap; /* + 就 */
    /* per pattern: gen when it had hits, its first hit in byp and their
     * count; one struct, so a hit's pattern costs one cache line */
    struct tri_pat_hits { uint32_t gen, first, count; } *pat;
    /* per rule: gen when it is a candidate; its hits, then a fill */
    /* gen: a candidate; tgen: a trigger hit too (rule_triggers.c) */
    struct tri_rule_hits { uint32_t gen, nhits, tgen; } *rule;
    /* per slot: gen when a leaf of it hit; the first of its slot_links */
    struct tri_slot_hits { uint32_t gen, head; } *slot;
    struct tri_slot_link { uint32_t pattern, next; } *slot_links;
    size_t n_slot_links, slot_links_cap;
    uint32_t *cand;              size_t n_cand;
    size_t n_evals;              /* candidates evaluated (rule_triggers.c) */
    uint64_t *cand_bits;         /* a bit per rule, to order many candidates */
    uint32_t *touched;           size_t n_touched; /* patterns with hits */
    uint32_t *byp;               size_t byp_cap; /* hits grouped by pattern */
    /* regex candidates: the pattern, the earliest and latest ends
     * Vectorscan reported; rx_slot, per regex database id, its place in
     * rx when that entry has its id (match.c on_regex) */
    struct tri_rx_nom { uint32_t pat, first, last, id; } *rx; size_t n_rx;
    uint32_t *rx_slot;
    uint32_t *maxend;            size_t maxend_cap; /* context: prefix max */
    struct tri_rhit { uint32_t rule, hit, counted; } *rhits;
    size_t n_rhits, rhits_cap;
    uint32_t *pos;               size_t pos_cap;   /* within: positions  */
    uint8_t *fired;              /* per rule: 1 when it fired on this text
                                  * (the last text's are cleared first)   */
    uint32_t *fired_list;        size_t n_fired;
    uint32_t *tag_gen;           /* per tag: gen when set                  */
    uint32_t *tags;              size_t n_tags;
    double *scores[TRIAGE_AXIS_COUNT]; /* type, nature, -, temperament     */
    double *rule_scores;         /* type votes of the rules alone (also)   */
    double *bayes_p;             /* per model and class: posterior         */
    /* the text's tokens counted so far: record + 1, then BSEEN_* flags */
    uint32_t *bseen;             size_t bseen_cap, bseen_mask;
    /* explain: the (model, record) pairs that added evidence */
    uint32_t *bayes_rows;        size_t n_bayes_rows, bayes_rows_cap;
    /* the text's tokens; denied: it lies on a negated hit */
    struct tri_span { uint32_t off, len, hash, denied; } *btok;
    size_t n_btok, btok_cap;
    int btok_oom;
    uint32_t *scripts;           size_t n_scripts;
    struct tri_field *fields;    size_t n_fields, fields_cap;
    uint32_t gen;
    struct tri_buf json;
    struct tri_buf trace_text;
    struct tri_trace_rec *trace; size_t n_trace, trace_cap;
    struct triage_reply_issue *issues; size_t n_issues, issues_cap;
    struct triage_result result;
};

/* match.c: find every pattern hit in s->norm.text. */
triage_status tri_match(const struct triage_ruleset *rs, struct triage_scratch *s);
/* context.c: mark hits negated, hypothetical, question. */
triage_status tri_context(const struct triage_ruleset *rs, struct triage_scratch *s);
/* context.c: the first of n sorted bounds at or after pos (n if none);
 * 1 if only particles or a few English words lie in [from, to). */
size_t tri_next_bound(const uint32_t *bounds, size_t n, uint32_t pos);
int tri_ends_clause(const struct tri_norm *n, uint32_t from, uint32_t to);
/* context.c: past one symptom verb after a cue ending in 没/冇 ("都没起"). */
uint32_t tri_post_neg_tail(const struct tri_norm *n, uint32_t end, uint32_t to);
/* negation_forms.c: cancel the two cues of each double negation (flags 2);
 * mark what an answer cue ("头晕？没有。") denies, up to 'scope' code points. */
void tri_cancel_double_negations(struct triage_scratch *s);
void tri_mark_answer(struct triage_scratch *s, const struct tri_hit *c, uint32_t scope);
/* hit_index.c: per-text indexes over the hits for score.c; the qsort
 * comparator of uint32_t shared with runtime.c. */
int tri_cmp_u32(const void *a, const void *b);
triage_status tri_index_hits(struct triage_scratch *s);
void tri_candidates(struct triage_scratch *s);
triage_status tri_record_hits(struct triage_scratch *s);
/* score.c: evaluate candidate rules over the marked hits. */
triage_status tri_rules_eval(struct triage_scratch *s);
uint32_t tri_rule_modes(const struct tri_rule *r);
int tri_hit_ok(uint32_t modes, const struct tri_hit *h);
/* The words rules spell modes with, indexed by enum tri_mode and enum
 * tri_mode_flag; the enum tri_mode of a word, or -1. */
extern const char *const tri_mode_names[3];
extern const char *const tri_mode_flag_names[3];
int tri_mode_from_name(const char *name);
/* Whether hit h counts for fired rule r: some leaf of its pattern, outside
 * 'none', takes it under the modes in force there. */
int tri_hit_counted(const struct tri_table *t, const struct tri_rule *r,
                    const struct tri_hit *h);
/* decide.c: votes, type, escalation and scripts into s->result. */
void tri_decide(struct triage_scratch *s);
int tri_when_holds(const struct triage_scratch *s, const struct tri_when *w);
/* bayes.c: the models' runtime parts, and their posteriors for a text. */
/* rule_triggers.c: the patterns that let a rule be evaluated. */
triage_status tri_index_triggers(struct triage_ruleset *rs);

triage_status tri_bayes_build(struct triage_ruleset *rs);
void tri_bayes_free(struct triage_ruleset *rs);
triage_status tri_bayes_scratch(struct triage_scratch *s);
triage_status tri_bayes_score(struct triage_scratch *s);
void tri_bayes_trace(struct triage_scratch *s, uint32_t model);
/* The likeliest of n classes other than 'skip' (TRI_NONE: none skipped),
 * the first on ties; 0 when no other class exists. */
uint32_t tri_bayes_top(const double *p, uint32_t n, uint32_t skip);
uint32_t tri_bayes_hash(const char *s, size_t n);
/* Call fn on every token of a folded text: each Han character, each pair
 * of adjacent Han characters, each ASCII word of 2+ bytes with a letter. */
void tri_bayes_tokens(const char *text, size_t len,
                      void (*fn)(void *ctx, const char *tok, size_t n), void *ctx);
/* classify.c: record one trace step. Called through tri_trace, which
 * tests trace_on first: the untraced path makes no call and evaluates no
 * argument (rule ids, messages) per rule, row and script. */
void tri_trace_add(struct triage_scratch *s, triage_trace_kind kind,
                   const char *id, int ok, int depth, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
#define tri_trace(s, ...) \
    ((s)->trace_on ? tri_trace_add((s), __VA_ARGS__) : (void)0)
/* Code points between two folded byte offsets, counting at most 'cap'. */
uint32_t tri_cp_between(const struct triage_scratch *s, uint32_t a, uint32_t b);
const char *tri_vocab_str(const triage_ruleset *rs, triage_axis a, uint32_t i);

#endif
