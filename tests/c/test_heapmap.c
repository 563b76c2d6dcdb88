/* test_heapmap.c - the heap maps (src/heapmap/heapmap.c): the exact text map of a
 * known heap, SVG well-formedness with one rect per block and a class per
 * state, aggregation of sub-pixel blocks, JSON validity and content, damaged
 * and pass-through heaps, and that drawing leaves the heap as it was. */
#include "helpers.h"
#include "heapmap.h"

#include <ctype.h>
#include <stdlib.h>

/* ---- helpers --------------------------------------------------------------- */

static char *map_of(const zmm_heap *h, zmm_map_format fmt, size_t width)
{
    char *out = NULL;
    size_t len = 0;
    if (!zmm_heap_map(h, fmt, width, &out, &len)) bail_out("zmm_heap_map(%s) failed", zmm_map_format_name(fmt));
    if (strlen(out) != len) bail_out("zmm_heap_map(%s): len %zu but strlen %zu", zmm_map_format_name(fmt), len,
                                     strlen(out));
    return out;
}

static size_t count_str(const char *hay, const char *needle)
{
    size_t n = 0, l = strlen(needle);
    for (const char *p = strstr(hay, needle); p; p = strstr(p + l, needle)) n++;
    return n;
}

/* print a multi-line text as diag lines (for a failed comparison) */
static void diag_text(const char *label, const char *s)
{
    diag("%s:", label);
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        diag("  |%.*s|", (int)n, s);
        s += n + (nl ? 1 : 0);
    }
}

/* The known heap: 4 KB segments, cache on, the default 8 KB reserve.
 *   reserve    -> segment A (12 KB): reserve 8208 + rest 4048 + guard
 *   10 x 100   -> segment B (4 KB):  ten 120-byte blocks + a 2864-byte large free tail + guard
 *   free a1, a3, a5, flush the cache -> three free blocks in bucket 11
 *   free a7    -> cached
 *   3000       -> segment C (4 KB):  3016 used + 1048 large free + guard */
typedef struct known {
    zmm_heap *h;
    char     *a[10];
    char     *b;
} known;

static known known_heap(void)
{
    known k;
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.storage = zmm_storage_find("malloc"); /* not win32, the default on Windows */
    cfg.segment_size = 4096;
    cfg.cache = true;
    k.h = mkheap_cfg(&cfg, NULL);
    for (int i = 0; i < 10; i++) k.a[i] = zmm_malloc(k.h, 100);
    zmm_free(k.h, k.a[1]);
    zmm_free(k.h, k.a[3]);
    zmm_free(k.h, k.a[5]);
    zmm_heap_flush_cache(k.h);
    zmm_free(k.h, k.a[7]);
    k.b = zmm_malloc(k.h, 3000);
    return k;
}

static const char known_text_80[] =
    "heap map: 3 segments, 18 blocks (newest segment first)\n"
    "0  4K ######################################################-------------------|\n"
    "1  4K ##..##...##..##++#####---------------------------------------------------|\n"
    "2 12K RRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRR~~~~~~~~~~~~~~~~~~~~~~~~|\n"
    "# used 7  + cached 1  . free 3  - large 2  ~ rest 1  R reserve 1  | guard 3\n"
    "real_size 20480:  payload 3600  headers 112  rounding 24  cached 120\n"
    "  free_small 360  free_large 3912  rest 4048  segment_overhead 96  reserve 8208\n"
    "size 12064  peak 12064  real_size 20480  real_peak 20480  cached 120\n"
    "limit 4611686018427387904  segments 3  blocks 18  live 7  storage malloc\n"
    "             0       8       16      24      32      40      48      56\n"
    "free_bitmap  ...........1....................................................\n"
    "large_bitmap ..........11....................................................\n";

/* 33 columns of 123 bytes: each 120-byte block of B gets about one column */
static const char known_text_40[] =
    "heap map: 3 segments, 18 blocks (newest segment first)\n"
    "0  4K ########################---------|\n"
    "1  4K #.#.#.#+##-----------------------|\n"
    "2 12K RRRRRRRRRRRRRRRRRRRRRR~~~~~~~~~~~|\n"
    "# used 7  + cached 1  . free 3\n"
    "- large 2  ~ rest 1  R reserve 1\n"
    "| guard 3\n"
    "real_size 20480:  payload 3600\n"
    "  headers 112  rounding 24  cached 120\n"
    "  free_small 360  free_large 3912\n"
    "  rest 4048  segment_overhead 96\n"
    "  reserve 8208\n"
    "size 12064  peak 12064  real_size 20480  real_peak 20480  cached 120\n"
    "limit 4611686018427387904  segments 3  blocks 18  live 7  storage malloc\n"
    "free_bitmap  0x0000000000000800\n"
    "large_bitmap 0x0000000000000c00\n";

