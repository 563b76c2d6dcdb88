/* test_owns.c - zmm_heap_owns: does an address lie in one of the heap's segments? */
#include "helpers.h"

#include <stdlib.h>

static seglist *segments_of(const zmm_heap *h)
{
    seglist *l = calloc(1, sizeof *l);
    if (!l) bail_out("out of memory");
    zmm_inspect_segments(h, collect_seg_cb, NULL, l);
    return l;
}

/* the expectation, from the inspection walk rather than the registry */
static bool in_some_segment(const seglist *l, uintptr_t a)
{
    for (size_t i = 0; i < l->n && i < MAXV; i++) {
        if (a >= l->s[i].address && a - l->s[i].address < l->s[i].size) return true;
    }
    return false;
}

static void test_one_segment(void)
{
    zmm_heap *h = mkheap(true, NULL);
    seglist *l = segments_of(h);
    is_sz(l->n, 1, "a fresh heap holds one segment (the reserve's)");
    uintptr_t a = l->s[0].address, end = a + l->s[0].size;
    ok(zmm_heap_owns(h, (void *)a), "the segment's first byte is owned");
    ok(zmm_heap_owns(h, (void *)(end - 1)), "its last byte is owned");
    ok(!zmm_heap_owns(h, (void *)end), "one past its end is not");
    ok(!zmm_heap_owns(h, (void *)(a - 1)), "the byte before it is not");
    ok(!zmm_heap_owns(h, NULL), "NULL is not");
    int local = 0;
    ok(!zmm_heap_owns(h, &local), "a stack address is not");
    void *m = malloc(64);
    ok(!zmm_heap_owns(h, m), "a block of the system malloc is not");
    free(m);

    void *p = zmm_malloc(h, 100);
    ok(zmm_heap_owns(h, p), "a live block is owned");
    ok(zmm_heap_owns(h, (char *)p + 99), "its last byte is owned");
    ok(zmm_heap_owns(h, zmm_block_header(h, p)), "its header is owned");
    zmm_free(h, p);
    ok(zmm_heap_owns(h, p), "a cached block still lies in the heap's segment");
    zmm_heap_flush_cache(h);
    ok(zmm_heap_owns(h, p), "a free block still lies in the heap's segment");
    free(l);
    zmm_heap_destroy(h);
}

static void test_release_and_switch(void)
{
    zmm_heap *h = mkheap(true, NULL);
    void *big = zmm_malloc(h, 300000);     /* a segment of its own */
    is_sz(stats_of(h).segments, 2, "a segment-sized block adds a segment");
    ok(zmm_heap_owns(h, big), "the segment-sized block is owned");
    zmm_free(h, big);
    is_sz(stats_of(h).segments, 1, "freeing it releases its segment");
    ok(!zmm_heap_owns(h, big), "after the release its address is not owned");

    void *small = zmm_malloc(h, 40);
#ifdef _WIN32
    const zmm_storage_handlers *other = zmm_storage_find("malloc");
#else
    const zmm_storage_handlers *other = zmm_storage_find("mmap_anon");
#endif
    ok(zmm_heap_set_storage(h, other, NULL), "switch to %s", other->name);
    void *big2 = zmm_malloc(h, 300000);
    ok(zmm_heap_owns(h, small) && zmm_heap_owns(h, big2), "after the switch blocks of both storages are owned");
    zmm_heap *h2 = mkheap(true, NULL);
    void *q = zmm_malloc(h2, 40);
    ok(!zmm_heap_owns(h, q) && !zmm_heap_owns(h2, small) && !zmm_heap_owns(h2, big2),
       "blocks of another heap are not owned, nor ours by it");
    zmm_free(h, big2);
    ok(!zmm_heap_owns(h, big2), "the new storage's segment released: not owned");
    ok(zmm_heap_owns(h, small), "the old storage's segment is still owned");

    /* partial shutdown: old addresses are owned only if a new segment covers them */
    zmm_heap_shutdown(h);
    seglist *l = segments_of(h);
    ok(zmm_heap_owns(h, small) == in_some_segment(l, (uintptr_t)small),
       "after shutdown an old address is owned exactly when the new reserve segment covers it");
    free(l);
    zmm_heap_destroy(h2);
    zmm_heap_destroy(h);
}

