/*
 * trace.h - allocation traces: a compact binary format, a streaming writer,
 * a reader, and a replay program that runs a trace against a zmm_heap.
 *
 * Pure C11, no PHP headers. The writer takes addresses and sizes as plain
 * integers, so it can record any allocator (the extension records PHP's own
 * heap with it) and tests can write traces by hand.
 *
 * Format, version 1 (all integers little-endian; bench/README.md has the same
 * description with examples):
 *
 *   header, 16 bytes:
 *     0  8  magic "ZMMTRACE"
 *     8  2  version (1)
 *     10 1  pointer shift S (3: pointers are 8-byte aligned)
 *     11 1  pointer size in bytes of the recording process (8)
 *     12 4  reserved, 0
 *
 *   then records, each one tag byte and its fields:
 *     tag & 0x0F  operation             fields
 *       1 ALLOC                          ptr, size
 *       2 FREE                           ptr
 *       3 REALLOC                        old, new, size
 *       4 FAILED_ALLOC                   size
 *       5 FAILED_REALLOC                 old, size
 *       6 FREE_NULL                      (none)
 *       15 END                           (none; written by a clean close)
 *     tag & 0x10  RAW: the pointers of this record are not divisible by 2^S,
 *                 so their deltas are stored unshifted
 *     tag & 0x20  VIA_REALLOC: an ALLOC / FAILED_ALLOC that was a realloc(NULL, size)
 *     tag & 0xC0  reserved, 0
 *
 *   ptr / old / new: zigzag LEB128 varint of (address - previous address),
 *   divided by 2^S unless RAW. The previous address starts at 0 and becomes
 *   each pointer field as it is written, in order (a REALLOC stores old-prev,
 *   then new-old). size: unsigned LEB128 varint of the requested size.
 *
 * A file ends at a record boundary: the writer flushes its buffer before a
 * record that might not fit, so a process killed while recording leaves a
 * readable file missing at most the unflushed buffer (ZMM_TRACE_BUFFER
 * bytes). A file without END is "incomplete" but valid.
 */
#ifndef ZENDMM_TRACE_H
#define ZENDMM_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "zendmm.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ZMM_TRACE_MAGIC       "ZMMTRACE"
#define ZMM_TRACE_VERSION     1
#define ZMM_TRACE_HEADER_SIZE 16
#define ZMM_TRACE_SHIFT       3
#define ZMM_TRACE_MAX_RECORD  31          /* tag + 3 varints of at most 10 bytes */
#define ZMM_TRACE_BUFFER      (64 * 1024) /* the writer's buffer */

typedef enum zmm_trace_op {
    ZMM_TRACE_ALLOC          = 1,
    ZMM_TRACE_FREE           = 2,
    ZMM_TRACE_REALLOC        = 3,
    ZMM_TRACE_FAILED_ALLOC   = 4,
    ZMM_TRACE_FAILED_REALLOC = 5,
    ZMM_TRACE_FREE_NULL      = 6,
    ZMM_TRACE_END            = 15
} zmm_trace_op;

#define ZMM_TRACE_OP_MASK        0x0Fu
#define ZMM_TRACE_F_RAW          0x10u
#define ZMM_TRACE_F_VIA_REALLOC  0x20u

/* ---- varints (exposed for tests and other tools) --------------------------- */

static inline uint64_t zmm_zigzag(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }
static inline int64_t  zmm_unzigzag(uint64_t u) { return (int64_t)(u >> 1) ^ -(int64_t)(u & 1); }
/* Write v as LEB128 into out (room for 10 bytes); returns the bytes written. */
size_t zmm_varint_put(unsigned char *out, uint64_t v);
/* Read a LEB128 varint from [*pos, len) and move *pos past it. false when it
 * is cut short by len (*pos is then len) or does not fit 64 bits (*pos < len). */
bool   zmm_varint_get(const unsigned char *in, size_t len, size_t *pos, uint64_t *v);

/* ---- writer ------------------------------------------------------------------ */

/* What a writer has recorded. Counts are of calls, as the hooks saw them:
 * allocs = malloc calls, frees = free calls (free(NULL) included), reallocs =
 * realloc calls (realloc(NULL, n) included); failed counts the allocs and
 * reallocs that returned NULL. */
typedef struct zmm_trace_counts {
    uint64_t allocs, frees, reallocs, failed;
    uint64_t free_null;          /* frees of NULL */
    uint64_t realloc_null;       /* reallocs of NULL (recorded as ALLOC | VIA_REALLOC) */
    uint64_t bytes_allocated;    /* requested bytes of successful allocs and realloc(NULL) */
    uint64_t bytes_reallocated;  /* new sizes of successful reallocs of a block */
    uint64_t records;            /* records written (END not counted) */
    uint64_t file_bytes;         /* bytes handed to the file so far, header included */
} zmm_trace_counts;

typedef struct zmm_trace_writer zmm_trace_writer;

/* Create (truncate) path and write the header. NULL with a message on failure. */
zmm_trace_writer *zmm_trace_writer_open(const char *path, char *err, size_t errlen);
/* Record into an open stream; the writer closes it at zmm_trace_writer_close
 * when own is true. The stream is switched to unbuffered (the writer buffers). */
zmm_trace_writer *zmm_trace_writer_from_file(FILE *f, bool own, char *err, size_t errlen);

/* ptr 0 means the allocation failed. */
void zmm_trace_alloc(zmm_trace_writer *w, uint64_t ptr, uint64_t size);
/* ptr 0 is a free(NULL). */
void zmm_trace_free(zmm_trace_writer *w, uint64_t ptr);
/* old 0: realloc(NULL, size) (an ALLOC | VIA_REALLOC); new_ptr 0: failed, old stays live. */
void zmm_trace_realloc(zmm_trace_writer *w, uint64_t old, uint64_t new_ptr, uint64_t size);