/* ---- where real_size goes ------------------------------------------------------ */

/* The known heap's parts, each from the construction above: 6 x 100 + 3000
 * requested; 7 headers of 16; 120 - 16 - 100 = 4 rounding per small block,
 * 3016 - 16 - 3000 = 0 for the large one; one cached 120; three free 120; the
 * large tails 2864 (B) and 1048 (C); the rest block 4048 (A); per segment a
 * 16-byte header and a 16-byte guard; the reserve 8208. */
static void test_breakdown(void)
{
    known k = known_heap();
    zmm_breakdown b;
    ok(zmm_heap_breakdown(k.h, &b), "breakdown of the known heap is complete");
    ok(b.requested_known, "a tracked heap knows the requested sizes");
    is_sz(b.payload, 6 * 100 + 3000, "payload: the requested bytes");
    is_sz(b.headers, 7 * 16, "headers: 16 per used block");
    is_sz(b.rounding, 6 * 4 + 0, "rounding: 4 per 100-byte request, 0 for 3000");
    is_sz(b.payload_and_rounding, 3624, "payload_and_rounding = payload + rounding");
    is_sz(b.cached, 120, "cached: one 120-byte block");
    is_sz(b.free_small, 3 * 120, "free_small: bucket 11's three blocks");
    is_sz(b.free_large, 2864 + 1048, "free_large: the tails of B and C");
    is_sz(b.rest, 4048, "rest: the tail of A");
    is_sz(b.segment_overhead, 3 * (16 + 16), "segment_overhead: header and guard of each segment");
    is_sz(b.reserve, 8208, "reserve: 8192 + header");
    is_sz(b.used_blocks, 7, "7 blocks handed out");
    is_sz(b.real_size, 20480, "real_size 4K + 4K + 12K");
    is_sz(zmm_breakdown_sum(&b), 20480, "the parts add up to real_size");
    zmm_heap_destroy(k.h);

    /* without the live-block index the split of payload and rounding is unknown */
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.storage = zmm_storage_find("malloc");
    cfg.segment_size = 4096;
    cfg.track_blocks = false;
    zmm_heap *h = mkheap_cfg(&cfg, NULL);
    void *p = zmm_malloc(h, 100);
    zmm_heap_breakdown(h, &b);
    ok(!b.requested_known, "untracked heap: requested sizes unknown");
    is_sz(b.payload, 0, "untracked heap: payload 0 (unknown)");
    is_sz(b.rounding, 0, "untracked heap: rounding 0 (unknown)");
    is_sz(b.payload_and_rounding, 120 - 16, "untracked heap: payload_and_rounding is the block less its header");
    is_sz(b.real_size, 12288 + 4096, "untracked heap: the reserve's 12K segment and a new 4K one");
    is_sz(zmm_breakdown_sum(&b), b.real_size, "untracked heap: sum = real_size");
    char *t = map_of(h, ZMM_MAP_TEXT, 80);
    like(t, "payload_and_rounding 104  headers 16", "text map names the unsplit part");
    free(t);
    zmm_free(h, p);
    zmm_heap_destroy(h);
}

/* ---- the trace player ---------------------------------------------------------- */

