/*
 * heapmap.c - text, SVG and JSON maps of a heap (see heapmap.h).
 *
 * The heap is read once through the public inspection API into a model (the
 * segments with their blocks, the stats, per-bucket counts); the three formats
 * are drawn from that model. Every buffer comes from malloc, never from the
 * heap being drawn, so drawing does not change what is drawn.
 */
#include "portable.h"
#include "heapmap.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define NSTATES 7

#define PASS_THROUGH_NOTE "(a pass-through heap: its blocks come from the system allocator and are not drawn)"

/* ---- growable string ------------------------------------------------------ */

typedef struct sbuf {
    char  *p;
    size_t len, cap;
    bool   oom;
} sbuf;

static bool sb_grow(sbuf *b, size_t extra)
{
    if (b->oom) return false;
    if (b->len + extra + 1 <= b->cap) return true;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra + 1) {
        if (cap > SIZE_MAX / 2) { b->oom = true; return false; }
        cap *= 2;
    }
    char *p = realloc(b->p, cap);
    if (!p) { b->oom = true; return false; }
    b->p = p;
    b->cap = cap;
    return true;
}

static void sb_putn(sbuf *b, const char *s, size_t n)
{
    if (!sb_grow(b, n)) return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_puts(sbuf *b, const char *s) { sb_putn(b, s, strlen(s)); }

static void sb_putc(sbuf *b, char c) { sb_putn(b, &c, 1); }

static void sb_repeat(sbuf *b, char c, size_t n)
{
    if (!sb_grow(b, n)) return;
    memset(b->p + b->len, c, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static ZMM_PRINTF(2, 3) void sb_printf(sbuf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) { b->oom = true; return; }
    if ((size_t)n < sizeof small) { sb_putn(b, small, (size_t)n); return; }
    if (!sb_grow(b, (size_t)n)) return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* text for XML content and attribute values */
static void sb_xml(sbuf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': sb_puts(b, "&amp;"); break;
        case '<': sb_puts(b, "&lt;"); break;
        case '>': sb_puts(b, "&gt;"); break;
        case '"': sb_puts(b, "&quot;"); break;
        case '\'': sb_puts(b, "&apos;"); break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t') sb_putc(b, '?');
            else sb_putc(b, *s);
        }
    }
}

/* a JSON string literal */
static void sb_json_str(sbuf *b, const char *s)
{
    sb_putc(b, '"');
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') { sb_putc(b, '\\'); sb_putc(b, (char)c); }
        else if (c == '\n') sb_puts(b, "\\n");
        else if (c == '\t') sb_puts(b, "\\t");
        else if (c == '\r') sb_puts(b, "\\r");
        else if (c < 0x20) sb_printf(b, "\\u%04x", c);
        else sb_putc(b, (char)c);
    }
    sb_putc(b, '"');
}

/* an integer as PHP's zend_long sees it (what the zendmm_* arrays hold) */
static void sb_json_int(sbuf *b, size_t v)
{
    sb_printf(b, "%lld", (long long)(int64_t)(uint64_t)v);
}

/* ---- the model ------------------------------------------------------------- */

typedef struct map_seg {
    zmm_segment_view v;
    size_t first, count;   /* its blocks in model.blocks */
} map_seg;

typedef struct map_model {
    map_seg        *segs;
    size_t          nsegs, segcap;
    zmm_block_view *blocks;
    size_t          nblocks, blockcap;
    zmm_stats       stats;
    bool            complete, oom;
    size_t          state_count[NSTATES];
    size_t          state_bytes[NSTATES];
    size_t          bucket_free[ZMM_NUM_BUCKETS];  /* blocks in small bucket i */
    size_t          large_count[ZMM_NUM_BUCKETS];  /* blocks in trie k (twins included) */
    bool            multi_storage;
} map_model;

static void model_seg_cb(const zmm_segment_view *seg, void *ctx)
{
    map_model *m = (map_model *)ctx;
    if (m->oom) return;
    if (m->nsegs == m->segcap) {
        size_t cap = m->segcap ? m->segcap * 2 : 16;
        map_seg *p = realloc(m->segs, cap * sizeof *p);
        if (!p) { m->oom = true; return; }
        m->segs = p;
        m->segcap = cap;
    }
    map_seg *s = &m->segs[m->nsegs++];
    s->v = *seg;
    s->first = m->nblocks;
    s->count = 0;
    if (m->nsegs > 1 && seg->storage && m->segs[0].v.storage && strcmp(seg->storage, m->segs[0].v.storage) != 0) {
        m->multi_storage = true;
    }
}

static void model_block_cb(const zmm_segment_view *seg, const zmm_block_view *block, void *ctx)
{
    map_model *m = (map_model *)ctx;
    (void)seg;
    if (m->oom || !m->nsegs) return;
    if (m->nblocks == m->blockcap) {
        size_t cap = m->blockcap ? m->blockcap * 2 : 256;
        zmm_block_view *p = realloc(m->blocks, cap * sizeof *p);
        if (!p) { m->oom = true; return; }
        m->blocks = p;
        m->blockcap = cap;
    }
    m->blocks[m->nblocks++] = *block;
    m->segs[m->nsegs - 1].count++;
    if ((unsigned)block->state < NSTATES) {
        m->state_count[block->state]++;
        m->state_bytes[block->state] += block->size;
    }
}

static void count_list_cb(int index, const zmm_block_view *block, void *ctx)
{
    (void)index;
    (void)block;
    (*(size_t *)ctx)++;
}

static void count_trie_cb(int index, const zmm_trie_node_view *node, void *ctx)
{
    (void)index;
    (*(size_t *)ctx) += 1 + node->twins;
}

