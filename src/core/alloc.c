/*
 * alloc.c - the allocation paths of 5.3 (§3.1-3.3 of the fact sheet):
 * small requests try the cache, then the free buckets through the bitmap;
 * everything then tries the large trie, the rest list near the limit, and
 * finally a new segment. Frees go to the cache or coalesce with both
 * neighbours; a segment left with one free block goes back to its storage.
 *
 * These functions trust their pointer: api.c validates first.
 */
#include "internal.h"

static void *fail_limit(zmm_heap *h, size_t size)
{
    zmm_error(h, ZMM_ERR_LIMIT, "Allowed memory size of %zu bytes exhausted (tried to allocate %zu bytes)",
              h->limit, size);
    return NULL;
}

static void *fail_oom(zmm_heap *h, size_t size)
{
    zmm_error(h, ZMM_ERR_OOM, "Out of memory (allocated %zu) (tried to allocate %zu bytes)", h->real_size, size);
    return NULL;
}

static void *fail_corrupted(zmm_heap *h)
{
    zmm_error(h, ZMM_ERR_CORRUPTED, "zend_mm_heap corrupted");
    return NULL;
}

/* Hand out the first ts bytes of free block b of bsize bytes (already off
 * every list); a tail of at least MINHDR becomes a free block of its own. */
static inline ZMM_ALWAYS_INLINE char *split_used(zmm_heap *h, bool F, char *b, size_t bsize, size_t ts,
                                                 bool keep_rest)
{
    ZMM_ASSERT(BLK_IS_FREE(b) && BLK_SIZE(b) == bsize && ts <= bsize && !(ts & (h->align - 1)));
    size_t rem = bsize - ts;
    if (rem < ZL_MINHDR(h, F)) {
        ts = bsize;
        zmm_write_block_l(h, F, b, ts, ZMM_USED);
    } else {
        zmm_write_block_l(h, F, b, ts, ZMM_USED);
        char *tail = b + ts;
        zmm_write_block_l(h, F, tail, rem, ZMM_FREE);
        if (keep_rest) zmm_add_rest(h, tail);
        else zmm_add_free_l(h, F, tail, rem);
    }
    zmm_set_magic_l(h, F, b, ZMM_MAGIC_VALID);
    h->size += ts;
    if (h->size > h->peak) h->peak = h->size;
    return b;
}

/* A fresh segment holding one free block (first block + guard). NULL when
 * the limit (*why = ZMM_ERR_LIMIT) or the storage (ZMM_ERR_OOM) refuses. */
static char *segment_block(zmm_heap *h, size_t ts, bool *keep_rest, zmm_error_kind *why)
{
    size_t seg_size = zmm_segment_size_for(h, ts);
    *keep_rest = seg_size > h->block_size;
    if (!seg_size || h->real_size + seg_size > h->limit || h->real_size + seg_size < h->real_size) {
        *why = ZMM_ERR_LIMIT;
        return NULL;
    }
    zmm_segment *seg = zmm_segment_new(h, seg_size);
    if (!seg) {
        *why = ZMM_ERR_OOM;
        return NULL;
    }
    char *b = (char *)seg + ZMM_SEG_HDR;
    size_t bsize = seg_size - ZMM_SEG_HDR - h->hdr;
    BLK_PREV_RAW(b) = ZMM_GUARD;               /* first block of its segment */
    zmm_write_block(h, b, bsize, ZMM_FREE);
    zmm_write_guard(h, b + bsize);
    return b;
}

/* The free lists' candidate for ts (the oldest block of the first non-empty
 * bucket that fits, else the large search, else the rest list near the
 * limit); NULL when a new segment is needed. */
