/*
 * trace_varint.h - the LEB128 varint coding of the trace format (trace.h),
 * inline for the trace files only: the writer encodes up to three fields per
 * recorded allocation and the loader decodes as many per record, and a call
 * per field would show in both. zmm_varint_put() and zmm_varint_get() of
 * trace.h are these same functions out of line (trace_write.c,
 * trace_read.c), for tests and other tools. Zigzag coding, public and already
 * inline, stays in trace.h.
 */
#ifndef ZENDMM_TRACE_VARINT_H
#define ZENDMM_TRACE_VARINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Write v as LEB128 into out (room for 10 bytes); returns the bytes written. */
static inline size_t zmm_varint_encode(unsigned char *out, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        out[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    out[n++] = (unsigned char)v;
    return n;
}

/* Read a LEB128 varint from [*pos, len) and move *pos past it. false when it
 * is cut short by len (*pos is then len) or does not fit 64 bits (*pos < len). */
static inline bool zmm_varint_decode(const unsigned char *in, size_t len, size_t *pos, uint64_t *v)
{
    uint64_t r = 0;
    size_t p = *pos;
    for (unsigned shift = 0; shift < 70; shift += 7) {
        if (p >= len) {
            *pos = len;                                      /* cut short by the end */
            return false;
        }
        unsigned char c = in[p++];
        if (shift == 63 && (c & 0x7E)) {                     /* more than 64 bits */
            *pos = p - 1;
            return false;
        }
        r |= (uint64_t)(c & 0x7F) << shift;
        if (!(c & 0x80)) {
            *pos = p;
            *v = r;
            return true;
        }
    }
    *pos = p - 1;
    return false;                                            /* 11 bytes or more */
}

#endif /* ZENDMM_TRACE_VARINT_H */
