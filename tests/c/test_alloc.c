/* test_alloc.c - allocation paths, splitting, coalescing, segment release,
 * bucket order, the large trie's best fit, the rest list (fact sheet §2, §3.1, §3.2). */
#include "helpers.h"

#ifdef _WIN32
# define DEFAULT_SCHEME "win32"   /* Windows: win32 is the default scheme (5.3) */
#else
# define DEFAULT_SCHEME "malloc"
#endif

static const layout *R; /* release layout */

static uintptr_t seg_of(zmm_heap *h, void *p)
{
    zmm_block_view bv;
    zmm_segment_view sv;
    if (!zmm_block_info(h, p, &bv, &sv)) return 0;
    return sv.address;
}

static void test_fresh_heap(void)
{
    zmm_heap *h = mkheap(true, NULL);
    zmm_stats s = stats_of(h);
    is_sz(s.real_size, 262144, "fresh heap: real_size 262144");
    is_sz(s.size, 8208, "fresh heap: size 8208 (the reserve)");
    is_sz(s.peak, 8208, "fresh heap: peak 8208");
    is_sz(s.real_peak, 262144, "fresh heap: real_peak 262144");
    is_sz(s.segments, 1, "fresh heap: one segment");
    is_sz(s.live_blocks, 0, "fresh heap: no live blocks");
    is_sz(s.cached, 0, "fresh heap: nothing cached");
    ok(s.reserve_held, "fresh heap: reserve held");
    is_sz(s.limit, (size_t)1 << 62, "fresh heap: limit 2^62");
    is_sz(s.block_size, 262144, "fresh heap: block_size 256 KB");
    is_sz(s.compact_size, 2097152, "fresh heap: compact_size 2 MB");
    is_sz(s.reserve_size, 8192, "fresh heap: reserve_size 8192");
    is_sz(s.cache_size, 262144, "fresh heap: cache_size 256 KB");
    is_int(s.use_zend_alloc, 1, "fresh heap: use_zend_alloc 1");
    is_str(s.storage, DEFAULT_SCHEME, "fresh heap: storage " DEFAULT_SCHEME);
    is_sz(s.free_bitmap, 0, "fresh heap: free_bitmap 0");
    is_sz(s.large_free_bitmap, (size_t)1 << 17, "fresh heap: large_free_bitmap has bit 17 (253904)");
    is_sz(zmm_memory_usage(h, false), 8208, "fresh heap: memory_usage(false) 8208");
    is_sz(zmm_memory_usage(h, true), 262144, "fresh heap: memory_usage(true) 262144");
    is_sz(zmm_memory_peak_usage(h, false), 8208, "fresh heap: peak_usage(false) 8208");
    is_sz(zmm_memory_peak_usage(h, true), 262144, "fresh heap: peak_usage(true) 262144");

    seglist *sl = all_segments(h);
    is_sz(sl->n, 1, "fresh heap: inspect sees one segment");
    uintptr_t seg = sl->s[0].address;
    is_sz(sl->s[0].size, 262144, "fresh heap: segment size 262144");
    is_str(sl->s[0].storage, DEFAULT_SCHEME, "fresh heap: segment made by " DEFAULT_SCHEME);
    is_sz(sl->s[0].blocks, 3, "fresh heap: segment holds 3 blocks (reserve, free, guard)");

    blocklist *bl = all_blocks(h);
    if (ok(bl->n == 3, "fresh heap: block walk sees 3 blocks")) {
        is_int(bl->b[0].state, ZMM_STATE_RESERVE, "block 0 is the reserve");
        is_sz(bl->b[0].address, seg + 16, "reserve starts right after the 16-byte segment header");
        is_sz(bl->b[0].size, 8208, "reserve block is 8208 bytes");
        is_int(bl->b[1].state, ZMM_STATE_LARGE, "block 1 is free in the large trie");
        is_sz(bl->b[1].address, seg + 16 + 8208, "free block follows the reserve");
        is_sz(bl->b[1].size, 253904, "free block is 262112 - 8208 = 253904 bytes");
        is_int(bl->b[1].large_index, 17, "free block has large index 17");
        is_int(bl->b[1].bucket, -1, "free block has no small bucket");
        is_int(bl->b[2].state, ZMM_STATE_GUARD, "block 2 is the guard");
        is_sz(bl->b[2].address, seg + 262144 - 16, "guard occupies the last 16 bytes");
        is_sz(bl->b[2].size, 16, "guard size = header size");
        is_str(zmm_block_state_name(ZMM_STATE_USED), "used", "state name used");
    }
    trielist *t = trie(h, 17);
    if (ok(t->n == 1, "trie 17 holds one node")) {
        is_sz(t->t[0].block.size, 253904, "trie 17 root is the 253904 block");
        is_int(t->t[0].depth, 0, "root depth 0");
        is_int(t->t[0].child_bit, -1, "root child_bit -1");
        ok(t->t[0].child[0] == 0 && t->t[0].child[1] == 0, "root has no children");
        is_sz(t->t[0].twins, 0, "root has no twins");
    }
    check_clean(h, "fresh heap");
    zmm_heap_destroy(h);
}

