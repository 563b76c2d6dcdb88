/* test_sites.c - allocation sites (src/sites/): interning and labels, the
 * block table under growth and deletion, the memo, attribution with the
 * bytes the 5.3 layout charges (fact sheet §1.3: header 16, sizes rounded to
 * 8), pinned segments of a known heap, and the three dumps (folded text
 * exactly, callgrind's structure, pprof's gzip member and protobuf). The
 * table lives beside the heap: a heap with sites is checked to place blocks
 * as one without. */
#include "helpers.h"
#include "sites.h"

#include <stdlib.h>

static const zmm_site_frame FA[] = { { "Foo::alloc", "/app/a.php", 10 } };
static const zmm_site_frame FB[] = { { "bar", "/app/b.php", 20 }, { "{main}", "/app/main.php", 5 } };

static zmm_heap *small_heap(size_t segment_size)
{
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.storage = zmm_storage_find("malloc");
    cfg.segment_size = segment_size;
    return mkheap_cfg(&cfg, NULL);
}

/* ---- sites and labels ------------------------------------------------------------ */

static void test_intern(void)
{
    zmm_sites *s = zmm_sites_create();
    char buf[128];
    zmm_site_frame f;

    zmm_site_id a = zmm_sites_intern(s, FA, 1);
    zmm_site_id b = zmm_sites_intern(s, FB, 2);
    zmm_site_frame copy[1] = { { "Foo::alloc", "/app/a.php", 10 } };
    ok(a == 1 && b == 2, "intern: ids from 1 in order of first use (%u, %u)", a, b);
    is_int(zmm_sites_intern(s, copy, 1), a, "intern: an equal path (other strings) is the same site");
    zmm_site_frame other[1] = { { "Foo::alloc", "/app/a.php", 11 } };
    is_int(zmm_sites_intern(s, other, 1), 3, "intern: another line is another site");
    is_int(zmm_sites_intern(s, FB, 1), 4, "intern: a shorter path is another site");
    is_sz(zmm_sites_count(s), 4, "count");
    is_sz(zmm_site_depth(s, b), 2, "depth of a two-frame site");
    ok(zmm_site_frame_at(s, b, 1, &f) && strcmp(f.function, "{main}") == 0 && f.line == 5,
       "frame 1 is the outer one");
    ok(!zmm_site_frame_at(s, b, 2, &f) && !zmm_site_frame_at(s, 99, 0, &f), "no frame past the depth or id");
    zmm_site_label(s, a, buf, sizeof buf);
    is_str(buf, "Foo::alloc (/app/a.php:10)", "label: function (file:line)");
    zmm_site_label(s, ZMM_SITE_NONE, buf, sizeof buf);
    is_str(buf, "(unknown)", "label of no site");
    zmm_site_frame internal[1] = { { "(internal)", "", 0 } };
    zmm_site_label(s, zmm_sites_intern(s, internal, 1), buf, sizeof buf);
    is_str(buf, "(internal)", "label without a file: the function alone");
    is_sz(zmm_site_label(s, a, buf, 5), strlen("Foo::alloc (/app/a.php:10)"), "label: snprintf's length");
    is_str(buf, "Foo:", "label: cut and terminated");
    is_int(zmm_sites_intern(s, FA, 0), ZMM_SITE_NONE, "a path of no frames is no site");

    /* the memo */
    uintptr_t key[3] = { 0x1000, 0x2000, 7 };
    is_int(zmm_sites_memo_find(s, key, 3), ZMM_SITE_NONE, "memo: miss before a store");
    zmm_sites_memo_store(s, key, 3, b);
    is_int(zmm_sites_memo_find(s, key, 3), b, "memo: hit after the store");
    is_int(zmm_sites_memo_find(s, key, 2), ZMM_SITE_NONE, "memo: a prefix of the key misses");
    key[2] = 8;
    is_int(zmm_sites_memo_find(s, key, 3), ZMM_SITE_NONE, "memo: another key misses");
    uintptr_t longkey[ZMM_SITES_MEMO_WORDS + 1] = { 0 };
    zmm_sites_memo_store(s, longkey, ZMM_SITES_MEMO_WORDS + 1, a);
    is_int(zmm_sites_memo_find(s, longkey, ZMM_SITES_MEMO_WORDS + 1), ZMM_SITE_NONE, "memo: too long a key never hits");

    zmm_sites_reset(s);
    is_sz(zmm_sites_count(s), 0, "reset forgets the sites");
    key[2] = 7;
    is_int(zmm_sites_memo_find(s, key, 3), ZMM_SITE_NONE, "reset empties the memo");
    is_int(zmm_sites_intern(s, FB, 2), 1, "after a reset ids start again at 1");
    zmm_sites_destroy(s);
}

