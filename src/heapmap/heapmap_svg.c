/*
 * heapmap_svg.c - the SVG map (see heapmap.h for what it shows): a
 * standalone picture with its own stylesheet, each segment a row stretched to
 * the full width, each block a <rect> with a <title> to hover, runs of blocks
 * narrower than a pixel merged into one shorter rect, then the legend, the
 * two bitmaps as rows of bits and the stats. The rows are drawn first into a
 * buffer of their own because the legend above them reports how many runs
 * were merged.
 */
#include "portable.h"
#include "heapmap_model.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the dimensions, in pixels ------------------------------------------------ */

#define SVG_MARGIN          16.0  /* around the picture */
#define SVG_LABEL_MIN      140.0  /* the label column: as wide as the longest label, within these */
#define SVG_LABEL_MAX      320.0
#define SVG_LABEL_MAX_SHARE  0.35 /* ... and at most this share of the width */
#define SVG_LABEL_PAD       14.0  /* between a label and its row */
#define MONO_GLYPH_EM        0.62 /* a monospace glyph is about 0.6 em wide */
#define TEXT_BASELINE_EM     0.35 /* a label's baseline below the row's middle */
#define TITLE_Y             18.0  /* the title's baseline below the margin */
#define SUBTITLE_GAP        20.0  /* the line under the title */
#define LEGEND_BELOW_TITLE  42.0
#define LEGEND_ROW          36.0
#define LEGEND_KEY_WIDTH   160.0  /* one state's entry */
#define LEGEND_SWATCH       14.0
#define LEGEND_SWATCH_RISE  11.0  /* the swatch's top above the entry's baseline */
#define LEGEND_TEXT_X       20.0  /* the entry's text right of its swatch */
#define LEGEND_MEANING_GAP  15.0  /* the meaning under the state's name */
#define LEGEND_NOTE_GAP      4.0  /* the note on runs, under the entries */
#define LEGEND_TO_ROWS      30.0
#define NO_SEGMENTS_Y       14.0
#define DAMAGE_NOTE_GAP      4.0
#define ROWS_TO_BITS        24.0
#define BIT_CELL_MAX        16.0  /* a bit's square: the row width / 64, at most this */
#define BITMAP_HEAD         18.0  /* a bitmap's heading above its bits */
#define BITMAP_HEAD_BASE    12.0  /* the heading's baseline */
#define BITMAP_FOOT         22.0  /* its ruler under the bits */
#define BITMAP_RULER_GAP    13.0
#define BITS_TO_STATS       10.0
#define STATS_LINE          18.0
#define STATS_LINES          3    /* the heading's and two lines of figures */
#define MIN_BLOCK_WIDTH      1.0  /* narrower blocks are merged into runs */
#define BLOCK_SPACING_MIN    3.0  /* blocks at least this wide ... */
#define BLOCK_SPACING        0.6  /* ... leave this much background before the next */
#define GUARD_MIN_WIDTH      2.0
#define RUN_INSET_SHARE      0.15 /* a run's rect is shorter than a block's by this share top and bottom */
#define LONG_LABEL_FONT     10.0  /* labels count the blocks from this font size up */

/* row height, the space under a row and the label font, by how many rows there are */
typedef struct row_tier { size_t max_segments; double height, gap, font; } row_tier;
static const row_tier row_tiers[] = {
    { 24, 24, 10, 12 },
    { 96, 12, 5, 10 },
    { SIZE_MAX, 6, 2, 7 },
};

/* what each state means, under its key in the legend */
static const char *const state_meaning[ZMM_MAP_NSTATES] = {
    [ZMM_STATE_USED] = "handed out",
    [ZMM_STATE_FREE] = "free, in a small bucket",
    [ZMM_STATE_LARGE] = "free, in the large trie",
    [ZMM_STATE_REST] = "free, on the rest list",
    [ZMM_STATE_CACHED] = "freed into the cache",
    [ZMM_STATE_GUARD] = "closes each segment",
    [ZMM_STATE_RESERVE] = "held back for errors",
};

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

