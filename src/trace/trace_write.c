/*
 * trace_write.c - the streaming trace writer of trace.h: it buffers records
 * in its own ZMM_TRACE_BUFFER bytes and hands them to the file only on record
 * boundaries, so a process killed while recording leaves a readable file.
 * The hooks call it on every allocation, so recording a record is a few
 * stores and inline varints. Also zmm_varint_put(), the public varint encoder.
 * Nothing here allocates from a zmm_heap or from PHP: the writer lives in
 * libc malloc memory and the file is written with stdio.
 */
#include "portable.h"
#include "trace.h"
#include "trace_err.h"
#include "trace_varint.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* trace.h's out-of-line encoder, for tests and tools; the writer below uses the inline one */
size_t zmm_varint_put(unsigned char *out, uint64_t v)
{
    return zmm_varint_encode(out, v);
}

struct zmm_trace_writer {
    FILE            *f;
    bool             own;
    bool             failed;
    size_t           len;
    uint64_t         prev;
    zmm_trace_counts counts;
    char             error[160];
    unsigned char    buf[ZMM_TRACE_BUFFER];
};

static void write_out(zmm_trace_writer *w)
{
    if (!w->len) return;
    if (!w->failed) {
        size_t n = fwrite(w->buf, 1, w->len, w->f);
        w->counts.file_bytes += n;
        if (n != w->len) {
            w->failed = true;
            snprintf(w->error, sizeof w->error, "writing the trace failed: %s",
                     errno ? strerror(errno) : "short write");
        }
    }
    w->len = 0;
}

static void put_header(unsigned char *h)
{
    memcpy(h, ZMM_TRACE_MAGIC, 8);
    h[8] = (unsigned char)(ZMM_TRACE_VERSION & 0xFF);
    h[9] = (unsigned char)(ZMM_TRACE_VERSION >> 8);
    h[10] = ZMM_TRACE_SHIFT;
    h[11] = (unsigned char)sizeof(void *);
    h[12] = h[13] = h[14] = h[15] = 0;
}

zmm_trace_writer *zmm_trace_writer_from_file(FILE *f, bool own, char *err, size_t errlen)
{
    if (!f) {
        zmm_trace_set_err(err, errlen, "no file to write the trace to");
        return NULL;
    }
    zmm_trace_writer *w = (zmm_trace_writer *)malloc(sizeof *w);
    if (!w) {
        zmm_trace_set_err(err, errlen, "out of memory for the trace writer");
        if (own) fclose(f);
        return NULL;
    }
    memset(w, 0, offsetof(zmm_trace_writer, buf));
    w->f = f;
    w->own = own;
    setvbuf(f, NULL, _IONBF, 0);   /* our buffer is the only one: a kill loses at most it */
    put_header(w->buf);
    w->len = ZMM_TRACE_HEADER_SIZE;
    errno = 0;
    write_out(w);                  /* the header reaches the file at once */
    if (w->failed) {
        zmm_trace_set_err(err, errlen, "%s", w->error);
        if (own) fclose(f);
        free(w);
        return NULL;
    }
    return w;
}

zmm_trace_writer *zmm_trace_writer_open(const char *path, char *err, size_t errlen)
{
    if (!path || !*path) {
        zmm_trace_set_err(err, errlen, "the trace file name is empty");
        return NULL;
    }
    errno = 0;
    FILE *f = fopen(path, "wb");
    if (!f) {
        zmm_trace_set_err(err, errlen, "cannot open \"%s\" for writing: %s", path,
                          errno ? strerror(errno) : "unknown error");
        return NULL;
    }
    return zmm_trace_writer_from_file(f, true, err, errlen);
}

/* Room for one record; flushing first keeps every flush on a record boundary. */
static inline unsigned char *room(zmm_trace_writer *w)
{
    if (w->len + ZMM_TRACE_MAX_RECORD > sizeof w->buf) {
        errno = 0;
        write_out(w);
    }
    return w->buf + w->len;
}

/* Deltas of a record's pointers; *raw when one is not a multiple of 2^S. */
static inline uint64_t ptr_delta(uint64_t from, uint64_t to, bool raw)
{
    int64_t d = (int64_t)(to - from);
    return zmm_zigzag(raw ? d : d / (1 << ZMM_TRACE_SHIFT));
}

#define ALIGN_MASK ((uint64_t)((1u << ZMM_TRACE_SHIFT) - 1))

