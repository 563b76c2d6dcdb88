/*
 * fuzz_driver.c - a randomized driver of the heap against a shadow model.
 *
 * fz_run() reads a byte buffer as a heap configuration (options, layout and
 * which large-block search: 5.3's or exact_fit) followed by operations
 * (alloc, calloc, realloc, free, strdup, safe alloc, checked calls with forged
 * or stale pointers, storage switch, fault injection, limit, flush, compact,
 * reset peak, partial shutdown). The shadow holds every live block: its
 * pointer, requested size and contents (an 8-byte tag, then one fill byte).
 *
 * After every operation:
 *   - zmm_heap_check reports 0 problems;
 *   - an independent walk (zmm_inspect_segments) finds the segments tiled by
 *     their blocks, a guard closing each, no two free blocks adjacent, no
 *     segment whose only block is free, every free block in exactly one list,
 *     and the segment sizes adding up to real_size;
 *   - every live block's contents are intact, zmm_is_live/usable_size agree,
 *     zmm_heap_owns says it lies in a segment (never in pass-through mode),
 *     and its block size lies in [true size, true size + MINHDR);
 *   - size == reserve + sum of the live blocks' sizes + cached, where cached
 *     is also the sum over the cache lists; live_blocks matches the shadow;
 *   - recently freed pointers are not live;
 *   - any error came through the callback once, with 5.3's wording, and only
 *     when it may happen (limit set, faults armed, overflow requested).
 *
 * Two mains: LLVMFuzzerTestOneInput (-DFUZZ_LIBFUZZER, clang -fsanitize=fuzzer)
 * and a seeded plain-C main: fuzz_driver --seed S --ops N [options].
 */
#include "zendmm.h"
#include "teststorage.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- options --------------------------------------------------------------- */
typedef struct fz_opts {
    int    cache, cookies, protection, fill;   /* -1: from the data */
    long   seg_size;                           /* 0: from the data */
    const char *storage;                       /* NULL: from the data */
    size_t limit;                              /* 0: none at start (the data may set one) */
    int    passthrough;                        /* 1: USE_ZEND_ALLOC=0 mode */
    int    no_track;                           /* 1: track_blocks off (trusting free, no stale checks) */
    long   reserve;                            /* -1: from the data */
    int    verbose;
    int    exact_fit;                          /* -1: from the data; 1: true best fit */
    size_t align;                              /* 8 or 16; 0: from the data */
    int    cache_stat;                         /* -1: from the data; 0: not counted */
} fz_opts;

typedef struct fz_result {
    size_t ops, allocs, frees, reallocs, failures, shutdowns, switches, checks;
    char   cfg[200];
} fz_result;

/* ---- input reader ---------------------------------------------------------- */
typedef struct rd {
    const uint8_t *d;
    size_t n, i;
} rd;
static unsigned g8(rd *r) { return r->i < r->n ? r->d[r->i++] : 0; }
static unsigned g16(rd *r) { unsigned a = g8(r); return a | (g8(r) << 8); }
static bool rd_done(const rd *r) { return r->i >= r->n; }

/* ---- shadow ---------------------------------------------------------------- */
#define SLOTS 64
#define STALE 32
typedef struct slot {
    unsigned char *p;
    size_t n;
    uint64_t tag;
    unsigned char fill;
} slot;

typedef struct fz {
    zmm_heap *h;
    slot s[SLOTS];
    void *stale[STALE];
    size_t stale_i;
    uint64_t next_tag;
    size_t live_bytes;
    /* layout (fact sheet §1.3) */
    size_t hdr, end, minhdr, min_size, max_small, bs, reserve, align;
    bool passthrough, limit_set, track;
    test_storage_ctl ctl;
    /* the last error */
    int err_count;
    zmm_error_kind err_kind;
    char err_msg[512];
    /* failure */
    char *why;
    size_t whylen;
    bool failed;
    size_t op;
    fz_result *res;
} fz;

static void fail(fz *f, const char *fmt, ...)
{
    if (f->failed) return;
    f->failed = true;
    int k = snprintf(f->why, f->whylen, "op %zu: ", f->op);
    va_list ap;
    va_start(ap, fmt);
    if (k > 0 && (size_t)k < f->whylen) vsnprintf(f->why + k, f->whylen - (size_t)k, fmt, ap);
    va_end(ap);
}

static char cb_problem[300];
static void cb_prob(const char *p, void *ctx)
{
    size_t *n = ctx;
    if ((*n)++ == 0) snprintf(cb_problem, sizeof cb_problem, "%s", p);
}

static void on_error(zmm_heap *h, zmm_error_kind kind, const char *msg, void *ctx)
{
    fz *f = ctx;
    /* "The heap is consistent when it is called" (zendmm.h) */
    if (!f->passthrough && !f->failed) {
        size_t np = 0;
        if (zmm_heap_check(h, cb_prob, &np) || np)
            fail(f, "heap inconsistent inside the error callback (%s): %s", msg ? msg : "", cb_problem);
    }
    f->err_count++;
    f->err_kind = kind;
    snprintf(f->err_msg, sizeof f->err_msg, "%s", msg ? msg : "");
}
static void err_reset(fz *f)
{
    f->err_count = 0;
    f->err_kind = ZMM_OK;
    f->err_msg[0] = '\0';
}

