/*
 * batch_columns.c - maps CSV/TSV column options (header names or 1-based
 * numbers) to column positions, and guesses the columns not given.
 */
#include <ctype.h>
#include "batch_internal.h"

#define MAX_COL_NUMBER 65536u   /* a column number beyond this is a typo */

const char *const *batch_role_names(enum batch_role role)
{
    static const char *const text[] = {
        "投诉内容", "内容", "投訴內容", "內容", "描述", "问题描述",
        "complaint", "text", "content", "description", "message", "body",
        NULL,
    };
    static const char *const id[] = {
        "编号", "工单号", "投诉编号", "編號", "id", "ticket", "case_id",
        "ticket_id", NULL,
    };
    static const char *const date[] = {
        "日期", "投诉日期", "時間", "时间", "日期時間", "date", "created",
        "created_at", "time", NULL,
    };
    static const char *const customer[] = {
        "客户", "顾客", "客戶", "手机", "电话", "customer", "customer_id",
        "phone", "email", NULL,
    };

    switch (role) {
    case BATCH_ROLE_TEXT:
        return text;
    case BATCH_ROLE_ID:
        return id;
    case BATCH_ROLE_DATE:
        return date;
    case BATCH_ROLE_CUSTOMER:
        return customer;
    }
    return text;
}

