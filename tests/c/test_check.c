/* test_check.c - the integrity check on purpose-damaged headers, pointer
 * validation, and the inspection callbacks. */
#include "helpers.h"

#ifdef _WIN32
# define DEFAULT_SCHEME "win32"   /* Windows: win32 is the default scheme (5.3) */
#else
# define DEFAULT_SCHEME "malloc"
#endif

typedef struct saved {
    unsigned char *at;
    unsigned char bytes[64];
    size_t n;
} saved;
static saved save(void *at, size_t n)
{
    saved s;
    s.at = at;
    s.n = n;
    memcpy(s.bytes, at, n);
    return s;
}
static void restore(saved s) { memcpy(s.at, s.bytes, s.n); }

static size_t problems_now(const zmm_heap *h, problems *p)
{
    memset(p, 0, sizeof *p);
    return zmm_heap_check(h, problems_cb, p);
}

#ifndef _WIN32
#include <sys/wait.h>
#include <unistd.h>
/* Run the inspection functions on the damaged heap in a child process, so a
 * crash there is reported as a failure and the remaining tests still run. */
static void inspect_survives(zmm_heap *h, const char *what)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        (void)all_blocks(h);
        (void)all_segments(h);
        for (int i = 0; i < 64; i++) {
            (void)free_bucket(h, i);
            (void)cache_list(h, i);
            (void)trie(h, i);
        }
        (void)rest_list(h);
        _exit(0);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: inspection functions survive the damage", what);
}
#else
static void inspect_survives(zmm_heap *h, const char *what) { (void)h; (void)what; }
#endif

/* Damage, expect a report, restore, expect clean. */
static void damage_word(zmm_heap *h, void *at, size_t value, const char *what)
{
    problems p;
    saved s = save(at, sizeof(size_t));
    memcpy(at, &value, sizeof value);
    size_t n = problems_now(h, &p);
    ok(n > 0 && p.n == n, "%s: reported (%zu problem(s))", what, n);
    if (n) diag("  first: %s", p.first);
    inspect_survives(h, what);
    restore(s);
    is_sz(problems_now(h, &p), 0, "%s: clean again after repair", what);
}

