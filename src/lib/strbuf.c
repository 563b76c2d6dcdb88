/*
 * strbuf.c - the growable string of strbuf.h: doubling growth from 4 KB, a
 * sticky out-of-memory flag instead of per-call errors.
 */
#include "portable.h"
#include "strbuf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool sb_grow(zmm_strbuf *b, size_t extra)
{
    if (b->oom) return false;
    if (b->len + extra + 1 <= b->cap) return true;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra + 1) {
        if (cap > SIZE_MAX / 2) { b->oom = true; return false; }
        cap *= 2;
    }
    char *p = realloc(b->p, cap);
    if (!p) { b->oom = true; return false; }
    b->p = p;
    b->cap = cap;
    return true;
}

void zmm_sb_putn(zmm_strbuf *b, const char *s, size_t n)
{
    if (!sb_grow(b, n)) return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void zmm_sb_puts(zmm_strbuf *b, const char *s) { zmm_sb_putn(b, s, strlen(s)); }

void zmm_sb_putc(zmm_strbuf *b, char c) { zmm_sb_putn(b, &c, 1); }

void zmm_sb_repeat(zmm_strbuf *b, char c, size_t n)
{
    if (!sb_grow(b, n)) return;
    memset(b->p + b->len, c, n);
    b->len += n;
    b->p[b->len] = '\0';
}

/* Most pieces are short: format into a stack buffer first, and only a longer
 * one a second time, straight into the grown buffer. */
void zmm_sb_printf(zmm_strbuf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) { b->oom = true; return; }
    if ((size_t)n < sizeof small) { zmm_sb_putn(b, small, (size_t)n); return; }
    if (!sb_grow(b, (size_t)n)) return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}
