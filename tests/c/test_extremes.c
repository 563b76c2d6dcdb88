/* test_extremes.c - a block over 4 GB through mmap_anon (5.3's bug #55509 was
 * a 2 GB offset overflow), and requests near SIZE_MAX that must fail cleanly. */
#include "helpers.h"
#include "teststorage.h"

/* The faulty storage is malloc underneath: let ASan's malloc return NULL for
 * absurd sizes instead of aborting (only used when built with ASan). */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "allocator_may_return_null=1"; }

#ifndef _WIN32
#include <stdio.h>
static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, res = 0;
    if (!f) return -1;
    if (fscanf(f, "%ld %ld", &pages, &res) != 2) res = -1;
    fclose(f);
    return res < 0 ? -1 : res * 4;
}

static void test_over_4gb(void)
{
    const size_t G = (size_t)1 << 30;
    errlog el;
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.storage = zmm_storage_find("mmap_anon");
    cfg.cache = false;
    zmm_heap *h = mkheap_cfg(&cfg, &el);
    long rss0 = rss_kb();

    size_t n = 5 * G;
    unsigned char *p = zmm_malloc(h, n);
    if (!ok(p != NULL, "5 GB block through mmap_anon")) {
        diag("error: %s", el.msg);
        zmm_heap_destroy(h);
        return;
    }
    p[0] = 1;
    p[n - 1] = 2;
    zmm_stats s = stats_of(h);
    size_t seg5 = 5 * G + 262144;
    is_sz(s.real_size, 262144 + seg5, "5 GB: segment of 5 GB + 256 KB");
    is_sz(s.size, 8208 + 5 * G + 16, "5 GB: size += 5 GB + 16");
    zmm_block_view bv;
    ok(zmm_block_info(h, p, &bv, &g_sv_dummy) && bv.size == 5 * G + 16 && bv.large_index == 32, "5 GB block: size 5G+16, index 32");
    blocklist *rl = rest_list(h);
    ok(rl->n == 1 && rl->b[0].size == 262096, "5 GB: remainder 262096 on the rest list");
    is_sz(zmm_usable_size(h, p), n, "5 GB: usable size");
    check_clean(h, "5 GB block");

    /* grow to 6 GB: segment-level realloc (mremap) */
    unsigned char *q = zmm_realloc(h, p, 6 * G);
    if (ok(q != NULL, "grow 5 GB -> 6 GB")) {
        ok(q[0] == 1 && q[n - 1] == 2, "contents kept at both ends");
        q[6 * G - 1] = 3;
        s = stats_of(h);
        is_sz(s.real_size, 262144 + 6 * G + 262144, "6 GB: segment grown");
        is_sz(s.size, 8208 + 6 * G + 16, "6 GB: size");
        check_clean(h, "6 GB block");
        p = q;
    }
    /* shrink to 4.5 GB: in place, remainder (1.5 GB + rest block) to the trie */
    size_t n45 = 4 * G + G / 2;
    q = zmm_realloc(h, p, n45);
    ok(q == p && q[0] == 1 && q[n - 1] == 2, "shrink 6 GB -> 4.5 GB in place, contents kept");
    q[n45 - 1] = 4;
    trielist *t = trie(h, 30);
    ok(t->n == 1 && t->t[0].block.size == (6 * G + 16) - (n45 + 16) + 262096, "remainder 1.5 GB + 262096 in trie 30");
    is_sz(rest_list(h)->n, 0, "rest block absorbed");
    check_clean(h, "4.5 GB block");

    /* a 1 GB block right after the 4.5 GB one: its _prev is 4.5 GB */
    unsigned char *r = zmm_malloc(h, G);
    is_ptr(r, q + n45 + 16, "1 GB block placed after the 4.5 GB block (best fit in trie 30)");
    if (r) { r[0] = 5; r[G - 1] = 6; }
    zmm_free(h, q);
    t = trie(h, 32);
    ok(t->n == 1 && t->t[0].block.size == n45 + 16, "freed 4.5 GB block alone in trie 32");
    check_clean(h, "freed 4.5 GB before a used 1 GB block");
    ok(r && r[0] == 5 && r[G - 1] == 6, "1 GB block intact");
    zmm_free(h, r); /* merges backwards over 4.5 GB and forwards: the segment goes */
    s = stats_of(h);
    is_sz(s.real_size, 262144, "all freed: the 6 GB segment handed back");
    is_sz(s.size, 8208, "all freed: size 8208");
    is_sz(s.real_peak, 262144 + 6 * G + 262144, "real_peak 6 GB + 512 KB");
    check_clean(h, "after the big blocks");
    long rss1 = rss_kb();
    ok(rss0 < 0 || rss1 - rss0 < 65536, "pages never touched: RSS grew by %ld KB", rss1 - rss0);
    is_int(el.count, 0, "no errors");
    zmm_heap_destroy(h);
}
#endif