static void test_damage_release(void)
{
    zmm_heap *h = mkheap(false, NULL);
    char *a = zmm_malloc(h, 100), *b = zmm_malloc(h, 100), *c = zmm_malloc(h, 100), *d = zmm_malloc(h, 100);
    check_clean(h, "before damage");
    char *hb = zmm_block_header(h, b);
    is_ptr(hb, b - 16, "zmm_block_header = ptr - 16");
    damage_word(h, hb, ((size_t)0xdeadbeef0 | 1), "used block _size far outside the segment");
    damage_word(h, hb, (size_t)(128 | 1), "used block _size off by 8 (lands inside C)");
    damage_word(h, hb, (size_t)(240 | 1), "used block _size skipping C exactly");
    damage_word(h, hb, (size_t)(120 | 0), "used block marked free but in no list");
    damage_word(h, hb, (size_t)(120 | 2), "used block with type bits 2");
    damage_word(h, hb, (size_t)0, "used block _size 0");
    damage_word(h, hb, SIZE_MAX, "used block _size SIZE_MAX");
    damage_word(h, hb + 8, (size_t)(999 | 1), "_prev not equal to the previous block's _size");
    damage_word(h, hb + 8, (size_t)3, "_prev claims first-in-segment");
    damage_word(h, hb + 8, (size_t)(120 | 0), "_prev claims the previous block is free");
    ok(zmm_is_live(h, b), "the block is still live after repairs");

    /* a free block's list links */
    zmm_free(h, a);
    char *ha = a - 16;
    is_sz(free_bucket(h, 11)->n, 1, "A in bucket 11");
    damage_word(h, ha + 16, (size_t)0x4141414141414140ull, "free block prev link wild");
    damage_word(h, ha + 24, (size_t)0x4242424242424240ull, "free block next link wild");
    damage_word(h, ha + 24, (size_t)(uintptr_t)(c - 16), "free block next link to a used block");
    /* the large free tail: parent and children */
    trielist *t = trie(h, 17);
    if (ok(t->n == 1, "one trie node")) {
        char *tail = (char *)t->t[0].block.address;
        damage_word(h, tail + 32, (size_t)0x4343434343434340ull, "trie node parent pointer wild");
        damage_word(h, tail + 40, (size_t)0x4444444444444440ull, "trie node child[0] wild");
        damage_word(h, tail + 48, (size_t)(uintptr_t)(ha), "trie node child[1] pointing at a small free block");
        damage_word(h, tail, (size_t)0x100000, "free tail _size past the segment end");
    }
    /* the guard */
    seglist *sl = all_segments(h);
    char *guard = (char *)sl->s[0].address + sl->s[0].size - 16;
    damage_word(h, guard, (size_t)0, "guard _size 0");
    damage_word(h, guard, (size_t)(16 | 1), "guard marked used instead of guard");
    damage_word(h, guard + 8, (size_t)(1000 | 0), "guard _prev wrong");
    /* the segment header */
    char *seg = (char *)sl->s[0].address;
    damage_word(h, seg, (size_t)999999, "segment header size wrong");
    zmm_free(h, b);
    zmm_free(h, c);
    zmm_free(h, d);
    check_clean(h, "after repairs and frees");
    zmm_heap_destroy(h);

    /* cached blocks */
    h = mkheap(true, NULL);
    a = zmm_malloc(h, 100);
    b = zmm_malloc(h, 100);
    zmm_free(h, a);
    damage_word(h, a - 16 + 16, (size_t)0x4545454545454540ull, "cache link wild");
    damage_word(h, a - 16, (size_t)(120 | 0), "cached block marked free");
    zmm_free(h, b);
    check_clean(h, "cache damage repaired");
    zmm_heap_destroy(h);
}

static void test_damage_protected(void)
{
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.cookies = true;
    cfg.cache = false;
    zmm_heap *h = mkheap_cfg(&cfg, NULL);
    char *a = zmm_malloc(h, 100), *b = zmm_malloc(h, 100);
    char *hb = zmm_block_header(h, b);
    is_ptr(hb, b - 24, "cookies: header 24 bytes");
    damage_word(h, hb + 16, (size_t)0x1234, "cookie word damaged");
    zmm_free(h, a);
    damage_word(h, a - 24 + 16, (size_t)0x1234, "free block cookie damaged");
    zmm_free(h, b);
    check_clean(h, "cookies");
    zmm_heap_destroy(h);

    zmm_config_defaults(&cfg);
    cfg.protection = true;
    cfg.cache = false;
    h = mkheap_cfg(&cfg, NULL);
    unsigned char *p = zmm_malloc(h, 100);
    problems pr;
    p[100] ^= 0xFF; /* one byte past the request: the end canary */
    size_t n = problems_now(h, &pr);
    ok(n > 0, "protection: overwritten end canary reported (%s)", pr.first);
    p[100] ^= 0xFF;
    is_sz(problems_now(h, &pr), 0, "protection: clean after repair");
    char *hp = zmm_block_header(h, p);
    is_ptr(hp, (char *)p - 32, "protection: header 32 bytes");
    damage_word(h, hp + 24, (size_t)0x77, "protection: start canary damaged");
    damage_word(h, hp + 16, (size_t)99, "protection: recorded size damaged");
    zmm_free(h, p);
    check_clean(h, "protection");
    zmm_heap_destroy(h);

    /* freeing a block whose end canary was overwritten: reported, nothing freed, no crash */
    errlog el;
    h = mkheap_cfg(&cfg, &el);
    p = zmm_malloc(h, 100);
    void *after = zmm_malloc(h, 100);
    size_t size_before = stats_of(h).size;
    p[100] ^= 0xFF;
    errlog_reset(&el);
    zmm_free(h, p);
    is_int(el.count, 1, "protection: free of an overflowed block reports one error");
    is_int(el.kind, ZMM_ERR_CORRUPTED, "... ZMM_ERR_CORRUPTED");
    is_str(el.msg, "zend_mm_heap corrupted", "... with 5.3's message");
    is_sz(stats_of(h).size, size_before, "... and the block is not freed");
    ok(zmm_is_live(h, after), "the neighbour is untouched");
    zmm_free(h, after);
    zmm_heap_destroy(h);

    /* fill on free */
    cfg.fill_freed = true;
    h = mkheap_cfg(&cfg, NULL);
    p = zmm_malloc(h, 64);
    void *sp = zmm_malloc(h, 64);
    memset(p, 0x11, 64);
    zmm_free(h, p);
    int filled = 1;
    for (int i = 16; i < 64; i++) filled &= p[i] == 0x5A; /* the first bytes hold the free-list links */
    ok(filled, "fill_freed: freed user bytes are 0x5A");
    zmm_free(h, sp);
    zmm_heap_destroy(h);
}