static void test_player(void)
{
    is_sz(zmm_map_player_interval(0), 1, "player: an empty trace, every step");
    is_sz(zmm_map_player_interval(5000), 1, "player: 5000 steps, every step");
    is_sz(zmm_map_player_interval(5001), 10, "player: 5001 steps, every 10th");
    is_sz(zmm_map_player_interval(50001), 100, "player: 50001 steps, every 100th");
    is_sz(zmm_map_player_interval(500001), 1000, "player: 500001 steps, every 1000th");
    is_sz(zmm_map_player_interval((size_t)1 << 40), 1000, "player: never coarser than every 1000th");

    known k = known_heap();
    zmm_map_player *p = zmm_map_player_new("hand <made>", 3);
    ok(p != NULL, "player made");
    ok(zmm_map_player_frame(p, k.h, 0, NULL), "frame 0");
    void *big = zmm_malloc(k.h, 6000);   /* a segment of its own: taken */
    zmm_player_event ev = { ZMM_PLAYER_ALLOC, (uintptr_t)big, 6000 };
    ok(zmm_map_player_frame(p, k.h, 1, &ev), "frame 1");
    zmm_free(k.h, big);                  /* given back */
    ev = (zmm_player_event){ ZMM_PLAYER_FREE, (uintptr_t)big, 0 };
    ok(zmm_map_player_frame(p, k.h, 2, &ev), "frame 2");
    zmm_free(k.h, k.a[0]);               /* into the cache: one block changes state */
    ev = (zmm_player_event){ ZMM_PLAYER_FREE, (uintptr_t)k.a[0], 0 };
    ok(zmm_map_player_frame(p, k.h, 3, &ev), "frame 3");
    char *page = NULL;
    size_t len = 0;
    ok(zmm_map_player_finish(p, 0, &page, &len) && page && strlen(page) == len, "the page");
    zmm_map_player_free(p);
    is_sz(count_str(page, "{\"step\":"), 4, "four frames");
    is_sz(count_str(page, ",\"key\":"), 1, "one keyframe (the first)");
    is_sz(count_str(page, "[\"+\","), 1, "a segment taken");
    is_sz(count_str(page, "[\"-\","), 1, "a segment given back");
    like(page, "\"ev\":[\"alloc\",", "the alloc marked");
    like(page, "\"every\":1}", "every step kept");
    like(page, "zendmm trace player: hand &lt;made>", "the name in the title, escaped");
    like(page, "\"name\":\"hand \\u003cmade\\u003e\"", "the name in the data, escaped");
    /* frame 3: the cached block is one run of one block, at its index in segment B */
    like(page, "[\"~\",", "a run of changed blocks");
    is_sz(count_str(page, "[\"~\","), 1, "exactly one run (the block that went to the cache)");
    free(page);
    zmm_heap_destroy(k.h);
}

/* ---- text -------------------------------------------------------------------- */

static void test_text(void)
{
    known k = known_heap();
    zmm_stats before = stats_of(k.h);
    is_sz(before.segments, 3, "known heap: 3 segments");
    is_sz(before.size, 8208 + 7 * 120 + 3016, "known heap: size 12064 (reserve, 6 used + 1 cached small blocks, 3016)");

    char *t = map_of(k.h, ZMM_MAP_TEXT, 0);
    if (!is_str(t, known_text_80, "text map (default width 80) of the known heap")) diag_text("got", t);
    char *t80 = map_of(k.h, ZMM_MAP_TEXT, 80);
    is_str(t80, t, "width 80 = the default");
    char *t40 = map_of(k.h, ZMM_MAP_TEXT, 40);
    if (!is_str(t40, known_text_40, "text map at width 40 (legend wraps, bitmaps in hex)")) diag_text("got", t40);
    char *t10 = map_of(k.h, ZMM_MAP_TEXT, 10);
    is_str(t10, t40, "width 10 is clamped to the minimum 40");

    /* every line fits its width */
    size_t widths[] = { 40, 80, 120, 200 };
    for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
        char *m = map_of(k.h, ZMM_MAP_TEXT, widths[w]);
        size_t longest = 0, seglines = 0;
        for (char *line = m; *line;) {
            char *nl = strchr(line, '\n');
            size_t n = nl ? (size_t)(nl - line) : strlen(line);
            if (line[n - 1] == '|') {
                seglines++;
                is_sz(n, widths[w], "width %zu: segment line %zu is exactly %zu columns", widths[w], seglines,
                      widths[w]);
            }
            if (n > longest && strncmp(line, "limit", 5) != 0 && strncmp(line, "size", 4) != 0) longest = n;
            line += n + (nl ? 1 : 0);
        }
        is_sz(seglines, 3, "width %zu: one line per segment", widths[w]);
        ok(longest <= (widths[w] > 77 ? widths[w] : 77), "width %zu: longest map line %zu fits", widths[w], longest);
        free(m);
    }

    zmm_stats after = stats_of(k.h);
    ok(memcmp(&before, &after, sizeof before) == 0, "drawing leaves the stats untouched");
    check_clean(k.h, "after drawing");
    free(t);
    free(t80);
    free(t40);
    free(t10);
    zmm_heap_destroy(k.h);
}

