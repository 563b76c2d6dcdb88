/* test_win32.c - the "win32" storage scheme (fact sheet §4): a private heap
 * from HeapCreate, segments from HeapAlloc/HeapReAlloc/HeapFree, HeapCompact
 * for compaction, HeapDestroy when the storage goes away.
 *
 * Windows only: tests/c/wine.sh cross-compiles it with mingw-w64 and runs it
 * under Wine. Elsewhere it prints an empty TAP plan marked SKIP.
 *
 * What is proved from outside the heap, with the Win32 API itself:
 * - the handle in storage_data is a heap of this process (GetProcessHeaps),
 *   not the process heap, and it disappears when the heap is destroyed;
 * - every segment is a busy block of that private heap (HeapWalk), of the
 *   segment's size, and the private heap holds nothing else;
 * - a block alone in its segment grows by HeapReAlloc (the peak never holds
 *   the old and the new segment at once, as alloc-copy-free would).
 * HeapCompact's return value is not asserted: Windows promises only "the
 * largest committed free block", and Wine returns 0.
 */
#ifndef _WIN32
#include <stdio.h>

int main(void)
{
    printf("1..0 # SKIP the win32 storage scheme exists only on Windows (run tests/c/wine.sh)\n");
    return 0;
}
#else
#include "helpers.h"

#include <stdlib.h>

#define WIN32_LEAN_AND_MEAN
#ifndef NOMINMAX
# define NOMINMAX
#endif
#include <windows.h>

#define SEG 262144u

static const zmm_storage_handlers *WIN32_S, *MALLOC_S;

/* ---- what the Win32 API says ------------------------------------------------ */

/* The private heap named by a heap's storage_data ("heap=<hex>"), or NULL. */
static HANDLE heap_handle(const zmm_heap *h)
{
    zmm_stats s = stats_of(h);
    if (strncmp(s.storage_data, "heap=", 5) != 0) return NULL;
    char *end;
    unsigned long long v = strtoull(s.storage_data + 5, &end, 16);
    if (*end) return NULL;
    return (HANDLE)(uintptr_t)v;
}

static bool process_has_heap(HANDLE want)
{
    HANDLE heaps[256];
    DWORD n = GetProcessHeaps(256, heaps);
    for (DWORD i = 0; i < n && i < 256; i++) {
        if (heaps[i] == want) return true;
    }
    return false;
}

static DWORD process_heap_count(void)
{
    HANDLE heaps[256];
    return GetProcessHeaps(256, heaps);
}

/* Busy blocks of a private heap; *size gets the size of the one at want. */
static size_t busy_blocks(HANDLE heap, uintptr_t want, size_t *size)
{
    PROCESS_HEAP_ENTRY e;
    size_t n = 0;
    memset(&e, 0, sizeof e);
    if (size) *size = 0;
    while (HeapWalk(heap, &e)) {
        if (!(e.wFlags & PROCESS_HEAP_ENTRY_BUSY)) continue;
        n++;
        if (size && (uintptr_t)e.lpData == want) *size = (size_t)e.cbData;
    }
    return n;
}

/* The segment holding a live block. */
static zmm_segment_view seg_of(zmm_heap *h, void *p)
{
    zmm_block_view bv;
    zmm_segment_view sv;
    memset(&sv, 0, sizeof sv);
    if (!zmm_block_info(h, p, &bv, &sv)) memset(&sv, 0, sizeof sv);
    return sv;
}

/* ok() that every segment of the heap made by win32 is a busy block of
 * `heap` with the segment's size, and that `heap` holds exactly those. */
static void segments_in_private_heap(zmm_heap *h, HANDLE heap, const char *what)
{
    seglist *sl = all_segments(h);
    size_t mine = 0, found = 0;
    for (size_t i = 0; i < sl->n && i < MAXV; i++) {
        if (strcmp(sl->s[i].storage, "win32") != 0) continue;
        mine++;
        size_t sz;
        busy_blocks(heap, sl->s[i].address, &sz);
        if (sz == sl->s[i].size) found++;
    }
    size_t busy = busy_blocks(heap, 0, NULL);
    ok(mine > 0 && found == mine && busy == mine,
       "%s: the %zu win32 segments are the private heap's %zu busy blocks", what, mine, busy);
}

