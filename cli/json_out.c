/*
 * json_out.c - JSON string output for the CLI's own records (the engine
 * renders results itself). Bytes that are not UTF-8 become U+FFFD.
 */
#include <stdio.h>
#include "cli.h"

void json_print_str(FILE *fp, const char *s, size_t n)
{
    size_t i = 0, run = 0;

    fputc('"', fp);
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t k, want = c < 0x80 ? 1 : c >= 0xf0 && c < 0xf5 ? 4
                         : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;

        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            i++;            /* plain ASCII: part of the pending run */
            continue;
        }
        for (k = 1; want > 1 && k < want && i + k < n &&
                    ((unsigned char)s[i + k] & 0xc0) == 0x80; k++)
            ;
        if (want > 1 && k == want) {
            i += want;      /* a whole UTF-8 sequence: part of the run */
            continue;
        }
        fwrite(s + run, 1, i - run, fp);   /* the run before this byte */
        if (c == '"' || c == '\\')
            fprintf(fp, "\\%c", c);
        else if (c < 0x20)
            fprintf(fp, "\\u%04x", c);
        else
            fputs("\xef\xbf\xbd", fp);
        i += c < 0x80 || want == 0 ? 1 : k;
        run = i;
    }
    fwrite(s + run, 1, i - run, fp);
    fputc('"', fp);
}