/* ---- a minimal XML checker ------------------------------------------------------ */

/* Checks that tags balance and attribute values are quoted; counts elements.
 * Returns false with a reason. Handles <?..?>, <!--..-->, text, entities. */
static bool xml_wellformed(const char *s, size_t *elements, char *why, size_t whylen)
{
    char stack[64][48];
    int depth = 0;
    bool root_seen = false;
    *elements = 0;
    while (*s) {
        if (*s != '<') {
            if (*s == '&') {
                const char *semi = strchr(s, ';');
                if (!semi || semi - s > 8) { snprintf(why, whylen, "bad entity near '%.20s'", s); return false; }
                s = semi + 1;
                continue;
            }
            if (!depth && !isspace((unsigned char)*s)) { snprintf(why, whylen, "text outside the root"); return false; }
            s++;
            continue;
        }
        if (!strncmp(s, "<?", 2)) {
            const char *e = strstr(s, "?>");
            if (!e) { snprintf(why, whylen, "unclosed <?"); return false; }
            s = e + 2;
            continue;
        }
        if (!strncmp(s, "<!--", 4)) {
            const char *e = strstr(s, "-->");
            if (!e) { snprintf(why, whylen, "unclosed comment"); return false; }
            s = e + 3;
            continue;
        }
        bool closing = s[1] == '/';
        const char *p = s + (closing ? 2 : 1);
        char name[48];
        size_t n = 0;
        while (isalnum((unsigned char)*p) || *p == '-' || *p == ':' || *p == '_') {
            if (n + 1 < sizeof name) name[n++] = *p;
            p++;
        }
        name[n] = '\0';
        if (!n) { snprintf(why, whylen, "bad tag near '%.20s'", s); return false; }
        if (closing) {
            while (isspace((unsigned char)*p)) p++;
            if (*p != '>') { snprintf(why, whylen, "bad closing tag </%s", name); return false; }
            if (!depth || strcmp(stack[depth - 1], name)) {
                snprintf(why, whylen, "</%s> closes <%s>", name, depth ? stack[depth - 1] : "(nothing)");
                return false;
            }
            depth--;
            s = p + 1;
            continue;
        }
        /* attributes */
        for (;;) {
            while (isspace((unsigned char)*p)) p++;
            if (*p == '>' || (*p == '/' && p[1] == '>')) break;
            const char *an = p;
            while (isalnum((unsigned char)*p) || *p == '-' || *p == ':' || *p == '_') p++;
            if (p == an || *p != '=' || (p[1] != '"' && p[1] != '\'')) {
                snprintf(why, whylen, "bad attribute in <%s near '%.20s'", name, an);
                return false;
            }
            char q = p[1];
            const char *e = strchr(p + 2, q);
            if (!e) { snprintf(why, whylen, "unterminated attribute in <%s", name); return false; }
            for (const char *c = p + 2; c < e; c++) {
                if (*c == '<') { snprintf(why, whylen, "'<' in an attribute of <%s", name); return false; }
            }
            p = e + 1;
        }
        (*elements)++;
        if (!depth) {
            if (root_seen) { snprintf(why, whylen, "second root <%s>", name); return false; }
            root_seen = true;
        }
        if (*p == '/') {
            s = p + 2;
            continue;
        }
        if (depth == 64) { snprintf(why, whylen, "too deep"); return false; }
        snprintf(stack[depth++], sizeof stack[0], "%s", name);
        s = p + 1;
    }
    if (depth) { snprintf(why, whylen, "<%s> never closed", stack[depth - 1]); return false; }
    if (!root_seen) { snprintf(why, whylen, "no root element"); return false; }
    return true;
}

/* rects of one class, exactly: <rect class="used" ... */
static size_t rects_of(const char *svg, const char *cls)
{
    char needle[64];
    snprintf(needle, sizeof needle, "<rect class=\"%s\" ", cls);
    return count_str(svg, needle);
}