/* Hand the buffer to the file. false after any write error. */
bool zmm_trace_flush(zmm_trace_writer *w);
void zmm_trace_writer_counts(const zmm_trace_writer *w, zmm_trace_counts *out);
/* The first write error ("" when none). */
const char *zmm_trace_writer_error(const zmm_trace_writer *w);
/* Write END, flush, close the file if owned, free the writer. counts and err
 * (either may be NULL) get the final numbers and the first error. Returns
 * false if anything failed to reach the file. */
bool zmm_trace_writer_close(zmm_trace_writer *w, zmm_trace_counts *counts, char *err, size_t errlen);

/* ---- reader ------------------------------------------------------------------ */

typedef struct zmm_trace_event {
    zmm_trace_op op;
    unsigned     flags;     /* ZMM_TRACE_F_* */
    uint64_t     ptr;       /* ALLOC: the block; FREE: the block; (FAILED_)REALLOC: the old block */
    uint64_t     new_ptr;   /* REALLOC: the new block */
    uint64_t     size;      /* (FAILED_)ALLOC, (FAILED_)REALLOC */
    uint64_t     offset;    /* file offset of the record */
} zmm_trace_event;

typedef struct zmm_trace_reader {
    const unsigned char *data;
    size_t   len, pos;
    uint64_t prev;
    unsigned version, shift, pointer_size;
    bool     ended;        /* END was read */
    bool     truncated;    /* the data stops inside a record */
    char     error[160];
} zmm_trace_reader;

/* Check the header; false with a message ("not a zendmm trace", "version 2
 * is not supported", ...). The data must outlive the reader. */
bool zmm_trace_reader_init(zmm_trace_reader *r, const void *data, size_t len, char *err, size_t errlen);
/* 1: an event; 0: the end (END, or the data ran out at or inside a record:
 * r->ended / r->truncated say which); -1: a malformed record (r->error). */
int  zmm_trace_next(zmm_trace_reader *r, zmm_trace_event *ev);

/* Read a whole file into malloc'd memory (free() it). NULL with a message. */
unsigned char *zmm_trace_slurp(const char *path, size_t *len, char *err, size_t errlen);

/* ---- replay program ------------------------------------------------------------- */

/* One replayable step. Blocks are numbered 0..nslots-1; a number is reused
 * once its block is freed, so a replayer needs nslots pointers of state. */
typedef struct zmm_trace_step {
    uint32_t op;     /* ZMM_TRACE_ALLOC, ZMM_TRACE_FREE or ZMM_TRACE_REALLOC */
    uint32_t id;     /* the block (a REALLOC keeps its number) */
    uint64_t size;   /* ALLOC, REALLOC */
} zmm_trace_step;

typedef struct zmm_trace_program {
    zmm_trace_step *steps;
    size_t          nsteps;
    size_t          nslots;
    /* the records, by kind */
    uint64_t allocs, frees, reallocs;          /* ALLOC (incl. via realloc), FREE, REALLOC records */
    uint64_t failed_allocs, failed_reallocs, free_null, realloc_null;
    /* records about blocks the trace never saw allocated (made before recording began) */
    uint64_t foreign_frees;      /* dropped */
    uint64_t foreign_reallocs;   /* replayed as ALLOC of the new size */
    uint64_t reused;             /* ALLOC of an address still live: a free the trace missed, replayed as FREE first */
    /* requested bytes, following the steps */
    uint64_t total_requested;    /* sum of ALLOC sizes and REALLOC new sizes */
    uint64_t peak_live_bytes, peak_live_blocks;
    uint64_t end_live_bytes, end_live_blocks;
    bool     complete;           /* END was read */
    bool     truncated;          /* the file stops inside a record */
} zmm_trace_program;

/* Decode a trace into steps. false with a message when the data is not a
 * valid trace (a truncated tail is accepted and flagged). */
bool zmm_trace_program_load(zmm_trace_program *p, const void *data, size_t len, char *err, size_t errlen);
bool zmm_trace_program_load_file(zmm_trace_program *p, const char *path, char *err, size_t errlen);
void zmm_trace_program_free(zmm_trace_program *p);

/* Run every step against heap. slots must hold p->nslots pointers, all NULL
 * (calloc them). Returns the number of steps whose allocation failed (their
 * slot stays as it was: NULL for an ALLOC, the old block for a REALLOC). */
size_t zmm_trace_replay(const zmm_trace_program *p, zmm_heap *heap, void **slots);
/* Replay in windows of `every` steps (every >= 1), calling on_window before
 * the first step (done 0, last NULL) and after each window and the last
 * step: done is the steps replayed so far, last the window's last step, and
 * before/after its block's pointer before and after it (NULL when there was
 * none). A false return from on_window stops the replay. Returns the number
 * of failed steps, as zmm_trace_replay. */
typedef bool (*zmm_trace_window_fn)(void *ctx, size_t done, const zmm_trace_step *last, const void *before,
                                    const void *after);
size_t zmm_trace_replay_windows(const zmm_trace_program *p, zmm_heap *heap, void **slots, size_t every,
                                zmm_trace_window_fn on_window, void *ctx);

/* Free every block the replay left live and set the slots back to NULL. */
void   zmm_trace_release(const zmm_trace_program *p, zmm_heap *heap, void **slots);

#ifdef __cplusplus
}
#endif
#endif /* ZENDMM_TRACE_H */
