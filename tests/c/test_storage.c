/* test_storage.c - the storage schemes (§4), each used by a heap, and
 * switching storage on a live heap (issue #2 item 6). */
#include "helpers.h"
#include "teststorage.h"

static const char *seg_storage(zmm_heap *h, void *p)
{
    zmm_block_view bv;
    zmm_segment_view sv;
    if (!zmm_block_info(h, p, &bv, &sv)) return "(not live)";
    return sv.storage ? sv.storage : "(null)";
}

static void test_table(void)
{
    size_t n = 0;
    const zmm_storage_handlers *const *all = zmm_storage_schemes(&n);
#ifdef _WIN32
    if (ok(n == 2, "two schemes on Windows")) {
        is_str(all[0]->name, "win32", "scheme 0 is win32");
        is_str(all[1]->name, "malloc", "scheme 1 is malloc");
    }
    is_str(zmm_storage_default()->name, "win32", "default scheme is win32");
    ok(zmm_storage_find("mmap_anon") == NULL, "no mmap_anon on Windows");
#else
    if (ok(n == 3, "three schemes on this platform")) {
        is_str(all[0]->name, "malloc", "scheme 0 is malloc");
        is_str(all[1]->name, "mmap_anon", "scheme 1 is mmap_anon");
        is_str(all[2]->name, "mmap_zero", "scheme 2 is mmap_zero");
    }
    is_str(zmm_storage_default()->name, "malloc", "default scheme is malloc");
    ok(zmm_storage_find("win32") == NULL, "no win32 here");
#endif
    for (size_t i = 0; i < n; i++) ok(zmm_storage_find(all[i]->name) == all[i], "find(%s)", all[i]->name);
    ok(zmm_storage_find("nope") == NULL, "find(nope) is NULL");
    ok(zmm_storage_find(NULL) == NULL, "find(NULL) is NULL");
    ok(zmm_storage_find("Malloc") == NULL, "find is exact (case-sensitive)");

    /* each scheme's handlers, used directly */
    for (size_t i = 0; i < n; i++) {
        const zmm_storage_handlers *hd = all[i];
        zmm_storage *st = hd->init(NULL);
        if (!ok(st != NULL, "%s: init", hd->name)) continue;
        if (!st->handlers) st->handlers = hd;
        char desc[64];
        zmm_storage_describe(st, desc, sizeof desc);
        if (strcmp(hd->name, "mmap_zero") == 0) {
            int fd = -1;
            ok(sscanf(desc, "fd=%d", &fd) == 1 && fd >= 0, "mmap_zero: describe gives its fd (%s)", desc);
        } else if (strcmp(hd->name, "win32") == 0) {
            like(desc, "heap=", "win32: describe gives its heap handle");
        } else {
            is_str(desc, "", "%s: describe empty", hd->name);
        }
        zmm_segment *seg = hd->alloc(st, 65536);
        if (ok(seg != NULL, "%s: alloc 64 KB", hd->name)) {
            seg->size = 65536;
            fill_pattern((char *)seg + 16, 65536 - 16, 21);
            zmm_segment *s2 = hd->realloc(st, seg, 1 << 20);
            if (ok(s2 != NULL, "%s: realloc to 1 MB", hd->name)) {
                s2->size = 1 << 20;
                ok(check_pattern((char *)s2 + 16, 65536 - 16, 21), "%s: realloc keeps the contents", hd->name);
                ((char *)s2)[(1 << 20) - 1] = 7;
                zmm_segment *s3 = hd->realloc(st, s2, 8192);
                if (ok(s3 != NULL, "%s: realloc down to 8 KB", hd->name)) {
                    s3->size = 8192;
                    ok(check_pattern((char *)s3 + 16, 8192 - 16, 21), "%s: shrink keeps the contents", hd->name);
                    seg = s3;
                } else seg = s2;
            }
            hd->free(st, seg);
        }
        is_sz(hd->compact(st), 0, "%s: compact releases nothing it knows of", hd->name);
        hd->dtor(st);
    }
}

static void test_heap_on(const zmm_storage_handlers *hd)
{
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.storage = hd;
    zmm_heap *h = mkheap_cfg(&cfg, NULL);
    zmm_stats s = stats_of(h);
    is_str(s.storage, hd->name, "%s heap: stats name it", hd->name);
    is_sz(s.real_size, 262144, "%s heap: real_size 262144", hd->name);
    is_sz(s.size, 8208, "%s heap: size 8208", hd->name);
    if (strcmp(hd->name, "mmap_zero") == 0) like(s.storage_data, "fd=", "mmap_zero heap: storage_data has the fd");
    ok(zmm_heap_storage(h) == hd, "%s heap: zmm_heap_storage", hd->name);
    size_t sizes[] = {1, 100, 520, 521, 4096, 100000, 262097, 1048576, 3000000};
    void *p[9];
    for (int i = 0; i < 9; i++) {
        p[i] = zmm_malloc(h, sizes[i]);
        if (p[i]) fill_pattern(p[i], sizes[i], (unsigned)i);
    }
    int good = 1;
    for (int i = 0; i < 9; i++)
        if (!p[i] || !check_pattern(p[i], sizes[i], (unsigned)i) || strcmp(seg_storage(h, p[i]), hd->name) != 0) good = 0;
    ok(good, "%s heap: 9 blocks of 1 B .. 3 MB allocated, written, in %s segments", hd->name, hd->name);
    void *g = zmm_realloc(h, p[7], 5000000); /* segment-level realloc */
    ok(g && check_pattern(g, 1048576, 7), "%s heap: segment realloc 1 MB -> 5 MB keeps contents", hd->name);
    if (g) p[7] = g;
    seglist *sl = all_segments(h);
    int named = 1;
    for (size_t i = 0; i < sl->n; i++)
        if (strcmp(sl->s[i].storage, hd->name) != 0) named = 0;
    ok(named, "%s heap: every segment reports %s", hd->name, hd->name);
    check_clean(h, hd->name);
    for (int i = 0; i < 9; i++) zmm_free(h, p[i]);
    zmm_heap_flush_cache(h);
    is_sz(stats_of(h).real_size, 262144, "%s heap: everything handed back", hd->name);
    check_clean(h, hd->name);
    zmm_heap_destroy(h);
}

