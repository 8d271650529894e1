/*
 * normalize.c - one-pass folding of complaint text and rule literals (case,
 * width, NFKC, traditional to simplified, invisibles, white space) with maps
 * from every folded byte back to its original offset and code point index.
 */
#include <string.h>
#include <utf8proc.h>
#include "internal.h"
#include "normalize.h"
#include "t2s_table.h"

#define INPUT_LIMIT 0x7fffffffu
#define REPLACEMENT 0xFFFDu
/* One character folds into at most 18 code points (U+FDFA); leave room. */
#define FOLD_MAX 32
#define NFKC_CF (UTF8PROC_COMPOSE | UTF8PROC_STABLE | UTF8PROC_COMPAT | \
                 UTF8PROC_CASEFOLD)

/* State of one tri_normalize pass. */
struct fold {
    struct tri_norm *n;
    size_t j;          /* folded bytes written                           */
    size_t lim;        /* all three buffers hold at least lim elements    */
    uint32_t ncp;      /* folded code points written                     */
    int prev_han;      /* the last folded code point is Han               */
    int ws;            /* a white-space run is pending                    */
    int ws_lf;         /* the pending run holds a line break              */
    uint32_t ws_off;   /* original offset of the run's first character    */
};

/* Realloc 'buf' to hold 'need' elements of 'size' bytes, doubling. */
static void *grow(void *buf, size_t *cap, size_t need, size_t size)
{
    size_t ncap = *cap ? *cap : 64;
    void *p;

    if (*cap >= need)
        return buf;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / size)
            return NULL;
        ncap *= 2;
    }
    p = tri_realloc(buf, ncap * size);
    if (p != NULL)
        *cap = ncap;
    return p;
}

/*
 * Make text, orig and cp hold 'need' elements. Offsets and indexes are
 * 32-bit, so a folded text that would not fit them is refused.
 */
static triage_status reserve(struct fold *f, size_t need)
{
    struct tri_norm *n = f->n;
    void *p;

    if (need > UINT32_MAX)
        return TRIAGE_ELIMIT;
    if ((p = grow(n->text, &n->cap, need, 1)) == NULL)
        return TRIAGE_ENOMEM;
    n->text = p;
    if ((p = grow(n->orig, &n->orig_cap, need, sizeof *n->orig)) == NULL)
        return TRIAGE_ENOMEM;
    n->orig = p;
    if ((p = grow(n->cp, &n->cp_cap, need, sizeof *n->cp)) == NULL)
        return TRIAGE_ENOMEM;
    n->cp = p;
    f->lim = n->cap;
    if (n->orig_cap < f->lim)
        f->lim = n->orig_cap;
    if (n->cp_cap < f->lim)
        f->lim = n->cp_cap;
    return TRIAGE_OK;
}

/* Append one folded code point of k UTF-8 bytes taken from offset src. */
static triage_status put(struct fold *f, const unsigned char *b, unsigned k,
                         uint32_t src)
{
    struct tri_norm *n = f->n;
    triage_status st;
    unsigned i;

    /* '>=' keeps one slot free for the NUL and the orig/cp sentinels. */
    if (f->j + k >= f->lim && (st = reserve(f, f->j + k + 1)) != TRIAGE_OK)
        return st;
    for (i = 0; i < k; i++) {
        n->text[f->j] = (char)b[i];
        n->orig[f->j] = src;
        n->cp[f->j] = f->ncp;
        f->j++;
    }
    f->ncp++;
    return TRIAGE_OK;
}