static bool model_build(const zmm_heap *heap, map_model *m)
{
    memset(m, 0, sizeof *m);
    zmm_heap_stats(heap, &m->stats);
    m->complete = zmm_inspect_segments(heap, model_seg_cb, model_block_cb, m);
    for (int i = 0; i < ZMM_NUM_BUCKETS; i++) {
        zmm_inspect_free_bucket(heap, i, count_list_cb, &m->bucket_free[i]);
        zmm_inspect_large_tree(heap, i, count_trie_cb, NULL, &m->large_count[i]);
    }
    return !m->oom;
}

static void model_free(map_model *m)
{
    free(m->segs);
    free(m->blocks);
}

/* ---- shared helpers --------------------------------------------------------- */

static const char state_chars[NSTATES] = {
    [ZMM_STATE_USED] = '#',
    [ZMM_STATE_FREE] = '.',
    [ZMM_STATE_LARGE] = '-',
    [ZMM_STATE_REST] = '~',
    [ZMM_STATE_CACHED] = '+',
    [ZMM_STATE_GUARD] = '|',
    [ZMM_STATE_RESERVE] = 'R',
};

/* the order of the legend */
static const zmm_block_state legend_order[NSTATES] = {
    ZMM_STATE_USED, ZMM_STATE_CACHED, ZMM_STATE_FREE, ZMM_STATE_LARGE,
    ZMM_STATE_REST, ZMM_STATE_RESERVE, ZMM_STATE_GUARD,
};

/* the order ties are broken in (first wins) */
static const zmm_block_state state_order[NSTATES] = {
    ZMM_STATE_USED, ZMM_STATE_RESERVE, ZMM_STATE_CACHED, ZMM_STATE_REST,
    ZMM_STATE_LARGE, ZMM_STATE_FREE, ZMM_STATE_GUARD,
};

static const char *const state_meaning[NSTATES] = {
    [ZMM_STATE_USED] = "handed out",
    [ZMM_STATE_FREE] = "free, in a small bucket",
    [ZMM_STATE_LARGE] = "free, in the large trie",
    [ZMM_STATE_REST] = "free, on the rest list",
    [ZMM_STATE_CACHED] = "freed into the cache",
    [ZMM_STATE_GUARD] = "closes each segment",
    [ZMM_STATE_RESERVE] = "held back for errors",
};

char zmm_map_state_char(zmm_block_state state)
{
    return (unsigned)state < NSTATES ? state_chars[state] : '?';
}

bool zmm_map_format_from_name(const char *name, zmm_map_format *fmt)
{
    static const char *const names[] = { "text", "svg", "json" };
    if (!name) return false;
    for (int i = 0; i < 3; i++) {
        if (strcmp(name, names[i]) == 0) {
            if (fmt) *fmt = (zmm_map_format)i;
            return true;
        }
    }
    return false;
}

const char *zmm_map_format_name(zmm_map_format fmt)
{
    switch (fmt) {
    case ZMM_MAP_TEXT: return "text";
    case ZMM_MAP_SVG: return "svg";
    case ZMM_MAP_JSON: return "json";
    }
    return "unknown";
}

/* "256K", "1280K", "4M", "48" */
static void fmt_size(char *buf, size_t len, size_t s)
{
    if (s >= 1024 * 1024 && s % (1024 * 1024) == 0) snprintf(buf, len, "%zuM", s / (1024 * 1024));
    else if (s >= 1024 && s % 1024 == 0) snprintf(buf, len, "%zuK", s / 1024);
    else snprintf(buf, len, "%zu", s);
}

static size_t ndigits(size_t v)
{
    size_t n = 1;
    while (v >= 10) { v /= 10; n++; }
    return n;
}

static void fmt_limit(char *buf, size_t len, size_t limit)
{
    if (limit == ZMM_NO_LIMIT) snprintf(buf, len, "none");
    else snprintf(buf, len, "%zu", limit);
}

/* the two stats lines shared by text and SVG */
static void stats_lines(const map_model *m, char *l1, char *l2, size_t len)
{
    const zmm_stats *s = &m->stats;
    char limit[32];
    fmt_limit(limit, sizeof limit, s->limit);
    snprintf(l1, len, "size %zu  peak %zu  real_size %zu  real_peak %zu  cached %zu",
             s->size, s->peak, s->real_size, s->real_peak, s->cached);
    snprintf(l2, len, "limit %s  segments %zu  blocks %zu  live %zu  storage %s",
             limit, s->segments, m->nblocks, s->live_blocks, s->storage ? s->storage : "?");
}

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* ---- text ------------------------------------------------------------------- */

/* start of column c of ncols over len bytes */
static size_t col_start(size_t c, size_t ncols, size_t len)
{
    if (len <= SIZE_MAX / (ncols + 1)) return c * len / ncols;
    return (size_t)((double)c * (double)len / (double)ncols);
}

