/* test_realloc.c - every realloc path of §3.3: shrink in place, grow into the
 * next free block, the rest-list remainder, segment-level realloc, the cache
 * fast path and the allocate-copy-free fallback. */
#include "helpers.h"

static layout Lr;
#define R (&Lr)

static size_t bsize(zmm_heap *h, void *p)
{
    zmm_block_view bv;
    return zmm_block_info(h, p, &bv, &g_sv_dummy) ? bv.size : 0;
}

static void test_basic(void)
{
    zmm_heap *h = mkheap(false, NULL);
    void *p = zmm_realloc(h, NULL, 100);
    ok(p && zmm_is_live(h, p) && zmm_usable_size(h, p) == 100, "realloc(NULL, 100) allocates");
    is_sz(stats_of(h).size, 8208 + 120, "realloc(NULL) counts like malloc");
    fill_pattern(p, 100, 1);
    void *z = zmm_realloc(h, p, 0);
    is_ptr(z, p, "realloc(p, 0) shrinks in place");
    ok(zmm_is_live(h, z), "realloc(p, 0) keeps a live block");
    is_sz(zmm_usable_size(h, z), 0, "realloc(p, 0): usable 0");
    is_sz(bsize(h, z), 32, "realloc(p, 0): block shrinks to 32");
    zmm_free(h, z);
    check_clean(h, "basic realloc");
    zmm_heap_destroy(h);
}

static void test_shrink(void)
{
    zmm_heap *h = mkheap(false, NULL);
    /* shrink with a used neighbour: remainder to a bucket */
    void *p = zmm_malloc(h, 1000), *s = zmm_malloc(h, 100);
    fill_pattern(p, 1000, 2);
    size_t before = stats_of(h).size;
    void *q = zmm_realloc(h, p, 500);
    is_ptr(q, p, "shrink 1000 -> 500 in place");
    is_sz(bsize(h, q), 520, "block is now 520");
    ok(check_pattern(q, 500, 2), "contents kept");
    is_sz(stats_of(h).size, before - 496, "size drops by 496");
    blocklist *bl = free_bucket(h, 58);
    ok(bl->n == 1 && bl->b[0].size == 496 && bl->b[0].address == hdr_of(q, R) + 520, "remainder 496 in bucket 58");
    check_clean(h, "shrink, used neighbour");

    /* shrink by less than the minimum block: nothing moves */
    void *r = zmm_malloc(h, 1000);
    void *s2 = zmm_malloc(h, 100);
    before = stats_of(h).size;
    void *r2 = zmm_realloc(h, r, 990); /* true 1008, rem 8 */
    is_ptr(r2, r, "shrink 1000 -> 990 in place");
    is_sz(bsize(h, r2), 1016, "remainder 8 < 32: block keeps 1016");
    is_sz(zmm_usable_size(h, r2), 990, "usable size is the new request");
    is_sz(stats_of(h).size, before, "size unchanged");
    zmm_free(h, r2);
    zmm_free(h, s2);
    zmm_free(h, q);
    zmm_free(h, s);
    check_clean(h, "shrink cleanup");
    zmm_heap_destroy(h);

    /* shrink next to the free tail: the remainder merges with it */
    h = mkheap(false, NULL);
    p = zmm_malloc(h, 1000);
    trielist *t = trie(h, 17);
    ok(t->n == 1 && t->t[0].block.size == 252888, "tail after a 1016 block: 252888");
    q = zmm_realloc(h, p, 500);
    is_ptr(q, p, "shrink before the free tail, in place");
    t = trie(h, 17);
    ok(t->n == 1 && t->t[0].block.size == 252888 + 496 && t->t[0].block.address == hdr_of(q, R) + 520,
       "remainder 496 merged with the tail: 253384");
    is_sz(stats_of(h).free_bitmap, 0, "no small bucket used");
    zmm_free(h, q);
    check_clean(h, "shrink into tail");
    zmm_heap_destroy(h);
}