static unsigned encode(uint32_t c, unsigned char *b)
{
    if (c < 0x80) {
        b[0] = (unsigned char)c;
        return 1;
    }
    if (c < 0x800) {
        b[0] = (unsigned char)(0xC0 | (c >> 6));
        b[1] = (unsigned char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (c >> 12));
        b[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (c & 0x3F));
        return 3;
    }
    b[0] = (unsigned char)(0xF0 | (c >> 18));
    b[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
    b[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
    b[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
}

static triage_status put_cp(struct fold *f, uint32_t c, uint32_t src)
{
    unsigned char b[4];

    return put(f, b, encode(c, b), src);
}

/* Open or extend a white-space run; it is written when the run ends. */
static void begin_ws(struct fold *f, int lf, size_t off)
{
    if (!f->ws) {
        f->ws = 1;
        f->ws_lf = 0;
        f->ws_off = (uint32_t)off;
    }
    f->ws_lf |= lf;
}

/*
 * Close the pending run before a character whose folded form starts with
 * a Han code point or not. Chinese text puts no spaces between words, so a
 * space between two Han characters is an artefact (often of a copy from a
 * form or a PDF) and is dropped; a line break still ends a clause.
 */
static triage_status flush_ws(struct fold *f, int next_han)
{
    unsigned char c = f->ws_lf ? '\n' : ' ';

    f->ws = 0;
    if (!f->ws_lf && f->prev_han && next_han)
        return TRIAGE_OK;
    f->prev_han = 0;
    return put(f, &c, 1, f->ws_off);
}

/* Han code points that NFKC leaves alone (compatibility ideographs don't). */
static int is_unified_han(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x20000 && c <= 0x323AF && !(c >= 0x2F800 && c <= 0x2FA1F)) ||
           c == 0x3007;
}

int tri_is_han(uint32_t c)
{
    return is_unified_han(c) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0x2F800 && c <= 0x2FA1F);
}

uint32_t tri_t2s(uint32_t c)
{
    size_t lo = 0, hi = tri_t2s_count;

    if (c >= TRI_T2S_DENSE_FIRST && c <= TRI_T2S_DENSE_END)
        return TRI_T2S_CHANGES(c - TRI_T2S_DENSE_FIRST)
                   ? tri_t2s_dense[c - TRI_T2S_DENSE_FIRST] : c;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint32_t t = tri_t2s_pairs[mid].trad;

        if (t < c)
            lo = mid + 1;
        else if (t > c)
            hi = mid;
        else
            return tri_t2s_pairs[mid].simp;
    }
    return c;
}

/* Invisible characters that would split a keyword without showing. */
static int is_removed(uint32_t c)
{
    return (c >= 0x200B && c <= 0x200F) || (c >= 0x2060 && c <= 0x2064) ||
           (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF || c == 0x00AD ||
           c == 0x180E || (c >= 0xE0100 && c <= 0xE01EF);
}

/* Non-ASCII white space: 0 none, 1 space, 2 line break. */
static int ws_kind(uint32_t c)
{
    if (c == 0x85 || c == 0x2028 || c == 0x2029)
        return 2;
    return c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
           c == 0x202F || c == 0x205F || c == 0x3000;
}

/*
 * Decode the sequence at s[i] (s[i] >= 0x80) and return its length. On
 * invalid input *cp is REPLACEMENT and the length is that of the maximal
 * subpart (Unicode 15, 3.9 "U+FFFD substitution of maximal subparts").
 */
static size_t decode(const unsigned char *s, size_t len, size_t i,
                     uint32_t *cp, int *bad)
{
    unsigned c = s[i], need, lo = 0x80, hi = 0xBF;
    uint32_t v;
    size_t k;

    *cp = REPLACEMENT;
    *bad = 1;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0F;
        lo = c == 0xE0 ? 0xA0 : 0x80;   /* overlong */
        hi = c == 0xED ? 0x9F : 0xBF;   /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07;
        lo = c == 0xF0 ? 0x90 : 0x80;   /* overlong */
        hi = c == 0xF4 ? 0x8F : 0xBF;   /* above U+10FFFF */
    } else {
        return 1;
    }
    for (k = 1; k <= need; k++) {
        if (i + k >= len || s[i + k] < lo || s[i + k] > hi)
            return k;
        v = (v << 6) | (s[i + k] & 0x3F);
        lo = 0x80;
        hi = 0xBF;
    }
    *cp = v;
    *bad = 0;
    return need + 1;
}

/*
 * ASCII from s[*i] up to the next non-ASCII byte or '(' (which may open a
 * pinyin note): lower case, white space runs, NUL as a space. A byte folds
 * to at most one, plus one for a space run pending from before, so the
 * run's room is reserved once and written without a check per byte.
 */
