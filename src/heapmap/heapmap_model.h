/*
 * heapmap_model.h - what the three heap-map renderers share (internal to
 * heapmap*.c; the public header is heapmap.h): the model of a heap read once
 * through the public inspection API (segments with their blocks, the stats,
 * per-state and per-bucket counts), the state tables that fix each state's
 * character and the orders of the legend and of ties, a few formatting
 * helpers used by both text and SVG, and the renderers themselves, which
 * heapmap.c dispatches to. Names that leave their file carry zmm_map_, as
 * they are global symbols of the extension's .so.
 */
#ifndef ZENDMM_HEAPMAP_MODEL_H
#define ZENDMM_HEAPMAP_MODEL_H

#include "heapmap.h"
#include "strbuf.h"

/* the number of zmm_block_state values (ZMM_STATE_USED .. ZMM_STATE_RESERVE) */
#define ZMM_MAP_NSTATES 7

#define ZMM_MAP_PASS_THROUGH_NOTE \
    "(a pass-through heap: its blocks come from the system allocator and are not drawn)"

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
    size_t          state_count[ZMM_MAP_NSTATES];
    size_t          state_bytes[ZMM_MAP_NSTATES];
    size_t          bucket_free[ZMM_NUM_BUCKETS];  /* blocks in small bucket i */
    size_t          large_count[ZMM_NUM_BUCKETS];  /* blocks in trie k (twins included) */
    bool            multi_storage;
    zmm_breakdown   breakdown;                     /* where real_size goes */
    /* Optional: the code that allocated each block. block_site[i] is an index
     * into sites (-1: none) for blocks[i]; NULL when the heap records no sites
     * (every heap today). The HTML page shows a block's site on hover. */
    const int      *block_site;
    const char *const *sites;
    size_t          nsites;
} map_model;

/* Read the heap into m (which needs no initialising). false when memory ran
 * out; either way zmm_map_model_free(m) afterwards. A walk that stops at
 * damage is not a failure: m->complete says so. */
bool zmm_map_model_build(const zmm_heap *heap, map_model *m);
void zmm_map_model_free(map_model *m);

/* ---- state tables ---------------------------------------------------------- */

/* the text map's character per state (zmm_map_state_char() reads it) */
extern const char zmm_map_state_chars[ZMM_MAP_NSTATES];
/* the order of the legend */
extern const zmm_block_state zmm_map_legend_order[ZMM_MAP_NSTATES];
/* the order ties are broken in (first wins) */
extern const zmm_block_state zmm_map_state_order[ZMM_MAP_NSTATES];

/* ---- where real_size goes ---------------------------------------------------- */

/* The breakdown's parts in the order every picture lists them, with the keys
 * of zendmm_breakdown(); on a heap that does not know requested sizes,
 * payload and rounding are one part, "payload_and_rounding". */
#define ZMM_MAP_MAX_PARTS 9
typedef struct map_part { const char *key; size_t bytes; } map_part;
size_t zmm_map_breakdown_parts(const zmm_breakdown *b, map_part parts[ZMM_MAP_MAX_PARTS]);

/* ---- helpers shared by text and SVG ---------------------------------------- */

/* "256K", "1280K", "4M", "48" */
void zmm_map_fmt_size(char *buf, size_t len, size_t s);
/* the two stats lines; l1 and l2 each have room for len bytes */
void zmm_map_stats_lines(const map_model *m, char *l1, char *l2, size_t len);

static inline const char *zmm_map_plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* ---- the picture's geometry (heapmap_svg.c), shared by SVG and HTML --------- */

/* Where everything of the SVG map goes, in pixels. The HTML page draws its
 * rows with the same numbers (heapmap_html.c writes them into the page), so
 * the two pictures are one layout. */
typedef struct map_layout {
    double width;                  /* the whole picture */
    double row_height, row_gap;    /* a segment's row and the space under it */
    double font_size;              /* of the row labels */
    bool   long_labels;            /* labels count the blocks (rows tall enough) */
    double label_width;            /* the label column */
    double blocks_x, blocks_width; /* where a row's blocks go */
    double min_block_width;        /* a block narrower than this joins a run */
    size_t legend_per_row, legend_rows;
    double title_y, legend_y, rows_top, rows_height;
    double bits_top, bit_cell, bits_height, stats_top, height;
} map_layout;

void zmm_map_layout(const map_model *m, size_t width, map_layout *l);
/* "#3 256K malloc 1746 blocks" (the block count only with long_form) */
void zmm_map_seg_label(char *buf, size_t len, size_t i, const map_seg *s, bool long_form);

/* ---- the renderers (heapmap_text.c, heapmap_svg.c, heapmap_json.c) --------- */

/* Each appends its whole picture to b; running out of memory shows as b->oom. */
void zmm_map_render_text(zmm_strbuf *b, const map_model *m, size_t width);
void zmm_map_render_svg(zmm_strbuf *b, const map_model *m, size_t width);
/* JSON also reads the buckets, the rest list and the cache straight from the heap. */
void zmm_map_render_json(zmm_strbuf *b, const zmm_heap *heap, const map_model *m);
/* The explorer (heapmap_html.c): the page with the model and its free lists. */
void zmm_map_render_html(zmm_strbuf *b, const zmm_heap *heap, const map_model *m, size_t width);

/* ---- the page's parts, shared by the explorer and the player (heapmap_html.c) ---- */

void zmm_map_page_str(zmm_strbuf *b, const char *s);
/* "<!DOCTYPE html>..." up to the data object's first members (kind, title,
 * layout, heap, states); the caller adds ",\"key\":value" members */
void zmm_map_page_open(zmm_strbuf *b, const char *kind, const char *title, const map_model *m, size_t width);
/* closes the data object, appends the script, ends the page */
void zmm_map_page_close(zmm_strbuf *b);
void zmm_map_page_stats(zmm_strbuf *b, const zmm_stats *s);
void zmm_map_page_breakdown(zmm_strbuf *b, const zmm_breakdown *bd);
void zmm_map_page_block(zmm_strbuf *b, const zmm_block_view *v, size_t header_size, bool track);
void zmm_map_page_segment(zmm_strbuf *b, const map_model *m, size_t i);
void zmm_map_page_segments(zmm_strbuf *b, const map_model *m);

#endif /* ZENDMM_HEAPMAP_MODEL_H */