static void test_split_remainders(void)
{
    zmm_heap *h = mkheap(false, NULL);
    void *p = zmm_malloc(h, 100);
    uintptr_t seg = seg_of(h, p);
    is_sz((uintptr_t)p, seg + 16 + 8208 + 16, "first block goes right after the reserve");
    zmm_stats s = stats_of(h);
    is_sz(s.size, 8208 + 120, "size += 120 for a 100-byte request");
    is_sz(s.large_free_bitmap, (size_t)1 << 17, "remainder 253784 stays in trie 17");
    trielist *t = trie(h, 17);
    ok(t->n == 1 && t->t[0].block.size == 253784, "split remainder 253784 in trie 17");
    ok(t->n == 1 && t->t[0].block.address == (uintptr_t)p - 16 + 120, "remainder starts after the block");
    is_sz(s.free_bitmap, 0, "no small bucket used");

    /* a large free block between used ones */
    void *a = zmm_malloc(h, 1000);  /* true 1016 */
    void *sp = zmm_malloc(h, 100);  /* spacer */
    zmm_free(h, a);
    s = stats_of(h);
    ok(s.large_free_bitmap == (((size_t)1 << 17) | ((size_t)1 << 9)), "freed 1016 block goes to trie 9");
    t = trie(h, 9);
    ok(t->n == 1 && t->t[0].block.size == 1016 && t->t[0].block.address == hdr_of(a, R), "trie 9: the 1016 block");

    /* small request served from a large block: remainder 496 goes to bucket 58 */
    void *q = zmm_malloc(h, 500); /* true 520, bucket 61 */
    is_ptr(q, a, "500-byte request takes the 1016 block (best fit)");
    s = stats_of(h);
    is_sz(s.free_bitmap, (size_t)1 << 58, "remainder 496 -> small bucket 58");
    is_sz(s.large_free_bitmap, (size_t)1 << 17, "trie 9 emptied");
    blocklist *b = free_bucket(h, 58);
    ok(b->n == 1 && b->b[0].size == 496 && b->b[0].address == hdr_of(q, R) + 520 && b->b[0].state == ZMM_STATE_FREE,
       "bucket 58 holds the 496-byte remainder");

    /* exact bucket hit */
    void *r = zmm_malloc(h, 480); /* true 496, bucket 58 */
    is_ptr(r, (char *)q + 520, "480-byte request takes the bucket-58 block");
    is_sz(stats_of(h).free_bitmap, 0, "bucket 58 emptied, bit cleared");

    /* bitmap path to a larger bucket with a split: 496 -> 120 + 376 (bucket 43) */
    zmm_free(h, r);
    is_sz(stats_of(h).free_bitmap, (size_t)1 << 58, "freed 496 block back in bucket 58");
    void *u = zmm_malloc(h, 100);
    is_ptr(u, r, "100-byte request takes the first bigger bucket (58) through the bitmap");
    is_sz(stats_of(h).free_bitmap, (size_t)1 << 43, "remainder 376 -> bucket 43");
    b = free_bucket(h, 43);
    ok(b->n == 1 && b->b[0].size == 376 && b->b[0].address == hdr_of(u, R) + 120, "bucket 43 holds the 376 remainder");

    /* remainder below the minimum block: the whole block is handed out */
    void *w = zmm_malloc(h, 350); /* true 368, from the 376 block: rem 8 < 32 */
    is_ptr(w, (char *)u + 120, "350-byte request takes the 376 block");
    zmm_block_view bv;
    ok(zmm_block_info(h, w, &bv, &g_sv_dummy) && bv.size == 376, "rem 8 < 32: whole 376 block handed out");
    is_sz(stats_of(h).free_bitmap, 0, "no bucket left");
    zmm_stats s2 = stats_of(h);
    is_sz(s2.size, 8208 + 120 + 520 + 120 + 376 + 120, "size counts the whole 376 block");
    check_clean(h, "split remainders");
    zmm_free(h, p); zmm_free(h, q); zmm_free(h, u); zmm_free(h, w); zmm_free(h, sp);
    s = stats_of(h);
    is_sz(s.size, 8208, "all freed: size back to 8208");
    is_sz(s.large_free_bitmap, (size_t)1 << 17, "all freed: one big free block again");
    t = trie(h, 17);
    ok(t->n == 1 && t->t[0].block.size == 253904, "all freed: coalesced back to 253904");
    check_clean(h, "split remainders, all freed");
    zmm_heap_destroy(h);
}

