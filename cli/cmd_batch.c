/*
 * cmd_batch.c - `triage batch`: every record of complaint logs in, exactly
 * one JSON Lines result or error record out, in input order; counts that
 * add up, an optional summary, and output written atomically.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "batch_input.h"
#include "batch_run.h"
#include "batch_summary.h"
#include "cli.h"

#define MAX_COLS 32

/* The signal that asked the run to stop (SIGINT, SIGTERM), or 0. */
static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
    stop_signal = sig;
}

/*
 * Ctrl-C or a kill stops reading; what was read is classified and written,
 * a temporary -o file is removed and the run says where it stopped. No
 * SA_RESTART: a read blocked on a pipe or terminal returns at once.
 * SA_RESETHAND: a second Ctrl-C kills as usual. A signal the caller set
 * to be ignored (a background job's SIGINT) stays ignored.
 */
static void catch_stop_signals(void)
{
    static const int sigs[] = { SIGINT, SIGTERM };
    struct sigaction sa, old;
    size_t i;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
}

struct batch_args {
    struct rules_opt rules;
    struct batch_opts in;
    const char *text_cols[MAX_COLS], *keep_cols[MAX_COLS], *inputs[256];
    size_t n_inputs;
    const char *out, *summary;
    int quiet, redact, csv, bom, threads;
    triage_json_hits hits;
};

static void help(FILE *fp)
{
    fprintf(fp,
        "usage: triage batch [-r RULES] [-t TABLE] [options] FILE|FOLDER|-...\n"
        "  --format csv|tsv|jsonl|text   default: from extension or content\n"
        "  --encoding NAME               UTF-8, GB18030 (GBK), BIG5, UTF-16;\n"
        "                                default: BOM, else UTF-8 if valid, else GB18030\n"
        "  --text-col NAME|N (repeatable) --id-col, --date-col, --customer-col\n"
        "  --keep COL (repeatable)       copy a column into the output\n"
        "  --no-header                   CSV/TSV first line is data\n"
        "  --delimiter C                 CSV field separator (default ',', or ';'\n"
        "                                when the first line has more of them)\n"
        "  -o FILE                       write atomically (default: stdout)\n"
        "  --output-format jsonl|csv     default jsonl; --bom adds a UTF-8 BOM (Excel)\n"
        "  --threads N                   default: all cores; output order is input order\n"
        "  --hits all|fired|counted|none which hits the JSON lists (default fired)\n"
        "  --redact                      mask phones, ID and card numbers, e-mails\n"
        "  --summary FILE                statistics, JSON if FILE ends in .json\n"
        "  --quiet                       no progress line\n"
        "Column names guessed when not given: 投诉内容 内容 描述 complaint text\n"
        "content description message; 编号 工单号 id ticket case_id; 日期 时间 date\n"
        "created time; 客户 手机 电话 customer phone email. Failing those, a word\n"
        "in the header: 投诉描述, 客户反馈, \"Complaint Text\", IssueDescription (not\n"
        "投诉类型, complaint_id or 处理结果).\n"
        "Exit: 0 all triaged, 5 finished with error records, 2 usage, 3 rules, 4 I/O,\n"
        "130 stopped by Ctrl-C or SIGTERM (no -o file is written).\n");
}

static int add_col(const char **list, size_t *n, const char *v)
{
    if (*n >= MAX_COLS)
        return -1;
    list[(*n)++] = v;
    return 0;
}