/* ---- the block table -------------------------------------------------------------- */

static void test_blocks(void)
{
    zmm_sites *s = zmm_sites_create();
    enum { N = 20000 };
    static char arena[N * 16];
    zmm_site_id site;
    size_t req;
    bool all = true;

    for (size_t i = 0; i < N; i++) {
        if (!zmm_sites_record(s, arena + i * 16, i, (zmm_site_id)(i % 7 + 1))) all = false;
    }
    ok(all, "record %d blocks (the table grows)", N);
    is_sz(zmm_sites_blocks(s), N, "blocks counted");
    /* forget every third, in a scattered order, then look every one up */
    for (size_t k = 0; k < N; k++) {
        size_t i = (k * 7919) % N;
        if (i % 3 == 0) zmm_sites_forget(s, arena + i * 16);
    }
    size_t kept = 0, wrong = 0;
    for (size_t i = 0; i < N; i++) {
        bool found = zmm_sites_lookup(s, arena + i * 16, &site, &req);
        if (found != (i % 3 != 0)) wrong++;
        if (found && (site != i % 7 + 1 || req != i)) wrong++;
        kept += found;
    }
    is_sz(wrong, 0, "after scattered deletes every lookup is right");
    is_sz(kept, N - (N + 2) / 3, "the rest are kept");
    is_sz(zmm_sites_blocks(s), kept, "count follows");
    zmm_sites_forget(s, arena + 3 * 16);   /* already gone */
    zmm_sites_forget(s, (void *)1);        /* never there */
    is_sz(zmm_sites_blocks(s), kept, "forgetting an unknown pointer changes nothing");

    /* realloc */
    ok(zmm_sites_move(s, arena + 16, arena + 16, 99) && zmm_sites_lookup(s, arena + 16, &site, &req)
       && site == 2 && req == 99, "move in place: the site stays, the request changes");
    ok(zmm_sites_move(s, arena + 16, arena + 3 * 16, 5) && !zmm_sites_lookup(s, arena + 16, NULL, NULL)
       && zmm_sites_lookup(s, arena + 3 * 16, &site, &req) && site == 2 && req == 5,
       "move to a new place: the site goes with the block");
    ok(zmm_sites_move(s, arena + 6 * 16, arena + 6 * 16 + 8, 1) && zmm_sites_lookup(s, arena + 6 * 16 + 8, &site, NULL)
       && site == ZMM_SITE_NONE, "move of an unknown block: recorded without a site");
    ok(zmm_sites_record(s, arena + 16 * 2, 3, 5) && zmm_sites_lookup(s, arena + 32, &site, &req) && site == 5 && req == 3,
       "recording a pointer again replaces its entry");
    ok(!zmm_sites_record(s, NULL, 1, 1), "NULL is never recorded");

    char buf[64];
    is_sz(zmm_sites_block_label(s, (void *)1, buf, sizeof buf), 0, "block label: 0 for an unknown block");
    is_str(buf, "", "block label: empty for an unknown block");
    zmm_sites_reset(s);
    is_sz(zmm_sites_blocks(s), 0, "reset forgets the blocks");
    ok(!zmm_sites_lookup(s, arena + 32, NULL, NULL), "no lookup after a reset");
    zmm_sites_destroy(s);
}

/* ---- attribution ------------------------------------------------------------------ */

static const zmm_site_usage *usage_of(const zmm_site_usage *u, size_t n, zmm_site_id site)
{
    for (size_t i = 0; i < n; i++) if (u[i].site == site) return &u[i];
    return NULL;
}