static zmm_heap *win32_heap(bool cache, errlog *el)
{
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.storage = WIN32_S;
    cfg.cache = cache;
    return mkheap_cfg(&cfg, el);
}

/* ---- the scheme table ------------------------------------------------------- */

static const char *env_type;
static const char *fake_env(const char *name)
{
    return strcmp(name, "ZEND_MM_MEM_TYPE") == 0 ? env_type : NULL;
}

static void test_schemes(void)
{
    size_t n = 0;
    const zmm_storage_handlers *const *all = zmm_storage_schemes(&n);
    is_sz(n, 2, "Windows has two schemes");
    if (n == 2) {
        is_str(all[0]->name, "win32", "win32 is listed first (5.3's order)");
        is_str(all[1]->name, "malloc", "malloc is listed second");
    }
    ok(WIN32_S && WIN32_S == all[0], "zmm_storage_find(\"win32\") finds it");
    ok(MALLOC_S && MALLOC_S == all[1], "zmm_storage_find(\"malloc\") finds it");
    ok(zmm_storage_default() == WIN32_S, "the default scheme is win32");
    ok(!zmm_storage_find("mmap_anon") && !zmm_storage_find("mmap_zero"), "no mmap schemes on Windows");

    zmm_config cfg;
    zmm_config_defaults(&cfg);
    ok(cfg.storage == NULL || cfg.storage == WIN32_S, "config defaults pick win32");

    char err[256] = "";
    env_type = "win32";
    zmm_config_defaults(&cfg);
    cfg.storage = MALLOC_S;
    ok(zmm_config_from_env(&cfg, fake_env, err, sizeof err) && cfg.storage == WIN32_S,
       "ZEND_MM_MEM_TYPE=win32 selects it");
    env_type = "malloc";
    ok(zmm_config_from_env(&cfg, fake_env, err, sizeof err) && cfg.storage == MALLOC_S,
       "ZEND_MM_MEM_TYPE=malloc selects it");
    env_type = "mmap_anon";
    ok(!zmm_config_from_env(&cfg, fake_env, err, sizeof err), "ZEND_MM_MEM_TYPE=mmap_anon is refused");
    like(err, "Wrong or unsupported zend_mm storage type 'mmap_anon'", "mmap_anon: message");
    like(err, "'win32', 'malloc'", "mmap_anon: the message lists win32 and malloc");
}

/* ---- a default heap --------------------------------------------------------- */

