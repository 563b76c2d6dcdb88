/*
 * zendmm.h - public interface of the zendmm heap core.
 *
 * A standalone rebuild of the PHP 5.2/5.3 Zend memory manager design: storage
 * handlers hand out segments, segments are carved into blocks with boundary-tag
 * headers, free blocks live in 64 exact-size buckets (with a bitmap), a bitwise
 * trie of large blocks (with a bitmap) or the rest list, and freed small blocks
 * pass through a per-bucket cache first.
 *
 * Pure C11, no PHP headers. Nothing here ever ends the process: every failure
 * is reported through the heap's error callback and a NULL / false return.
 */
#ifndef ZENDMM_H
#define ZENDMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ZMM_VERSION "0.1.0"

/* ---- fixed geometry (64-bit release build of 5.3) ------------------------ */
#define ZMM_DEFAULT_ALIGNMENT 8                           /* ZEND_MM_ALIGNMENT of 5.3 on x86-64 */
#define ZMM_BUCKET_WIDTH     8                            /* bytes between small buckets, any alignment */
#define ZMM_NUM_BUCKETS      ((int)(sizeof(size_t) * 8))   /* 64 on LP64 */
#define ZMM_SEG_SIZE         (256 * 1024)                 /* default segment size */
#define ZMM_RESERVE_SIZE     (8 * 1024)
#define ZMM_CACHE_SIZE       ((size_t)ZMM_NUM_BUCKETS * 4 * 1024)  /* 256 KB */
#define ZMM_COMPACT_SIZE     (2 * 1024 * 1024)
#define ZMM_DEFAULT_LIMIT    ((size_t)1 << (ZMM_NUM_BUCKETS - 2))
#define ZMM_NO_LIMIT         SIZE_MAX
#define ZMM_MAX_REST_BLOCKS  16                           /* cap on large rest blocks (5.4) */

/* ---- storage -------------------------------------------------------------- */

/* A segment as storage hands it out: its size and the link of segments_list. */
typedef struct zmm_segment {
    size_t              size;
    struct zmm_segment *next_segment;
} zmm_segment;

typedef struct zmm_storage zmm_storage;

/* The handler table of a storage scheme (5.3's zend_mm_mem_handlers).
 * Segments must be aligned to the heap's alignment (malloc and mmap give at
 * least 16): a misaligned segment from alloc is given back and the request
 * fails as out of memory. */
typedef struct zmm_storage_handlers {
    const char   *name;
    zmm_storage *(*init)(void *params);            /* NULL on failure */
    void         (*dtor)(zmm_storage *storage);
    size_t       (*compact)(zmm_storage *storage); /* bytes released, 0 if unknown */
    zmm_segment *(*alloc)(zmm_storage *storage, size_t size);
    zmm_segment *(*realloc)(zmm_storage *storage, zmm_segment *seg, size_t size);
    void         (*free)(zmm_storage *storage, zmm_segment *seg);
} zmm_storage_handlers;

struct zmm_storage {
    const zmm_storage_handlers *handlers;
    void                       *data;   /* scheme-private: fd of mmap_zero, HANDLE of win32 */
};

/* The schemes this build has, in 5.3's table order (win32 first on Windows). */
const zmm_storage_handlers *const *zmm_storage_schemes(size_t *count);
/* Look a scheme up by exact name; NULL when this build has none of that name. */
const zmm_storage_handlers *zmm_storage_find(const char *name);
/* The default scheme: "win32" on Windows, "malloc" elsewhere. */
const zmm_storage_handlers *zmm_storage_default(void);
/* Scheme-private data as text for inspection ("fd=3", "heap=0x..."); "" if none. */
void zmm_storage_describe(const zmm_storage *storage, char *buf, size_t len);

/* Shared helpers for schemes that need no state (5.3's "dummy" handlers). */
zmm_storage *zmm_storage_dummy_init(void *params);
void         zmm_storage_dummy_dtor(zmm_storage *storage);
size_t       zmm_storage_dummy_compact(zmm_storage *storage);

/* ---- errors --------------------------------------------------------------- */

