/*
 * triage.h - the only public header of libtriage, a rule-based complaint
 * triage engine: YAML rules compile into an immutable rule set that any
 * number of threads use to classify complaint text, each with its own scratch.
 */
#ifndef TRIAGE_H
#define TRIAGE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define TRIAGE_API __attribute__((visibility("default")))
#else
#define TRIAGE_API
#endif

#define TRIAGE_VERSION_MAJOR 1
#define TRIAGE_VERSION_MINOR 0
#define TRIAGE_VERSION_PATCH 0
#define TRIAGE_VERSION_STRING "1.0.0"
/** Version of the JSON result schema (docs/result.md). */
#define TRIAGE_SCHEMA_VERSION 1

typedef struct triage_compiler triage_compiler; /* mutable, one thread     */
typedef struct triage_ruleset triage_ruleset;   /* immutable, shareable    */
typedef struct triage_scratch triage_scratch;   /* one per thread          */
typedef struct triage_result triage_result;     /* lives in a scratch      */

typedef enum triage_status {
    TRIAGE_OK = 0,
    TRIAGE_ENOMEM = 1,
    TRIAGE_EINVAL = 2,         /* caller bug: NULL handle, bad argument    */
    TRIAGE_EIO = 3,            /* a file could not be read or written      */
    TRIAGE_ERULE_SYNTAX = 4,   /* YAML not well formed                     */
    TRIAGE_ERULE_SCHEMA = 5,   /* valid YAML, invalid rule                 */
    TRIAGE_EPATTERN = 6,       /* regex rejected by PCRE2 or Vectorscan    */
    TRIAGE_EVERSION = 7,       /* compiled table from another version      */
    TRIAGE_ECORRUPT = 8,       /* bad magic, size or checksum              */
    TRIAGE_ESCRATCH_BUSY = 9,  /* scratch used by two calls at once        */
    TRIAGE_EPLATFORM = 10,     /* table built for other CPU features       */
    TRIAGE_ENORULES = 11,      /* nothing to compile                       */
    TRIAGE_ELIMIT = 12,        /* an input exceeds a documented bound      */
    TRIAGE_EMISMATCH = 13,     /* scratch made for another rule set        */
    TRIAGE_ENOTFOUND = 14      /* named rule or item does not exist        */
    /* Append only. Never renumber or reuse a value. */
} triage_status;

/** A static, human-readable message for a status. Never NULL. */
TRIAGE_API const char *triage_strerror(triage_status st);

/** The library version string, e.g. "1.0.0". */
TRIAGE_API const char *triage_version(void);

/* ---- Compiler diagnostics ------------------------------------------- */

typedef struct triage_diag {
    triage_status code;
    int is_warning;       /* 1: warning, compilation goes on            */
    const char *file;     /* borrowed: valid only during the callback   */
    unsigned line;        /* 1-based, 0 = unknown                       */
    unsigned column;      /* 1-based, 0 = unknown                       */
    const char *rule_id;  /* NULL outside a rule                        */
    int pattern;          /* index inside the rule, -1 if none          */
    int pattern_offset;   /* byte offset of a regex error, -1 if none   */
    const char *message;
} triage_diag;

typedef void (*triage_diag_fn)(const triage_diag *diag, void *user);

/** Create a compiler. *out is set to NULL on failure. */
TRIAGE_API triage_status triage_compiler_create(triage_compiler **out);
/** Destroy a compiler. NULL is a no-op. */
TRIAGE_API void triage_compiler_destroy(triage_compiler *c);
/** Every diagnostic (error or warning) is passed to fn as it is found. */
TRIAGE_API void triage_compiler_set_diag(triage_compiler *c, triage_diag_fn fn,
                                         void *user);
/**
 * Keep the compiled Vectorscan databases in the folder 'dir' (which must
 * exist), named by a hash of the patterns that went into them, and take
 * them from there when a later compile has the same patterns: an edit
 * that leaves the regexes alone (a keyword, a script, a weight) then skips
 * their build, most of a large rule set's compile time. The newest six
 * are kept. A cache never fails a compile. NULL turns it off (default).
 */