static void test_default_heap(void)
{
    /* the first heap draws its cookies with rand_s, which may load a system
     * DLL that makes a private heap of its own: warm that up before counting */
    zmm_heap_destroy(mkheap(true, NULL));
    DWORD heaps0 = process_heap_count();
    errlog el;
    zmm_heap *h = mkheap(true, &el);
    zmm_stats s = stats_of(h);
    is_str(s.storage, "win32", "default heap: storage win32");
    is_sz(s.real_size, SEG, "default heap: real_size 262144");
    is_sz(s.size, 8208, "default heap: size 8208 (the reserve)");
    is_sz(s.segments, 1, "default heap: one segment");
    ok(s.reserve_held, "default heap: reserve held");
    like(s.storage_data, "heap=", "default heap: storage_data names the private heap");
    diag("storage_data: %s", s.storage_data);

    HANDLE ph = heap_handle(h);
    ok(ph != NULL, "storage_data parses as a heap handle");
    ok(ph != GetProcessHeap(), "it is not the process heap");
    ok(process_has_heap(ph), "GetProcessHeaps lists it");
    is_int(process_heap_count(), heaps0 + 1, "creating the heap created one private heap");
    ok(HeapValidate(ph, 0, NULL), "HeapValidate accepts the private heap");

    seglist *sl = all_segments(h);
    if (ok(sl->n == 1, "one segment to inspect")) {
        is_str(sl->s[0].storage, "win32", "the segment was made by win32");
        size_t sz;
        is_sz(busy_blocks(ph, sl->s[0].address, &sz), 1, "the private heap holds one busy block");
        is_sz(sz, SEG, "the segment is that block, 262144 bytes (HeapWalk)");
        is_sz(HeapSize(ph, 0, (void *)sl->s[0].address), SEG, "HeapSize of the segment is 262144");
    }

    /* a second heap has a private heap of its own */
    zmm_heap *h2 = mkheap(true, NULL);
    HANDLE ph2 = heap_handle(h2);
    ok(ph2 && ph2 != ph && process_has_heap(ph2), "a second heap gets its own private heap");
    zmm_heap_destroy(h2);
    ok(!process_has_heap(ph2), "destroying it destroys that private heap only");
    ok(process_has_heap(ph), "the first private heap is still there");

    check_clean(h, "default heap");
    is_int(el.count, 0, "default heap: no errors");
    zmm_heap_destroy(h);
    ok(!process_has_heap(ph), "full shutdown destroys the private heap (HeapDestroy)");
    is_int(process_heap_count(), heaps0, "no private heap is left behind");
}

/* ---- alloc / realloc / free through HeapAlloc / HeapReAlloc / HeapFree ------ */

