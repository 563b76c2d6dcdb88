/* test_sizes.c - true size and bucket index of every request (fact sheet §1.3). */
#include "helpers.h"

static const char *layout_name(bool cookies, bool protection)
{
    return cookies && protection ? "cookies+protection" : protection ? "protection" : cookies ? "cookies" : "release";
}

static void check_layout(bool cookies, bool protection, size_t hdr, size_t minhdr, size_t fhdr,
                         size_t min_size, size_t max_small, size_t largest_small_request)
{
    const char *name = layout_name(cookies, protection);
    layout L = layout_for(cookies, protection);
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.cookies = cookies;
    cfg.protection = protection;
    cfg.cache = false;
    zmm_heap *h = mkheap_cfg(&cfg, NULL);
    zmm_stats st = stats_of(h);

    is_sz(st.header_size, hdr, "%s: header_size", name);
    is_sz(st.min_block_size, minhdr, "%s: min_block_size", name);
    is_sz(st.free_header_size, fhdr, "%s: free_header_size", name);
    is_sz(st.min_request, min_size, "%s: min_request (ZEND_MM_MIN_SIZE)", name);
    is_sz(st.max_small_size, max_small, "%s: max_small_size (ZEND_MM_MAX_SMALL_SIZE)", name);
    ok(st.cookies == cookies && st.protection == protection, "%s: stats report the options", name);

    /* every request 0..600: true size and bucket, against the formula */
    size_t bad = 0, first_bad = 0;
    for (size_t n = 0; n <= 600; n++) {
        size_t ts = zmm_true_size(h, n);
        int b = zmm_bucket_index(h, ts);
        if (ts != exp_true(&L, n) || b != exp_bucket(&L, exp_true(&L, n))) {
            if (!bad) first_bad = n;
            bad++;
        }
    }
    ok(bad == 0, "%s: true size and bucket of every request 0..600 (%zu wrong, first %zu)", name, bad, first_bad);
    if (bad) diag("request %zu: true %zu bucket %d, expected %zu / %d", first_bad, zmm_true_size(h, first_bad),
                  zmm_bucket_index(h, zmm_true_size(h, first_bad)), exp_true(&L, first_bad),
                  exp_bucket(&L, exp_true(&L, first_bad)));

    /* the small/large boundary */
    size_t ts_last = zmm_true_size(h, largest_small_request);
    is_int(zmm_bucket_index(h, ts_last), 63, "%s: request %zu is small, bucket 63", name, largest_small_request);
    size_t ts_first_large = zmm_true_size(h, largest_small_request + 1);
    is_int(zmm_bucket_index(h, ts_first_large), -1, "%s: request %zu is large", name, largest_small_request + 1);
    ok(ts_first_large >= max_small, "%s: first large true size %zu >= %zu", name, ts_first_large, max_small);

    /* allocate every small size and look at the blocks */
    size_t mism = 0;
    for (size_t n = 0; n <= largest_small_request + 1; n++) {
        void *p = zmm_malloc(h, n);
        zmm_block_view bv;
        zmm_segment_view sv;
        if (!p || !zmm_block_info(h, p, &bv, &sv)) {
            mism++;
            continue;
        }
        size_t ts = exp_true(&L, n);
        if (bv.size != ts || bv.bucket != exp_bucket(&L, ts) || bv.ptr != (uintptr_t)p ||
            bv.address != (uintptr_t)p - hdr || bv.state != ZMM_STATE_USED ||
            zmm_usable_size(h, p) != n ||
            zmm_block_size(h, p) != (protection ? n : ts) ||
            (bv.bucket < 0 && bv.large_index != exp_high_bit(ts))) {
            if (!mism) diag("%s: request %zu: size %zu bucket %d large_index %d usable %zu block_size %zu", name, n,
                            bv.size, bv.bucket, bv.large_index, zmm_usable_size(h, p), zmm_block_size(h, p));
            mism++;
        }
        zmm_free(h, p);
    }
    ok(mism == 0, "%s: each allocated small block has the expected size, bucket, usable and block size", name);
    check_clean(h, name);
    zmm_heap_destroy(h);
}