static size_t exp_true(const fz *f, size_t n)
{
    return n < f->min_size ? f->minhdr : (n + f->hdr + f->end + f->align - 1) & ~(f->align - 1);
}
static size_t exp_seg(const fz *f, size_t ts)
{
    if (ts <= f->bs - 16 - f->hdr) return f->bs;
    return (ts + 16 + f->hdr + f->bs - 1) & ~(f->bs - 1);
}

static void write_block(fz *f, slot *s)
{
    s->tag = ++f->next_tag;
    s->fill = (unsigned char)(0x21 + (s->tag * 7) % 200);
    size_t k = s->n < 8 ? s->n : 8;
    for (size_t i = 0; i < k; i++) s->p[i] = (unsigned char)(s->tag >> (8 * i));
    if (s->n > 8) memset(s->p + 8, s->fill, s->n - 8);
}
static bool contents_ok(const slot *s, size_t n)
{
    size_t k = n < 8 ? n : 8;
    for (size_t i = 0; i < k; i++)
        if (s->p[i] != (unsigned char)(s->tag >> (8 * i))) return false;
    if (n > 8) {
        if (s->p[8] != s->fill) return false;
        if (n > 9 && memcmp(s->p + 8, s->p + 9, n - 9) != 0) return false;
    }
    return true;
}

static void push_stale(fz *f, void *p)
{
    f->stale[f->stale_i++ % STALE] = p;
}
static bool is_slot_ptr(const fz *f, const void *p)
{
    for (int i = 0; i < SLOTS; i++)
        if (f->s[i].p == p) return true;
    return false;
}

/* ---- verification ---------------------------------------------------------- */
typedef struct walkst {
    fz *f;
    uintptr_t seg, seg_end, expect;
    size_t segs, seg_bytes, used, cached, reserve, free_blocks, nonguard_in_seg, free_in_seg;
    int prev_free;
    bool bad;
    char msg[200];
} walkst;

static void wk_end_segment(walkst *w)
{
    if (w->seg && w->expect != w->seg_end && !w->bad) {
        w->bad = true;
        snprintf(w->msg, sizeof w->msg, "segment %#" PRIxPTR " not tiled up to its end", w->seg);
    }
    if (w->seg && w->nonguard_in_seg == 1 && w->free_in_seg == 1 && !w->bad) {
        w->bad = true;
        snprintf(w->msg, sizeof w->msg, "segment %#" PRIxPTR " holds one free block and was not released", w->seg);
    }
}
static void wk_seg(const zmm_segment_view *s, void *ctx)
{
    walkst *w = ctx;
    w->segs++;
    w->seg_bytes += s->size;
}
static void wk_block(const zmm_segment_view *s, const zmm_block_view *b, void *ctx)
{
    walkst *w = ctx;
    if (s->address != w->seg) {
        wk_end_segment(w);
        w->seg = s->address;
        w->seg_end = s->address + s->size;
        w->expect = s->address + 16;
        w->prev_free = 0;
        w->nonguard_in_seg = w->free_in_seg = 0;
    }
    if (b->address != w->expect && !w->bad) {
        w->bad = true;
        snprintf(w->msg, sizeof w->msg, "block at %#" PRIxPTR " expected at %#" PRIxPTR, b->address, w->expect);
    }
    w->expect = b->address + b->size;
    bool is_free = b->state == ZMM_STATE_FREE || b->state == ZMM_STATE_LARGE || b->state == ZMM_STATE_REST;
    if (is_free && w->prev_free && !w->bad) {
        w->bad = true;
        snprintf(w->msg, sizeof w->msg, "two free blocks adjacent at %#" PRIxPTR, b->address);
    }
    w->prev_free = is_free;
    if (b->state == ZMM_STATE_GUARD) {
        if (b->address + b->size != w->seg_end && !w->bad) {
            w->bad = true;
            snprintf(w->msg, sizeof w->msg, "guard at %#" PRIxPTR " not at the segment end", b->address);
        }
        return;
    }
    w->nonguard_in_seg++;
    if (is_free) {
        w->free_blocks++;
        w->free_in_seg++;
    }
    if (b->state == ZMM_STATE_USED) w->used += b->size;
    if (b->state == ZMM_STATE_CACHED) w->cached += b->size;
    if (b->state == ZMM_STATE_RESERVE) w->reserve += b->size;
}

static size_t list_count, list_bytes;
static void cnt_list(int index, const zmm_block_view *b, void *ctx)
{
    (void)index;
    (void)ctx;
    list_count++;
    list_bytes += b->size;
}
static void cnt_node(int index, const zmm_trie_node_view *n, void *ctx)
{
    (void)index;
    (void)ctx;
    list_count++;
    list_bytes += n->block.size;
}
static char first_problem[300];
static void prob_cb(const char *p, void *ctx)
{
    size_t *n = ctx;
    if ((*n)++ == 0) snprintf(first_problem, sizeof first_problem, "%s", p);
}

/* 5.3's sizeof(zend_mm_segment) on 64-bit, aligned: what a segment keeps before its first block */
#define SEGMENT_HEADER 16

/* where real_size goes: the parts add up to it, and each agrees with what the
 * walk and the shadow found on their own */
