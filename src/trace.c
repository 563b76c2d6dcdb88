/*
 * trace.c - the allocation trace format of trace.h: varints, the streaming
 * writer, the reader, and the replay program.
 *
 * Nothing here allocates from a zmm_heap or from PHP: the writer and the
 * program live in libc malloc memory, the file is written with stdio.
 */
#include "portable.h"
#include "trace.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>


static ZMM_PRINTF(3, 4) void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (!err || !errlen) return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* ---- varints -------------------------------------------------------------------- */

size_t zmm_varint_put(unsigned char *out, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        out[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    out[n++] = (unsigned char)v;
    return n;
}

bool zmm_varint_get(const unsigned char *in, size_t len, size_t *pos, uint64_t *v)
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

/* ---- writer --------------------------------------------------------------------- */

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
        set_err(err, errlen, "no file to write the trace to");
        return NULL;
    }
    zmm_trace_writer *w = (zmm_trace_writer *)malloc(sizeof *w);
    if (!w) {
        set_err(err, errlen, "out of memory for the trace writer");
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
        set_err(err, errlen, "%s", w->error);
        if (own) fclose(f);
        free(w);
        return NULL;
    }
    return w;
}

zmm_trace_writer *zmm_trace_writer_open(const char *path, char *err, size_t errlen)
{
    if (!path || !*path) {
        set_err(err, errlen, "the trace file name is empty");
        return NULL;
    }
    errno = 0;
    FILE *f = fopen(path, "wb");
    if (!f) {
        set_err(err, errlen, "cannot open \"%s\" for writing: %s", path, errno ? strerror(errno) : "unknown error");
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
        n += zmm_varint_put(o + n, ptr_delta(w->prev, ptr, raw));
        w->prev = ptr;
        w->counts.bytes_allocated += size;
    } else {
        o[0] = ZMM_TRACE_FAILED_ALLOC;
        w->counts.failed++;
    }
    n += zmm_varint_put(o + n, size);
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
        n += zmm_varint_put(o + n, ptr_delta(w->prev, ptr, raw));
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
            n += zmm_varint_put(o + n, ptr_delta(w->prev, new_ptr, raw));
            w->prev = new_ptr;
            w->counts.bytes_allocated += size;
        } else {
            o[0] = ZMM_TRACE_FAILED_ALLOC | ZMM_TRACE_F_VIA_REALLOC;
            w->counts.failed++;
        }
    } else if (new_ptr) {
        bool raw = ((old - w->prev) & ALIGN_MASK) != 0 || ((new_ptr - old) & ALIGN_MASK) != 0;
        o[0] = (unsigned char)(ZMM_TRACE_REALLOC | (raw ? ZMM_TRACE_F_RAW : 0));
        n += zmm_varint_put(o + n, ptr_delta(w->prev, old, raw));
        n += zmm_varint_put(o + n, ptr_delta(old, new_ptr, raw));
        w->prev = new_ptr;
        w->counts.bytes_reallocated += size;
    } else {
        bool raw = ((old - w->prev) & ALIGN_MASK) != 0;
        o[0] = (unsigned char)(ZMM_TRACE_FAILED_REALLOC | (raw ? ZMM_TRACE_F_RAW : 0));
        n += zmm_varint_put(o + n, ptr_delta(w->prev, old, raw));
        w->prev = old;
        w->counts.failed++;
    }
    n += zmm_varint_put(o + n, size);
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
    if (err && errlen) set_err(err, errlen, "%s", w->error);
    free(w);
    return ok;
}

/* ---- reader --------------------------------------------------------------------- */