/* text for XML content and attribute values */
static void xml_puts(zmm_strbuf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': zmm_sb_puts(b, "&amp;"); break;
        case '<': zmm_sb_puts(b, "&lt;"); break;
        case '>': zmm_sb_puts(b, "&gt;"); break;
        case '"': zmm_sb_puts(b, "&quot;"); break;
        case '\'': zmm_sb_puts(b, "&apos;"); break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t') zmm_sb_putc(b, '?');
            else zmm_sb_putc(b, *s);
        }
    }
}

static void svg_text(zmm_strbuf *b, double x, double y, const char *cls, const char *anchor, const char *s)
{
    zmm_sb_printf(b, "<text x=\"%.1f\" y=\"%.1f\"", x, y);
    if (cls) zmm_sb_printf(b, " class=\"%s\"", cls);
    if (anchor) zmm_sb_printf(b, " text-anchor=\"%s\"", anchor);
    zmm_sb_putc(b, '>');
    xml_puts(b, s);
    zmm_sb_puts(b, "</text>\n");
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

/* ---- the layout ------------------------------------------------------------------ */

void zmm_map_seg_label(char *buf, size_t len, size_t i, const map_seg *s, bool long_form)
{
    char sz[32];
    zmm_map_fmt_size(sz, sizeof sz, s->v.size);
    if (long_form) {
        snprintf(buf, len, "#%zu %s %s %zu %s", i, sz, s->v.storage ? s->v.storage : "?", s->count,
                 zmm_map_plural(s->count, "block", "blocks"));
    } else {
        snprintf(buf, len, "#%zu %s %s", i, sz, s->v.storage ? s->v.storage : "?");
    }
}

static size_t clamp_width(size_t width)
{
    if (!width) return ZMM_MAP_SVG_WIDTH;
    if (width < ZMM_MAP_SVG_MIN_WIDTH) return ZMM_MAP_SVG_MIN_WIDTH;
    if (width > ZMM_MAP_SVG_MAX_WIDTH) return ZMM_MAP_SVG_MAX_WIDTH;
    return width;
}

/* the label column: as wide as the longest label in monospace, within bounds */
static double label_width(const map_model *m, const map_layout *l)
{
    char buf[512];
    size_t longest = 0;
    for (size_t i = 0; i < m->nsegs; i++) {
        zmm_map_seg_label(buf, sizeof buf, i, &m->segs[i], l->long_labels);
        if (strlen(buf) > longest) longest = strlen(buf);
    }
    double w = (double)longest * l->font_size * MONO_GLYPH_EM + SVG_LABEL_PAD;
    if (w < SVG_LABEL_MIN) w = SVG_LABEL_MIN;
    if (w > SVG_LABEL_MAX) w = SVG_LABEL_MAX;
    if (w > l->width * SVG_LABEL_MAX_SHARE) w = l->width * SVG_LABEL_MAX_SHARE;
    return w;
}

void zmm_map_layout(const map_model *m, size_t width, map_layout *l)
{
    memset(l, 0, sizeof *l);
    l->width = (double)clamp_width(width);
    const row_tier *t = row_tiers;
    while (m->nsegs > t->max_segments) t++;
    l->row_height = t->height;
    l->row_gap = t->gap;
    l->font_size = t->font;
    l->long_labels = t->font >= LONG_LABEL_FONT;
    l->label_width = label_width(m, l);
    l->blocks_x = SVG_MARGIN + l->label_width;
    l->blocks_width = l->width - l->blocks_x - SVG_MARGIN;
    l->min_block_width = MIN_BLOCK_WIDTH;

    l->legend_per_row = (size_t)((l->width - 2 * SVG_MARGIN) / LEGEND_KEY_WIDTH);
    if (l->legend_per_row < 1) l->legend_per_row = 1;
    l->legend_rows = (ZMM_MAP_NSTATES + l->legend_per_row - 1) / l->legend_per_row;
    l->title_y = SVG_MARGIN + TITLE_Y;
    l->legend_y = l->title_y + LEGEND_BELOW_TITLE;
    l->rows_top = l->legend_y + (double)l->legend_rows * LEGEND_ROW + LEGEND_TO_ROWS;
    l->rows_height = (double)m->nsegs * (l->row_height + l->row_gap);
    l->bits_top = l->rows_top + l->rows_height + ROWS_TO_BITS;
    l->bit_cell = l->blocks_width / ZMM_NUM_BUCKETS;
    if (l->bit_cell > BIT_CELL_MAX) l->bit_cell = BIT_CELL_MAX;
    l->bits_height = 2 * (BITMAP_HEAD + l->bit_cell + BITMAP_FOOT);
    l->stats_top = l->bits_top + l->bits_height + BITS_TO_STATS;
    l->height = l->stats_top + STATS_LINES * STATS_LINE + SVG_MARGIN;
}

/* ---- a segment's row ---------------------------------------------------------------- */

/* a run of blocks narrower than a pixel, drawn as one rect */
typedef struct agg_run {
    size_t count, bytes;
    size_t state_bytes[ZMM_MAP_NSTATES];
    uintptr_t first;
    double x, w;
    const zmm_block_view *last;   /* drawn as itself when it is the run's only block */
} agg_run;

/* what the rows drew, for the legend */
typedef struct row_counts {
    size_t runs, run_blocks;
} row_counts;

static void block_rect(zmm_strbuf *b, const map_seg *s, const zmm_block_view *v, double x, double y, double w,
                       double h)
{
    char title[256];
    block_title(title, sizeof title, s, v);
    zmm_sb_printf(b, "<rect class=\"%s\" x=\"%.2f\" y=\"%.1f\" width=\"%.3f\" height=\"%.1f\"><title>",
                  zmm_block_state_name(v->state), x, y, w, h);
    xml_puts(b, title);
    zmm_sb_puts(b, "</title></rect>\n");
}

/* the state holding most of a run's bytes (ties: zmm_map_state_order) */
static zmm_block_state run_state(const agg_run *r)
{
    zmm_block_state best = ZMM_STATE_USED;
    size_t most = 0;
    for (int k = 0; k < ZMM_MAP_NSTATES; k++) {
        zmm_block_state st = zmm_map_state_order[k];
        if (r->state_bytes[st] > most) { most = r->state_bytes[st]; best = st; }
    }
    return best;
}

static void run_rect(zmm_strbuf *b, const agg_run *r, double y, double h)
{
    /* a little shorter than a block's rect: a run reads as texture, not as one block */
    zmm_sb_printf(b, "<rect class=\"agg %s\" x=\"%.2f\" y=\"%.2f\" width=\"%.3f\" height=\"%.2f\"><title>",
                  zmm_block_state_name(run_state(r)), r->x, y + h * RUN_INSET_SHARE, r->w,
                  h * (1 - 2 * RUN_INSET_SHARE));
    zmm_sb_printf(b, "%zu blocks narrower than a pixel, %zu bytes from 0x%llx:", r->count, r->bytes,
                  (unsigned long long)r->first);
    for (int k = 0; k < ZMM_MAP_NSTATES; k++) {
        zmm_block_state st = zmm_map_legend_order[k];
        if (r->state_bytes[st]) zmm_sb_printf(b, " %s %zu", zmm_block_state_name(st), r->state_bytes[st]);
    }
    zmm_sb_puts(b, " bytes</title></rect>\n");
}

static void run_flush(zmm_strbuf *b, agg_run *r, const map_seg *s, double y, double h, row_counts *rc)
{
    if (!r->count) return;
    if (r->count == 1) {
        block_rect(b, s, r->last, r->x, y, r->w, h);
    } else {
        run_rect(b, r, y, h);
        rc->runs++;
        rc->run_blocks += r->count;
    }
    memset(r, 0, sizeof *r);
}

static void run_add(agg_run *r, const zmm_block_view *v, double x, double w)
{
    if (!r->count) { r->x = x; r->first = v->address; }
    r->last = v;
    r->count++;
    r->bytes += v->size;
    if ((unsigned)v->state < ZMM_MAP_NSTATES) r->state_bytes[v->state] += v->size;
    r->w = x + w - r->x;
}

static void segment_blocks(zmm_strbuf *b, const map_seg *s, const zmm_block_view *blocks, const map_layout *l,
                           double y, row_counts *rc)
{
    const double x0 = l->blocks_x, bw = l->blocks_width, h = l->row_height;
    double scale = s->v.size ? bw / (double)s->v.size : 0;
    agg_run run;
    memset(&run, 0, sizeof run);
    for (size_t j = 0; j < s->count; j++) {
        const zmm_block_view *v = &blocks[s->first + j];
        double x = x0 + (double)(v->address - s->v.address) * scale, w = (double)v->size * scale;
        if (v->state == ZMM_STATE_GUARD) {
            /* always its own rect, at the row's right end */
            run_flush(b, &run, s, y, h, rc);
            double gw = w < GUARD_MIN_WIDTH ? GUARD_MIN_WIDTH : w;
            block_rect(b, s, v, x0 + bw - gw, y, gw, h);
        } else if (w >= l->min_block_width) {
            run_flush(b, &run, s, y, h, rc);
            block_rect(b, s, v, x, y, w >= BLOCK_SPACING_MIN ? w - BLOCK_SPACING : w, h);
        } else {
            run_add(&run, v, x, w);
            if (run.w >= l->min_block_width) run_flush(b, &run, s, y, h, rc);
        }
    }
    run_flush(b, &run, s, y, h, rc);
}

static void segment_row(zmm_strbuf *b, const map_model *m, size_t i, const map_layout *l, double y,
                        row_counts *rc)
{
    const map_seg *s = &m->segs[i];
    char buf[512];
    zmm_sb_puts(b, "<g class=\"segment\">");
    snprintf(buf, sizeof buf, "segment #%zu at 0x%llx: %zu bytes from %s, %zu blocks", i,
             (unsigned long long)s->v.address, s->v.size, s->v.storage ? s->v.storage : "?", s->count);
    zmm_sb_puts(b, "<title>");
    xml_puts(b, buf);
    zmm_sb_puts(b, "</title>\n");
    zmm_map_seg_label(buf, sizeof buf, i, s, l->long_labels);
    zmm_sb_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"mono\" style=\"font-size:%.0fpx\">", SVG_MARGIN,
                  y + l->row_height / 2 + l->font_size * TEXT_BASELINE_EM, l->font_size);
    xml_puts(b, buf);
    zmm_sb_puts(b, "</text>\n");
    zmm_sb_printf(b, "<rect class=\"seg\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n", l->blocks_x, y,
                  l->blocks_width, l->row_height);
    zmm_sb_puts(b, "<g class=\"blocks\">\n");
    segment_blocks(b, s, m->blocks, l, y, rc);
    zmm_sb_puts(b, "</g></g>\n");
}

