/*
 * trace_read.c - the trace reader of trace.h: the header check, decoding one
 * record at a time from memory into events (telling a file cut inside a
 * record, which is expected of a killed recorder, from a malformed one), and
 * reading a whole file into memory. Also zmm_varint_get(), the public varint
 * decoder.
 */
#include "portable.h"
#include "trace.h"
#include "trace_err.h"
#include "trace_varint.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* trace.h's out-of-line decoder, for tests and tools; the reader below uses the inline one */
bool zmm_varint_get(const unsigned char *in, size_t len, size_t *pos, uint64_t *v)
{
    return zmm_varint_decode(in, len, pos, v);
}

bool zmm_trace_reader_init(zmm_trace_reader *r, const void *data, size_t len, char *err, size_t errlen)
{
    const unsigned char *d = (const unsigned char *)data;
    memset(r, 0, sizeof *r);
    if (!d || len < ZMM_TRACE_HEADER_SIZE || memcmp(d, ZMM_TRACE_MAGIC, 8) != 0) {
        zmm_trace_set_err(err, errlen, "not a zendmm trace (no \"" ZMM_TRACE_MAGIC "\" header)");
        return false;
    }
    r->version = (unsigned)d[8] | ((unsigned)d[9] << 8);
    r->shift = d[10];
    r->pointer_size = d[11];
    if (r->version != ZMM_TRACE_VERSION) {
        zmm_trace_set_err(err, errlen, "trace version %u is not supported (this reader knows version %d)",
                          r->version, ZMM_TRACE_VERSION);
        return false;
    }
    if (r->shift > 16 || (r->pointer_size != 4 && r->pointer_size != 8)) {
        zmm_trace_set_err(err, errlen, "bad trace header (pointer shift %u, pointer size %u)", r->shift,
                          r->pointer_size);
        return false;
    }
    r->data = d;
    r->len = len;
    r->pos = ZMM_TRACE_HEADER_SIZE;
    return true;
}

static bool get_ptr(zmm_trace_reader *r, size_t *pos, bool raw, uint64_t *out)
{
    uint64_t u;
    if (!zmm_varint_decode(r->data, r->len, pos, &u)) return false;
    int64_t d = zmm_unzigzag(u);
    uint64_t delta = raw ? (uint64_t)d : (uint64_t)d << r->shift;
    r->prev += delta;
    *out = r->prev;
    return true;
}

int zmm_trace_next(zmm_trace_reader *r, zmm_trace_event *ev)
{
    if (r->ended || r->truncated || r->error[0]) return r->error[0] ? -1 : 0;
    if (r->pos >= r->len) return 0;                       /* ran out on a record boundary */
    size_t pos = r->pos;
    uint64_t prev = r->prev;
    unsigned tag = r->data[pos++];
    unsigned op = tag & ZMM_TRACE_OP_MASK, flags = tag & ~ZMM_TRACE_OP_MASK;
    bool raw = (flags & ZMM_TRACE_F_RAW) != 0, ok = true;

    memset(ev, 0, sizeof *ev);
    ev->offset = r->pos;
    if (flags & 0xC0u) {
        snprintf(r->error, sizeof r->error, "reserved flag bits 0x%02x in the record at offset %zu", tag, r->pos);
        return -1;
    }
    if ((flags & ZMM_TRACE_F_VIA_REALLOC) && op != ZMM_TRACE_ALLOC && op != ZMM_TRACE_FAILED_ALLOC) {
        snprintf(r->error, sizeof r->error, "VIA_REALLOC on operation %u at offset %zu", op, r->pos);
        return -1;
    }
    switch (op) {
        case ZMM_TRACE_ALLOC:
            ok = get_ptr(r, &pos, raw, &ev->ptr) && zmm_varint_decode(r->data, r->len, &pos, &ev->size);
            break;
        case ZMM_TRACE_FREE:
            ok = get_ptr(r, &pos, raw, &ev->ptr);
            break;
        case ZMM_TRACE_REALLOC:
            ok = get_ptr(r, &pos, raw, &ev->ptr) && get_ptr(r, &pos, raw, &ev->new_ptr)
                 && zmm_varint_decode(r->data, r->len, &pos, &ev->size);
            break;
        case ZMM_TRACE_FAILED_ALLOC:
            ok = zmm_varint_decode(r->data, r->len, &pos, &ev->size);
            break;
        case ZMM_TRACE_FAILED_REALLOC:
            ok = get_ptr(r, &pos, raw, &ev->ptr) && zmm_varint_decode(r->data, r->len, &pos, &ev->size);
            break;
        case ZMM_TRACE_FREE_NULL:
            break;
        case ZMM_TRACE_END:
            r->pos = pos;
            r->ended = true;
            return 0;
        default:
            snprintf(r->error, sizeof r->error, "unknown operation %u at offset %zu", op, r->pos);
            return -1;
    }
    if (!ok) {
        r->prev = prev;
        if (pos >= r->len) {          /* a field runs past the end: the file was cut there */
            r->truncated = true;
            return 0;
        }
        snprintf(r->error, sizeof r->error, "malformed varint in the record at offset %zu", r->pos);
        return -1;
    }
    ev->op = (zmm_trace_op)op;
    ev->flags = flags;
    r->pos = pos;
    return 1;
}

unsigned char *zmm_trace_slurp(const char *path, size_t *len, char *err, size_t errlen)
{
    errno = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        zmm_trace_set_err(err, errlen, "cannot open \"%s\": %s", path, errno ? strerror(errno) : "unknown error");
        return NULL;
    }
    size_t cap = 1 << 20, n = 0;
    unsigned char *buf = (unsigned char *)malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) break;
        unsigned char *nb = (unsigned char *)realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    if (!buf) {
        zmm_trace_set_err(err, errlen, "out of memory reading \"%s\"", path);
    } else if (ferror(f)) {
        zmm_trace_set_err(err, errlen, "reading \"%s\" failed", path);
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) *len = n;
    return buf;
}