TRIAGE_API triage_status triage_compiler_set_cache(triage_compiler *c,
                                                   const char *dir);
/**
 * Add one YAML document. 'name' labels diagnostics (copied). 'yaml' is
 * borrowed for the call. Errors are reported through the diag callback and
 * the call still returns the first error's status; later calls go on so a
 * single run reports every error.
 */
TRIAGE_API triage_status triage_compiler_add_string(triage_compiler *c,
                                                    const char *name,
                                                    const char *yaml,
                                                    size_t len);
/**
 * Add a file, or a folder searched recursively for *.yaml and *.yml in
 * byte order of their paths.
 */
TRIAGE_API triage_status triage_compiler_add_path(triage_compiler *c,
                                                  const char *path);
/**
 * Check everything added, resolve vocabularies and compile the patterns.
 * On success the caller owns *out (free with triage_ruleset_destroy()).
 * On failure *out is NULL and every error went to the diag callback.
 */
TRIAGE_API triage_status triage_compiler_finish(triage_compiler *c,
                                                triage_ruleset **out);
/** The last diagnostic reported, borrowed until the compiler changes. */
TRIAGE_API const triage_diag *triage_compiler_last_diag(const triage_compiler *c);
/** Number of errors and warnings reported so far. */
TRIAGE_API unsigned triage_compiler_errors(const triage_compiler *c);
TRIAGE_API unsigned triage_compiler_warnings(const triage_compiler *c);

/**
 * Look for problems that compile but should not ship (see docs/rules.md,
 * "Lint"): findings go to the diag callback, warnings and errors alike.
 * 'rs' must come from triage_compiler_finish() on the same compiler.
 * @return TRIAGE_OK (warnings may have been reported), TRIAGE_ERULE_SCHEMA
 *         when an error was found, TRIAGE_EINVAL.
 */
TRIAGE_API triage_status triage_compiler_lint(triage_compiler *c,
                                              const triage_ruleset *rs);

/* ---- Rule sets ------------------------------------------------------- */

/** Save a compiled rule set to 'path' atomically (temporary file, rename). */
TRIAGE_API triage_status triage_ruleset_save(const triage_ruleset *rs,
                                             const char *path);
/**
 * Load a saved table. A file from another format or engine version gives
 * TRIAGE_EVERSION, a damaged one TRIAGE_ECORRUPT; each means "recompile
 * the rules". A table whose Vectorscan databases were built by another
 * Hyperscan library or for CPU features this machine lacks loads, its
 * databases compiled again from the table (seconds for a large rule
 * set): triage_ruleset_rebuilt() says so.
 */
TRIAGE_API triage_status triage_ruleset_load(const char *path,
                                             triage_ruleset **out);
/**
 * Same as triage_ruleset_load(); databases the load must compile (a table
 * of another library or CPU) are taken from, or kept in, the folder
 * 'cache_dir' (NULL: none), as triage_compiler_set_cache() keeps them:
 * only the first load of such a table pays for the compile.
 */
TRIAGE_API triage_status triage_ruleset_load_cached(const char *path,
                                                    const char *cache_dir,
                                                    triage_ruleset **out);
/** Same as triage_ruleset_load(), from memory (borrowed for the call). */
TRIAGE_API triage_status triage_ruleset_load_mem(const void *data, size_t len,
                                                 triage_ruleset **out);
/** Destroy a rule set. NULL is a no-op. No scratch may still be in use. */
TRIAGE_API void triage_ruleset_destroy(triage_ruleset *rs);

typedef struct triage_ruleset_info {
    const char *name;      /* from the ruleset: header, "" if none      */
    const char *version;
    const char *hash;      /* hex SHA-256-like content hash of the YAML  */
    unsigned rules;        /* rules and cues                             */
    unsigned patterns;     /* distinct keyword and regex patterns        */
    unsigned slow_patterns;/* regexes Vectorscan could not take          */
    unsigned escalation_rows;
    unsigned scripts;
} triage_ruleset_info;

/** Fill *info; the strings are borrowed from rs. */
TRIAGE_API triage_status triage_ruleset_get_info(const triage_ruleset *rs,
                                                 triage_ruleset_info *info);