static void test_huge_and_rest(void)
{
    zmm_heap *h = mkheap(false, NULL);
    void *p = zmm_malloc(h, 1048576); /* true 1048592 -> segment 1310720 */
    ok(p != NULL, "1 MB request succeeds");
    zmm_stats s = stats_of(h);
    is_sz(s.real_size, 262144 + 1310720, "1 MB request: segment of 1.25 MB");
    is_sz(s.segments, 2, "1 MB request: two segments");
    is_sz(s.size, 8208 + 1048592, "1 MB request: size += 1048592");
    is_sz((uintptr_t)p, seg_of(h, p) + 32, "huge block is first in its segment");
    blocklist *rl = rest_list(h);
    ok(rl->n == 1 && rl->b[0].size == 262096 && rl->b[0].state == ZMM_STATE_REST &&
       rl->b[0].address == hdr_of(p, R) + 1048592, "remainder 262096 goes to the rest list");
    is_sz(s.large_free_bitmap, (size_t)1 << 17, "rest block is not in the trie");

    /* 262096 still fits a normal segment exactly */
    void *q = zmm_malloc(h, 262096);
    s = stats_of(h);
    is_sz(s.real_size, 262144 + 1310720 + 262144, "262096-byte request: a normal 256 KB segment");
    zmm_block_view bv;
    ok(zmm_block_info(h, q, &bv, &g_sv_dummy) && bv.size == 262112, "262096-byte request fills the segment (262112)");
    is_sz(rest_list(h)->n, 1, "rest list unchanged");
    zmm_free(h, q);
    is_sz(stats_of(h).real_size, 262144 + 1310720, "freeing it releases its segment");

    /* 262097 needs a double segment; its remainder also goes to rest */
    void *r = zmm_malloc(h, 262097); /* true 262120 -> 524288 */
    s = stats_of(h);
    is_sz(s.real_size, 262144 + 1310720 + 524288, "262097-byte request: 512 KB segment");
    rl = rest_list(h);
    ok(rl->n == 2 && rl->b[0].size == 262136, "rest list: newest first, 262136 then 262096");
    ok(rl->n == 2 && rl->b[1].size == 262096, "rest list: oldest is the 262096 block");
    check_clean(h, "huge blocks");

    zmm_free(h, p);
    s = stats_of(h);
    is_sz(s.real_size, 262144 + 524288, "freeing the 1 MB block releases its segment (with its rest block)");
    is_sz(rest_list(h)->n, 1, "its rest block left the rest list");
    zmm_free(h, r);
    s = stats_of(h);
    is_sz(s.real_size, 262144, "all huge blocks freed: real_size 262144");
    is_sz(s.real_peak, 262144 + 1310720 + 524288 + 0, "real_peak kept");
    is_sz(s.segments, 1, "one segment left");
    is_sz(s.size, 8208, "size back to 8208");
    check_clean(h, "huge blocks freed");
    zmm_heap_destroy(h);
}

static void test_rest_near_limit(void)
{
    for (int near = 0; near <= 1; near++) {
        errlog el;
        zmm_heap *h = mkheap(false, &el);
        void *p0 = zmm_malloc(h, 253888); /* true 253904: takes the whole free block */
        zmm_block_view bv;
        ok(zmm_block_info(h, p0, &bv, &g_sv_dummy) && bv.size == 253904, "exact fit of the first segment's free block");
        is_sz(stats_of(h).large_free_bitmap, 0, "trie empty");
        void *p1 = zmm_malloc(h, 1048576);
        is_sz(stats_of(h).real_size, 1572864, "real_size 1572864");
        if (near) zmm_heap_set_limit(h, 1572864 + 262144 - 8);
        void *p2 = zmm_malloc(h, 200000); /* true 200016 */
        zmm_stats s = stats_of(h);
        if (near) {
            is_ptr(p2, (char *)p1 + 1048592, "near the limit: the rest block serves the request");
            is_sz(s.real_size, 1572864, "near the limit: no new segment");
            is_sz(rest_list(h)->n, 0, "near the limit: rest list emptied");
            trielist *t = trie(h, 15);
            ok(t->n == 1 && t->t[0].block.size == 262096 - 200016, "remainder 62080 goes to the normal lists (trie 15)");
            is_int(el.count, 0, "no error");
        } else {
            is_sz(s.real_size, 1572864 + 262144, "far from the limit: rest list not searched, new segment");
            is_sz(rest_list(h)->n, 1, "far from the limit: rest block kept");
        }
        check_clean(h, near ? "rest near limit" : "rest far from limit");
        zmm_free(h, p0);
        zmm_free(h, p1);
        zmm_free(h, p2);
        s = stats_of(h);
        is_sz(s.real_size, 262144, "everything freed: back to one segment");
        check_clean(h, "rest test freed");
        zmm_heap_destroy(h);
    }
}

