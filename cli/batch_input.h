/*
 * batch_input.h - the input side of `triage batch`: a streaming reader that
 * turns CSV, TSV, JSON Lines or plain-text complaint exports in any common
 * Chinese or Unicode encoding into one record per complaint, UTF-8 text.
 */
#ifndef BATCH_INPUT_H
#define BATCH_INPUT_H

#include <stddef.h>

#include "triage.h"

/** Default for batch_opts.max_field: 1 MiB. */
#define BATCH_MAX_FIELD_DEFAULT ((size_t)1 << 20)

enum batch_format {
    BATCH_FORMAT_AUTO = 0,  /* extension, else content (see docs)       */
    BATCH_FORMAT_CSV = 1,
    BATCH_FORMAT_TSV = 2,
    BATCH_FORMAT_JSONL = 3,
    BATCH_FORMAT_TEXT = 4   /* one complaint per line                   */
};

/*
 * Reader options. Every pointer is borrowed for the batch_reader_open()
 * call only, but idle and idle_arg. A column spec is a header name (matched case-insensitively
 * after trimming) or a 1-based column number; a name equal to a header
 * wins over the number it spells. For JSON Lines a spec names a member
 * (numbers are refused); the text format has no columns and ignores them.
 * A column not given is guessed from the header (name lists and their
 * order in batch_columns.c: 投诉内容, 内容, ... complaint, text, ...);
 * with no_header and no text column the file must have one column.
 */
struct batch_opts {
    enum batch_format format;
    const char *encoding;          /* NULL = detect; see batch_reader_open */
    const char *const *text_cols;  /* joined with "\n", blank cells left
                                      out; NULL = guess                   */
    size_t n_text_cols;
    const char *id_col;            /* NULL = guess from the header         */
    const char *date_col;          /* NULL = guess from the header         */
    const char *customer_col;      /* NULL = guess from the header         */
    const char *const *keep_cols;  /* copied into batch_record.kept        */
    size_t n_keep_cols;
    int no_header;                 /* CSV/TSV: first line is data         */
    int delimiter;                 /* CSV field separator; 0 = ',' unless
                                      the first line has more ';' (Excel in
                                      locales with a decimal comma)       */
    size_t max_field;              /* 0 = BATCH_MAX_FIELD_DEFAULT; a text
                                      line counts as one field, a JSON line
                                      may be twice as long                */
    void (*idle)(void *idle_arg);  /* NULL, or called (kept for the
                                      reader's life) before reading a pipe
                                      or terminal waits for its writer:
                                      the caller's moment to write out the
                                      records it holds                    */
    void *idle_arg;
};

/** One kept column of a record; borrowed from the reader. */
struct batch_field {
    const char *name;    /* header name, member name or the number given */
    const char *value;   /* never NULL; "" when the column is missing    */
    size_t len;          /* bytes of value (it may hold NUL bytes)        */
};

/*
 * One input record. Every pointer is owned by the reader and valid until
 * the next batch_reader_next() or batch_reader_close(). Strings are also
 * NUL-terminated, but text and kept values may hold NUL bytes: use lengths.
 * On an error record id, date, customer and kept are filled only when the
 * record itself was read ("empty text", "missing text field"); after bad
 * quoting, bad bytes or an oversized field they are NULL / 0.
 * Offsets are exact in every encoding: a record starts at a line start,
 * and converted input is decoded line by line (see batch_encoding.c).
 */
struct batch_record {
    unsigned long long number;  /* 1-based, data records only            */
    unsigned long long line;    /* first physical line in the file       */
    unsigned long long offset;  /* byte offset of its first byte in file */
    const char *text;           /* UTF-8 (invalid bytes passed through);
                                   NULL on an error record                */
    size_t text_len;
    const char *id;             /* trimmed; NULL when there is no id
                                   column or the cell is blank: use
                                   'number'                              */
    const char *date;           /* trimmed; NULL: no column or blank     */
    const char *customer;       /* trimmed; NULL: no column or blank     */
    const struct batch_field *kept;
    size_t n_kept;
    const char *error;          /* NULL, or why this record is unusable;
                                   never quotes complaint text            */
};

