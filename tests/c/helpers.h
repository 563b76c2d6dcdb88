/*
 * helpers.h - shared helpers of the C unit tests (include after tap.h).
 *
 * Expected numbers are computed here from the fact sheet (zendmm-5.3.md §1.3),
 * never from the heap's own arithmetic, so a test can catch the heap being wrong.
 */
#ifndef ZMM_TEST_HELPERS_H
#define ZMM_TEST_HELPERS_H

#include "tap.h"
#include "zendmm.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* ---- the 5.3 layouts (§1.3, 64-bit) --------------------------------------- */
typedef struct layout {
    size_t hdr, fhdr, minhdr, end, min_size, max_small, align;
} layout;

/* At alignment 16 the sums of §1.3 round up to 16 instead of 8 (layout.c);
 * buckets stay 8 bytes apart, so max_small is 64 * 8 + MINHDR at both. */
static inline layout layout_for_align(bool cookies, bool protection, size_t align)
{
    layout L;
    bool a16 = align == 16;
    if (cookies && protection) { L.hdr = 80; L.fhdr = 48; L.minhdr = a16 ? 96 : 88; L.end = 4; }
    else if (protection)       { L.hdr = 32; L.fhdr = 32; L.minhdr = a16 ? 48 : 40; L.end = 4; }
    else if (cookies)          { L.hdr = a16 ? 32 : 24; L.fhdr = 40; L.minhdr = a16 ? 48 : 40; L.end = 0; }
    else                       { L.hdr = 16; L.fhdr = 32; L.minhdr = 32; L.end = 0; }
    L.min_size = L.minhdr > L.hdr + L.end ? L.minhdr - (L.hdr + L.end) : 0;
    L.max_small = (64u << 3) + L.minhdr;
    L.align = a16 ? 16 : 8;
    return L;
}

static inline layout layout_for(bool cookies, bool protection) { return layout_for_align(cookies, protection, 8); }

static inline size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

/* ZEND_MM_TRUE_SIZE */
static inline size_t exp_true(const layout *L, size_t n)
{
    return n < L->min_size ? L->minhdr : (n + L->hdr + L->end + L->align - 1) & ~(L->align - 1);
}
/* ZEND_MM_BUCKET_INDEX, -1 for large */
static inline int exp_bucket(const layout *L, size_t ts)
{
    return ts < L->max_small ? (int)((ts >> 3) - (L->minhdr >> 3)) : -1;
}
static inline int exp_high_bit(size_t x)
{
    int n = 0;
    while (x >>= 1) n++;
    return n;
}
/* segment size for a true size (§3.1 step 5), block size bs */
static inline size_t exp_segment(const layout *L, size_t ts, size_t bs)
{
    if (ts <= bs - (16 + L->hdr)) return bs;
    return (ts + 16 + L->hdr + bs - 1) & ~(bs - 1);
}

/* ---- error capture -------------------------------------------------------- */
typedef struct errlog {
    int            count;
    zmm_error_kind kind;
    char           msg[512];
    size_t         cb_problems;      /* zmm_heap_check problems seen inside the callback */
    char           cb_first[256];
} errlog;

static inline void errlog_check_cb(const char *problem, void *ctx)
{
    errlog *e = (errlog *)ctx;
    if (e->cb_problems++ == 0) snprintf(e->cb_first, sizeof e->cb_first, "%s", problem);
}

/* Records the error; also runs zmm_heap_check, since zendmm.h promises the
 * heap is consistent when the callback runs. */
static inline void errlog_cb(zmm_heap *heap, zmm_error_kind kind, const char *message, void *ctx)
{
    errlog *e = (errlog *)ctx;
    if (heap) (void)zmm_heap_check(heap, errlog_check_cb, e);
    e->count++;
    e->kind = kind;
    snprintf(e->msg, sizeof e->msg, "%s", message ? message : "(null)");
}

static inline void errlog_reset(errlog *e)
{
    memset(e, 0, sizeof *e);
}

/* ---- heap creation -------------------------------------------------------- */
static inline zmm_heap *mkheap_cfg(const zmm_config *cfg_in, errlog *el)
{
    zmm_config cfg = *cfg_in;
    char err[256] = "";
    if (el) {
        errlog_reset(el);
        cfg.on_error = errlog_cb;
        cfg.error_ctx = el;
    }
    zmm_heap *h = zmm_heap_create(&cfg, err, sizeof err);
    if (!h) bail_out("zmm_heap_create failed: %s", err);
    return h;
}

/* A heap with defaults, cache on/off. */
static inline zmm_heap *mkheap(bool cache, errlog *el)
{
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.cache = cache;
    return mkheap_cfg(&cfg, el);
}

/* ---- integrity ------------------------------------------------------------ */
typedef struct problems {
    size_t n;
    char   first[512];
    char   all[4096];
} problems;

static inline void problems_cb(const char *problem, void *ctx)
{
    problems *p = (problems *)ctx;
    if (p->n == 0) snprintf(p->first, sizeof p->first, "%s", problem);
    size_t used = strlen(p->all);
    if (used + 2 < sizeof p->all) snprintf(p->all + used, sizeof p->all - used, "%s\n", problem);
    p->n++;
}

