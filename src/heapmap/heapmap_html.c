/*
 * heapmap_html.c - the explorer: one self-contained HTML page (inline CSS
 * and script, nothing fetched) drawn from the map model. The page carries
 * the model as JSON (segments and their blocks, the stats, where real_size
 * goes, the free lists in list order) and the SVG map's layout
 * (zmm_map_layout), and its script draws the rows with those numbers. The
 * trace player (heapmap_player.c) writes the same page around a sequence of
 * states, so both share the writers below (heapmap_model.h).
 */
#include "portable.h"
#include "heapmap_model.h"
#include "heapmap_page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- JSON inside a <script> element --------------------------------------------- */

/* a string literal; <, > and & escaped so no "</script>" can end the element */
void zmm_map_page_str(zmm_strbuf *b, const char *s)
{
    zmm_sb_putc(b, '"');
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') { zmm_sb_putc(b, '\\'); zmm_sb_putc(b, (char)c); }
        else if (c < 0x20 || c == '<' || c == '>' || c == '&') zmm_sb_printf(b, "\\u%04x", c);
        else zmm_sb_putc(b, (char)c);
    }
    zmm_sb_putc(b, '"');
}

static void page_layout(zmm_strbuf *b, const map_layout *l)
{
    zmm_sb_printf(b, "{\"width\":%.1f,\"row_height\":%.1f,\"row_gap\":%.1f,\"font_size\":%.1f,"
                     "\"label_width\":%.1f,\"blocks_x\":%.1f,\"blocks_width\":%.1f,\"min_block_width\":%.1f}",
                  l->width, l->row_height, l->row_gap, l->font_size, l->label_width, l->blocks_x, l->blocks_width,
                  l->min_block_width);
}

static void page_heap(zmm_strbuf *b, const zmm_stats *s)
{
    zmm_sb_printf(b, "{\"header_size\":%zu,\"min_block_size\":%zu,\"bucket_width\":%d,\"max_small_size\":%zu,"
                     "\"alignment\":%zu,\"track\":%s,\"pass_through\":%s,\"storage\":",
                  s->header_size, s->min_block_size, ZMM_BUCKET_WIDTH, s->max_small_size, s->alignment,
                  s->track_blocks ? "true" : "false", s->use_zend_alloc ? "false" : "true");
    zmm_map_page_str(b, s->storage ? s->storage : "");
    zmm_sb_puts(b, "}");
}

/* the opening of the page, up to the data: the same for explorer and player */
void zmm_map_page_open(zmm_strbuf *b, const char *kind, const char *title, const map_model *m, size_t width)
{
    map_layout l;
    zmm_map_layout(m, width, &l);
    zmm_sb_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>");
    for (const char *s = title; *s; s++) {
        if (*s == '<') zmm_sb_puts(b, "&lt;");
        else if (*s == '&') zmm_sb_puts(b, "&amp;");
        else zmm_sb_putc(b, *s);
    }
    zmm_sb_puts(b, "</title>\n<style>\n");
    for (size_t i = 0; i < sizeof zmm_page_css / sizeof zmm_page_css[0]; i++) zmm_sb_puts(b, zmm_page_css[i]);
    zmm_sb_puts(b, "</style></head>\n<body>\n<div id=\"app\"></div>\n"
                   "<script type=\"application/json\" id=\"zmm-data\">\n{\"kind\":");
    zmm_map_page_str(b, kind);
    zmm_sb_puts(b, ",\"title\":");
    zmm_map_page_str(b, title);
    zmm_sb_puts(b, ",\"layout\":");
    page_layout(b, &l);
    zmm_sb_puts(b, ",\"heap\":");
    page_heap(b, &m->stats);
    zmm_sb_puts(b, ",\"states\":[");
    for (int k = 0; k < ZMM_MAP_NSTATES; k++) {
        if (k) zmm_sb_putc(b, ',');
        zmm_map_page_str(b, zmm_block_state_name((zmm_block_state)k));
    }
    zmm_sb_puts(b, "]");
}

