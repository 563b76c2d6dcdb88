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

/* round x up to a multiple of alignment a (a power of two) */
#define ZMM_ALIGN_TO(x, a) (((x) + ((a) - 1)) & ~(size_t)((a) - 1))

/* for the rare halves of the hot paths: kept out of line, so the hot half
 * needs no stack frame */
#if defined(__GNUC__)
# define ZMM_NOINLINE __attribute__((noinline))
#else
# define ZMM_NOINLINE
#endif

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
    /* the entry points' paths for this heap's options (zmm_select_paths) */
    void *(*malloc_fn)(zmm_heap *h, size_t size);
    bool  (*free_fn)(zmm_heap *h, void *p);
    void *(*realloc_fn)(zmm_heap *h, void *p, size_t size);   /* p: a live block */
    size_t cache_cap;    /* cache_size when the cache is on, else 0 */
    /* ---- layout of this heap's blocks (hot: one cache line) ---- */
    size_t align;        /* ZEND_MM_ALIGNMENT of this heap: 8 or 16 */
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
    bool   exact_fit;    /* large search: true best fit instead of 5.3's */
    bool   cache_stat;   /* the option: keep 5.3's cache statistics (the paths' S) */

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
    /* 5.3's cache_stat (ZEND_MM_CACHE_STAT), when cache_stat is on: one
     * array a field, indexed as cache[] is (ZMM_COUNTER_AT). Without the
     * cache the misses still count (the paths do not test cache_on), and
     * zmm_heap_stats reports them as 0, as 5.3 without the cache did. */
    size_t cache_count[ZMM_NUM_BUCKETS];
    size_t cache_max[ZMM_NUM_BUCKETS];
    size_t cache_hit[ZMM_NUM_BUCKETS];
    size_t cache_miss[ZMM_NUM_BUCKETS];
    size_t lists_hit, lists_miss;

    /* ---- not in 5.3 ---- */
    void *(*sys_malloc)(size_t);
    void  (*sys_free)(void *);
    void *(*sys_realloc)(void *, size_t);
    zmm_error_fn on_error;
    void        *error_ctx;
    zmm_live     live;             /* user pointer -> requested size */
    zmm_seg_entry *segs;           /* sorted by address */
    size_t       seg_count, seg_cap;
    /* zmm_heap_owns' memo (zendmm.h): per 64 KB window of addresses, a
     * segment that was found there (direct-mapped), so the engine heap's
     * frees skip the registry's binary search. Only live segments are ever
     * stored: emptied whenever a segment leaves the registry. */
    zmm_owns_memo owns_memo[ZMM_OWNS_MEMO_SLOTS];
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
/* a free block's size: its type bits are ZMM_FREE (0), so the word itself,
 * no mask (5.3's ZEND_MM_FREE_BLOCK_SIZE); for the trie's nodes */
#define FREE_BLK_SIZE(b) BLK_SIZE_RAW(b)

/* ---- the layout as the hot paths see it -------------------------------------
 * The paths every call takes are written once with a constant F and compiled
 * once per value (always inlined into an F = 0 and an F = 1 function):
 * F = 1 is the release layout with 5.3's compile-time constants (ZL_R_*
 * below: HDR 16, links at 16, MINHDR 32, MAX_SMALL 544, no cookie, magic,
 * canary or fill), F = 0 reads the heap's own layout. A heap takes the F = 1
 * paths when its options allow and its layout is exactly that one
 * (zmm_select_paths checks); both read and write the same blocks. */
/* 5.3's 64-bit release layout (fact sheet §1.3), derived as 5.3 derives it
 * (a word is a size_t or a pointer of the 64-bit builds, 8 bytes). */