/**
 * Why a loaded table's Vectorscan databases were compiled at load instead
 * of taken from the file: TRIAGE_EVERSION (another Hyperscan library) or
 * TRIAGE_EPLATFORM (built for CPU features this machine lacks); TRIAGE_OK
 * when they were not, or the rule set was compiled, not loaded. Saving the
 * rule set again writes a table that loads here without that cost.
 */
TRIAGE_API triage_status triage_ruleset_rebuilt(const triage_ruleset *rs);

/* ---- Vocabulary and rule introspection (for tools such as lint) ------ */

typedef enum triage_axis {
    TRIAGE_AXIS_TYPE = 0,
    TRIAGE_AXIS_NATURE = 1,
    TRIAGE_AXIS_SEVERITY = 2,
    TRIAGE_AXIS_TEMPERAMENT = 3,
    TRIAGE_AXIS_LEVEL = 4,
    TRIAGE_AXIS_TAG = 5
} triage_axis;
#define TRIAGE_AXIS_COUNT 6

/** Number of values of an axis and the i-th (borrowed) value name. */
TRIAGE_API unsigned triage_vocab_count(const triage_ruleset *rs, triage_axis a);
TRIAGE_API const char *triage_vocab_name(const triage_ruleset *rs,
                                         triage_axis a, unsigned i);

typedef struct triage_rule_info {
    const char *id;
    const char *file;     /* where it was written                        */
    unsigned line, column;
    const char *type;     /* NULL when the rule sets none                */
    const char *nature;
    const char *severity;
    const char *temperament;
    double weight;
} triage_rule_info;

TRIAGE_API unsigned triage_rule_count(const triage_ruleset *rs);
TRIAGE_API triage_status triage_rule_get(const triage_ruleset *rs, unsigned i,
                                         triage_rule_info *info);
/** Index of the rule called 'id', or TRIAGE_ENOTFOUND. */
TRIAGE_API triage_status triage_rule_find(const triage_ruleset *rs,
                                          const char *id, unsigned *index);

/* ---- Classification -------------------------------------------------- */

/** Create a scratch for rs (one per thread). */
TRIAGE_API triage_status triage_scratch_create(const triage_ruleset *rs,
                                               triage_scratch **out);
/** Destroy a scratch. NULL is a no-op. */
TRIAGE_API void triage_scratch_destroy(triage_scratch *s);

/**
 * Classify one complaint. 'text' need not be NUL-terminated and may hold
 * any bytes (invalid UTF-8 is flagged, not refused). On success *out is
 * owned by 's' and valid until the next call using 's'.
 */
TRIAGE_API triage_status triage_classify(const triage_ruleset *rs,
                                         triage_scratch *s, const char *text,
                                         size_t len, const triage_result **out);

/* Result accessors. Strings are borrowed from the result or rule set. */
TRIAGE_API const char *triage_result_type(const triage_result *r);
TRIAGE_API double triage_result_confidence(const triage_result *r);
TRIAGE_API const char *triage_result_nature(const triage_result *r);
TRIAGE_API const char *triage_result_severity(const triage_result *r);
TRIAGE_API const char *triage_result_temperament(const triage_result *r);
TRIAGE_API const char *triage_result_lang(const triage_result *r);
TRIAGE_API const char *triage_result_level(const triage_result *r);
TRIAGE_API const char *triage_result_team(const triage_result *r);
TRIAGE_API double triage_result_hours(const triage_result *r);
/** Further types above the 'also' threshold, strongest first. */
TRIAGE_API unsigned triage_result_also_count(const triage_result *r);
TRIAGE_API const char *triage_result_also(const triage_result *r, unsigned i);
/** Score of the type value with vocabulary index i. */
TRIAGE_API double triage_result_type_score(const triage_result *r, unsigned i);