static void test_validation(void)
{
    errlog el, el2;
    zmm_heap *h = mkheap(false, &el);
    zmm_heap *o = mkheap(true, &el2);
    char *a = zmm_malloc(h, 100), *b = zmm_malloc(h, 100000), *c = zmm_malloc(h, 2u << 20);
    char *oa = zmm_malloc(o, 100);
    int local = 0;
    void *sys = malloc(32);
    ok(zmm_is_live(h, a) && zmm_is_live(h, b) && zmm_is_live(h, c), "live blocks are live");
    ok(!zmm_is_live(h, NULL), "NULL is not live");
    ok(!zmm_is_live(h, a + 1) && !zmm_is_live(h, a + 8) && !zmm_is_live(h, a - 16) && !zmm_is_live(h, a + 100),
       "addresses inside and around a block are not live");
    ok(!zmm_is_live(h, c + 4096), "inside a huge block: not live");
    ok(!zmm_is_live(h, &local), "a stack address is not live");
    ok(!zmm_is_live(h, sys), "a malloc'd pointer is not live");
    ok(!zmm_is_live(h, (void *)(uintptr_t)0x10), "address 0x10 is not live");
    ok(!zmm_is_live(h, (void *)(uintptr_t)(UINTPTR_MAX - 7)), "address ~0 is not live");
    ok(!zmm_is_live(h, oa), "another heap's block is not live here");
    ok(zmm_is_live(o, oa), "... but live in its own heap");
    is_sz(zmm_usable_size(h, a + 8), 0, "usable_size of a forged pointer is 0");
    is_sz(zmm_block_size(h, &local), 0, "block_size of a forged pointer is 0");
    zmm_block_view bv;
    ok(!zmm_block_info(h, oa, &bv, &g_sv_dummy), "block_info refuses another heap's block");

    zmm_stats s0 = stats_of(h);
    errlog_reset(&el);
    ok(!zmm_free_checked(h, a + 8), "free_checked refuses an interior pointer");
    is_int(el.kind, ZMM_ERR_INVALID_PTR, "... reported as an invalid pointer");
    is_int(el.count, 1, "... once");
    ok(!zmm_free_checked(h, oa), "free_checked refuses another heap's block");
    ok(zmm_is_live(o, oa), "the other heap's block survives");
    ok(!zmm_free_checked(h, &local), "free_checked refuses a stack address");
    errlog_reset(&el);
    ok(zmm_realloc_checked(h, sys, 10) == NULL, "realloc_checked refuses a malloc'd pointer");
    is_int(el.kind, ZMM_ERR_INVALID_PTR, "... as an invalid pointer");
    zmm_stats s1 = stats_of(h);
    ok(s1.size == s0.size && s1.real_size == s0.real_size && s1.live_blocks == s0.live_blocks,
       "refused calls change nothing");
    check_clean(h, "after refused calls");

    ok(zmm_free_checked(h, a), "free_checked frees a live block");
    ok(!zmm_is_live(h, a), "freed block not live");
    errlog_reset(&el);
    ok(!zmm_free_checked(h, a), "double free through free_checked refused");
    is_int(el.kind, ZMM_ERR_INVALID_PTR, "double free: invalid pointer");
    void *r = zmm_realloc_checked(h, b, 200000);
    ok(r && zmm_is_live(h, r) && zmm_usable_size(h, r) == 200000, "realloc_checked of a live block works");
    void *n = zmm_realloc_checked(h, NULL, 10);
    ok(n && zmm_is_live(h, n), "realloc_checked(NULL) allocates");

    /* cached blocks are not live */
    char *oc = zmm_malloc(o, 100);
    zmm_free(o, oc);
    ok(stats_of(o).cached == 120 && !zmm_is_live(o, oc), "a cached block is not live");
    errlog_reset(&el2);
    ok(!zmm_free_checked(o, oc), "free_checked of a cached block refused (double free)");
    is_int(el2.kind, ZMM_ERR_INVALID_PTR, "cached double free: invalid pointer");
    check_clean(o, "after a refused double free of a cached block");
    /* the reserve is not a user block */
    blocklist *bl = all_blocks(h);
    uintptr_t rp = 0;
    for (size_t i = 0; i < bl->n && i < MAXV; i++)
        if (bl->b[i].state == ZMM_STATE_RESERVE) rp = bl->b[i].ptr;
    ok(rp && !zmm_is_live(h, (void *)rp), "the reserve is not a live user block");
    ok(!zmm_free_checked(h, (void *)rp), "free_checked refuses the reserve");

    zmm_free(h, r);
    zmm_free(h, n);
    zmm_free(h, c);
    zmm_free(o, oa);
    free(sys);
    check_clean(h, "validation");
    zmm_heap_destroy(h);
    zmm_heap_destroy(o);
}

