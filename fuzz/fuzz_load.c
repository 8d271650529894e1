/*
 * fuzz_load.c - arbitrary bytes to triage_ruleset_load_mem. Each input is
 * tried as given, and with a valid header and CRC-32 written over it
 * (taken from a table compiled at start-up), so the fuzzer also reaches
 * the body checks behind the checksum; a body that passes them is tried
 * once more as another Hyperscan library's, whose databases the load
 * compiles from the table's patterns. A table that loads is then used:
 * info, rules, vocabularies, classification, JSON and reply checks.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "triage.h"
#include "internal.h"

/* Header layout of a .tdb (engine/table_io.c, struct tdb_header). */
#define HDR_SIZE 112u
#define HDR_SIZE_AT 12u
#define HS_NAME_AT 32u
#define BODY_LEN_AT 96u
#define CRC_AT 104u

static unsigned char header[HDR_SIZE];
static int have_header;

static const char tiny_rules[] =
    "rules:\n"
    "  - id: t.a\n"
    "    type: adverse_reaction\n"
    "    severity: high\n"
    "    match: { any: [过敏] }\n"
    "context:\n"
    "  negation: [没有]\n";

/* Compile and save a tiny table; keep its header as the template. */
static void init(void)
{
    triage_compiler *c;
    triage_ruleset *rs;
    char path[64];
    unsigned char *buf;
    uint32_t hsize, crc;
    uint64_t blen;
    long len;
    FILE *fp;
    int fd;

    have_header = -1;
    snprintf(path, sizeof path, "/tmp/fuzz_load.XXXXXX");
    fd = mkstemp(path);
    if (fd < 0)
        return;
    close(fd);
    if (triage_compiler_create(&c) != TRIAGE_OK ||
        triage_compiler_add_string(c, "tiny.yaml", tiny_rules,
                                   sizeof tiny_rules - 1) != TRIAGE_OK ||
        triage_compiler_finish(c, &rs) != TRIAGE_OK)
        abort();
    triage_compiler_destroy(c);
    if (triage_ruleset_save(rs, path) != TRIAGE_OK)
        abort();
    triage_ruleset_destroy(rs);
    fp = fopen(path, "rb");
    if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (len = ftell(fp)) < 0)
        abort();
    rewind(fp);
    buf = malloc((size_t)len);
    if (buf == NULL || fread(buf, 1, (size_t)len, fp) != (size_t)len)
        abort();
    fclose(fp);
    unlink(path);
    memcpy(&hsize, buf + HDR_SIZE_AT, 4);
    memcpy(&blen, buf + BODY_LEN_AT, 8);
    memcpy(&crc, buf + CRC_AT, 4);
    if (hsize != HDR_SIZE || blen != (uint64_t)len - HDR_SIZE ||
        crc != tri_tdb_crc(buf, (size_t)len)) {
        fprintf(stderr, "fuzz_load: the .tdb header layout changed; "
                "update HDR_SIZE, BODY_LEN_AT and CRC_AT\n");
        abort();
    }
    memcpy(header, buf, HDR_SIZE);
    free(buf);
    have_header = 1;
}

static void use(const char *p)
{
    if (p != NULL && strlen(p) == (size_t)-1)
        abort();
}

static void exercise(const triage_ruleset *rs)
{
    static const char *const texts[] = {
        "吃了以后过敏，药品发霉了", "没有过敏?", "I took it and got a rash, refund please",
        "如果过敏怎么办 这是我们公司的规定", "",
        /* Many hits of one pattern: a table whose pattern kinds disagree
         * with its Vectorscan blob must not overrun per-pattern arrays. */
        "过敏过敏过敏过敏过敏过敏过敏过敏过敏过敏过敏过敏过敏过敏过敏过敏"
        "没有没有没有没有没有没有没有没有如果如果如果如果但是但是但是但是"
        "发霉发霉发霉发霉药品发霉批号1234批号5678 not not not if if rash!!",
    };
    triage_ruleset_info info;
    triage_rule_info ri;
    triage_scratch *s;
    const triage_result *r;
    const triage_reply_issue *iss;
    const char *json;
    size_t i, jlen;
    unsigned k, n, a;

    if (triage_ruleset_get_info(rs, &info) != TRIAGE_OK)
        abort();
    use(info.name);
    use(info.version);
    use(info.hash);
    n = triage_rule_count(rs);
    for (k = 0; k < n; k++)
        if (triage_rule_get(rs, k, &ri) == TRIAGE_OK) {
            use(ri.id);
            use(ri.file);
            use(ri.type);
            use(ri.nature);
            use(ri.severity);
            use(ri.temperament);
        }
    for (a = 0; a < TRIAGE_AXIS_COUNT; a++) {
        n = triage_vocab_count(rs, (triage_axis)a);
        for (k = 0; k < n; k++)
            use(triage_vocab_name(rs, (triage_axis)a, k));
    }
    if (triage_scratch_create(rs, &s) != TRIAGE_OK)
        return;
    triage_scratch_set_trace(s, 1);
    for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        if (triage_classify(rs, s, texts[i], strlen(texts[i]), &r) == TRIAGE_OK &&
            triage_result_json(r, "id", &json, &jlen) == TRIAGE_OK)
            use(json);
        if (triage_check_reply(rs, s, texts[i], strlen(texts[i]), (int)(i & 1),
                               &iss, &n) == TRIAGE_OK)
            for (k = 0; k < n; k++) {
                use(iss[k].check_id);
                use(iss[k].phrase);
                use(iss[k].message);
            }
    }
    triage_scratch_destroy(s);
}

static triage_status try_load(const unsigned char *p, size_t n)
{
    triage_ruleset *rs = (triage_ruleset *)&rs;   /* must be reset */
    triage_status st = triage_ruleset_load_mem(p, n, &rs);

    if ((st == TRIAGE_OK) != (rs != NULL))
        abort();
    if (rs != NULL) {
        exercise(rs);
        triage_ruleset_destroy(rs);
    }
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *copy;
    uint64_t blen;
    uint32_t crc;
    triage_status st;

    if (have_header == 0)
        init();
    /* An exact-size copy so reads past the end are caught. */
    copy = malloc(size ? size : 1);
    if (copy == NULL)
        return 0;
    if (size)
        memcpy(copy, data, size);
    st = try_load(copy, size);
    if (st != TRIAGE_OK && have_header > 0 && size >= HDR_SIZE) {
        /* Same bytes behind a header that passes: the body checks. */
        memcpy(copy, header, BODY_LEN_AT);
        memcpy(copy + CRC_AT + 4, header + CRC_AT + 4, HDR_SIZE - CRC_AT - 4);
        blen = size - HDR_SIZE;
        memcpy(copy + BODY_LEN_AT, &blen, 8);
        crc = tri_tdb_crc(copy, size);
        memcpy(copy + CRC_AT, &crc, 4);
        /* A body that loads, as another Hyperscan library saved it: its
         * databases are compiled again from whatever patterns it holds. */
        if (try_load(copy, size) == TRIAGE_OK) {
            memset(copy + HS_NAME_AT, 0, BODY_LEN_AT - HS_NAME_AT);
            memcpy(copy + HS_NAME_AT, "0.0.0 another library", 21);
            crc = tri_tdb_crc(copy, size);
            memcpy(copy + CRC_AT, &crc, 4);
            try_load(copy, size);
        }
    }
    free(copy);
    return 0;
}