static int parse(int argc, char **argv, struct batch_args *a)
{
    static const char *const fmts[] = { "auto", "csv", "tsv", "jsonl", "text" };
    size_t nt = 0, nk = 0;
    int i, k;

    for (i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

        if ((k = cli_rules_arg(&a->rules, argc, argv, &i)) != 0) {
            if (k < 0)
                return -1;
            continue;
        }
        if (o[0] != '-' || !strcmp(o, "-")) {
            if (a->n_inputs < 256)
                a->inputs[a->n_inputs++] = o;
            continue;
        }
        if (!strcmp(o, "--quiet")) { a->quiet = 1; continue; }
        if (!strcmp(o, "--redact")) { a->redact = 1; continue; }
        if (!strcmp(o, "--bom")) { a->bom = 1; continue; }
        if (!strcmp(o, "--no-header")) { a->in.no_header = 1; continue; }
        if (!strcmp(o, "--help")) { help(stdout); exit(EXIT_OK_); }
        if (v == NULL)
            return -1;
        i++;
        if (!strcmp(o, "--format")) {
            for (k = 0; k < 5 && strcmp(v, fmts[k]) != 0; k++)
                ;
            if (k == 5)
                return -1;
            a->in.format = (enum batch_format)k;
        } else if (!strcmp(o, "--encoding")) a->in.encoding = v;
        else if (!strcmp(o, "--delimiter")) {
            /* One ASCII byte that cannot be part of a quoted field's syntax. */
            if (strlen(v) != 1 || (unsigned char)v[0] >= 0x80 || v[0] == '"' ||
                v[0] == '\n' || v[0] == '\r')
                return -1;
            a->in.delimiter = v[0];
        }
        else if (!strcmp(o, "--text-col")) { if (add_col(a->text_cols, &nt, v)) return -1; }
        else if (!strcmp(o, "--keep")) { if (add_col(a->keep_cols, &nk, v)) return -1; }
        else if (!strcmp(o, "--id-col")) a->in.id_col = v;
        else if (!strcmp(o, "--date-col")) a->in.date_col = v;
        else if (!strcmp(o, "--customer-col")) a->in.customer_col = v;
        else if (!strcmp(o, "-o")) a->out = v;
        else if (!strcmp(o, "--summary")) a->summary = v;
        else if (!strcmp(o, "--hits")) { if (cli_hits_arg(v, &a->hits) != 0) return -1; }
        else if (!strcmp(o, "--threads")) { a->threads = atoi(v); if (a->threads < 1 || a->threads > 256) return -1; }
        else if (!strcmp(o, "--output-format")) {
            if (strcmp(v, "csv") && strcmp(v, "jsonl"))
                return -1;
            a->csv = !strcmp(v, "csv");
        }
        else return -1;
    }
    a->in.text_cols = nt ? a->text_cols : NULL;
    a->in.n_text_cols = nt;
    a->in.keep_cols = a->keep_cols;
    a->in.n_keep_cols = nk;
    return a->n_inputs ? 0 : -1;
}

struct batch_state {
    struct batch_args *a;
    const triage_ruleset *rs;
    struct batch_pool *pool;
    struct batch_window win[2];   /* one is read while the other is classified */
    struct batch_window *w;       /* the window being filled                 */
    struct batch_window *busy;    /* the window being classified, or NULL    */
    size_t window_len;            /* records per window (result budget)      */
    struct batch_summary sum;
    FILE *out;
    int progress, failed;
    unsigned long long bytes_done, bytes_total, file_base;
    unsigned long bad_dates;      /* dates not understood: month "unknown" */
    char first_bad_date[300];     /* where the first one was               */
    double started, last;        /* monotonic seconds */
};

/* Copy one reader record into the window (the reader reuses its memory). */
static void take(struct batch_state *b, const char *file,
                 const struct batch_record *rec)
{
    struct batch_slot *sl = &b->w->slots[b->w->n++];
    char idbuf[32];
    size_t i;

    sl->file = file;
    sl->number = rec->number;
    sl->line = rec->line;
    sl->offset = rec->offset;
    sl->is_error = rec->error != NULL;
    sl->failed = 0;
    if (rec->id == NULL)
        snprintf(idbuf, sizeof idbuf, "%llu", rec->number);
    sl->id = window_put(b->w, rec->id ? rec->id : idbuf,
                        strlen(rec->id ? rec->id : idbuf));
    sl->has_date = rec->date != NULL;
    sl->date = window_put(b->w, rec->date ? rec->date : "", rec->date ? strlen(rec->date) : 0);
    sl->has_customer = rec->customer != NULL;
    sl->customer = window_put(b->w, rec->customer ? rec->customer : "",
                              rec->customer ? strlen(rec->customer) : 0);
    sl->error = window_put(b->w, rec->error ? rec->error : "",
                           rec->error ? strlen(rec->error) : 0);
    sl->text = window_put(b->w, rec->text ? rec->text : "", rec->text ? rec->text_len : 0);
    sl->text_len = rec->text ? rec->text_len : 0;
    if (b->a->redact)
        redact(b->w->arena + sl->text, sl->text_len);
    /* Kept fields as "name\0value\0" pairs, lengths implied by NULs is not
     * enough for values holding NUL bytes, so store length-prefixed. */
    sl->kept = b->w->alen;
    sl->n_kept = rec->n_kept;
    for (i = 0; i < rec->n_kept; i++) {
        size_t off;

        window_put(b->w, rec->kept[i].name, strlen(rec->kept[i].name));
        window_put(b->w, (const char *)&rec->kept[i].len, sizeof rec->kept[i].len);
        off = window_put(b->w, rec->kept[i].value, rec->kept[i].len);
        if (b->a->redact)
            redact(b->w->arena + off, rec->kept[i].len);
    }
}