typedef struct walk {
    size_t segs, blocks, seg_bytes, used_bytes, cached_bytes, reserve_bytes, free_blocks, guards;
    size_t per_seg_claimed, per_seg_seen;
    uintptr_t cur_seg;
    int order_ok;
    uintptr_t last_end;
} walk;
static void walk_seg(const zmm_segment_view *s, void *ctx)
{
    walk *w = ctx;
    w->segs++;
    w->seg_bytes += s->size;
    w->per_seg_claimed += s->blocks;
}
static void walk_block(const zmm_segment_view *s, const zmm_block_view *b, void *ctx)
{
    walk *w = ctx;
    w->blocks++;
    w->per_seg_seen++;
    if (s->address != w->cur_seg) {
        w->cur_seg = s->address;
        if (b->address != s->address + 16) w->order_ok = 0;
    } else if (b->address != w->last_end) w->order_ok = 0;
    w->last_end = b->address + b->size;
    switch (b->state) {
    case ZMM_STATE_USED: w->used_bytes += b->size; break;
    case ZMM_STATE_CACHED: w->cached_bytes += b->size; break;
    case ZMM_STATE_RESERVE: w->reserve_bytes += b->size; break;
    case ZMM_STATE_GUARD: w->guards++; if (b->address + b->size != s->address + s->size) w->order_ok = 0; break;
    default: w->free_blocks++; break;
    }
}
static size_t count_cb_n;
static void count_list(int index, const zmm_block_view *b, void *ctx) { (void)index; (void)b; (void)ctx; count_cb_n++; }
static void count_node(int index, const zmm_trie_node_view *n, void *ctx) { (void)index; (void)ctx; count_cb_n += 1; (void)n; }