/* ---- the parts around the rows -------------------------------------------------------- */

static void header(zmm_strbuf *b, const map_model *m, const map_layout *l)
{
    char buf[512];
    zmm_sb_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                     "viewBox=\"0 0 %.0f %.0f\">\n",
                  l->width, l->height, l->width, l->height);
    zmm_sb_puts(b, "<title>zendmm heap map</title>\n");
    zmm_sb_puts(b, svg_style);
    zmm_sb_printf(b, "<rect class=\"bg\" x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\"/>\n", l->width, l->height);
    svg_text(b, SVG_MARGIN, l->title_y, "title", NULL, "zendmm heap map");
    snprintf(buf, sizeof buf,
             "%zu %s (newest first), %zu %s. Each row is one segment stretched to the full width; "
             "a block's width is its share of the segment.",
             m->nsegs, zmm_map_plural(m->nsegs, "segment", "segments"), m->nblocks,
             zmm_map_plural(m->nblocks, "block", "blocks"));
    svg_text(b, SVG_MARGIN, l->title_y + SUBTITLE_GAP, "sub", NULL, buf);
    if (!m->stats.use_zend_alloc) {
        svg_text(b, l->width - SVG_MARGIN, l->title_y, "sub", "end", ZMM_MAP_PASS_THROUGH_NOTE);
    }
}