static void test_segments(void)
{
    errlog el;
    zmm_heap *h = win32_heap(false, &el);
    HANDLE ph = heap_handle(h);

    /* small blocks come from the first segment */
    char *small[20];
    for (int i = 0; i < 20; i++) {
        small[i] = zmm_malloc(h, 100 + 37 * (size_t)i);
        fill_pattern(small[i], 100 + 37 * (size_t)i, (unsigned)i);
    }
    is_sz(stats_of(h).segments, 1, "small blocks fit the first segment");
    is_sz(busy_blocks(ph, 0, NULL), 1, "still one HeapAlloc block");

    /* an oversized request gets a segment of its own (HeapAlloc) */
    char *big = zmm_malloc(h, 300000);
    ok(big != NULL, "malloc(300000)");
    fill_pattern(big, 300000, 7);
    zmm_segment_view sv = seg_of(h, big);
    is_str(sv.storage, "win32", "its segment was made by win32");
    is_sz(sv.size, 524288, "its segment is 512 KB");
    is_sz(stats_of(h).real_size, SEG + 524288, "real_size counts both segments");
    segments_in_private_heap(h, ph, "after a big malloc");

    /* grow it beyond its segment: alone in it, so the segment is resized */
    zmm_heap_reset_peak(h);
    char *grown = zmm_realloc(h, big, 1000000);
    ok(grown != NULL, "realloc(300000 -> 1000000)");
    ok(grown && check_pattern(grown, 300000, 7), "the contents survive the segment realloc");
    zmm_segment_view gv = seg_of(h, grown);
    is_sz(gv.size, 1048576, "the segment is now 1 MB");
    is_sz(stats_of(h).segments, 2, "still two segments");
    is_sz(stats_of(h).real_size, SEG + 1048576, "real_size follows the resize");
    is_sz(stats_of(h).real_peak, SEG + 1048576,
          "real_peak never held both segments: HeapReAlloc, not alloc-copy-free");
    segments_in_private_heap(h, ph, "after the segment realloc");
    rest_list(h);
    ok(g_blocks.n >= 1, "the new segment's remainder is on the rest list");
    check_clean(h, "segment realloc");

    /* a realloc HeapReAlloc cannot satisfy leaves the block as it was */
    zmm_heap_set_limit(h, ZMM_NO_LIMIT);
    errlog_reset(&el);
    /* 4 PB: beyond the 47-bit user address space, so it fails at once
     * (Wine spends 30 s failing a 64 TB request) */
    void *huge = zmm_realloc(h, grown, (size_t)1 << 52);
    ok(huge == NULL, "realloc to 4 PB fails");
    is_int(el.kind, ZMM_ERR_OOM, "... as out of memory");
    like(el.msg, "Out of memory", "... with 5.3's message");
    ok(zmm_is_live(h, grown) && check_pattern(grown, 300000, 7), "the block is intact after the failed HeapReAlloc");
    is_sz(seg_of(h, grown).size, 1048576, "and so is its segment");
    errlog_reset(&el);
    ok(zmm_malloc(h, (size_t)1 << 52) == NULL && el.kind == ZMM_ERR_OOM, "a failing HeapAlloc is out of memory");
    segments_in_private_heap(h, ph, "after the failures");
    check_clean(h, "after the failures");

    /* shrink it back, then free: the segment goes back by HeapFree */
    char *shrunk = zmm_realloc(h, grown, 2000);
    ok(shrunk == grown && check_pattern(shrunk, 2000, 7), "shrinking keeps the block in place");
    zmm_free(h, shrunk);
    is_sz(stats_of(h).segments, 1, "freeing the only block of a segment releases it");
    is_sz(stats_of(h).real_size, SEG, "real_size is back to one segment");
    is_sz(busy_blocks(ph, 0, NULL), 1, "HeapFree returned it to the private heap");

    /* many large blocks, each in its own segment, freed in a shuffled order */
    void *many[8];
    for (int i = 0; i < 8; i++) {
        many[i] = zmm_malloc(h, 270000 + 1000 * (size_t)i);
        fill_pattern(many[i], 270000, (unsigned)(100 + i));
    }
    is_sz(stats_of(h).segments, 9, "eight more segments");
    segments_in_private_heap(h, ph, "eight big blocks");
    static const int order[8] = {3, 0, 7, 5, 1, 6, 2, 4};
    bool intact = true;
    for (int i = 0; i < 8; i++) {
        intact = intact && check_pattern(many[order[i]], 270000, (unsigned)(100 + order[i]));
        zmm_free(h, many[order[i]]);
    }
    ok(intact, "the big blocks kept their contents");
    is_sz(busy_blocks(ph, 0, NULL), 1, "all of them went back by HeapFree");

    bool small_ok = true;
    for (int i = 0; i < 20; i++) {
        small_ok = small_ok && check_pattern(small[i], 100 + 37 * (size_t)i, (unsigned)i);
        zmm_free(h, small[i]);
    }
    ok(small_ok, "the small blocks kept their contents");
    ok(!stats_of(h).reserve_held, "the out-of-memory errors gave the reserve back (as 5.3)");
    is_sz(stats_of(h).size, 0, "nothing is left in use");
    check_clean(h, "segments");
    zmm_heap_destroy(h);
}

/* ---- switching schemes with live blocks -------------------------------------- */