typedef enum zmm_error_kind {
    ZMM_OK = 0,
    ZMM_ERR_LIMIT,        /* "Allowed memory size of N bytes exhausted (tried to allocate M bytes)" */
    ZMM_ERR_OOM,          /* "Out of memory (allocated N) (tried to allocate M bytes)" */
    ZMM_ERR_OVERFLOW,     /* "Possible integer overflow in memory allocation (N * M + K)" */
    ZMM_ERR_INVALID_PTR,  /* pointer is not a live block of this heap */
    ZMM_ERR_STORAGE,      /* "Cannot initialize zend_mm storage [name]" */
    ZMM_ERR_CONFIG,       /* bad configuration value */
    ZMM_ERR_CORRUPTED     /* "zend_mm_heap corrupted": a damaged header or canary was met */
} zmm_error_kind;

typedef struct zmm_heap zmm_heap;

/* Called once per failure, before the failing call returns NULL/false.
 * The heap is consistent when it is called; the message is only valid during the call. */
typedef void (*zmm_error_fn)(zmm_heap *heap, zmm_error_kind kind, const char *message, void *ctx);

/* ---- configuration -------------------------------------------------------- */

typedef struct zmm_config {
    const zmm_storage_handlers *storage;   /* NULL: the default scheme */
    void       *storage_params;            /* passed to storage->init */
    size_t      segment_size;              /* block_size: power of two >= seg+hdr; 0 = 256 KB */
    size_t      compact_size;              /* 0 disables compaction at partial shutdown */
    size_t      limit;                     /* ZMM_NO_LIMIT for none */
    size_t      reserve_size;              /* 8192 as in 5.3; 0 for none */
    size_t      cache_size;                /* cap of the small-block cache in bytes */
    size_t      alignment;                 /* of block sizes and user pointers: 8 (5.3) or 16; 0 = 8 */
    bool        cache;                     /* small-block cache on/off */
    bool        use_zend_alloc;            /* false: pass-through to sys_malloc & co */
    bool        cookies;                   /* ZEND_MM_COOKIES: per-block cookie word */
    bool        protection;                /* ZEND_MM_HEAP_PROTECTION: start/end canaries */
    bool        fill_freed;                /* fill freed user bytes with 0x5A */
    bool        track_blocks;              /* keep the live-block index (pointer validation) */
    bool        exact_fit;                 /* large blocks by true best fit, not 5.3's search */
    bool        cache_stat;                /* ZEND_MM_CACHE_STAT: count the cache's statistics */
    /* pass-through allocator of use_zend_alloc = false (5.3's _malloc/_free/_realloc) */
    void     *(*sys_malloc)(size_t);
    void      (*sys_free)(void *);
    void     *(*sys_realloc)(void *, size_t);
    zmm_error_fn on_error;
    void        *error_ctx;
} zmm_config;

/* Fill with 5.3's defaults: malloc (win32 on Windows), 256 KB segments, 2 MB
 * compact size, limit 2^62, 8 KB reserve, cache on with 256 KB, no protections,
 * block tracking on, alignment 8, 5.3's own large-block search (exact_fit off),
 * cache statistics counted (cache_stat; 5.3's release builds had them off). */
void zmm_config_defaults(zmm_config *cfg);

/* Apply USE_ZEND_ALLOC, ZEND_MM_MEM_TYPE, ZEND_MM_SEG_SIZE, ZEND_MM_COMPACT.
 * getenv_fn(name) returns the value or NULL (pass NULL to use getenv()).
 * On a bad value writes a message (5.3's wording) into err and returns false;
 * cfg is then left untouched. */
bool zmm_config_from_env(zmm_config *cfg, const char *(*getenv_fn)(const char *name),
                         char *err, size_t errlen);

/* Parse a number as zend_atoi does: strtol base 0, then k/m/g suffix (x1024 each).
 * Stricter than 5.3: the whole string must parse and must not overflow. */
bool zmm_parse_size(const char *s, long long *out);

/* Check a configuration; false with a message in err when a value is refused
 * ("ZEND_MM_SEG_SIZE must be a power of two", "... is too small", ...). */
bool zmm_config_validate(const zmm_config *cfg, char *err, size_t errlen);

/* ---- heap lifecycle ------------------------------------------------------- */

/* Create a heap (initialises storage, allocates the reserve). NULL on failure,
 * with the reason in err (e.g. "Cannot initialize zend_mm storage [mmap_zero]"). */
zmm_heap *zmm_heap_create(const zmm_config *cfg, char *err, size_t errlen);
/* Full shutdown: every segment back to storage, storages destroyed, heap freed. */
void zmm_heap_destroy(zmm_heap *heap);
/* Partial shutdown (end of request): free every segment, compact the storage
 * when real_peak > compact_size, reset counters and lists, re-make the reserve.
 * Every earlier pointer becomes invalid. The limit is kept. */