#define TRIAGE_FLAG_INVALID_UTF8 0x01u
#define TRIAGE_FLAG_NO_MATCH 0x02u
#define TRIAGE_FLAG_CLOSE_CALL 0x04u
#define TRIAGE_FLAG_TRUNCATED 0x08u  /* hit or text limits were reached */
#define TRIAGE_FLAG_REGEX_LIMIT 0x10u /* a regex hit the PCRE2 match limit */
TRIAGE_API unsigned triage_result_flags(const triage_result *r);
/** Name of one TRIAGE_FLAG_ bit as results print it ("invalid_utf8",
 *  "no_match", "close_call", "truncated", "regex_limit"); NULL for any other
 *  value. Flags are bits 0..4, so a loop over 1u << i for i < 5 lists them. */
TRIAGE_API const char *triage_flag_name(unsigned flag);

/** Fired rules (affirmed, condition true), in rule order. */
TRIAGE_API unsigned triage_result_fired_count(const triage_result *r);
TRIAGE_API const char *triage_result_fired(const triage_result *r, unsigned i);
/** Chosen reply scripts. */
TRIAGE_API unsigned triage_result_script_count(const triage_result *r);
TRIAGE_API const char *triage_result_script_id(const triage_result *r,
                                               unsigned i);
TRIAGE_API const char *triage_result_script_text(const triage_result *r,
                                                 unsigned i);
/** Union of the fired rules' tags. */
TRIAGE_API unsigned triage_result_tag_count(const triage_result *r);
TRIAGE_API const char *triage_result_tag(const triage_result *r, unsigned i);

typedef struct triage_hit {
    const char *rule_id;
    size_t start, end;    /* [start, end) bytes of the ORIGINAL text   */
    int negated;
    int hypothetical;
    int question;
    int counted;          /* 1 if it helped its rule fire               */
} triage_hit;

TRIAGE_API unsigned triage_result_hit_count(const triage_result *r);
TRIAGE_API triage_status triage_result_hit(const triage_result *r, unsigned i,
                                           triage_hit *hit);

/**
 * Render the result as one line of JSON (docs/result.md), without a
 * trailing newline. 'id' (may be NULL) is written as the "id" member.
 * The string is owned by the scratch and valid until its next call.
 */
TRIAGE_API triage_status triage_result_json(const triage_result *r,
                                            const char *id, const char **json,
                                            size_t *len);

/* Which hits the JSON lists: every hit of every rule with a hit (the
 * default, what explain shows), hits of rules that fired, only the hits
 * that counted for them, or none. A long complaint against a large rule
 * set can hold hundreds of hits; batch consumers may want fewer. */
typedef enum triage_json_hits {
    TRIAGE_JSON_HITS_ALL = 0,
    TRIAGE_JSON_HITS_FIRED = 1,
    TRIAGE_JSON_HITS_COUNTED = 2,
    TRIAGE_JSON_HITS_NONE = 3
} triage_json_hits;

/** triage_result_json with a choice of hits (the member stays, maybe []). */
TRIAGE_API triage_status triage_result_json_hits(const triage_result *r,
                                                 const char *id,
                                                 triage_json_hits which,
                                                 const char **json, size_t *len);

/**
 * Which hits this scratch's results keep. TRIAGE_JSON_HITS_ALL (the
 * default) keeps every hit of every rule with a hit, as explain shows
 * them; any other value keeps only the hits of rules that fired, which
 * lets classification skip the rules that cannot fire (those with no hit
 * on a pattern their condition needs) altogether: batch triage sets it
 * unless asked for --hits all. triage_result_hit_count/_hit and the JSON
 * then list only those hits; everything else in a result is the same.
 * With the trace on, every hit is kept. TRIAGE_EINVAL for a bad value.
 */
TRIAGE_API triage_status triage_scratch_set_hits(triage_scratch *s, triage_json_hits which);

/* ---- Evaluation trace, for explain and rule-author tools ------------- */

typedef enum triage_trace_kind {
    TRIAGE_TRACE_RULE = 0,      /* a rule's verdict: fired or why not      */
    TRIAGE_TRACE_PART = 1,      /* a part of an all/any/none condition     */
    TRIAGE_TRACE_WITHIN = 2,    /* a within check and the best distance    */
    TRIAGE_TRACE_ESCALATION = 3,/* an escalation row tried                 */
    TRIAGE_TRACE_SCRIPT = 4,    /* a script chosen                         */
    TRIAGE_TRACE_CUE = 5,       /* a context cue found in the text         */
    TRIAGE_TRACE_BAYES = 6,     /* a Bayes model's posterior and tokens    */
    TRIAGE_TRACE_DECISION = 7   /* a precedence that chose the type        */
} triage_trace_kind;