static void verify_breakdown(fz *f, const zmm_stats *st, const walkst *w, size_t nlive, size_t sum_sizes,
                             size_t sum_requested)
{
    zmm_breakdown b;
    if (!zmm_heap_breakdown(f->h, &b)) return fail(f, "breakdown: the walk stopped");
    if (zmm_breakdown_sum(&b) != st->real_size)
        return fail(f, "breakdown adds up to %zu, real_size %zu", zmm_breakdown_sum(&b), st->real_size);
    if (b.headers + b.payload_and_rounding != sum_sizes)
        return fail(f, "breakdown: headers + payload_and_rounding %zu, live blocks %zu", b.headers + b.payload_and_rounding,
                    sum_sizes);
    if (b.used_blocks != nlive) return fail(f, "breakdown: %zu used blocks, shadow %zu", b.used_blocks, nlive);
    if (b.headers != nlive * st->header_size) return fail(f, "breakdown: headers %zu for %zu blocks", b.headers, nlive);
    if (b.cached != st->cached) return fail(f, "breakdown: cached %zu, stats %zu", b.cached, st->cached);
    if (b.reserve != w->reserve) return fail(f, "breakdown: reserve %zu, walk %zu", b.reserve, w->reserve);
    if (b.segment_overhead != w->segs * (SEGMENT_HEADER + st->header_size))
        return fail(f, "breakdown: segment overhead %zu for %zu segments", b.segment_overhead, w->segs);
    if (b.requested_known != f->track) return fail(f, "breakdown: requested_known %d", (int)b.requested_known);
    if (f->track && (b.payload != sum_requested || b.payload + b.rounding != b.payload_and_rounding))
        return fail(f, "breakdown: payload %zu, shadow requested %zu", b.payload, sum_requested);
}

static void verify(fz *f)
{
    if (f->failed) return;
    f->res->checks++;
    zmm_heap *h = f->h;
    /* contents and liveness */
    size_t nlive = 0, sum_sizes = 0, sum_requested = 0;
    for (int i = 0; i < SLOTS; i++) {
        slot *s = &f->s[i];
        if (!s->p) continue;
        nlive++;
        if (!contents_ok(s, s->n)) return fail(f, "slot %d (%zu bytes at %p): contents damaged", i, s->n, (void *)s->p);
        if (!zmm_is_live(h, s->p)) return fail(f, "slot %d: live block %p not live", i, (void *)s->p);
        /* without the index only the block's capacity is known */
        if (f->track ? zmm_usable_size(h, s->p) != s->n : zmm_usable_size(h, s->p) < s->n)
            return fail(f, "slot %d: usable size %zu, expected %zu", i, zmm_usable_size(h, s->p), s->n);
        if (zmm_heap_owns(h, s->p) == f->passthrough)
            return fail(f, "slot %d: zmm_heap_owns says %d", i, (int)zmm_heap_owns(h, s->p));
        if (f->passthrough) continue;
        zmm_block_view bv;
        zmm_segment_view sv;
        if (!zmm_block_info(h, s->p, &bv, &sv)) return fail(f, "slot %d: block_info failed", i);
        size_t ts = exp_true(f, s->n);
        if (bv.size < ts || bv.size >= ts + f->minhdr)
            return fail(f, "slot %d: request %zu has block size %zu, expected [%zu, %zu)", i, s->n, bv.size, ts,
                        ts + f->minhdr);
        if (bv.state != ZMM_STATE_USED) return fail(f, "slot %d: state %d", i, (int)bv.state);
        if ((uintptr_t)s->p % f->align) return fail(f, "slot %d: %p is not %zu-aligned", i, (void *)s->p, f->align);
        sum_sizes += bv.size;
        sum_requested += s->n;
    }
    for (int i = 0; i < STALE && f->track; i++) {
        void *p = f->stale[i];
        if (p && !is_slot_ptr(f, p) && zmm_is_live(h, p)) return fail(f, "stale pointer %p is live", p);
    }
    zmm_stats st;
    zmm_heap_stats(h, &st);
    if (f->track && st.live_blocks != nlive) return fail(f, "live_blocks %zu, shadow has %zu", st.live_blocks, nlive);
    if (f->passthrough) return;

    size_t np = 0;
    first_problem[0] = '\0';
    size_t n = zmm_heap_check(h, prob_cb, &np);
    if (n || np) return fail(f, "heap check: %zu problem(s): %s", n, first_problem);

    walkst w;
    memset(&w, 0, sizeof w);
    w.f = f;
    bool sound = zmm_inspect_segments(h, wk_seg, wk_block, &w);
    wk_end_segment(&w);
    if (!sound) return fail(f, "inspect_segments says the heap is damaged");
    if (w.bad) return fail(f, "walk: %s", w.msg);
    if (w.seg_bytes != st.real_size) return fail(f, "segments add up to %zu, real_size %zu", w.seg_bytes, st.real_size);
    if (w.segs != st.segments) return fail(f, "walked %zu segments, stats say %zu", w.segs, st.segments);
    if (w.used != sum_sizes) return fail(f, "used blocks add up to %zu, shadow blocks to %zu (a leak inside the heap?)",
                                         w.used, sum_sizes);
    /* the reserve: its true size, or the whole block when the rest is below MINHDR */
    size_t reserve = w.reserve, rts = exp_true(f, f->reserve);
    if (st.reserve_held ? (reserve < rts || reserve >= rts + f->minhdr) : reserve != 0)
        return fail(f, "reserve block %zu, expected %s%zu", reserve, st.reserve_held ? "about " : "", st.reserve_held ? rts : 0);
    if (w.cached != st.cached) return fail(f, "cached blocks add up to %zu, cached %zu", w.cached, st.cached);
    list_count = list_bytes = 0;
    for (int i = 0; i < ZMM_NUM_BUCKETS; i++) zmm_inspect_cache(h, i, cnt_list, NULL);
    if (list_bytes != st.cached) return fail(f, "cache lists hold %zu bytes, cached %zu", list_bytes, st.cached);
    list_count = list_bytes = 0;
    for (int i = 0; i < ZMM_NUM_BUCKETS; i++) zmm_inspect_free_bucket(h, i, cnt_list, NULL);
    for (int k = 0; k < ZMM_NUM_BUCKETS; k++) zmm_inspect_large_tree(h, k, cnt_node, cnt_list, NULL);
    zmm_inspect_rest(h, cnt_list, NULL);
    if (list_count != w.free_blocks)
        return fail(f, "free lists hold %zu blocks, the walk found %zu free blocks", list_count, w.free_blocks);
    size_t want = reserve + sum_sizes + st.cached;
    if (st.size != want)
        return fail(f, "size %zu, expected %zu (reserve %zu + live %zu + cached %zu)", st.size, want, reserve, sum_sizes,
                    st.cached);
    if (zmm_memory_usage(h, false) != st.size - st.cached) return fail(f, "memory_usage(false) != size - cached");
    verify_breakdown(f, &st, &w, nlive, sum_sizes, sum_requested);
    if (f->failed) return;
    if (zmm_memory_usage(h, true) != st.real_size) return fail(f, "memory_usage(true) != real_size");
    if (st.peak < st.size || st.real_peak < st.real_size) return fail(f, "peak below the current value");
}