static void test_coalesce(void)
{
    zmm_heap *h = mkheap(false, NULL);
    void *a = zmm_malloc(h, 100), *b = zmm_malloc(h, 100), *c = zmm_malloc(h, 100), *d = zmm_malloc(h, 100);
    ok((char *)b == (char *)a + 120 && (char *)c == (char *)b + 120 && (char *)d == (char *)c + 120,
       "four adjacent 120-byte blocks");
    zmm_free(h, a);
    zmm_free(h, c);
    is_sz(free_bucket(h, 11)->n, 2, "A and C in bucket 11");
    zmm_free(h, b);
    zmm_stats s = stats_of(h);
    is_sz(free_bucket(h, 11)->n, 0, "bucket 11 emptied by coalescing");
    blocklist *bl = free_bucket(h, 41);
    ok(bl->n == 1 && bl->b[0].size == 360 && bl->b[0].address == hdr_of(a, R),
       "B merged with both neighbours: one 360 block at A (bucket 41)");
    is_sz(s.free_bitmap, (size_t)1 << 41, "free_bitmap: only bit 41");
    is_sz(s.size, 8208 + 120, "size counts only D");
    check_clean(h, "coalesce both sides");
    zmm_free(h, d);
    s = stats_of(h);
    is_sz(s.free_bitmap, 0, "D merged with 360 and the tail: no small bucket");
    trielist *t = trie(h, 17);
    ok(t->n == 1 && t->t[0].block.size == 253904, "D merged into one 253904 block");
    is_sz(all_segments(h)->s[0].blocks, 3, "segment back to reserve, free, guard");
    check_clean(h, "coalesce all");

    /* no two free blocks adjacent: free next then prev */
    a = zmm_malloc(h, 1000);
    b = zmm_malloc(h, 2000);
    c = zmm_malloc(h, 100);
    zmm_free(h, b);
    zmm_free(h, a);
    t = trie(h, 11);
    ok(t->n == 1 && t->t[0].block.size == 1016 + 2016 && t->t[0].block.address == hdr_of(a, R),
       "freeing A merges with the free B after it (3032, trie 11)");
    check_clean(h, "forward coalesce");
    zmm_free(h, c);
    check_clean(h, "forward coalesce, all freed");
    zmm_heap_destroy(h);
}

static void test_segment_release(void)
{
    for (int cache = 0; cache <= 1; cache++) {
        zmm_heap *h = mkheap(cache, NULL);
        void *p0 = zmm_malloc(h, 253888);
        void *q = zmm_malloc(h, 100);
        zmm_stats s = stats_of(h);
        is_sz(s.real_size, 524288, "a full first segment: the next request makes a second");
        is_sz(s.segments, 2, "two segments");
        zmm_free(h, q);
        s = stats_of(h);
        if (!cache) {
            is_sz(s.real_size, 262144, "cache off: emptied segment handed back at once");
            is_sz(s.segments, 1, "cache off: one segment");
        } else {
            is_sz(s.real_size, 524288, "cache on: the cached block keeps its segment");
            is_sz(s.cached, 120, "cache on: 120 cached");
            is_sz(s.size, 8208 + 253904 + 120, "cache on: size still counts the cached block");
            is_sz(zmm_memory_usage(h, false), 8208 + 253904, "cache on: memory_usage(false) = size - cached");
            zmm_heap_flush_cache(h);
            s = stats_of(h);
            is_sz(s.real_size, 262144, "flush: emptied segment handed back");
            is_sz(s.cached, 0, "flush: nothing cached");
            is_sz(s.size, 8208 + 253904, "flush: size no longer counts the flushed block");
        }
        is_sz(s.real_peak, 524288, "real_peak keeps the high mark");
        check_clean(h, cache ? "segment release (cache)" : "segment release");
        zmm_free(h, p0);
        zmm_heap_destroy(h);
    }
}

static void test_fifo_lifo(void)
{
    zmm_heap *h = mkheap(false, NULL);
    void *a = zmm_malloc(h, 100), *s1 = zmm_malloc(h, 100);
    void *b = zmm_malloc(h, 100), *s2 = zmm_malloc(h, 100);
    void *c = zmm_malloc(h, 100), *s3 = zmm_malloc(h, 100);
    zmm_free(h, b);
    zmm_free(h, a);
    zmm_free(h, c);
    blocklist *bl = free_bucket(h, 11);
    ok(bl->n == 3 && bl->b[0].address == hdr_of(b, R) && bl->b[1].address == hdr_of(a, R) &&
       bl->b[2].address == hdr_of(c, R), "bucket 11 listed oldest first: B, A, C");
    void *x = zmm_malloc(h, 100), *y = zmm_malloc(h, 100), *z = zmm_malloc(h, 100);
    ok(x == b && y == a && z == c, "small buckets are FIFO: B, then A, then C");
    /* any request of the bucket's range */
    zmm_free(h, a);
    is_ptr(zmm_malloc(h, 93), a, "a 93-byte request (bucket 11) takes the bucket-11 block");
    zmm_free(h, a); zmm_free(h, b); zmm_free(h, c);
    zmm_free(h, s1); zmm_free(h, s2); zmm_free(h, s3);
    check_clean(h, "fifo");
    zmm_heap_destroy(h);

    h = mkheap(true, NULL);
    a = zmm_malloc(h, 100);
    b = zmm_malloc(h, 100);
    c = zmm_malloc(h, 100);
    zmm_free(h, a);
    zmm_free(h, b);
    zmm_free(h, c);
    bl = cache_list(h, 11);
    ok(bl->n == 3 && bl->b[0].address == hdr_of(c, R) && bl->b[1].address == hdr_of(b, R) &&
       bl->b[2].address == hdr_of(a, R) && bl->b[0].state == ZMM_STATE_CACHED, "cache 11 listed newest first: C, B, A");
    zmm_stats s = stats_of(h);
    is_sz(s.cached, 360, "cached 360");
    is_sz(s.size, 8208 + 360, "cached blocks still counted in size");
    is_sz(zmm_memory_usage(h, false), 8208, "memory_usage(false) = size - cached");
    is_sz(free_bucket(h, 11)->n, 0, "cached blocks are not in the free bucket");
    x = zmm_malloc(h, 100);
    y = zmm_malloc(h, 100);
    z = zmm_malloc(h, 100);
    ok(x == c && y == b && z == a, "the cache is LIFO: C, then B, then A");
    is_sz(stats_of(h).cached, 0, "cache drained");
    zmm_free(h, x); zmm_free(h, y); zmm_free(h, z);
    check_clean(h, "lifo");
    zmm_heap_destroy(h);
}

