/*
 * tap.h - a tiny TAP producer for the C unit tests.
 *
 * Include it from exactly one translation unit per test program (the one with
 * main). Every check prints "ok N - name" or "not ok N - name"; done_testing()
 * prints the plan and a summary and returns the process exit status.
 *
 *   ok(cond, "fmt", ...)            pass when cond is true
 *   is_sz(got, want, "fmt", ...)    size_t equality (prints both on failure)
 *   is_int(got, want, "fmt", ...)   long long equality
 *   is_ptr(got, want, "fmt", ...)   pointer equality
 *   is_str(got, want, "fmt", ...)   string equality (NULL-safe)
 *   like(got, needle, "fmt", ...)   got contains needle
 *   skip("reason", "fmt", ...)      one skipped test
 *   diag("fmt", ...)                a "# ..." comment line
 */
#ifndef ZMM_TAP_H
#define ZMM_TAP_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_count, tap_failed, tap_skipped;

#if defined(__MINGW32__) /* Windows build: C99 formats (%zu) via __USE_MINGW_ANSI_STDIO */
# define TAP_PRINTF(a, b) __attribute__((format(gnu_printf, a, b)))
#elif defined(__GNUC__)
# define TAP_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
# define TAP_PRINTF(a, b)
#endif

static inline void tap_vname(const char *fmt, va_list ap)
{
    vprintf(fmt, ap);
}

static inline TAP_PRINTF(4, 5) int tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    tap_count++;
    printf("%sok %d - ", cond ? "" : "not ", tap_count);
    va_start(ap, fmt);
    tap_vname(fmt, ap);
    va_end(ap);
    printf("\n");
    if (!cond) {
        tap_failed++;
        printf("#   Failed test at %s line %d\n", file, line);
    }
    fflush(stdout);
    return cond;
}

static inline TAP_PRINTF(1, 2) void diag(const char *fmt, ...)
{
    va_list ap;
    printf("# ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define is_sz(got, want, ...) \
    tap_is_u((unsigned long long)(size_t)(got), (unsigned long long)(size_t)(want), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...) \
    tap_is_i((long long)(got), (long long)(want), __FILE__, __LINE__, __VA_ARGS__)
#define is_ptr(got, want, ...) \
    tap_is_p((const void *)(got), (const void *)(want), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(got, want, ...) \
    tap_is_s((got), (want), 0, __FILE__, __LINE__, __VA_ARGS__)
#define like(got, needle, ...) \
    tap_is_s((got), (needle), 1, __FILE__, __LINE__, __VA_ARGS__)

static inline TAP_PRINTF(5, 6) int tap_is_u(unsigned long long got, unsigned long long want,
                                            const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    int cond = got == want;
    tap_count++;
    printf("%sok %d - ", cond ? "" : "not ", tap_count);
    va_start(ap, fmt);
    tap_vname(fmt, ap);
    va_end(ap);
    printf("\n");
    if (!cond) {
        tap_failed++;
        printf("#   Failed test at %s line %d\n#          got: %llu (0x%llx)\n#     expected: %llu (0x%llx)\n",
               file, line, got, got, want, want);
    }
    fflush(stdout);
    return cond;
}

static inline TAP_PRINTF(5, 6) int tap_is_i(long long got, long long want,
                                            const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    int cond = got == want;
    tap_count++;
    printf("%sok %d - ", cond ? "" : "not ", tap_count);
    va_start(ap, fmt);
    tap_vname(fmt, ap);
    va_end(ap);
    printf("\n");
    if (!cond) {
        tap_failed++;
        printf("#   Failed test at %s line %d\n#          got: %lld\n#     expected: %lld\n", file, line, got, want);
    }
    fflush(stdout);
    return cond;
}

static inline TAP_PRINTF(5, 6) int tap_is_p(const void *got, const void *want,
                                            const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    int cond = got == want;
    tap_count++;
    printf("%sok %d - ", cond ? "" : "not ", tap_count);
    va_start(ap, fmt);
    tap_vname(fmt, ap);
    va_end(ap);
    printf("\n");
    if (!cond) {
        tap_failed++;
        printf("#   Failed test at %s line %d\n#          got: %p\n#     expected: %p\n", file, line, got, want);
    }
    fflush(stdout);
    return cond;
}

static inline TAP_PRINTF(6, 7) int tap_is_s(const char *got, const char *want, int substring,
                                            const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    int cond;
    if (!got || !want) cond = got == want;
    else cond = substring ? strstr(got, want) != NULL : strcmp(got, want) == 0;
    tap_count++;
    printf("%sok %d - ", cond ? "" : "not ", tap_count);
    va_start(ap, fmt);
    tap_vname(fmt, ap);
    va_end(ap);
    printf("\n");
    if (!cond) {
        tap_failed++;
        printf("#   Failed test at %s line %d\n#          got: '%s'\n#     %s: '%s'\n", file, line,
               got ? got : "(null)", substring ? "expected to contain" : "expected", want ? want : "(null)");
    }
    fflush(stdout);
    return cond;
}

static inline TAP_PRINTF(2, 3) void skip(const char *reason, const char *fmt, ...)
{
    va_list ap;
    tap_count++;
    tap_skipped++;
    printf("ok %d - ", tap_count);
    va_start(ap, fmt);
    tap_vname(fmt, ap);
    va_end(ap);
    printf(" # SKIP %s\n", reason);
    fflush(stdout);
}

/* Stop the program: a test that cannot go on (e.g. no heap). */
static inline TAP_PRINTF(1, 2) void bail_out(const char *fmt, ...)
{
    va_list ap;
    printf("Bail out! ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    exit(2);
}

static inline int done_testing(void)
{
    printf("1..%d\n", tap_count);
    printf("# %d passed, %d failed, %d skipped\n", tap_count - tap_failed - tap_skipped, tap_failed, tap_skipped);
    fflush(stdout);
    return tap_failed ? 1 : 0;
}

#endif