/* One segment's bar: ncols columns for its blocks and one for the guard. */
static void text_bar(sbuf *b, const map_model *m, const map_seg *s, size_t ncols, size_t (*counts)[NSTATES])
{
    const zmm_block_view *blk = m->blocks + s->first;
    size_t n = s->count;
    const zmm_block_view *guard = NULL;
    if (n && blk[n - 1].state == ZMM_STATE_GUARD) {
        guard = &blk[n - 1];
        n--;
    }
    if (!n) {
        sb_repeat(b, ' ', ncols);
        sb_putc(b, guard ? state_chars[ZMM_STATE_GUARD] : ' ');
        return;
    }
    uintptr_t base = blk[0].address;
    size_t total = (size_t)(blk[n - 1].address + blk[n - 1].size - base);
    memset(counts, 0, ncols * sizeof *counts);
    size_t c = 0;
    for (size_t i = 0; i < n; i++) {
        size_t a = (size_t)(blk[i].address - base), e = a + blk[i].size;
        unsigned st = (unsigned)blk[i].state < NSTATES ? (unsigned)blk[i].state : ZMM_STATE_USED;
        size_t last = c;
        for (size_t cc = c; cc < ncols; cc++) {
            size_t s0 = col_start(cc, ncols, total), s1 = col_start(cc + 1, ncols, total);
            if (s0 >= e) break;
            last = cc;
            if (s1 == s0) {               /* a column narrower than a byte */
                if (s0 >= a) counts[cc][st]++;
                continue;
            }
            size_t lo = a > s0 ? a : s0, hi = e < s1 ? e : s1;
            if (hi > lo) counts[cc][st] += hi - lo;
        }
        c = last;
    }
    for (size_t cc = 0; cc < ncols; cc++) {
        int best = -1;
        size_t most = 0;
        for (int k = 0; k < NSTATES; k++) {
            zmm_block_state st = state_order[k];
            if (counts[cc][st] > most) { most = counts[cc][st]; best = (int)st; }
        }
        sb_putc(b, best < 0 ? ' ' : state_chars[best]);
    }
    sb_putc(b, guard ? state_chars[ZMM_STATE_GUARD] : ' ');
}

/* append words to lines no longer than width */
typedef struct wrapper {
    sbuf  *b;
    size_t width, col;
} wrapper;

static void wrap_word(wrapper *w, const char *word, size_t indent)
{
    size_t n = strlen(word);
    if (w->col > indent && w->col + 2 + n > w->width) {
        sb_putc(w->b, '\n');
        sb_repeat(w->b, ' ', indent);
        w->col = indent;
    } else if (w->col > indent) {
        sb_puts(w->b, "  ");
        w->col += 2;
    }
    sb_puts(w->b, word);
    w->col += n;
}

static void bits_line(sbuf *b, const char *label, size_t bits, bool as_bits)
{
    sb_printf(b, "%-13s", label);
    if (as_bits) {
        for (int i = 0; i < ZMM_NUM_BUCKETS; i++) sb_putc(b, (bits >> i) & 1 ? '1' : '.');
    } else {
        sb_printf(b, "0x%0*llx", ZMM_NUM_BUCKETS / 4, (unsigned long long)bits);
    }
    sb_putc(b, '\n');
}

static void render_text(sbuf *b, const map_model *m, size_t width)
{
    if (!width) width = ZMM_MAP_TEXT_WIDTH;
    if (width < ZMM_MAP_TEXT_MIN_WIDTH) width = ZMM_MAP_TEXT_MIN_WIDTH;
    if (width > ZMM_MAP_TEXT_MAX_WIDTH) width = ZMM_MAP_TEXT_MAX_WIDTH;

    sb_printf(b, "heap map: %zu %s, %zu %s (newest segment first)\n", m->nsegs,
              plural(m->nsegs, "segment", "segments"), m->nblocks, plural(m->nblocks, "block", "blocks"));

    /* prefix: index, size, storage (only when the segments differ in storage) */
    size_t iw = ndigits(m->nsegs ? m->nsegs - 1 : 0), sw = 1, stw = 0;
    char sz[32];
    for (size_t i = 0; i < m->nsegs; i++) {
        fmt_size(sz, sizeof sz, m->segs[i].v.size);
        if (strlen(sz) > sw) sw = strlen(sz);
        if (m->multi_storage && m->segs[i].v.storage && strlen(m->segs[i].v.storage) > stw) {
            stw = strlen(m->segs[i].v.storage);
        }
    }
    size_t prefix = iw + 1 + sw + 1 + (stw ? stw + 1 : 0);
    size_t ncols = width > prefix + 2 ? width - prefix - 1 : 1;
    size_t (*counts)[NSTATES] = m->nsegs ? calloc(ncols, sizeof *counts) : NULL;
    if (m->nsegs && !counts) { b->oom = true; return; }
    for (size_t i = 0; i < m->nsegs; i++) {
        const map_seg *s = &m->segs[i];
        fmt_size(sz, sizeof sz, s->v.size);
        sb_printf(b, "%*zu %*s ", (int)iw, i, (int)sw, sz);
        if (stw) sb_printf(b, "%-*s ", (int)stw, s->v.storage ? s->v.storage : "");
        text_bar(b, m, s, ncols, counts);
        sb_putc(b, '\n');
    }
    free(counts);
    if (!m->nsegs) sb_puts(b, "(no segments)\n");
    if (!m->stats.use_zend_alloc) sb_puts(b, PASS_THROUGH_NOTE "\n");
    if (!m->complete) sb_puts(b, "(the walk stopped at a damaged block: zendmm_check_heap() tells more)\n");

    /* the legend: each state's character, name and number of blocks */
    wrapper w = { b, width, 0 };
    for (int k = 0; k < NSTATES; k++) {
        zmm_block_state st = legend_order[k];
        char word[48];
        snprintf(word, sizeof word, "%c %s %zu", state_chars[st], zmm_block_state_name(st), m->state_count[st]);
        wrap_word(&w, word, 0);
    }
    sb_putc(b, '\n');

    char l1[256], l2[256];
    stats_lines(m, l1, l2, sizeof l1);
    sb_printf(b, "%s\n%s\n", l1, l2);
    bool as_bits = width >= 13 + (size_t)ZMM_NUM_BUCKETS;
    if (as_bits) {
        sb_repeat(b, ' ', 13);
        char ruler[ZMM_NUM_BUCKETS + 8];
        memset(ruler, ' ', sizeof ruler);
        for (int i = 0; i < ZMM_NUM_BUCKETS; i += 8) {
            char num[8];
            int n = snprintf(num, sizeof num, "%d", i);
            memcpy(ruler + i, num, (size_t)n);
        }
        size_t rl = ZMM_NUM_BUCKETS;
        while (rl && ruler[rl - 1] == ' ') rl--;
        sb_putn(b, ruler, rl);
        sb_putc(b, '\n');
    }
    bits_line(b, "free_bitmap", m->stats.free_bitmap, as_bits);
    bits_line(b, "large_bitmap", m->stats.large_free_bitmap, as_bits);
}

