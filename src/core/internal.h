/*
 * internal.h - the heap structure and the block layout, shared by the core sources only.
 *
 * A block is addressed by its header (char *). Its first two words are 5.3's
 * zend_mm_block_info: _size and _prev, each a byte count with a 2-bit type
 * (FREE 0, USED 1, GUARD 3). _prev of a block is a copy of the previous
 * block's _size (the boundary tag). Everything after those two words depends
 * on the heap's protection options, so offsets live in the heap (see layout.c).
 */
#ifndef ZENDMM_INTERNAL_H
#define ZENDMM_INTERNAL_H

#include "portable.h"
#include "zendmm.h"
#include "live.h"

#include <string.h>

#define ZMM_FREE   ((size_t)0)
#define ZMM_USED   ((size_t)1)
#define ZMM_GUARD  ((size_t)3)
#define ZMM_TYPE_MASK ((size_t)3)

#define ZMM_SEG_HDR   ((size_t)16)  /* aligned sizeof(zmm_segment) */

/* parent value marking a large block that sits on the rest list (5.4's ZEND_MM_REST_BLOCK) */
#define ZMM_REST_MARK ((char **)(uintptr_t)1)

/* debug-layout magic values (5.3 debug build) */
#define ZMM_MAGIC_VALID  0x7312F8DCu
#define ZMM_MAGIC_FREED  0x99954317u
#define ZMM_MAGIC_CACHED 0xFB8277DCu
#define ZMM_MAGIC_GUARD  0x2A8FCC84u

#define ZMM_ALIGN(x) (((x) + (ZMM_ALIGNMENT - 1)) & ~(size_t)(ZMM_ALIGNMENT - 1))

/* Invariant checks on the hot paths: compiled in by -DZMM_DEBUG (the C tests
 * build with it), gone from the extension and the benchmark. */
#if defined(NDEBUG) || !defined(ZMM_DEBUG)
# define ZMM_ASSERT(c) ((void)0)
#else
# include <assert.h>
# define ZMM_ASSERT(c) assert(c)
#endif

/* One entry of the segment registry: every segment the heap holds, sorted by
 * address, with the storage that made it. It lets the check, inspection and
 * pointer validation prove an address lies inside the heap before reading it. */
typedef struct zmm_seg_entry {
    zmm_segment *seg;
    size_t       size;
    zmm_storage *storage;
} zmm_seg_entry;

/* A storage the heap has used, with the number of segments it still holds. */
typedef struct zmm_storage_ref {
    zmm_storage *storage;
    size_t       segments;
} zmm_storage_ref;

struct zmm_heap {
    /* ---- layout of this heap's blocks (hot: one cache line) ---- */
    size_t hdr;          /* ALIGNED_HEADER_SIZE */
    size_t link_off;     /* offset of prev/next free links */
    size_t min_hdr;      /* ALIGNED_MIN_HEADER_SIZE: smallest block */
    size_t min_size;     /* ZEND_MM_MIN_SIZE */
    size_t max_small;    /* ZEND_MM_MAX_SMALL_SIZE: true sizes below are small */
    size_t end_magic;    /* 4 with protection, else 0 */
    int    cookie_off;   /* -1 when cookies are off */
    int    magic_off;    /* -1 unless the debug layout is in use */
    int    req_off;      /* offset of the recorded requested size, -1 if none */
    int    start_magic_off;
    bool   use_zend_alloc, cache_on, track, fill, protect, cookies;

    size_t free_bitmap;
    size_t large_free_bitmap;
    size_t block_size;
    size_t compact_size;
    zmm_segment *segments_list;
    zmm_storage *storage;
    size_t real_size, real_peak, limit, size, peak;
    size_t reserve_size;
    void  *reserve;
    int    overflow;
    int    internal;
    size_t cached;
    size_t cache_size;
    char  *cache[ZMM_NUM_BUCKETS];
    /* The sentinels of the small buckets and of the rest list overlay these
     * slots (5.3's trick): sentinel(i) + link_off == &free_buckets[2i].
     * Fields above give the sentinels room; their headers are never written. */
    char  *free_buckets[ZMM_NUM_BUCKETS * 2];
    char  *large_free_buckets[ZMM_NUM_BUCKETS];
    char  *rest_buckets[2];
    int    rest_count;
    zmm_cache_stat cache_stat[ZMM_NUM_BUCKETS + 1];