static inline ZMM_ALWAYS_INLINE char *find_free(zmm_heap *h, bool F, size_t ts)
{
    if (zmm_is_small_l(h, F, ts)) {
        size_t bitmap = h->free_bitmap >> zmm_bucket_l(h, F, ts);
        if (bitmap) {
            int i = zmm_bucket_l(h, F, ts) + zmm_lbit(bitmap);
            if (h->cache_stat) h->lists_hit++;
            return FBL_PREV(h, F, SMALL_SENTINEL_L(h, F, i));     /* the oldest: FIFO */
        }
    }
    if (h->cache_stat) h->lists_miss++;
    char *best;
    if (!F) best = zmm_search_large_g(h, ts);
    else if (ZMM_LIKELY(!h->exact_fit)) best = zmm_search_large(h, 1, ts, false);   /* the default, inline */
    else best = zmm_search_large_r(h, ts);
    if (!best && h->real_size >= (h->limit > h->block_size ? h->limit - h->block_size : 0)) {
        best = zmm_search_rest(h, ts);
    }
    return best;
}

/* Out of the free lists or a new segment: everything after the cache. */
static void *alloc_fresh(zmm_heap *h, size_t size, size_t ts)
{
    bool keep_rest = false;
    zmm_error_kind why = ZMM_OK;
    char *b = segment_block(h, ts, &keep_rest, &why);
    if (!b && h->cached) {
        /* DEPARTURE: 5.3 flushed the cache and then failed; a heap that
         * outlives the error retries once after the flush, as PHP 8 does
         * after zend_mm_gc(). */
        zmm_heap_flush_cache(h);
        b = find_free(h, 0, ts);
        if (b) {
            zmm_remove_free(h, b);
            keep_rest = false;      /* a listed block's tail goes back to the lists */
        } else {
            b = segment_block(h, ts, &keep_rest, &why);
        }
    }
    if (!b) return why == ZMM_ERR_LIMIT ? fail_limit(h, size) : fail_oom(h, size);
    return split_used(h, 0, b, BLK_SIZE(b), ts, keep_rest) + h->hdr;
}

/* The common large case of a heap that grows (a segment's free tail carved
 * block by block): b is the only block of its trie and the tail left after
 * ts falls in the same trie. Removing b, splitting and inserting the tail
 * would leave the trie holding just the tail, so write that directly and
 * leave the bitmap alone. False (nothing written) when it does not apply. */
static inline ZMM_ALWAYS_INLINE bool carve_lone(zmm_heap *h, bool F, char *b, size_t bsize, size_t ts)
{
    if (zmm_is_small_l(h, F, bsize)) return false;
    int k = zmm_hbit(bsize);
    size_t rem = bsize - ts;
    char **root = &h->large_free_buckets[k];
    /* rem >> k: the tail still has bit k (it is below 2^(k+1) anyway) */
    if (!(rem >> k) || zmm_is_small_l(h, F, rem) || !zmm_trie_lone_l(h, F, b, root)) return false;
    zmm_write_block_l(h, F, b, ts, ZMM_USED);
    zmm_set_magic_l(h, F, b, ZMM_MAGIC_VALID);
    char *tail = b + ts;
    zmm_write_block_l(h, F, tail, rem, ZMM_FREE);
    zmm_set_magic_l(h, F, tail, ZMM_MAGIC_FREED);
    zmm_trie_set_lone_l(h, F, tail, root);
    h->size += ts;
    if (h->size > h->peak) h->peak = h->size;
    return true;
}

static inline ZMM_ALWAYS_INLINE void *alloc_lists(zmm_heap *h, bool F, size_t size, size_t ts)
{
    char *b = find_free(h, F, ts);
    if (!b) return alloc_fresh(h, size, ts);
    if (!zmm_free_block_ok_l(h, F, b)) return fail_corrupted(h);
    size_t bsize = BLK_SIZE(b);
    zmm_remove_free_l(h, F, b, bsize);
    return split_used(h, F, b, bsize, ts, false) + ZL_HDR(h, F);
}

void *zmm_alloc_int(zmm_heap *h, size_t size)
{
    size_t ts = zmm_ts(h, size);
    if (!ts) return fail_oom(h, size);
    if (zmm_is_small(h, ts) && h->cache_on) {
        char *b = zmm_cache_pop(h, ts);
        if (b) return b + h->hdr;
        if (h->cache_stat) h->cache_miss[zmm_bucket(h, ts)]++;
    }
    return alloc_lists(h, 0, size, ts);
}