int main(void)
{
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    zmm_heap *h = mkheap_cfg(&cfg, NULL);

    /* the examples of the fact sheet (release layout) */
    for (size_t n = 1; n <= 16; n++) {
        if (!is_sz(zmm_true_size(h, n), 32, "request %zu -> true size 32", n)) break;
    }
    is_sz(zmm_true_size(h, 0), 32, "request 0 -> true size 32");
    is_int(zmm_bucket_index(h, 32), 0, "true size 32 -> bucket 0");
    is_sz(zmm_true_size(h, 17), 40, "request 17 -> true size 40");
    is_sz(zmm_true_size(h, 24), 40, "request 24 -> true size 40");
    is_int(zmm_bucket_index(h, 40), 1, "true size 40 -> bucket 1");
    is_sz(zmm_true_size(h, 100), 120, "request 100 -> true size 120");
    is_int(zmm_bucket_index(h, 120), 11, "true size 120 -> bucket 11");
    is_sz(zmm_true_size(h, 256), 272, "request 256 -> true size 272");
    is_int(zmm_bucket_index(h, 272), 30, "true size 272 -> bucket 30");
    is_sz(zmm_true_size(h, 520), 536, "request 520 -> true size 536");
    is_int(zmm_bucket_index(h, 536), 63, "true size 536 -> bucket 63");
    is_sz(zmm_true_size(h, 521), 544, "request 521 -> true size 544");
    is_int(zmm_bucket_index(h, 544), -1, "true size 544 is large");
    is_int(zmm_high_bit(544), 9, "true size 544 -> large index 9");
    is_sz(zmm_true_size(h, 4096), 4112, "request 4096 -> true size 4112");
    is_int(zmm_high_bit(4112), 12, "true size 4112 -> large index 12");
    is_sz(zmm_true_size(h, 8192), 8208, "request 8192 (the reserve) -> 8208");

    /* every request 0..520 with the release formula, spelled out */
    size_t bad = 0;
    for (size_t n = 0; n <= 520; n++) {
        size_t want = n <= 16 ? 32 : ((n + 7) & ~(size_t)7) + 16;
        int wantb = (int)(want >> 3) - 4;
        if (zmm_true_size(h, n) != want || zmm_bucket_index(h, want) != wantb) {
            if (!bad) diag("request %zu: got true %zu bucket %d, want %zu / %d", n, zmm_true_size(h, n),
                           zmm_bucket_index(h, zmm_true_size(h, n)), want, wantb);
            bad++;
        }
    }
    ok(bad == 0, "release: every request 0..520 maps to ceil8(n)+16 (min 32), bucket ts/8-4");
    /* bucket i >= 1 serves requests 8i+9 .. 8i+16 */
    bad = 0;
    for (int i = 1; i < 64; i++) {
        size_t lo = 8 * (size_t)i + 9, hi = 8 * (size_t)i + 16;
        if (zmm_bucket_index(h, zmm_true_size(h, lo)) != i || zmm_bucket_index(h, zmm_true_size(h, hi)) != i ||
            zmm_bucket_index(h, zmm_true_size(h, lo - 1)) != i - 1)
            bad++;
    }
    ok(bad == 0, "release: bucket i serves requests 8i+9..8i+16");

    /* zmm_bucket_index of every true size 32..536 and beyond */
    bad = 0;
    for (size_t ts = 32; ts < 544; ts += 8)
        if (zmm_bucket_index(h, ts) != (int)(ts / 8 - 4)) bad++;
    for (size_t ts = 544; ts < 100000; ts += 8)
        if (zmm_bucket_index(h, ts) != -1) bad++;
    ok(bad == 0, "zmm_bucket_index: 32..536 -> 0..63, 544.. -> -1");

    /* high / low bit */
    bad = 0;
    for (int i = 0; i < 64; i++) {
        size_t x = (size_t)1 << i;
        if (zmm_high_bit(x) != i || zmm_low_bit(x) != i || zmm_high_bit(x | 1) != i || zmm_low_bit(x | ((size_t)1 << 63)) != i)
            bad++;
    }
    ok(bad == 0, "zmm_high_bit / zmm_low_bit for every bit position");
    is_int(zmm_high_bit(SIZE_MAX), 63, "high_bit(SIZE_MAX) = 63");
    is_int(zmm_low_bit(SIZE_MAX), 0, "low_bit(SIZE_MAX) = 0");
    is_int(zmm_high_bit(253904), 17, "high_bit(253904) = 17");

    /* overflow of the true size is reported as 0 */
    is_sz(zmm_true_size(h, SIZE_MAX), 0, "true size of SIZE_MAX is 0 (overflow)");
    is_sz(zmm_true_size(h, SIZE_MAX - 8), 0, "true size of SIZE_MAX-8 is 0 (overflow)");
    is_sz(zmm_true_size(h, SIZE_MAX - 15), 0, "true size of SIZE_MAX-15 is 0 (overflow)");
    ok(zmm_true_size(h, SIZE_MAX / 2) == align8(SIZE_MAX / 2 + 16), "true size of SIZE_MAX/2 does not wrap");
    zmm_heap_destroy(h);

    /* the four layouts of the table in §1.3 */
    check_layout(false, false, 16, 32, 32, 16, 544, 520);
    check_layout(true, false, 24, 40, 40, 16, 552, 520);
    check_layout(false, true, 32, 40, 32, 4, 552, 508);
    check_layout(true, true, 80, 88, 48, 4, 600, 508);

    return done_testing();
}
