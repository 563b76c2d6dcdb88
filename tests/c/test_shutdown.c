/* test_shutdown.c - partial shutdown (§3.5), compaction at shutdown, destroy. */
#include "helpers.h"
#include "teststorage.h"

int main(void)
{
    errlog el;
    test_storage_ctl ctl;
    test_storage_ctl_reset(&ctl);
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.storage = &test_storage_handlers;
    cfg.storage_params = &ctl;
    cfg.compact_size = 1048576;
    zmm_heap *h = mkheap_cfg(&cfg, &el);

    void *p[200];
    for (int i = 0; i < 200; i++) p[i] = zmm_malloc(h, (size_t)(i * 97 % 3000));
    void *huge = zmm_malloc(h, 2u << 20);
    for (int i = 0; i < 200; i += 2) zmm_free(h, p[i]);
    zmm_heap_set_limit(h, 64u << 20);
    zmm_stats s = stats_of(h);
    ok(s.cached > 0 && s.segments >= 2 && s.real_peak > 1048576, "busy heap before shutdown");
    zmm_heap_shutdown(h);
    s = stats_of(h);
    is_sz(s.real_size, 262144, "partial shutdown: real_size 262144");
    is_sz(s.size, 8208, "partial shutdown: size 8208");
    is_sz(s.peak, 8208, "partial shutdown: peak 8208");
    is_sz(s.real_peak, 262144, "partial shutdown: real_peak 262144");
    is_sz(s.cached, 0, "partial shutdown: cache empty");
    is_sz(s.segments, 1, "partial shutdown: one segment (the reserve's)");
    is_sz(s.live_blocks, 0, "partial shutdown: no live blocks");
    is_sz(s.free_bitmap, 0, "partial shutdown: free_bitmap 0");
    is_sz(s.large_free_bitmap, (size_t)1 << 17, "partial shutdown: large_free_bitmap bit 17");
    is_sz(s.limit, 64u << 20, "partial shutdown keeps the limit");
    ok(s.reserve_held, "partial shutdown re-makes the reserve");
    int counts = 0;
    for (int i = 0; i <= 64; i++) counts += s.cache_stat[i].count;
    is_int(counts, 0, "partial shutdown: cache counts reset");
    is_int(ctl.compacts, 1, "real_peak > compact_size: storage compacted");
    is_int(ctl.live_segments, 1, "storage holds only the new reserve segment");
    int stale = 0;
    for (int i = 1; i < 200; i += 2)
        if (zmm_is_live(h, p[i])) stale++;
    if (zmm_is_live(h, huge)) stale++;
    is_int(stale, 0, "pointers from before the shutdown are not live");
    errlog_reset(&el);
    ok(!zmm_free_checked(h, p[1]), "free_checked of a pre-shutdown pointer refused");
    is_int(el.kind, ZMM_ERR_INVALID_PTR, "... as an invalid pointer");
    check_clean(h, "after partial shutdown");
    void *q = zmm_malloc(h, 100);
    ok(q && zmm_is_live(h, q), "heap usable after shutdown");
    zmm_free(h, q);

    /* real_peak below compact_size: no compaction */
    zmm_heap_shutdown(h);
    is_int(ctl.compacts, 1, "small real_peak: no compaction");
    /* compact_size 0 disables it */
    zmm_heap_destroy(h);
    is_int(ctl.dtors, ctl.inits, "destroy: storage destroyed");
    is_int(ctl.live_segments, 0, "destroy: every segment handed back");

    test_storage_ctl_reset(&ctl);
    cfg.compact_size = 0;
    h = mkheap_cfg(&cfg, &el);
    huge = zmm_malloc(h, 8u << 20);
    zmm_heap_shutdown(h);
    is_int(ctl.compacts, 0, "compact_size 0: never compacted at shutdown");
    ok(zmm_heap_compact(h) == 0 && ctl.compacts == 1, "zmm_heap_compact compacts on demand");
    /* destroy with live blocks of every kind */
    void *x = zmm_malloc(h, 50), *y = zmm_malloc(h, 5000), *z = zmm_malloc(h, 5u << 20);
    zmm_free(h, x);
    (void)y; (void)z;
    zmm_heap_destroy(h);
    is_int(ctl.live_segments, 0, "destroy with live blocks: every segment handed back");
    is_int(ctl.dtors, ctl.inits, "destroy with live blocks: storage destroyed");

    /* shutdown with protections and small segments */
    for (int mode = 0; mode < 4; mode++) {
        layout L = layout_for(mode & 1, mode & 2);
        zmm_config_defaults(&cfg);
        cfg.cookies = mode & 1;
        cfg.protection = mode & 2;
        cfg.segment_size = 4096;
        h = mkheap_cfg(&cfg, NULL);
        size_t rs = exp_true(&L, 8192);
        size_t seg = exp_segment(&L, rs, 4096);
        s = stats_of(h);
        ok(s.size == rs && s.real_size == seg, "layout %d, 4 KB segments: fresh size %zu real %zu (want %zu / %zu)", mode,
           s.size, s.real_size, rs, seg);
        for (int i = 0; i < 100; i++) zmm_malloc(h, (size_t)(i * 37 % 2000));
        zmm_heap_shutdown(h);
        s = stats_of(h);
        ok(s.size == rs && s.real_size == seg && s.peak == rs && s.real_peak == seg && s.segments == 1,
           "layout %d: shutdown resets to size %zu real %zu", mode, rs, seg);
        check_clean(h, "shutdown with layout");
        zmm_heap_destroy(h);
    }
    return done_testing();
}