/* ---- SVG --------------------------------------------------------------------- */

#define SVG_MARGIN 16.0
#define SVG_LABEL_MIN 140.0  /* the label column: as wide as the longest label, within these */
#define SVG_LABEL_MAX 320.0
#define LEGEND_ROW 36.0

static const char svg_style[] =
    "<style>\n"
    "text{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;font-size:12px;fill:#1d2330}\n"
    ".title{font-size:17px;font-weight:bold}\n"
    ".sub{fill:#5b6474}\n"
    ".small{font-size:10.5px}\n"
    ".mono{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace}\n"
    ".head{font-size:13px;font-weight:bold}\n"
    ".bg{fill:#ffffff}\n"
    ".seg{fill:#eef0f4;stroke:#c3c8d2;stroke-width:1}\n"
    ".used{fill:#3b6ea8}\n"
    ".cached{fill:#9cc3e6}\n"
    ".free{fill:#5aa469}\n"
    ".large{fill:#2e8f8a}\n"
    ".rest{fill:#e8b93c}\n"
    ".reserve{fill:#c8485a}\n"
    ".guard{fill:#2b2b2b}\n"
    ".key{stroke:#1d2330;stroke-width:0.5}\n"
    ".bit{stroke:#c3c8d2;stroke-width:1}\n"
    ".free_bitmap .bit.on{fill:#5aa469}\n"
    ".large_free_bitmap .bit.on{fill:#2e8f8a}\n"
    ".bit.off{fill:#ffffff}\n"
    "g.segment:hover .seg{stroke:#1d2330}\n"
    "rect:hover{stroke:#000;stroke-width:1}\n"
    "</style>\n";

static void svg_text(sbuf *b, double x, double y, const char *cls, const char *anchor, const char *s)
{
    sb_printf(b, "<text x=\"%.1f\" y=\"%.1f\"", x, y);
    if (cls) sb_printf(b, " class=\"%s\"", cls);
    if (anchor) sb_printf(b, " text-anchor=\"%s\"", anchor);
    sb_putc(b, '>');
    sb_xml(b, s);
    sb_puts(b, "</text>\n");
}

static void block_title(char *buf, size_t len, const map_seg *s, const zmm_block_view *v)
{
    char extra[96] = "";
    if (v->state == ZMM_STATE_GUARD) {
        snprintf(extra, sizeof extra, "guard");
    } else if (v->bucket >= 0) {
        snprintf(extra, sizeof extra, "bucket %d", v->bucket);
    } else if (v->large_index >= 0) {
        snprintf(extra, sizeof extra, "large, trie %d", v->large_index);
    }
    char req[48] = "";
    if (v->requested) snprintf(req, sizeof req, " (requested %zu)", v->requested);
    snprintf(buf, len, "0x%llx (+%llu): %s, %zu bytes%s, %s", (unsigned long long)v->address,
             (unsigned long long)(v->address - s->v.address), zmm_block_state_name(v->state), v->size, req, extra);
}

typedef struct agg_run {
    size_t count, bytes;
    size_t state_bytes[NSTATES];
    uintptr_t first;
    double x, w;
} agg_run;

static void agg_flush(sbuf *b, agg_run *r, const map_seg *s, const zmm_block_view *single, double y, double h,
                      size_t *rects, size_t *blocks)
{
    if (!r->count) return;
    if (r->count == 1 && single) {
        char title[256];
        block_title(title, sizeof title, s, single);
        sb_printf(b, "<rect class=\"%s\" x=\"%.2f\" y=\"%.1f\" width=\"%.3f\" height=\"%.1f\"><title>",
                  zmm_block_state_name(single->state), r->x, y, r->w, h);
        sb_xml(b, title);
        sb_puts(b, "</title></rect>\n");
    } else {
        int best = ZMM_STATE_USED;
        size_t most = 0;
        for (int k = 0; k < NSTATES; k++) {
            zmm_block_state st = state_order[k];
            if (r->state_bytes[st] > most) { most = r->state_bytes[st]; best = (int)st; }
        }
        /* a little shorter than a block's rect: a run reads as texture, not as one block */
        sb_printf(b, "<rect class=\"agg %s\" x=\"%.2f\" y=\"%.2f\" width=\"%.3f\" height=\"%.2f\"><title>",
                  zmm_block_state_name((zmm_block_state)best), r->x, y + h * 0.15, r->w, h * 0.7);
        sb_printf(b, "%zu blocks narrower than a pixel, %zu bytes from 0x%llx:", r->count, r->bytes,
                  (unsigned long long)r->first);
        for (int k = 0; k < NSTATES; k++) {
            zmm_block_state st = legend_order[k];
            if (r->state_bytes[st]) sb_printf(b, " %s %zu", zmm_block_state_name(st), r->state_bytes[st]);
        }
        sb_puts(b, " bytes</title></rect>\n");
        (*rects)++;
        (*blocks) += r->count;
    }
    memset(r, 0, sizeof *r);
}