static void legend(zmm_strbuf *b, const map_model *m, const map_layout *l, const row_counts *rc)
{
    char buf[512];
    zmm_sb_puts(b, "<g class=\"legend\">\n");
    for (int k = 0; k < ZMM_MAP_NSTATES; k++) {
        zmm_block_state st = zmm_map_legend_order[k];
        double x = SVG_MARGIN + (double)((size_t)k % l->legend_per_row) * LEGEND_KEY_WIDTH;
        double y = l->legend_y + (double)((size_t)k / l->legend_per_row) * LEGEND_ROW;
        zmm_sb_printf(b, "<rect class=\"key %s\" x=\"%.1f\" y=\"%.1f\" width=\"%.0f\" height=\"%.0f\"/>\n",
                      zmm_block_state_name(st), x, y - LEGEND_SWATCH_RISE, LEGEND_SWATCH, LEGEND_SWATCH);
        snprintf(buf, sizeof buf, "%s %zu", zmm_block_state_name(st), m->state_count[st]);
        svg_text(b, x + LEGEND_TEXT_X, y, "head", NULL, buf);
        svg_text(b, x + LEGEND_TEXT_X, y + LEGEND_MEANING_GAP, "sub small", NULL, state_meaning[st]);
    }
    if (rc->runs) {
        snprintf(buf, sizeof buf,
                 "Shorter bars: %zu runs of blocks narrower than a pixel (%zu blocks), each drawn as one rect "
                 "in the colour of the state holding most of its bytes.", rc->runs, rc->run_blocks);
    } else {
        snprintf(buf, sizeof buf, "One rect per block (none is narrower than a pixel; narrower runs would be "
                                  "merged into one shorter rect). Hover for address, size and bucket.");
    }
    svg_text(b, SVG_MARGIN, l->legend_y + (double)l->legend_rows * LEGEND_ROW + LEGEND_NOTE_GAP, "sub", NULL, buf);
    zmm_sb_puts(b, "</g>\n");
}

