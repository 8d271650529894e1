/*
 * json_out.c - JSON string output for the CLI's own records (the engine
 * renders results itself). Bytes that are not UTF-8 become U+FFFD.
 */
#include <stdio.h>
#include "cli.h"

void json_print_str(FILE *fp, const char *s, size_t n)
{
    size_t i = 0;

    fputc('"', fp);
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t k, want = c < 0x80 ? 1 : c >= 0xf0 && c < 0xf5 ? 4
                         : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;

        if (c == '"' || c == '\\') {
            fprintf(fp, "\\%c", c);
            i++;
            continue;
        }
        if (c < 0x20) {
            fprintf(fp, "\\u%04x", c);
            i++;
            continue;
        }
        for (k = 1; want > 1 && k < want && i + k < n &&
                    ((unsigned char)s[i + k] & 0xc0) == 0x80; k++)
            ;
        if (want == 0 || k < want) {
            fputs("\xef\xbf\xbd", fp);
            i += want == 0 ? 1 : k;
            continue;
        }
        fwrite(s + i, 1, want, fp);
        i += want;
    }
    fputc('"', fp);
}