void zmm_heap_shutdown(zmm_heap *heap);

void zmm_heap_set_error_handler(zmm_heap *heap, zmm_error_fn fn, void *ctx);

/* ---- allocation ----------------------------------------------------------- */

void  *zmm_malloc(zmm_heap *heap, size_t size);
void  *zmm_calloc(zmm_heap *heap, size_t nmemb, size_t size);
void  *zmm_realloc(zmm_heap *heap, void *ptr, size_t size);      /* NULL on failure: ptr stays live */
void   zmm_free(zmm_heap *heap, void *ptr);                      /* NULL is a no-op */
void  *zmm_safe_malloc(zmm_heap *heap, size_t nmemb, size_t size, size_t offset);
void  *zmm_safe_realloc(zmm_heap *heap, void *ptr, size_t nmemb, size_t size, size_t offset);
char  *zmm_strdup(zmm_heap *heap, const char *s);
char  *zmm_strndup(zmm_heap *heap, const char *s, size_t length);

/* Checked variants for untrusted pointers: a pointer that is not a live block
 * of this heap is reported as ZMM_ERR_INVALID_PTR and nothing is touched. */
bool   zmm_free_checked(zmm_heap *heap, void *ptr);
void  *zmm_realloc_checked(zmm_heap *heap, void *ptr, size_t size);

/* nmemb * size + offset with overflow detection. */
bool zmm_safe_address(size_t nmemb, size_t size, size_t offset, size_t *result);

/* ---- pointer validation --------------------------------------------------- */

/* True when ptr is the user pointer of a live (handed out, not freed) block of
 * this heap. O(1); reads no memory outside the heap's own bookkeeping.
 * Needs track_blocks (always true in pass-through mode). */
bool   zmm_is_live(const zmm_heap *heap, const void *ptr);
/* One lookup for both questions: true when ptr is live, with the bytes the
 * caller may use in *usable (as zmm_usable_size). */
bool   zmm_live_usable(const zmm_heap *heap, const void *ptr, size_t *usable);
/* Bytes the caller may use at ptr: the requested size (0 if not live). A heap
 * without the index (track_blocks off) knows only the block's capacity. */
size_t zmm_usable_size(const zmm_heap *heap, const void *ptr);
/* 5.3's _zend_mm_block_size: whole block size, header included (requested size
 * when protection is on). 0 when not live. */
size_t zmm_block_size(const zmm_heap *heap, const void *ptr);

/* True when ptr lies anywhere inside one of this heap's segments (a block,
 * a header, the guard): a pointer the heap did not make is not one of its
 * blocks. O(1) outside the span of the segments or near an address found
 * before, else O(log n) on the registry; reads no heap memory. A
 * pass-through heap owns nothing. Not const: it remembers what it found. */
bool   zmm_heap_owns(zmm_heap *heap, const void *ptr);

/* zmm_heap_owns' memo, for a caller's inline fast path (the engine heap's
 * efree): per 2^ZMM_OWNS_MEMO_WINDOW bytes of addresses, one live segment
 * found there before, {0, 0} when none. A hit proves ownership; a miss says
 * nothing: ask zmm_heap_owns(). The table lives as long as the heap. */
#define ZMM_OWNS_MEMO_SLOTS  256
#define ZMM_OWNS_MEMO_WINDOW 16
typedef struct zmm_owns_memo { uintptr_t start; size_t size; } zmm_owns_memo;
const zmm_owns_memo *zmm_heap_owns_memo(const zmm_heap *heap);
static inline bool zmm_owns_memo_hit(const zmm_owns_memo *memo, const void *ptr)
{
    const zmm_owns_memo *m = &memo[((uintptr_t)ptr >> ZMM_OWNS_MEMO_WINDOW) & (ZMM_OWNS_MEMO_SLOTS - 1)];
    return (uintptr_t)ptr - m->start < m->size;
}

/* ---- storage, limit, compaction ------------------------------------------- */

/* Switch the scheme new segments come from. Live blocks stay valid: each
 * segment is freed through the storage that made it. false on init failure. */
bool   zmm_heap_set_storage(zmm_heap *heap, const zmm_storage_handlers *handlers, void *params);
const zmm_storage_handlers *zmm_heap_storage(const zmm_heap *heap);
/* Returns the previous limit. ZMM_NO_LIMIT lifts it; anything else is clamped
 * to >= segment size, as zend_set_memory_limit did. */