bool zmm_trace_reader_init(zmm_trace_reader *r, const void *data, size_t len, char *err, size_t errlen)
{
    const unsigned char *d = (const unsigned char *)data;
    memset(r, 0, sizeof *r);
    if (!d || len < ZMM_TRACE_HEADER_SIZE || memcmp(d, ZMM_TRACE_MAGIC, 8) != 0) {
        set_err(err, errlen, "not a zendmm trace (no \"" ZMM_TRACE_MAGIC "\" header)");
        return false;
    }
    r->version = (unsigned)d[8] | ((unsigned)d[9] << 8);
    r->shift = d[10];
    r->pointer_size = d[11];
    if (r->version != ZMM_TRACE_VERSION) {
        set_err(err, errlen, "trace version %u is not supported (this reader knows version %d)",
                r->version, ZMM_TRACE_VERSION);
        return false;
    }
    if (r->shift > 16 || (r->pointer_size != 4 && r->pointer_size != 8)) {
        set_err(err, errlen, "bad trace header (pointer shift %u, pointer size %u)", r->shift, r->pointer_size);
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
    if (!zmm_varint_get(r->data, r->len, pos, &u)) return false;
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
            ok = get_ptr(r, &pos, raw, &ev->ptr) && zmm_varint_get(r->data, r->len, &pos, &ev->size);
            break;
        case ZMM_TRACE_FREE:
            ok = get_ptr(r, &pos, raw, &ev->ptr);
            break;
        case ZMM_TRACE_REALLOC:
            ok = get_ptr(r, &pos, raw, &ev->ptr) && get_ptr(r, &pos, raw, &ev->new_ptr)
                 && zmm_varint_get(r->data, r->len, &pos, &ev->size);
            break;
        case ZMM_TRACE_FAILED_ALLOC:
            ok = zmm_varint_get(r->data, r->len, &pos, &ev->size);
            break;
        case ZMM_TRACE_FAILED_REALLOC:
            ok = get_ptr(r, &pos, raw, &ev->ptr) && zmm_varint_get(r->data, r->len, &pos, &ev->size);
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
        set_err(err, errlen, "cannot open \"%s\": %s", path, errno ? strerror(errno) : "unknown error");
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
        set_err(err, errlen, "out of memory reading \"%s\"", path);
    } else if (ferror(f)) {
        set_err(err, errlen, "reading \"%s\" failed", path);
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) *len = n;
    return buf;
}

/* ---- replay program ------------------------------------------------------------- */

/* address -> block number: open addressing, linear probing, backward-shift delete */
typedef struct idmap_slot {
    uint64_t key;   /* 0: empty (no block lives at address 0) */
    uint32_t id;
} idmap_slot;

typedef struct idmap {
    idmap_slot *slots;
    size_t      mask, count;
} idmap;

static inline size_t idmap_hash(uint64_t k, size_t mask)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return (size_t)k & mask;
}

static bool idmap_grow(idmap *m)
{
    size_t ncap = m->slots ? (m->mask + 1) * 2 : 1024;
    idmap_slot *ns = (idmap_slot *)calloc(ncap, sizeof *ns);
    if (!ns) return false;
    for (size_t i = 0; m->slots && i <= m->mask; i++) {
        if (!m->slots[i].key) continue;
        size_t j = idmap_hash(m->slots[i].key, ncap - 1);
        while (ns[j].key) j = (j + 1) & (ncap - 1);
        ns[j] = m->slots[i];
    }
    free(m->slots);
    m->slots = ns;
    m->mask = ncap - 1;
    return true;
}

static idmap_slot *idmap_find(const idmap *m, uint64_t key)
{
    if (!m->slots) return NULL;
    for (size_t i = idmap_hash(key, m->mask);; i = (i + 1) & m->mask) {
        if (m->slots[i].key == key) return &m->slots[i];
        if (!m->slots[i].key) return NULL;
    }
}

static bool idmap_put(idmap *m, uint64_t key, uint32_t id)
{
    if (!m->slots || (m->count + 1) * 4 > (m->mask + 1) * 3) {
        if (!idmap_grow(m)) return false;
    }
    size_t i = idmap_hash(key, m->mask);
    while (m->slots[i].key) i = (i + 1) & m->mask;
    m->slots[i].key = key;
    m->slots[i].id = id;
    m->count++;
    return true;
}

static void idmap_remove(idmap *m, idmap_slot *s)
{
    size_t i = (size_t)(s - m->slots), j = i;
    for (;;) {
        j = (j + 1) & m->mask;
        if (!m->slots[j].key) break;
        size_t h = idmap_hash(m->slots[j].key, m->mask);
        /* move j back to i unless its home lies cyclically in (i, j] */
        if ((j > i && (h <= i || h > j)) || (j < i && (h <= i && h > j))) {
            m->slots[i] = m->slots[j];
            i = j;
        }
    }
    m->slots[i].key = 0;
    m->count--;
}