    /* ---- not in 5.3 ---- */
    void *(*sys_malloc)(size_t);
    void  (*sys_free)(void *);
    void *(*sys_realloc)(void *, size_t);
    zmm_error_fn on_error;
    void        *error_ctx;
    zmm_live     live;             /* user pointer -> requested size */
    zmm_seg_entry *segs;           /* sorted by address */
    size_t       seg_count, seg_cap;
    zmm_storage_ref *storages;     /* storages in use; storages[0..] */
    size_t       storage_count, storage_cap;
    size_t       cookie_key;       /* per-heap random values */
    uint32_t     start_magic, end_magic_value;
    char         errbuf[256];
};

/* ---- header access ---------------------------------------------------------- */
#define BLK_SIZE_RAW(b)  (*(size_t *)(b))
#define BLK_PREV_RAW(b)  (*(size_t *)((b) + sizeof(size_t)))
#define BLK_SIZE(b)      (BLK_SIZE_RAW(b) & ~ZMM_TYPE_MASK)
#define BLK_TYPE(b)      (BLK_SIZE_RAW(b) & ZMM_TYPE_MASK)
#define BLK_IS_FREE(b)   (!(BLK_SIZE_RAW(b) & ZMM_USED))
#define BLK_IS_GUARD(b)  (BLK_TYPE(b) == ZMM_GUARD)
#define BLK_IS_FIRST(b)  (BLK_PREV_RAW(b) == ZMM_GUARD)
#define BLK_PREV_FREE(b) (!(BLK_PREV_RAW(b) & ZMM_USED))
#define BLK_NEXT(b)      ((b) + BLK_SIZE(b))
#define BLK_PREV(b)      ((b) - (BLK_PREV_RAW(b) & ~ZMM_TYPE_MASK))

#define FB_PREV(h, b)     (*(char **)((b) + (h)->link_off))
#define FB_NEXT(h, b)     (*(char **)((b) + (h)->link_off + sizeof(char *)))
#define FB_PARENT(h, b)   (*(char ***)((b) + (h)->link_off + 2 * sizeof(char *)))
#define FB_CHILD(h, b, i) (((char **)((b) + (h)->link_off + 3 * sizeof(char *)))[i])

#define SMALL_SENTINEL(h, i) ((char *)&(h)->free_buckets[(i) * 2] - (h)->link_off)
#define REST_SENTINEL(h)     ((char *)&(h)->rest_buckets[0] - (h)->link_off)

/* index of the most / least significant set bit of x != 0 (bsr / bsf) */
static inline int zmm_hbit(size_t x)
{
#if defined(__GNUC__)
    return (int)(sizeof(size_t) * 8 - 1) - __builtin_clzll((unsigned long long)x);
#else
    int n = 0;
    while (x >>= 1) n++;
    return n;
#endif
}
static inline int zmm_lbit(size_t x)
{
#if defined(__GNUC__)
    return __builtin_ctzll((unsigned long long)x);
#else
    int n = 0;
    while (!(x & 1)) { x >>= 1; n++; }
    return n;
#endif
}

static inline bool zmm_is_small(const zmm_heap *h, size_t ts) { return ts < h->max_small; }
static inline int  zmm_bucket(const zmm_heap *h, size_t ts)
{
    return (int)((ts >> 3) - (h->min_hdr >> 3));
}
/* 0 on overflow */
static inline size_t zmm_ts(const zmm_heap *h, size_t n)
{
    if (n < h->min_size) return h->min_hdr;
    if (n > SIZE_MAX - h->hdr - h->end_magic - ZMM_ALIGNMENT) return 0;
    return ZMM_ALIGN(n + h->hdr + h->end_magic);
}