static void test_inspection(void)
{
    zmm_heap *h = mkheap(true, NULL);
    void *p[300];
    for (int i = 0; i < 300; i++) p[i] = zmm_malloc(h, (size_t)(i * 131 % 5000));
    void *hg = zmm_malloc(h, 1u << 20);
    for (int i = 0; i < 300; i += 3) zmm_free(h, p[i]);
    zmm_stats s0 = stats_of(h);
    walk w;
    memset(&w, 0, sizeof w);
    w.order_ok = 1;
    ok(zmm_inspect_segments(h, walk_seg, walk_block, &w), "inspect_segments returns true on a sound heap");
    is_sz(w.segs, s0.segments, "every segment visited");
    is_sz(w.seg_bytes, s0.real_size, "segment sizes add up to real_size");
    is_sz(w.per_seg_claimed, w.per_seg_seen, "segment views count their blocks");
    is_sz(w.guards, w.segs, "one guard per segment");
    ok(w.order_ok, "blocks tile each segment from header to guard");
    is_sz(w.used_bytes + w.cached_bytes + w.reserve_bytes, s0.size, "used + cached + reserve = size");
    is_sz(w.cached_bytes, s0.cached, "cached blocks add up to cached");
    /* every free block is in exactly one list */
    count_cb_n = 0;
    for (int i = 0; i < 64; i++) zmm_inspect_free_bucket(h, i, count_list, NULL);
    zmm_inspect_rest(h, count_list, NULL);
    for (int k = 0; k < 64; k++) zmm_inspect_large_tree(h, k, count_node, count_list, NULL);
    is_sz(count_cb_n, w.free_blocks, "free buckets + trie + rest list = the free blocks walked");
    count_cb_n = 0;
    for (int i = 0; i < 64; i++) zmm_inspect_cache(h, i, count_list, NULL);
    zmm_stats s1 = stats_of(h);
    int cc = 0;
    for (int i = 0; i < 64; i++) cc += s1.cache_stat[i].count;
    is_sz(count_cb_n, (size_t)cc, "cache lists match the per-bucket counts");
    ok(memcmp(&s0, &s1, sizeof s0) == 0, "inspection changes no statistic (it never allocates from the heap)");
    /* bitmaps agree with the lists */
    int bm_ok = 1;
    for (int i = 0; i < 64; i++) {
        int has = free_bucket(h, i)->n > 0;
        if (has != (int)((s1.free_bitmap >> i) & 1)) bm_ok = 0;
        int thas = trie(h, i)->n > 0;
        if (thas != (int)((s1.large_free_bitmap >> i) & 1)) bm_ok = 0;
    }
    ok(bm_ok, "free_bitmap and large_free_bitmap match the lists");
    const char *names[] = {"used", "free", "large", "rest", "cached", "guard", "reserve"};
    for (int i = 0; i <= ZMM_STATE_RESERVE; i++)
        is_str(zmm_block_state_name((zmm_block_state)i), names[i], "state %d is named %s", i, names[i]);
    /* block_info */
    zmm_block_view bv;
    zmm_segment_view sv;
    ok(zmm_block_info(h, hg, &bv, &sv) && bv.state == ZMM_STATE_USED && bv.requested == (1u << 20) &&
       bv.size == 1048592 && sv.size == 1310720 && strcmp(sv.storage, DEFAULT_SCHEME) == 0 && bv.large_index == 20,
       "block_info of the 1 MB block: size 1048592, requested 1048576, segment 1310720, index 20");
    /* a damaged heap: inspect returns false */
    char *hd = zmm_block_header(h, p[1]);
    saved sv1 = save(hd, 8);
    size_t junk = (size_t)0xdeadbeef00ull | 1;
    memcpy(hd, &junk, 8);
    memset(&w, 0, sizeof w);
    ok(!zmm_inspect_segments(h, walk_seg, walk_block, &w), "inspect_segments returns false on a damaged heap");
    restore(sv1);
    for (int i = 1; i < 300; i++)
        if (i % 3) zmm_free(h, p[i]);
    zmm_free(h, hg);
    check_clean(h, "inspection");
    zmm_heap_destroy(h);
}

