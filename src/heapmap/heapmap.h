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
 * html  The explorer: one self-contained page (inline CSS and script,
 *       nothing fetched) carrying the model as JSON and the SVG's layout;
 *       its script draws a row per segment and a rect per block (runs of
 *       sub-pixel blocks merged as in the SVG), shows a block's offset, sizes,
 *       state, bucket or trie slot (and site) on hover, highlights a bucket's,
 *       trie slot's, the cache's or the rest list's blocks numbered in list
 *       order, and zooms into one segment. width as for SVG.
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
    ZMM_MAP_JSON,
    ZMM_MAP_HTML
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

/* "text", "svg", "json", "html"; false for any other name. */
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

/* ---- the trace player --------------------------------------------------------------- *
 * A page like the explorer's with a timeline of size, real_size, peak and
 * cached, a slider and step buttons: the heap after every `every`-th step of
 * a replay (every = zmm_map_player_interval(nsteps): 1, 10, 100 or 1000, the
 * smallest that keeps the frames to 5000, so every 1000th step is always
 * one), exact at each, with the segments taken or given back and the block
 * placed or freed by the frame's last step marked. The caller replays and
 * calls zmm_map_player_frame() before the first step (step 0, ev NULL) and
 * after every every-th step and the last one. */
typedef struct zmm_map_player zmm_map_player;
typedef enum zmm_player_op { ZMM_PLAYER_NONE = 0, ZMM_PLAYER_ALLOC, ZMM_PLAYER_FREE, ZMM_PLAYER_REALLOC } zmm_player_op;
typedef struct zmm_player_event {
    zmm_player_op op;     /* the frame's last step */
    uintptr_t     ptr;    /* its block's user pointer (the new one of a realloc; the freed one of a free) */
    size_t        size;   /* the size asked for (0 for a free) */
} zmm_player_event;

size_t          zmm_map_player_interval(size_t nsteps);
/* name: shown in the page's title (the trace's file name); NULL when out of memory */
zmm_map_player *zmm_map_player_new(const char *name, size_t nsteps);
size_t          zmm_map_player_every(const zmm_map_player *p);
bool            zmm_map_player_frame(zmm_map_player *p, const zmm_heap *heap, size_t step, const zmm_player_event *ev);
/* The page (malloc'd, *len bytes; free()); false when memory ran out or no frame was taken.
 * width as for the SVG map. The player is still to be freed. */
bool            zmm_map_player_finish(zmm_map_player *p, size_t width, char **out, size_t *len);
void            zmm_map_player_free(zmm_map_player *p);

#ifdef __cplusplus
}
#endif
#endif /* ZENDMM_HEAPMAP_H */
