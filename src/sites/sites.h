/*
 * sites.h - allocation sites: which code made each live block of a heap.
 *
 * Pure C11, no PHP headers; only the core's public API (zendmm.h) and lib.
 * A site table lives BESIDE a heap, never in it: the caller that allocates
 * (the binding: a script's zendmm_emalloc(), the engine heap's handlers)
 * records each block's user pointer with its requested size and a site, and
 * forgets it when it frees the block. Block headers stay 5.3's, so a heap
 * with sites places every block exactly as one without. The table's own
 * memory comes from malloc, never from a heap of the core.
 *
 * A site is a call path, innermost frame first, of frames {function, file,
 * line}; equal paths are one site (interned: ids from 1 in order of first
 * use; 0 is "no site", labelled "(unknown)"). Strings are copied.
 *
 * Reports read the heap through zmm_inspect_segments(): each USED block is
 * looked up by its user pointer, so a block's size is the true size the
 * heap gave it (more than zmm_true_size() when the remainder was too small
 * to split off), and what the 5.3 design charges it is that size minus the
 * request: the header (header_size of zmm_heap_stats) and the rounding.
 */
#ifndef ZENDMM_SITES_H
#define ZENDMM_SITES_H

#include "zendmm.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint32_t zmm_site_id;           /* 0: no site */
#define ZMM_SITE_NONE 0u
#define ZMM_SITE_UNKNOWN_LABEL "(unknown)"
/* call paths longer than this are cut (the innermost frames are kept) */
#define ZMM_SITES_MAX_DEPTH 64

typedef struct zmm_site_frame {
    const char *function;   /* "Class::method", "{main}", "(internal)" ... */
    const char *file;       /* "" when none */
    uint32_t    line;       /* 0 when none */
} zmm_site_frame;

typedef struct zmm_sites zmm_sites;

/* NULL when malloc fails. */
zmm_sites *zmm_sites_create(void);
void       zmm_sites_destroy(zmm_sites *sites);
/* Forget every block and every site (the heap's partial or full shutdown). */
void       zmm_sites_reset(zmm_sites *sites);

/* ---- sites ----------------------------------------------------------------- */

/* The id of a call path (depth frames, innermost first; cut to
 * ZMM_SITES_MAX_DEPTH). ZMM_SITE_NONE when depth is 0 or memory runs out. */
zmm_site_id zmm_sites_intern(zmm_sites *sites, const zmm_site_frame *frames, size_t depth);
/* Sites interned so far; ids are 1..count. */
size_t      zmm_sites_count(const zmm_sites *sites);
/* Frames of a site (0 for an unknown id); frame i = 0 is the innermost.
 * The strings live until the next reset. */
size_t      zmm_site_depth(const zmm_sites *sites, zmm_site_id site);
bool        zmm_site_frame_at(const zmm_sites *sites, zmm_site_id site, size_t i, zmm_site_frame *out);
/* "function (file:line)" of the innermost frame ("function" alone without a
 * file); "(unknown)" for ZMM_SITE_NONE. snprintf's contract: the length it
 * needs, buf always NUL-terminated when len > 0. */
size_t      zmm_site_label(const zmm_sites *sites, zmm_site_id site, char *buf, size_t len);

/* A memo for callers that can name a call path by a few words (the
 * addresses of its frames' instructions, say), so the frames' strings need
 * not be built and hashed on every allocation. Direct-mapped; a key longer
 * than ZMM_SITES_MEMO_WORDS always misses. Reset with the table: the words
 * must stay meaningful until then. */
#define ZMM_SITES_MEMO_WORDS 16
zmm_site_id zmm_sites_memo_find(const zmm_sites *sites, const uintptr_t *key, size_t n);
void        zmm_sites_memo_store(zmm_sites *sites, const uintptr_t *key, size_t n, zmm_site_id site);

/* ---- blocks ---------------------------------------------------------------- */

/* The block at user pointer ptr was made for a request of requested bytes at
 * site. A pointer recorded again replaces its entry. false when memory runs
 * out (the block is then unknown: reports give it ZMM_SITE_NONE). */
bool   zmm_sites_record(zmm_sites *sites, const void *ptr, size_t requested, zmm_site_id site);
/* The block is freed: its site goes with it. Unknown pointers are ignored. */
void   zmm_sites_forget(zmm_sites *sites, const void *ptr);
/* realloc moved (or kept) the block old_ptr to new_ptr with a new request:
 * it keeps its site. An unknown old_ptr records new_ptr with ZMM_SITE_NONE. */
