/*
 * diag.c - compile diagnostics: counted, kept as "last", and handed to the
 * user's callback. The library never prints them itself.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "compile_int.h"

void tri_diag(struct tri_diag_sink *d, triage_status code, int warning,
              const char *file, unsigned line, unsigned col,
              const char *rule_id, int pattern, int pat_off,
              const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    size_t mlen, flen, rlen;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (warning) {
        d->warnings++;
    } else {
        d->errors++;
        if (d->first_error == TRIAGE_OK)
            d->first_error = code;
    }
    /* Keep copies so triage_compiler_last_diag() outlives the strings. */
    mlen = strlen(msg);
    flen = file ? strlen(file) : 0;
    rlen = rule_id ? strlen(rule_id) : 0;
    d->last_text.len = 0;
    if (tri_buf_add(&d->last_text, msg, mlen + 1) != TRIAGE_OK ||
        tri_buf_add(&d->last_text, file ? file : "", flen + 1) != TRIAGE_OK ||
        tri_buf_add(&d->last_text, rule_id ? rule_id : "", rlen + 1) != TRIAGE_OK)
        d->last_text.len = 0;
    memset(&d->last, 0, sizeof d->last);
    d->last.code = code;
    d->last.is_warning = warning;
    d->last.line = line;
    d->last.column = col;
    d->last.pattern = pattern;
    d->last.pattern_offset = pat_off;
    if (d->last_text.len > 0) {
        d->last.message = d->last_text.data;
        d->last.file = file ? d->last_text.data + mlen + 1 : NULL;
        d->last.rule_id = rule_id ? d->last_text.data + mlen + flen + 2 : NULL;
    } else {
        d->last.message = triage_strerror(code);
    }
    if (d->fn != NULL)
        d->fn(&d->last, d->user);
}

void tri_diag_free(struct tri_diag_sink *d)
{
    tri_buf_free(&d->last_text);
}
