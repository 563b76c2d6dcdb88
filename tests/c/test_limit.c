/* test_limit.c - the memory limit (§3.6): enforced only when a segment is
 * made or grown, the message, the clamp, a consistent heap afterwards. */
#include "helpers.h"

int main(void)
{
    errlog el;
    zmm_heap *h = mkheap(true, &el);
    is_sz(zmm_heap_set_limit(h, 1048576), (size_t)1 << 62, "set_limit returns the previous limit 2^62");
    is_sz(stats_of(h).limit, 1048576, "limit 1 MB");
    void *small = zmm_malloc(h, 100);
    void *x = zmm_malloc(h, 2097152);
    ok(x == NULL, "2 MB request over a 1 MB limit fails");
    is_int(el.count, 1, "one error");
    is_int(el.kind, ZMM_ERR_LIMIT, "kind ZMM_ERR_LIMIT");
    is_str(el.msg, "Allowed memory size of 1048576 bytes exhausted (tried to allocate 2097152 bytes)", "limit message");
    check_clean(h, "after the limit error");
    is_sz(stats_of(h).real_size, 262144, "no segment made");
    ok(zmm_is_live(h, small), "earlier block still live");
    void *y = zmm_malloc(h, 100);
    ok(y != NULL, "small allocations still work after the error");
    zmm_free(h, y);
    zmm_free(h, small);

    /* exactly at the limit is allowed: real_size + segment > limit fails */
    errlog_reset(&el);
    zmm_heap_set_limit(h, 524288);
    void *a = zmm_malloc(h, 200000);
    void *b = zmm_malloc(h, 200000);
    zmm_stats s = stats_of(h);
    ok(a && b, "two 200000-byte blocks fit in 512 KB");
    is_sz(s.real_size, 524288, "real_size = limit is allowed");
    void *c = zmm_malloc(h, 200000);
    ok(c == NULL, "a third segment would pass the limit");
    is_str(el.msg, "Allowed memory size of 524288 bytes exhausted (tried to allocate 200000 bytes)", "message names the request");
    check_clean(h, "at the limit");
    /* realloc over the limit keeps the block */
    fill_pattern(a, 200000, 11);
    errlog_reset(&el);
    void *a2 = zmm_realloc(h, a, 400000);
    ok(a2 == NULL, "realloc over the limit fails");
    is_int(el.kind, ZMM_ERR_LIMIT, "realloc: kind limit");
    is_str(el.msg, "Allowed memory size of 524288 bytes exhausted (tried to allocate 400000 bytes)", "realloc limit message");
    ok(zmm_is_live(h, a) && check_pattern(a, 200000, 11), "realloc failure: block live and intact");
    check_clean(h, "realloc at the limit");
    zmm_free(h, a);
    zmm_free(h, b);

    /* the clamp */
    is_sz(zmm_heap_set_limit(h, 100), 524288, "set_limit returns 524288");
    is_sz(stats_of(h).limit, 262144, "limit 100 is clamped to the segment size");
    zmm_heap_set_limit(h, ZMM_NO_LIMIT);
    is_sz(stats_of(h).limit, SIZE_MAX, "ZMM_NO_LIMIT lifts the limit");
    void *big = zmm_malloc(h, 8u << 20);
    ok(big != NULL, "8 MB with no limit");
    zmm_free(h, big);

    /* huge block realloc (segment level) over the limit */
    zmm_heap_set_limit(h, 4u << 20);
    errlog_reset(&el);
    void *m = zmm_malloc(h, 1048576);
    fill_pattern(m, 1048576, 12);
    void *m2 = zmm_realloc(h, m, 6u << 20);
    ok(m2 == NULL, "segment realloc over the limit fails");
    is_str(el.msg, "Allowed memory size of 4194304 bytes exhausted (tried to allocate 6291456 bytes)", "segment realloc limit message");
    ok(zmm_is_live(h, m) && check_pattern(m, 1048576, 12), "segment realloc failure: block intact");
    {
        blocklist *bl = all_blocks(h);
        int back = 0;
        for (size_t i = 0; i < bl->n && i < MAXV; i++)
            if (bl->b[i].address == (uintptr_t)m - 16 + 1048592 && bl->b[i].size == 262096 &&
                (bl->b[i].state == ZMM_STATE_REST || bl->b[i].state == ZMM_STATE_LARGE))
                back = 1;
        ok(back, "the 262096 tail is a free block again (rest list or trie)");
    }
    check_clean(h, "segment realloc over the limit");
    zmm_free(h, m);

    /* limit error flushes the cache (§3.1) and the heap stays usable */
    void *cc[100];
    for (int i = 0; i < 100; i++) cc[i] = zmm_malloc(h, 300);
    for (int i = 0; i < 100; i++) zmm_free(h, cc[i]);
    ok(stats_of(h).cached > 0, "blocks cached");
    errlog_reset(&el);
    ok(zmm_malloc(h, 16u << 20) == NULL, "16 MB over a 4 MB limit fails");
    is_sz(stats_of(h).cached, 0, "the limit error flushed the cache");
    check_clean(h, "after flush on limit error");
    zmm_heap_destroy(h);

    /* the heap is consistent inside the error callback: a segment realloc that
     * merged its free tail and then hit the limit */
    h = mkheap(false, &el);
    void *g = zmm_malloc(h, 1048576); /* 1.25 MB segment, 262096-byte tail on the rest list */
    zmm_heap_set_limit(h, stats_of(h).real_size);
    zmm_heap_reset_peak(h);
    errlog_reset(&el);
    ok(zmm_realloc(h, g, 2097152) == NULL, "growing the segment past the limit fails");
    is_int(el.kind, ZMM_ERR_LIMIT, "limit error");
    is_sz(el.cb_problems, 0, "heap check inside the error callback finds nothing");
    if (el.cb_problems) diag("inside the callback: %s", el.cb_first);
    check_clean(h, "after the failed segment growth");
    zmm_free(h, g);
    zmm_heap_destroy(h);

    /* and every limit error of this file was raised on a consistent heap */
    return done_testing();
}
