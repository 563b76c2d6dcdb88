/*
 * api.c - the public allocation entry points: pointer validation through
 * the live-block index, protection canaries, the pass-through mode
 * (use_zend_alloc = 0), and the calloc/safe/strdup helpers.
 */
#include "internal.h"

static void *invalid_ptr(zmm_heap *h, const void *p)
{
    zmm_error(h, ZMM_ERR_INVALID_PTR, "Invalid pointer %p: not a live block of this heap", p);
    return NULL;
}

static void *oom(zmm_heap *h, size_t size)
{
    zmm_error(h, ZMM_ERR_OOM, "Out of memory (allocated %zu) (tried to allocate %zu bytes)", h->real_size, size);
    return NULL;
}

/* Without the index, a weaker O(log n) test: inside a segment, aligned, and
 * boundary tags that agree with both neighbours. */
static bool plausible_block(const zmm_heap *h, const void *ptr)
{
    uintptr_t p = (uintptr_t)ptr;
    const zmm_seg_entry *e = zmm_segment_find(h, p);
    if (!e || (p & (h->align - 1))) return false;
    uintptr_t first = (uintptr_t)e->seg + ZMM_SEG_HDR, end = (uintptr_t)e->seg + e->size - h->hdr;
    if (p < first + h->hdr) return false;
    const char *b = (const char *)(p - h->hdr);
    if (BLK_TYPE(b) != ZMM_USED) return false;
    size_t s = BLK_SIZE(b);
    if (s < h->min_hdr || s > end - (uintptr_t)b) return false;
    if (BLK_PREV_RAW(b + s) != BLK_SIZE_RAW(b)) return false;
    if (BLK_IS_FIRST(b)) return (uintptr_t)b == first;
    size_t ps = BLK_PREV_RAW(b) & ~ZMM_TYPE_MASK;
    if (ps > (uintptr_t)b - first) return false;
    return BLK_SIZE_RAW(b - ps) == BLK_PREV_RAW(b);
}

bool zmm_is_live(const zmm_heap *h, const void *ptr)
{
    if (!ptr) return false;
    if (h->track) return zmm_live_get(&h->live, (uintptr_t)ptr) != NULL;
    if (h->reserve == ptr) return false;
    if (!plausible_block(h, ptr)) return false;
    /* a cached block still looks USED: walk the one small cache list */
    const char *b = (const char *)ptr - h->hdr;
    if (h->cache_on && zmm_is_small(h, BLK_SIZE(b))) {
        for (const char *c = h->cache[zmm_bucket(h, BLK_SIZE(b))]; c; c = FB_PREV(h, c)) {
            if (c == b) return false;
        }
    }
    return true;
}

bool zmm_live_usable(const zmm_heap *h, const void *ptr, size_t *usable)
{
    if (h->track) {
        const size_t *req = ptr ? zmm_live_get(&h->live, (uintptr_t)ptr) : NULL;
        if (req) *usable = *req;
        return req != NULL;
    }
    if (!zmm_is_live(h, ptr)) return false;
    *usable = zmm_user_bytes(h, (const char *)ptr - h->hdr);
    return true;
}

size_t zmm_usable_size(const zmm_heap *h, const void *ptr)
{
    size_t usable;
    return zmm_live_usable(h, ptr, &usable) ? usable : 0;
}

size_t zmm_block_size(const zmm_heap *h, const void *ptr)
{
    if (!h->use_zend_alloc || !zmm_is_live(h, ptr)) return 0;
    const char *b = (const char *)ptr - h->hdr;
    return h->protect ? zmm_user_bytes(h, b) : BLK_SIZE(b);
}

void *zmm_block_header(const zmm_heap *h, void *ptr) { return (char *)ptr - h->hdr; }

/* ---- pass-through (use_zend_alloc = 0): the index is the only record ---- */
static void *sys_alloc(zmm_heap *h, size_t size)
{
    if (!zmm_live_reserve(&h->live)) return oom(h, size);
    void *p = h->sys_malloc(size ? size : 1);
    if (!p) return oom(h, size);
    zmm_live_put(&h->live, (uintptr_t)p, size);
    return p;
}