static void test_svg(void)
{
    known k = known_heap();
    char *svg = map_of(k.h, ZMM_MAP_SVG, 0);
    size_t elements = 0;
    char why[160] = "";
    ok(xml_wellformed(svg, &elements, why, sizeof why), "SVG is well-formed (%s)", why[0] ? why : "tags balance");
    ok(elements > 50, "SVG has %zu elements", elements);
    static const char head[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"";
    ok(!strncmp(svg, head, sizeof head - 1),
       "SVG starts with the XML declaration and a namespaced <svg>");
    like(svg, "width=\"1200\"", "default width 1200px");
    is_sz(count_str(svg, "<g class=\"segment\">"), 3, "one row group per segment");
    is_sz(count_str(svg, "<g class=\"blocks\">"), 3, "one blocks group per segment");

    struct { const char *cls; size_t n; } want[] = {
        { "used", 7 }, { "cached", 1 }, { "free", 3 }, { "large", 2 }, { "rest", 1 }, { "reserve", 1 }, { "guard", 3 },
    };
    size_t total = 0;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        is_sz(rects_of(svg, want[i].cls), want[i].n, "%zu rect(s) of class \"%s\"", want[i].n, want[i].cls);
        total += rects_of(svg, want[i].cls);
        char key[64];
        snprintf(key, sizeof key, "<rect class=\"key %s\"", want[i].cls);
        is_sz(count_str(svg, key), 1, "legend swatch for %s", want[i].cls);
    }
    is_sz(total, 18, "one rect per block (18 blocks, guards included)");
    is_sz(count_str(svg, "class=\"agg "), 0, "nothing aggregated in a small heap");
    like(svg, "One rect per block", "legend says there is one rect per block");
    is_sz(count_str(svg, "<rect class=\"bit on\""), 3, "3 bits set (free bit 11, large bits 10 and 11)");
    is_sz(count_str(svg, "<rect class=\"bit off\""), 2 * ZMM_NUM_BUCKETS - 3, "the other bits drawn off");
    like(svg, "bucket 11 (true size 120): 3 free blocks", "bit title gives the bucket count");

    /* hover titles: address (+offset), state, size, bucket */
    char title[128];
    snprintf(title, sizeof title, "<title>0x%llx (+16): used, 3016 bytes (requested 3000), large, trie 11</title>",
             (unsigned long long)(uintptr_t)zmm_block_header(k.h, k.b));
    like(svg, title, "title of the 3000-byte block");
    snprintf(title, sizeof title, "<title>0x%llx (+%llu): cached, 120 bytes, bucket 11</title>",
             (unsigned long long)(uintptr_t)zmm_block_header(k.h, k.a[7]), 16ULL + 7 * 120);
    like(svg, title, "title of the cached block");
    like(svg, "size 12064  peak 12064  real_size 20480", "stats drawn");
    free(svg);

    /* a narrow picture is clamped and still well-formed */
    svg = map_of(k.h, ZMM_MAP_SVG, 100);
    like(svg, "width=\"400\"", "width 100 clamped to 400");
    ok(xml_wellformed(svg, &elements, why, sizeof why), "narrow SVG well-formed (%s)", why);
    free(svg);
    zmm_heap_destroy(k.h);
}

/* many tiny blocks in 256 KB segments: runs narrower than a pixel are merged */
static void test_svg_aggregation(void)
{
    zmm_heap *h = mkheap(false, NULL);
    enum { N = 12000 };
    void **p = calloc(N, sizeof *p);
    for (int i = 0; i < N; i++) p[i] = zmm_malloc(h, i % 5 ? 16 : 200);
    for (int i = 0; i < N; i += 3) zmm_free(h, p[i]);
    zmm_stats s = stats_of(h);

    blocklist *all = calloc(1, sizeof *all);
    zmm_inspect_segments(h, NULL, collect_block_cb, all);
    size_t nblocks = all->n;
    free(all);

    char *svg = map_of(h, ZMM_MAP_SVG, 0);
    size_t elements = 0;
    char why[160] = "";
    ok(xml_wellformed(svg, &elements, why, sizeof why), "big SVG is well-formed (%s)", why[0] ? why : "ok");
    is_sz(count_str(svg, "<g class=\"segment\">"), s.segments, "%zu segment rows", s.segments);
    size_t aggs = count_str(svg, "<rect class=\"agg ");
    ok(aggs > 0, "%zu aggregated rects", aggs);
    /* every block is drawn: single rects + the blocks each agg title counts */
    size_t singles = 0, merged = 0;
    const char *states[] = { "used", "cached", "free", "large", "rest", "reserve", "guard" };
    for (size_t i = 0; i < 7; i++) singles += rects_of(svg, states[i]);
    for (const char *q = strstr(svg, "<rect class=\"agg "); q; q = strstr(q + 1, "<rect class=\"agg ")) {
        const char *t = strstr(q, "<title>");
        if (t) merged += strtoul(t + 7, NULL, 10);
    }
    is_sz(singles + merged, nblocks, "singles %zu + merged %zu = %zu blocks", singles, merged, nblocks);
    is_sz(rects_of(svg, "guard"), s.segments, "every guard drawn on its own");
    like(svg, "Shorter bars: ", "legend says runs were merged");
    ok(strlen(svg) < 40u * 1000 * 1000, "SVG size bounded (%zu bytes)", strlen(svg));
    free(svg);
    for (int i = 0; i < N; i++) zmm_free(h, p[i]);
    free(p);
    zmm_heap_destroy(h);
}