typedef struct loader {
    zmm_trace_program *p;
    idmap     map;
    uint64_t *size_of;      /* requested size per block number */
    size_t    cap_ids;
    uint32_t *free_ids;     /* numbers free for reuse (a stack) */
    size_t    nfree, cap_free;
    size_t    cap_steps;
    uint64_t  live_bytes, live_blocks;
} loader;

static bool emit(loader *L, uint32_t op, uint32_t id, uint64_t size)
{
    zmm_trace_program *p = L->p;
    if (p->nsteps == L->cap_steps) {
        size_t ncap = L->cap_steps ? L->cap_steps * 2 : 4096;
        zmm_trace_step *ns = (zmm_trace_step *)realloc(p->steps, ncap * sizeof *ns);
        if (!ns) return false;
        p->steps = ns;
        L->cap_steps = ncap;
    }
    zmm_trace_step *s = &p->steps[p->nsteps++];
    s->op = op;
    s->id = id;
    s->size = size;
    return true;
}

static void note_peak(loader *L)
{
    if (L->live_bytes > L->p->peak_live_bytes) L->p->peak_live_bytes = L->live_bytes;
    if (L->live_blocks > L->p->peak_live_blocks) L->p->peak_live_blocks = L->live_blocks;
}

static bool new_id(loader *L, uint32_t *id)
{
    if (L->nfree) {
        *id = L->free_ids[--L->nfree];
        return true;
    }
    zmm_trace_program *p = L->p;
    if (p->nslots >= UINT32_MAX) return false;
    if (p->nslots == L->cap_ids) {
        size_t ncap = L->cap_ids ? L->cap_ids * 2 : 4096;
        uint64_t *ns = (uint64_t *)realloc(L->size_of, ncap * sizeof *ns);
        if (!ns) return false;
        L->size_of = ns;
        L->cap_ids = ncap;
    }
    *id = (uint32_t)p->nslots++;
    return true;
}

static bool release_id(loader *L, uint32_t id)
{
    if (L->nfree == L->cap_free) {
        size_t ncap = L->cap_free ? L->cap_free * 2 : 4096;
        uint32_t *nf = (uint32_t *)realloc(L->free_ids, ncap * sizeof *nf);
        if (!nf) return false;
        L->free_ids = nf;
        L->cap_free = ncap;
    }
    L->free_ids[L->nfree++] = id;
    L->live_bytes -= L->size_of[id];
    L->live_blocks--;
    return true;
}

/* A block appears at addr: number it (freeing a stale block the trace never
 * saw freed first). */
static bool block_at(loader *L, uint64_t addr, uint64_t size)
{
    idmap_slot *s = idmap_find(&L->map, addr);
    uint32_t id;
    if (s) {
        L->p->reused++;
        uint32_t stale = s->id;
        idmap_remove(&L->map, s);
        if (!emit(L, ZMM_TRACE_FREE, stale, 0) || !release_id(L, stale)) return false;
    }
    if (!new_id(L, &id) || !idmap_put(&L->map, addr, id)) return false;
    L->size_of[id] = size;
    L->live_bytes += size;
    L->live_blocks++;
    L->p->total_requested += size;
    note_peak(L);
    return emit(L, ZMM_TRACE_ALLOC, id, size);
}