/* "#3 256K malloc 1746 blocks" (the block count only when the rows are tall enough) */
static void seg_label(char *buf, size_t len, size_t i, const map_seg *s, bool long_form)
{
    char sz[32];
    fmt_size(sz, sizeof sz, s->v.size);
    if (long_form) {
        snprintf(buf, len, "#%zu %s %s %zu %s", i, sz, s->v.storage ? s->v.storage : "?", s->count,
                 plural(s->count, "block", "blocks"));
    } else {
        snprintf(buf, len, "#%zu %s %s", i, sz, s->v.storage ? s->v.storage : "?");
    }
}

static void render_svg(sbuf *b, const map_model *m, size_t width)
{
    if (!width) width = ZMM_MAP_SVG_WIDTH;
    if (width < ZMM_MAP_SVG_MIN_WIDTH) width = ZMM_MAP_SVG_MIN_WIDTH;
    if (width > ZMM_MAP_SVG_MAX_WIDTH) width = ZMM_MAP_SVG_MAX_WIDTH;
    const double W = (double)width;

    double row_h, row_gap, font;
    if (m->nsegs <= 24) { row_h = 24; row_gap = 10; font = 12; }
    else if (m->nsegs <= 96) { row_h = 12; row_gap = 5; font = 10; }
    else { row_h = 6; row_gap = 2; font = 7; }

    char buf[512];
    size_t longest = 0;
    for (size_t i = 0; i < m->nsegs; i++) {
        seg_label(buf, sizeof buf, i, &m->segs[i], font >= 10);
        if (strlen(buf) > longest) longest = strlen(buf);
    }
    /* monospace glyphs are about 0.6 em wide */
    double label_w = (double)longest * font * 0.62 + 14;
    if (label_w < SVG_LABEL_MIN) label_w = SVG_LABEL_MIN;
    if (label_w > SVG_LABEL_MAX) label_w = SVG_LABEL_MAX;
    if (label_w > W * 0.35) label_w = W * 0.35;
    const double x0 = SVG_MARGIN + label_w, bw = W - x0 - SVG_MARGIN;

    /* first pass: the blocks, into their own buffer, to count aggregates for the legend */
    sbuf rows = { 0 };
    size_t aggs = 0, agg_n = 0;
    double y = 0;
    for (size_t i = 0; i < m->nsegs; i++) {
        const map_seg *s = &m->segs[i];
        sb_puts(&rows, "<g class=\"segment\">");
        snprintf(buf, sizeof buf, "segment #%zu at 0x%llx: %zu bytes from %s, %zu blocks", i,
                 (unsigned long long)s->v.address, s->v.size, s->v.storage ? s->v.storage : "?", s->count);
        sb_puts(&rows, "<title>");
        sb_xml(&rows, buf);
        sb_puts(&rows, "</title>\n");
        seg_label(buf, sizeof buf, i, s, font >= 10);
        sb_printf(&rows, "<text x=\"%.1f\" y=\"%.1f\" class=\"mono\" style=\"font-size:%.0fpx\">", SVG_MARGIN,
                  y + row_h / 2 + font * 0.35, font);
        sb_xml(&rows, buf);
        sb_puts(&rows, "</text>\n");
        sb_printf(&rows, "<rect class=\"seg\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n", x0, y, bw,
                  row_h);
        sb_puts(&rows, "<g class=\"blocks\">\n");
        double scale = s->v.size ? bw / (double)s->v.size : 0;
        agg_run run;
        memset(&run, 0, sizeof run);
        const zmm_block_view *single = NULL;
        for (size_t j = 0; j < s->count; j++) {
            const zmm_block_view *v = &m->blocks[s->first + j];
            double bx = x0 + (double)(v->address - s->v.address) * scale, w = (double)v->size * scale;
            if (v->state == ZMM_STATE_GUARD) {
                agg_flush(&rows, &run, s, single, y, row_h, &aggs, &agg_n);
                double gw = w < 2 ? 2 : w;
                block_title(buf, sizeof buf, s, v);
                sb_printf(&rows, "<rect class=\"guard\" x=\"%.2f\" y=\"%.1f\" width=\"%.3f\" height=\"%.1f\"><title>",
                          x0 + bw - gw, y, gw, row_h);
                sb_xml(&rows, buf);
                sb_puts(&rows, "</title></rect>\n");
                continue;
            }
            if (w >= 1.0) {
                agg_flush(&rows, &run, s, single, y, row_h, &aggs, &agg_n);
                block_title(buf, sizeof buf, s, v);
                /* a hair of background between blocks wide enough to spare it */
                sb_printf(&rows, "<rect class=\"%s\" x=\"%.2f\" y=\"%.1f\" width=\"%.3f\" height=\"%.1f\"><title>",
                          zmm_block_state_name(v->state), bx, y, w >= 3 ? w - 0.6 : w, row_h);
                sb_xml(&rows, buf);
                sb_puts(&rows, "</title></rect>\n");
                continue;
            }
            if (!run.count) { run.x = bx; run.first = v->address; }
            single = v;
            run.count++;
            run.bytes += v->size;
            if ((unsigned)v->state < NSTATES) run.state_bytes[v->state] += v->size;
            run.w = bx + w - run.x;
            if (run.w >= 1.0) agg_flush(&rows, &run, s, single, y, row_h, &aggs, &agg_n);
        }
        agg_flush(&rows, &run, s, single, y, row_h, &aggs, &agg_n);
        sb_puts(&rows, "</g></g>\n");
        y += row_h + row_gap;
    }
    double rows_h = y;
    if (rows.oom) { b->oom = true; free(rows.p); return; }

    /* header */
    double top = SVG_MARGIN + 18;
    double legend_y = top + 42;
    /* legend entries: lay out in rows */
    double lx = SVG_MARGIN, ly = legend_y;
    const double key_w = 160;
    size_t per_row = (size_t)((W - 2 * SVG_MARGIN) / key_w);
    if (per_row < 1) per_row = 1;
    size_t legend_rows = (NSTATES + per_row - 1) / per_row;
    double rows_top = legend_y + (double)legend_rows * LEGEND_ROW + 30;
    double bits_top = rows_top + rows_h + 24;
    double cell = bw / ZMM_NUM_BUCKETS;
    if (cell > 16) cell = 16;
    double bits_h = 2 * (18 + cell + 22);
    double stats_top = bits_top + bits_h + 10;
    double H = stats_top + 3 * 18 + SVG_MARGIN;

    sb_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n",
              W, H, W, H);
    sb_puts(b, "<title>zendmm heap map</title>\n");
    sb_puts(b, svg_style);
    sb_printf(b, "<rect class=\"bg\" x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\"/>\n", W, H);
    svg_text(b, SVG_MARGIN, top, "title", NULL, "zendmm heap map");
    snprintf(buf, sizeof buf,
             "%zu %s (newest first), %zu %s. Each row is one segment stretched to the full width; "
             "a block's width is its share of the segment.",
             m->nsegs, plural(m->nsegs, "segment", "segments"), m->nblocks, plural(m->nblocks, "block", "blocks"));
    svg_text(b, SVG_MARGIN, top + 20, "sub", NULL, buf);
    if (!m->stats.use_zend_alloc) svg_text(b, W - SVG_MARGIN, top, "sub", "end", PASS_THROUGH_NOTE);

    sb_puts(b, "<g class=\"legend\">\n");
    for (int k = 0; k < NSTATES; k++) {
        zmm_block_state st = legend_order[k];
        size_t col = (size_t)k % per_row, row = (size_t)k / per_row;
        lx = SVG_MARGIN + (double)col * key_w;
        ly = legend_y + (double)row * LEGEND_ROW;
        sb_printf(b, "<rect class=\"key %s\" x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"14\"/>\n",
                  zmm_block_state_name(st), lx, ly - 11);
        snprintf(buf, sizeof buf, "%s %zu", zmm_block_state_name(st), m->state_count[st]);
        svg_text(b, lx + 20, ly, "head", NULL, buf);
        svg_text(b, lx + 20, ly + 15, "sub small", NULL, state_meaning[st]);
    }
    if (aggs) {
        snprintf(buf, sizeof buf,
                 "Shorter bars: %zu runs of blocks narrower than a pixel (%zu blocks), each drawn as one rect "
                 "in the colour of the state holding most of its bytes.", aggs, agg_n);
    } else {
        snprintf(buf, sizeof buf, "One rect per block (none is narrower than a pixel; narrower runs would be "
                                  "merged into one shorter rect). Hover for address, size and bucket.");
    }
    svg_text(b, SVG_MARGIN, legend_y + (double)legend_rows * LEGEND_ROW + 4, "sub", NULL, buf);
    sb_puts(b, "</g>\n");

    /* the segments, shifted into place */
    sb_printf(b, "<g class=\"segments\" transform=\"translate(0 %.1f)\">\n", rows_top);
    if (!m->nsegs) svg_text(b, x0, 14, "sub", NULL, "(no segments)");
    sb_putn(b, rows.p ? rows.p : "", rows.len);
    free(rows.p);
    if (!m->complete) {
        svg_text(b, x0, rows_h + 4, "sub", NULL,
                 "(the walk stopped at a damaged block: zendmm_check_heap() tells more)");
    }
    sb_puts(b, "</g>\n");

    /* the bitmaps */
    sb_puts(b, "<g class=\"bitmaps\">\n");
    double by = bits_top;
    for (int which = 0; which < 2; which++) {
        size_t bits = which ? m->stats.large_free_bitmap : m->stats.free_bitmap;
        snprintf(buf, sizeof buf, which ? "0x%016llx - bit k set: the large trie of sizes 2^k to 2^(k+1)-1 is not empty"
                                        : "0x%016llx - bit i set: small bucket i holds a free block",
                 (unsigned long long)bits);
        svg_text(b, SVG_MARGIN, by + 12, "head", NULL, which ? "large_free_bitmap" : "free_bitmap");
        svg_text(b, x0, by + 12, "sub mono", NULL, buf);
        double cy = by + 18;
        sb_printf(b, "<g class=\"%s\">\n", which ? "large_free_bitmap" : "free_bitmap");
        for (int i = 0; i < ZMM_NUM_BUCKETS; i++) {
            bool on = (bits >> i) & 1;
            if (which) {
                snprintf(buf, sizeof buf, "trie %d (%llu to %llu bytes): %zu %s", i, 1ULL << i,
                         i < 63 ? (1ULL << (i + 1)) - 1 : ~0ULL, m->large_count[i],
                         plural(m->large_count[i], "block", "blocks"));
            } else {
                snprintf(buf, sizeof buf, "bucket %d (true size %zu): %zu free %s", i,
                         m->stats.min_block_size + (size_t)i * ZMM_ALIGNMENT, m->bucket_free[i],
                         plural(m->bucket_free[i], "block", "blocks"));
            }
            sb_printf(b, "<rect class=\"bit %s\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.2f\"><title>",
                      on ? "on" : "off", x0 + i * cell, cy, cell, cell);
            sb_xml(b, buf);
            sb_puts(b, "</title></rect>\n");
        }
        for (int i = 0; i < ZMM_NUM_BUCKETS; i += 8) {
            snprintf(buf, sizeof buf, "%d", i);
            svg_text(b, x0 + i * cell + 1, cy + cell + 13, "sub", NULL, buf);
        }
        sb_puts(b, "</g>\n");
        by += 18 + cell + 22;
    }
    sb_puts(b, "</g>\n");

    /* the stats */
    char l1[256], l2[256];
    stats_lines(m, l1, l2, sizeof l1);
    sb_puts(b, "<g class=\"stats\">\n");
    svg_text(b, SVG_MARGIN, stats_top + 12, "head", NULL, "stats");
    svg_text(b, x0, stats_top + 12, "mono", NULL, l1);
    svg_text(b, x0, stats_top + 30, "mono", NULL, l2);
    sb_puts(b, "</g>\n</svg>\n");
}