/* ---- the release layout's paths below the cache, without a stack frame ----
 * zmm_alloc_lists_r and zmm_free_block_r finish the common cases with no
 * call that returns to them, so they save no registers; everything else
 * goes, by tail call, to the general code above, inlined for F = 1. */

/* b (checked) is the candidate for ts: off its list, then split */
static ZMM_NOINLINE void *alloc_found_r(zmm_heap *h, char *b, size_t ts)
{
    size_t bsize = BLK_SIZE(b);
    zmm_remove_free_l(h, 1, b, bsize);
    return split_used(h, 1, b, bsize, ts, false) + ZL_HDR(h, 1);
}

/* neither a bucket nor the trie had a block: the rest list or a new segment */
static ZMM_NOINLINE void *alloc_unlisted_r(zmm_heap *h, size_t size, size_t ts)
{
    char *b = NULL;
    if (h->real_size >= (h->limit > h->block_size ? h->limit - h->block_size : 0)) b = zmm_search_rest(h, ts);
    if (!b) return alloc_fresh(h, size, ts);
    if (!zmm_free_block_ok_l(h, 1, b)) return fail_corrupted(h);
    return alloc_found_r(h, b, ts);
}

/* The large search in full (its loops need registers the common cases
 * below do without; exact_fit's search out of line), then as alloc_lists */
static ZMM_NOINLINE void *alloc_searched_r(zmm_heap *h, size_t size, size_t ts)
{
    char *b = ZMM_LIKELY(!h->exact_fit) ? zmm_search_large(h, 1, ts, false) : zmm_search_large_r(h, ts);
    if (!b) return alloc_unlisted_r(h, size, ts);
    if (!zmm_free_block_ok_l(h, 1, b)) return fail_corrupted(h);
    if (carve_lone(h, 1, b, BLK_SIZE(b), ts)) return b + ZL_HDR(h, 1);
    return alloc_found_r(h, b, ts);
}

/* What alloc_lists(h, 1, size, ts) would do, in the same order, in either
 * search mode; S: count the free lists' pair of the cache statistics. */
static inline ZMM_ALWAYS_INLINE void *alloc_lists_r(zmm_heap *h, size_t size, size_t ts, bool S)
{
    char *b;
    if (zmm_is_small_l(h, 1, ts)) {
        size_t first = (size_t)zmm_bucket_l(h, 1, ts);
        size_t bitmap = h->free_bitmap >> first;
        if (bitmap) {
            /* the oldest block of the first non-empty bucket that fits: small,
             * so is its tail, and no call is needed */
            size_t i = first + (size_t)zmm_lbit(bitmap);
            if (S) h->lists_hit++;
            b = FBL_PREV(h, 1, SMALL_SENTINEL_L(h, 1, i));
            if (!zmm_free_block_ok_l(h, 1, b)) return fail_corrupted(h);
            size_t bsize = BLK_SIZE(b);
            zmm_ring_unlink_l(h, 1, b);
            char *sn = SMALL_SENTINEL_OF_L(h, 1, bsize);
            if (FBL_PREV(h, 1, sn) == sn) h->free_bitmap &= ~((size_t)1 << zmm_bucket_l(h, 1, bsize));
            size_t rem = bsize - ts;
            if (rem < ZL_MINHDR(h, 1)) {
                ts = bsize;
                zmm_write_block_l(h, 1, b, ts, ZMM_USED);
            } else {
                zmm_write_block_l(h, 1, b, ts, ZMM_USED);
                zmm_write_block_l(h, 1, b + ts, rem, ZMM_FREE);
                zmm_add_small_l(h, 1, b + ts, rem);
            }
            h->size += ts;
            if (h->size > h->peak) h->peak = h->size;
            return b + ZL_HDR(h, 1);
        }
    }
    if (S) h->lists_miss++;
    /* 5.3's search when ts's own trie is empty and the next non-empty one's
     * root has no child[0]: the second walk stops at the root at once, so
     * the search hands out the root's ring successor. The common case of a
     * heap carving small requests from a big free block: that root is the
     * trie's only block and the tail stays in its trie (carve_lone, with
     * the trie number and "large" already known). */
    int k = zmm_hbit(ts);
    size_t above = h->large_free_bitmap >> k;
    if (ZMM_LIKELY(above & ~(size_t)1) && !(above & 1)) {
        size_t j = (size_t)k + (size_t)zmm_lbit(above);
        char **root = &h->large_free_buckets[j];
        char *r = *root;
        /* exact_fit's second walk goes on to child[1]: without either
         * child both modes hand out the same block */
        if (!FBL_CHILD(h, 1, r, 0) && (!h->exact_fit || !FBL_CHILD(h, 1, r, 1))) {
            b = FBL_NEXT(h, 1, r);
            if (!zmm_free_block_ok_l(h, 1, b)) return fail_corrupted(h);
            size_t bsize = BLK_SIZE(b), rem = bsize - ts;
            if (b == r && !FBL_CHILD(h, 1, r, 1) && (rem >> j) && !zmm_is_small_l(h, 1, rem)) {
                ZMM_ASSERT(zmm_trie_lone_l(h, 1, b, root));
                zmm_write_block_l(h, 1, b, ts, ZMM_USED);
                char *tail = b + ts;
                zmm_write_block_l(h, 1, tail, rem, ZMM_FREE);
                zmm_trie_set_lone_l(h, 1, tail, root);
                h->size += ts;
                if (h->size > h->peak) h->peak = h->size;
                return b + ZL_HDR(h, 1);
            }
            return alloc_found_r(h, b, ts);
        }
    }
    return alloc_searched_r(h, size, ts);
}