/* the end of the data and the script */
void zmm_map_page_close(zmm_strbuf *b)
{
    zmm_sb_puts(b, "}\n</script>\n<script>\n");
    for (size_t i = 0; i < sizeof zmm_page_js / sizeof zmm_page_js[0]; i++) zmm_sb_puts(b, zmm_page_js[i]);
    zmm_sb_puts(b, "</script>\n</body></html>\n");
}

/* ---- one state of the heap ----------------------------------------------------------- */

void zmm_map_page_stats(zmm_strbuf *b, const zmm_stats *s)
{
    zmm_sb_printf(b, "{\"size\":%zu,\"peak\":%zu,\"real_size\":%zu,\"real_peak\":%zu,\"cached\":%zu,"
                     "\"segments\":%zu,\"live_blocks\":%zu,\"free_bitmap\":\"%016llx\",\"large_free_bitmap\":\"%016llx\"}",
                  s->size, s->peak, s->real_size, s->real_peak, s->cached, s->segments, s->live_blocks,
                  (unsigned long long)s->free_bitmap, (unsigned long long)s->large_free_bitmap);
}

/* the parts as numbers in the order of `keys` (zmm_map_page_breakdown_keys) */
void zmm_map_page_breakdown(zmm_strbuf *b, const zmm_breakdown *bd)
{
    map_part parts[ZMM_MAP_MAX_PARTS];
    size_t n = zmm_map_breakdown_parts(bd, parts);
    zmm_sb_printf(b, "{\"real_size\":%zu,\"complete\":%s,\"requested_known\":%s,\"parts\":[", bd->real_size,
                  bd->complete ? "true" : "false", bd->requested_known ? "true" : "false");
    for (size_t i = 0; i < n; i++) {
        zmm_sb_puts(b, i ? ",[" : "[");
        zmm_map_page_str(b, parts[i].key);
        zmm_sb_printf(b, ",%zu]", parts[i].bytes);
    }
    zmm_sb_puts(b, "]}");
}

/* A block as the page reads it: size | state (sizes are multiples of 8, states
 * below 8), and for a used block of a heap that records requested sizes a
 * second number, the rounding (size - header - requested), small and short. */
void zmm_map_page_block(zmm_strbuf *b, const zmm_block_view *v, size_t header_size, bool track)
{
    if (v->state == ZMM_STATE_USED && track) {
        zmm_sb_printf(b, "%zu,%zu", v->size | (size_t)v->state, v->size - header_size - v->requested);
    } else {
        zmm_sb_printf(b, "%zu", v->size | (size_t)v->state);
    }
}

void zmm_map_page_segment(zmm_strbuf *b, const map_model *m, size_t i)
{
    const map_seg *s = &m->segs[i];
    size_t first = s->count ? (size_t)(m->blocks[s->first].address - s->v.address) : 0;
    zmm_sb_printf(b, "{\"addr\":%llu,\"size\":%zu,\"first\":%zu,\"storage\":", (unsigned long long)s->v.address,
                  s->v.size, first);
    zmm_map_page_str(b, s->v.storage ? s->v.storage : "?");
    zmm_sb_puts(b, ",\"b\":[");
    for (size_t j = 0; j < s->count; j++) {
        if (j) zmm_sb_putc(b, ',');
        zmm_map_page_block(b, &m->blocks[s->first + j], m->stats.header_size, m->stats.track_blocks);
    }
    zmm_sb_puts(b, "]");
    if (m->block_site) {
        /* the site of each block, an index into "sites" (-1: none) */
        zmm_sb_puts(b, ",\"site\":[");
        for (size_t j = 0; j < s->count; j++) {
            zmm_sb_printf(b, j ? ",%d" : "%d", m->block_site[s->first + j]);
        }
        zmm_sb_puts(b, "]");
    }
    zmm_sb_puts(b, "}");
}

void zmm_map_page_segments(zmm_strbuf *b, const map_model *m)
{
    zmm_sb_putc(b, '[');
    for (size_t i = 0; i < m->nsegs; i++) {
        if (i) zmm_sb_puts(b, ",\n");
        zmm_map_page_segment(b, m, i);
    }
    zmm_sb_putc(b, ']');
}

/* ---- the free lists, in list order, as indexes into the model's blocks ------------- */

typedef struct by_address { uintptr_t address; size_t index; } by_address;