/* An allocation call returned; check the error protocol. */
static void after_call(fz *f, bool success, size_t requested, size_t real_before, bool overflow_possible,
                       size_t need_true, const char *what)
{
    if (f->failed) return;
    zmm_stats st;
    zmm_heap_stats(f->h, &st);
    if (success) {
        if (f->err_count) fail(f, "%s(%zu) succeeded but reported: %s", what, requested, f->err_msg);
        else if (!f->passthrough && st.real_size > real_before && st.real_size > st.limit)
            fail(f, "%s(%zu): real_size %zu passed the limit %zu", what, requested, st.real_size, st.limit);
        return;
    }
    f->res->failures++;
    if (f->err_count != 1) return fail(f, "%s(%zu) failed with %d error reports", what, requested, f->err_count);
    char want[256];
    switch (f->err_kind) {
    case ZMM_ERR_LIMIT:
        if (f->passthrough) return fail(f, "%s: limit error in pass-through mode", what);
        snprintf(want, sizeof want, "Allowed memory size of %zu bytes exhausted (tried to allocate %zu bytes)", st.limit,
                 requested);
        if (strcmp(want, f->err_msg) != 0) return fail(f, "%s: message '%s', expected '%s'", what, f->err_msg, want);
        if (need_true && real_before + exp_seg(f, need_true) <= st.limit && exp_seg(f, need_true) >= need_true)
            return fail(f, "%s(%zu): limit error although real_size %zu + segment %zu <= limit %zu", what, requested,
                        real_before, exp_seg(f, need_true), st.limit);
        break;
    case ZMM_ERR_OOM: {
        bool armed = f->ctl.fail_alloc || f->ctl.fail_realloc;
        if (!armed && need_true) return fail(f, "%s(%zu): OOM without an injected fault: %s", what, requested, f->err_msg);
        /* "allocated" is real_size when the error is raised: after any cache
         * flush of the failing call, before the reserve is given back */
        unsigned long long alloc_n = 0, tried = 0;
        char tail = 0;
        if (sscanf(f->err_msg, "Out of memory (allocated %llu) (tried to allocate %llu bytes%c", &alloc_n, &tried,
                   &tail) != 3 || tail != ')' || tried != requested)
            return fail(f, "%s: message '%s', expected 'Out of memory (allocated N) (tried to allocate %zu bytes)'", what,
                        f->err_msg, requested);
        snprintf(want, sizeof want, "Out of memory (allocated %llu) (tried to allocate %zu bytes)", alloc_n, requested);
        if (strcmp(want, f->err_msg) != 0) return fail(f, "%s: message '%s' has extra text", what, f->err_msg);
        if (alloc_n < st.real_size || alloc_n > real_before)
            return fail(f, "%s: message says allocated %llu, real_size went from %zu to %zu", what, alloc_n, real_before,
                        st.real_size);
        break;
    }
    case ZMM_ERR_OVERFLOW:
        if (!overflow_possible) return fail(f, "%s: unexpected overflow error: %s", what, f->err_msg);
        if (strncmp(f->err_msg, "Possible integer overflow in memory allocation (", 48) != 0)
            return fail(f, "%s: overflow message '%s'", what, f->err_msg);
        break;
    default:
        return fail(f, "%s(%zu): unexpected error kind %d: %s", what, requested, (int)f->err_kind, f->err_msg);
    }
}

/* ---- sizes ---------------------------------------------------------------- */
static size_t pick_size(fz *f, rd *r)
{
    unsigned b = g8(r);
    size_t n;
    switch (b >> 6) {
    case 0:
    case 1: n = g16(r) % 600; break;
    case 2: n = g16(r) % 8192; break;
    default:
        if ((b & 0x3f) < 44) n = 8192 + g16(r) % 65536;
        else n = (size_t)(g16(r) % 1700) * 1024 + (b & 7);
        break;
    }
    if (f->live_bytes + n > ((size_t)48 << 20)) n %= 4096;
    return n;
}