/* collect every free block of every trie (nodes and twins) */
typedef struct tset {
    size_t n;
    uintptr_t addr[4096];
    size_t size[4096];
} tset;
static tset g_ts;
static void tset_node(int index, const zmm_trie_node_view *node, void *ctx)
{
    (void)index;
    tset *t = ctx;
    if (t->n < 4096) { t->addr[t->n] = node->block.address; t->size[t->n] = node->block.size; t->n++; }
}
static void tset_twin(int index, const zmm_block_view *b, void *ctx)
{
    (void)index;
    tset *t = ctx;
    if (t->n < 4096) { t->addr[t->n] = b->address; t->size[t->n] = b->size; t->n++; }
}

static uint64_t rng_state = 88172645463325252ull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static zmm_heap *mkheap_fit(bool exact_fit)
{
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.cache = false;
    cfg.exact_fit = exact_fit;
    return mkheap_cfg(&cfg, NULL);
}

static const char *mode_name(bool exact_fit) { return exact_fit ? "exact_fit" : "5.3"; }

/* every block freed: the heap is clean, holds one segment, and goes */
static void end_search_heap(zmm_heap *h, const char *what, const char *m)
{
    check_clean(h, what);
    is_sz(stats_of(h).real_size, 262144, "%s: %s: back to one segment", m, what);
    zmm_heap_destroy(h);
}

/* Trie 10 holding 2000 (root), 1600 (its child[1]), 1544 and 1800 (1600's
 * children), then a 1032 request (1016 bytes): its walk down trie 10 meets
 * only 2000 and keeps 1600 as the subtree of bigger sizes. Scanning that
 * subtree, 5.3 steps to child[1] (1800) because child[0] exists, and keeps
 * 1600; the true best fit steps to child[0] and takes 1544. */
static void test_search_in_own_trie(bool exact)
{
    const char *m = mode_name(exact);
    zmm_heap *h = mkheap_fit(exact);
    void *p2000 = zmm_malloc(h, 1984), *s1 = zmm_malloc(h, 100);
    void *p1600 = zmm_malloc(h, 1584), *s2 = zmm_malloc(h, 100);
    void *p1544 = zmm_malloc(h, 1528), *s3 = zmm_malloc(h, 100);
    void *p1800 = zmm_malloc(h, 1784), *s4 = zmm_malloc(h, 100);
    zmm_free(h, p2000);
    zmm_free(h, p1600);
    zmm_free(h, p1544);
    zmm_free(h, p1800);
    trielist *t = trie(h, 10);
    if (ok(t->n == 4, "%s: trie 10 holds 4 nodes", m)) {
        ok(t->t[0].block.size == 2000 && t->t[0].depth == 0 && t->t[0].child_bit == -1 &&
           t->t[0].child[0] == 0 && t->t[0].child[1] == hdr_of(p1600, R), "%s: root 2000, child[1] = 1600", m);
        ok(t->t[1].block.size == 1600 && t->t[1].depth == 1 && t->t[1].child_bit == 1 && t->t[1].path == 1 &&
           t->t[1].child[0] == hdr_of(p1544, R) && t->t[1].child[1] == hdr_of(p1800, R),
           "%s: 1600 at depth 1 (bit 9 = 1), children 1544 / 1800", m);
        ok(t->t[2].block.size == 1544 && t->t[2].depth == 2 && t->t[2].child_bit == 0 && t->t[2].path == 1,
           "%s: 1544 at depth 2 via child 1 then 0 (path 0b01)", m);
        ok(t->t[3].block.size == 1800 && t->t[3].depth == 2 && t->t[3].child_bit == 1 && t->t[3].path == 3,
           "%s: 1800 at depth 2 via child 1 then 1 (path 0b11)", m);
        for (size_t i = 0; i < 4 && i < t->n; i++)
            if (t->t[i].block.state != ZMM_STATE_LARGE) ok(0, "%s: trie node %zu state large", m, i);
    }
    void *q = zmm_malloc(h, 1016); /* true 1032 */
    if (exact) {
        is_ptr(q, p1544, "exact_fit: a 1032 request takes the 1544 block (the smallest that fits)");
        blocklist *bl = free_bucket(h, 60);
        ok(bl->n == 1 && bl->b[0].size == 512, "exact_fit: its 512-byte remainder goes to bucket 60");
    } else {
        is_ptr(q, p1600, "5.3: a 1032 request takes the 1600 block (the scan passes 1544 by)");
        t = trie(h, 9);
        ok(t->n == 1 && t->t[0].block.size == 568 && t->t[0].block.address == hdr_of(p1600, R) + 1032,
           "5.3: its 568-byte remainder goes to trie 9");
    }
    zmm_free(h, q);
    check_clean(h, "best fit shape");

    void *e = zmm_malloc(h, 1584); /* 1600 exact */
    is_ptr(e, p1600, "%s: exact size match taken", m);
    zmm_free(h, e);
    zmm_free(h, s1); zmm_free(h, s2); zmm_free(h, s3); zmm_free(h, s4);
    end_search_heap(h, "own trie", m);
}