/* ---- JSON ------------------------------------------------------------------ */

static void json_block(sbuf *b, const zmm_block_view *v)
{
    sb_puts(b, "{\"address\":");
    sb_json_int(b, v->address);
    sb_puts(b, ",\"ptr\":");
    sb_json_int(b, v->ptr);
    sb_puts(b, ",\"size\":");
    sb_json_int(b, v->size);
    sb_puts(b, ",\"state\":");
    sb_json_str(b, zmm_block_state_name(v->state));
    sb_printf(b, ",\"bucket\":%d}", v->bucket);
}

typedef struct json_list {
    sbuf  *b;
    size_t n;
} json_list;

static void json_list_cb(int index, const zmm_block_view *block, void *ctx)
{
    json_list *l = (json_list *)ctx;
    (void)index;
    if (l->n++) sb_putc(l->b, ',');
    json_block(l->b, block);
}

typedef struct trie_node {
    zmm_block_view block;
    int            depth, child_bit;
    size_t         twin_first, twin_count;
} trie_node;

typedef struct trie_walk {
    trie_node *nodes;
    size_t     count, cap;
    uintptr_t *twins;
    size_t     ntwins, twincap;
    bool       oom;
} trie_walk;

static void trie_node_cb(int index, const zmm_trie_node_view *node, void *ctx)
{
    trie_walk *w = (trie_walk *)ctx;
    (void)index;
    if (w->oom) return;
    if (w->count == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 16;
        trie_node *p = realloc(w->nodes, cap * sizeof *p);
        if (!p) { w->oom = true; return; }
        w->nodes = p;
        w->cap = cap;
    }
    trie_node *n = &w->nodes[w->count++];
    n->block = node->block;
    n->depth = node->depth;
    n->child_bit = node->child_bit;
    n->twin_first = w->ntwins;
    n->twin_count = 0;
}