static slot *pick_slot(fz *f, rd *r) { return &f->s[g8(r) % SLOTS]; }

static void set_slot(fz *f, slot *s, void *p, size_t n)
{
    s->p = p;
    s->n = n;
    f->live_bytes += n;
}
static void clear_slot(fz *f, slot *s)
{
    push_stale(f, s->p);
    f->live_bytes -= s->n;
    s->p = NULL;
    s->n = 0;
}

/* ---- operations ----------------------------------------------------------- */
static void op_free(fz *f, slot *s)
{
    if (!contents_ok(s, s->n)) return fail(f, "contents damaged before free");
    zmm_free(f->h, s->p);
    f->res->frees++;
    clear_slot(f, s);
}

static void op_alloc(fz *f, slot *s, rd *r)
{
    size_t n = pick_size(f, r);
    size_t rb = zmm_memory_usage(f->h, true);
    err_reset(f);
    void *p = zmm_malloc(f->h, n);
    after_call(f, p != NULL, n, rb, false, exp_true(f, n), "malloc");
    f->res->allocs++;
    if (p) {
        set_slot(f, s, p, n);
        write_block(f, s);
    }
}

static void op_calloc(fz *f, slot *s, rd *r)
{
    size_t nm = 1 + g8(r) % 16;
    size_t n = pick_size(f, r) / nm;
    size_t rb = zmm_memory_usage(f->h, true);
    err_reset(f);
    unsigned char *p = zmm_calloc(f->h, nm, n);
    after_call(f, p != NULL, nm * n, rb, false, exp_true(f, nm * n), "calloc");
    f->res->allocs++;
    if (!p) return;
    for (size_t i = 0; i < nm * n; i++)
        if (p[i]) return fail(f, "calloc(%zu, %zu): byte %zu is %#x", nm, n, i, p[i]);
    set_slot(f, s, p, nm * n);
    write_block(f, s);
}

static void op_strdup(fz *f, slot *s, rd *r)
{
    char buf[700];
    size_t len = g16(r) % 650;
    memset(buf, 'a' + (int)(g8(r) % 26), len);
    buf[len] = '\0';
    bool nd = g8(r) & 1;
    size_t cut = nd ? (len ? g16(r) % (len + 1) : 0) : len;
    size_t rb = zmm_memory_usage(f->h, true);
    err_reset(f);
    char *p = nd ? zmm_strndup(f->h, buf, cut) : zmm_strdup(f->h, buf);
    after_call(f, p != NULL, cut + 1, rb, false, exp_true(f, cut + 1), nd ? "strndup" : "strdup");
    f->res->allocs++;
    if (!p) return;
    if (strlen(p) != cut || memcmp(p, buf, cut) != 0) return fail(f, "strdup/strndup: wrong copy");
    set_slot(f, s, p, cut + 1);
    write_block(f, s);
}

static void op_safe(fz *f, slot *s, rd *r)
{
    unsigned k = g8(r);
    size_t nm, sz, off;
    bool ovf = (k & 7) == 0;
    if (ovf) {
        nm = ((size_t)1 << 32) + g8(r);
        sz = ((size_t)1 << 32) + g8(r);
        off = g8(r);
    } else {
        nm = 1 + k % 8;
        sz = pick_size(f, r) / nm;
        off = g8(r) % 64;
    }
    size_t rb = zmm_memory_usage(f->h, true);
    err_reset(f);
    void *p = zmm_safe_malloc(f->h, nm, sz, off);
    size_t total = ovf ? 0 : nm * sz + off;
    after_call(f, p != NULL, total, rb, ovf, ovf ? 0 : exp_true(f, total), "safe_malloc");
    if (ovf && p) return fail(f, "safe_malloc(%zu, %zu, %zu) did not detect the overflow", nm, sz, off);
    if (ovf && f->err_kind != ZMM_ERR_OVERFLOW) return fail(f, "safe_malloc overflow reported as kind %d", (int)f->err_kind);
    if (p) {
        set_slot(f, s, p, total);
        write_block(f, s);
    }
}

static void op_realloc(fz *f, slot *s, rd *r)
{
    size_t n = pick_size(f, r);
    size_t rb = zmm_memory_usage(f->h, true);
    err_reset(f);
    f->res->reallocs++;
    if (!s->p) {
        void *p = zmm_realloc(f->h, NULL, n);
        after_call(f, p != NULL, n, rb, false, exp_true(f, n), "realloc(NULL)");
        if (p) {
            set_slot(f, s, p, n);
            write_block(f, s);
        }
        return;
    }
    bool checked = g8(r) & 1;
    void *p = checked ? zmm_realloc_checked(f->h, s->p, n) : zmm_realloc(f->h, s->p, n);
    after_call(f, p != NULL, n, rb, false, exp_true(f, n), "realloc");
    if (f->failed) return;
    if (!p) {
        if (!zmm_is_live(f->h, s->p)) return fail(f, "failed realloc lost the block");
        if (!contents_ok(s, s->n)) return fail(f, "failed realloc damaged the block");
        return;
    }
    size_t keep = n < s->n ? n : s->n;
    s->p = p;
    if (!contents_ok(s, keep)) return fail(f, "realloc %zu -> %zu: contents not kept", s->n, n);
    f->live_bytes += n - s->n;
    s->n = n;
    write_block(f, s);
}

