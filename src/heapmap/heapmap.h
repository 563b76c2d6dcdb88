/*
 * heapmap.h - pictures of a heap: a text map, a standalone SVG and the JSON
 * model both are drawn from.
 *
 * Pure C11, no PHP headers. The renderer reads the heap only through the
 * public inspection API of zendmm.h and never allocates from the heap it
 * draws: its own buffers, and the result, come from malloc.
 *
 * text  One line per segment (newest first, as segments_list and
 *       zendmm_segments()), scaled to the line width: a short prefix (index,
 *       size, and the storage scheme when segments come from more than one),
 *       then one character per column. A column stands for an equal share of
 *       the segment's blocks and shows the state that holds most of its bytes
 *       (ties: used, reserve, cached, rest, large, free); the last column is
 *       the segment's guard. A legend with a count of blocks per state, the
 *       stats and the two bitmaps (bit 0 leftmost) follow.
 * svg   Each segment a row; each block a <rect> whose width is proportional
 *       to its size and whose class is its state ("used", "free", ...), with a
 *       <title> giving address, size and bucket. A run of blocks narrower than
 *       a pixel is drawn as one rect of class "agg STATE" (STATE: the state of
 *       most of its bytes); the legend says how many. The guard is always its
 *       own rect (at least 2px wide, at the right end). The bitmaps are drawn as
 *       rows of bits (class "bit on" / "bit off"), the stats as text.
 * json  {"map":1, "complete":bool, "stats":{...}, "segments":[...],
 *       "buckets":{...}} where stats, segments and buckets have the keys and
 *       shapes of the PHP functions zendmm_stats(), zendmm_segments() and
 *       zendmm_buckets(): integers as PHP's (signed 64-bit) integers, so a
 *       bitmap with bit 63 set is negative and "limit" is -1 when there is none.
 */
#ifndef ZENDMM_HEAPMAP_H
#define ZENDMM_HEAPMAP_H

#include "zendmm.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum zmm_map_format {
    ZMM_MAP_TEXT = 0,
    ZMM_MAP_SVG,
    ZMM_MAP_JSON
} zmm_map_format;

/* width: text columns of a whole line (prefix included), SVG pixels of the
 * whole picture; 0 picks the default; other values are clamped into range.
 * JSON ignores it. */
#define ZMM_MAP_TEXT_WIDTH      80
#define ZMM_MAP_TEXT_MIN_WIDTH  40
#define ZMM_MAP_TEXT_MAX_WIDTH  1000
#define ZMM_MAP_SVG_WIDTH       1200
#define ZMM_MAP_SVG_MIN_WIDTH   400
#define ZMM_MAP_SVG_MAX_WIDTH   20000

/* "text", "svg", "json"; false for any other name. */
bool        zmm_map_format_from_name(const char *name, zmm_map_format *fmt);
const char *zmm_map_format_name(zmm_map_format fmt);

/* The character the text map uses for a state ('#' used, '.' free, ...). */
char        zmm_map_state_char(zmm_block_state state);

/* Render the map. On success *out is a NUL-terminated malloc'd string of *len
 * bytes (free it with zmm_heap_map_free() or free()) and true is returned.
 * false (and *out = NULL) when memory runs out or fmt is unknown. A heap whose
 * walk stops at damage is still drawn, as far as the walk went, with a note
 * ("complete": false in JSON). */
bool zmm_heap_map(const zmm_heap *heap, zmm_map_format fmt, size_t width, char **out, size_t *len);
void zmm_heap_map_free(char *out);

#ifdef __cplusplus
}
#endif
#endif /* ZENDMM_HEAPMAP_H */