size_t zmm_heap_set_limit(zmm_heap *heap, size_t limit);
/* Flush the cache (releasing segments it empties) and compact every storage.
 * Returns the bytes handed back to storage. */
size_t zmm_heap_compact(zmm_heap *heap);
/* Empty the small-block cache into the free lists (5.3's zend_mm_free_cache). */
void   zmm_heap_flush_cache(zmm_heap *heap);
void   zmm_heap_reset_peak(zmm_heap *heap);

/* ---- statistics ----------------------------------------------------------- */

typedef struct zmm_cache_stat {
    int count, max_count, hit, miss;
} zmm_cache_stat;

typedef struct zmm_stats {
    size_t size, peak, real_size, real_peak, limit;
    size_t block_size, compact_size, reserve_size;
    size_t cached, cache_size;
    size_t segments;          /* segments held */
    size_t live_blocks;       /* blocks handed out and not freed (tracked heaps) */
    size_t free_bitmap, large_free_bitmap;
    int    use_zend_alloc, overflow, internal, rest_count;
    bool   reserve_held, cache_enabled, cookies, protection, fill_freed, track_blocks, exact_fit;
    bool   cache_stats;       /* the heap counts cache_stat (else it is all 0) */
    const char *storage;      /* current scheme name */
    char   storage_data[64];  /* scheme-private data as text */
    /* layout of this heap's blocks */
    size_t alignment, header_size, free_header_size, min_block_size, min_request, max_small_size;
    zmm_cache_stat cache_stat[ZMM_NUM_BUCKETS + 1];
} zmm_stats;

void zmm_heap_stats(const zmm_heap *heap, zmm_stats *out);
/* memory_get_usage(): real ? real_size : size - cached */
size_t zmm_memory_usage(const zmm_heap *heap, bool real);
size_t zmm_memory_peak_usage(const zmm_heap *heap, bool real);

/* ---- size arithmetic (this heap's layout) ---------------------------------- */

/* True size (header included) of a request; 0 when the request overflows. */
size_t zmm_true_size(const zmm_heap *heap, size_t request);
/* Bucket index of a small true size, or -1 when it is large. */
int    zmm_bucket_index(const zmm_heap *heap, size_t true_size);
/* Index of the most / least significant set bit (x != 0). */
int    zmm_high_bit(size_t x);
int    zmm_low_bit(size_t x);

/* ---- inspection ------------------------------------------------------------ */

typedef enum zmm_block_state {
    ZMM_STATE_USED = 0,   /* handed out */
    ZMM_STATE_FREE,       /* free, in a small bucket */
    ZMM_STATE_LARGE,      /* free, in the large trie (node or twin) */
    ZMM_STATE_REST,       /* free, on the rest list */
    ZMM_STATE_CACHED,     /* freed into the small-block cache (header still USED) */
    ZMM_STATE_GUARD,      /* the guard block closing a segment */
    ZMM_STATE_RESERVE     /* the 8 KB reserve */
} zmm_block_state;

const char *zmm_block_state_name(zmm_block_state state); /* "used", "free", "large", ... */

typedef struct zmm_block_view {
    uintptr_t address;    /* header address */
    uintptr_t ptr;        /* user pointer (address + header size) */
    size_t    size;       /* block size, header included */
    size_t    requested;  /* requested size for used blocks of tracked heaps, else 0 */
    int       bucket;     /* small bucket index, -1 for large sizes */
    int       large_index;/* trie index (high bit) for large sizes, -1 for small */
    zmm_block_state state;
} zmm_block_view;

typedef struct zmm_segment_view {
    uintptr_t   address;
    size_t      size;
    const char *storage;  /* scheme that made it */
    size_t      blocks;   /* blocks in it, guard included */
} zmm_segment_view;

/* Walk every segment (newest first, as segments_list) and every block in it.
 * Either callback may be NULL. Returns false if the heap is damaged (the walk
 * stops at the damage). Never allocates from the heap. */
typedef void (*zmm_segment_cb)(const zmm_segment_view *seg, void *ctx);
typedef void (*zmm_block_cb)(const zmm_segment_view *seg, const zmm_block_view *block, void *ctx);
bool zmm_inspect_segments(const zmm_heap *heap, zmm_segment_cb on_segment, zmm_block_cb on_block, void *ctx);