bool   zmm_sites_move(zmm_sites *sites, const void *old_ptr, const void *new_ptr, size_t requested);
/* The recorded site and request of a block; false when it is not recorded. */
bool   zmm_sites_lookup(const zmm_sites *sites, const void *ptr, zmm_site_id *site, size_t *requested);
/* Blocks recorded now. */
size_t zmm_sites_blocks(const zmm_sites *sites);
/* The label of the block at user pointer ptr (as zmm_site_label); 0 and ""
 * when the block is not recorded. For pictures that show a block's site. */
size_t zmm_sites_block_label(const zmm_sites *sites, const void *ptr, char *buf, size_t len);

/* ---- attribution ----------------------------------------------------------- */

typedef struct zmm_site_usage {
    zmm_site_id site;
    size_t blocks;       /* live blocks */
    size_t requested;    /* bytes asked for */
    size_t bytes;        /* their true sizes: what the heap holds for them */
    size_t header;       /* of bytes: blocks x the header size */
    size_t rounding;     /* of bytes: bytes - requested - header */
} zmm_site_usage;

/* The live (USED) blocks of heap by site, largest bytes first (ties: more
 * blocks, then the older site; ZMM_SITE_NONE collects the blocks not
 * recorded). *out is malloc'd (free() it), *count entries; total (may be
 * NULL) gets the sums with site ZMM_SITE_NONE. The reserve and cached blocks
 * are no site's. sites may be NULL (every block is then unknown). false when
 * the heap is damaged or memory runs out (*out NULL). */
bool zmm_sites_usage(const zmm_sites *sites, const zmm_heap *heap,
                     zmm_site_usage **out, size_t *count, zmm_site_usage *total);

/* ---- pinning --------------------------------------------------------------- */

/* Segments that hold little: the blocks that keep each from going back to
 * storage. A segment qualifies when its live bytes (used blocks and the
 * reserve, true sizes) are at most max_use x its size; if those blocks
 * moved (and the cache were flushed), the heap would hand back the whole
 * segment (5.3 keeps no empty segment). */
typedef struct zmm_pinned_block {
    uintptr_t   ptr;        /* user pointer */
    size_t      size;       /* true size */
    size_t      requested;  /* recorded request, 0 when unknown (and the reserve) */
    zmm_site_id site;
    bool        reserve;    /* the heap's reserve block */
} zmm_pinned_block;

typedef struct zmm_pinned_segment {
    uintptr_t address;
    size_t    size;         /* what it would give back */
    size_t    live_bytes;   /* used blocks and the reserve */
    size_t    cached_bytes; /* cached blocks: a cache flush frees them */
    size_t    free_bytes;   /* free, rest and large free blocks */
    size_t    first, count; /* its blocks in zmm_pinning.blocks */
} zmm_pinned_segment;

typedef struct zmm_pinning {
    zmm_pinned_segment *segments;   /* newest first, as zmm_inspect_segments */
    size_t              nsegments;
    zmm_pinned_block   *blocks;
    size_t              nblocks;
    size_t              segments_seen;
    size_t              returnable; /* sum of the pinned segments' sizes */
} zmm_pinning;

/* max_use in [0, 1]. sites may be NULL (sites then ZMM_SITE_NONE). false
 * when the heap is damaged or memory runs out; free with zmm_pinning_free
 * either way. */
bool zmm_sites_pinning(const zmm_sites *sites, const zmm_heap *heap, double max_use, zmm_pinning *out);
void zmm_pinning_free(zmm_pinning *p);

/* ---- dumps ----------------------------------------------------------------- */

typedef enum zmm_sites_format {
    ZMM_SITES_CALLGRIND = 0,  /* callgrind's format: events Bytes Blocks Requested */
    ZMM_SITES_PPROF,          /* profile.proto, gzip'd: inuse_objects, inuse_space */
    ZMM_SITES_FOLDED          /* flamegraph.pl input: "outer;...;inner bytes" */
} zmm_sites_format;

/* "callgrind", "pprof", "folded"; false for any other name. */
bool        zmm_sites_format_from_name(const char *name, zmm_sites_format *fmt);
const char *zmm_sites_format_name(zmm_sites_format fmt);

/* The live blocks of heap by site in format fmt; *out is malloc'd (free()
 * it), *len bytes (pprof is binary). false when the heap is damaged or memory
 * runs out. */
bool zmm_sites_dump(const zmm_sites *sites, const zmm_heap *heap, zmm_sites_format fmt,
                    char **out, size_t *len);

#ifdef __cplusplus
}
#endif
#endif /* ZENDMM_SITES_H */