void zmm_trace_alloc(zmm_trace_writer *w, uint64_t ptr, uint64_t size)
{
    unsigned char *o = room(w);
    size_t n = 1;
    w->counts.allocs++;
    if (ZMM_LIKELY(ptr)) {
        bool raw = ((ptr - w->prev) & ALIGN_MASK) != 0;
        o[0] = (unsigned char)(ZMM_TRACE_ALLOC | (raw ? ZMM_TRACE_F_RAW : 0));
        n += zmm_varint_encode(o + n, ptr_delta(w->prev, ptr, raw));
        w->prev = ptr;
        w->counts.bytes_allocated += size;
    } else {
        o[0] = ZMM_TRACE_FAILED_ALLOC;
        w->counts.failed++;
    }
    n += zmm_varint_encode(o + n, size);
    w->len += n;
    w->counts.records++;
}

void zmm_trace_free(zmm_trace_writer *w, uint64_t ptr)
{
    unsigned char *o = room(w);
    size_t n = 1;
    w->counts.frees++;
    if (ZMM_LIKELY(ptr)) {
        bool raw = ((ptr - w->prev) & ALIGN_MASK) != 0;
        o[0] = (unsigned char)(ZMM_TRACE_FREE | (raw ? ZMM_TRACE_F_RAW : 0));
        n += zmm_varint_encode(o + n, ptr_delta(w->prev, ptr, raw));
        w->prev = ptr;
    } else {
        o[0] = ZMM_TRACE_FREE_NULL;
        w->counts.free_null++;
    }
    w->len += n;
    w->counts.records++;
}

void zmm_trace_realloc(zmm_trace_writer *w, uint64_t old, uint64_t new_ptr, uint64_t size)
{
    unsigned char *o = room(w);
    size_t n = 1;
    w->counts.reallocs++;
    if (!old) {
        w->counts.realloc_null++;
        if (new_ptr) {
            bool raw = ((new_ptr - w->prev) & ALIGN_MASK) != 0;
            o[0] = (unsigned char)(ZMM_TRACE_ALLOC | ZMM_TRACE_F_VIA_REALLOC | (raw ? ZMM_TRACE_F_RAW : 0));
            n += zmm_varint_encode(o + n, ptr_delta(w->prev, new_ptr, raw));
            w->prev = new_ptr;
            w->counts.bytes_allocated += size;
        } else {
            o[0] = ZMM_TRACE_FAILED_ALLOC | ZMM_TRACE_F_VIA_REALLOC;
            w->counts.failed++;
        }
    } else if (new_ptr) {
        bool raw = ((old - w->prev) & ALIGN_MASK) != 0 || ((new_ptr - old) & ALIGN_MASK) != 0;
        o[0] = (unsigned char)(ZMM_TRACE_REALLOC | (raw ? ZMM_TRACE_F_RAW : 0));
        n += zmm_varint_encode(o + n, ptr_delta(w->prev, old, raw));
        n += zmm_varint_encode(o + n, ptr_delta(old, new_ptr, raw));
        w->prev = new_ptr;
        w->counts.bytes_reallocated += size;
    } else {
        bool raw = ((old - w->prev) & ALIGN_MASK) != 0;
        o[0] = (unsigned char)(ZMM_TRACE_FAILED_REALLOC | (raw ? ZMM_TRACE_F_RAW : 0));
        n += zmm_varint_encode(o + n, ptr_delta(w->prev, old, raw));
        w->prev = old;
        w->counts.failed++;
    }
    n += zmm_varint_encode(o + n, size);
    w->len += n;
    w->counts.records++;
}

bool zmm_trace_flush(zmm_trace_writer *w)
{
    errno = 0;
    write_out(w);
    return !w->failed;
}

void zmm_trace_writer_counts(const zmm_trace_writer *w, zmm_trace_counts *out)
{
    *out = w->counts;
    out->file_bytes += w->len;   /* what the file will hold once flushed */
}

const char *zmm_trace_writer_error(const zmm_trace_writer *w)
{
    return w->error;
}

bool zmm_trace_writer_close(zmm_trace_writer *w, zmm_trace_counts *counts, char *err, size_t errlen)
{
    if (!w) return false;
    unsigned char *o = room(w);
    o[0] = ZMM_TRACE_END;
    w->len++;
    errno = 0;
    write_out(w);
    if (w->own) {
        errno = 0;
        if (fclose(w->f) != 0 && !w->failed) {
            w->failed = true;
            snprintf(w->error, sizeof w->error, "closing the trace failed: %s",
                     errno ? strerror(errno) : "unknown error");
        }
    }
    bool ok = !w->failed;
    if (counts) *counts = w->counts;
    if (err && errlen) zmm_trace_set_err(err, errlen, "%s", w->error);
    free(w);
    return ok;
}
