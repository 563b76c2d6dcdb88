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
        h->cache_count[i] = 0;
    }
    char *r = REST_SENTINEL(h);
    h->rest_buckets[0] = r;
    h->rest_buckets[1] = r;
    h->rest_count = 0;
    h->cached = 0;
}

bool zmm_free_block_ok(const zmm_heap *h, const char *b) { return zmm_free_block_ok_l(h, 0, b); }

/* ---- large trie ---- */
static inline ZMM_ALWAYS_INLINE void trie_insert(zmm_heap *h, bool F, char *b, size_t size)
{
    size_t k = (size_t)zmm_hbit(size);
    char **slot = &h->large_free_buckets[k];
    FBL_CHILD(h, F, b, 0) = FBL_CHILD(h, F, b, 1) = NULL;
    if (!*slot) {
        h->large_free_bitmap |= (size_t)1 << k;
        *slot = b;
        FBL_PARENT(h, F, b) = slot;
        FBL_PREV(h, F, b) = FBL_NEXT(h, F, b) = b;
        return;
    }
    zmm_trie_insert_below_l(h, F, b, size, k, *slot);
}

void zmm_trie_insert_g(zmm_heap *h, char *b, size_t size) { trie_insert(h, 0, b, size); }
void zmm_trie_remove_g(zmm_heap *h, char *b, size_t size) { zmm_trie_remove_l(h, 0, b, size); }

/* ---- public to the core ---- */
void zmm_add_free(zmm_heap *h, char *b) { zmm_add_free_l(h, 0, b, BLK_SIZE(b)); }
void zmm_remove_free(zmm_heap *h, char *b) { zmm_remove_free_l(h, 0, b, BLK_SIZE(b)); }

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

/* one copy per layout; the option is tested once, outside the loops */
char *zmm_search_large_g(zmm_heap *h, size_t ts)
{
    return h->exact_fit ? zmm_search_large(h, 0, ts, true) : zmm_search_large(h, 0, ts, false);
}
char *zmm_search_large_r(zmm_heap *h, size_t ts)
{
    return h->exact_fit ? zmm_search_large(h, 1, ts, true) : zmm_search_large(h, 1, ts, false);
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
