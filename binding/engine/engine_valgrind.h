/*
 * binding/engine/engine_valgrind.h - telling memcheck about the engine heap's blocks.
 *
 * Under valgrind, memcheck sees each segment of the engine heap as one block
 * (storage malloc) or one mapping, so a script's use of freed memory would go
 * unseen. These client requests describe each handed-out block as a chunk of
 * a memcheck pool: freed blocks become inaccessible, new ones undefined.
 * The core's own reads and writes of headers and free-list links inside freed
 * blocks are legitimate, so error reporting is off while the core runs.
 * Compiled in when config.m4 finds valgrind/memcheck.h; outside memcheck the
 * handlers take their plain paths (one predictable branch).
 */
#ifndef ZENDMM_BINDING_ENGINE_VALGRIND_H
#define ZENDMM_BINDING_ENGINE_VALGRIND_H

#ifdef HAVE_VALGRIND_MEMCHECK_H
# include <valgrind/memcheck.h>
/* memcheck, not just valgrind: only memcheck answers GET_VBITS (1: done);
 * under callgrind and the other tools the blocks are not described */
static inline int zendmm_vg_memcheck_running(void)
{
    unsigned char probe = 0, vbits = 0;
    return RUNNING_ON_VALGRIND && VALGRIND_GET_VBITS(&probe, &vbits, 1) == 1;
}
# define ZENDMM_VG_RUNNING()          zendmm_vg_memcheck_running()
# define ZENDMM_VG_CORE_ENTER()       VALGRIND_DISABLE_ERROR_REPORTING
# define ZENDMM_VG_CORE_LEAVE()       VALGRIND_ENABLE_ERROR_REPORTING
/* the blocks are chunks of a memcheck pool anchored at the heap: a reset
 * drops them all at once, as the heap does, so none is reported as leaked */
# define ZENDMM_VG_POOL_CREATE(pool)  VALGRIND_CREATE_MEMPOOL((pool), 0, 0)
# define ZENDMM_VG_POOL_DESTROY(pool) VALGRIND_DESTROY_MEMPOOL(pool)
# define ZENDMM_VG_ALLOC(pool, p, n)  VALGRIND_MEMPOOL_ALLOC((pool), (p), (n))
# define ZENDMM_VG_FREE(pool, p)      VALGRIND_MEMPOOL_FREE((pool), (p))
# define ZENDMM_VG_DEFINED(p, n)      VALGRIND_MAKE_MEM_DEFINED((p), (n))
# define ZENDMM_VG_COMPILED           1
#else
# define ZENDMM_VG_RUNNING()          0
# define ZENDMM_VG_CORE_ENTER()       ((void)0)
# define ZENDMM_VG_CORE_LEAVE()       ((void)0)
/* the arguments are still evaluated (as casts to void), so what is computed
 * only for memcheck is not "set but not used" in a build without it */
# define ZENDMM_VG_POOL_CREATE(pool)  ((void)(pool))
# define ZENDMM_VG_POOL_DESTROY(pool) ((void)(pool))
# define ZENDMM_VG_ALLOC(pool, p, n)  ((void)(pool), (void)(p), (void)(n))
# define ZENDMM_VG_FREE(pool, p)      ((void)(pool), (void)(p))
# define ZENDMM_VG_DEFINED(p, n)      ((void)(p), (void)(n))
# define ZENDMM_VG_COMPILED           0
#endif

#endif