static void test_switch(void)
{
    test_storage_ctl ctl;
    test_storage_ctl_reset(&ctl);
    errlog el;
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.storage = &test_storage_handlers;
    cfg.storage_params = &ctl;
    zmm_heap *h = mkheap_cfg(&cfg, &el);
    is_int(ctl.inits, 1, "faulty storage initialised once");
    is_int(ctl.live_segments, 1, "reserve segment from the faulty storage");
    void *a = zmm_malloc(h, 100), *b = zmm_malloc(h, 1048576);
    fill_pattern(a, 100, 31);
    fill_pattern(b, 1048576, 32);
    is_int(ctl.live_segments, 2, "two faulty segments");

#ifndef _WIN32
    const zmm_storage_handlers *next = zmm_storage_find("mmap_anon");
#else
    const zmm_storage_handlers *next = zmm_storage_find("win32");
#endif
    ok(zmm_heap_set_storage(h, next, NULL), "switch to %s", next->name);
    ok(zmm_heap_storage(h) == next, "current scheme is %s", next->name);
    is_str(stats_of(h).storage, next->name, "stats name the new scheme");
    is_int(ctl.dtors, 0, "the old storage is not destroyed while it holds segments");
    void *c = zmm_malloc(h, 1048576);
    fill_pattern(c, 1048576, 33);
    is_str(seg_storage(h, a), "faulty", "old small block: faulty segment");
    is_str(seg_storage(h, b), "faulty", "old huge block: faulty segment");
    is_str(seg_storage(h, c), next->name, "new huge block: %s segment", next->name);
    ok(check_pattern(a, 100, 31) && check_pattern(b, 1048576, 32), "old blocks readable");
    void *b2 = zmm_realloc(h, b, 2097152);
    ok(b2 && check_pattern(b2, 1048576, 32), "old huge block grows after the switch");
    is_str(seg_storage(h, b2), "faulty", "... through the storage that made its segment");
    is_int(ctl.reallocs, 1, "faulty realloc called once");
    check_clean(h, "after switch");
    zmm_free(h, b2);
    is_int(ctl.live_segments, 1, "freed through the faulty storage");
    void *d = zmm_malloc(h, 100);
    ok(d && check_pattern(a, 100, 31), "small allocations go on");
    /* switch again, back to the default */
    ok(zmm_heap_set_storage(h, zmm_storage_find("malloc"), NULL), "switch to malloc");
    void *e = zmm_malloc(h, 600000);
    is_str(seg_storage(h, e), "malloc", "newest segment: malloc");
    seglist *sl = all_segments(h);
    size_t nf = 0, nn = 0, nm = 0;
    for (size_t i = 0; i < sl->n; i++) {
        if (strcmp(sl->s[i].storage, "faulty") == 0) nf++;
        else if (strcmp(sl->s[i].storage, next->name) == 0) nn++;
        else if (strcmp(sl->s[i].storage, "malloc") == 0) nm++;
    }
    ok(nf == 1 && nn == 1 && nm == 1, "segments of three schemes side by side (%zu/%zu/%zu)", nf, nn, nm);
    is_str(sl->s[0].storage, "malloc", "segments listed newest first");
    check_clean(h, "three schemes");
    zmm_free(h, a);
    zmm_free(h, c);
    zmm_free(h, d);
    zmm_free(h, e);
    zmm_heap_flush_cache(h);
    check_clean(h, "three schemes freed");
    /* the reserve still lives in the faulty segment */
    ok(ctl.live_segments == 1 && ctl.dtors == 0, "faulty storage kept while the reserve segment is in it");
    zmm_heap_shutdown(h);
    is_int(ctl.live_segments, 0, "partial shutdown frees the faulty segment");
    zmm_stats s = stats_of(h);
    is_str(s.storage, "malloc", "after shutdown the current scheme is malloc");
    is_sz(s.real_size, 262144, "after shutdown: 262144");
    zmm_heap_destroy(h);
    is_int(ctl.dtors, ctl.inits, "every faulty storage destroyed exactly once");
    is_int(ctl.live_segments, 0, "no faulty segment left");
    is_int(el.count, 0, "no errors");
}

int main(void)
{
    test_table();
    size_t n = 0;
    const zmm_storage_handlers *const *all = zmm_storage_schemes(&n);
    for (size_t i = 0; i < n; i++) test_heap_on(all[i]);
    test_switch();
    return done_testing();
}