static void *sys_realloc(zmm_heap *h, void *p, size_t size)
{
    if (!zmm_live_reserve(&h->live)) return oom(h, size);
    void *n = h->sys_realloc(p, size ? size : 1);
    if (!n) return oom(h, size);
    zmm_live_remove(&h->live, (uintptr_t)p);
    zmm_live_put(&h->live, (uintptr_t)n, size);
    return n;
}

/* ---- entry points ----
 * zmm_malloc and zmm_free jump through the heap's own paths, chosen once
 * when the heap is made: the general ones below, or, for a heap with the
 * release layout (no cookies, protection or fill), copies specialised for
 * its alignment and for block tracking, with 5.3's constants compiled in. */
static void *malloc_general(zmm_heap *h, size_t size)
{
    if (!h->use_zend_alloc) return sys_alloc(h, size);
    if (h->track && !zmm_live_reserve(&h->live)) return oom(h, size);
    void *p = NULL;
    size_t ts = zmm_ts(h, size);
    if (h->cache_on && ts && zmm_is_small(h, ts)) {
        char *b = zmm_cache_pop(h, ts);
        if (b) p = b + h->hdr;
    }
    if (!p && !(p = zmm_alloc_int(h, size))) return NULL;
    if (h->protect) zmm_protect_set(h, (char *)p - h->hdr, size);
    if (h->track) zmm_live_put(&h->live, (uintptr_t)p, size);
    return p;
}

/* Tracked heaps: removing the pointer from the index is the check. */
static bool free_general(zmm_heap *h, void *p)
{
    if (!p) return true;
    if (h->track) {
        if (!zmm_live_remove(&h->live, (uintptr_t)p)) {
            invalid_ptr(h, p);
            return false;
        }
        if (!h->use_zend_alloc) {
            h->sys_free(p);
            return true;
        }
    }
    zmm_free_int(h, p);
    return true;
}

/* The release layout (ZL_R_*), alignment A (8 or 16), tracking T: HDR,
 * MINHDR and MAX_SMALL are the same at both alignments, only the rounding
 * differs. */
static inline ZMM_ALWAYS_INLINE size_t release_ts(size_t size, size_t A)   /* ZEND_MM_TRUE_SIZE */
{
    return size < ZL_R_MINSIZE ? ZL_R_MINHDR : ZMM_ALIGN_TO(size + ZL_R_HDR, A);
}
/* the largest request whose true size is small: every size up to it rounds
 * to below MAX_SMALL, the next one to MAX_SMALL itself */
#define RELEASE_SMALL_REQUEST_MAX(A) (ZL_R_MAXSMALL - ZL_R_HDR - (A))
_Static_assert(ZMM_ALIGN_TO(RELEASE_SMALL_REQUEST_MAX(8) + ZL_R_HDR, 8) < ZL_R_MAXSMALL &&
               ZMM_ALIGN_TO(RELEASE_SMALL_REQUEST_MAX(8) + 1 + ZL_R_HDR, 8) == ZL_R_MAXSMALL &&
               ZMM_ALIGN_TO(RELEASE_SMALL_REQUEST_MAX(16) + ZL_R_HDR, 16) < ZL_R_MAXSMALL &&
               ZMM_ALIGN_TO(RELEASE_SMALL_REQUEST_MAX(16) + 1 + ZL_R_HDR, 16) == ZL_R_MAXSMALL,
               "RELEASE_SMALL_REQUEST_MAX is the small/large boundary (520 at alignment 8, 512 at 16)");
_Static_assert(RELEASE_SMALL_REQUEST_MAX(8) == 520, "5.3's largest small request (fact sheet §1.3)");

/* The halves of a tracked allocation that call and return, out of line so
 * a cache hit needs no stack frame: the index's growth (then the heap's own
 * entry again, with room), and the free lists below the cache. */
