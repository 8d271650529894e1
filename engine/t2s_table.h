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
#endif
