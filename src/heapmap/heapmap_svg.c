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

#define SVG_MARGIN 16.0
#define SVG_LABEL_MIN 140.0  /* the label column: as wide as the longest label, within these */
#define SVG_LABEL_MAX 320.0
#define LEGEND_ROW 36.0

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

typedef struct agg_run {
    size_t count, bytes;
    size_t state_bytes[ZMM_MAP_NSTATES];
    uintptr_t first;
    double x, w;
} agg_run;

static void agg_flush(zmm_strbuf *b, agg_run *r, const map_seg *s, const zmm_block_view *single, double y, double h,
                      size_t *rects, size_t *blocks)
{
    if (!r->count) return;
    if (r->count == 1 && single) {
        char title[256];
        block_title(title, sizeof title, s, single);
        zmm_sb_printf(b, "<rect class=\"%s\" x=\"%.2f\" y=\"%.1f\" width=\"%.3f\" height=\"%.1f\"><title>",
                      zmm_block_state_name(single->state), r->x, y, r->w, h);
        xml_puts(b, title);
        zmm_sb_puts(b, "</title></rect>\n");
    } else {
        int best = ZMM_STATE_USED;
        size_t most = 0;
        for (int k = 0; k < ZMM_MAP_NSTATES; k++) {
            zmm_block_state st = zmm_map_state_order[k];
            if (r->state_bytes[st] > most) { most = r->state_bytes[st]; best = (int)st; }
        }
        /* a little shorter than a block's rect: a run reads as texture, not as one block */
        zmm_sb_printf(b, "<rect class=\"agg %s\" x=\"%.2f\" y=\"%.2f\" width=\"%.3f\" height=\"%.2f\"><title>",
                      zmm_block_state_name((zmm_block_state)best), r->x, y + h * 0.15, r->w, h * 0.7);
        zmm_sb_printf(b, "%zu blocks narrower than a pixel, %zu bytes from 0x%llx:", r->count, r->bytes,
                      (unsigned long long)r->first);
        for (int k = 0; k < ZMM_MAP_NSTATES; k++) {
            zmm_block_state st = zmm_map_legend_order[k];
            if (r->state_bytes[st]) zmm_sb_printf(b, " %s %zu", zmm_block_state_name(st), r->state_bytes[st]);
        }
        zmm_sb_puts(b, " bytes</title></rect>\n");
        (*rects)++;
        (*blocks) += r->count;
    }
    memset(r, 0, sizeof *r);
}

/* "#3 256K malloc 1746 blocks" (the block count only when the rows are tall enough) */
static void seg_label(char *buf, size_t len, size_t i, const map_seg *s, bool long_form)
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

