/* t2s_table.h - the generated traditional-to-simplified pair table. */
#ifndef TRI_T2S_TABLE_H
#define TRI_T2S_TABLE_H
#include <stdint.h>
struct tri_t2s_pair {
    uint32_t trad;
    uint32_t simp;
};
extern const struct tri_t2s_pair tri_t2s_pairs[];
extern const unsigned tri_t2s_count;
#define TRI_T2S_DENSE_FIRST 0x3400u   /* CJK Extension A ...            */
#define TRI_T2S_DENSE_END 0x9FFFu     /* ... through the Unified block  */
extern const uint32_t tri_t2s_dense[];
/* Bit k set: tri_t2s_dense[k] holds a different simplified form. */
extern const uint8_t tri_t2s_changes[];
#define TRI_T2S_CHANGES(k) ((tri_t2s_changes[(k) >> 3] >> ((k) & 7)) & 1u)
#endif