/* The progress line, redrawn at most once a second on a terminal. */
static void progress(struct batch_state *b, int final)
{
    double now = cli_now(), secs = now - b->started, rate;

    if (!b->progress || (!final && now - b->last < 1.0))
        return;
    b->last = now;
    rate = secs > 0 ? (double)b->sum.read / secs : 0.0;
    fprintf(stderr, "\r%lu records, %.0f records/s, %lu errors", b->sum.read, rate,
            b->sum.errors);
    if (b->bytes_total > 0 && b->bytes_done > 0) {
        double share = (double)b->bytes_done / (double)b->bytes_total;

        fprintf(stderr, ", %.0f%% done", 100 * (share > 1 ? 1 : share));
        if (!final && share > 0 && share < 1)
            fprintf(stderr, ", ETA %.0f s", secs / share - secs);
    }
    if (final)
        fprintf(stderr, " in %.1f s", secs);
    /* Erase what a longer earlier line left to the right (a terminal:
     * the line is only drawn when stderr is one). */
    fputs(final ? "\033[K\n" : "\033[K", stderr);
}

/* An unparseable date is no error: the record counts under month
 * "unknown", and the run ends with one warning saying how many and where. */
static void note_date(struct batch_state *b, const struct batch_window *w,
                      const struct batch_slot *sl)
{
    char month[8];

    if (batch_parse_month(window_str(w, sl->date), month))
        return;
    if (b->bad_dates++ == 0)
        snprintf(b->first_bad_date, sizeof b->first_bad_date,
                 "%s: record %llu (line %llu)", sl->file, sl->number, sl->line);
}

/*
 * Records per window so that a window's results stay near the budget, from
 * the mean result of the window just written. Slots beyond the new length
 * give their buffers back, so a run of long results does not keep the memory
 * of a run of short ones.
 */
static void size_window(struct batch_state *b, struct batch_window *w, size_t line_bytes)
{
    size_t mean = w->n ? line_bytes / w->n + 1 : 1, len = BATCH_RESULT_BUDGET / mean, i;

    len = len < BATCH_WINDOW_MIN ? BATCH_WINDOW_MIN : len > BATCH_WINDOW ? BATCH_WINDOW : len;
    b->window_len = len;
    for (i = len; i < w->n; i++)
        batch_buf_free(&w->slots[i].out);
}

/* Write a classified window out in input order, then empty it. */
static void drain(struct batch_state *b, struct batch_window *w)
{
    size_t i, line_bytes = 0;

    errno = 0;   /* what a failed write sets is reported below */
    for (i = 0; i < w->n && !b->failed; i++) {
        const struct batch_slot *sl = &w->slots[i];

        if (sl->failed) {
            fprintf(stderr, "triage batch: %s: record %llu: %s\n", sl->file,
                    sl->number, triage_strerror((triage_status)sl->failed));
            b->failed = EXIT_INTERNAL;
            break;
        }
        b->sum.read++;
        line_bytes += sl->out.len;
        if (sl->is_error)
            b->sum.errors++;
        else
            b->sum.triaged++;
        fwrite(sl->out.data, 1, sl->out.len, b->out);
        if (sl->has_date && !sl->is_error)
            note_date(b, w, sl);
        if (!sl->is_error && b->a->summary != NULL &&
            summary_add(&b->sum, &sl->facts, window_str(w, sl->id),
                        sl->has_date ? window_str(w, sl->date) : NULL,
                        sl->has_customer ? window_str(w, sl->customer) : NULL) != 0) {
            fprintf(stderr, "triage batch: %s: record %llu: out of memory counting "
                    "the summary\n", sl->file, sl->number);
            b->failed = EXIT_INTERNAL;
            break;
        }
    }
    /* A streaming filter hands results on as it goes; a write that failed
     * (a full disk) stops the run rather than classify into nowhere. */
    if ((fflush(b->out) != 0 || ferror(b->out)) && !b->failed) {
        fprintf(stderr, "triage batch: cannot write %s: %s\n",
                b->a->out ? b->a->out : "the standard output",
                errno ? strerror(errno) : "a write failed");
        b->failed = EXIT_IO;
    }
    size_window(b, w, line_bytes);
    w->n = 0;
    w->alen = 0;
    progress(b, 0);
}

/* Hand the filled window to the workers, then write the window they
 * finished meanwhile and read on into it: writing and reading overlap
 * classification, and output keeps input order. */