static void bit_title(char *buf, size_t len, const map_model *m, bool large, int i)
{
    if (large) {
        snprintf(buf, len, "trie %d (%llu to %llu bytes): %zu %s", i, 1ULL << i,
                 i < 63 ? (1ULL << (i + 1)) - 1 : ~0ULL, m->large_count[i],
                 zmm_map_plural(m->large_count[i], "block", "blocks"));
    } else {
        snprintf(buf, len, "bucket %d (true size %zu): %zu free %s", i,
                 m->stats.min_block_size + (size_t)i * ZMM_BUCKET_WIDTH, m->bucket_free[i],
                 zmm_map_plural(m->bucket_free[i], "block", "blocks"));
    }
}

/* one bitmap: its heading, its value in hex, 64 squares and a ruler */
static void bitmap(zmm_strbuf *b, const map_model *m, const map_layout *l, bool large, double y)
{
    char buf[512];
    size_t bits = large ? m->stats.large_free_bitmap : m->stats.free_bitmap;
    snprintf(buf, sizeof buf, large ? "0x%016llx - bit k set: the large trie of sizes 2^k to 2^(k+1)-1 is not empty"
                                    : "0x%016llx - bit i set: small bucket i holds a free block",
             (unsigned long long)bits);
    svg_text(b, SVG_MARGIN, y + BITMAP_HEAD_BASE, "head", NULL, large ? "large_free_bitmap" : "free_bitmap");
    svg_text(b, l->blocks_x, y + BITMAP_HEAD_BASE, "sub mono", NULL, buf);
    double cy = y + BITMAP_HEAD, cell = l->bit_cell;
    zmm_sb_printf(b, "<g class=\"%s\">\n", large ? "large_free_bitmap" : "free_bitmap");
    for (int i = 0; i < ZMM_NUM_BUCKETS; i++) {
        bit_title(buf, sizeof buf, m, large, i);
        zmm_sb_printf(b, "<rect class=\"bit %s\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.2f\"><title>",
                      (bits >> i) & 1 ? "on" : "off", l->blocks_x + i * cell, cy, cell, cell);
        xml_puts(b, buf);
        zmm_sb_puts(b, "</title></rect>\n");
    }
    for (int i = 0; i < ZMM_NUM_BUCKETS; i += 8) {
        snprintf(buf, sizeof buf, "%d", i);
        svg_text(b, l->blocks_x + i * cell + 1, cy + cell + BITMAP_RULER_GAP, "sub", NULL, buf);
    }
    zmm_sb_puts(b, "</g>\n");
}