static triage_status fold_ascii(struct fold *f, const unsigned char *s,
                                size_t len, size_t *i)
{
    size_t a = *i, e = a + 1;
    triage_status st;
    char *text;
    uint32_t *orig, *cp;

    while (e < len && s[e] < 0x80 && s[e] != '(')
        e++;
    *i = e;
    if (f->j + (e - a) + 1 >= f->lim && (st = reserve(f, f->j + (e - a) + 2)) != TRIAGE_OK)
        return st;
    /* Locals: the buffers cannot move now, and a char store through f->n
     * would make the compiler reload every pointer for every byte. */
    text = f->n->text;
    orig = f->n->orig;
    cp = f->n->cp;
    for (; a < e; a++) {
        unsigned c = s[a];

        if (c == ' ' || c == 0 || (c >= 0x09 && c <= 0x0D)) {
            begin_ws(f, c == '\n', a);
            continue;
        }
        if (c - 'A' < 26u) {
            c += 'a' - 'A';
            f->n->latin++;
        } else if (c - 'a' < 26u) {
            f->n->latin++;
        }
        if (f->ws && (st = flush_ws(f, 0)) != TRIAGE_OK)
            return st;
        f->prev_han = 0;
        text[f->j] = (char)c;
        orig[f->j] = (uint32_t)a;
        cp[f->j] = f->ncp++;
        f->j++;
    }
    return TRIAGE_OK;
}

/* A Han character starts: counts, a pending space run (dropped between
 * Han), and the flag the next character's space handling reads. */
static triage_status begin_han(struct fold *f, int folded)
{
    triage_status st;

    f->n->han++;
    if (folded)
        f->n->han_trad++;
    if (f->ws && (st = flush_ws(f, 1)) != TRIAGE_OK)
        return st;
    f->prev_han = 1;
    return TRIAGE_OK;
}

static triage_status fold_han(struct fold *f, uint32_t c, size_t i)
{
    uint32_t s = tri_t2s(c);
    triage_status st = begin_han(f, s != c);

    return st != TRIAGE_OK ? st : put_cp(f, s, (uint32_t)i);
}

/*
 * The bulk of Chinese text: a well-formed 3-byte sequence of the unified
 * block U+4E00..U+9FFF (lead bytes E4 B8..E9). Returns its code point, 0
 * when s[i] does not start one.
 */
