/*
 * strbuf.h - a growable, always NUL-terminated string in malloc memory, the
 * output buffer of the heap maps (heapmap_*.c).
 *
 * Pure C11, no PHP headers. Appending never fails loudly: the first time
 * memory runs out the buffer sets oom and ignores every later append, so a
 * renderer appends freely and checks oom once at the end. Start with
 * `zmm_strbuf b = { 0 };` and free(b.p) when done (p stays NULL until the
 * first append). The functions are global symbols of the extension's .so,
 * hence the zmm_sb_ prefix.
 */
#ifndef ZENDMM_STRBUF_H
#define ZENDMM_STRBUF_H

#include "portable.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct zmm_strbuf {
    char  *p;
    size_t len, cap;
    bool   oom;
} zmm_strbuf;

void zmm_sb_putn(zmm_strbuf *b, const char *s, size_t n);
void zmm_sb_puts(zmm_strbuf *b, const char *s);
void zmm_sb_putc(zmm_strbuf *b, char c);
/* n copies of c */
void zmm_sb_repeat(zmm_strbuf *b, char c, size_t n);
void zmm_sb_printf(zmm_strbuf *b, const char *fmt, ...) ZMM_PRINTF(2, 3);

#endif /* ZENDMM_STRBUF_H */
