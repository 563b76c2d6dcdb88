/*
 * freelists.c - where free blocks wait: 64 small buckets (FIFO rings behind a
 * bitmap), one bitwise trie per power of two for large blocks (behind a
 * second bitmap), and the rest list for the tails of big segments.
 *
 * Invariants (checked by check.c):
 *   free_bitmap bit i       <=> small bucket i is non-empty
 *   large_free_bitmap bit k <=> trie root k is non-NULL
 *   every FREE block is on exactly one of these structures.
 */
#include "internal.h"

void zmm_lists_init(zmm_heap *h)
{
    h->free_bitmap = 0;
    h->large_free_bitmap = 0;
    for (int i = 0; i < ZMM_NUM_BUCKETS; i++) {
        char *s = SMALL_SENTINEL(h, i);
        h->free_buckets[i * 2] = s;
        h->free_buckets[i * 2 + 1] = s;
        h->large_free_buckets[i] = NULL;
        h->cache[i] = NULL;
        h->cache_stat[i].count = 0;
    }
    char *r = REST_SENTINEL(h);
    h->rest_buckets[0] = r;
    h->rest_buckets[1] = r;
    h->rest_count = 0;
    h->cached = 0;
}

/* SAFE_UNLINKING: the block's boundary tags agree with both neighbours and its
 * cookie is intact. Run on a candidate before it is taken from a list. */
bool zmm_free_block_ok(const zmm_heap *h, const char *b)
{
    if (!zmm_cookie_ok(h, b)) return false;
    if (BLK_SIZE_RAW(b) != BLK_PREV_RAW(BLK_NEXT(b))) return false;
    if (!BLK_IS_FIRST(b) && BLK_SIZE_RAW(BLK_PREV(b)) != BLK_PREV_RAW(b)) return false;
    return true;
}

/* ---- rings ---- */
static inline void ring_unlink(zmm_heap *h, char *b)
{
    char *p = FB_PREV(h, b), *n = FB_NEXT(h, b);
    FB_NEXT(h, p) = n;
    FB_PREV(h, n) = p;
}

/* ---- large trie ---- */
static void trie_insert(zmm_heap *h, char *b, size_t size)
{
    int k = zmm_hbit(size);
    char **slot = &h->large_free_buckets[k];
    FB_CHILD(h, b, 0) = FB_CHILD(h, b, 1) = NULL;
    if (!*slot) {
        h->large_free_bitmap |= (size_t)1 << k;
        *slot = b;
        FB_PARENT(h, b) = slot;
        FB_PREV(h, b) = FB_NEXT(h, b) = b;
        return;
    }
    /* below the root each level consumes the next lower bit of the size */
    size_t m = size << (ZMM_NUM_BUCKETS - k);
    char *node = *slot;
    for (;;) {
        if (BLK_SIZE(node) == size) {
            /* an equal size joins the node's ring and stays out of the tree */
            char *n = FB_NEXT(h, node);
            FB_PREV(h, b) = node;
            FB_NEXT(h, b) = n;
            FB_PREV(h, n) = b;
            FB_NEXT(h, node) = b;
            FB_PARENT(h, b) = NULL;
            return;
        }
        slot = &FB_CHILD(h, node, m >> (ZMM_NUM_BUCKETS - 1));
        m <<= 1;
        if (!*slot) {
            *slot = b;
            FB_PARENT(h, b) = slot;
            FB_PREV(h, b) = FB_NEXT(h, b) = b;
            return;
        }
        node = *slot;
    }
}

static void trie_replace(zmm_heap *h, char *old, char *repl)
{
    char **parent = FB_PARENT(h, old);
    *parent = repl;
    FB_PARENT(h, repl) = parent;
    for (int i = 0; i < 2; i++) {
        char *c = FB_CHILD(h, old, i);
        FB_CHILD(h, repl, i) = c;
        if (c) FB_PARENT(h, c) = &FB_CHILD(h, repl, i);
    }
}

static void trie_remove(zmm_heap *h, char *b)
{
    char **parent = FB_PARENT(h, b);
    if (parent == ZMM_REST_MARK) {            /* a large block on the rest list */
        ring_unlink(h, b);
        h->rest_count--;
        return;
    }
    if (FB_PREV(h, b) != b) {                 /* it has equal-size twins */
        /* as in 5.3, the twin before it in the ring (the oldest) takes the
         * node's place: the order decides which twin a search hands out */
        char *twin = FB_PREV(h, b);
        ring_unlink(h, b);
        if (parent) trie_replace(h, b, twin);
        return;
    }
    /* a lone tree node: move its deepest rightmost leaf into its place */
    char **rp = FB_CHILD(h, b, 1) ? &FB_CHILD(h, b, 1) : &FB_CHILD(h, b, 0);
    char *r = *rp;
    if (!r) {
        *parent = NULL;
        if (parent >= &h->large_free_buckets[0] && parent < &h->large_free_buckets[ZMM_NUM_BUCKETS]) {
            h->large_free_bitmap &= ~((size_t)1 << (parent - &h->large_free_buckets[0]));
        }
        return;
    }
    for (;;) {
        char **next = FB_CHILD(h, r, 1) ? &FB_CHILD(h, r, 1) : &FB_CHILD(h, r, 0);
        if (!*next) break;
        rp = next;
        r = *rp;
    }
    *rp = NULL;
    trie_replace(h, b, r);
}