static void test_grow_next(void)
{
    zmm_heap *h = mkheap(false, NULL);
    void *p = zmm_malloc(h, 1000), *n = zmm_malloc(h, 1000), *s = zmm_malloc(h, 100);
    zmm_free(h, n);
    fill_pattern(p, 1000, 3);
    zmm_heap_reset_peak(h);
    size_t before = stats_of(h).size;
    void *q = zmm_realloc(h, p, 1500); /* true 1520 from 1016 + 1016 */
    is_ptr(q, p, "grow 1000 -> 1500 into the free next block, in place");
    ok(check_pattern(q, 1000, 3), "contents kept");
    is_sz(bsize(h, q), 1520, "block is now 1520");
    is_sz(stats_of(h).size, before + 504, "size += 504");
    blocklist *bl = free_bucket(h, 60);
    ok(bl->n == 1 && bl->b[0].size == 512 && bl->b[0].address == hdr_of(q, R) + 1520,
       "remainder 512 (not first in segment) goes to bucket 60");
    is_sz(rest_list(h)->n, 0, "nothing on the rest list");
    is_sz(stats_of(h).peak, stats_of(h).size, "peak follows realloc growth");
    zmm_free(h, q);
    zmm_free(h, s);
    check_clean(h, "grow into next");
    zmm_heap_destroy(h);

    /* first block of its segment, remainder ends at the guard: rest list */
    h = mkheap(false, NULL);
    void *p0 = zmm_malloc(h, 253888);
    void *b = zmm_malloc(h, 254000); /* a new segment: 254016 + 8096 free */
    is_sz(stats_of(h).real_size, 524288, "second segment made");
    trielist *t = trie(h, 12);
    ok(t->n == 1 && t->t[0].block.size == 8096, "its 8096 tail goes to the trie (not an oversized request)");
    fill_pattern(b, 254000, 4);
    void *b2 = zmm_realloc(h, b, 256000); /* true 256016, rem 6096 */
    is_ptr(b2, b, "grow into the tail in place");
    ok(check_pattern(b2, 254000, 4), "contents kept");
    bl = rest_list(h);
    ok(bl->n == 1 && bl->b[0].size == 6096 && bl->b[0].address == hdr_of(b2, R) + 256016,
       "first block + remainder at the guard: remainder 6096 goes to the rest list");
    is_sz(stats_of(h).large_free_bitmap, 0, "trie empty");
    zmm_free(h, b2);
    is_sz(stats_of(h).real_size, 262144, "freeing it releases the segment");
    zmm_free(h, p0);
    check_clean(h, "grow into next, rest remainder");
    zmm_heap_destroy(h);
}

static void test_segment_realloc(void)
{
    zmm_heap *h = mkheap(false, NULL);
    unsigned char *p = zmm_malloc(h, 1048576);
    fill_pattern(p, 1048576, 5);
    is_sz(stats_of(h).real_size, 262144 + 1310720, "1 MB block: 1.25 MB segment");
    unsigned char *q = zmm_realloc(h, p, 2097152); /* true 2097168 -> 2359296 */
    ok(q != NULL, "grow 1 MB -> 2 MB");
    ok(check_pattern(q, 1048576, 5), "contents kept across the segment realloc");
    zmm_stats s = stats_of(h);
    is_sz(s.real_size, 262144 + 2359296, "segment resized to 2.25 MB (real_size)");
    is_sz(s.segments, 2, "still two segments");
    is_sz(s.size, 8208 + 2097168, "size = reserve + 2097168");
    is_sz((uintptr_t)q, all_segments(h)->s[0].address + 32, "the block is first in its (moved) segment");
    blocklist *bl = rest_list(h);
    ok(bl->n == 1 && bl->b[0].size == 262096, "new remainder 262096 on the rest list");
    is_sz(bsize(h, q), 2097168, "block is 2097168");
    check_clean(h, "segment realloc grow");

    /* shrink: the remainder (with the absorbed rest block) goes to the normal lists */
    unsigned char *r = zmm_realloc(h, q, 1048576);
    is_ptr(r, q, "shrink 2 MB -> 1 MB in place");
    ok(check_pattern(r, 1048576, 5), "contents kept");
    s = stats_of(h);
    is_sz(s.real_size, 262144 + 2359296, "segment not shrunk (as 5.3)");
    is_sz(rest_list(h)->n, 0, "rest block absorbed");
    trielist *t = trie(h, 20);
    ok(t->n == 1 && t->t[0].block.size == 1048576 + 262096, "remainder 1310672 in trie 20");
    zmm_free(h, r);
    s = stats_of(h);
    is_sz(s.real_size, 262144, "free: segment released");
    is_sz(s.real_peak, 262144 + 2359296, "real_peak 2621440");
    check_clean(h, "segment realloc shrink/free");

    /* a block filling its segment exactly: next is the guard */
    p = zmm_malloc(h, 524240); /* true 524256 + 32 = 524288 */
    is_sz(stats_of(h).real_size, 262144 + 524288, "524240-byte request: exact 512 KB segment");
    is_sz(rest_list(h)->n, 0, "no remainder");
    fill_pattern(p, 524240, 6);
    q = zmm_realloc(h, p, 600000); /* true 600016 -> 786432, rem 186384 */
    ok(q && check_pattern(q, 524240, 6), "grow a segment-filling block: contents kept");
    is_sz(stats_of(h).real_size, 262144 + 786432, "segment grown to 768 KB");
    bl = rest_list(h);
    ok(bl->n == 1 && bl->b[0].size == 186384, "remainder 186384 on the rest list");
    zmm_free(h, q);
    check_clean(h, "segment-filling block");
    zmm_heap_destroy(h);
}