/* ---- a minimal JSON parser ------------------------------------------------------ */

typedef struct jp {
    const char *s;
    const char *err;
} jp;

static void jws(jp *p) { while (isspace((unsigned char)*p->s)) p->s++; }
static bool jvalue(jp *p, int depth);

static bool jstring(jp *p)
{
    if (*p->s != '"') { p->err = p->s; return false; }
    for (p->s++; *p->s != '"'; p->s++) {
        if (!*p->s || (unsigned char)*p->s < 0x20) { p->err = p->s; return false; }
        if (*p->s == '\\') {
            p->s++;
            if (*p->s == 'u') {
                for (int i = 1; i <= 4; i++) if (!isxdigit((unsigned char)p->s[i])) { p->err = p->s; return false; }
                p->s += 4;
            } else if (!strchr("\"\\/bfnrt", *p->s) || !*p->s) {
                p->err = p->s;
                return false;
            }
        }
    }
    p->s++;
    return true;
}

static bool jnumber(jp *p)
{
    const char *start = p->s;
    if (*p->s == '-') p->s++;
    if (*p->s == '0') p->s++;
    else if (isdigit((unsigned char)*p->s)) while (isdigit((unsigned char)*p->s)) p->s++;
    else { p->err = start; return false; }
    if (*p->s == '.') { p->s++; if (!isdigit((unsigned char)*p->s)) { p->err = p->s; return false; } while (isdigit((unsigned char)*p->s)) p->s++; }
    return true;
}

static bool jvalue(jp *p, int depth)
{
    if (depth > 200) { p->err = p->s; return false; }
    jws(p);
    switch (*p->s) {
    case '{':
        p->s++;
        jws(p);
        if (*p->s == '}') { p->s++; return true; }
        for (;;) {
            jws(p);
            if (!jstring(p)) return false;
            jws(p);
            if (*p->s != ':') { p->err = p->s; return false; }
            p->s++;
            if (!jvalue(p, depth + 1)) return false;
            jws(p);
            if (*p->s == ',') { p->s++; continue; }
            if (*p->s == '}') { p->s++; return true; }
            p->err = p->s;
            return false;
        }
    case '[':
        p->s++;
        jws(p);
        if (*p->s == ']') { p->s++; return true; }
        for (;;) {
            if (!jvalue(p, depth + 1)) return false;
            jws(p);
            if (*p->s == ',') { p->s++; continue; }
            if (*p->s == ']') { p->s++; return true; }
            p->err = p->s;
            return false;
        }
    case '"': return jstring(p);
    case 't': if (!strncmp(p->s, "true", 4)) { p->s += 4; return true; } break;
    case 'f': if (!strncmp(p->s, "false", 5)) { p->s += 5; return true; } break;
    case 'n': if (!strncmp(p->s, "null", 4)) { p->s += 4; return true; } break;
    default: return jnumber(p);
    }
    p->err = p->s;
    return false;
}

static bool json_valid(const char *s, const char **err)
{
    jp p = { s, NULL };
    bool r = jvalue(&p, 0);
    if (r) { jws(&p); if (*p.s) { p.err = p.s; r = false; } }
    *err = p.err;
    return r;
}