static void op_forged(fz *f, slot *s, rd *r)
{
    unsigned k = g8(r);
    void *bad;
    int local = 0;
    switch (f->track ? k % 4 : 2 + k % 2) {
    case 0: bad = f->stale[k % STALE]; break;
    case 1: bad = s->p ? s->p + 8 : NULL; break;
    case 2: bad = &local; break;
    default: bad = (void *)(uintptr_t)(0x1000 + (k << 4)); break;
    }
    if (!bad || is_slot_ptr(f, bad)) return;
    zmm_stats a, b;
    zmm_heap_stats(f->h, &a);
    err_reset(f);
    bool freed = false;
    void *rp = NULL;
    if (k & 4) freed = zmm_free_checked(f->h, bad);
    else rp = zmm_realloc_checked(f->h, bad, 10);
    if (freed || rp) return fail(f, "checked call accepted a forged pointer %p", bad);
    if (f->err_count != 1 || f->err_kind != ZMM_ERR_INVALID_PTR)
        return fail(f, "forged pointer: %d reports, kind %d", f->err_count, (int)f->err_kind);
    zmm_heap_stats(f->h, &b);
    if (a.size != b.size || a.real_size != b.real_size || a.cached != b.cached || a.live_blocks != b.live_blocks)
        return fail(f, "a refused checked call changed the heap");
    /* and a checked free of a real block */
    if (s->p && (k & 8)) {
        if (!contents_ok(s, s->n)) return fail(f, "contents damaged before free_checked");
        err_reset(f);
        if (!zmm_free_checked(f->h, s->p)) return fail(f, "free_checked refused a live block: %s", f->err_msg);
        f->res->frees++;
        clear_slot(f, s);
    }
}

static const zmm_storage_handlers *pick_storage(fz *f, unsigned k)
{
    (void)f;
    switch (k % 4) {
#ifndef _WIN32
    case 1: return zmm_storage_find("mmap_anon");
    case 2: return zmm_storage_find("mmap_zero");
#else
    case 1: return zmm_storage_find("win32");
#endif
    case 3: return &test_storage_handlers;
    default: return zmm_storage_find("malloc");
    }
}

static void op_switch(fz *f, rd *r)
{
    const zmm_storage_handlers *hd = pick_storage(f, g8(r));
    if (!hd) return;
    err_reset(f);
    bool okk = zmm_heap_set_storage(f->h, hd, hd == &test_storage_handlers ? &f->ctl : NULL);
    f->res->switches++;
    if (okk) {
        if (f->err_count) return fail(f, "set_storage succeeded but reported %s", f->err_msg);
        if (!f->passthrough && zmm_heap_storage(f->h) != hd) return fail(f, "set_storage did not switch");
        return;
    }
    char want[128];
    snprintf(want, sizeof want, "Cannot initialize zend_mm storage [%s]", hd->name);
    if (!(hd == &test_storage_handlers && f->ctl.fail_init)) return fail(f, "set_storage(%s) failed: %s", hd->name, f->err_msg);
    if (f->err_count != 1 || f->err_kind != ZMM_ERR_STORAGE || strcmp(f->err_msg, want) != 0)
        return fail(f, "set_storage failure reported as %d '%s'", (int)f->err_kind, f->err_msg);
}

static void op_faults(fz *f, rd *r)
{
    unsigned k = g8(r);
    f->ctl.fail_alloc = k & 1;
    f->ctl.fail_realloc = (k >> 1) & 1;
    f->ctl.fail_init = ((k >> 2) & 3) == 0;
    f->ctl.fail_alloc_after = (long)(k >> 4);
}

static void op_limit(fz *f, rd *r)
{
    unsigned k = g8(r);
    size_t rs = zmm_memory_usage(f->h, true);
    size_t lim;
    switch (k % 4) {
    case 0: lim = ZMM_NO_LIMIT; break;
    case 1: lim = rs + (size_t)(k >> 2) % 8 * f->bs; break;
    case 2: lim = rs; break;
    default: lim = (size_t)1 << (18 + (k >> 2) % 6); break;
    }
    zmm_heap_set_limit(f->h, lim);
    f->limit_set = lim != ZMM_NO_LIMIT;
    zmm_stats st;
    zmm_heap_stats(f->h, &st);
    size_t want = lim == ZMM_NO_LIMIT ? ZMM_NO_LIMIT : (lim < f->bs ? f->bs : lim);
    if (!f->passthrough && st.limit != want) fail(f, "set_limit(%zu): limit %zu, expected %zu", lim, st.limit, want);
}

static void op_shutdown(fz *f)
{
    for (int i = 0; i < SLOTS; i++)
        if (f->s[i].p) {
            if (!contents_ok(&f->s[i], f->s[i].n)) return fail(f, "contents damaged before shutdown");
            clear_slot(f, &f->s[i]);
        }
    zmm_heap_shutdown(f->h);
    f->res->shutdowns++;
    if (f->passthrough) return;
    zmm_stats st;
    zmm_heap_stats(f->h, &st);
    size_t rs = exp_true(f, f->reserve);
    size_t real = st.reserve_held ? exp_seg(f, rs) : 0;
    /* the whole first block when the rest would be below MINHDR */
    size_t whole = real ? real - 16 - f->hdr : 0;
    size_t size = st.reserve_held ? (whole - rs < f->minhdr ? whole : rs) : 0;
    if (st.reserve_held == false && f->reserve && !(f->ctl.fail_alloc && zmm_heap_storage(f->h) == &test_storage_handlers) &&
        exp_seg(f, rs) <= st.limit)
        return fail(f, "shutdown: no reserve although the storage is healthy");
    if (st.size != size || st.real_size != real || st.peak != size || st.real_peak != real || st.cached || st.live_blocks)
        return fail(f, "shutdown: size %zu real %zu peak %zu real_peak %zu cached %zu live %zu; expected %zu/%zu", st.size,
                    st.real_size, st.peak, st.real_peak, st.cached, st.live_blocks, size, real);
}

