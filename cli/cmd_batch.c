/*
 * cmd_batch.c - `triage batch`: every record of complaint logs in, exactly
 * one JSON Lines result or error record out, in input order; counts that
 * add up, an optional summary, and output written atomically.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "batch_input.h"
#include "batch_summary.h"
#include "cli.h"

#define MAX_COLS 32

struct batch_args {
    struct rules_opt rules;
    struct batch_opts in;
    const char *text_cols[MAX_COLS], *keep_cols[MAX_COLS], *inputs[256];
    size_t n_inputs;
    const char *out, *summary;
    int quiet;
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
        "  -o FILE                       write atomically (default: stdout)\n"
        "  --summary FILE                statistics, JSON if FILE ends in .json\n"
        "  --quiet                       no progress line\n"
        "Column names guessed when not given: 投诉内容 内容 描述 complaint text\n"
        "content description message; 编号 工单号 id ticket case_id; 日期 时间 date\n"
        "created time; 客户 手机 电话 customer phone email.\n"
        "Exit: 0 all triaged, 5 finished with error records, 2 usage, 3 rules, 4 I/O.\n");
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
        else if (!strcmp(o, "--text-col")) { if (add_col(a->text_cols, &nt, v)) return -1; }
        else if (!strcmp(o, "--keep")) { if (add_col(a->keep_cols, &nk, v)) return -1; }
        else if (!strcmp(o, "--id-col")) a->in.id_col = v;
        else if (!strcmp(o, "--date-col")) a->in.date_col = v;
        else if (!strcmp(o, "--customer-col")) a->in.customer_col = v;
        else if (!strcmp(o, "-o")) a->out = v;
        else if (!strcmp(o, "--summary")) a->summary = v;
        else return -1;
    }
    a->in.text_cols = nt ? a->text_cols : NULL;
    a->in.n_text_cols = nt;
    a->in.keep_cols = a->keep_cols;
    a->in.n_keep_cols = nk;
    return a->n_inputs ? 0 : -1;
}

static void write_source(FILE *out, const char *file, const struct batch_record *rec)
{
    fprintf(out, "\"source\":{\"file\":");
    json_print_str(out, file, strlen(file));
    fprintf(out, ",\"record\":%llu,\"line\":%llu,\"offset\":%llu}", rec->number,
            rec->line, rec->offset);
}

struct batch_run {
    const triage_ruleset *rs;
    triage_scratch *s;
    FILE *out;
    struct batch_summary sum;
    int progress;
    time_t started, last;
};

static void write_kept(FILE *out, const struct batch_record *rec)
{
    size_t i;

    fprintf(out, ",\"kept\":{");
    for (i = 0; i < rec->n_kept; i++) {
        fputs(i ? "," : "", out);
        json_print_str(out, rec->kept[i].name, strlen(rec->kept[i].name));
        fputc(':', out);
        json_print_str(out, rec->kept[i].value, rec->kept[i].len);
    }
    fputc('}', out);
}

/* One record in, exactly one line out. Returns 0 or an exit code. */
static int one_record(struct batch_run *b, const char *file,
                      const struct batch_record *rec)
{
    const triage_result *r;
    const char *json;
    char idbuf[32];
    const char *id = rec->id;
    size_t len;
    triage_status st;

    if (id == NULL) {
        snprintf(idbuf, sizeof idbuf, "%llu", rec->number);
        id = idbuf;
    }
    b->sum.read++;
    fputs("{\"id\":", b->out);
    json_print_str(b->out, id, strlen(id));
    fputc(',', b->out);
    write_source(b->out, file, rec);
    if (rec->error != NULL) {
        b->sum.errors++;
        fputs(",\"error\":", b->out);
        json_print_str(b->out, rec->error, strlen(rec->error));
        fputs("}\n", b->out);
        return 0;
    }
    write_kept(b->out, rec);
    st = triage_classify(b->rs, b->s, rec->text, rec->text_len, &r);
    if (st == TRIAGE_OK)
        st = triage_result_json(r, NULL, &json, &len);
    if (st != TRIAGE_OK) {
        fprintf(stderr, "triage batch: %s\n", triage_strerror(st));
        return EXIT_INTERNAL;
    }
    fputc(',', b->out);
    fwrite(json + 1, 1, len - 1, b->out);   /* the result's own members */
    fputc('\n', b->out);
    b->sum.triaged++;
    summary_add(&b->sum, r, id, rec->date, rec->customer);
    return 0;
}