/* Trie 10 empty, trie 11 holding 4000 (root), 3000 (its child[0]) and 2096
 * (3000's child[0]); a 1032 request goes to trie 11, where every block fits.
 * 5.3's walk steps to child[1] of the root, which is missing, and takes the
 * root; the true best fit follows child[0] down to 2096. */
static void test_search_in_next_trie(bool exact)
{
    const char *m = mode_name(exact);
    zmm_heap *h = mkheap_fit(exact);
    void *p4000 = zmm_malloc(h, 3984), *s1 = zmm_malloc(h, 100);
    void *p3000 = zmm_malloc(h, 2984), *s2 = zmm_malloc(h, 100);
    void *p2096 = zmm_malloc(h, 2080), *s3 = zmm_malloc(h, 100);
    zmm_free(h, p4000);
    zmm_free(h, p3000);
    zmm_free(h, p2096);
    trielist *t = trie(h, 11);
    ok(t->n == 3 && t->t[0].block.size == 4000 && t->t[0].child[0] == hdr_of(p3000, R) && t->t[0].child[1] == 0 &&
       t->t[1].block.size == 3000 && t->t[1].child[0] == hdr_of(p2096, R) && t->t[1].child[1] == 0 &&
       t->t[2].block.size == 2096, "%s: trie 11: 4000 -> child[0] 3000 -> child[0] 2096", m);
    void *q = zmm_malloc(h, 1016); /* true 1032, trie 10 is empty */
    if (exact) {
        is_ptr(q, p2096, "exact_fit: a 1032 request takes 2096, the smallest of trie 11");
    } else {
        is_ptr(q, p4000, "5.3: a 1032 request takes the root 4000 of trie 11 (root has no child[1])");
    }
    zmm_free(h, q);
    zmm_free(h, s1); zmm_free(h, s2); zmm_free(h, s3);
    end_search_heap(h, "next trie", m);
}

/* Twins: equal-size free blocks hang off one node, in a ring; the search
 * hands out the node's next, and when the node itself leaves the trie the
 * twin before it (its prev: the oldest twin) takes its place, as in 5.3. */
static void test_twins(bool exact)
{
    const char *m = mode_name(exact);
    zmm_heap *h = mkheap_fit(exact);
    void *a = zmm_malloc(h, 1984), *sa = zmm_malloc(h, 100);
    void *b = zmm_malloc(h, 1984), *sb = zmm_malloc(h, 100);
    zmm_free(h, a);
    zmm_free(h, b);
    trielist *t = trie(h, 10);
    ok(t->n == 1 && t->twins == 1 && t->t[0].twins == 1 && t->t[0].block.address == hdr_of(a, R),
       "%s: two 2000 blocks: one node (A) with one twin (B)", m);
    void *x = zmm_malloc(h, 1984);
    is_ptr(x, b, "%s: the twin is taken first, the node stays", m);
    t = trie(h, 10);
    ok(t->n == 1 && t->twins == 0 && t->t[0].block.address == hdr_of(a, R), "%s: node A left, no twin", m);
    zmm_free(h, x);
    zmm_free(h, sa); zmm_free(h, sb);
    end_search_heap(h, "twins", m);

    h = mkheap_fit(exact);
    a = zmm_malloc(h, 1984); sa = zmm_malloc(h, 100);
    void *ta = zmm_malloc(h, 100);  /* keeps sa's right neighbour used */
    b = zmm_malloc(h, 1984); sb = zmm_malloc(h, 100);
    void *c = zmm_malloc(h, 1984), *sc = zmm_malloc(h, 100);
    zmm_free(h, a);
    zmm_free(h, b);  /* ring A B */
    zmm_free(h, c);  /* joins right after the node: ring A C B, so A's prev is B */
    t = trie(h, 10);
    ok(t->n == 1 && t->twins == 2 && t->t[0].block.address == hdr_of(a, R), "%s: three 2000 blocks: node A, 2 twins", m);
    zmm_free(h, sa); /* A merges with its right neighbour and leaves the trie */
    t = trie(h, 10);
    ok(t->n == 1 && t->t[0].block.address == hdr_of(b, R) && t->t[0].twins == 1 && t->t[0].block.size == 2000,
       "%s: node A removed: B, the twin before it, takes its place (C stays its twin)", m);
    t = trie(h, 11);
    ok(t->n == 1 && t->t[0].block.address == hdr_of(a, R) && t->t[0].block.size == 2120,
       "%s: merged A (2000 + 120) is the node of trie 11", m);
    x = zmm_malloc(h, 1984);
    is_ptr(x, c, "%s: the next 2000 request takes C, the node's twin", m);
    zmm_free(h, x);
    zmm_free(h, ta); zmm_free(h, sb); zmm_free(h, sc);
    end_search_heap(h, "twin order", m);
}