static int cmp_address(const void *a, const void *b)
{
    uintptr_t x = ((const by_address *)a)->address, y = ((const by_address *)b)->address;
    return x < y ? -1 : x > y;
}

typedef struct list_writer {
    zmm_strbuf       *b;
    const by_address *sorted;
    size_t            n, written;
} list_writer;

static void list_put(list_writer *w, uintptr_t address)
{
    size_t lo = 0, hi = w->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->sorted[mid].address < address) lo = mid + 1;
        else hi = mid;
    }
    if (lo == w->n || w->sorted[lo].address != address) return;   /* not reached by the walk */
    zmm_sb_printf(w->b, w->written++ ? ",%zu" : "%zu", w->sorted[lo].index);
}

static void list_block_cb(int index, const zmm_block_view *block, void *ctx)
{
    (void)index;
    list_put(ctx, block->address);
}

static void list_node_cb(int index, const zmm_trie_node_view *node, void *ctx)
{
    (void)index;
    list_put(ctx, node->block.address);
}

typedef enum list_kind { LIST_BUCKET, LIST_TRIE, LIST_CACHE } list_kind;

static void page_lists_of(list_writer *w, const zmm_heap *heap, list_kind kind)
{
    zmm_sb_putc(w->b, '[');
    for (int i = 0; i < ZMM_NUM_BUCKETS; i++) {
        zmm_sb_puts(w->b, i ? ",[" : "[");
        w->written = 0;
        if (kind == LIST_BUCKET) zmm_inspect_free_bucket(heap, i, list_block_cb, w);
        else if (kind == LIST_CACHE) zmm_inspect_cache(heap, i, list_block_cb, w);
        else zmm_inspect_large_tree(heap, i, list_node_cb, list_block_cb, w);   /* pre-order, twins after their node */
        zmm_sb_putc(w->b, ']');
    }
    zmm_sb_putc(w->b, ']');
}

static bool page_lists(zmm_strbuf *b, const zmm_heap *heap, const map_model *m)
{
    by_address *sorted = m->nblocks ? malloc(m->nblocks * sizeof *sorted) : NULL;
    if (m->nblocks && !sorted) return false;
    for (size_t i = 0; i < m->nblocks; i++) sorted[i] = (by_address){ m->blocks[i].address, i };
    if (m->nblocks) qsort(sorted, m->nblocks, sizeof *sorted, cmp_address);
    list_writer w = { b, sorted, m->nblocks, 0 };
    zmm_sb_puts(b, "{\"bucket\":");
    page_lists_of(&w, heap, LIST_BUCKET);
    zmm_sb_puts(b, ",\n\"trie\":");
    page_lists_of(&w, heap, LIST_TRIE);
    zmm_sb_puts(b, ",\n\"cache\":");
    page_lists_of(&w, heap, LIST_CACHE);
    zmm_sb_puts(b, ",\n\"rest\":[");
    w.written = 0;
    zmm_inspect_rest(heap, list_block_cb, &w);
    zmm_sb_puts(b, "]}");
    free(sorted);
    return true;
}

/* ---- the explorer ----------------------------------------------------------------------- */

void zmm_map_render_html(zmm_strbuf *b, const zmm_heap *heap, const map_model *m, size_t width)
{
    zmm_map_page_open(b, "map", "zendmm heap map", m, width);
    zmm_sb_puts(b, ",\n\"state\":{\"complete\":");
    zmm_sb_puts(b, m->complete ? "true" : "false");
    zmm_sb_puts(b, ",\"stats\":");
    zmm_map_page_stats(b, &m->stats);
    zmm_sb_puts(b, ",\"breakdown\":");
    zmm_map_page_breakdown(b, &m->breakdown);
    zmm_sb_puts(b, ",\"sites\":[");
    for (size_t i = 0; i < m->nsites; i++) {
        if (i) zmm_sb_putc(b, ',');
        zmm_map_page_str(b, m->sites[i]);
    }
    zmm_sb_puts(b, "],\n\"segs\":");
    zmm_map_page_segments(b, m);
    zmm_sb_puts(b, ",\n\"lists\":");
    if (!page_lists(b, heap, m)) { b->oom = true; return; }
    zmm_sb_puts(b, "}");
    zmm_map_page_close(b);
}