static void test_usage(void)
{
    zmm_heap *h = small_heap(256 * 1024);
    zmm_sites *s = zmm_sites_create();
    zmm_site_id a = zmm_sites_intern(s, FA, 1), b = zmm_sites_intern(s, FB, 2);
    void *pa[3], *pb, *pu;
    zmm_site_usage *u, total;
    size_t n;
    char buf[128];

    for (int i = 0; i < 3; i++) {
        pa[i] = zmm_malloc(h, 100);                  /* 100 + 16 -> 120 */
        zmm_sites_record(s, pa[i], 100, a);
    }
    pb = zmm_malloc(h, 1000);                        /* 1000 + 16 -> 1016 */
    zmm_sites_record(s, pb, 1000, b);
    pu = zmm_malloc(h, 10);                          /* below 16: the 32-byte minimum */
    ok(pu != NULL, "an unrecorded block");
    ok(zmm_sites_usage(s, h, &u, &n, &total), "usage of a known heap");
    is_sz(n, 3, "three sites (one unknown)");
    ok(n == 3 && u[0].site == b && u[1].site == a && u[2].site == ZMM_SITE_NONE, "largest first: B 1016, A 360, unknown 32");
    const zmm_site_usage *ua = usage_of(u, n, a), *ub = usage_of(u, n, b), *un = usage_of(u, n, ZMM_SITE_NONE);
    ok(ua && ua->blocks == 3 && ua->requested == 300 && ua->bytes == 360 && ua->header == 48 && ua->rounding == 12,
       "A: 3 blocks, 300 asked, 360 held = 48 header + 12 rounding");
    ok(ub && ub->blocks == 1 && ub->requested == 1000 && ub->bytes == 1016 && ub->header == 16 && ub->rounding == 0,
       "B: 1 block, 1000 asked, 1016 held = 16 header");
    ok(un && un->blocks == 1 && un->requested == 10 && un->bytes == 32 && un->header == 16 && un->rounding == 6,
       "unknown: the tracked heap's request 10, 32 held = 16 header + 6 rounding");
    ok(total.blocks == 5 && total.bytes == 1408 && total.requested == 1310, "total: 5 blocks, 1408 bytes, 1310 asked");
    is_sz(total.bytes, stats_of(h).size - 8208, "total bytes = size minus the reserve");
    free(u);

    /* free one of A: its site goes with it; realloc another: the site stays */
    zmm_free(h, pa[0]);
    zmm_sites_forget(s, pa[0]);
    void *q = zmm_realloc(h, pa[1], 200);            /* 200 + 16 -> 216 */
    zmm_sites_move(s, pa[1], q, 200);
    ok(zmm_sites_usage(s, h, &u, &n, NULL), "usage after a free and a realloc");
    ua = usage_of(u, n, a);
    ok(ua && ua->blocks == 2 && ua->requested == 300 && ua->bytes == 336,
       "A: the cached block is no site's, the grown one keeps A (120 + 216)");
    free(u);
    zmm_sites_block_label(s, q, buf, sizeof buf);
    is_str(buf, "Foo::alloc (/app/a.php:10)", "block label of the grown block");
    zmm_sites_block_label(s, pb, buf, sizeof buf);
    is_str(buf, "bar (/app/b.php:20)", "block label: the innermost frame");

    /* no table: every block unknown */
    ok(zmm_sites_usage(NULL, h, &u, &n, &total) && n == 1 && u[0].site == ZMM_SITE_NONE && u[0].blocks == 4,
       "without a table every live block is unknown");
    free(u);
    check_clean(h, "usage");
    zmm_sites_destroy(s);
    zmm_heap_destroy(h);
}

