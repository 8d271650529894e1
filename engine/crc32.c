/*
 * crc32.c - the CRC-32 (IEEE 802.3, reflected) that guards a saved table.
 * Eight bytes a step through eight derived tables ("slicing-by-8"): a
 * table's body is tens of megabytes and the byte-at-a-time loop was a
 * fifth of every `triage` run's start-up. Same values as zlib's crc32().
 */
#include "internal.h"

#define POLY 0xedb88320u

uint32_t tri_crc32_update(uint32_t crc, const unsigned char *p, size_t n)
{
    uint32_t t[8][256], c, lo, hi;
    unsigned i, k;

    for (i = 0; i < 256; i++) {
        c = i;
        for (k = 0; k < 8; k++)
            c = c & 1 ? POLY ^ (c >> 1) : c >> 1;
        t[0][i] = c;
    }
    for (i = 0; i < 256; i++)
        for (k = 1; k < 8; k++)
            t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xff];
    c = crc ^ 0xffffffffu;
    for (; n >= 8; p += 8, n -= 8) {
        /* Assembled byte by byte: the same on any byte order, one load on x86. */
        lo = c ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                  (uint32_t)p[3] << 24);
        hi = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 |
             (uint32_t)p[7] << 24;
        c = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^
            t[4][lo >> 24] ^ t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^
            t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
    }
    for (; n > 0; p++, n--)
        c = t[0][(c ^ *p) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

uint32_t tri_crc32(const unsigned char *p, size_t n)
{
    return tri_crc32_update(0, p, n);
}
