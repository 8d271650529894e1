/*
 * compile_int.h - private declarations of the rule compiler: diagnostics,
 * the bounded YAML tree, and the passes that turn trees into a table.
 */
#ifndef TRI_COMPILE_INT_H
#define TRI_COMPILE_INT_H

#include "internal.h"

#define TRI_MAX_FILE (16u << 20)   /* bytes of one rule file              */
#define TRI_MAX_SCALAR (64u << 10) /* bytes of one YAML scalar            */
#define TRI_MAX_DEPTH 64           /* YAML nesting                        */

/* ---- diagnostics (diag.c) ---------------------------------------------- */
struct tri_diag_sink {
    triage_diag_fn fn;
    void *user;
    unsigned errors, warnings;
    triage_status first_error;
    triage_diag last;
    struct tri_buf last_text;    /* message, file and rule id of 'last'   */
};

void tri_diag(struct tri_diag_sink *d, triage_status code, int warning,
              const char *file, unsigned line, unsigned col,
              const char *rule_id, int pattern, int pat_off,
              const char *fmt, ...) __attribute__((format(printf, 10, 11)));
void tri_diag_free(struct tri_diag_sink *d);

/* ---- YAML tree (yaml_doc.c) -------------------------------------------- */
enum tri_ykind { TRI_Y_SCALAR = 0, TRI_Y_SEQ, TRI_Y_MAP };

struct tri_ynode {
    enum tri_ykind kind;
    unsigned line, col;          /* 1-based                              */
    char *str;                   /* scalar: NUL-terminated copy          */
    size_t len;
    int plain;                   /* scalar written without quotes        */
    struct tri_ynode **kids;     /* seq: items; map: key, value, ...     */
    size_t n;                    /* number of kids                       */
};

struct tri_ydoc {
    char *file;
    struct tri_ynode *root;      /* NULL for an empty document           */
    struct tri_ydoc *next;
};

/* Parse one YAML text; errors go to d. Returns TRIAGE_OK with *out set, or
 * an error status (nothing kept). */
triage_status tri_yaml_parse(const char *file, const char *text, size_t len,
                             struct tri_diag_sink *d, struct tri_ydoc **out);
void tri_ydoc_free(struct tri_ydoc *doc);

/* ---- compiler state ---------------------------------------------------- */
struct triage_compiler {
    struct tri_diag_sink diag;
    struct tri_ydoc *docs, **docs_tail;
    uint64_t hash[2];            /* content hash of every text added      */
    unsigned n_docs;
    char *cache_dir;             /* Vectorscan databases kept, or NULL    */
};

/* What the passes share while building one table. */
struct tri_build {
    struct triage_compiler *c;
    struct triage_ruleset *rs;
    struct tri_table *t;
    const char *file;            /* document being walked                 */
    const char *rule_id;         /* rule being walked, for diagnostics    */
    int declared[TRIAGE_AXIS_COUNT];
    int have_context, have_defaults;
    struct tri_buf u32s;         /* staging for t->u32s                    */
    struct tri_buf patterns, nodes, kids, rules, esc, scripts, checks, bayes;
    struct tri_buf esc_files, script_files; /* const char *: row's file  */
    struct tri_buf vaxis[TRIAGE_AXIS_COUNT]; /* tri_vocab_entry per axis */
    struct tri_buf tagnodes;     /* first use of each open value (lint)   */
    struct tri_buf lists;        /* named conditions (compile_lists.c)    */
    struct tri_buf prefilters;   /* tri_prefilter per pattern, for runtime */
    uint32_t *pat_hash;          /* open addressing: pattern index + 1    */
    size_t pat_hash_cap;
};

/* Tree helpers (compile_util.c). */
const struct tri_ynode *tri_map_get(const struct tri_ynode *map, const char *key);
int tri_check_keys(struct tri_build *b, const struct tri_ynode *map,
                   const char *const *allowed, const char *what);
int tri_expect(struct tri_build *b, const struct tri_ynode *n,
               enum tri_ykind kind, const char *what);
int tri_get_double(struct tri_build *b, const struct tri_ynode *n,
                   double lo, double hi, double *out);
int tri_get_uint(struct tri_build *b, const struct tri_ynode *n,
                 uint32_t lo, uint32_t hi, uint32_t *out);
int tri_get_bool(struct tri_build *b, const struct tri_ynode *n, int *out);
void tri_err(struct tri_build *b, const struct tri_ynode *n, triage_status code,
             const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void tri_warn(struct tri_build *b, const struct tri_ynode *n,
              const char *fmt, ...) __attribute__((format(printf, 3, 4)));
uint32_t tri_u32_push(struct tri_build *b, uint32_t v);
uint32_t tri_u32_count(const struct tri_build *b);

/* Vocabularies (compile_vocab.c). */
triage_status tri_vocab_declare(struct tri_build *b, const struct tri_ynode *root);
/* Index of 'name' on axis a; open axes add it. TRI_NONE + error if unknown. */
uint32_t tri_vocab_ref(struct tri_build *b, triage_axis a,
                       const struct tri_ynode *n);
void tri_vocab_seed(struct tri_build *b);
triage_status tri_vocab_finish(struct tri_build *b);
triage_status tri_defaults_compile(struct tri_build *b, const struct tri_ynode *n);
triage_status tri_header_compile(struct tri_build *b, const struct tri_ynode *n);

/* Rules and context (compile_rules.c). */
triage_status tri_rules_compile(struct tri_build *b, const struct tri_ynode *seq,
                                int is_cue);
triage_status tri_context_compile(struct tri_build *b, const struct tri_ynode *n);

/* Named conditions rules share (compile_lists.c). */
void tri_lists_declare(struct tri_build *b, const struct tri_ynode *seq);
uint32_t tri_list_use(struct tri_build *b, const struct tri_ynode *n, int depth,
                      uint32_t (*compile)(struct tri_build *, const struct tri_ynode *, int));
void tri_lists_finish(struct tri_build *b);
triage_status tri_context_default(struct tri_build *b);
uint32_t tri_pattern_add(struct tri_build *b, const struct tri_ynode *n,
                         enum tri_pat_kind kind, enum tri_cue_role role);
void tri_prefilters_free(struct tri_build *b);

/* Escalation, scripts, reply checks (compile_tables.c). */
triage_status tri_escalation_compile(struct tri_build *b, const struct tri_ynode *seq);
triage_status tri_scripts_compile(struct tri_build *b, const struct tri_ynode *seq);
triage_status tri_checks_compile(struct tri_build *b, const struct tri_ynode *seq);
triage_status tri_escalation_finish(struct tri_build *b);
triage_status tri_scripts_finish(struct tri_build *b);

/* Naive Bayes models written by `triage learn` (compile_bayes.c). */
triage_status tri_bayes_compile(struct tri_build *b, const struct tri_ynode *seq);

/* Folding of a rule literal the same way as text (compile_util.c). */
triage_status tri_fold_literal(const char *s, size_t n, struct tri_buf *out);
triage_status tri_fold_regex(const char *s, size_t n, struct tri_buf *out);

#endif
