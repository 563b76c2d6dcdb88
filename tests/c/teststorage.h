/*
 * teststorage.h - a storage scheme for tests: malloc underneath, with
 * counters and failures on demand (fault injection).
 *
 * Pass a test_storage_ctl as the storage params (zmm_config.storage_params
 * or zmm_heap_set_storage's params); NULL uses test_storage_default_ctl.
 * The scheme is named "faulty".
 */
#ifndef ZMM_TESTSTORAGE_H
#define ZMM_TESTSTORAGE_H

#include "zendmm.h"

typedef struct test_storage_ctl {
    /* failures */
    int    fail_init;          /* init returns NULL while set */
    int    fail_alloc;         /* alloc returns NULL while set (see fail_alloc_after) */
    long   fail_alloc_after;   /* >0: that many more allocs succeed first, then fail_alloc applies */
    int    fail_realloc;       /* realloc returns NULL while set */
    size_t fail_min_size;      /* only requests >= this fail (0: all) */
    /* counters */
    long   inits, dtors, compacts;
    long   allocs, reallocs, frees;
    long   failed_allocs, failed_reallocs;
    long   live_segments;      /* allocs - frees */
    size_t live_bytes;         /* sum of sizes of segments held */
    size_t max_request;        /* largest size ever asked for */
    size_t min_request;        /* smallest size ever asked for (0: none yet) */
    size_t last_request;       /* size of the last alloc/realloc call */
    size_t compact_return;     /* what compact reports */
} test_storage_ctl;

extern const zmm_storage_handlers test_storage_handlers;
extern test_storage_ctl test_storage_default_ctl;

/* Reset a control block (all zero). */
void test_storage_ctl_reset(test_storage_ctl *ctl);

#endif