#define ZL_R_WORD         ((size_t)8)
#define ZL_R_HDR          (2 * ZL_R_WORD)               /* ALIGNED_HEADER_SIZE: _size and _prev */
#define ZL_R_LINK         ZL_R_HDR                      /* a free block's prev/next follow the header */
#define ZL_R_MINHDR       (ZL_R_LINK + 2 * ZL_R_WORD)   /* ALIGNED_MIN_HEADER_SIZE: a small free block */
#define ZL_R_MINSIZE      (ZL_R_MINHDR - ZL_R_HDR)      /* ZEND_MM_MIN_SIZE: smaller requests get MINHDR */
#define ZL_R_MAXSMALL     ((size_t)ZMM_NUM_BUCKETS * ZMM_BUCKET_WIDTH + ZL_R_MINHDR)   /* ZEND_MM_MAX_SMALL_SIZE */
#define ZL_R_BUCKET_SHIFT 3                             /* log2 of ZMM_BUCKET_WIDTH */
_Static_assert(ZL_R_HDR == 16 && ZL_R_LINK == 16 && ZL_R_MINHDR == 32 && ZL_R_MINSIZE == 16 && ZL_R_MAXSMALL == 544,
               "the release layout of 5.3's 64-bit builds: HDR 16, links at 16, MINHDR 32, MIN_SIZE 16, MAX_SMALL 544");
_Static_assert(((size_t)1 << ZL_R_BUCKET_SHIFT) == ZMM_BUCKET_WIDTH, "buckets are 8 bytes apart");

#define ZL_HDR(h, F)      ((F) ? ZL_R_HDR : (h)->hdr)
#define ZL_LINK(h, F)     ((F) ? ZL_R_LINK : (h)->link_off)
#define ZL_MINHDR(h, F)   ((F) ? ZL_R_MINHDR : (h)->min_hdr)
#define ZL_MAXSMALL(h, F) ((F) ? ZL_R_MAXSMALL : (h)->max_small)
#define ZL_COOKIE(h, F)   (!(F) && (h)->cookie_off >= 0)
#define ZL_MAGIC(h, F)    (!(F) && (h)->magic_off >= 0)

#define FBL_PREV(h, F, b)     (*(char **)((b) + ZL_LINK(h, F)))
#define FBL_NEXT(h, F, b)     (*(char **)((b) + ZL_LINK(h, F) + sizeof(char *)))
#define FBL_PARENT(h, F, b)   (*(char ***)((b) + ZL_LINK(h, F) + 2 * sizeof(char *)))
#define FBL_CHILD(h, F, b, i) (((char **)((b) + ZL_LINK(h, F) + 3 * sizeof(char *)))[i])
#define SMALL_SENTINEL_L(h, F, i) ((char *)&(h)->free_buckets[(i) * 2] - ZL_LINK(h, F))
/* the same for the bucket of small true size ts (a multiple of 8): its two
 * slots are 16 bytes per 8 of size, so the size finds them without a shift */
#define SMALL_SENTINEL_OF_L(h, F, ts) ((char *)(h)->free_buckets + 2 * ((ts) - ZL_MINHDR(h, F)) - ZL_LINK(h, F))

#define FB_PREV(h, b)     FBL_PREV(h, 0, b)
#define FB_NEXT(h, b)     FBL_NEXT(h, 0, b)
#define FB_PARENT(h, b)   FBL_PARENT(h, 0, b)
#define FB_CHILD(h, b, i) FBL_CHILD(h, 0, b, i)

#define SMALL_SENTINEL(h, i) SMALL_SENTINEL_L(h, 0, i)
#define REST_SENTINEL(h)     ((char *)&(h)->rest_buckets[0] - (h)->link_off)