static ZMM_NOINLINE void *malloc_r_grow(zmm_heap *h, size_t size)
{
    if (!zmm_live_grow(&h->live)) return oom(h, size);
    return h->malloc_fn(h, size);
}
static inline ZMM_ALWAYS_INLINE void *lists_tracked(zmm_heap *h, size_t size, size_t ts, bool S)
{
    void *p = zmm_alloc_lists_for(h, size, ts, S);
    if (p) zmm_live_put(&h->live, (uintptr_t)p, size);
    return p;
}
static ZMM_NOINLINE void *malloc_r_lists_tracked(zmm_heap *h, size_t size, size_t ts)
{
    return lists_tracked(h, size, ts, false);
}
static ZMM_NOINLINE void *malloc_rs_lists_tracked(zmm_heap *h, size_t size, size_t ts)
{
    return lists_tracked(h, size, ts, true);
}

/* S: the heap counts the cache statistics (its cache_stat option) */
static inline ZMM_ALWAYS_INLINE void *malloc_release(zmm_heap *h, size_t size, size_t A, bool T, bool S)
{
    if (!T) {
        if (ZMM_LIKELY(size <= RELEASE_SMALL_REQUEST_MAX(A))) {
            size_t ts = release_ts(size, A), off = zmm_bucket_off_l(h, 1, ts);
            if (ZMM_LIKELY(ZMM_CACHE_AT(h, off) != NULL)) return zmm_cache_take_l(h, 1, S, off, ts) + ZL_R_HDR;
            if (S) ZMM_COUNTER_AT(h->cache_miss, off)++;
            return zmm_alloc_lists_for(h, size, ts, S);
        }
        if (size > SIZE_MAX - ZL_R_HDR - A) return oom(h, size);
        return zmm_alloc_lists_for(h, size, release_ts(size, A), S);
    }
    /* the same, with the index */
    if (h->live.count >= h->live.limit) return malloc_r_grow(h, size);   /* zmm_live_reserve */
    size_t ts;
    if (ZMM_LIKELY(size <= RELEASE_SMALL_REQUEST_MAX(A))) {
        ts = release_ts(size, A);
        size_t off = zmm_bucket_off_l(h, 1, ts);
        if (ZMM_LIKELY(ZMM_CACHE_AT(h, off) != NULL)) {
            void *p = zmm_cache_take_l(h, 1, S, off, ts) + ZL_R_HDR;
            zmm_live_put(&h->live, (uintptr_t)p, size);
            return p;
        }
        if (S) ZMM_COUNTER_AT(h->cache_miss, off)++;
    } else {
        if (size > SIZE_MAX - ZL_R_HDR - A) return oom(h, size);
        ts = release_ts(size, A);
    }
    return S ? malloc_rs_lists_tracked(h, size, ts) : malloc_r_lists_tracked(h, size, ts);
}

static inline ZMM_ALWAYS_INLINE bool free_release(zmm_heap *h, void *p, bool T, bool S);

/* the rare halves of a tracked free, out of line so the common one needs no
 * stack frame: a pointer the index does not hold, a removal inside a probe run */
static ZMM_NOINLINE bool free_invalid(zmm_heap *h, void *p)
{
    invalid_ptr(h, p);
    return false;
}
static ZMM_NOINLINE bool free_r_close_gap(zmm_heap *h, void *p, size_t i)
{
    zmm_live_close_gap(&h->live, i);
    return h->cache_stat ? free_release(h, p, false, true) : free_release(h, p, false, false);
}

static inline ZMM_ALWAYS_INLINE bool free_release(zmm_heap *h, void *p, bool T, bool S)
{
    if (!p) return true;
    if (T) {   /* zmm_live_remove, its rare halves tail-called */
        size_t i = zmm_live_find(&h->live, (uintptr_t)p);
        if (i == SIZE_MAX) return free_invalid(h, p);
        if (!zmm_live_take_at(&h->live, i)) return free_r_close_gap(h, p, i);
    }
    char *b = (char *)p - ZL_R_HDR;
    size_t s = BLK_SIZE(b);
    if (zmm_is_small_l(h, 1, s) && h->cached < h->cache_cap) {
        zmm_cache_push_l(h, 1, S, b, s);
        return true;
    }
    return zmm_free_block_r(h, b, s);
}