static bool load_event(loader *L, const zmm_trace_event *ev)
{
    zmm_trace_program *p = L->p;
    idmap_slot *s;
    switch (ev->op) {
        case ZMM_TRACE_ALLOC:
            p->allocs++;
            if (ev->flags & ZMM_TRACE_F_VIA_REALLOC) p->realloc_null++;
            return block_at(L, ev->ptr, ev->size);
        case ZMM_TRACE_FREE: {
            p->frees++;
            s = idmap_find(&L->map, ev->ptr);
            if (!s) {
                p->foreign_frees++;
                return true;
            }
            uint32_t id = s->id;
            idmap_remove(&L->map, s);
            return emit(L, ZMM_TRACE_FREE, id, 0) && release_id(L, id);
        }
        case ZMM_TRACE_REALLOC: {
            p->reallocs++;
            s = idmap_find(&L->map, ev->ptr);
            if (!s) {
                p->foreign_reallocs++;
                return block_at(L, ev->new_ptr, ev->size);
            }
            uint32_t id = s->id;
            if (ev->new_ptr != ev->ptr) {
                idmap_remove(&L->map, s);
                idmap_slot *t = idmap_find(&L->map, ev->new_ptr);
                if (t) {                     /* the new address was still live: a missed free */
                    p->reused++;
                    uint32_t stale = t->id;
                    idmap_remove(&L->map, t);
                    if (!emit(L, ZMM_TRACE_FREE, stale, 0) || !release_id(L, stale)) return false;
                }
                if (!idmap_put(&L->map, ev->new_ptr, id)) return false;
            }
            L->live_bytes = L->live_bytes - L->size_of[id] + ev->size;
            L->size_of[id] = ev->size;
            p->total_requested += ev->size;
            note_peak(L);
            return emit(L, ZMM_TRACE_REALLOC, id, ev->size);
        }
        case ZMM_TRACE_FAILED_ALLOC:
            if (ev->flags & ZMM_TRACE_F_VIA_REALLOC) p->realloc_null++;
            p->failed_allocs++;
            return true;
        case ZMM_TRACE_FAILED_REALLOC:
            p->failed_reallocs++;
            return true;
        case ZMM_TRACE_FREE_NULL:
            p->free_null++;
            return true;
        default:
            return true;
    }
}

bool zmm_trace_program_load(zmm_trace_program *p, const void *data, size_t len, char *err, size_t errlen)
{
    zmm_trace_reader r;
    zmm_trace_event ev;
    loader L;
    int rc;

    memset(p, 0, sizeof *p);
    if (!zmm_trace_reader_init(&r, data, len, err, errlen)) return false;
    memset(&L, 0, sizeof L);
    L.p = p;
    while ((rc = zmm_trace_next(&r, &ev)) > 0) {
        if (!load_event(&L, &ev)) {
            set_err(err, errlen, "out of memory loading the trace");
            rc = -2;
            break;
        }
    }
    if (rc == -1) set_err(err, errlen, "%s", r.error);
    p->complete = r.ended;
    p->truncated = r.truncated;
    p->end_live_bytes = L.live_bytes;
    p->end_live_blocks = L.live_blocks;
    free(L.map.slots);
    free(L.size_of);
    free(L.free_ids);
    if (rc < 0) {
        zmm_trace_program_free(p);
        return false;
    }
    return true;
}

bool zmm_trace_program_load_file(zmm_trace_program *p, const char *path, char *err, size_t errlen)
{
    size_t len = 0;
    unsigned char *data = zmm_trace_slurp(path, &len, err, errlen);
    memset(p, 0, sizeof *p);
    if (!data) return false;
    bool ok = zmm_trace_program_load(p, data, len, err, errlen);
    free(data);
    return ok;
}

void zmm_trace_program_free(zmm_trace_program *p)
{
    free(p->steps);
    p->steps = NULL;
    p->nsteps = 0;
    p->nslots = 0;
}

size_t zmm_trace_replay(const zmm_trace_program *p, zmm_heap *heap, void **slots)
{
    const zmm_trace_step *s = p->steps, *end = p->steps + p->nsteps;
    size_t failed = 0;
    for (; s < end; s++) {
        void *q;
        switch (s->op) {
            case ZMM_TRACE_ALLOC:
                q = zmm_malloc(heap, (size_t)s->size);
                if (q) slots[s->id] = q;
                else failed++;
                break;
            case ZMM_TRACE_FREE:
                zmm_free(heap, slots[s->id]);
                slots[s->id] = NULL;
                break;
            default:
                q = zmm_realloc(heap, slots[s->id], (size_t)s->size);
                if (q) slots[s->id] = q;
                else failed++;
                break;
        }
    }
    return failed;
}

void zmm_trace_release(const zmm_trace_program *p, zmm_heap *heap, void **slots)
{
    for (size_t i = 0; i < p->nslots; i++) {
        if (slots[i]) {
            zmm_free(heap, slots[i]);
            slots[i] = NULL;
        }
    }
}