/* One live block: its view and the segment holding it (O(log n); seg may be
 * NULL, and its blocks count is left 0). false when ptr is not live. In
 * pass-through mode seg gets address 0 and storage "system". */
bool zmm_block_info(const zmm_heap *heap, const void *ptr, zmm_block_view *block, zmm_segment_view *seg);

/* Free lists: the blocks of small bucket i, oldest first (the order alloc takes them). */
typedef void (*zmm_list_cb)(int index, const zmm_block_view *block, void *ctx);
void zmm_inspect_free_bucket(const zmm_heap *heap, int bucket, zmm_list_cb cb, void *ctx);
/* The cache list of bucket i, most recent first (the order alloc takes them). */
void zmm_inspect_cache(const zmm_heap *heap, int bucket, zmm_list_cb cb, void *ctx);
/* The rest list, newest first. */
void zmm_inspect_rest(const zmm_heap *heap, zmm_list_cb cb, void *ctx);

/* The large trie k: a pre-order walk. depth 0 is the root; path holds the
 * child bits taken from the root (bit depth-1 is the last one); twins is the
 * number of equal-size blocks hanging off the node. */
typedef struct zmm_trie_node_view {
    zmm_block_view block;
    int       depth;
    uint64_t  path;
    int       child_bit;   /* which child of its parent (0/1), -1 for the root */
    uintptr_t child[2];    /* header addresses of children, 0 if none */
    size_t    twins;
} zmm_trie_node_view;
typedef void (*zmm_trie_cb)(int index, const zmm_trie_node_view *node, void *ctx);
/* Calls twin_cb (may be NULL) for each twin right after its node. */
void zmm_inspect_large_tree(const zmm_heap *heap, int index, zmm_trie_cb node_cb,
                            zmm_list_cb twin_cb, void *ctx);

/* Where real_size goes: every byte of every segment in exactly one part, so
 * the parts add up to real_size (on an intact heap; `complete` false means the
 * walk stopped at damage and the parts cover only what it saw).
 * Blocks handed out are split three ways: the bytes asked for (payload), a
 * header each, and the rest of their true size (rounding: alignment, the
 * minimum block, the end canary under protection, a tail too small to split
 * off). A heap without the live-block index (track_blocks off, the engine
 * heap) does not know what was asked for: requested_known is false, payload
 * and rounding are 0, and only their sum payload_and_rounding is told. */
typedef struct zmm_breakdown {
    size_t real_size;             /* the heap's counter, for the caller's check */
    size_t payload;               /* requested bytes of the blocks handed out */
    size_t headers;               /* their headers */
    size_t rounding;              /* the rest of their true sizes */
    size_t payload_and_rounding;  /* payload + rounding, known on every heap */
    size_t cached;                /* blocks in the small-block cache */
    size_t free_small;            /* free blocks in the small buckets */
    size_t free_large;            /* free blocks in the large trie */
    size_t rest;                  /* free blocks on the rest list */
    size_t segment_overhead;      /* segment headers and guard blocks */
    size_t reserve;               /* the reserve block */
    size_t used_blocks;           /* blocks handed out (reserve and cache not counted) */
    bool   requested_known;
    bool   complete;
} zmm_breakdown;

/* Fill out; returns out->complete. The sum of payload_and_rounding, headers,
 * cached, free_small, free_large, rest, segment_overhead and reserve is
 * real_size. Walks every block (O(blocks)); never allocates from the heap. */
bool zmm_heap_breakdown(const zmm_heap *heap, zmm_breakdown *out);
/* That sum (for the caller's check). */
size_t zmm_breakdown_sum(const zmm_breakdown *b);

/* ---- integrity check ------------------------------------------------------- */

/* Walk every segment, block, list, bitmap, the trie and the cache; report each
 * problem as one line of text. Follows no pointer not first proved to lie
 * inside one of the heap's segments. Returns the number of problems. */
typedef void (*zmm_problem_cb)(const char *problem, void *ctx);
size_t zmm_heap_check(const zmm_heap *heap, zmm_problem_cb cb, void *ctx);

/* ---- test hooks ----------------------------------------------------------- */

/* Header address of a user pointer (ptr - header size); for tests that damage
 * a header on purpose. */
void *zmm_block_header(const zmm_heap *heap, void *ptr);

#ifdef __cplusplus
}
#endif
#endif /* ZENDMM_H */