static void near_max(zmm_heap *h, errlog *el, test_storage_ctl *ctl, size_t n, const char *what)
{
    errlog_reset(el);
    ctl->last_request = 0;
    long allocs = ctl->allocs + ctl->failed_allocs;
    void *p = zmm_malloc(h, n);
    ok(p == NULL, "%s: malloc(%zu) fails", what, n);
    ok(el->count == 1 && (el->kind == ZMM_ERR_OOM || el->kind == ZMM_ERR_LIMIT),
       "%s: one OOM/limit error (%d, %s)", what, el->count, el->msg);
    ok(strncmp(el->msg, "Out of memory", 13) == 0 || strncmp(el->msg, "Allowed memory size", 19) == 0,
       "%s: message: %s", what, el->msg);
    long asked = ctl->allocs + ctl->failed_allocs - allocs;
    ok(asked == 0 || ctl->last_request >= n, "%s: storage never asked for a wrapped size (asked %ld, last %zu)",
       what, asked, ctl->last_request);
    if (p) zmm_free(h, p);
}

static void test_near_size_max(void)
{
    errlog el;
    test_storage_ctl ctl;
    test_storage_ctl_reset(&ctl);
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.storage = &test_storage_handlers;
    cfg.storage_params = &ctl;
    for (int lim = 0; lim <= 1; lim++) {
        zmm_heap *h = mkheap_cfg(&cfg, &el);
        if (lim) zmm_heap_set_limit(h, ZMM_NO_LIMIT);
        const char *w = lim ? "no limit" : "default limit";
        void *live = zmm_malloc(h, 1000);
        fill_pattern(live, 1000, 51);
        size_t sizes[] = {SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 7, SIZE_MAX - 15, SIZE_MAX - 16, SIZE_MAX - 31,
                          SIZE_MAX - 32, SIZE_MAX - 4096, SIZE_MAX - 262144, SIZE_MAX - 262144 - 48,
                          SIZE_MAX / 2 + 1, SIZE_MAX / 2, ((size_t)1 << 62) + 1};
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) near_max(h, &el, &ctl, sizes[i], w);
        /* realloc, calloc, safe, strndup near the top */
        errlog_reset(&el);
        ok(zmm_realloc(h, live, SIZE_MAX - 8) == NULL && el.count == 1, "%s: realloc to SIZE_MAX-8 fails", w);
        ok(zmm_is_live(h, live) && check_pattern(live, 1000, 51), "%s: the block survives", w);
        errlog_reset(&el);
        ok(zmm_realloc(h, live, SIZE_MAX / 2) == NULL && el.count == 1, "%s: realloc to SIZE_MAX/2 fails", w);
        errlog_reset(&el);
        ok(zmm_calloc(h, 1, SIZE_MAX) == NULL && el.count == 1, "%s: calloc(1, SIZE_MAX) fails", w);
        errlog_reset(&el);
        ok(zmm_safe_malloc(h, 1, SIZE_MAX - 10, 0) == NULL && el.count == 1, "%s: safe_malloc(1, SIZE_MAX-10, 0) fails", w);
        errlog_reset(&el);
        ok(zmm_strndup(h, "abc", SIZE_MAX) == NULL && el.count == 1, "%s: strndup(s, SIZE_MAX) fails (no wrap to 0)", w);
        errlog_reset(&el);
        ok(zmm_strndup(h, "abc", SIZE_MAX - 1) == NULL && el.count == 1, "%s: strndup(s, SIZE_MAX-1) fails", w);
        ok(zmm_is_live(h, live) && check_pattern(live, 1000, 51), "%s: the block survives all of it", w);
        check_clean(h, w);
        is_sz(stats_of(h).real_size, 262144, "%s: no segment made", w);
        void *ok_after = zmm_malloc(h, 100);
        ok(ok_after != NULL, "%s: the heap still works", w);
        zmm_free(h, ok_after);
        zmm_free(h, live);
        zmm_heap_destroy(h);
    }
    is_int(ctl.live_segments, 0, "no segment leaked");
}

int main(void)
{
#ifndef _WIN32
    if (sizeof(size_t) >= 8) test_over_4gb();
    else skip("32-bit", "blocks over 4 GB");
#endif
    test_near_size_max();
    return done_testing();
}