/* a heap with sites places every block as one without */
static void test_same_placement(void)
{
    zmm_heap *h1 = small_heap(4096), *h2 = small_heap(4096);
    zmm_sites *s = zmm_sites_create();
    zmm_site_id a = zmm_sites_intern(s, FA, 1);
    void *p1[200], *p2[200];
    bool same = true;
    unsigned x = 1;

    for (int i = 0; i < 200; i++) {
        size_t n = (x = x * 1103515245u + 12345u) >> 20 & 2047;
        p1[i] = zmm_malloc(h1, n);
        p2[i] = zmm_malloc(h2, n);
        zmm_sites_record(s, p2[i], n, a);
        if (i % 3 == 1) {
            zmm_free(h1, p1[i - 1]);
            zmm_free(h2, p2[i - 1]);
            zmm_sites_forget(s, p2[i - 1]);
        }
    }
    zmm_stats s1 = stats_of(h1), s2 = stats_of(h2);
    /* the same blocks, state by state and size by size, in the same order */
    static blocklist l1, l2;
    l1.n = l2.n = 0;
    zmm_inspect_segments(h1, NULL, collect_block_cb, &l1);
    zmm_inspect_segments(h2, NULL, collect_block_cb, &l2);
    same = l1.n == l2.n && l1.n < MAXV;
    for (size_t i = 0; same && i < l1.n; i++) {
        same = l1.b[i].size == l2.b[i].size && l1.b[i].state == l2.b[i].state
            && l1.b[i].address - l1.s[i].address == l2.b[i].address - l2.s[i].address;
    }
    ok(same && s1.size == s2.size && s1.real_size == s2.real_size && s1.peak == s2.peak,
       "the same %zu blocks at the same offsets, size %zu, real_size %zu and peak with and without sites", l2.n, s2.size, s2.real_size);
    zmm_sites_destroy(s);
    zmm_heap_destroy(h1);
    zmm_heap_destroy(h2);
}

/* ---- pinning ------------------------------------------------------------------------ */

/* 4 KB segments: the reserve makes a 12 KB segment (8208 used); ten 100-byte
 * blocks fill a 4 KB one, nine are freed (the cache flushed): one 120-byte
 * block pins it; 3000 bytes take a third segment (3016 of 4096). */
static void test_pinning(void)
{
    zmm_heap *h = small_heap(4096);
    zmm_sites *s = zmm_sites_create();
    zmm_site_id a = zmm_sites_intern(s, FA, 1), b = zmm_sites_intern(s, FB, 2);
    void *p[10], *big;
    zmm_pinning pin;

    for (int i = 0; i < 10; i++) {
        p[i] = zmm_malloc(h, 100);
        zmm_sites_record(s, p[i], 100, a);
    }
    big = zmm_malloc(h, 3000);
    zmm_sites_record(s, big, 3000, b);
    for (int i = 0; i < 9; i++) {
        zmm_free(h, p[i]);
        zmm_sites_forget(s, p[i]);
    }
    zmm_heap_flush_cache(h);
    is_sz(stats_of(h).segments, 3, "three segments");

    ok(zmm_sites_pinning(s, h, 0.25, &pin), "pinning at 25 %%");
    is_sz(pin.segments_seen, 3, "every segment seen");
    is_sz(pin.nsegments, 1, "one segment at most 25 %% used");
    if (pin.nsegments == 1) {
        zmm_pinned_segment *g = &pin.segments[0];
        ok(g->size == 4096 && g->live_bytes == 120 && g->count == 1 && g->cached_bytes == 0
           && g->free_bytes == 4096 - 16 - 16 - 120, "the 4 KB segment: 120 live, 3944 free (minus header and guard)");
        zmm_pinned_block *pb = &pin.blocks[g->first];
        ok(pb->ptr == (uintptr_t)p[9] && pb->size == 120 && pb->requested == 100 && pb->site == a && !pb->reserve,
           "pinned by the one block of site A");
    }
    is_sz(pin.returnable, 4096, "it would give back 4096 bytes");
    zmm_pinning_free(&pin);

    ok(zmm_sites_pinning(s, h, 0.7, &pin) && pin.nsegments == 2, "at 70 %%: the reserve's segment too");
    if (pin.nsegments == 2) {
        zmm_pinned_segment *g = pin.segments[0].size == 12288 ? &pin.segments[0] : &pin.segments[1];
        ok(g->size == 12288 && g->live_bytes == 8208 && g->count == 1 && pin.blocks[g->first].reserve,
           "the 12 KB segment is pinned by the reserve (8208)");
    }
    is_sz(pin.returnable, 4096 + 12288, "returnable sums the segments");
    zmm_pinning_free(&pin);

    ok(zmm_sites_pinning(s, h, 1.0, &pin) && pin.nsegments == 3 && pin.nblocks == 3, "at 100 %%: every segment, every live block");
    zmm_pinning_free(&pin);
    ok(zmm_sites_pinning(s, h, 0.0, &pin) && pin.nsegments == 0 && pin.returnable == 0, "at 0 %%: none");
    zmm_pinning_free(&pin);

    /* a cached block does not pin */
    zmm_free(h, p[9]);
    zmm_sites_forget(s, p[9]);
    ok(zmm_sites_pinning(s, h, 0.25, &pin) && pin.nsegments == 1 && pin.segments[0].live_bytes == 0
       && pin.segments[0].cached_bytes == 120 && pin.segments[0].count == 0,
       "a segment held only by the cache: 0 live, 120 cached, no block");
    zmm_pinning_free(&pin);
    zmm_sites_destroy(s);
    zmm_heap_destroy(h);
}