static void test_json(void)
{
    known k = known_heap();
    char *j = map_of(k.h, ZMM_MAP_JSON, 0);
    const char *err = NULL;
    ok(json_valid(j, &err), "JSON is valid%s%.30s", err ? " - error at: " : "", err ? err : "");
    ok(!strncmp(j, "{\"map\":1,\"complete\":true,\"stats\":{\"use_zend_alloc\":1,", 52), "JSON starts with map, complete, stats");
    like(j, ",\"segments\":[{\"address\":", "segments list");
    like(j, ",\"buckets\":{\"free_bitmap\":2048,\"large_free_bitmap\":3072,\"free_buckets\":[[],", "buckets object");
    is_sz(count_str(j, "\"state\":\"used\""), 7, "7 used blocks in segments");
    /* cached: once in segments, once in buckets.cache */
    is_sz(count_str(j, "\"state\":\"cached\""), 2, "the cached block in segments and in the cache list");
    /* free: 3 in segments + 3 in free_buckets[11] */
    is_sz(count_str(j, "\"state\":\"free\""), 6, "the 3 free blocks in segments and in bucket 11");
    is_sz(count_str(j, "\"state\":\"rest\""), 2, "the rest block in segments and in rest_buckets");
    is_sz(count_str(j, "\"state\":\"guard\""), 3, "3 guards");
    is_sz(count_str(j, "\"twins\":[]"), 2, "two trie roots without twins");
    is_sz(count_str(j, "\"child0\":null,\"child1\":null"), 2, "both trie roots are leaves");
    like(j, "\"limit\":4611686018427387904", "limit as a number");
    like(j, "\"cache_stat\":[{\"count\":0,", "cache_stat list");

    char want[160];
    snprintf(want, sizeof want, "{\"address\":%lld,\"ptr\":%lld,\"size\":3016,\"state\":\"used\",\"bucket\":-1}",
             (long long)(uintptr_t)zmm_block_header(k.h, k.b), (long long)(uintptr_t)k.b);
    like(j, want, "the 3000-byte block as zendmm_segments() shows it");
    snprintf(want, sizeof want, "\"cache\":[[],[],[],[],[],[],[],[],[],[],[],[{\"address\":%lld,\"ptr\":%lld,\"size\":120,"
             "\"state\":\"cached\",\"bucket\":11}]",
             (long long)(uintptr_t)zmm_block_header(k.h, k.a[7]), (long long)(uintptr_t)k.a[7]);
    like(j, want, "cache[11] holds the cached block");

    /* no limit is -1, as zendmm_stats() says */
    zmm_heap_set_limit(k.h, ZMM_NO_LIMIT);
    free(j);
    j = map_of(k.h, ZMM_MAP_JSON, 0);
    like(j, "\"limit\":-1,", "no limit is -1");
    ok(json_valid(j, &err), "still valid");
    free(j);
    zmm_heap_destroy(k.h);

    /* a bitmap with bit 63 set comes out as PHP's negative integer */
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.cache = false;
    zmm_heap *h = mkheap_cfg(&cfg, NULL);
    void *x = zmm_malloc(h, 520), *y = zmm_malloc(h, 16);
    zmm_free(h, x);
    zmm_stats s = stats_of(h);
    ok(s.free_bitmap >> 63, "bucket 63 non-empty");
    j = map_of(h, ZMM_MAP_JSON, 0);
    snprintf(want, sizeof want, "\"buckets\":{\"free_bitmap\":%lld,", (long long)(int64_t)s.free_bitmap);
    like(j, want, "free_bitmap with bit 63 as a negative integer");
    ok(json_valid(j, &err), "valid");
    free(j);
    zmm_free(h, y);
    zmm_heap_destroy(h);
}

/* ---- edge cases -------------------------------------------------------------- */