static void test_switch(void)
{
    DWORD heaps0 = process_heap_count();
    errlog el;
    zmm_heap *h = win32_heap(true, &el);
    HANDLE ph1 = heap_handle(h);

    char *a = zmm_malloc(h, 100);
    char *A = zmm_malloc(h, 300000);
    fill_pattern(a, 100, 1);
    fill_pattern(A, 300000, 2);
    is_str(seg_of(h, A).storage, "win32", "A's segment comes from win32");

    ok(zmm_heap_set_storage(h, MALLOC_S, NULL), "switch win32 -> malloc with live blocks");
    zmm_stats s = stats_of(h);
    is_str(s.storage, "malloc", "the heap now says malloc");
    is_str(s.storage_data, "", "malloc has no storage data");
    ok(process_has_heap(ph1), "the private heap stays while it holds segments");

    char *B = zmm_malloc(h, 300000);
    fill_pattern(B, 300000, 3);
    is_str(seg_of(h, B).storage, "malloc", "B's segment comes from malloc");
    segments_in_private_heap(h, ph1, "after the switch");

    /* blocks made before the switch still work: realloc, free */
    char *a2 = zmm_realloc(h, a, 5000);
    ok(a2 && check_pattern(a2, 100, 1), "a win32-era small block reallocs after the switch");
    char *A2 = zmm_realloc(h, A, 700000);
    ok(A2 && check_pattern(A2, 300000, 2), "a win32-era big block grows after the switch");
    is_str(seg_of(h, A2).storage, "win32", "and its segment is still resized by win32");
    segments_in_private_heap(h, ph1, "after growing a win32 segment under malloc");
    zmm_free(h, A2);
    is_sz(busy_blocks(ph1, 0, NULL), 1, "freeing it gives its segment back to the private heap");
    check_clean(h, "win32 -> malloc");

    /* back to win32: a fresh private heap; the old one still holds a segment */
    ok(zmm_heap_set_storage(h, WIN32_S, NULL), "switch malloc -> win32");
    HANDLE ph2 = heap_handle(h);
    ok(ph2 && ph2 != ph1 && process_has_heap(ph2), "a new private heap for the new win32 storage");
    ok(process_has_heap(ph1), "the old private heap still holds the first segment");
    char *C = zmm_malloc(h, 300000);
    fill_pattern(C, 300000, 4);
    is_str(seg_of(h, C).storage, "win32", "C's segment comes from win32");
    size_t sz;
    busy_blocks(ph2, seg_of(h, C).address, &sz);
    is_sz(sz, 524288, "C's segment is a block of the new private heap");
    zmm_free(h, B);
    ok(check_pattern(C, 300000, 4) && check_pattern(a2, 100, 1), "the others are untouched");
    check_clean(h, "malloc -> win32");

    /* partial shutdown frees every segment: storages that are not current go */
    zmm_heap_shutdown(h);
    ok(!process_has_heap(ph1), "partial shutdown destroys the old private heap (no segment left)");
    ok(process_has_heap(ph2), "the current private heap stays");
    s = stats_of(h);
    is_str(s.storage, "win32", "after shutdown: win32");
    is_sz(s.real_size, SEG, "after shutdown: real_size 262144");
    is_sz(s.size, 8208, "after shutdown: size 8208");
    ok(heap_handle(h) == ph2, "after shutdown: storage_data names the same private heap");
    segments_in_private_heap(h, ph2, "after shutdown");
    check_clean(h, "after shutdown");
    is_int(el.count, 0, "switching: no errors");
    zmm_heap_destroy(h);
    ok(!process_has_heap(ph2), "full shutdown destroys the current private heap");
    is_int(process_heap_count(), heaps0, "no private heap is left behind");

    /* a heap on malloc makes no private heap; switching to win32 makes one */
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.storage = MALLOC_S;
    zmm_heap *m = mkheap_cfg(&cfg, NULL);
    is_int(process_heap_count(), heaps0, "a malloc heap creates no private heap");
    char *x = zmm_malloc(m, 400000);
    fill_pattern(x, 400000, 5);
    ok(zmm_heap_set_storage(m, WIN32_S, NULL), "switch malloc -> win32");
    is_int(process_heap_count(), heaps0 + 1, "that created one private heap");
    char *y = zmm_realloc(m, x, 900000);
    ok(y && check_pattern(y, 400000, 5), "a malloc-era block grows after the switch");
    is_str(seg_of(m, y).storage, "malloc", "its segment stays with malloc");
    check_clean(m, "malloc heap switched to win32");
    zmm_heap_destroy(m);
    is_int(process_heap_count(), heaps0, "destroying it destroys that private heap");
}

/* ---- compaction ------------------------------------------------------------- */

