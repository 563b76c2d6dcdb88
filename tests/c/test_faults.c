/* test_faults.c - fault injection through a storage that fails on demand:
 * storage init, new segment, segment realloc (§3.1 step 5, §3.3 step 5). */
#include "helpers.h"

#ifdef _WIN32
# define DEFAULT_SCHEME "win32"   /* Windows: win32 is the default scheme (5.3) */
#else
# define DEFAULT_SCHEME "malloc"
#endif
#include "teststorage.h"

static test_storage_ctl ctl;
static errlog el;

static zmm_heap *faulty_heap(bool cache)
{
    test_storage_ctl_reset(&ctl);
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.storage = &test_storage_handlers;
    cfg.storage_params = &ctl;
    cfg.cache = cache;
    return mkheap_cfg(&cfg, &el);
}

static void test_init_failures(void)
{
    test_storage_ctl_reset(&ctl);
    ctl.fail_init = 1;
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.storage = &test_storage_handlers;
    cfg.storage_params = &ctl;
    char err[256] = "";
    zmm_heap *h = zmm_heap_create(&cfg, err, sizeof err);
    ok(h == NULL, "heap_create with a failing storage init fails");
    is_str(err, "Cannot initialize zend_mm storage [faulty]", "init failure message");
    if (h) zmm_heap_destroy(h);

    /* the reserve's segment cannot be had */
    test_storage_ctl_reset(&ctl);
    ctl.fail_alloc = 1;
    err[0] = '\0';
    h = zmm_heap_create(&cfg, err, sizeof err);
    if (h) {
        zmm_stats s = stats_of(h);
        ok(!s.reserve_held && s.real_size == 0, "no segment for the reserve: heap without reserve");
        check_clean(h, "heap without reserve");
        zmm_heap_destroy(h);
    } else {
        ok(err[0] != '\0', "no segment for the reserve: creation fails with a message (%s)", err);
    }
    is_int(ctl.dtors, ctl.inits, "storage destroyed after the failed creation");
    is_int(ctl.live_segments, 0, "no segment leaked");

    /* set_storage with a failing init */
    h = mkheap(true, &el);
    void *a = zmm_malloc(h, 100);
    test_storage_ctl_reset(&ctl);
    ctl.fail_init = 1;
    errlog_reset(&el);
    ok(!zmm_heap_set_storage(h, &test_storage_handlers, &ctl), "set_storage with a failing init returns false");
    is_int(el.count, 1, "one error");
    is_int(el.kind, ZMM_ERR_STORAGE, "kind ZMM_ERR_STORAGE");
    is_str(el.msg, "Cannot initialize zend_mm storage [faulty]", "set_storage failure message");
    is_str(zmm_heap_storage(h)->name, DEFAULT_SCHEME, "the heap keeps its storage");
    void *b = zmm_malloc(h, 1u << 20);
    ok(b && zmm_is_live(h, a), "the heap goes on working");
    zmm_free(h, a);
    zmm_free(h, b);
    check_clean(h, "after a failed switch");
    zmm_heap_destroy(h);
}

