/*
 * portable.h - the few compiler differences the core cares about. Include it
 * before any system header: on mingw-w64 it selects the C99 printf family
 * (msvcrt's does not know %zu), which must happen before <stdio.h>.
 */
#ifndef ZENDMM_PORTABLE_H
#define ZENDMM_PORTABLE_H

#if defined(__MINGW32__) && !defined(__USE_MINGW_ANSI_STDIO)
# define __USE_MINGW_ANSI_STDIO 1
#endif

/* printf-style checking; on mingw-w64 "printf" would mean msvcrt's formats */
#if defined(__MINGW32__)
# define ZMM_PRINTF(a, b) __attribute__((format(gnu_printf, a, b)))
#elif defined(__GNUC__)
# define ZMM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
# define ZMM_PRINTF(a, b)
#endif

#if defined(__GNUC__)
# define ZMM_LIKELY(x) __builtin_expect(!!(x), 1)
#else
# define ZMM_LIKELY(x) (x)
#endif

/* for a helper instantiated with constant arguments, one copy per constant */
#if defined(__GNUC__)
# define ZMM_ALWAYS_INLINE __attribute__((always_inline))
#elif defined(_MSC_VER)
# define ZMM_ALWAYS_INLINE __forceinline
#else
# define ZMM_ALWAYS_INLINE
#endif

#endif