static void test_compact(void)
{
    errlog el;
    zmm_heap *h = win32_heap(true, &el);
    HANDLE ph = heap_handle(h);

    void *keep = zmm_malloc(h, 50000);
    fill_pattern(keep, 50000, 9);
    void *big[6];
    for (int i = 0; i < 6; i++) big[i] = zmm_malloc(h, 600000);
    for (int i = 0; i < 6; i += 2) zmm_free(h, big[i]);
    size_t real_before = stats_of(h).real_size;

    SIZE_T largest = HeapCompact(ph, HEAP_NO_SERIALIZE);
    diag("HeapCompact on the private heap reports %zu (Wine: 0)", (size_t)largest);
    size_t got = zmm_heap_compact(h);
    diag("zmm_heap_compact returned %zu", got);
    ok(got <= real_before, "compact returns no more than the heap held");
    ok(heap_handle(h) == ph && process_has_heap(ph), "HeapCompact keeps the private heap (5.3 re-created it)");
    ok(HeapValidate(ph, 0, NULL), "the private heap validates after compaction");
    ok(check_pattern(keep, 50000, 9), "live blocks keep their contents across compaction");
    segments_in_private_heap(h, ph, "after compaction");

    /* still usable */
    void *after = zmm_malloc(h, 600000);
    ok(after != NULL, "the heap allocates after compaction");
    zmm_free(h, after);
    check_clean(h, "compaction");

    /* partial shutdown with real_peak above compact_size compacts too */
    ok(stats_of(h).real_peak > stats_of(h).compact_size, "real_peak is above compact_size");
    zmm_heap_shutdown(h);
    ok(heap_handle(h) == ph && HeapValidate(ph, 0, NULL), "shutdown compaction keeps a valid private heap");
    is_sz(stats_of(h).real_size, SEG, "after shutdown: one segment");
    segments_in_private_heap(h, ph, "after shutdown compaction");
    void *again = zmm_malloc(h, 1000);
    ok(again != NULL, "the heap allocates after shutdown compaction");
    zmm_free(h, again);
    check_clean(h, "shutdown compaction");
    is_int(el.count, 0, "compaction: no errors");
    zmm_heap_destroy(h);
    ok(!process_has_heap(ph), "full shutdown destroys the private heap");
}

/* ---- the protections on win32 segments ------------------------------------- */

static void test_protections(void)
{
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.storage = WIN32_S;
    cfg.cookies = true;
    cfg.protection = true;
    cfg.fill_freed = true;
    errlog el;
    zmm_heap *h = mkheap_cfg(&cfg, &el);
    HANDLE ph = heap_handle(h);
    void *p[64];
    for (int i = 0; i < 64; i++) {
        p[i] = zmm_malloc(h, (size_t)i * 997 + 1);
        fill_pattern(p[i], (size_t)i * 997 + 1, (unsigned)i);
    }
    for (int i = 0; i < 64; i += 3) {
        p[i] = zmm_realloc(h, p[i], (size_t)i * 4001 + 300000);
    }
    bool intact = true;
    for (int i = 0; i < 64; i++) {
        intact = intact && p[i] && check_pattern(p[i], (size_t)i * 997 + 1, (unsigned)i);
    }
    ok(intact, "cookies + canaries: contents survive reallocs across win32 segments");
    segments_in_private_heap(h, ph, "cookies + canaries");
    check_clean(h, "cookies + canaries on win32");
    for (int i = 0; i < 64; i++) zmm_free(h, p[i]);
    is_sz(busy_blocks(ph, 0, NULL), 1, "every extra segment went back");
    is_int(el.count, 0, "cookies + canaries: no errors");
    zmm_heap_destroy(h);
}

int main(void)
{
    WIN32_S = zmm_storage_find("win32");
    MALLOC_S = zmm_storage_find("malloc");
    if (!WIN32_S || !MALLOC_S) bail_out("this build has no win32 or no malloc scheme");
    test_schemes();
    test_default_heap();
    test_segments();
    test_switch();
    test_compact();
    test_protections();
    return done_testing();
}
#endif