/* Write a block's header and the boundary tag in the next block (ZEND_MM_BLOCK). */
static inline void zmm_write_block(zmm_heap *h, char *b, size_t size, size_t type)
{
    BLK_SIZE_RAW(b) = size | type;
    BLK_PREV_RAW(b + size) = size | type;
    if (h->cookie_off >= 0) *(size_t *)(b + h->cookie_off) = (size_t)(uintptr_t)b ^ h->cookie_key;
}
static inline void zmm_write_guard(zmm_heap *h, char *b)
{
    BLK_SIZE_RAW(b) = h->hdr | ZMM_GUARD;
    if (h->cookie_off >= 0) *(size_t *)(b + h->cookie_off) = (size_t)(uintptr_t)b ^ h->cookie_key;
    if (h->magic_off >= 0) *(uint32_t *)(b + h->magic_off) = ZMM_MAGIC_GUARD;
}
static inline bool zmm_cookie_ok(const zmm_heap *h, const char *b)
{
    return h->cookie_off < 0 || *(const size_t *)(b + h->cookie_off) == ((size_t)(uintptr_t)b ^ h->cookie_key);
}
static inline void zmm_set_magic(zmm_heap *h, char *b, uint32_t m)
{
    if (h->magic_off >= 0) *(uint32_t *)(b + h->magic_off) = m;
}

/* ---- the small-block cache (LIFO per bucket, linked through prev) ---- */
/* Pop a cached block of true size ts (small); NULL when the list is empty. */
static inline char *zmm_cache_pop(zmm_heap *h, size_t ts)
{
    int i = zmm_bucket(h, ts);
    char *b = h->cache[i];
    if (!b) return NULL;
    h->cache[i] = FB_PREV(h, b);
    h->cached -= ts;
    h->cache_stat[i].count--;
    h->cache_stat[i].hit++;
    zmm_set_magic(h, b, ZMM_MAGIC_VALID);
    return b;
}

/* Push a small used block; the header stays USED, size is not decreased. */
static inline void zmm_cache_push(zmm_heap *h, char *b, size_t s)
{
    int i = zmm_bucket(h, s);
    FB_PREV(h, b) = h->cache[i];
    h->cache[i] = b;
    h->cached += s;
    zmm_set_magic(h, b, ZMM_MAGIC_CACHED);
    if (++h->cache_stat[i].count > h->cache_stat[i].max_count) {
        h->cache_stat[i].max_count = h->cache_stat[i].count;
    }
}

/* ---- layout.c ---- */
void zmm_layout_init(zmm_heap *h, bool cookies, bool protection);

/* ---- freelists.c ---- */
void  zmm_lists_init(zmm_heap *h);
void  zmm_add_free(zmm_heap *h, char *b);            /* bucket or trie, by size */
void  zmm_remove_free(zmm_heap *h, char *b);         /* from whatever holds it */
void  zmm_add_rest(zmm_heap *h, char *b);
char *zmm_search_large(zmm_heap *h, size_t ts);
char *zmm_search_rest(zmm_heap *h, size_t ts);
bool  zmm_free_block_ok(const zmm_heap *h, const char *b); /* cookie + linkage (safe unlinking) */

/* ---- segments.c ---- */
zmm_segment *zmm_segment_new(zmm_heap *h, size_t size);   /* NULL: storage failed */
void  zmm_segment_release(zmm_heap *h, zmm_segment *seg);
zmm_segment *zmm_segment_resize(zmm_heap *h, zmm_segment *seg, size_t size);
const zmm_seg_entry *zmm_segment_find(const zmm_heap *h, uintptr_t addr); /* O(log n) */
void  zmm_segments_release_all(zmm_heap *h);
bool  zmm_storage_attach(zmm_heap *h, zmm_storage *st);   /* make st current */
void  zmm_storages_compact_and_prune(zmm_heap *h, bool compact, size_t *released);
void  zmm_storages_destroy_all(zmm_heap *h);
size_t zmm_segment_size_for(const zmm_heap *h, size_t ts); /* 0 on overflow */

/* ---- alloc.c ---- */
void *zmm_alloc_int(zmm_heap *h, size_t size);
void  zmm_free_int(zmm_heap *h, void *p);
void *zmm_realloc_int(zmm_heap *h, void *p, size_t size);
void  zmm_release_block(zmm_heap *h, char *b, size_t s);  /* coalesce + list or release segment */

/* ---- error.c (zmm_error), protect.c (the rest) ---- */
void  zmm_error(zmm_heap *h, zmm_error_kind kind, const char *fmt, ...) ZMM_PRINTF(3, 4);
bool  zmm_protect_ok(zmm_heap *h, char *b);           /* canaries intact */
void  zmm_protect_set(zmm_heap *h, char *b, size_t requested);
size_t zmm_user_bytes(const zmm_heap *h, const char *b); /* bytes worth copying on a move */

#endif