/* The smallest free block, right before the guard, is still listed. */
static void test_inspect_segment_end(void)
{
    for (int cookies = 0; cookies <= 1; cookies++) {
        layout L = layout_for(cookies, false);
        zmm_config cfg;
        zmm_config_defaults(&cfg);
        cfg.cache = false;
        cfg.cookies = cookies;
        zmm_heap *h = mkheap_cfg(&cfg, NULL);
        size_t tail = 262144 - 16 - L.hdr - exp_true(&L, 8192); /* the free block after the reserve */
        /* leave exactly one minimum block free before the guard */
        size_t ts = tail - L.minhdr;
        void *a = zmm_malloc(h, ts - L.hdr);
        zmm_block_view bv;
        ok(a && zmm_block_info(h, a, &bv, &g_sv_dummy) && bv.size == ts, "layout %d: block of %zu leaves %zu bytes",
           cookies, ts, L.minhdr);
        blocklist *bl = free_bucket(h, 0);
        ok(bl->n == 1 && bl->b[0].size == L.minhdr && bl->b[0].address == hdr_of(a, &L) + ts,
           "layout %d: the %zu-byte free block right before the guard is listed in bucket 0 (%zu listed)", cookies,
           L.minhdr, bl->n);
        is_sz(stats_of(h).free_bitmap, 1, "layout %d: free_bitmap bit 0", cookies);
        bl = all_blocks(h);
        ok(bl->n == 4 && bl->b[2].state == ZMM_STATE_FREE && bl->b[2].size == L.minhdr,
           "layout %d: the segment walk classifies it free", cookies);
        check_clean(h, "block before the guard");
        zmm_free(h, a);
        zmm_heap_destroy(h);
    }
    /* a 32-byte rest block (a realloc remainder ends at the guard) */
    zmm_heap *h = mkheap(false, NULL);
    void *p0 = zmm_malloc(h, 253888);
    void *b = zmm_malloc(h, 254000);
    void *b2 = zmm_realloc(h, b, 262064); /* true 262080: remainder 32 at the guard */
    ok(b2 == b, "grow in place leaving 32 bytes before the guard");
    blocklist *bl = rest_list(h);
    ok(bl->n == 1 && bl->b[0].size == 32, "the 32-byte remainder is listed on the rest list (%zu listed)", bl->n);
    bl = all_blocks(h);
    int rest_seen = 0;
    for (size_t i = 0; i < bl->n && i < MAXV; i++)
        if (bl->b[i].size == 32 && bl->b[i].state == ZMM_STATE_REST) rest_seen = 1;
    ok(rest_seen, "the segment walk classifies it as rest");
    check_clean(h, "32-byte rest block");
    zmm_free(h, b2);
    zmm_free(h, p0);
    zmm_heap_destroy(h);

    /* a 32-byte cached block right before the guard */
    h = mkheap(true, NULL);
    void *a = zmm_malloc(h, 253856);     /* leaves 32 bytes before the guard */
    void *x = zmm_malloc(h, 10);
    is_ptr(x, (char *)a + 253872, "a 10-byte request takes the last 32 bytes");
    zmm_free(h, x);
    bl = cache_list(h, 0);
    layout R0 = layout_for(false, false);
    ok(bl->n == 1 && bl->b[0].address == hdr_of(x, &R0),
       "the cached block before the guard is listed in cache 0 (%zu listed)", bl->n);
    bl = all_blocks(h);
    ok(bl->n == 4 && bl->b[2].state == ZMM_STATE_CACHED, "the segment walk classifies it as cached");
    check_clean(h, "32-byte cached block");
    zmm_free(h, a);
    zmm_heap_destroy(h);
}

int main(void)
{
    test_inspect_segment_end();
    test_damage_release();
    test_damage_protected();
    test_validation();
    test_inspection();
    return done_testing();
}