static void test_segment_failures(void)
{
    for (int cache = 0; cache <= 1; cache++) {
        zmm_heap *h = faulty_heap(cache);
        /* some small blocks (every other one freed: cached or in a bucket) */
        void *sm[20];
        for (int i = 0; i < 20; i++) { sm[i] = zmm_malloc(h, 200); fill_pattern(sm[i], 200, 100u + (unsigned)i); }
        for (int i = 0; i < 20; i += 2) zmm_free(h, sm[i]);
        /* fill the first segment with large blocks */
        void *keep[60];
        size_t n = 0;
        while (stats_of(h).segments == 1 && n < 60) {
            keep[n] = zmm_malloc(h, 7000);
            fill_pattern(keep[n], 7000, (unsigned)n);
            n++;
        }
        /* the last one made a second segment; give it back */
        zmm_free(h, keep[--n]);
        zmm_stats s0 = stats_of(h);
        ok(s0.segments == 1, "one segment, nearly full (%zu)", s0.segments);

        ctl.fail_alloc = 1;
        errlog_reset(&el);
        void *x = zmm_malloc(h, 200000);
        ok(x == NULL, "cache %d: new segment fails -> NULL", cache);
        is_int(el.count, 1, "one error");
        is_int(el.kind, ZMM_ERR_OOM, "kind ZMM_ERR_OOM");
        char want[128];
        snprintf(want, sizeof want, "Out of memory (allocated %zu) (tried to allocate 200000 bytes)", s0.real_size);
        is_str(el.msg, want, "new segment failure message");
        is_sz(stats_of(h).cached, 0, "the cache was flushed on the error path");
        check_clean(h, "after a failed new segment");

        errlog_reset(&el);
        x = zmm_malloc(h, 1u << 20);
        ok(x == NULL, "huge request: fails too");
        snprintf(want, sizeof want, "Out of memory (allocated %zu) (tried to allocate 1048576 bytes)", stats_of(h).real_size);
        is_str(el.msg, want, "huge segment failure message");

        /* exhaust what is left, then a small request needs a segment */
        size_t got = 0;
        void *fill[200];
        errlog_reset(&el);
        while (got < 200 && (fill[got] = zmm_malloc(h, 500)) != NULL) got++;
        ok(got < 200 && el.kind == ZMM_ERR_OOM, "small requests fail once the segment is full (%zu served)", got);
        snprintf(want, sizeof want, "Out of memory (allocated %zu) (tried to allocate 500 bytes)", stats_of(h).real_size);
        is_str(el.msg, want, "small request failure message");
        check_clean(h, "after small failures");

        int intact = 1;
        for (size_t i = 0; i < n; i++) intact &= zmm_is_live(h, keep[i]) && check_pattern(keep[i], 7000, (unsigned)i);
        for (int i = 1; i < 20; i += 2) intact &= zmm_is_live(h, sm[i]) && check_pattern(sm[i], 200, 100u + (unsigned)i);
        ok(intact, "cache %d: no live block lost or damaged", cache);

        /* realloc that needs a segment fails, block kept */
        errlog_reset(&el);
        void *r = zmm_realloc(h, keep[0], 300000);
        ok(r == NULL && el.kind == ZMM_ERR_OOM, "realloc needing a new segment fails with OOM");
        ok(zmm_is_live(h, keep[0]) && check_pattern(keep[0], 7000, 0), "realloc failure: block kept");

        ctl.fail_alloc = 0;
        void *y = zmm_malloc(h, 200000);
        ok(y != NULL, "storage healthy again: allocations work");
        zmm_free(h, y);
        for (size_t i = 0; i < got; i++) zmm_free(h, fill[i]);
        for (size_t i = 0; i < n; i++) zmm_free(h, keep[i]);
        for (int i = 1; i < 20; i += 2) zmm_free(h, sm[i]);
        zmm_heap_flush_cache(h);
        check_clean(h, "faults cleaned up");
        {
            zmm_stats se = stats_of(h);
            /* the error gave the reserve back (as zend_mm_safe_error); it comes back at shutdown */
            ok(!se.reserve_held, "the error released the reserve");
            is_sz(se.real_size, 0, "everything freed and no reserve: no segment held");
            zmm_heap_shutdown(h);
            se = stats_of(h);
            ok(se.reserve_held && se.real_size == 262144 && se.size == 8208, "shutdown re-makes the reserve");
        }
        zmm_heap_destroy(h);
        is_int(ctl.live_segments, 0, "no segment leaked");
        is_int(ctl.dtors, ctl.inits, "storage destroyed");
    }
}

static void test_realloc_failure(void)
{
    zmm_heap *h = faulty_heap(false);
    unsigned char *p = zmm_malloc(h, 1u << 20);
    fill_pattern(p, 1u << 20, 41);
    zmm_stats s0 = stats_of(h);
    is_sz(s0.real_size, 1572864, "1 MB block: real_size 1572864");
    ctl.fail_realloc = 1;
    ctl.fail_alloc = 1; /* no way out through a fresh segment either */
    errlog_reset(&el);
    void *q = zmm_realloc(h, p, 2u << 20);
    ok(q == NULL, "segment realloc fails -> NULL");
    is_int(el.count, 1, "one error reported");
    is_int(el.kind, ZMM_ERR_OOM, "kind ZMM_ERR_OOM");
    is_str(el.msg, "Out of memory (allocated 1572864) (tried to allocate 2097152 bytes)", "segment realloc failure message");
    ok(ctl.failed_reallocs >= 1, "the storage's realloc was tried");
    ok(zmm_is_live(h, p) && check_pattern(p, 1u << 20, 41), "the block is intact");
    zmm_stats s1 = stats_of(h);
    ok(s0.reserve_held && !s1.reserve_held, "the error released the reserve");
    is_sz(s1.real_size, s0.real_size - 262144, "real_size: only the reserve's (now empty) segment went back");
    is_sz(s1.size, s0.size - 8208, "size unchanged but for the reserve");
    blocklist *bl = all_blocks(h);
    int back = 0;
    for (size_t i = 0; i < bl->n && i < MAXV; i++)
        if (bl->b[i].address == (uintptr_t)p - 16 + 1048592 && bl->b[i].size == 262096 &&
            (bl->b[i].state == ZMM_STATE_REST || bl->b[i].state == ZMM_STATE_LARGE))
            back = 1;
    ok(back, "the 262096 tail is a free block again (rest list or trie)");
    check_clean(h, "after a failed segment realloc");
    /* shrinking needs no storage */
    void *s = zmm_realloc(h, p, 1000);
    ok(s == p && check_pattern(s, 1000, 41), "shrinking works while the storage fails");
    ctl.fail_realloc = 0;
    ctl.fail_alloc = 0;
    void *g = zmm_realloc(h, s, 3u << 20);
    ok(g && check_pattern(g, 1000, 41), "growing works again once the storage is healthy");
    zmm_free(h, g);
    check_clean(h, "realloc failure cleaned up");
    zmm_heap_destroy(h);
    is_int(ctl.live_segments, 0, "no segment leaked");
}

