/* test_stats.c - size / peak / real_size / real_peak / cached after known
 * sequences (§3.8), the cache statistics (§2.7) and the cache cap (§2.6). */
#include "helpers.h"

static void test_sequence(void)
{
    zmm_heap *h = mkheap(true, NULL);
    void *a = zmm_malloc(h, 100), *b = zmm_malloc(h, 200), *c = zmm_malloc(h, 1000);
    zmm_stats s = stats_of(h);
    is_sz(s.size, 8208 + 120 + 216 + 1016, "alloc 100, 200, 1000: size 9560");
    is_sz(s.peak, 9560, "peak 9560");
    is_sz(s.real_size, 262144, "real_size 262144");
    is_sz(s.live_blocks, 3, "3 live blocks");
    zmm_free(h, b);
    s = stats_of(h);
    is_sz(s.cached, 216, "free 200: 216 cached");
    is_sz(s.size, 9560, "free 200: size unchanged (cached)");
    is_sz(zmm_memory_usage(h, false), 9344, "memory_usage(false) = 9560 - 216");
    is_sz(s.live_blocks, 2, "2 live blocks (a cached block is not live)");
    zmm_free(h, c);
    s = stats_of(h);
    is_sz(s.size, 8544, "free 1000 (large, not cached): size 8544");
    is_sz(zmm_memory_usage(h, false), 8328, "memory_usage(false) = 8544 - 216");
    is_sz(s.peak, 9560, "peak kept at 9560");
    is_sz(zmm_memory_peak_usage(h, false), 9560, "peak_usage(false) 9560");
    void *b2 = zmm_malloc(h, 200);
    is_ptr(b2, b, "200 again comes from the cache");
    s = stats_of(h);
    is_sz(s.size, 8544, "cache hit: size unchanged");
    is_sz(s.cached, 0, "cache hit: cached 0");
    is_sz(s.peak, 9560, "cache hit: peak unchanged");
    zmm_heap_reset_peak(h);
    s = stats_of(h);
    is_sz(s.peak, s.size, "reset_peak: peak = size");
    is_sz(s.real_peak, s.real_size, "reset_peak: real_peak = real_size");
    void *big = zmm_malloc(h, 500000);
    s = stats_of(h);
    is_sz(s.real_size, 262144 + 524288, "500000-byte request: 512 KB segment");
    is_sz(s.real_peak, 786432, "real_peak 786432");
    is_sz(s.peak, 8544 + 500016, "peak follows size");
    zmm_free(h, big);
    s = stats_of(h);
    is_sz(s.real_size, 262144, "freed: real_size 262144");
    is_sz(s.real_peak, 786432, "real_peak stays");
    is_sz(zmm_memory_usage(h, true), 262144, "memory_usage(true) = real_size");
    is_sz(zmm_memory_peak_usage(h, true), 786432, "peak_usage(true) = real_peak");
    zmm_free(h, a);
    zmm_free(h, b2);
    check_clean(h, "stats sequence");
    zmm_heap_destroy(h);
}

static void test_cache_stats(void)
{
    zmm_heap *h = mkheap(true, NULL);
    zmm_stats s0 = stats_of(h);
    void *a = zmm_malloc(h, 100);
    zmm_stats s1 = stats_of(h);
    is_int(s1.cache_stat[11].miss - s0.cache_stat[11].miss, 1, "alloc 100 with an empty cache: miss on bucket 11");
    is_int(s1.cache_stat[64].miss - s0.cache_stat[64].miss, 1, "... and a global miss (served from the trie)");
    zmm_free(h, a);
    zmm_stats s2 = stats_of(h);
    is_int(s2.cache_stat[11].count, 1, "free: count 1");
    ok(s2.cache_stat[11].max_count >= 1, "free: max_count >= 1");
    void *b = zmm_malloc(h, 100);
    zmm_stats s3 = stats_of(h);
    is_int(s3.cache_stat[11].hit - s2.cache_stat[11].hit, 1, "alloc 100 again: hit on bucket 11");
    is_int(s3.cache_stat[11].count, 0, "count back to 0");
    is_int(s3.cache_stat[11].max_count, s2.cache_stat[11].max_count, "max_count kept");
    zmm_free(h, b);
    zmm_heap_destroy(h);

    /* global hit: a small request served through the free bitmap (cache off) */
    h = mkheap(false, NULL);
    a = zmm_malloc(h, 100);
    void *sp = zmm_malloc(h, 100);
    zmm_free(h, a);
    s0 = stats_of(h);
    b = zmm_malloc(h, 100);
    s1 = stats_of(h);
    is_ptr(b, a, "served from bucket 11");
    is_int(s1.cache_stat[64].hit - s0.cache_stat[64].hit, 1, "a bitmap hit counts in cache_stat[64].hit");
    zmm_free(h, b);
    zmm_free(h, sp);
    zmm_heap_destroy(h);
}

/* cache_stat off (5.3's release builds): nothing is counted, everything else
 * is as with it on, on the release paths and the general ones (cookies) */