/* index of the most / least significant set bit of x != 0 (bsr / bsf) */
static inline int zmm_hbit(size_t x)
{
#if defined(__GNUC__)
    /* 63 ^ clz, not 63 - clz: the same for 0..63, and gcc makes it one bsr */
    return (int)(sizeof(size_t) * 8 - 1) ^ __builtin_clzll((unsigned long long)x);
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

static inline bool zmm_is_small_l(const zmm_heap *h, bool F, size_t ts) { return ts < ZL_MAXSMALL(h, F); }
static inline bool zmm_is_small(const zmm_heap *h, size_t ts) { return zmm_is_small_l(h, 0, ts); }
/* Buckets are ZMM_BUCKET_WIDTH (8) bytes apart at every alignment; a heap
 * aligned to 16 leaves the odd ones empty. */
static inline int  zmm_bucket_l(const zmm_heap *h, bool F, size_t ts)
{
    return (int)((ts >> ZL_R_BUCKET_SHIFT) - (ZL_MINHDR(h, F) >> ZL_R_BUCKET_SHIFT));
}
static inline int  zmm_bucket(const zmm_heap *h, size_t ts) { return zmm_bucket_l(h, 0, ts); }
/* 0 on overflow */
static inline size_t zmm_ts(const zmm_heap *h, size_t n)
{
    if (n < h->min_size) return h->min_hdr;
    if (n > SIZE_MAX - h->hdr - h->end_magic - h->align) return 0;
    return ZMM_ALIGN_TO(n + h->hdr + h->end_magic, h->align);
}

/* Write a block's header and the boundary tag in the next block (ZEND_MM_BLOCK). */
static inline ZMM_ALWAYS_INLINE void zmm_write_block_l(zmm_heap *h, bool F, char *b, size_t size, size_t type)
{
    BLK_SIZE_RAW(b) = size | type;
    BLK_PREV_RAW(b + size) = size | type;
    if (ZL_COOKIE(h, F)) *(size_t *)(b + h->cookie_off) = (size_t)(uintptr_t)b ^ h->cookie_key;
}
static inline void zmm_write_block(zmm_heap *h, char *b, size_t size, size_t type)
{
    zmm_write_block_l(h, 0, b, size, type);
}
static inline void zmm_write_guard(zmm_heap *h, char *b)
{
    BLK_SIZE_RAW(b) = h->hdr | ZMM_GUARD;
    if (h->cookie_off >= 0) *(size_t *)(b + h->cookie_off) = (size_t)(uintptr_t)b ^ h->cookie_key;
    if (h->magic_off >= 0) *(uint32_t *)(b + h->magic_off) = ZMM_MAGIC_GUARD;
}
static inline bool zmm_cookie_ok_l(const zmm_heap *h, bool F, const char *b)
{
    return !ZL_COOKIE(h, F) || *(const size_t *)(b + h->cookie_off) == ((size_t)(uintptr_t)b ^ h->cookie_key);
}
static inline bool zmm_cookie_ok(const zmm_heap *h, const char *b) { return zmm_cookie_ok_l(h, 0, b); }
static inline ZMM_ALWAYS_INLINE void zmm_set_magic_l(zmm_heap *h, bool F, char *b, uint32_t m)
{
    if (ZL_MAGIC(h, F)) *(uint32_t *)(b + h->magic_off) = m;
}
static inline void zmm_set_magic(zmm_heap *h, char *b, uint32_t m) { zmm_set_magic_l(h, 0, b, m); }

/* ---- the small-block cache (LIFO per bucket, linked through prev) ----
 * S: count the statistics (h->cache_stat), a constant where the release
 * paths are compiled once per value, h->cache_stat elsewhere.
 *
 * The cache list and the statistics of the bucket of small true size ts (a
 * multiple of 8) are the entries at byte offset ts - MINHDR of their arrays:
 * entries are 8 bytes, as are the buckets' steps, so the hot paths index them
 * with the size itself, no shift. */
_Static_assert(sizeof(char *) == ZMM_BUCKET_WIDTH && sizeof(size_t) == ZMM_BUCKET_WIDTH,
               "a cache entry and a statistics counter are one bucket step wide");
#define ZMM_CACHE_AT(h, off)  (*(char **)((char *)(h)->cache + (off)))
#define ZMM_COUNTER_AT(a, off) (*(size_t *)((char *)(a) + (off)))
static inline size_t zmm_bucket_off_l(const zmm_heap *h, bool F, size_t ts) { return ts - ZL_MINHDR(h, F); }

/* Pop the head of the cache list at offset off (non-empty), a block of true size ts. */
static inline ZMM_ALWAYS_INLINE char *zmm_cache_take_l(zmm_heap *h, bool F, bool S, size_t off, size_t ts)
{
    char *b = ZMM_CACHE_AT(h, off);
    ZMM_CACHE_AT(h, off) = FBL_PREV(h, F, b);
    h->cached -= ts;
    if (S) {
        ZMM_COUNTER_AT(h->cache_count, off)--;
        ZMM_COUNTER_AT(h->cache_hit, off)++;
    }
    zmm_set_magic_l(h, F, b, ZMM_MAGIC_VALID);
    return b;
}
/* Pop a cached block of true size ts (small); NULL when the list is empty. */
static inline char *zmm_cache_pop(zmm_heap *h, size_t ts)
{
    size_t off = zmm_bucket_off_l(h, 0, ts);
    return ZMM_CACHE_AT(h, off) ? zmm_cache_take_l(h, 0, h->cache_stat, off, ts) : NULL;
}

/* Push a small used block; the header stays USED, size is not decreased. */
static inline ZMM_ALWAYS_INLINE void zmm_cache_push_l(zmm_heap *h, bool F, bool S, char *b, size_t s)
{
    size_t off = zmm_bucket_off_l(h, F, s);
    FBL_PREV(h, F, b) = ZMM_CACHE_AT(h, off);
    ZMM_CACHE_AT(h, off) = b;
    h->cached += s;
    zmm_set_magic_l(h, F, b, ZMM_MAGIC_CACHED);
    if (S && ++ZMM_COUNTER_AT(h->cache_count, off) > ZMM_COUNTER_AT(h->cache_max, off)) {
        ZMM_COUNTER_AT(h->cache_max, off) = ZMM_COUNTER_AT(h->cache_count, off);
    }
}
static inline void zmm_cache_push(zmm_heap *h, char *b, size_t s) { zmm_cache_push_l(h, 0, h->cache_stat, b, s); }

/* ---- free lists: the ring operations, inlined into both layouts' paths ---- */
static inline ZMM_ALWAYS_INLINE void zmm_ring_unlink_l(zmm_heap *h, bool F, char *b)
{
    char *p = FBL_PREV(h, F, b), *n = FBL_NEXT(h, F, b);
    FBL_NEXT(h, F, p) = n;
    FBL_PREV(h, F, n) = p;
}

/* Free block b (size bytes, trie k, child links already NULL) into trie k,
 * whose root is node (non-NULL): below the root each level consumes the next
 * lower bit of the size; an equal size joins that node's ring and stays out
 * of the tree. Inline where a caller would otherwise need to call it. */
static inline ZMM_ALWAYS_INLINE void zmm_trie_insert_below_l(zmm_heap *h, bool F, char *b, size_t size, size_t k,
                                                             char *node)
{
    size_t m = size << (ZMM_NUM_BUCKETS - k);
    for (;;) {
        if (FREE_BLK_SIZE(node) == size) {
            char *n = FBL_NEXT(h, F, node);
            FBL_PREV(h, F, b) = node;
            FBL_NEXT(h, F, b) = n;
            FBL_PREV(h, F, n) = b;
            FBL_NEXT(h, F, node) = b;
            FBL_PARENT(h, F, b) = NULL;
            return;
        }
        char **slot = &FBL_CHILD(h, F, node, m >> (ZMM_NUM_BUCKETS - 1));
        m <<= 1;
        if (!*slot) {
            *slot = b;
            FBL_PARENT(h, F, b) = slot;
            FBL_PREV(h, F, b) = FBL_NEXT(h, F, b) = b;
            return;
        }
        node = *slot;
    }
}

/* A free large block off its trie (or the rest list): its node taken by
 * its oldest twin, or by its deepest rightmost leaf. Inline where a caller
 * would otherwise need a stack frame around the call. */
static inline ZMM_ALWAYS_INLINE void zmm_trie_replace_l(zmm_heap *h, bool F, char *old, char *repl)
{
    char **parent = FBL_PARENT(h, F, old);
    *parent = repl;
    FBL_PARENT(h, F, repl) = parent;
    for (int i = 0; i < 2; i++) {
        char *c = FBL_CHILD(h, F, old, i);
        FBL_CHILD(h, F, repl, i) = c;
        if (c) FBL_PARENT(h, F, c) = &FBL_CHILD(h, F, repl, i);
    }
}

static inline ZMM_ALWAYS_INLINE void zmm_trie_remove_l(zmm_heap *h, bool F, char *b, size_t size)
{
    char **parent = FBL_PARENT(h, F, b);
    if (parent == ZMM_REST_MARK) {            /* a large block on the rest list */
        zmm_ring_unlink_l(h, F, b);
        h->rest_count--;
        return;
    }
    if (FBL_PREV(h, F, b) != b) {             /* it has equal-size twins */
        /* as in 5.3, the twin before it in the ring (the oldest) takes the
         * node's place: the order decides which twin a search hands out */
        char *twin = FBL_PREV(h, F, b);
        zmm_ring_unlink_l(h, F, b);
        if (parent) zmm_trie_replace_l(h, F, b, twin);
        return;
    }
    /* a lone tree node: move its deepest rightmost leaf into its place */
    char **rp = FBL_CHILD(h, F, b, 1) ? &FBL_CHILD(h, F, b, 1) : &FBL_CHILD(h, F, b, 0);
    char *r = *rp;
    if (!r) {
        *parent = NULL;
        size_t k = (size_t)zmm_hbit(size);
        if (parent == &h->large_free_buckets[k]) h->large_free_bitmap &= ~((size_t)1 << k);
        return;
    }
    for (;;) {
        char **next = FBL_CHILD(h, F, r, 1) ? &FBL_CHILD(h, F, r, 1) : &FBL_CHILD(h, F, r, 0);
        if (!*next) break;
        rp = next;
        r = *rp;
    }
    *rp = NULL;
    zmm_trie_replace_l(h, F, b, r);
}

/* trie operations of the general layout, and the search of both (freelists.c); the
 * release layout inlines its insertion and removal */
void  zmm_trie_insert_g(zmm_heap *h, char *b, size_t size);
void  zmm_trie_remove_g(zmm_heap *h, char *b, size_t size);
char *zmm_search_large_g(zmm_heap *h, size_t ts);
char *zmm_search_large_r(zmm_heap *h, size_t ts);

/* The large-block search, a best fit (fact sheet 2.4) in two walks. The first
 * follows the wanted size's own bits down its power of two's trie, keeping the
 * smallest node that fits and the deepest child[1] subtree hanging off a 0 bit
 * (every size in it is bigger); the second scans that subtree, or, when the
 * trie gave nothing, the next non-empty trie above. How the second walk steps
 * is the only difference between the two modes:
 *   5.3 (default)  child[child[0] != NULL]: child[1] while child[0] exists,
 *                  so it stops at the first node without child[0] and may
 *                  miss the smallest block (every node it sees does fit);
 *   exact_fit      child[0] if present, else child[1]: the leftmost path,
 *                  which holds the minimum of a bitwise trie (DEPARTURE,
 *                  by option only).
 * Inlined with a constant mode into one function per mode and layout, so
 * the option is tested once, outside the loops; the release layout's
 * allocation path has 5.3's mode inlined. */
static inline ZMM_ALWAYS_INLINE char *zmm_scan_step(zmm_heap *h, bool F, char *t, bool exact)
{
    if (exact) return FBL_CHILD(h, F, t, 0) ? FBL_CHILD(h, F, t, 0) : FBL_CHILD(h, F, t, 1);
    return FBL_CHILD(h, F, t, FBL_CHILD(h, F, t, 0) != NULL);
}

static inline ZMM_ALWAYS_INLINE char *zmm_search_large(zmm_heap *h, bool F, size_t ts, bool exact)
{
    int k = zmm_hbit(ts);
    size_t bitmap = h->large_free_bitmap >> k;
    if (!bitmap) return NULL;
    if (bitmap & 1) {
        char *p = h->large_free_buckets[k];
        char *best = NULL, *rst = NULL;
        size_t best_size = SIZE_MAX;
        size_t m = ts << (ZMM_NUM_BUCKETS - k);
        while (p) {
            size_t s = FREE_BLK_SIZE(p);
            if (s == ts) return FBL_NEXT(h, F, p);
            if (s > ts && s < best_size) { best = p; best_size = s; }
            int bit = (int)(m >> (ZMM_NUM_BUCKETS - 1));
            /* where the wanted size has a 0, everything under child[1] is bigger */
            if (!bit && FBL_CHILD(h, F, p, 1)) rst = FBL_CHILD(h, F, p, 1);
            p = FBL_CHILD(h, F, p, bit);
            m <<= 1;
        }
        for (p = rst; p; p = zmm_scan_step(h, F, p, exact)) {
            size_t s = FREE_BLK_SIZE(p);
            if (s < best_size) { best = p; best_size = s; }
        }
        if (best) return FBL_NEXT(h, F, best);
        bitmap >>= 1;
        if (!bitmap) return NULL;
        k++;
    }
    /* every block of the next non-empty trie is big enough: its smallest on the walk */
    char *best = h->large_free_buckets[k + zmm_lbit(bitmap)];
    for (char *p = zmm_scan_step(h, F, best, exact); p; p = zmm_scan_step(h, F, p, exact)) {
        if (FREE_BLK_SIZE(p) < FREE_BLK_SIZE(best)) best = p;
    }
    return FBL_NEXT(h, F, best);
}

/* A free small block into its bucket, the newest right after the sentinel. */
static inline ZMM_ALWAYS_INLINE void zmm_add_small_l(zmm_heap *h, bool F, char *b, size_t size)
{
    char *s = SMALL_SENTINEL_OF_L(h, F, size);
    char *n = FBL_NEXT(h, F, s);
    FBL_PREV(h, F, b) = s;
    FBL_NEXT(h, F, b) = n;
    FBL_PREV(h, F, n) = b;
    FBL_NEXT(h, F, s) = b;
    h->free_bitmap |= (size_t)1 << zmm_bucket_l(h, F, size);
}

/* A free block into its small bucket (newest right after the sentinel) or the trie. */
static inline ZMM_ALWAYS_INLINE void zmm_add_free_l(zmm_heap *h, bool F, char *b, size_t size)
{
    ZMM_ASSERT(BLK_IS_FREE(b) && BLK_SIZE(b) == size && size >= h->min_hdr && BLK_PREV_RAW(b + size) == BLK_SIZE_RAW(b));
    zmm_set_magic_l(h, F, b, ZMM_MAGIC_FREED);
    if (zmm_is_small_l(h, F, size)) {
        zmm_add_small_l(h, F, b, size);
        return;
    }
    size_t k = (size_t)zmm_hbit(size);
    char **root = &h->large_free_buckets[k];
    if (!*root) {                         /* an empty trie: the block becomes its root */
        *root = b;
        FBL_PARENT(h, F, b) = root;
        FBL_CHILD(h, F, b, 0) = FBL_CHILD(h, F, b, 1) = NULL;
        FBL_PREV(h, F, b) = FBL_NEXT(h, F, b) = b;
        h->large_free_bitmap |= (size_t)1 << k;
    } else if (F) {
        FBL_CHILD(h, F, b, 0) = FBL_CHILD(h, F, b, 1) = NULL;   /* inline: no call in the release paths */
        zmm_trie_insert_below_l(h, F, b, size, k, *root);
    } else {
        zmm_trie_insert_g(h, b, size);
    }
}

/* Is b (large, free, of trie k) the only block of that trie: its root, with
 * no children and no equal-size twins? Then taking it out empties the trie. */
static inline ZMM_ALWAYS_INLINE bool zmm_trie_lone_l(zmm_heap *h, bool F, char *b, char **root)
{
    return FBL_PARENT(h, F, b) == root && FBL_PREV(h, F, b) == b && !FBL_CHILD(h, F, b, 0) &&
           !FBL_CHILD(h, F, b, 1);
}

/* Make free block b the only block of trie k (root at *root): the fields an
 * insertion into the empty trie writes, without touching the bitmap, whose
 * bit k the caller knows is set. */
static inline ZMM_ALWAYS_INLINE void zmm_trie_set_lone_l(zmm_heap *h, bool F, char *b, char **root)
{
    *root = b;
    FBL_PARENT(h, F, b) = root;
    FBL_CHILD(h, F, b, 0) = FBL_CHILD(h, F, b, 1) = NULL;
    FBL_PREV(h, F, b) = FBL_NEXT(h, F, b) = b;
}

/* A free block of this size off whatever list holds it. */
static inline ZMM_ALWAYS_INLINE void zmm_remove_free_l(zmm_heap *h, bool F, char *b, size_t size)
{
    ZMM_ASSERT(BLK_IS_FREE(b) && BLK_SIZE(b) == size);
    if (zmm_is_small_l(h, F, size)) {
        zmm_ring_unlink_l(h, F, b);
        /* DEPARTURE: 5.3 tested prev == next here, which could clear the bit
         * of a one-block bucket when the removed block sat on the rest list.
         * Testing the bucket itself cannot be fooled. */
        char *s = SMALL_SENTINEL_OF_L(h, F, size);
        if (FBL_PREV(h, F, s) == s) h->free_bitmap &= ~((size_t)1 << zmm_bucket_l(h, F, size));
        return;
    }
    size_t k = (size_t)zmm_hbit(size);
    char **root = &h->large_free_buckets[k];
    if (zmm_trie_lone_l(h, F, b, root)) {
        *root = NULL;                     /* the only block of its trie */
        h->large_free_bitmap &= ~((size_t)1 << k);
    } else if (F) {
        zmm_trie_remove_l(h, 1, b, size);   /* inline: the release paths save no frame for it */
    } else {
        zmm_trie_remove_g(h, b, size);
    }
}

/* SAFE_UNLINKING: the block's boundary tags agree with both neighbours and its
 * cookie is intact. Run on a candidate before it is taken from a list. */
static inline ZMM_ALWAYS_INLINE bool zmm_free_block_ok_l(const zmm_heap *h, bool F, const char *b)
{
    if (!zmm_cookie_ok_l(h, F, b)) return false;
    if (BLK_SIZE_RAW(b) != BLK_PREV_RAW(BLK_NEXT(b))) return false;
    if (!BLK_IS_FIRST(b) && BLK_SIZE_RAW(BLK_PREV(b)) != BLK_PREV_RAW(b)) return false;
    return true;
}

/* ---- config.c ---- */
size_t zmm_config_alignment(const zmm_config *cfg);       /* 0 means the default */

/* ---- layout.c ---- */
void zmm_layout_init(zmm_heap *h, bool cookies, bool protection, size_t alignment);

/* ---- freelists.c ---- */
void  zmm_lists_init(zmm_heap *h);
void  zmm_add_free(zmm_heap *h, char *b);            /* bucket or trie, by size */
void  zmm_remove_free(zmm_heap *h, char *b);         /* from whatever holds it */
void  zmm_add_rest(zmm_heap *h, char *b);
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
/* the release layout's paths below the cache: the free lists or a new segment
 * for true size ts (the caller counted a cache miss); a block that was not
 * cached (size not yet reduced) */
void *zmm_alloc_lists_r(zmm_heap *h, size_t size, size_t ts);
void *zmm_alloc_lists_rs(zmm_heap *h, size_t size, size_t ts);   /* the same, counting cache_stat */
/* the one of the two for this heap; S: h->cache_stat, or a constant */
static inline ZMM_ALWAYS_INLINE void *zmm_alloc_lists_for(zmm_heap *h, size_t size, size_t ts, bool S)
{
    return S ? zmm_alloc_lists_rs(h, size, ts) : zmm_alloc_lists_r(h, size, ts);
}
bool  zmm_free_block_r(zmm_heap *h, char *b, size_t s);   /* true, so a free can end in it */
void *zmm_realloc_r(zmm_heap *h, void *p, size_t size, size_t ts);
void *zmm_realloc_int(zmm_heap *h, void *p, size_t size);
void  zmm_release_block(zmm_heap *h, char *b, size_t s);  /* coalesce + list or release segment */

/* ---- api.c ---- */
void  zmm_select_paths(zmm_heap *h);                  /* after the options are set */

/* ---- error.c (zmm_error), protect.c (the rest) ---- */
void  zmm_error(zmm_heap *h, zmm_error_kind kind, const char *fmt, ...) ZMM_PRINTF(3, 4);
bool  zmm_protect_ok(zmm_heap *h, char *b);           /* canaries intact */
void  zmm_protect_set(zmm_heap *h, char *b, size_t requested);
size_t zmm_user_bytes(const zmm_heap *h, const char *b); /* bytes worth copying on a move */

#endif