int batch_name_eq(const char *s, size_t n, const char *name)
{
    size_t i;
    unsigned char a, b;

    for (i = 0; i < n; i++) {
        a = (unsigned char)s[i];
        b = (unsigned char)name[i];
        if (b == '\0')
            return 0;
        if (a >= 'A' && a <= 'Z')
            a = (unsigned char)(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z')
            b = (unsigned char)(b - 'A' + 'a');
        if (a != b)
            return 0;
    }
    return name[n] == '\0';
}

static char *copy_str(const char *p, size_t n)
{
    char *s = malloc(n + 1);

    if (s != NULL) {
        memcpy(s, p, n);
        s[n] = '\0';
    }
    return s;
}

triage_status batch_cols_set_header(struct batch_cols *c,
                                    const struct batch_scan *s)
{
    const char *v;
    size_t i, len;

    c->hdr = calloc(s->nfields ? s->nfields : 1, sizeof *c->hdr);
    if (c->hdr == NULL)
        return TRIAGE_ENOMEM;
    c->n_hdr = s->nfields;
    for (i = 0; i < s->nfields; i++) {
        v = batch_scan_field(s, i, &len);
        batch_trim(&v, &len);
        c->hdr[i] = copy_str(v, len);
        if (c->hdr[i] == NULL)
            return TRIAGE_ENOMEM;
    }
    return TRIAGE_OK;
}

/* A header name wins over the number it spells; numbers are 1-based. */
static int find_col(const struct batch_cols *c, const char *spec,
                    size_t *idx)
{
    const char *p = spec;
    size_t n = strlen(spec), i;
    unsigned long v = 0;

    batch_trim(&p, &n);
    for (i = 0; i < c->n_hdr; i++) {
        if (batch_name_eq(p, n, c->hdr[i])) {
            *idx = i;
            return 1;
        }
    }
    if (n == 0 || n > 6)
        return 0;
    for (i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return 0;
        v = v * 10 + (unsigned long)(p[i] - '0');
    }
    if (v == 0 || v > MAX_COL_NUMBER || (c->hdr != NULL && v > c->n_hdr))
        return 0;
    *idx = v - 1;
    return 1;
}

/*
 * Words that give a header its role when no listed name matches it whole,
 * as real exports name columns: 投诉描述, 客户反馈内容, "Complaint Text",
 * customer_feedback. A header that also holds one of the role's 'not' words
 * belongs to another column (投诉类型, complaint_id, 处理结果). Han words
 * match anywhere; an ASCII word must start a word of the header, and one
 * of three letters or fewer must be the whole word ("id", not "valid").
 */
struct role_words {
    const char *const *has, *const *not;
};

static const struct role_words *role_words(enum batch_role role)
{
    static const char *const text_has[] = {
        "内容", "描述", "反馈", "留言", "诉求", "详情", "经过", "投诉", "投訴",
        "意见", "问题", "complaint", "descr", "comment", "feedback", "narrative",
        "detail", "message", "content", "text", "verbatim", "issue", "problem", NULL,
    };
    static const char *const text_not[] = {
        "类型", "类别", "分类", "編號", "编号", "单号", "号码", "时间", "時間", "日期",
        "状态", "级别", "等级", "渠道", "来源", "电话", "姓名", "门店", "标题", "结果",
        "处理", "回复", "答复", "人", "对象", "金额", "次数", "数量", "id", "type", "categor", "class", "date", "time",
        "status", "code", "number", "no", "level", "channel", "source", "title",
        "name", "phone", "result", "resolution", "response", "reply", "store",
        "amount", "count", "qty", NULL,
    };
    static const char *const id_has[] = {
        "编号", "編號", "单号", "單號", "工单", "序号", "id", "ticket", "case", "ref",
        "no", "number", NULL,
    };
    static const char *const id_not[] = {
        "客户", "顾客", "会员", "电话", "手机", "customer", "client", "member",
        "phone", "mobile", NULL,
    };
    static const char *const date_has[] = {
        "日期", "时间", "時間", "date", "time", "created", "received", "opened",
        "submitted", NULL,
    };
    static const char *const cust_has[] = {
        "客户", "客戶", "顾客", "会员", "姓名", "手机", "电话", "联系", "customer",
        "client", "member", "phone", "mobile", "email", "contact", NULL,
    };
    static const char *const none[] = { NULL };
    static const struct role_words words[] = {
        { text_has, text_not }, { id_has, id_not }, { date_has, none },
        { cust_has, none },
    };

    return &words[role];
}

/* 1 if 'word' is in header h (see struct role_words). */
static int header_has(const char *h, const char *word)
{
    size_t wn = strlen(word), i;
    int ascii = (unsigned char)word[0] < 0x80;

    if (!ascii)
        return strstr(h, word) != NULL;
    for (i = 0; h[i] != '\0'; i++) {
        size_t k;

        /* A word starts at the header's start, after a byte that is not
         * an ASCII letter or digit, or at a capital ("ComplaintText"). */
        if (i > 0 && isalnum((unsigned char)h[i - 1]) &&
            !(isupper((unsigned char)h[i]) && islower((unsigned char)h[i - 1])))
            continue;
        for (k = 0; k < wn && tolower((unsigned char)h[i + k]) == word[k]; k++)
            ;
        if (k < wn)
            continue;
        if (wn > 3 || !isalnum((unsigned char)h[i + wn]) ||
            (isupper((unsigned char)h[i + wn]) && islower((unsigned char)h[i + wn - 1])))
            return 1;
    }
    return 0;
}

static int any_word(const char *h, const char *const *words)
{
    for (; *words != NULL; words++)
        if (header_has(h, *words))
            return 1;
    return 0;
}

/* A column another role has already taken is not guessed again. */
static int taken(const struct batch_cols *c, size_t i)
{
    return (c->text_idx != NULL && c->n_text > 0 && c->text_idx[0] == i) ||
           c->id_idx == i || c->date_idx == i || c->cust_idx == i;
}

static int guess_col(const struct batch_cols *c, enum batch_role role,
                     size_t *idx)
{
    const char *const *names = batch_role_names(role);
    const struct role_words *w = role_words(role);
    const char *const *has;
    size_t i;

    for (; *names != NULL; names++) {
        for (i = 0; i < c->n_hdr; i++) {
            if (batch_name_eq(c->hdr[i], strlen(c->hdr[i]), *names) && !taken(c, i)) {
                *idx = i;
                return 1;
            }
        }
    }
    /* The words in their order of strength, then the header's order. */
    for (has = w->has; *has != NULL; has++) {
        for (i = 0; i < c->n_hdr; i++) {
            if (!taken(c, i) && header_has(c->hdr[i], *has) && !any_word(c->hdr[i], w->not)) {
                *idx = i;
                return 1;
            }
        }
    }
    return 0;
}

/* "a, b, c" for error messages, cut with "..." to fit. */
static void list_header(const struct batch_cols *c, char *buf, size_t len)
{
    size_t i, used = 0;
    int n;

    buf[0] = '\0';
    for (i = 0; i < c->n_hdr; i++) {
        n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
                     c->hdr[i]);
        if (n < 0 || (size_t)n >= len - used) {
            if (len > 4)
                memcpy(buf + len - 4, "...", 4);
            return;
        }
        used += (size_t)n;
    }
}

static triage_status no_column(const struct batch_cols *c, const char *spec,
                               char *err, size_t errlen)
{
    char names[200];

    if (c->hdr == NULL) {
        snprintf(err, errlen,
                 "column '%s': without a header give a column number "
                 "(1 to %u)", spec, MAX_COL_NUMBER);
    } else {
        list_header(c, names, sizeof names);
        snprintf(err, errlen, "no column '%s' (header: %s)", spec, names);
    }
    return TRIAGE_EINVAL;
}

/* A role column: the one given, else a guess from the header, else none. */
static triage_status resolve_one(const struct batch_cols *c, const char *spec,
                                 enum batch_role role, size_t *idx, char *err,
                                 size_t errlen)
{
    *idx = BATCH_NO_COL;
    if (spec == NULL) {
        if (c->hdr != NULL)
            guess_col(c, role, idx);
        return TRIAGE_OK;
    }
    return find_col(c, spec, idx) ? TRIAGE_OK
                                  : no_column(c, spec, err, errlen);
}