static void test_shutdown_failure(void)
{
    zmm_heap *h = faulty_heap(true);
    zmm_malloc(h, 1u << 20);
    ctl.fail_alloc = 1;
    errlog_reset(&el);
    zmm_heap_shutdown(h);
    zmm_stats s = stats_of(h);
    ok(!s.reserve_held && s.real_size == 0 && s.size == 0, "shutdown with a failing storage: no reserve, nothing held");
    check_clean(h, "after shutdown without reserve");
    ctl.fail_alloc = 0;
    void *p = zmm_malloc(h, 100);
    ok(p != NULL, "allocations work once the storage is healthy");
    zmm_free(h, p);
    check_clean(h, "after shutdown failure recovery");
    zmm_heap_destroy(h);
    is_int(ctl.live_segments, 0, "no segment leaked");
}

/* random: the storage fails now and then; every live block must survive */
static uint64_t st = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void) { st ^= st << 13; st ^= st >> 7; st ^= st << 17; return st; }

static void test_random_faults(void)
{
    zmm_heap *h = faulty_heap(true);
    enum { SLOTS = 64 };
    void *p[SLOTS] = {0};
    size_t sz[SLOTS] = {0};
    size_t fails = 0, bad = 0, errors_ok = 1;
    for (int op = 0; op < 20000; op++) {
        ctl.fail_alloc = (rnd() % 4) == 0;
        ctl.fail_realloc = (rnd() % 4) == 0;
        int i = (int)(rnd() % SLOTS);
        size_t n = rnd() % 4 == 0 ? (size_t)(rnd() % 600000) : (size_t)(rnd() % 3000);
        errlog_reset(&el);
        if (!p[i]) {
            p[i] = zmm_malloc(h, n);
            if (p[i]) { sz[i] = n; fill_pattern(p[i], n, (unsigned)i); }
            else { fails++; if (el.kind != ZMM_ERR_OOM) errors_ok = 0; }
        } else if (rnd() % 2) {
            void *q = zmm_realloc(h, p[i], n);
            if (q) {
                size_t keep = n < sz[i] ? n : sz[i];
                if (!check_pattern(q, keep, (unsigned)i)) bad++;
                p[i] = q; sz[i] = n; fill_pattern(q, n, (unsigned)i);
            } else {
                fails++;
                if (el.kind != ZMM_ERR_OOM) errors_ok = 0;
                if (!zmm_is_live(h, p[i]) || !check_pattern(p[i], sz[i], (unsigned)i)) bad++;
            }
        } else {
            if (!check_pattern(p[i], sz[i], (unsigned)i)) bad++;
            zmm_free(h, p[i]);
            p[i] = NULL;
        }
        if (op % 500 == 0) {
            problems pr;
            memset(&pr, 0, sizeof pr);
            if (zmm_heap_check(h, problems_cb, &pr)) { bad++; diag("op %d: %s", op, pr.first); }
        }
    }
    ok(fails > 20, "random faults: %zu failures injected", fails);
    ok(errors_ok, "random faults: every failure reported as OOM");
    is_sz(bad, 0, "random faults: no block lost or damaged");
    check_clean(h, "random faults");
    ctl.fail_alloc = ctl.fail_realloc = 0;
    for (int i = 0; i < SLOTS; i++) zmm_free(h, p[i]);
    zmm_heap_destroy(h);
    is_int(ctl.live_segments, 0, "random faults: no segment leaked");
}

int main(void)
{
    test_init_failures();
    test_segment_failures();
    test_realloc_failure();
    test_shutdown_failure();
    test_random_faults();
    return done_testing();
}
