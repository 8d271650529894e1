/*
 * normalize.h - folding of complaint text and rule literals into one form
 * (case, width, traditional to simplified, invisible characters, spaces
 * between Han characters), with a map back to the original bytes.
 */
#ifndef TRI_NORMALIZE_H
#define TRI_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>
#include "triage.h"

/* Reusable buffers: a tri_norm lives in a scratch and grows only when a
 * longer text arrives, so steady-state classification allocates nothing. */
struct tri_norm {
    char *text;          /* folded UTF-8, NUL-terminated, always valid    */
    size_t len;          /* bytes in text, without the NUL               */
    size_t cap;
    uint32_t *orig;      /* orig[i]: original offset of folded byte i;    */
    size_t orig_cap;     /* orig[len] = original length; NULL-free only   */
    int identity;        /* 1: text equals the input, orig unused         */
    uint32_t *cp;        /* cp[i]: code point index of folded byte i,     */
    size_t cp_cap;       /* cp[len] = number of code points               */
    int invalid_utf8;    /* input held invalid UTF-8 (replaced by U+FFFD) */
    unsigned han;        /* Han code points in the input                  */
    unsigned han_trad;   /* of them, folded by the t2s table              */
    unsigned latin;      /* ASCII letters in the input                    */
};

void tri_norm_init(struct tri_norm *n);
void tri_norm_free(struct tri_norm *n);

/*
 * Fold 'len' bytes of 'in' into n. Returns TRIAGE_OK, TRIAGE_ENOMEM or
 * TRIAGE_ELIMIT (input over 2^31 bytes). Never fails on bad UTF-8.
 */
triage_status tri_normalize(struct tri_norm *n, const char *in, size_t len);

/* Folded byte offset of original byte offset 'off': the first folded
 * byte that comes from 'off' or later (len when none does). */
size_t tri_norm_from_orig(const struct tri_norm *n, size_t off);

/* Original byte offset of folded byte offset 'off' (0 <= off <= len). */
static inline size_t tri_norm_orig(const struct tri_norm *n, size_t off)
{
    return n->identity ? off : n->orig[off];
}

/*
 * Original end of a folded span that ends at 'off' (0 < off <= len): the
 * end of the original character that gave folded byte off - 1, so what the
 * fold dropped after it (a space between Han characters, invisibles, NUL)
 * is not counted in. 'in' and 'in_len' are the text that was folded.
 */
size_t tri_norm_orig_end(const struct tri_norm *n, const char *in,
                         size_t in_len, size_t off);

/* Simplified form of one code point (the code point itself if none). */
uint32_t tri_t2s(uint32_t cp);

/* 1 if cp is a Han ideograph (CJK unified, extensions, compatibility). */
int tri_is_han(uint32_t cp);

#endif