static uint32_t han3(const unsigned char *s, size_t len, size_t i)
{
    unsigned a = s[i];

    if (a < 0xE4 || a > 0xE9 || i + 2 >= len || (a == 0xE4 && s[i + 1] < 0xB8) ||
        (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80)
        return 0;
    return ((a & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
}

/* fold_han for a han3 character: NFKC leaves it, so one bit of the t2s
 * bitmap decides, and a character with no simplified form is copied as is. */
static triage_status fold_han3(struct fold *f, const unsigned char *b,
                              uint32_t c, size_t i)
{
    int folded = (int)TRI_T2S_CHANGES(c - TRI_T2S_DENSE_FIRST);
    uint32_t t = folded ? tri_t2s_dense[c - TRI_T2S_DENSE_FIRST] : c;
    triage_status st = begin_han(f, folded);

    if (st != TRIAGE_OK)
        return st;
    return folded ? put_cp(f, t, (uint32_t)i) : put(f, b, 3, (uint32_t)i);
}

/*
 * NFKC_Casefold of the single character s[0..l) (code point c) into buf;
 * returns the number of code points. Most non-ASCII characters have neither
 * a decomposition nor a case folding: those skip utf8proc's work.
 */
static int nfkc_cf(uint32_t c, const unsigned char *s, size_t l,
                   utf8proc_int32_t *buf)
{
    const utf8proc_property_t *p = utf8proc_get_property((utf8proc_int32_t)c);
    utf8proc_ssize_t m;

    buf[0] = (utf8proc_int32_t)c;
    if (p->decomp_seqindex == UINT16_MAX && p->casefold_seqindex == UINT16_MAX)
        return 1;
    m = utf8proc_decompose(s, (utf8proc_ssize_t)l, buf, FOLD_MAX, NFKC_CF);
    if (m >= 1 && m <= FOLD_MAX)
        m = utf8proc_normalize_utf32(buf, m, NFKC_CF);
    if (m < 1 || m > FOLD_MAX) {
        buf[0] = (utf8proc_int32_t)c;   /* cannot happen; keep it as is */
        return 1;
    }
    return (int)m;
}

/* Everything else: NFKC + case folding, then t2s on Han results. */
static triage_status fold_other(struct fold *f, uint32_t c,
                                const unsigned char *s, size_t i, size_t l)
{
    utf8proc_int32_t buf[FOLD_MAX];
    int m = nfkc_cf(c, s + i, l, buf), k, trad = 0;
    triage_status st;

    for (k = 0; k < m; k++) {
        uint32_t u = (uint32_t)buf[k];

        if (tri_is_han(u) && tri_t2s(u) != u) {
            buf[k] = (utf8proc_int32_t)tri_t2s(u);
            trad = 1;
        }
    }
    if (tri_is_han(c)) {
        f->n->han++;
        f->n->han_trad += (unsigned)trad;
    }
    if (f->ws && (st = flush_ws(f, tri_is_han((uint32_t)buf[0]))) != TRIAGE_OK)
        return st;
    for (k = 0; k < m; k++)
        if ((st = put_cp(f, (uint32_t)buf[k], (uint32_t)i)) != TRIAGE_OK)
            return st;
    f->prev_han = tri_is_han((uint32_t)buf[m - 1]);
    return TRIAGE_OK;
}

/* A non-ASCII sequence at s[*i]; advances *i past it. */
static triage_status fold_multi(struct fold *f, const unsigned char *s,
                                size_t len, size_t *i)
{
    uint32_t c;
    int bad, wk;
    size_t at = *i, l = decode(s, len, at, &c, &bad);
    triage_status st = TRIAGE_OK;

    *i += l;
    if (is_unified_han(c))
        return fold_han(f, c, at);
    if (bad) {
        f->n->invalid_utf8 = 1;
        if (f->ws && (st = flush_ws(f, 0)) != TRIAGE_OK)
            return st;
        f->prev_han = 0;
        return put_cp(f, REPLACEMENT, (uint32_t)at);
    }
    if (is_removed(c))
        return TRIAGE_OK;
    if ((wk = ws_kind(c)) != 0) {
        begin_ws(f, wk == 2, at);
        return TRIAGE_OK;
    }
    if (c >= 0xFF01 && c <= 0xFF5E) {
        /* Full-width ASCII: the NFKC result, without asking utf8proc. */
        c -= 0xFEE0;
        if (c - 'A' < 26u)
            c += 'a' - 'A';
        if (f->ws && (st = flush_ws(f, 0)) != TRIAGE_OK)
            return st;
        f->prev_han = 0;
        return put_cp(f, c, (uint32_t)at);
    }
    return fold_other(f, c, s, at, l);
}

size_t tri_norm_orig_end(const struct tri_norm *n, const char *in,
                         size_t in_len, size_t off)
{
    const unsigned char *s = (const unsigned char *)in;
    uint32_t cp;
    size_t at;
    int bad;

    if (n->identity || off == 0)
        return tri_norm_orig(n, off);
    at = n->orig[off - 1];
    if (at >= in_len)
        return in_len;
    return s[at] < 0x80 ? at + 1 : at + decode(s, in_len, at, &cp, &bad);
}

size_t tri_norm_from_orig(const struct tri_norm *n, size_t off)
{
    size_t lo = 0, hi = n->len;

    if (n->identity)
        return off < n->len ? off : n->len;
    while (lo < hi) {   /* orig[] never decreases: folding keeps order */
        size_t mid = (lo + hi) / 2;

        if (n->orig[mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void tri_norm_init(struct tri_norm *n)
{
    memset(n, 0, sizeof *n);
}

void tri_norm_free(struct tri_norm *n)
{
    if (n == NULL)
        return;
    tri_free(n->text);
    tri_free(n->orig);
    tri_free(n->cp);
    memset(n, 0, sizeof *n);
}

/* A pinyin letter: a-z, or a tone-marked vowel from Latin-1 Supplement or
 * Latin Extended-A/B (2-byte UTF-8). Returns its byte length, 0 if none. */
static size_t pinyin_letter(const unsigned char *s, size_t len, size_t i)
{
    static const char *const marked =
        "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙ";
    const char *p;

    if (s[i] >= 'a' && s[i] <= 'z')
        return 1;
    if (i + 1 >= len || s[i] < 0xc2 || s[i] > 0xc7)
        return 0;
    for (p = marked; *p; p += 2)
        if ((unsigned char)p[0] == s[i] && (unsigned char)p[1] == s[i + 1])
            return 2;
    return 0;
}

/*
 * Web pages that annotate characters with pinyin ("醫(yī)藥網(wǎng)") break
 * every keyword. A parenthesised run of 1-7 pinyin letters right after a
 * Han character is dropped, so the text folds to "医药网". Returns the
 * bytes to skip at s[i], 0 when there is no such annotation.
 */
static size_t pinyin_note(const struct fold *f, const unsigned char *s,
                          size_t len, size_t i)
{
    size_t j = i, k, letters = 0;

    if (!f->prev_han || f->ws)
        return 0;
    if (s[j] == '(')
        j++;
    else if (j + 2 < len && s[j] == 0xef && s[j + 1] == 0xbc && s[j + 2] == 0x88)
        j += 3;   /* full-width （ */
    else
        return 0;
    while (j < len && letters < 8 && (k = pinyin_letter(s, len, j)) > 0) {
        j += k;
        letters++;
    }
    if (letters == 0 || letters > 7 || j >= len)
        return 0;
    if (s[j] == ')')
        return j + 1 - i;
    if (j + 2 < len && s[j] == 0xef && s[j + 1] == 0xbc && s[j + 2] == 0x89)
        return j + 3 - i;   /* full-width ） */
    return 0;
}

triage_status tri_normalize(struct tri_norm *n, const char *in, size_t len)
{
    const unsigned char *s = (const unsigned char *)in;
    struct fold f = { n, 0, 0, 0, 0, 0, 0, 0 };
    triage_status st;
    size_t i = 0;

    if (n == NULL || (in == NULL && len > 0))
        return TRIAGE_EINVAL;
    if (len > INPUT_LIMIT)
        return TRIAGE_ELIMIT;
    n->len = 0;
    n->identity = 0;
    n->invalid_utf8 = 0;
    n->han = n->han_trad = n->latin = 0;
    /* Folding rarely grows text; the slack covers a few expansions. */
    if ((st = reserve(&f, len + 16)) != TRIAGE_OK)
        goto done;
    while (i < len) {
        uint32_t c = han3(s, len, i);
        size_t note;

        if (c != 0) {   /* before the pinyin check: no note starts here */
            if ((st = fold_han3(&f, s + i, c, i)) != TRIAGE_OK)
                goto done;
            i += 3;
            continue;
        }
        note = (s[i] == '(' || s[i] == 0xef) ? pinyin_note(&f, s, len, i) : 0;

        if (note > 0) {
            i += note;
            continue;
        }
        if (s[i] < 0x80) {
            st = fold_ascii(&f, s, len, &i);
        } else {
            st = fold_multi(&f, s, len, &i);
        }
        if (st != TRIAGE_OK)
            goto done;
    }
    if (f.ws && (st = flush_ws(&f, 0)) != TRIAGE_OK)
        goto done;
    n->len = f.j;
    n->text[f.j] = '\0';
    n->orig[f.j] = (uint32_t)len;
    n->cp[f.j] = f.ncp;
    n->identity = f.j == len && (len == 0 || memcmp(n->text, in, len) == 0);
done:
    if (st != TRIAGE_OK && n->text != NULL)
        n->text[0] = '\0';   /* a failed fold leaves an empty text */
    return st;
}