/* ---- dumps -------------------------------------------------------------------------- */

typedef struct dump_heap { zmm_heap *h; zmm_sites *s; } dump_heap;

static dump_heap dump_fixture(void)
{
    dump_heap d = { small_heap(256 * 1024), zmm_sites_create() };
    zmm_site_id a = zmm_sites_intern(d.s, FA, 1), b = zmm_sites_intern(d.s, FB, 2);
    for (int i = 0; i < 3; i++) zmm_sites_record(d.s, zmm_malloc(d.h, 100), 100, a);
    zmm_sites_record(d.s, zmm_malloc(d.h, 1000), 1000, b);
    (void)zmm_malloc(d.h, 10);
    return d;
}

static void test_folded(void)
{
    dump_heap d = dump_fixture();
    char *out;
    size_t len;
    ok(zmm_sites_dump(d.s, d.h, ZMM_SITES_FOLDED, &out, &len), "folded dump");
    is_str(out,
           "{main} (/app/main.php:5);bar (/app/b.php:20) 1016\n"
           "Foo::alloc (/app/a.php:10) 360\n"
           "(unknown) 32\n", "folded: outer;inner bytes, largest first");
    is_sz(len, strlen(out), "folded: len");
    free(out);
    zmm_sites_destroy(d.s);
    zmm_heap_destroy(d.h);
}

static void test_callgrind(void)
{
    dump_heap d = dump_fixture();
    char *out;
    size_t len;
    ok(zmm_sites_dump(d.s, d.h, ZMM_SITES_CALLGRIND, &out, &len), "callgrind dump");
    ok(strncmp(out, "# callgrind format\nversion: 1\n", 30) == 0, "callgrind: the header");
    like(out, "events: Bytes Blocks Requested\n", "callgrind: three events");
    like(out, "summary: 1408 5 1310\n", "callgrind: summary = the live blocks");
    like(out, "fn=(", "callgrind: compressed function names");
    like(out, " Foo::alloc\n10 360 3 300\n", "callgrind: A's self cost at its line");
    like(out, " bar\n20 1016 1 1000\n", "callgrind: B's self cost");
    like(out, " {main}\ncfl=", "callgrind: main calls bar");
    like(out, "calls=1 20\n5 1016 1 1000\n", "callgrind: the inclusive cost at the calling line");
    like(out, "totals: 1408 5 1310\n", "callgrind: totals");
    free(out);
    zmm_sites_destroy(d.s);
    zmm_heap_destroy(d.h);
}

/* CRC-32 bit by bit (not the writer's table) */
static uint32_t crc_bitwise(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return ~c;
}

static uint64_t rd_varint(const unsigned char **p, const unsigned char *end)
{
    uint64_t v = 0;
    for (int sh = 0; *p < end && sh < 64; sh += 7) {
        unsigned char c = *(*p)++;
        v |= (uint64_t)(c & 0x7f) << sh;
        if (!(c & 0x80)) break;
    }
    return v;
}