void *zmm_alloc_lists_r(zmm_heap *h, size_t size, size_t ts) { return alloc_lists_r(h, size, ts, false); }
void *zmm_alloc_lists_rs(zmm_heap *h, size_t size, size_t ts) { return alloc_lists_r(h, size, ts, true); }

/* Give a block (already subtracted from size) back: coalesce with free
 * neighbours, then release its segment or put it on a free list. */
static inline ZMM_ALWAYS_INLINE void release_block(zmm_heap *h, bool F, char *b, size_t s)
{
    ZMM_ASSERT(!BLK_IS_FREE(b) && BLK_SIZE(b) == s);
    char *next = b + s;
    if (BLK_IS_FREE(next)) {
        size_t ns = BLK_SIZE(next);
        zmm_remove_free_l(h, F, next, ns);
        s += ns;
    }
    if (BLK_PREV_FREE(b)) {
        size_t ps = BLK_PREV_RAW(b) & ~ZMM_TYPE_MASK;   /* a free block's tag has no type bits */
        b -= ps;
        zmm_remove_free_l(h, F, b, ps);
        s += ps;
    }
    if (BLK_IS_FIRST(b) && BLK_IS_GUARD(b + s)) {
        zmm_segment_release(h, (zmm_segment *)(b - ZMM_SEG_HDR));
        return;
    }
    zmm_write_block_l(h, F, b, s, ZMM_FREE);
    zmm_add_free_l(h, F, b, s);
}

void zmm_release_block(zmm_heap *h, char *b, size_t s) { release_block(h, 0, b, s); }

/* ---- the release layout's free of a block that was not cached ----
 * 5.3's release (release_block), with the merge into the only block of a
 * trie done in place, written so the common cases (every free neighbour
 * small or alone in its trie) make no call that returns: no stack frame. A
 * neighbour deeper in a trie is taken out by a tail call to a function that
 * does that and the rest (free_finish_r, the same steps). */

/* The block b of s bytes (free neighbours merged in, off their lists) back:
 * its segment to storage, or onto a free list. */
static inline ZMM_ALWAYS_INLINE bool free_finish_r(zmm_heap *h, char *b, size_t s);

static ZMM_NOINLINE bool free_segment_r(zmm_heap *h, char *b)
{
    zmm_segment_release(h, (zmm_segment *)(b - ZMM_SEG_HDR));
    return true;
}

/* the previous block p (free, ps bytes, large) is in its trie with others */
static ZMM_NOINLINE bool free_prev_in_trie_r(zmm_heap *h, char *p, size_t ps, size_t s)
{
    zmm_trie_remove_l(h, 1, p, ps);
    return free_finish_r(h, p, ps + s);
}