static void rotate(struct batch_state *b)
{
    struct batch_window *full = b->w, *done = b->busy;

    if (full->n == 0)
        return;
    if (done != NULL)
        pool_wait(b->pool);
    /* One thread classifies in pool_start itself: nothing to overlap, and
     * two windows of results would be held at once for nothing. */
    if (done != NULL && pool_threads(b->pool) == 1) {
        drain(b, done);
        done = NULL;
    }
    pool_start(b->pool, full);
    b->busy = full;
    if (done != NULL)
        drain(b, done);
    b->w = full == &b->win[0] ? &b->win[1] : &b->win[0];
}

/* Classify and write everything read so far. */
static void settle(struct batch_state *b)
{
    rotate(b);
    if (b->busy != NULL) {
        pool_wait(b->pool);
        drain(b, b->busy);
        b->busy = NULL;
    }
}

/* Reading a pipe is about to wait: what was read is written first. */
static void idle(void *arg)
{
    struct batch_state *b = arg;

    if (!b->failed)
        settle(b);
}

static int run_file(struct batch_state *b, const char *file)
{
    struct batch_reader *rd = NULL;
    struct batch_record rec;
    char err[512];
    int got = 0;

    b->a->in.idle = idle;
    b->a->in.idle_arg = b;
    if (batch_reader_open(&rd, file, &b->a->in, err, sizeof err) != TRIAGE_OK) {
        if (stop_signal)   /* opening a FIFO waits for a writer */
            return EXIT_INTERRUPTED;
        fprintf(stderr, "%s: error: %s\n", file, err);
        return EXIT_IO;
    }
    while (!b->failed && !stop_signal && (got = batch_reader_next(rd, &rec)) == 1) {
        take(b, file, &rec);
        b->bytes_done = b->file_base + rec.offset;
        if (b->w->n >= b->window_len || b->w->alen > (64u << 20))
            rotate(b);
    }
    if (got < 0 && !stop_signal)
        fprintf(stderr, "%s: error: %s\n", file, batch_reader_error(rd));
    settle(b);   /* records of one file never wait for the next file */
    batch_reader_close(rd);
    if (stop_signal && !b->failed)
        return EXIT_INTERRUPTED;
    return b->failed ? b->failed : got < 0 ? EXIT_IO : EXIT_OK_;
}

static unsigned long long total_size(const struct batch_paths *p)
{
    unsigned long long total = 0;
    struct stat sb;
    size_t i;

    for (i = 0; i < p->count; i++) {
        if (strcmp(p->paths[i], "-") == 0 || stat(p->paths[i], &sb) != 0 ||
            !S_ISREG(sb.st_mode))
            return 0;   /* unknown: no share or ETA */
        total += (unsigned long long)sb.st_size;
    }
    return total;
}

/* -o onto a device, FIFO or socket (/dev/null, /dev/stdout, a pipe) is
 * written in place: a temporary file renamed over it would replace the
 * device itself. Regular files and new paths are replaced atomically. */
static int is_special(const char *path)
{
    struct stat sb;

    return stat(path, &sb) == 0 && !S_ISREG(sb.st_mode);
}

static int open_output(struct batch_state *b, char **tmp)
{
    b->out = stdout;
    if (b->a->out != NULL && is_special(b->a->out)) {
        b->out = fopen(b->a->out, "w");
        if (b->out == NULL) {
            fprintf(stderr, "triage batch: cannot write %s\n", b->a->out);
            return EXIT_IO;
        }
    } else if (b->a->out != NULL) {
        size_t n = strlen(b->a->out) + 32;

        *tmp = malloc(n);
        if (*tmp == NULL)
            return EXIT_INTERNAL;
        snprintf(*tmp, n, "%s.tmp%ld", b->a->out, (long)getpid());
        b->out = fopen(*tmp, "w");
        if (b->out == NULL) {
            fprintf(stderr, "triage batch: cannot write %s\n", *tmp);
            return EXIT_IO;
        }
    }
    /* Lines go out a window at a time (drain flushes): a large buffer
     * makes that a few writes instead of one per 4 KB. glibc ignores the
     * size when it is given no buffer (it takes st_blksize, 4 KB), so the
     * buffer is ours, static because stdout outlives this function. A
     * refusal (only possible once the stream has been used) costs speed,
     * not output, so the stream keeps its own buffer then. */
    static char out_buf[1u << 20];

    (void)setvbuf(b->out, out_buf, _IOFBF, sizeof out_buf);
    if (b->a->csv) {
        struct batch_buf head = { NULL, 0, 0 };

        if (b->a->bom)
            fputs("\xef\xbb\xbf", b->out);
        batch_csv_header(&head, b->a->keep_cols, b->a->in.n_keep_cols);
        fwrite(head.data, 1, head.len, b->out);
        batch_buf_free(&head);
    }
    return EXIT_OK_;
}