static void test_pprof(void)
{
    dump_heap d = dump_fixture();
    char *out;
    size_t len;
    ok(zmm_sites_dump(d.s, d.h, ZMM_SITES_PPROF, &out, &len), "pprof dump");
    const unsigned char *g = (const unsigned char *)out;
    ok(len > 18 && g[0] == 0x1f && g[1] == 0x8b && g[2] == 8, "pprof: a gzip member (deflate)");
    /* one stored block (the profile is small) */
    size_t n = (size_t)g[11] | (size_t)g[12] << 8, nn = (size_t)g[13] | (size_t)g[14] << 8;
    ok(g[10] == 1 && (n ^ nn) == 0xffff && 10 + 5 + n + 8 == len, "pprof: one final stored block of %zu bytes", n);
    const unsigned char *pb = g + 15, *end = pb + n;
    uint32_t crc = (uint32_t)g[len - 8] | (uint32_t)g[len - 7] << 8 | (uint32_t)g[len - 6] << 16 | (uint32_t)g[len - 5] << 24;
    uint32_t isize = (uint32_t)g[len - 4] | (uint32_t)g[len - 3] << 8 | (uint32_t)g[len - 2] << 16 | (uint32_t)g[len - 1] << 24;
    ok(crc == crc_bitwise(pb, n) && isize == n, "pprof: CRC-32 and ISIZE");

    /* walk the protobuf: count fields, sum the samples' inuse_space */
    size_t fields[16] = { 0 }, space = 0, objects = 0, bad = 0;
    const unsigned char *p = pb;
    while (p < end && !bad) {
        uint64_t key = rd_varint(&p, end);
        unsigned field = (unsigned)(key >> 3), wire = (unsigned)(key & 7);
        if (field < 16) fields[field]++;
        if (wire == 0) {
            (void)rd_varint(&p, end);
        } else if (wire == 2) {
            uint64_t l = rd_varint(&p, end);
            const unsigned char *m = p, *mend = p + l;
            if (mend > end) { bad++; break; }
            if (field == 2) {   /* Sample: 1 location_id (packed), 2 value (packed) */
                while (m < mend) {
                    uint64_t k = rd_varint(&m, mend), sl = rd_varint(&m, mend);
                    const unsigned char *v = m;
                    if ((k >> 3) == 2) {
                        objects += rd_varint(&v, m + sl);
                        space += rd_varint(&v, m + sl);
                    }
                    m += sl;
                }
            }
            p = mend;
        } else {
            bad++;
        }
    }
    ok(!bad && p == end, "pprof: the protobuf parses to its end");
    ok(fields[1] == 3 && fields[2] == 3, "pprof: 3 sample types, 3 samples");
    ok(fields[4] == 4 && fields[5] == 4, "pprof: 4 locations and 4 functions (A, B, main, unknown)");
    ok(fields[6] >= 8 && fields[11] == 1 && fields[12] == 1 && fields[14] == 1, "pprof: string table, period, default type");
    is_sz(space, 1408, "pprof: inuse_space sums to the live bytes");
    is_sz(objects, 5, "pprof: inuse_objects sums to the live blocks");
    free(out);
    zmm_sites_destroy(d.s);
    zmm_heap_destroy(d.h);
}

static void test_formats(void)
{
    zmm_sites_format f;
    ok(zmm_sites_format_from_name("callgrind", &f) && f == ZMM_SITES_CALLGRIND, "format callgrind");
    ok(zmm_sites_format_from_name("pprof", &f) && f == ZMM_SITES_PPROF, "format pprof");
    ok(zmm_sites_format_from_name("folded", &f) && f == ZMM_SITES_FOLDED, "format folded");
    ok(!zmm_sites_format_from_name("svg", &f) && !zmm_sites_format_from_name("", &f), "no other format");
    is_str(zmm_sites_format_name(ZMM_SITES_PPROF), "pprof", "format name");

    /* an empty heap: valid, empty dumps */
    zmm_heap *h = small_heap(256 * 1024);
    char *out;
    size_t len;
    ok(zmm_sites_dump(NULL, h, ZMM_SITES_FOLDED, &out, &len) && len == 0 && out && out[0] == '\0',
       "folded of a heap without blocks: empty");
    free(out);
    ok(zmm_sites_dump(NULL, h, ZMM_SITES_PPROF, &out, &len) && len > 18, "pprof of a heap without blocks: a profile");
    free(out);
    zmm_heap_destroy(h);
}

int main(void)
{
    test_intern();
    test_blocks();
    test_usage();
    test_same_placement();
    test_pinning();
    test_folded();
    test_callgrind();
    test_pprof();
    test_formats();
    return done_testing();
}