static void test_edges(void)
{
    zmm_map_format f = ZMM_MAP_JSON;
    ok(zmm_map_format_from_name("text", &f) && f == ZMM_MAP_TEXT, "\"text\"");
    ok(zmm_map_format_from_name("svg", &f) && f == ZMM_MAP_SVG, "\"svg\"");
    ok(zmm_map_format_from_name("json", &f) && f == ZMM_MAP_JSON, "\"json\"");
    ok(!zmm_map_format_from_name("SVG", &f) && !zmm_map_format_from_name("", &f) &&
       !zmm_map_format_from_name(NULL, &f) && !zmm_map_format_from_name("png", &f), "other names refused");
    is_str(zmm_map_format_name(ZMM_MAP_SVG), "svg", "format name");
    is_int(zmm_map_state_char(ZMM_STATE_USED), '#', "used is #");
    is_int(zmm_map_state_char(ZMM_STATE_GUARD), '|', "guard is |");
    is_int(zmm_map_state_char((zmm_block_state)99), '?', "unknown state is ?");

    char *out = (char *)1;
    size_t len = 7;
    ok(!zmm_heap_map(NULL, ZMM_MAP_TEXT, 0, &out, &len) && out == NULL && len == 0, "NULL heap: false");
    zmm_heap *h = mkheap(true, NULL);
    ok(!zmm_heap_map(h, (zmm_map_format)7, 0, &out, &len) && out == NULL, "unknown format: false");
    ok(!zmm_heap_map(h, ZMM_MAP_TEXT, 0, NULL, &len), "NULL out: false");

    /* a fresh default heap: one segment, the reserve and a large free block */
    char *t = map_of(h, ZMM_MAP_TEXT, 0);
    like(t, "heap map: 1 segment, 3 blocks (newest segment first)\n0 256K RR---", "fresh heap");
    like(t, "# used 0  + cached 0  . free 0  - large 1  ~ rest 0  R reserve 1  | guard 1\n", "fresh heap legend");
    free(t);

    /* damage: the walk stops, the maps say so */
    char *p = zmm_malloc(h, 100);
    zmm_malloc(h, 100);
    size_t *hdr = zmm_block_header(h, p);
    size_t saved = hdr[0];
    hdr[0] = (size_t)0xdeadbeef0 | 1;
    t = map_of(h, ZMM_MAP_TEXT, 0);
    like(t, "(the walk stopped at a damaged block", "damaged: text says the walk stopped");
    free(t);
    t = map_of(h, ZMM_MAP_JSON, 0);
    like(t, "{\"map\":1,\"complete\":false,", "damaged: JSON complete false");
    const char *err;
    ok(json_valid(t, &err), "damaged: JSON still valid");
    free(t);
    t = map_of(h, ZMM_MAP_SVG, 0);
    size_t el;
    char why[160] = "";
    ok(xml_wellformed(t, &el, why, sizeof why), "damaged: SVG still well-formed (%s)", why);
    like(t, "the walk stopped at a damaged block", "damaged: SVG says so");
    free(t);
    t = map_of(h, ZMM_MAP_HTML, 0);
    like(t, "\"complete\":false", "damaged: the explorer's data says the walk stopped");
    like(t, "</html>\n", "damaged: the explorer's page is whole");
    free(t);
    zmm_breakdown bd;
    ok(!zmm_heap_breakdown(h, &bd) && !bd.complete, "damaged: the breakdown is not complete");
    ok(zmm_breakdown_sum(&bd) < bd.real_size, "damaged: its parts cover less than real_size (the walk stopped)");
    hdr[0] = saved;
    ok(zmm_heap_breakdown(h, &bd) && zmm_breakdown_sum(&bd) == bd.real_size, "repaired: the parts add up again");
    check_clean(h, "repaired");
    zmm_heap_destroy(h);

    /* pass-through heap: nothing to draw, but still a valid picture */
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.use_zend_alloc = false;
    h = mkheap_cfg(&cfg, NULL);
    void *q = zmm_malloc(h, 10);
    t = map_of(h, ZMM_MAP_TEXT, 0);
    like(t, "0 256K RR---", "pass-through: the reserve's segment is still drawn");
    like(t, "(a pass-through heap: its blocks come from the system allocator and are not drawn)\n",
         "pass-through: text says the blocks are not drawn");
    free(t);
    t = map_of(h, ZMM_MAP_SVG, 0);
    ok(xml_wellformed(t, &el, why, sizeof why), "pass-through: SVG well-formed (%s)", why);
    free(t);
    t = map_of(h, ZMM_MAP_JSON, 0);
    ok(json_valid(t, &err), "pass-through: JSON valid");
    like(t, "\"use_zend_alloc\":0,", "pass-through: use_zend_alloc 0");
    free(t);
    zmm_free(h, q);
    zmm_heap_destroy(h);
}

int main(void)
{
    test_breakdown();
    test_player();
    test_text();
    test_svg();
    test_svg_aggregation();
    test_json();
    test_edges();
    return done_testing();
}