static triage_status resolve_text(struct batch_cols *c,
                                  const struct batch_opts *o, char *err,
                                  size_t errlen)
{
    char names[200];
    size_t i;

    c->n_text = o->n_text_cols ? o->n_text_cols : 1;
    c->text_idx = calloc(c->n_text, sizeof *c->text_idx);
    if (c->text_idx == NULL)
        return TRIAGE_ENOMEM;
    for (i = 0; i < o->n_text_cols; i++)
        if (!find_col(c, o->text_cols[i], &c->text_idx[i]))
            return no_column(c, o->text_cols[i], err, errlen);
    if (o->n_text_cols > 0 || guess_col(c, BATCH_ROLE_TEXT, c->text_idx))
        return TRIAGE_OK;
    if (c->hdr == NULL) {
        c->text_defaulted = 1;   /* checked on the first record */
        return TRIAGE_OK;
    }
    if (c->n_hdr == 1)
        return TRIAGE_OK;
    list_header(c, names, sizeof names);
    snprintf(err, errlen,
             "no text column found (header: %s); name it or give its number",
             names);
    return TRIAGE_EINVAL;
}

static triage_status resolve_keep(struct batch_cols *c,
                                  const struct batch_opts *o, char *err,
                                  size_t errlen)
{
    const char *name;
    size_t i, len;

    if (o->n_keep_cols == 0)
        return TRIAGE_OK;
    c->keep_idx = calloc(o->n_keep_cols, sizeof *c->keep_idx);
    c->keep_names = calloc(o->n_keep_cols, sizeof *c->keep_names);
    if (c->keep_idx == NULL || c->keep_names == NULL)
        return TRIAGE_ENOMEM;
    c->n_keep = o->n_keep_cols;
    for (i = 0; i < c->n_keep; i++) {
        if (!find_col(c, o->keep_cols[i], &c->keep_idx[i]))
            return no_column(c, o->keep_cols[i], err, errlen);
        name = c->hdr ? c->hdr[c->keep_idx[i]] : o->keep_cols[i];
        len = strlen(name);
        batch_trim(&name, &len);
        c->keep_names[i] = copy_str(name, len);
        if (c->keep_names[i] == NULL)
            return TRIAGE_ENOMEM;
    }
    return TRIAGE_OK;
}

triage_status batch_cols_resolve(struct batch_cols *c,
                                 const struct batch_opts *o, char *err,
                                 size_t errlen)
{
    triage_status st;

    st = resolve_text(c, o, err, errlen);
    if (st == TRIAGE_OK)
        st = resolve_one(c, o->id_col, BATCH_ROLE_ID, &c->id_idx, err,
                         errlen);
    if (st == TRIAGE_OK)
        st = resolve_one(c, o->date_col, BATCH_ROLE_DATE, &c->date_idx, err,
                         errlen);
    if (st == TRIAGE_OK)
        st = resolve_one(c, o->customer_col, BATCH_ROLE_CUSTOMER,
                         &c->cust_idx, err, errlen);
    if (st == TRIAGE_OK)
        st = resolve_keep(c, o, err, errlen);
    return st;
}

static void want_col(unsigned char *want, size_t idx)
{
    if (idx != BATCH_NO_COL)
        want[idx] = 1;
}

triage_status batch_cols_want(const struct batch_cols *c,
                              struct batch_scan *s)
{
    size_t i, n = 0;
    size_t all[3] = { c->id_idx, c->date_idx, c->cust_idx };

    for (i = 0; i < c->n_text; i++)
        n = c->text_idx[i] + 1 > n ? c->text_idx[i] + 1 : n;
    for (i = 0; i < c->n_keep; i++)
        n = c->keep_idx[i] + 1 > n ? c->keep_idx[i] + 1 : n;
    for (i = 0; i < 3; i++)
        if (all[i] != BATCH_NO_COL && all[i] + 1 > n)
            n = all[i] + 1;
    free(s->want);
    s->want = calloc(n ? n : 1, 1);
    if (s->want == NULL)
        return TRIAGE_ENOMEM;
    s->n_want = n;
    s->want_all = 0;
    for (i = 0; i < c->n_text; i++)
        want_col(s->want, c->text_idx[i]);
    for (i = 0; i < c->n_keep; i++)
        want_col(s->want, c->keep_idx[i]);
    for (i = 0; i < 3; i++)
        want_col(s->want, all[i]);
    return TRIAGE_OK;
}

static void free_strs(char **v, size_t n)
{
    size_t i;

    for (i = 0; v != NULL && i < n; i++)
        free(v[i]);
    free(v);
}

void batch_cols_free(struct batch_cols *c)
{
    free_strs(c->hdr, c->n_hdr);
    free_strs(c->keep_names, c->n_keep);
    free(c->text_idx);
    free(c->keep_idx);
    memset(c, 0, sizeof *c);
    c->id_idx = c->date_idx = c->cust_idx = BATCH_NO_COL;
}