static int finish_output(struct batch_state *b, char *tmp, int rc)
{
    if (b->out != NULL && b->out != stdout) {
        int bad = ferror(b->out);

        if ((fclose(b->out) != 0 || bad) && (rc == EXIT_OK_ || rc == EXIT_PARTIAL))
            rc = EXIT_IO;
        if (tmp == NULL)
            return rc;     /* written in place (a device or FIFO) */
        if (rc == EXIT_OK_ && rename(tmp, b->a->out) != 0)
            rc = EXIT_IO;
        if (rc != EXIT_OK_)
            unlink(tmp);   /* an interrupted run leaves no file that looks complete */
    }
    return rc;
}

int cmd_batch(int argc, char **argv)
{
    struct batch_args a;
    struct batch_state *b = calloc(1, sizeof *b);
    struct batch_paths paths = { NULL, 0 };
    triage_ruleset *rs = NULL;
    char err[512], *tmp = NULL;
    size_t i;
    int rc;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);

    memset(&a, 0, sizeof a);
    batch_opts_init(&a.in);
    a.threads = cores > 0 ? (int)cores : 1;
    /* Every hit of every rule tried is a debugging view (30 KB a complaint
     * with the shipped rules); a log export wants why each rule fired. */
    a.hits = TRIAGE_JSON_HITS_FIRED;
    if (b == NULL)
        return EXIT_INTERNAL;
    if (parse(argc, argv, &a) < 0) {
        help(stderr);
        free(b);
        return EXIT_USAGE;
    }
    b->a = &a;
    b->w = &b->win[0];
    b->window_len = BATCH_WINDOW;
    rc = cli_load_rules(&a.rules, &rs);
    if (rc == EXIT_OK_ &&
        batch_collect_paths(a.inputs, a.n_inputs, &paths, err, sizeof err) != TRIAGE_OK) {
        fprintf(stderr, "triage batch: %s\n", err);
        rc = EXIT_IO;
    }
    if (rc == EXIT_OK_) {
        struct batch_output o = { a.csv, a.hits, a.summary != NULL };

        if (pool_create(&b->pool, rs, a.threads, &o) != 0)
            rc = EXIT_INTERNAL;
    }
    if (rc == EXIT_OK_)
        rc = open_output(b, &tmp);
    if (rc == EXIT_OK_) {
        b->rs = rs;
        b->sum.top_level = triage_vocab_name(rs, TRIAGE_AXIS_LEVEL,
            triage_vocab_count(rs, TRIAGE_AXIS_LEVEL) - 1);
        b->progress = !a.quiet && isatty(2);
        b->bytes_total = total_size(&paths);
        b->started = b->last = cli_now();
        catch_stop_signals();
        for (i = 0; rc == EXIT_OK_ && i < paths.count; i++) {
            struct stat sb;

            rc = run_file(b, paths.paths[i]);
            if (stat(paths.paths[i], &sb) == 0)
                b->file_base += (unsigned long long)sb.st_size;
        }
        b->bytes_done = b->bytes_total;
        progress(b, 1);
        if (b->bad_dates > 0)
            fprintf(stderr, "warning: %lu date(s) not understood, counted under "
                    "month \"unknown\"; the first at %s\n", b->bad_dates,
                    b->first_bad_date);
        fprintf(stderr, "read %lu = triaged %lu + error records %lu\n", b->sum.read,
                b->sum.triaged, b->sum.errors);
        if (rc == EXIT_INTERRUPTED)
            fprintf(stderr, "triage batch: interrupted by %s after record %lu: %s\n",
                    stop_signal == SIGTERM ? "SIGTERM" : "SIGINT", b->sum.read,
                    tmp != NULL ? "no output file written" :
                                  "the output holds the records up to it");
    }
    rc = finish_output(b, tmp, rc);
    if (rc == EXIT_OK_ && a.summary != NULL && summary_write(&b->sum, a.summary) != 0) {
        fprintf(stderr, "triage batch: cannot write %s\n", a.summary);
        rc = EXIT_IO;
    }
    if (rc == EXIT_OK_ && b->sum.errors > 0)
        rc = EXIT_PARTIAL;
    summary_free(&b->sum);
    window_free(&b->win[0]);
    window_free(&b->win[1]);
    pool_destroy(b->pool);
    batch_paths_free(&paths);
    triage_ruleset_destroy(rs);
    free(tmp);
    free(b);
    return rc;
}