/* Many small segments: every probe agrees with the inspection walk. */
static void test_many_segments(void)
{
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.segment_size = 4096;
    cfg.reserve_size = 0;
    zmm_heap *h = mkheap_cfg(&cfg, NULL);
    void *p[300];
    for (int i = 0; i < 300; i++) p[i] = zmm_malloc(h, 3000);
    for (int i = 0; i < 300; i += 3) zmm_free(h, p[i]);    /* release some, leave holes */
    seglist *l = segments_of(h);
    is_sz(l->n, 200, "200 segments of 4096 bytes");
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    size_t bad = 0, probes = 0, owned = 0;
    for (size_t i = 0; i < l->n; i++) {
        uintptr_t a = l->s[i].address, e = a + l->s[i].size;
        if (a < lo) lo = a;
        if (e > hi) hi = e;
        if (!zmm_heap_owns(h, (void *)a) || !zmm_heap_owns(h, (void *)(e - 1))) bad++;
        if (zmm_heap_owns(h, (void *)e) != in_some_segment(l, e)) bad++;
        if (zmm_heap_owns(h, (void *)(a - 1)) != in_some_segment(l, a - 1)) bad++;
    }
    ok(bad == 0, "every segment: first and last byte owned, the bytes around it as the walk says");
    bad = 0;
    for (uintptr_t a = lo - 8192; a < hi + 8192; a += 24) {
        bool want = in_some_segment(l, a);
        probes++;
        owned += want;
        if (zmm_heap_owns(h, (void *)a) != want) bad++;
        if (probes >= 40000) break;
    }
    ok(bad == 0 && owned > 0 && owned < probes, "%zu probes across the span (%zu inside): all agree with the walk",
       probes, owned);
    for (int i = 0; i < 300; i++) {
        if (i % 3) zmm_free(h, p[i]);
    }
    is_sz(stats_of(h).segments, 0, "every segment released");
    ok(!zmm_heap_owns(h, p[1]), "a heap without segments owns nothing");
    free(l);
    zmm_heap_destroy(h);
}

/* The memo zmm_heap_owns keeps (and the engine heap tests inline): a hit
 * only for a segment found before and still live. */
static void test_memo(void)
{
    zmm_heap *h = mkheap(true, NULL);
    const zmm_owns_memo *memo = zmm_heap_owns_memo(h);
    void *big = zmm_malloc(h, 300000);     /* a segment of its own */
    ok(!zmm_owns_memo_hit(memo, big), "the memo misses a segment not asked about yet");
    ok(zmm_heap_owns(h, big), "zmm_heap_owns finds it");
    ok(zmm_owns_memo_hit(memo, big) && zmm_owns_memo_hit(memo, (char *)big + 1000),
       "then the memo hits, anywhere in the window");
    int local = 0;
    ok(!zmm_owns_memo_hit(memo, &local) && !zmm_owns_memo_hit(memo, NULL), "a stack address and NULL miss");
    zmm_free(h, big);
    ok(!zmm_owns_memo_hit(memo, big), "releasing the segment empties the memo");
    ok(!zmm_heap_owns(h, big), "and its address is not owned");
    zmm_heap_destroy(h);
}

static void test_passthrough(void)
{
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.use_zend_alloc = false;
    zmm_heap *h = mkheap_cfg(&cfg, NULL);
    void *p = zmm_malloc(h, 100);
    ok(p && zmm_is_live(h, p), "pass-through: a live block");
    ok(!zmm_heap_owns(h, p), "pass-through: the system allocator's block lies in no segment");
    zmm_free(h, p);
    zmm_heap_destroy(h);
}

int main(void)
{
    test_one_segment();
    test_release_and_switch();
    test_many_segments();
    test_memo();
    test_passthrough();
    return done_testing();
}