static void progress(struct batch_run *b, int final)
{
    time_t now = time(NULL);
    double secs;

    if (!b->progress || (!final && now == b->last))
        return;
    b->last = now;
    secs = difftime(now, b->started);
    fprintf(stderr, "\r%lu records, %.0f records/s, %lu errors%s",
            b->sum.read, secs > 0 ? (double)b->sum.read / secs : 0.0,
            b->sum.errors, final ? "\n" : "   ");
}

static int run_file(struct batch_run *b, const char *file, const struct batch_opts *o)
{
    struct batch_reader *rd = NULL;
    struct batch_record rec;
    char err[512];
    int got, rc = 0;

    if (batch_reader_open(&rd, file, o, err, sizeof err) != TRIAGE_OK) {
        fprintf(stderr, "%s: error: %s\n", file, err);
        return EXIT_IO;
    }
    while (rc == 0 && (got = batch_reader_next(rd, &rec)) == 1) {
        rc = one_record(b, file, &rec);
        if ((b->sum.read & 1023) == 0) {
            fflush(b->out);
            progress(b, 0);
        }
    }
    if (rc == 0 && got < 0) {
        fprintf(stderr, "%s: error: %s\n", file, batch_reader_error(rd));
        rc = EXIT_IO;
    }
    batch_reader_close(rd);
    return rc;
}

int cmd_batch(int argc, char **argv)
{
    struct batch_args a;
    struct batch_run b;
    struct batch_paths paths = { NULL, 0 };
    triage_ruleset *rs = NULL;
    char err[512], *tmp = NULL;
    size_t i;
    int rc;

    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    batch_opts_init(&a.in);
    if (parse(argc, argv, &a) < 0) {
        help(stderr);
        return EXIT_USAGE;
    }
    rc = cli_load_rules(&a.rules, &rs);
    if (rc != EXIT_OK_)
        return rc;
    if (batch_collect_paths(a.inputs, a.n_inputs, &paths, err, sizeof err) != TRIAGE_OK) {
        fprintf(stderr, "triage batch: %s\n", err);
        triage_ruleset_destroy(rs);
        return EXIT_IO;
    }
    b.rs = rs;
    b.out = stdout;
    b.progress = !a.quiet && isatty(2);
    b.started = b.last = time(NULL);
    if (a.out != NULL) {
        tmp = malloc(strlen(a.out) + 32);
        sprintf(tmp, "%s.tmp%ld", a.out, (long)getpid());
        b.out = fopen(tmp, "w");
    }
    if (b.out == NULL || triage_scratch_create(rs, &b.s) != TRIAGE_OK) {
        fprintf(stderr, "triage batch: cannot write %s\n", tmp ? tmp : "output");
        rc = EXIT_IO;
    }
    for (i = 0; rc == EXIT_OK_ && i < paths.count; i++)
        rc = run_file(&b, paths.paths[i], &a.in);
    progress(&b, 1);
    if (b.out != NULL && b.out != stdout && (fclose(b.out) != 0 ||
        (rc == EXIT_OK_ && rename(tmp, a.out) != 0)))
        rc = EXIT_IO;
    if (tmp != NULL && rc != EXIT_OK_)
        unlink(tmp);   /* an interrupted run leaves no file that looks complete */
    if (rc == EXIT_OK_ && a.summary != NULL && summary_write(&b.sum, a.summary) != 0)
        rc = EXIT_IO;
    fprintf(stderr, "read %lu = triaged %lu + error records %lu\n", b.sum.read,
            b.sum.triaged, b.sum.errors);
    if (rc == EXIT_OK_ && b.sum.errors > 0)
        rc = EXIT_PARTIAL;
    summary_free(&b.sum);
    batch_paths_free(&paths);
    triage_scratch_destroy(b.s);
    triage_ruleset_destroy(rs);
    free(tmp);
    return rc;
}