static void do_op(fz *f, rd *r)
{
    unsigned k = g8(r);
    slot *s = pick_slot(f, r);
    if (k < 80 || k >= 206) {
        if (s->p) op_free(f, s);
        else op_alloc(f, s, r);
    } else if (k < 120) op_realloc(f, s, r);
    else if (k < 135) { if (s->p) op_free(f, s); else op_calloc(f, s, r); }
    else if (k < 145) { if (s->p) op_free(f, s); else op_strdup(f, s, r); }
    else if (k < 152) { if (s->p) op_free(f, s); else op_safe(f, s, r); }
    else if (k < 162) op_forged(f, s, r);
    else if (k < 170) zmm_heap_flush_cache(f->h);
    else if (k < 174) {
        zmm_heap_compact(f->h);
        zmm_stats st;
        zmm_heap_stats(f->h, &st);
        if (st.cached) fail(f, "compact left %zu bytes cached", st.cached);
    } else if (k < 182) op_limit(f, r);
    else if (k < 188) op_switch(f, r);
    else if (k < 196) op_faults(f, r);
    else if (k < 200) zmm_heap_reset_peak(f->h);
    else if (k < 204) { if (g8(r) < 20) op_shutdown(f); } /* rare: it empties the shadow */
    else op_realloc(f, s, r);
}

/* ---- the run --------------------------------------------------------------- */
static int pick(int forced, unsigned bit) { return forced >= 0 ? forced : (int)bit; }

int fz_run(const uint8_t *data, size_t len, const fz_opts *o, size_t max_ops, fz_result *res, char *why, size_t whylen);
int fz_run(const uint8_t *data, size_t len, const fz_opts *o, size_t max_ops, fz_result *res, char *why, size_t whylen)
{
    static fz F;
    fz *f = &F;
    memset(f, 0, sizeof *f);
    memset(res, 0, sizeof *res);
    f->why = why;
    f->whylen = whylen;
    f->res = res;
    why[0] = '\0';
    rd r = {data, len, 0};
    unsigned c0 = g8(&r), c1 = g8(&r);
    bool cache = pick(o->cache, c0 & 1), cookies = pick(o->cookies, (c0 >> 1) & 1);
    bool prot = pick(o->protection, (c0 >> 2) & 1), fill = pick(o->fill, (c0 >> 3) & 1);
    static const size_t segs[4] = {4096, 16384, 65536, 262144};
    size_t bs = o->seg_size ? (size_t)o->seg_size : segs[(c0 >> 4) & 3];
    const zmm_storage_handlers *hd = o->storage ? zmm_storage_find(o->storage) : pick_storage(f, c0 >> 6);
    if (o->storage && strcmp(o->storage, "faulty") == 0) hd = &test_storage_handlers;
    if (!hd) {
        snprintf(why, whylen, "no storage named %s", o->storage);
        return 1;
    }
    f->align = o->align ? o->align : (c1 >> 6) & 1 ? 16 : 8;
    bool a16 = f->align == 16;   /* §1.3's sums rounded to 16 (layout.c) */
    f->hdr = cookies && prot ? 80 : prot ? 32 : cookies ? (a16 ? 32 : 24) : 16;
    f->minhdr = cookies && prot ? (a16 ? 96 : 88) : (cookies || prot) ? (a16 ? 48 : 40) : 32;
    f->end = prot ? 4 : 0;
    f->min_size = f->minhdr > f->hdr + f->end ? f->minhdr - f->hdr - f->end : 0;
    f->max_small = (64u << 3) + f->minhdr;
    f->bs = bs;
    static const size_t reserves[8] = {0, 8192, 8192, 8192, 8192, 64, 1000, 8192};
    f->reserve = o->reserve >= 0 ? (size_t)o->reserve : reserves[c1 & 7];
    f->track = !o->no_track || o->passthrough > 0;
    f->passthrough = o->passthrough > 0;
    test_storage_ctl_reset(&f->ctl);

    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.cache = cache;
    cfg.cookies = cookies;
    cfg.protection = prot;
    cfg.fill_freed = fill;
    cfg.segment_size = bs;
    cfg.alignment = f->align;
    cfg.storage = hd;
    cfg.storage_params = hd == &test_storage_handlers ? &f->ctl : NULL;
    cfg.reserve_size = f->reserve;
    cfg.compact_size = (c1 >> 3) & 1 ? 0 : (size_t)1 << 20;
    cfg.use_zend_alloc = !f->passthrough;
    cfg.track_blocks = f->track;
    if ((c1 >> 4) & 1) cfg.cache_size = 4096; /* a small cache cap, often reached */
    cfg.exact_fit = pick(o->exact_fit, (c1 >> 5) & 1);
    cfg.cache_stat = pick(o->cache_stat, !((c1 >> 7) & 1));
    cfg.on_error = on_error;
    cfg.error_ctx = f;
    if (o->limit) cfg.limit = o->limit;
    snprintf(res->cfg, sizeof res->cfg, "cache=%d cookies=%d protection=%d fill=%d seg=%zu storage=%s reserve=%zu%s%s%s%s%s%s",
             cache, cookies, prot, fill, bs, hd->name, f->reserve, cfg.cache_size == 4096 ? " cache_size=4096" : "",
             f->passthrough ? " passthrough" : "", f->track ? "" : " no-track", cfg.exact_fit ? " exact_fit" : "",
             a16 ? " align=16" : "", cfg.cache_stat ? "" : " no-cache-stat");
    char err[256] = "";
    f->h = zmm_heap_create(&cfg, err, sizeof err);
    if (!f->h) {
        snprintf(why, whylen, "heap_create failed: %s", err);
        return 1;
    }
    verify(f);
    while (!f->failed && !rd_done(&r) && (!max_ops || f->op < max_ops)) {
        f->op++;
        size_t before = r.i;
        do_op(f, &r);
        verify(f);
        if (r.i == before) break;
    }
    res->ops = f->op;
    /* free everything and check the heap is back to its reserve */
    if (!f->failed) {
        f->ctl.fail_alloc = f->ctl.fail_realloc = f->ctl.fail_init = 0;
        for (int i = 0; i < SLOTS; i++)
            if (f->s[i].p) op_free(f, &f->s[i]);
        zmm_heap_flush_cache(f->h);
        verify(f);
    }
    zmm_heap_destroy(f->h);
    if (!f->failed && (f->ctl.live_segments != 0 || f->ctl.dtors != f->ctl.inits))
        fail(f, "after destroy the test storage holds %ld segments (%ld inits, %ld dtors)", f->ctl.live_segments,
             f->ctl.inits, f->ctl.dtors);
    return f->failed ? 1 : 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_opts o = {-1, -1, -1, -1, 0, NULL, 0, 0, 0, -1, 0, -1, 0, -1};   /* the input picks the search, alignment and statistics too */
    fz_result res;
    char why[1024];
    if (fz_run(data, size, &o, 4096, &res, why, sizeof why)) {
        fprintf(stderr, "fuzz_driver: %s [%s]\n", why, res.cfg);
        abort();
    }
    return 0;
}
#else
static uint64_t xs;
static uint8_t next_byte(void)
{
    xs ^= xs << 13;
    xs ^= xs >> 7;
    xs ^= xs << 17;
    return (uint8_t)(xs >> 24);
}