static void trie_twin_cb(int index, const zmm_block_view *block, void *ctx)
{
    trie_walk *w = (trie_walk *)ctx;
    (void)index;
    if (w->oom || !w->count) return;
    if (w->ntwins == w->twincap) {
        size_t cap = w->twincap ? w->twincap * 2 : 16;
        uintptr_t *p = realloc(w->twins, cap * sizeof *p);
        if (!p) { w->oom = true; return; }
        w->twins = p;
        w->twincap = cap;
    }
    w->twins[w->ntwins++] = block->address;
    w->nodes[w->count - 1].twin_count++;
}

/* Write node i (as zendmm_buckets() nests it); returns the index after its subtree. */
static size_t json_trie(sbuf *b, const trie_walk *w, size_t i)
{
    const trie_node *n = &w->nodes[i];
    size_t child[2] = { SIZE_MAX, SIZE_MAX };
    size_t j = i + 1;
    while (j < w->count && w->nodes[j].depth > n->depth) {
        const trie_node *c = &w->nodes[j];
        if (c->depth == n->depth + 1 && (c->child_bit == 0 || c->child_bit == 1)) {
            child[c->child_bit] = j;
            /* skip its subtree */
            j++;
            while (j < w->count && w->nodes[j].depth > c->depth) j++;
        } else {
            j++;
        }
    }
    sb_puts(b, "{\"address\":");
    sb_json_int(b, n->block.address);
    sb_puts(b, ",\"size\":");
    sb_json_int(b, n->block.size);
    sb_puts(b, ",\"twins\":[");
    for (size_t t = 0; t < n->twin_count; t++) {
        if (t) sb_putc(b, ',');
        sb_json_int(b, w->twins[n->twin_first + t]);
    }
    sb_putc(b, ']');
    for (int k = 0; k < 2; k++) {
        sb_puts(b, k ? ",\"child1\":" : ",\"child0\":");
        if (child[k] == SIZE_MAX) sb_puts(b, "null");
        else json_trie(b, w, child[k]);
    }
    sb_putc(b, '}');
    return j;
}