/* Randomized: every large request gets a block that fits, of its exact size
 * when one is free; with exact_fit always the smallest that fits. Returns
 * how many requests got a bigger block than the smallest fitting one. */
static size_t test_search_random(bool exact)
{
    const char *m = mode_name(exact);
    zmm_heap *h = mkheap_fit(exact);
    enum { N = 600 };
    static void *blk[N], *spc[N];
    rng_state = 88172645463325252ull;
    for (int i = 0; i < N; i++) {
        size_t n = 544 + (size_t)(rnd() % 6000);
        blk[i] = zmm_malloc(h, n);
        spc[i] = zmm_malloc(h, (size_t)(rnd() % 64));
    }
    for (int i = 0; i < N; i++) {
        if (rnd() % 3) { zmm_free(h, blk[i]); blk[i] = NULL; }
    }
    check_clean(h, "random best fit setup");
    size_t unfit = 0, not_exact = 0, bigger = 0, trials = 0;
    for (int r = 0; r < 400; r++) {
        size_t n = 521 + (size_t)(rnd() % 7000);
        size_t ts = align8(n + 16);
        memset(&g_ts, 0, sizeof g_ts);
        for (int k = 0; k < 64; k++) zmm_inspect_large_tree(h, k, tset_node, tset_twin, &g_ts);
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < g_ts.n; i++)
            if (g_ts.size[i] >= ts && g_ts.size[i] < best) best = g_ts.size[i];
        void *p = zmm_malloc(h, n);
        if (best == SIZE_MAX) { zmm_free(h, p); continue; }
        trials++;
        uintptr_t hp = (uintptr_t)p - 16;
        size_t got = 0;
        for (size_t i = 0; i < g_ts.n; i++)
            if (g_ts.addr[i] == hp) got = g_ts.size[i];
        if (got < ts) {
            if (!unfit) diag("%s: request %zu (true %zu): got block %#lx, not a free block that fits", m, n, ts,
                             (unsigned long)hp);
            unfit++;
        } else if (got != best) {
            if (best == ts) not_exact++;
            bigger++;
        }
        zmm_free(h, p);
    }
    ok(unfit == 0, "%s randomized: %zu large requests each took a free block that fits", m, trials);
    ok(not_exact == 0, "%s randomized: an exact size was always taken when free", m);
    if (exact) ok(bigger == 0, "exact_fit randomized: always the smallest fitting size");
    for (int i = 0; i < N; i++) { zmm_free(h, blk[i]); zmm_free(h, spc[i]); }
    end_search_heap(h, "random best fit", m);
    return bigger;
}

static void test_best_fit(void)
{
    for (int exact = 0; exact < 2; exact++) {
        test_search_in_own_trie(exact);
        test_search_in_next_trie(exact);
        test_twins(exact);
    }
    size_t missed = test_search_random(false);
    test_search_random(true);
    is_sz(missed, 104, "5.3 randomized: 104 of the requests got a bigger block than the smallest that fits");
}