/* Off its small bucket, a free block of size bytes (zmm_remove_free_l's small case). */
static inline ZMM_ALWAYS_INLINE void unlink_small_r(zmm_heap *h, char *b, size_t size)
{
    zmm_ring_unlink_l(h, 1, b);
    char *sn = SMALL_SENTINEL_OF_L(h, 1, size);
    if (FBL_PREV(h, 1, sn) == sn) h->free_bitmap &= ~((size_t)1 << zmm_bucket_l(h, 1, size));
}

/* After the next block: the previous one, then free_finish_r (release_block's order). */
static inline ZMM_ALWAYS_INLINE bool free_prev_r(zmm_heap *h, char *b, size_t s)
{
    size_t praw = BLK_PREV_RAW(b);
    if (!(praw & ZMM_USED)) {                  /* a free block's tag has no type bits */
        char *p = b - praw;
        if (zmm_is_small_l(h, 1, praw)) {
            unlink_small_r(h, p, praw);
        } else {
            size_t k = (size_t)zmm_hbit(praw);
            char **root = &h->large_free_buckets[k];
            if (!zmm_trie_lone_l(h, 1, p, root)) return free_prev_in_trie_r(h, p, praw, s);
            *root = NULL;
            h->large_free_bitmap &= ~((size_t)1 << k);
        }
        b = p;
        s += praw;
    }
    return free_finish_r(h, b, s);
}

/* the next block (free, ns bytes, large) is in its trie with others */
static ZMM_NOINLINE bool free_next_in_trie_r(zmm_heap *h, char *b, size_t s, char *next, size_t ns)
{
    zmm_trie_remove_l(h, 1, next, ns);
    return free_prev_r(h, b, s + ns);
}

static inline ZMM_ALWAYS_INLINE bool free_finish_r(zmm_heap *h, char *b, size_t s)
{
    if (BLK_IS_FIRST(b) && BLK_IS_GUARD(b + s)) return free_segment_r(h, b);
    zmm_write_block_l(h, 1, b, s, ZMM_FREE);
    if (zmm_is_small_l(h, 1, s)) {
        zmm_add_small_l(h, 1, b, s);
        return true;
    }
    size_t k = (size_t)zmm_hbit(s);
    char **root = &h->large_free_buckets[k];
    if (!*root) {
        zmm_trie_set_lone_l(h, 1, b, root);
        h->large_free_bitmap |= (size_t)1 << k;
        return true;
    }
    FBL_CHILD(h, 1, b, 0) = FBL_CHILD(h, 1, b, 1) = NULL;     /* as trie_insert */
    zmm_trie_insert_below_l(h, 1, b, s, k, *root);
    return true;
}

bool zmm_free_block_r(zmm_heap *h, char *b, size_t s)
{
    h->size -= s;
    char *next = b + s;
    size_t nraw = BLK_SIZE_RAW(next);
    if (!(nraw & ZMM_USED)) {                  /* free: its size has no type bits */
        if (zmm_is_small_l(h, 1, nraw)) {
            unlink_small_r(h, next, nraw);
        } else {
            int k = zmm_hbit(nraw);
            char **root = &h->large_free_buckets[k];
            if (!zmm_trie_lone_l(h, 1, next, root)) return free_next_in_trie_r(h, b, s, next, nraw);
            size_t merged = s + nraw;
            if (!BLK_PREV_FREE(b) && (merged >> k) == 1 && !(BLK_IS_FIRST(b) && BLK_IS_GUARD(next + nraw))) {
                /* merge_into_lone: the merged block is the trie's only one */
                zmm_write_block_l(h, 1, b, merged, ZMM_FREE);
                zmm_trie_set_lone_l(h, 1, b, root);
                return true;
            }
            *root = NULL;
            h->large_free_bitmap &= ~((size_t)1 << k);
        }
        s += nraw;
    }
    return free_prev_r(h, b, s);
}