/* ok() that zmm_heap_check finds nothing; prints the problems otherwise. */
static inline int check_clean(const zmm_heap *h, const char *what)
{
    problems p;
    memset(&p, 0, sizeof p);
    size_t n = zmm_heap_check(h, problems_cb, &p);
    int r = ok(n == 0 && p.n == 0, "%s: heap check clean", what);
    if (!r) {
        diag("zmm_heap_check returned %zu, callback saw %zu problems:", n, p.n);
        char *s = p.all, *nl;
        int lines = 0;
        while (*s && (nl = strchr(s, '\n')) && lines++ < 20) {
            *nl = '\0';
            diag("  %s", s);
            s = nl + 1;
        }
    }
    return r;
}

static inline zmm_stats stats_of(const zmm_heap *h)
{
    zmm_stats s;
    memset(&s, 0, sizeof s);
    zmm_heap_stats(h, &s);
    return s;
}

/* ---- inspection collectors ------------------------------------------------- */
#define MAXV 4096
typedef struct blocklist {
    size_t         n;
    zmm_block_view b[MAXV];
    zmm_segment_view s[MAXV];
} blocklist;

static inline void collect_list_cb(int index, const zmm_block_view *block, void *ctx)
{
    (void)index;
    blocklist *l = (blocklist *)ctx;
    if (l->n < MAXV) l->b[l->n] = *block;
    l->n++;
}

static inline void collect_block_cb(const zmm_segment_view *seg, const zmm_block_view *block, void *ctx)
{
    blocklist *l = (blocklist *)ctx;
    if (l->n < MAXV) {
        l->b[l->n] = *block;
        l->s[l->n] = *seg;
    }
    l->n++;
}

typedef struct seglist {
    size_t           n;
    zmm_segment_view s[MAXV];
} seglist;

static inline void collect_seg_cb(const zmm_segment_view *seg, void *ctx)
{
    seglist *l = (seglist *)ctx;
    if (l->n < MAXV) l->s[l->n] = *seg;
    l->n++;
}

typedef struct trielist {
    size_t             n;
    zmm_trie_node_view t[MAXV];
    size_t             twins;
} trielist;

static inline void collect_trie_cb(int index, const zmm_trie_node_view *node, void *ctx)
{
    (void)index;
    trielist *l = (trielist *)ctx;
    if (l->n < MAXV) l->t[l->n] = *node;
    l->n++;
}
static inline void count_twin_cb(int index, const zmm_block_view *block, void *ctx)
{
    (void)index;
    (void)block;
    ((trielist *)ctx)->twins++;
}

/* Static storage: the lists are large. */
static blocklist g_blocks;
static seglist   g_segs;
static trielist  g_trie;
static zmm_segment_view g_sv_dummy; /* for zmm_block_info calls that ignore the segment */
static inline zmm_segment_view *sv_dummy(void) { return &g_sv_dummy; }

static inline blocklist *free_bucket(const zmm_heap *h, int i)
{
    memset(&g_blocks, 0, sizeof g_blocks);
    zmm_inspect_free_bucket(h, i, collect_list_cb, &g_blocks);
    return &g_blocks;
}
static inline blocklist *cache_list(const zmm_heap *h, int i)
{
    memset(&g_blocks, 0, sizeof g_blocks);
    zmm_inspect_cache(h, i, collect_list_cb, &g_blocks);
    return &g_blocks;
}
static inline blocklist *rest_list(const zmm_heap *h)
{
    memset(&g_blocks, 0, sizeof g_blocks);
    zmm_inspect_rest(h, collect_list_cb, &g_blocks);
    return &g_blocks;
}
static inline blocklist *all_blocks(const zmm_heap *h)
{
    memset(&g_blocks, 0, sizeof g_blocks);
    zmm_inspect_segments(h, NULL, collect_block_cb, &g_blocks);
    return &g_blocks;
}
static inline seglist *all_segments(const zmm_heap *h)
{
    memset(&g_segs, 0, sizeof g_segs);
    zmm_inspect_segments(h, collect_seg_cb, NULL, &g_segs);
    return &g_segs;
}
static inline trielist *trie(const zmm_heap *h, int k)
{
    memset(&g_trie, 0, sizeof g_trie);
    zmm_inspect_large_tree(h, k, collect_trie_cb, count_twin_cb, &g_trie);
    return &g_trie;
}

/* Header address as the test computes it: ptr - header size. */
static inline uintptr_t hdr_of(const void *p, const layout *L)
{
    return (uintptr_t)p - L->hdr;
}

/* Fill / verify a block with a byte pattern derived from a seed. */
static inline void fill_pattern(void *p, size_t n, unsigned seed)
{
    unsigned char *c = (unsigned char *)p;
    for (size_t i = 0; i < n; i++) c[i] = (unsigned char)(seed + i * 131u + (i >> 8));
}
static inline bool check_pattern(const void *p, size_t n, unsigned seed)
{
    const unsigned char *c = (const unsigned char *)p;
    for (size_t i = 0; i < n; i++)
        if (c[i] != (unsigned char)(seed + i * 131u + (i >> 8))) return false;
    return true;
}

#endif