static void *realloc_general(zmm_heap *h, void *p, size_t size)
{
    if (!h->use_zend_alloc) return sys_realloc(h, p, size);
    if (h->track && !zmm_live_reserve(&h->live)) return oom(h, size);
    void *n = zmm_realloc_int(h, p, size);
    if (!n) return NULL;
    if (h->protect) zmm_protect_set(h, (char *)n - h->hdr, size);
    if (h->track) {
        if (n != p) zmm_live_remove(&h->live, (uintptr_t)p);
        zmm_live_put(&h->live, (uintptr_t)n, size);
    }
    return n;
}

static inline ZMM_ALWAYS_INLINE void *realloc_release(zmm_heap *h, void *p, size_t size, size_t A, bool T)
{
    if (T && !zmm_live_reserve(&h->live)) return oom(h, size);
    if (size > SIZE_MAX - ZL_R_HDR - A) return oom(h, size);
    void *n = zmm_realloc_r(h, p, size, release_ts(size, A));
    if (T && n) {
        if (n != p) zmm_live_remove(&h->live, (uintptr_t)p);
        zmm_live_put(&h->live, (uintptr_t)n, size);
    }
    return n;
}

/* one entry point per alignment (8, 16), tracking (t) and cache statistics (s) */
#define RELEASE_ENTRIES(SUFFIX, A, T, S)                                                                   \
    static void *malloc_r##SUFFIX(zmm_heap *h, size_t size) { return malloc_release(h, size, A, T, S); }
RELEASE_ENTRIES(8, 8, false, false)
RELEASE_ENTRIES(8s, 8, false, true)
RELEASE_ENTRIES(8t, 8, true, false)
RELEASE_ENTRIES(8ts, 8, true, true)
RELEASE_ENTRIES(16, 16, false, false)
RELEASE_ENTRIES(16s, 16, false, true)
RELEASE_ENTRIES(16t, 16, true, false)
RELEASE_ENTRIES(16ts, 16, true, true)
#undef RELEASE_ENTRIES
static void *realloc_r8(zmm_heap *h, void *p, size_t size) { return realloc_release(h, p, size, 8, false); }
static void *realloc_r16(zmm_heap *h, void *p, size_t size) { return realloc_release(h, p, size, 16, false); }
static void *realloc_r8_tracked(zmm_heap *h, void *p, size_t size) { return realloc_release(h, p, size, 8, true); }
static void *realloc_r16_tracked(zmm_heap *h, void *p, size_t size) { return realloc_release(h, p, size, 16, true); }
static bool free_r(zmm_heap *h, void *p) { return free_release(h, p, false, false); }
static bool free_rs(zmm_heap *h, void *p) { return free_release(h, p, false, true); }
static bool free_rt(zmm_heap *h, void *p) { return free_release(h, p, true, false); }
static bool free_rts(zmm_heap *h, void *p) { return free_release(h, p, true, true); }

/* Is h's layout exactly the one the release paths compile in (ZL_R_*)?
 * The options imply it (layout.c); this makes sure, once per heap, so a
 * layout that ever differed takes the general paths instead of misreading
 * its blocks. */
static bool layout_is_release(const zmm_heap *h)
{
    return h->hdr == ZL_R_HDR && h->link_off == ZL_R_LINK && h->min_hdr == ZL_R_MINHDR &&
           h->min_size == ZL_R_MINSIZE && h->max_small == ZL_R_MAXSMALL && h->end_magic == 0 &&
           h->cookie_off < 0 && h->magic_off < 0 && h->req_off < 0 && (h->align == 8 || h->align == 16);
}