static void test_calloc_strdup_safe(void)
{
    errlog el;
    zmm_heap *h = mkheap(true, &el);
    unsigned char *p = zmm_malloc(h, 200);
    memset(p, 0xAB, 200);
    zmm_free(h, p);
    unsigned char *q = zmm_calloc(h, 1, 200);
    is_ptr(q, p, "calloc reuses the cached block");
    size_t nz = 0;
    for (size_t i = 0; i < 200; i++) nz += q[i] != 0;
    is_sz(nz, 0, "calloc zeroes a reused cached block");
    unsigned char *big = zmm_malloc(h, 100000);
    memset(big, 0xCD, 100000);
    zmm_free(h, big);
    unsigned char *bz = zmm_calloc(h, 1000, 100);
    is_ptr(bz, big, "large calloc reuses the freed block");
    nz = 0;
    for (size_t i = 0; i < 100000; i++) nz += bz[i] != 0;
    is_sz(nz, 0, "calloc zeroes a reused large block");
    is_sz(zmm_usable_size(h, bz), 100000, "calloc(1000, 100): 100000 usable");
    void *z0 = zmm_calloc(h, 0, 5);
    ok(z0 && zmm_is_live(h, z0), "calloc(0, 5) gives a live block");

    errlog_reset(&el);
    void *ov = zmm_calloc(h, SIZE_MAX / 2, 3);
    ok(ov == NULL, "calloc(SIZE_MAX/2, 3) fails");
    is_int(el.count, 1, "one error reported");
    is_int(el.kind, ZMM_ERR_OVERFLOW, "error kind overflow");
    is_str(el.msg, "Possible integer overflow in memory allocation (9223372036854775807 * 3 + 0)", "calloc overflow message");

    errlog_reset(&el);
    void *sm = zmm_safe_malloc(h, 10, 20, 5);
    ok(sm && zmm_usable_size(h, sm) == 205, "safe_malloc(10, 20, 5): 205 bytes");
    ok(zmm_safe_malloc(h, (size_t)1 << 32, (size_t)1 << 32, 0) == NULL, "safe_malloc(2^32, 2^32, 0) fails");
    is_str(el.msg, "Possible integer overflow in memory allocation (4294967296 * 4294967296 + 0)", "safe_malloc overflow message");
    is_int(el.kind, ZMM_ERR_OVERFLOW, "safe_malloc overflow kind");
    errlog_reset(&el);
    ok(zmm_safe_malloc(h, SIZE_MAX, 1, 1) == NULL, "safe_malloc(SIZE_MAX, 1, 1) fails (the add overflows)");
    is_str(el.msg, "Possible integer overflow in memory allocation (18446744073709551615 * 1 + 1)", "add overflow message");
    memcpy(sm, "0123456789", 10);
    errlog_reset(&el);
    ok(zmm_safe_realloc(h, sm, SIZE_MAX / 4, 8, 0) == NULL, "safe_realloc overflow fails");
    is_int(el.kind, ZMM_ERR_OVERFLOW, "safe_realloc overflow kind");
    ok(zmm_is_live(h, sm) && memcmp(sm, "0123456789", 10) == 0, "safe_realloc overflow leaves the block intact");
    void *sr = zmm_safe_realloc(h, sm, 100, 3, 1);
    ok(sr && zmm_usable_size(h, sr) == 301 && memcmp(sr, "0123456789", 10) == 0, "safe_realloc(100, 3, 1) grows to 301");

    size_t r = 0;
    ok(zmm_safe_address(SIZE_MAX, 1, 0, &r) && r == SIZE_MAX, "safe_address(SIZE_MAX, 1, 0) = SIZE_MAX");
    ok(!zmm_safe_address(SIZE_MAX, 2, 0, &r), "safe_address(SIZE_MAX, 2, 0) overflows");
    ok(!zmm_safe_address(SIZE_MAX - 1, 1, 2, &r), "safe_address(SIZE_MAX-1, 1, 2) overflows");
    ok(zmm_safe_address(0, SIZE_MAX, 5, &r) && r == 5, "safe_address(0, SIZE_MAX, 5) = 5");
    ok(zmm_safe_address(3, 7, 11, &r) && r == 32, "safe_address(3, 7, 11) = 32");
    ok(!zmm_safe_address((size_t)1 << 63, 2, 0, &r), "safe_address(2^63, 2, 0) overflows (5.2's adc corner)");
    ok(zmm_safe_address((size_t)1 << 62, 2, (size_t)1 << 62, &r) && r == ((size_t)3 << 62), "safe_address(2^62, 2, 2^62) = 3*2^62");

    char *s = zmm_strdup(h, "hello");
    ok(s && strcmp(s, "hello") == 0 && zmm_usable_size(h, s) == 6, "strdup(\"hello\"): 6 bytes");
    char *e = zmm_strdup(h, "");
    ok(e && e[0] == '\0' && zmm_usable_size(h, e) == 1, "strdup(\"\"): 1 byte");
    char *n = zmm_strndup(h, "hello world", 5);
    ok(n && strcmp(n, "hello") == 0 && zmm_usable_size(h, n) == 6, "strndup(\"hello world\", 5) = \"hello\", 6 bytes");
    char lit[600];
    memset(lit, 'x', sizeof lit - 1);
    lit[sizeof lit - 1] = '\0';
    char *l = zmm_strdup(h, lit);
    ok(l && strcmp(l, lit) == 0, "strdup of a 599-byte string (a large block)");
    zmm_free(h, s); zmm_free(h, e); zmm_free(h, n); zmm_free(h, l);
    zmm_free(h, q); zmm_free(h, bz); zmm_free(h, z0); zmm_free(h, sr);
    /* free(NULL) with a block still live, so a change to any figure shows */
    void *live = zmm_malloc(h, 100);
    zmm_stats before, after;
    zmm_heap_stats(h, &before);
    zmm_free(h, NULL);
    zmm_heap_stats(h, &after);
    ok(live && after.size == before.size && after.peak == before.peak && after.real_size == before.real_size &&
       after.cached == before.cached && after.live_blocks == before.live_blocks && after.segments == before.segments &&
       zmm_heap_check(h, NULL, NULL) == 0,
       "free(NULL) is a no-op: size, peak, real_size, cached, live blocks, segments unchanged; the heap checks clean");
    zmm_free(h, live);
    check_clean(h, "calloc/strdup/safe");
    zmm_heap_destroy(h);
}

int main(void)
{
    layout rl = layout_for(false, false);
    R = &rl;
    test_fresh_heap();
    test_split_remainders();
    test_huge_and_rest();
    test_rest_near_limit();
    test_coalesce();
    test_segment_release();
    test_fifo_lifo();
    test_best_fit();
    test_calloc_strdup_safe();
    return done_testing();
}
