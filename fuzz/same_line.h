/* same_line.h - the harnesses' oracle: two ways to the same result must
 * give the same line, byte for byte. */
#ifndef FUZZ_SAME_LINE_H
#define FUZZ_SAME_LINE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Abort, printing both lines, unless a (named a_name) and b are equal;
 * 'what' says which two ways were compared. */
static inline void same_line(const char *what, const char *a_name, const char *a,
                             size_t a_len, const char *b_name, const char *b, size_t b_len)
{
    if (a_len == b_len && memcmp(a, b, a_len) == 0)
        return;
    fprintf(stderr, "%s differs:\n  %-5s %.*s\n  %-5s %.*s\n", what, a_name, (int)a_len, a,
            b_name, (int)b_len, b);
    abort();
}
#endif
