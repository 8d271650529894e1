/*
 * batch_date.c - reduces the date forms found in complaint exports (ISO,
 * Chinese, dotted, Excel serial days) to a "YYYY-MM" month.
 */
#include "batch_internal.h"

#define U8_NIAN "\xE5\xB9\xB4"   /* 年 */
#define U8_YUE "\xE6\x9C\x88"    /* 月 */
#define U8_RI "\xE6\x97\xA5"     /* 日 */

/* Read 1..maxd digits; returns how many were read (0: none). */
static int read_digits(const char **p, const char *end, int maxd, int *v)
{
    int n = 0;

    *v = 0;
    while (*p < end && n < maxd && **p >= '0' && **p <= '9') {
        *v = *v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n;
}

static int eat(const char **p, const char *end, const char *lit)
{
    size_t n = strlen(lit);

    if ((size_t)(end - *p) < n || memcmp(*p, lit, n) != 0)
        return 0;
    *p += n;
    return 1;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : days[m - 1];
}

static int set_month(int y, int m, char out[8])
{
    if (y < 1000 || y > 9999 || m < 1 || m > 12)
        return 0;
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '\0';
    return 1;
}

/*
 * Excel stores dates as days since 1899-12-30 (its 1900 leap-year bug makes
 * that the right epoch for every serial after February 1900). The fraction
 * is the time of day. Civil date from days: Howard Hinnant's algorithm.
 */
static int excel_serial(const char *p, const char *end, char out[8])
{
    long z, era, doe, yoe, doy, mp, m, y;
    int v, n = read_digits(&p, end, 6, &v);

    if (n == 0 || v < 20000 || v > 80000)
        return 0;
    if (p < end && *p == '.') {
        p++;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    if (p != end)
        return 0;
    z = (long)v - 25569 + 719468;   /* days since 1970-03-01 era base */
    era = z / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = yoe + era * 400 + (m <= 2);
    return set_month((int)y, (int)m, out);
}

/* 2024年3月5日 and 2024年3月; p is just after the year. */
static int chinese_date(const char *p, const char *end, int y, char out[8])
{
    int m, d;

    if (!eat(&p, end, U8_NIAN) || !read_digits(&p, end, 2, &m) ||
        !eat(&p, end, U8_YUE))
        return 0;
    if (p < end && read_digits(&p, end, 2, &d) &&
        (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)))
        return 0;
    return set_month(y, m, out);
}

/* 2024-03-05, 2024/3/5, 2024.03.05, 2024-03, then end or a time. */
static int numeric_date(const char *p, const char *end, int y, char out[8])
{
    char sep;
    int m, d;

    if (p == end)
        return 0;
    sep = *p++;
    if ((sep != '-' && sep != '/' && sep != '.') ||
        !read_digits(&p, end, 2, &m) || m < 1 || m > 12)
        return 0;
    if (p == end)
        return set_month(y, m, out);
    if (*p++ != sep || !read_digits(&p, end, 2, &d) || d < 1 ||
        d > days_in_month(y, m))
        return 0;
    if (p != end && *p != ' ' && *p != 'T' && *p != 't')
        return 0;
    return set_month(y, m, out);
}

int batch_parse_month(const char *s, char out[8])
{
    const char *p, *end;
    size_t n;
    int y, m, d;

    if (s == NULL)
        return 0;
    n = strlen(s);
    batch_trim(&s, &n);
    p = s;
    end = s + n;
    if (excel_serial(s, end, out))
        return 1;
    if (read_digits(&p, end, 4, &y) != 4)
        return 0;   /* also refuses 03/05/2024: day or month first */
    if (p < end && *p >= '0' && *p <= '9') {
        /* 20240305 */
        if (end - s != 8 || !read_digits(&p, end, 2, &m) ||
            !read_digits(&p, end, 2, &d) || m < 1 || m > 12 || d < 1 ||
            d > days_in_month(y, m))
            return 0;
        return set_month(y, m, out);
    }
    if (p < end && (unsigned char)*p == 0xE5)
        return chinese_date(p, end, y, out);
    return numeric_date(p, end, y, out);
}