void zmm_free_int(zmm_heap *h, void *p)
{
    char *b = (char *)p - h->hdr;
    size_t s = BLK_SIZE(b);
    if (h->protect && !zmm_protect_ok(h, b)) {
        fail_corrupted(h);                     /* 5.3 debug: report and skip the free */
        return;
    }
    if (h->fill) memset(p, 0x5A, zmm_user_bytes(h, b));
    if (zmm_is_small(h, s) && h->cached < h->cache_cap) {
        zmm_cache_push(h, b, s);
        return;
    }
    h->size -= s;
    release_block(h, 0, b, s);
}

void zmm_heap_flush_cache(zmm_heap *h)
{
    for (int i = 0; i < ZMM_NUM_BUCKETS; i++) {
        char *b = h->cache[i];
        while (b) {
            char *next = FB_PREV(h, b);
            size_t s = BLK_SIZE(b);
            h->cached -= s;
            /* DEPARTURE: 5.3 left heap->size counting flushed blocks (a
             * bailout followed); a heap that lives on must subtract them. */
            h->size -= s;
            zmm_release_block(h, b, s);
            b = next;
        }
        h->cache[i] = NULL;
        h->cache_count[i] = 0;
    }
}

/* Segment-level realloc: b (old bytes, used) is alone in its segment.
 * NULL with *why set when the limit or the storage refuses; nothing is
 * reported here, so the caller can first undo its own changes. */
static void *realloc_segment(zmm_heap *h, char *b, size_t old, size_t ts, zmm_error_kind *why)
{
    zmm_segment *seg = (zmm_segment *)(b - ZMM_SEG_HDR);
    size_t new_seg = zmm_segment_size_for(h, ts);
    size_t old_seg = seg->size;
    if (!new_seg || h->real_size - old_seg + new_seg > h->limit || new_seg < ts) {
        *why = ZMM_ERR_LIMIT;
        return NULL;
    }
    zmm_segment *n = zmm_segment_resize(h, seg, new_seg);
    if (!n) {
        *why = ZMM_ERR_OOM;
        return NULL;
    }
    b = (char *)n + ZMM_SEG_HDR;
    size_t bsize = new_seg - ZMM_SEG_HDR - h->hdr;
    zmm_write_block(h, b, bsize, ZMM_FREE);   /* the whole interior, then split */
    zmm_write_guard(h, b + bsize);
    h->size -= old;
    return split_used(h, 0, b, bsize, ts, true) + h->hdr;
}

static void *realloc_failed(zmm_heap *h, zmm_error_kind why, size_t size)
{
    return why == ZMM_ERR_LIMIT ? fail_limit(h, size) : fail_oom(h, size);
}

/* The bytes worth copying when a block moves: the requested size with
 * protection, else the block's capacity. */
static inline ZMM_ALWAYS_INLINE size_t user_bytes_l(const zmm_heap *h, bool F, const char *b, size_t bsize)
{
    return F ? bsize - ZL_R_HDR : zmm_user_bytes(h, b);
}