void zmm_select_paths(zmm_heap *h)
{
    h->cache_cap = h->cache_on ? h->cache_size : 0;
    bool release = h->use_zend_alloc && !h->cookies && !h->protect && !h->fill && layout_is_release(h);
    if (!release) {
        h->malloc_fn = malloc_general;
        h->free_fn = free_general;
        h->realloc_fn = realloc_general;
        return;
    }
    /* [alignment 16][tracking][statistics] */
    static void *(*const mallocs[2][2][2])(zmm_heap *, size_t) = {
        { { malloc_r8, malloc_r8s }, { malloc_r8t, malloc_r8ts } },
        { { malloc_r16, malloc_r16s }, { malloc_r16t, malloc_r16ts } },
    };
    static bool (*const frees[2][2])(zmm_heap *, void *) = { { free_r, free_rs }, { free_rt, free_rts } };
    bool a16 = h->align == 16, t = h->track, s = h->cache_stat;
    h->malloc_fn = mallocs[a16][t][s];
    h->free_fn = frees[t][s];
    if (a16) h->realloc_fn = t ? realloc_r16_tracked : realloc_r16;
    else h->realloc_fn = t ? realloc_r8_tracked : realloc_r8;
}

void *zmm_malloc(zmm_heap *h, size_t size) { return h->malloc_fn(h, size); }

/* Trusting when the heap keeps no index (5.3's release behaviour); with the
 * index the removal itself is the check, so it costs nothing extra. */
void zmm_free(zmm_heap *h, void *p) { (void)h->free_fn(h, p); }

bool zmm_free_checked(zmm_heap *h, void *p)
{
    if (!h->track && p && !zmm_is_live(h, p)) {
        invalid_ptr(h, p);
        return false;
    }
    return h->free_fn(h, p);
}

void *zmm_realloc_checked(zmm_heap *h, void *p, size_t size)
{
    if (!p) return zmm_malloc(h, size);
    if (!zmm_is_live(h, p)) return invalid_ptr(h, p);
    return h->realloc_fn(h, p, size);
}

void *zmm_realloc(zmm_heap *h, void *p, size_t size)
{
    if (!p) return zmm_malloc(h, size);
    if (h->track) return zmm_realloc_checked(h, p, size);
    return h->realloc_fn(h, p, size);
}

bool zmm_safe_address(size_t nmemb, size_t size, size_t offset, size_t *result)
{
    size_t r;
#if defined(__GNUC__)
    if (__builtin_mul_overflow(nmemb, size, &r) || __builtin_add_overflow(r, offset, &r)) return false;
#else
    if (size && nmemb > SIZE_MAX / size) return false;
    r = nmemb * size;
    if (r > SIZE_MAX - offset) return false;
    r += offset;
#endif
    *result = r;
    return true;
}

static bool safe_size(zmm_heap *h, size_t nmemb, size_t size, size_t offset, size_t *out)
{
    if (zmm_safe_address(nmemb, size, offset, out)) return true;
    zmm_error(h, ZMM_ERR_OVERFLOW, "Possible integer overflow in memory allocation (%zu * %zu + %zu)",
              nmemb, size, offset);
    return false;
}

void *zmm_safe_malloc(zmm_heap *h, size_t nmemb, size_t size, size_t offset)
{
    size_t n;
    return safe_size(h, nmemb, size, offset, &n) ? zmm_malloc(h, n) : NULL;
}

void *zmm_safe_realloc(zmm_heap *h, void *p, size_t nmemb, size_t size, size_t offset)
{
    size_t n;
    return safe_size(h, nmemb, size, offset, &n) ? zmm_realloc(h, p, n) : NULL;
}

void *zmm_calloc(zmm_heap *h, size_t nmemb, size_t size)
{
    size_t n;
    if (!safe_size(h, nmemb, size, 0, &n)) return NULL;
    void *p = zmm_malloc(h, n);
    if (p) memset(p, 0, n);
    return p;
}

char *zmm_strndup(zmm_heap *h, const char *s, size_t length)
{
    size_t n;
    if (!safe_size(h, 1, length, 1, &n)) return NULL;
    char *p = zmm_malloc(h, n);
    if (!p) return NULL;
    memcpy(p, s, length);
    p[length] = '\0';
    return p;
}

char *zmm_strdup(zmm_heap *h, const char *s) { return zmm_strndup(h, s, strlen(s)); }