static void usage(void)
{
    fprintf(stderr, "usage: fuzz_driver --seed S --ops N [--cache 0|1] [--cookies 0|1] [--protection 0|1]\n"
                    "       [--fill 0|1] [--seg BYTES] [--storage NAME|faulty] [--limit BYTES] [--reserve BYTES]\n"
                    "       [--passthrough] [--no-track] [--exact-fit] [--no-cache-stat] [--align 8|16|0 (0: from the data)]\n"
                    "       [--test-number K] [--verbose]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    fz_opts o = {-1, -1, -1, -1, 0, NULL, 0, 0, 0, -1, 0, 0, 8, -1};  /* 5.3's search unless --exact-fit, alignment 8 */
    uint64_t seed = 1;
    size_t ops = 10000;
    int testno = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--passthrough")) { o.passthrough = 1; continue; }
        if (!strcmp(a, "--no-track")) { o.no_track = 1; continue; }
        if (!strcmp(a, "--exact-fit")) { o.exact_fit = 1; continue; }
        if (!strcmp(a, "--no-cache-stat")) { o.cache_stat = 0; continue; }
        if (!strcmp(a, "--verbose")) { o.verbose = 1; continue; }
        if (!v) usage();
        i++;
        if (!strcmp(a, "--seed")) seed = strtoull(v, NULL, 0);
        else if (!strcmp(a, "--ops")) ops = strtoull(v, NULL, 0);
        else if (!strcmp(a, "--cache")) o.cache = atoi(v);
        else if (!strcmp(a, "--cookies")) o.cookies = atoi(v);
        else if (!strcmp(a, "--protection")) o.protection = atoi(v);
        else if (!strcmp(a, "--fill")) o.fill = atoi(v);
        else if (!strcmp(a, "--seg")) o.seg_size = strtol(v, NULL, 0);
        else if (!strcmp(a, "--storage")) o.storage = v;
        else if (!strcmp(a, "--limit")) o.limit = strtoull(v, NULL, 0);
        else if (!strcmp(a, "--reserve")) o.reserve = strtol(v, NULL, 0);
        else if (!strcmp(a, "--align")) o.align = strtoul(v, NULL, 0);
        else if (!strcmp(a, "--test-number")) testno = atoi(v);
        else usage();
    }
    xs = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
    if (!xs) xs = 1;
    size_t len = ops * 12 + 16;
    uint8_t *buf = malloc(len);
    if (!buf) return 2;
    for (size_t i = 0; i < len; i++) buf[i] = next_byte();
    fz_result res;
    char why[1024];
    int rc = fz_run(buf, len, &o, ops, &res, why, sizeof why);
    printf("%sok %d - fuzz seed=%llu ops=%zu %s (%zu allocs, %zu reallocs, %zu frees, %zu failed calls, %zu switches, "
           "%zu shutdowns)\n",
           rc ? "not " : "", testno, (unsigned long long)seed, res.ops, res.cfg, res.allocs, res.reallocs, res.frees,
           res.failures, res.switches, res.shutdowns);
    if (rc) printf("# %s\n", why);
    free(buf);
    return rc;
}
#endif