/* 5.3's realloc (fact sheet 3.3) of block p to size, true size ts (non-zero). */
static inline ZMM_ALWAYS_INLINE void *realloc_body(zmm_heap *h, bool F, void *p, size_t size, size_t ts)
{
    char *b = (char *)p - ZL_HDR(h, F);
    size_t old = BLK_SIZE(b);

    if (ts <= old) {                                 /* shrink in place */
        size_t rem = old - ts;
        if (rem >= ZL_MINHDR(h, F)) {
            char *next = b + old;
            if (BLK_IS_FREE(next)) {
                size_t ns = BLK_SIZE(next);
                zmm_remove_free_l(h, F, next, ns);
                rem += ns;
            }
            zmm_write_block_l(h, F, b, ts, ZMM_USED);
            zmm_write_block_l(h, F, b + ts, rem, ZMM_FREE);
            zmm_add_free_l(h, F, b + ts, rem);
            h->size -= old - ts;
        }
        return p;
    }

    if (zmm_is_small_l(h, F, ts) && ZMM_CACHE_AT(h, zmm_bucket_off_l(h, F, ts)) && h->cache_on) {
        /* swap through the cache: take a cached block, cache the old one */
        char *nb = zmm_cache_take_l(h, F, h->cache_stat, zmm_bucket_off_l(h, F, ts), ts);
        memcpy(nb + ZL_HDR(h, F), p, user_bytes_l(h, F, b, old));
        zmm_cache_push_l(h, F, h->cache_stat, b, old);
        return nb + ZL_HDR(h, F);
    }

    char *next = b + old;
    if (BLK_IS_FREE(next)) {
        size_t ns = BLK_SIZE(next);
        if (!zmm_free_block_ok_l(h, F, next)) return fail_corrupted(h);
        if (old + ns >= ts) {                       /* grow into the next free block */
            zmm_remove_free_l(h, F, next, ns);
            size_t total = old + ns, rem = total - ts;
            if (rem >= ZL_MINHDR(h, F)) {
                zmm_write_block_l(h, F, b, ts, ZMM_USED);
                char *tail = b + ts;
                zmm_write_block_l(h, F, tail, rem, ZMM_FREE);
                if (BLK_IS_FIRST(b) && BLK_IS_GUARD(tail + rem)) zmm_add_rest(h, tail);
                else zmm_add_free_l(h, F, tail, rem);
            } else {
                ts = total;
                zmm_write_block_l(h, F, b, ts, ZMM_USED);
            }
            h->size += ts - old;
            if (h->size > h->peak) h->peak = h->size;
            return p;
        }
        if (BLK_IS_FIRST(b) && BLK_IS_GUARD(next + ns)) {
            zmm_error_kind why = ZMM_OK;
            zmm_remove_free(h, next);
            zmm_write_block(h, b, old + ns, ZMM_USED);   /* merge the tail: block spans the segment */
            h->size += ns;
            void *r = realloc_segment(h, b, old + ns, ts, &why);
            if (r) return r;
            zmm_write_block(h, b, old, ZMM_USED);        /* give the tail back, then report */
            zmm_write_block(h, next, ns, ZMM_FREE);
            zmm_add_free(h, next);
            h->size -= ns;
            return realloc_failed(h, why, size);
        }
    } else if (BLK_IS_FIRST(b) && BLK_IS_GUARD(next)) {
        zmm_error_kind why = ZMM_OK;
        void *r = realloc_segment(h, b, old, ts, &why);
        return r ? r : realloc_failed(h, why, size);
    }

    /* allocate, copy, free (a small ts found its cache list empty above) */
    void *np;
    if (F) {
        if (zmm_is_small_l(h, F, ts) && h->cache_stat) h->cache_miss[zmm_bucket_l(h, F, ts)]++;
        np = zmm_alloc_lists_for(h, size, ts, h->cache_stat);
    } else {
        np = zmm_alloc_int(h, size);
    }
    if (!np) return NULL;
    memcpy(np, p, user_bytes_l(h, F, b, old));
    if (!F) zmm_free_int(h, p);
    else if (zmm_is_small_l(h, F, old) && h->cached < h->cache_cap) zmm_cache_push_l(h, F, h->cache_stat, b, old);
    else (void)zmm_free_block_r(h, b, old);
    return np;
}

void *zmm_realloc_int(zmm_heap *h, void *p, size_t size)
{
    if (h->protect && !zmm_protect_ok(h, (char *)p - h->hdr)) return fail_corrupted(h);
    size_t ts = zmm_ts(h, size);
    if (!ts) return fail_oom(h, size);
    return realloc_body(h, 0, p, size, ts);
}

static ZMM_NOINLINE void *realloc_body_r(zmm_heap *h, void *p, size_t size, size_t ts)
{
    return realloc_body(h, 1, p, size, ts);
}

/* A shrink that leaves too little to split off keeps the block as it is
 * (realloc_body's first case) without a stack frame. */
void *zmm_realloc_r(zmm_heap *h, void *p, size_t size, size_t ts)
{
    size_t old = BLK_SIZE((char *)p - ZL_R_HDR);
    if (ts <= old && old - ts < ZL_R_MINHDR) return p;
    return realloc_body_r(h, p, size, ts);
}