typedef struct triage_trace_step {
    triage_trace_kind kind;
    const char *rule_id;  /* the rule, row or script id; may be NULL      */
    int ok;               /* fired / part satisfied / row matched         */
    const char *detail;   /* human text, e.g. "no pattern hit"            */
    int depth;            /* nesting of parts                             */
} triage_trace_step;

/**
 * Steps recorded by the last triage_classify() on s. Tracing is on only
 * after triage_scratch_set_trace(s, 1), so the fast path pays nothing.
 * A traced classification evaluates every candidate rule and searches
 * each nominated regex over the whole text, where the fast path skips
 * what cannot change the result; the result is the same, only slower.
 */
TRIAGE_API void triage_scratch_set_trace(triage_scratch *s, int on);
TRIAGE_API unsigned triage_trace_count(const triage_result *r);
TRIAGE_API triage_status triage_trace_get(const triage_result *r, unsigned i,
                                          triage_trace_step *step);

/* ---- Profile: where classification time goes ------------------------ */

typedef enum triage_stage {
    TRIAGE_STAGE_NORMALIZE = 0, /* folding, t2s, offset maps               */
    TRIAGE_STAGE_SCAN = 1,      /* the one Vectorscan pass over the text   */
    TRIAGE_STAGE_REGEX = 2,     /* PCRE2 confirmation and PCRE2-only regex */
    TRIAGE_STAGE_CONTEXT = 3,   /* negation, hypothetical, question marks  */
    TRIAGE_STAGE_RULES = 4,     /* rule conditions over the hits           */
    TRIAGE_STAGE_DECIDE = 5,    /* votes, escalation table, scripts        */
    TRIAGE_STAGE_COUNT = 6
} triage_stage;

typedef struct triage_stage_profile {
    unsigned long long texts;   /* classify calls profiled                 */
    double seconds[TRIAGE_STAGE_COUNT];
} triage_stage_profile;

/*
 * A rule's share of the time. Vectorscan matches every literal and regex
 * prefilter in one pass whose cost cannot be split by pattern, so a rule's
 * time is what is spent on it alone: its condition (incl. 'within'
 * searches) and the PCRE2 runs of its regexes, a run shared by n rules
 * counting 1/n to each.
 */
typedef struct triage_rule_profile {
    double seconds;               /* eval_seconds + regex_seconds          */
    double eval_seconds;
    double regex_seconds;
    unsigned long long evaluations; /* texts where it was evaluated: a
                                       pattern it needs hit (explain: any
                                       of its patterns)                   */
    unsigned long long fired;
    unsigned long long regex_runs;  /* PCRE2 runs of its regexes           */
} triage_rule_profile;

/**
 * Profiling on (counters allocated and zeroed; TRIAGE_ENOMEM) or off
 * (counters freed). Off by default: the fast path reads no clock.
 * Counters add up over every triage_classify() on s until reset.
 */
TRIAGE_API triage_status triage_scratch_set_profile(triage_scratch *s, int on);
TRIAGE_API void triage_profile_reset(triage_scratch *s);
/** TRIAGE_EINVAL when profiling is off. */
TRIAGE_API triage_status triage_profile_stages(const triage_scratch *s,
                                               triage_stage_profile *out);
/**
 * Of the scan stage's seconds, those spent in the regex prefilters'
 * database (the rest is the keywords' and context cues'): on a large rule
 * set most of the scan, and what a regex costs beyond its PCRE2 runs.
 * TRIAGE_EINVAL when profiling is off.
 */
TRIAGE_API triage_status triage_profile_scan_regexes(const triage_scratch *s,
                                                     double *seconds);
/** Rule i (as triage_rule_get) ; TRIAGE_EINVAL when off or out of range. */
TRIAGE_API triage_status triage_profile_rule(const triage_scratch *s, unsigned i,
                                             triage_rule_profile *out);