/* ---- public to the core ---- */
void zmm_add_free(zmm_heap *h, char *b)
{
    size_t size = BLK_SIZE(b);
    ZMM_ASSERT(BLK_IS_FREE(b) && size >= h->min_hdr && BLK_PREV_RAW(b + size) == BLK_SIZE_RAW(b));
    zmm_set_magic(h, b, ZMM_MAGIC_FREED);
    if (zmm_is_small(h, size)) {
        int i = zmm_bucket(h, size);
        char *s = SMALL_SENTINEL(h, i);
        char *n = FB_NEXT(h, s);            /* newest goes right after the sentinel */
        FB_PREV(h, b) = s;
        FB_NEXT(h, b) = n;
        FB_PREV(h, n) = b;
        FB_NEXT(h, s) = b;
        h->free_bitmap |= (size_t)1 << i;
    } else {
        trie_insert(h, b, size);
    }
}

void zmm_remove_free(zmm_heap *h, char *b)
{
    size_t size = BLK_SIZE(b);
    ZMM_ASSERT(BLK_IS_FREE(b));
    if (zmm_is_small(h, size)) {
        ring_unlink(h, b);
        /* DEPARTURE: 5.3 tested prev == next here, which could clear the bit
         * of a one-block bucket when the removed block sat on the rest list.
         * Testing the bucket itself cannot be fooled. */
        int i = zmm_bucket(h, size);
        char *s = SMALL_SENTINEL(h, i);
        if (FB_PREV(h, s) == s) h->free_bitmap &= ~((size_t)1 << i);
    } else {
        trie_remove(h, b);
    }
}

void zmm_add_rest(zmm_heap *h, char *b)
{
    ZMM_ASSERT(BLK_IS_FREE(b) && BLK_IS_GUARD(BLK_NEXT(b)));
    char *r = REST_SENTINEL(h);
    bool large = !zmm_is_small(h, BLK_SIZE(b));
    /* 5.4's cap: while 16 large blocks wait, the oldest entries go back to the
     * normal lists so the rest list cannot grow without bound. */
    while (large && h->rest_count >= ZMM_MAX_REST_BLOCKS) {
        char *oldest = FB_NEXT(h, r);
        zmm_remove_free(h, oldest);
        zmm_add_free(h, oldest);
    }
    zmm_set_magic(h, b, ZMM_MAGIC_FREED);
    char *last = FB_PREV(h, r);             /* after the current last: rest_buckets[0] is the newest */
    FB_PREV(h, b) = last;
    FB_NEXT(h, b) = r;
    FB_NEXT(h, last) = b;
    FB_PREV(h, r) = b;
    if (large) {
        FB_PARENT(h, b) = ZMM_REST_MARK;
        h->rest_count++;
    }
}

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
 * Inlined with a constant mode into one function per mode, so the default
 * path tests the option once, outside the loops. */
static inline ZMM_ALWAYS_INLINE char *scan_step(zmm_heap *h, char *t, bool exact)
{
    if (exact) return FB_CHILD(h, t, 0) ? FB_CHILD(h, t, 0) : FB_CHILD(h, t, 1);
    return FB_CHILD(h, t, FB_CHILD(h, t, 0) != NULL);
}

static inline ZMM_ALWAYS_INLINE char *search_large(zmm_heap *h, size_t ts, bool exact)
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
            size_t s = BLK_SIZE(p);
            if (s == ts) return FB_NEXT(h, p);
            if (s > ts && s < best_size) { best = p; best_size = s; }
            int bit = (int)(m >> (ZMM_NUM_BUCKETS - 1));
            /* where the wanted size has a 0, everything under child[1] is bigger */
            if (!bit && FB_CHILD(h, p, 1)) rst = FB_CHILD(h, p, 1);
            p = FB_CHILD(h, p, bit);
            m <<= 1;
        }
        for (p = rst; p; p = scan_step(h, p, exact)) {
            size_t s = BLK_SIZE(p);
            if (s < best_size) { best = p; best_size = s; }
        }
        if (best) return FB_NEXT(h, best);
        bitmap >>= 1;
        if (!bitmap) return NULL;
        k++;
    }
    /* every block of the next non-empty trie is big enough: its smallest on the walk */
    char *best = h->large_free_buckets[k + zmm_lbit(bitmap)];
    for (char *p = scan_step(h, best, exact); p; p = scan_step(h, p, exact)) {
        if (BLK_SIZE(p) < BLK_SIZE(best)) best = p;
    }
    return FB_NEXT(h, best);
}

static char *search_large_53(zmm_heap *h, size_t ts) { return search_large(h, ts, false); }
static char *search_large_exact(zmm_heap *h, size_t ts) { return search_large(h, ts, true); }

char *zmm_search_large(zmm_heap *h, size_t ts)
{
    return h->exact_fit ? search_large_exact(h, ts) : search_large_53(h, ts);
}

char *zmm_search_rest(zmm_heap *h, size_t ts)
{
    char *r = REST_SENTINEL(h), *best = NULL;
    for (char *p = FB_PREV(h, r); p != r; p = FB_PREV(h, p)) {   /* newest first */
        size_t s = BLK_SIZE(p);
        if (s == ts) return p;
        if (s > ts && (!best || s < BLK_SIZE(best))) best = p;
    }
    return best;
}