static void test_fallback_and_cache(void)
{
    zmm_heap *h = mkheap(false, NULL);
    void *p = zmm_malloc(h, 1000), *s = zmm_malloc(h, 100);
    fill_pattern(p, 1000, 7);
    void *q = zmm_realloc(h, p, 3000);
    ok(q && q != p, "grow with a used neighbour: moved");
    ok(check_pattern(q, 1000, 7), "contents copied");
    ok(!zmm_is_live(h, p), "old pointer no longer live");
    trielist *t = trie(h, 9);
    ok(t->n == 1 && t->t[0].block.address == hdr_of(p, R) && t->t[0].block.size == 1016, "old block freed (trie 9)");
    is_sz(stats_of(h).size, 8208 + 120 + 3016, "size = reserve + spacer + 3016");
    zmm_free(h, q);
    zmm_free(h, s);
    check_clean(h, "fallback");
    zmm_heap_destroy(h);

    h = mkheap(true, NULL);
    void *c = zmm_malloc(h, 200); /* 216, bucket 23 */
    p = zmm_malloc(h, 100);
    s = zmm_malloc(h, 100);
    zmm_free(h, c);
    fill_pattern(p, 100, 8);
    zmm_stats s0 = stats_of(h);
    is_sz(s0.cached, 216, "216 cached");
    q = zmm_realloc(h, p, 200);
    is_ptr(q, c, "realloc to a cached size takes the cached block");
    ok(check_pattern(q, 100, 8), "contents copied");
    zmm_stats s1 = stats_of(h);
    is_sz(s1.cached, 120, "old block went to cache 11: cached = 216 - (216 - 120)");
    is_sz(s1.size, s0.size, "size unchanged by the cache swap");
    is_int(s1.cache_stat[23].hit - s0.cache_stat[23].hit, 1, "cache 23 hit counted");
    blocklist *bl = cache_list(h, 11);
    ok(bl->n == 1 && bl->b[0].address == hdr_of(p, R), "old block cached in bucket 11");
    is_sz(zmm_usable_size(h, q), 200, "usable 200");
    zmm_free(h, q);
    zmm_free(h, s);
    check_clean(h, "cache realloc");
    zmm_heap_destroy(h);
}

static void test_protected_realloc(void)
{
    for (int mode = 1; mode <= 3; mode++) {
        bool cookies = mode & 1, prot = mode & 2;
        layout L = layout_for(cookies, prot);
        zmm_config cfg;
        zmm_config_defaults(&cfg);
        cfg.cookies = cookies;
        cfg.protection = prot;
        cfg.fill_freed = prot;
        cfg.cache = false;
        zmm_heap *h = mkheap_cfg(&cfg, NULL);
        unsigned char *p = zmm_malloc(h, 10);
        fill_pattern(p, 10, 9);
        size_t sizes[] = {100, 50, 600, 3000, 20, 300000, 1000, 0, 77};
        size_t cur = 10, bad = 0;
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            unsigned char *q = zmm_realloc(h, p, sizes[i]);
            size_t keep = cur < sizes[i] ? cur : sizes[i];
            if (!q || !check_pattern(q, keep, 9) || zmm_usable_size(h, q) != sizes[i] ||
                zmm_block_size(h, q) != (prot ? sizes[i] : bsize(h, q)) || bsize(h, q) < exp_true(&L, sizes[i]) ||
                bsize(h, q) >= exp_true(&L, sizes[i]) + L.minhdr)
                bad++;
            if (q) { p = q; cur = sizes[i]; fill_pattern(p, cur, 9); }
        }
        ok(bad == 0, "layout %d: realloc chain keeps contents, usable size and block size", mode);
        check_clean(h, "protected realloc chain");
        zmm_free(h, p);
        is_sz(stats_of(h).size, exp_true(&L, 8192), "layout %d: size back to the reserve (%zu)", mode, exp_true(&L, 8192));
        zmm_heap_destroy(h);
    }
}

int main(void)
{
    Lr = layout_for(false, false);
    test_basic();
    test_shrink();
    test_grow_next();
    test_segment_realloc();
    test_fallback_and_cache();
    test_protected_realloc();
    return done_testing();
}