/*
 * One regex's PCRE2 runs, whichever rules share it: a rule with several
 * regexes shows which one is slow, and the cost of a run shows the
 * regex's shape (one that opens with a lookbehind is tried at every
 * position of the text).
 */
typedef struct triage_regex_profile {
    const char *source;           /* as compiled (its Han characters folded) */
    const char *rule_id;          /* the first rule or cue using it, or NULL:
                                     a context cue (negation and the like)  */
    double seconds;               /* all its PCRE2 runs                      */
    unsigned long long runs;      /* texts where it ran: Vectorscan nominated
                                     it, or every text for a PCRE2-only one */
} triage_regex_profile;

/** How many regexes the rule set has (0 when profiling is off). */
TRIAGE_API unsigned triage_profile_regex_count(const triage_scratch *s);
/** Regex i, 0 <= i < triage_profile_regex_count(); TRIAGE_EINVAL otherwise. */
TRIAGE_API triage_status triage_profile_regex(const triage_scratch *s, unsigned i,
                                              triage_regex_profile *out);

/* ---- Reply checking -------------------------------------------------- */

typedef struct triage_reply_issue {
    const char *check_id; /* the reply check that matched                 */
    const char *phrase;   /* the listed phrase (folded form)              */
    const char *message;
    int is_warning;
    size_t start, end;    /* bytes of the ORIGINAL reply text              */
} triage_reply_issue;

/**
 * Check an agent's draft reply against the rule set's reply checks.
 * 'followup' selects checks that apply to follow-up calls too. Results are
 * owned by s, valid until its next call.
 */
TRIAGE_API triage_status triage_check_reply(const triage_ruleset *rs,
                                            triage_scratch *s,
                                            const char *text, size_t len,
                                            int followup,
                                            const triage_reply_issue **issues,
                                            unsigned *count);

/**
 * The likeliest class of the rule set's Bayes model for 'axis' and, in
 * *p, its posterior; NULL (and 0) when there is no model for the axis.
 */
TRIAGE_API const char *triage_result_bayes(const triage_result *r, triage_axis axis,
                                           double *p);

/* ---- Learning Bayes models from labelled complaints ------------------ */

typedef struct triage_learner triage_learner;

TRIAGE_API triage_status triage_learner_create(triage_learner **out);
TRIAGE_API void triage_learner_destroy(triage_learner *l);
/**
 * Count one labelled complaint for 'axis' ("type", "nature", "temperament"
 * or "severity"): the tokens of its folded text (Han characters, pairs of
 * adjacent Han characters, ASCII words) are counted once for 'label'.
 * TRIAGE_EINVAL for an unknown axis or an empty label or one with a space,
 * TRIAGE_ELIMIT past 64 labels on an axis.
 */
TRIAGE_API triage_status triage_learner_add(triage_learner *l, const char *axis,
                                            const char *label, const char *text,
                                            size_t len);
/**
 * The counts as a rule file with a `bayes:` section (docs/bayes.md): one
 * model per axis seen, tokens seen in fewer than 'min_count' complaints
 * left out, each voting model added to the rules' votes with 'weight' (a
 * severity model raises severity at a posterior of 0.8, its evidence
 * divided by a temperature of 4). The text
 * lives in the learner until the next call. TRIAGE_ENORULES if nothing
 * was added.
 */
TRIAGE_API triage_status triage_learner_yaml(triage_learner *l, unsigned min_count,
                                             double weight, const char **yaml,
                                             size_t *len);

/* ---- Allocation hook (fault injection, custom allocators) ------------ */

typedef struct triage_allocator {
    void *(*malloc_fn)(size_t size, void *user);
    void *(*realloc_fn)(void *p, size_t size, void *user);
    void (*free_fn)(void *p, void *user);
    void *user;
} triage_allocator;

/**
 * Replace the allocator used for engine objects (NULL restores malloc).
 * Call before creating any object; not thread-safe.
 */
TRIAGE_API void triage_set_allocator(const triage_allocator *a);

#ifdef __cplusplus
}
#endif
#endif /* TRIAGE_H */
