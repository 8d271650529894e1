/*
 * batch_redact.c - masks personal data in text the batch output repeats:
 * phone numbers, Chinese ID numbers, bank card numbers (runs of digits,
 * with - or space inside) and e-mail addresses. Masking is byte for byte,
 * so every span reported against the masked text is valid for it too.
 */
#include <string.h>
#include "batch_run.h"

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int is_mail_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
           c == '.' || c == '_' || c == '-' || c == '+';
}

/* A digit run (separators '-' and ' ' allowed inside) of 7 or more digits:
 * phones (7-13 with area code), IDs (17 + check digit X), cards (16-19). */
static size_t mask_digits(char *s, size_t n, size_t i)
{
    size_t j = i, digits = 0;

    while (j < n && (is_digit(s[j]) || ((s[j] == '-' || s[j] == ' ') &&
                                        j + 1 < n && is_digit(s[j + 1])))) {
        digits += (size_t)is_digit(s[j]);
        j++;
    }
    if (digits == 17 && j < n && (s[j] == 'X' || s[j] == 'x'))
        j++, digits++;
    if (digits >= 7)
        for (; i < j; i++)
            if (s[i] != '-' && s[i] != ' ')
                s[i] = '*';
    return j;
}

static void mask_mail(char *s, size_t n, size_t at)
{
    size_t a = at, b = at + 1;

    while (a > 0 && is_mail_char(s[a - 1]))
        a--;
    while (b < n && is_mail_char(s[b]))
        b++;
    if (a == at || b == at + 1 || memchr(s + at, '.', b - at) == NULL)
        return;
    for (; a < b; a++)
        if (s[a] != '@' && s[a] != '.')
            s[a] = '*';
}

void redact(char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        if (is_digit(s[i]) && (i == 0 || !is_digit(s[i - 1])))
            i = mask_digits(s, n, i);
        else
            i++;
    }
    for (i = 0; i < n; i++)
        if (s[i] == '@')
            mask_mail(s, n, i);
}