void zmm_map_render_svg(zmm_strbuf *b, const map_model *m, size_t width)
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
    zmm_strbuf rows = { 0 };
    size_t aggs = 0, agg_n = 0;
    double y = 0;
    for (size_t i = 0; i < m->nsegs; i++) {
        const map_seg *s = &m->segs[i];
        zmm_sb_puts(&rows, "<g class=\"segment\">");
        snprintf(buf, sizeof buf, "segment #%zu at 0x%llx: %zu bytes from %s, %zu blocks", i,
                 (unsigned long long)s->v.address, s->v.size, s->v.storage ? s->v.storage : "?", s->count);
        zmm_sb_puts(&rows, "<title>");
        xml_puts(&rows, buf);
        zmm_sb_puts(&rows, "</title>\n");
        seg_label(buf, sizeof buf, i, s, font >= 10);
        zmm_sb_printf(&rows, "<text x=\"%.1f\" y=\"%.1f\" class=\"mono\" style=\"font-size:%.0fpx\">", SVG_MARGIN,
                      y + row_h / 2 + font * 0.35, font);
        xml_puts(&rows, buf);
        zmm_sb_puts(&rows, "</text>\n");
        zmm_sb_printf(&rows, "<rect class=\"seg\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n", x0, y, bw,
                      row_h);
        zmm_sb_puts(&rows, "<g class=\"blocks\">\n");
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
                zmm_sb_printf(&rows,
                              "<rect class=\"guard\" x=\"%.2f\" y=\"%.1f\" width=\"%.3f\" height=\"%.1f\"><title>",
                              x0 + bw - gw, y, gw, row_h);
                xml_puts(&rows, buf);
                zmm_sb_puts(&rows, "</title></rect>\n");
                continue;
            }
            if (w >= 1.0) {
                agg_flush(&rows, &run, s, single, y, row_h, &aggs, &agg_n);
                block_title(buf, sizeof buf, s, v);
                /* a hair of background between blocks wide enough to spare it */
                zmm_sb_printf(&rows, "<rect class=\"%s\" x=\"%.2f\" y=\"%.1f\" width=\"%.3f\" height=\"%.1f\"><title>",
                              zmm_block_state_name(v->state), bx, y, w >= 3 ? w - 0.6 : w, row_h);
                xml_puts(&rows, buf);
                zmm_sb_puts(&rows, "</title></rect>\n");
                continue;
            }
            if (!run.count) { run.x = bx; run.first = v->address; }
            single = v;
            run.count++;
            run.bytes += v->size;
            if ((unsigned)v->state < ZMM_MAP_NSTATES) run.state_bytes[v->state] += v->size;
            run.w = bx + w - run.x;
            if (run.w >= 1.0) agg_flush(&rows, &run, s, single, y, row_h, &aggs, &agg_n);
        }
        agg_flush(&rows, &run, s, single, y, row_h, &aggs, &agg_n);
        zmm_sb_puts(&rows, "</g></g>\n");
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
    size_t legend_rows = (ZMM_MAP_NSTATES + per_row - 1) / per_row;
    double rows_top = legend_y + (double)legend_rows * LEGEND_ROW + 30;
    double bits_top = rows_top + rows_h + 24;
    double cell = bw / ZMM_NUM_BUCKETS;
    if (cell > 16) cell = 16;
    double bits_h = 2 * (18 + cell + 22);
    double stats_top = bits_top + bits_h + 10;
    double H = stats_top + 3 * 18 + SVG_MARGIN;

    zmm_sb_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                     "viewBox=\"0 0 %.0f %.0f\">\n",
                  W, H, W, H);
    zmm_sb_puts(b, "<title>zendmm heap map</title>\n");
    zmm_sb_puts(b, svg_style);
    zmm_sb_printf(b, "<rect class=\"bg\" x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\"/>\n", W, H);
    svg_text(b, SVG_MARGIN, top, "title", NULL, "zendmm heap map");
    snprintf(buf, sizeof buf,
             "%zu %s (newest first), %zu %s. Each row is one segment stretched to the full width; "
             "a block's width is its share of the segment.",
             m->nsegs, zmm_map_plural(m->nsegs, "segment", "segments"), m->nblocks,
             zmm_map_plural(m->nblocks, "block", "blocks"));
    svg_text(b, SVG_MARGIN, top + 20, "sub", NULL, buf);
    if (!m->stats.use_zend_alloc) svg_text(b, W - SVG_MARGIN, top, "sub", "end", ZMM_MAP_PASS_THROUGH_NOTE);

    zmm_sb_puts(b, "<g class=\"legend\">\n");
    for (int k = 0; k < ZMM_MAP_NSTATES; k++) {
        zmm_block_state st = zmm_map_legend_order[k];
        size_t col = (size_t)k % per_row, row = (size_t)k / per_row;
        lx = SVG_MARGIN + (double)col * key_w;
        ly = legend_y + (double)row * LEGEND_ROW;
        zmm_sb_printf(b, "<rect class=\"key %s\" x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"14\"/>\n",
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
    zmm_sb_puts(b, "</g>\n");

    /* the segments, shifted into place */
    zmm_sb_printf(b, "<g class=\"segments\" transform=\"translate(0 %.1f)\">\n", rows_top);
    if (!m->nsegs) svg_text(b, x0, 14, "sub", NULL, "(no segments)");
    zmm_sb_putn(b, rows.p ? rows.p : "", rows.len);
    free(rows.p);
    if (!m->complete) {
        svg_text(b, x0, rows_h + 4, "sub", NULL,
                 "(the walk stopped at a damaged block: zendmm_check_heap() tells more)");
    }
    zmm_sb_puts(b, "</g>\n");

    /* the bitmaps */
    zmm_sb_puts(b, "<g class=\"bitmaps\">\n");
    double by = bits_top;
    for (int which = 0; which < 2; which++) {
        size_t bits = which ? m->stats.large_free_bitmap : m->stats.free_bitmap;
        snprintf(buf, sizeof buf, which ? "0x%016llx - bit k set: the large trie of sizes 2^k to 2^(k+1)-1 is not empty"
                                        : "0x%016llx - bit i set: small bucket i holds a free block",
                 (unsigned long long)bits);
        svg_text(b, SVG_MARGIN, by + 12, "head", NULL, which ? "large_free_bitmap" : "free_bitmap");
        svg_text(b, x0, by + 12, "sub mono", NULL, buf);
        double cy = by + 18;
        zmm_sb_printf(b, "<g class=\"%s\">\n", which ? "large_free_bitmap" : "free_bitmap");
        for (int i = 0; i < ZMM_NUM_BUCKETS; i++) {
            bool on = (bits >> i) & 1;
            if (which) {
                snprintf(buf, sizeof buf, "trie %d (%llu to %llu bytes): %zu %s", i, 1ULL << i,
                         i < 63 ? (1ULL << (i + 1)) - 1 : ~0ULL, m->large_count[i],
                         zmm_map_plural(m->large_count[i], "block", "blocks"));
            } else {
                snprintf(buf, sizeof buf, "bucket %d (true size %zu): %zu free %s", i,
                         m->stats.min_block_size + (size_t)i * ZMM_BUCKET_WIDTH, m->bucket_free[i],
                         zmm_map_plural(m->bucket_free[i], "block", "blocks"));
            }
            zmm_sb_printf(b, "<rect class=\"bit %s\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.2f\"><title>",
                          on ? "on" : "off", x0 + i * cell, cy, cell, cell);
            xml_puts(b, buf);
            zmm_sb_puts(b, "</title></rect>\n");
        }
        for (int i = 0; i < ZMM_NUM_BUCKETS; i += 8) {
            snprintf(buf, sizeof buf, "%d", i);
            svg_text(b, x0 + i * cell + 1, cy + cell + 13, "sub", NULL, buf);
        }
        zmm_sb_puts(b, "</g>\n");
        by += 18 + cell + 22;
    }
    zmm_sb_puts(b, "</g>\n");

    /* the stats */
    char l1[256], l2[256];
    zmm_map_stats_lines(m, l1, l2, sizeof l1);
    zmm_sb_puts(b, "<g class=\"stats\">\n");
    svg_text(b, SVG_MARGIN, stats_top + 12, "head", NULL, "stats");
    svg_text(b, x0, stats_top + 12, "mono", NULL, l1);
    svg_text(b, x0, stats_top + 30, "mono", NULL, l2);
    zmm_sb_puts(b, "</g>\n</svg>\n");
}