static void test_cache_stats_off(bool cookies)
{
    zmm_config on_cfg, off_cfg;
    zmm_config_defaults(&on_cfg);
    on_cfg.cookies = cookies;
    off_cfg = on_cfg;
    off_cfg.cache_stat = false;
    zmm_heap *on = mkheap_cfg(&on_cfg, NULL), *off = mkheap_cfg(&off_cfg, NULL);
    zmm_heap *hs[2] = { on, off };
    ptrdiff_t at[2][60];
    for (int k = 0; k < 2; k++) {
        void *p[60];
        uintptr_t base = (uintptr_t)zmm_malloc(hs[k], 8);
        for (int i = 0; i < 60; i++) p[i] = zmm_malloc(hs[k], 16 + 24 * (size_t)(i % 9));
        for (int i = 0; i < 60; i += 2) zmm_free(hs[k], p[i]);
        for (int i = 0; i < 60; i += 2) p[i] = zmm_malloc(hs[k], 16 + 24 * (size_t)(i % 5));
        p[1] = zmm_realloc(hs[k], p[1], 300);
        for (int i = 0; i < 60; i++) at[k][i] = (ptrdiff_t)((uintptr_t)p[i] - base);
    }
    ok(!memcmp(at[0], at[1], sizeof at[0]), "cache_stat off%s: every block where it is with it on", cookies ? " (cookies)" : "");
    zmm_stats s_on = stats_of(on), s_off = stats_of(off);
    ok(s_on.cache_stats && !s_off.cache_stats, "cache_stats says which heap counts");
    ok(s_on.size == s_off.size && s_on.peak == s_off.peak && s_on.cached == s_off.cached &&
           s_on.real_size == s_off.real_size && s_on.free_bitmap == s_off.free_bitmap,
       "the same size, peak, cached, real_size and free bitmap (%zu, %zu, %zu)", s_off.size, s_off.peak, s_off.cached);
    /* 16 bytes (bucket 0): i = 0, 18, 36, 54 freed into the cache, 6 asked for again */
    ok(s_on.cached > 0 && s_on.cache_stat[0].hit == 4 && s_on.cache_stat[0].max_count == 4,
       "with it on the cache was used and counted: bucket 0 hit %d, max_count %d", s_on.cache_stat[0].hit,
       s_on.cache_stat[0].max_count);
    int counted = 0;
    for (int i = 0; i <= 64; i++) {
        counted += s_off.cache_stat[i].count + s_off.cache_stat[i].max_count + s_off.cache_stat[i].hit + s_off.cache_stat[i].miss;
    }
    is_int(counted, 0, "cache_stat off: every entry 0");
    zmm_heap_flush_cache(off);
    check_clean(off, "cache_stat off, flushed");
    check_clean(on, "cache_stat on");
    zmm_heap_destroy(on);
    zmm_heap_destroy(off);
}

static void test_cache_cap(void)
{
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.cache_size = 1000;
    zmm_heap *h = mkheap_cfg(&cfg, NULL);
    is_sz(stats_of(h).cache_size, 1000, "cache_size 1000");
    void *p[11];
    for (int i = 0; i < 11; i++) p[i] = zmm_malloc(h, 100);
    for (int i = 0; i < 10; i++) zmm_free(h, p[i]);
    zmm_stats s = stats_of(h);
    is_sz(s.cached, 1080, "the cap is checked before adding: 9 blocks cached (1080 >= 1000)");
    is_int(s.cache_stat[11].count, 9, "cache 11 count 9");
    blocklist *bl = free_bucket(h, 11);
    ok(bl->n == 1 && bl->b[0].address == (uintptr_t)p[9] - 16, "the 10th block went to bucket 11");
    is_sz(s.size, 8208 + 10 * 120, "size = reserve + 9 cached + 1 live");
    zmm_free(h, p[10]);
    zmm_heap_flush_cache(h);
    s = stats_of(h);
    is_sz(s.cached, 0, "flush empties the cache");
    is_sz(s.size, 8208, "flush: size back to the reserve");
    is_int(s.cache_stat[11].count, 0, "flush resets count");
    trielist *t = trie(h, 17);
    ok(t->n == 1 && t->t[0].block.size == 253904, "flush coalesced everything back into 253904");
    is_sz(s.free_bitmap, 0, "no small bucket left");
    check_clean(h, "cache cap");
    zmm_heap_destroy(h);

    /* cache off: nothing is ever cached */
    h = mkheap(false, NULL);
    void *a = zmm_malloc(h, 10);
    zmm_free(h, a);
    s = stats_of(h);
    is_sz(s.cached, 0, "cache off: nothing cached");
    ok(!s.cache_enabled, "cache off: cache_enabled false");
    is_sz(s.size, 8208, "cache off: size drops at once");
    zmm_heap_destroy(h);
}

static void test_compact(void)
{
    zmm_heap *h = mkheap(true, NULL);
    enum { N = 1000 };
    static void *p[N];
    for (int i = 0; i < N; i++) p[i] = zmm_malloc(h, 500);
    zmm_stats s = stats_of(h);
    ok(s.segments >= 3, "1000 x 520 bytes span 3 segments (%zu)", s.segments);
    for (int i = 0; i < N; i++) zmm_free(h, p[i]);
    s = stats_of(h);
    size_t real_before = s.real_size;
    ok(real_before > 262144, "cached blocks keep segments: real_size %zu", real_before);
    ok(s.cached >= 262144 && s.cached < 262144 + 520, "cache filled up to its cap (+1 block): %zu", s.cached);
    size_t rel = zmm_heap_compact(h);
    s = stats_of(h);
    is_sz(s.cached, 0, "compact flushes the cache");
    is_sz(s.real_size, 262144, "compact: emptied segments handed back");
    is_sz(rel, real_before - 262144, "compact returns the bytes handed back");
    is_sz(s.size, 8208, "compact: size 8208");
    check_clean(h, "compact");
    zmm_heap_destroy(h);
}

int main(void)
{
    test_sequence();
    test_cache_stats();
    test_cache_stats_off(false);
    test_cache_stats_off(true);
    test_cache_cap();
    test_compact();
    return done_testing();
}