struct batch_reader;

/** Fill 'o' with the defaults (auto format and encoding, guess columns). */
void batch_opts_init(struct batch_opts *o);

/**
 * Open 'path' ("-" = standard input) for reading records.
 * @param out   set to the new reader, owned by the caller (free with
 *              batch_reader_close()); NULL on failure.
 * @param path  borrowed for the call. Not NULL.
 * @param o     borrowed for the call; NULL means batch_opts_init() values.
 * @param err   receives a one-line message on failure (may be NULL).
 * @return TRIAGE_OK; TRIAGE_EIO (cannot open or read the file),
 *         TRIAGE_EINVAL (bad options: unknown encoding, unknown column,
 *         no text column found, bad header), TRIAGE_ENOMEM.
 *
 * Encodings (o->encoding, case-insensitive): UTF-8; GB18030 (also GBK,
 * CP936, GB2312); BIG5 and BIG5-HKSCS; UTF-16LE, UTF-16BE, UTF-16 (BOM).
 * Detection: a BOM decides, else UTF-8 if the first 64 KiB is valid UTF-8,
 * else GB18030.
 */
triage_status batch_reader_open(struct batch_reader **out, const char *path,
                                const struct batch_opts *o, char *err,
                                size_t errlen);

/**
 * Read the next record into *rec (its strings are owned by r, see above).
 * @return 1 a record (good or error record: check rec->error), 0 end of
 *         input, or a negative triage_status (-TRIAGE_EIO, -TRIAGE_ENOMEM)
 *         after which only batch_reader_close() is valid; the message is
 *         batch_reader_error().
 */
int batch_reader_next(struct batch_reader *r, struct batch_record *rec);

/** Message of the last I/O failure, or "" (borrowed from r). */
const char *batch_reader_error(const struct batch_reader *r);

/** The format in use after detection (never BATCH_FORMAT_AUTO). */
enum batch_format batch_reader_format(const struct batch_reader *r);

/** The encoding in use after detection, e.g. "GB18030" (static string). */
const char *batch_reader_encoding(const struct batch_reader *r);

/** Close the reader and free everything it owns. NULL is a no-op. */
void batch_reader_close(struct batch_reader *r);

/** A list of input files; owned by the caller, freed by batch_paths_free. */
struct batch_paths {
    char **paths;
    size_t count;
};

/**
 * Expand files and folders into files. A folder is searched recursively;
 * its files come sorted byte-wise by path, hidden files and folders (name
 * starting with '.') skipped, only regular files kept. Other arguments,
 * including "-", are kept as given, in argument order.
 * @param args  borrowed for the call. @param out  filled on success (and
 *              emptied on failure); free with batch_paths_free().
 * @return TRIAGE_OK, TRIAGE_EIO (a path does not exist or a folder cannot
 *         be read; message in err), TRIAGE_ENOMEM.
 */
triage_status batch_collect_paths(const char *const *args, size_t nargs,
                                  struct batch_paths *out, char *err,
                                  size_t errlen);

/** Free a path list (its strings too). NULL is a no-op. */
void batch_paths_free(struct batch_paths *p);

/**
 * Reduce a date to its month. Accepts 2024-03-05, 2024/3/5, 2024.03.05,
 * 2024年3月5日, 2024-03 and 2024年3月, each optionally followed by a time
 * (" 14:22:01", "T14:22:01Z"; the date is taken as written, no time zone
 * shift), 20240305, and Excel serial day numbers 20000..80000 with an
 * optional fraction. Day-first or month-first forms (03/05/2024) are
 * ambiguous and refused.
 * @param s    NUL-terminated; NULL allowed (fails).
 * @param out  receives "YYYY-MM" and a NUL on success.
 * @return 1 on success, 0 if the date is not understood ("unknown").
 */
int batch_parse_month(const char *s, char out[8]);

#endif /* BATCH_INPUT_H */