static void bitmaps(zmm_strbuf *b, const map_model *m, const map_layout *l)
{
    zmm_sb_puts(b, "<g class=\"bitmaps\">\n");
    bitmap(b, m, l, false, l->bits_top);
    bitmap(b, m, l, true, l->bits_top + BITMAP_HEAD + l->bit_cell + BITMAP_FOOT);
    zmm_sb_puts(b, "</g>\n");
}

static void stats(zmm_strbuf *b, const map_model *m, const map_layout *l)
{
    char l1[256], l2[256];
    zmm_map_stats_lines(m, l1, l2, sizeof l1);
    zmm_sb_puts(b, "<g class=\"stats\">\n");
    svg_text(b, SVG_MARGIN, l->stats_top + BITMAP_HEAD_BASE, "head", NULL, "stats");
    svg_text(b, l->blocks_x, l->stats_top + BITMAP_HEAD_BASE, "mono", NULL, l1);
    svg_text(b, l->blocks_x, l->stats_top + BITMAP_HEAD_BASE + STATS_LINE, "mono", NULL, l2);
    zmm_sb_puts(b, "</g>\n");
}

/* ---- the picture --------------------------------------------------------------------- */

void zmm_map_render_svg(zmm_strbuf *b, const map_model *m, size_t width)
{
    map_layout l;
    zmm_map_layout(m, width, &l);

    /* the rows first, into their own buffer: the legend above them says how many runs they merged */
    zmm_strbuf rows = { 0 };
    row_counts rc = { 0, 0 };
    for (size_t i = 0; i < m->nsegs; i++) {
        segment_row(&rows, m, i, &l, (double)i * (l.row_height + l.row_gap), &rc);
    }
    if (rows.oom) { b->oom = true; free(rows.p); return; }

    header(b, m, &l);
    legend(b, m, &l, &rc);
    zmm_sb_printf(b, "<g class=\"segments\" transform=\"translate(0 %.1f)\">\n", l.rows_top);
    if (!m->nsegs) svg_text(b, l.blocks_x, NO_SEGMENTS_Y, "sub", NULL, "(no segments)");
    zmm_sb_putn(b, rows.p ? rows.p : "", rows.len);
    free(rows.p);
    if (!m->complete) {
        svg_text(b, l.blocks_x, l.rows_height + DAMAGE_NOTE_GAP, "sub", NULL,
                 "(the walk stopped at a damaged block: zendmm_check_heap() tells more)");
    }
    zmm_sb_puts(b, "</g>\n");
    bitmaps(b, m, &l);
    stats(b, m, &l);
    zmm_sb_puts(b, "</svg>\n");
}