static void json_stats(sbuf *b, const zmm_stats *s)
{
#define JI(key, val) do { sb_puts(b, ",\"" key "\":"); sb_json_int(b, (size_t)(val)); } while (0)
#define JB(key, val) sb_printf(b, ",\"" key "\":%s", (val) ? "true" : "false")
#define JS(key, val) do { sb_puts(b, ",\"" key "\":"); sb_json_str(b, (val)); } while (0)
    sb_printf(b, "{\"use_zend_alloc\":%d", s->use_zend_alloc);
    JI("free_bitmap", s->free_bitmap);
    JI("large_free_bitmap", s->large_free_bitmap);
    JI("block_size", s->block_size);
    JI("segment_size", s->block_size);
    JI("compact_size", s->compact_size);
    JS("storage", s->storage ? s->storage : "");
    JS("storage_data", s->storage_data);
    JI("real_size", s->real_size);
    JI("real_peak", s->real_peak);
    if (s->limit == ZMM_NO_LIMIT) sb_puts(b, ",\"limit\":-1");
    else JI("limit", s->limit);
    JI("size", s->size);
    JI("peak", s->peak);
    JI("reserve_size", s->reserve_size);
    JB("reserve", s->reserve_held);
    sb_printf(b, ",\"overflow\":%d,\"internal\":%d", s->overflow, s->internal);
    JI("cached", s->cached);
    sb_printf(b, ",\"rest_count\":%d", s->rest_count);
    JI("segments", s->segments);
    JI("live_blocks", s->live_blocks);
    JB("cache", s->cache_enabled);
    JI("cache_size", s->cache_size);
    JB("cookies", s->cookies);
    JB("protection", s->protection);
    JB("fill_freed", s->fill_freed);
    JB("track_blocks", s->track_blocks);
    JI("header_size", s->header_size);
    JI("free_header_size", s->free_header_size);
    JI("min_block_size", s->min_block_size);
    JI("min_request", s->min_request);
    JI("max_small_size", s->max_small_size);
    sb_puts(b, ",\"cache_stat\":[");
    for (int i = 0; i <= ZMM_NUM_BUCKETS; i++) {
        const zmm_cache_stat *c = &s->cache_stat[i];
        sb_printf(b, "%s{\"count\":%d,\"max_count\":%d,\"hit\":%d,\"miss\":%d}", i ? "," : "", c->count,
                  c->max_count, c->hit, c->miss);
    }
    sb_puts(b, "]}");
#undef JI
#undef JB
#undef JS
}

static void render_json(sbuf *b, const zmm_heap *heap, const map_model *m)
{
    sb_printf(b, "{\"map\":1,\"complete\":%s,\"stats\":", m->complete ? "true" : "false");
    json_stats(b, &m->stats);

    sb_puts(b, ",\"segments\":[");
    for (size_t i = 0; i < m->nsegs; i++) {
        const map_seg *s = &m->segs[i];
        sb_puts(b, i ? ",{\"address\":" : "{\"address\":");
        sb_json_int(b, s->v.address);
        sb_puts(b, ",\"size\":");
        sb_json_int(b, s->v.size);
        sb_puts(b, ",\"storage\":");
        sb_json_str(b, s->v.storage ? s->v.storage : "");
        sb_puts(b, ",\"blocks\":[");
        for (size_t j = 0; j < s->count; j++) {
            if (j) sb_putc(b, ',');
            json_block(b, &m->blocks[s->first + j]);
        }
        sb_puts(b, "]}");
    }
    sb_puts(b, "]");

    sb_puts(b, ",\"buckets\":{\"free_bitmap\":");
    sb_json_int(b, m->stats.free_bitmap);
    sb_puts(b, ",\"large_free_bitmap\":");
    sb_json_int(b, m->stats.large_free_bitmap);
    sb_puts(b, ",\"free_buckets\":[");
    for (int i = 0; i < ZMM_NUM_BUCKETS; i++) {
        json_list l = { b, 0 };
        sb_puts(b, i ? ",[" : "[");
        zmm_inspect_free_bucket(heap, i, json_list_cb, &l);
        sb_putc(b, ']');
    }
    sb_puts(b, "],\"large_free_buckets\":[");
    for (int i = 0; i < ZMM_NUM_BUCKETS; i++) {
        trie_walk w;
        memset(&w, 0, sizeof w);
        if (i) sb_putc(b, ',');
        zmm_inspect_large_tree(heap, i, trie_node_cb, trie_twin_cb, &w);
        if (w.oom) b->oom = true;
        if (w.count && !w.oom) json_trie(b, &w, 0);
        else sb_puts(b, "null");
        free(w.nodes);
        free(w.twins);
    }
    sb_puts(b, "],\"rest_buckets\":[");
    {
        json_list l = { b, 0 };
        zmm_inspect_rest(heap, json_list_cb, &l);
    }
    sb_puts(b, "],\"cache\":[");
    for (int i = 0; i < ZMM_NUM_BUCKETS; i++) {
        json_list l = { b, 0 };
        sb_puts(b, i ? ",[" : "[");
        zmm_inspect_cache(heap, i, json_list_cb, &l);
        sb_putc(b, ']');
    }
    sb_puts(b, "]}}\n");
}

/* ---- entry point ------------------------------------------------------------ */

bool zmm_heap_map(const zmm_heap *heap, zmm_map_format fmt, size_t width, char **out, size_t *len)
{
    if (out) *out = NULL;
    if (len) *len = 0;
    if (!heap || !out) return false;
    if (fmt != ZMM_MAP_TEXT && fmt != ZMM_MAP_SVG && fmt != ZMM_MAP_JSON) return false;

    map_model m;
    sbuf b = { 0 };
    bool ok = model_build(heap, &m);
    if (ok) {
        switch (fmt) {
        case ZMM_MAP_TEXT: render_text(&b, &m, width); break;
        case ZMM_MAP_SVG: render_svg(&b, &m, width); break;
        case ZMM_MAP_JSON: render_json(&b, heap, &m); break;
        }
        ok = !b.oom && b.p;
    }
    model_free(&m);
    if (!ok) {
        free(b.p);
        return false;
    }
    *out = b.p;
    if (len) *len = b.len;
    return true;
}

void zmm_heap_map_free(char *out)
{
    free(out);
}
