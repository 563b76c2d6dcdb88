/*
 * config.c - heap configuration: 5.3's defaults, the environment variables
 * USE_ZEND_ALLOC, ZEND_MM_MEM_TYPE, ZEND_MM_SEG_SIZE, ZEND_MM_COMPACT, and
 * validation. DEPARTURE: 5.3 printed a message and exited with status 255 on
 * a bad value; here the message comes back to the caller and nothing exits.
 */
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

void zmm_config_defaults(zmm_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->storage = zmm_storage_default();
    cfg->segment_size = ZMM_SEG_SIZE;
    cfg->compact_size = ZMM_COMPACT_SIZE;
    cfg->limit = ZMM_DEFAULT_LIMIT;
    cfg->reserve_size = ZMM_RESERVE_SIZE;
    cfg->cache_size = ZMM_CACHE_SIZE;
    cfg->alignment = ZMM_DEFAULT_ALIGNMENT;
    cfg->cache = true;
    cfg->use_zend_alloc = true;
    cfg->track_blocks = true;
    cfg->cache_stat = true;
    cfg->sys_malloc = malloc;
    cfg->sys_free = free;
    cfg->sys_realloc = realloc;
}

bool zmm_parse_size(const char *s, long long *out)
{
    if (!s) return false;
    while (isspace((unsigned char)*s)) s++;
    if (!*s) return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 0);
    if (end == s || errno == ERANGE) return false;
    int shift = 0;
    switch (*end) {
    case 'g': case 'G': shift = 30; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'k': case 'K': shift = 10; end++; break;
    default: break;
    }
    while (isspace((unsigned char)*end)) end++;
    if (*end) return false;
    if (shift) {
        long long lim = LLONG_MAX >> shift;
        if (v > lim || v < -lim) return false;
        v *= (1LL << shift);
    }
    *out = v;
    return true;
}

size_t zmm_config_alignment(const zmm_config *cfg)
{
    return cfg->alignment ? cfg->alignment : ZMM_DEFAULT_ALIGNMENT;
}

/* header + segment header: the smallest segment that can hold a guard */
static size_t min_segment_size(const zmm_config *cfg)
{
    zmm_heap probe;
    zmm_layout_init(&probe, cfg->cookies, cfg->protection, zmm_config_alignment(cfg));
    return ZMM_SEG_HDR + probe.hdr;
}

static bool is_pow2(size_t x) { return x && !(x & (x - 1)); }

#define MAX_SEGMENT_SIZE ((size_t)1 << 40)

bool zmm_config_validate(const zmm_config *cfg, char *err, size_t errlen)
{
    size_t seg = cfg->segment_size ? cfg->segment_size : ZMM_SEG_SIZE;
    size_t align = zmm_config_alignment(cfg);
    if (align != 8 && align != 16) {
        snprintf(err, errlen, "alignment must be 8 or 16, got %zu", align);
        return false;
    }
    if (!is_pow2(seg)) {
        snprintf(err, errlen, "segment size must be a power of two, got %zu", seg);
        return false;
    }
    size_t min = min_segment_size(cfg);
    if (seg < min) {
        snprintf(err, errlen, "segment size is too small: %zu (minimum %zu)", seg, min);
        return false;
    }
    if (seg > MAX_SEGMENT_SIZE) {
        snprintf(err, errlen, "segment size is too large: %zu (maximum %zu)", seg, MAX_SEGMENT_SIZE);
        return false;
    }
    if (cfg->reserve_size > MAX_SEGMENT_SIZE) {
        snprintf(err, errlen, "reserve size is too large: %zu (maximum %zu)", cfg->reserve_size, MAX_SEGMENT_SIZE);
        return false;
    }
    return true;
}

bool zmm_config_from_env(zmm_config *cfg, const char *(*getenv_fn)(const char *),
                         char *err, size_t errlen)
{
    zmm_config c = *cfg;
    const char *v;
    long long n;
    char dummy[8];
    if (!err) { err = dummy; errlen = sizeof dummy; }
#define ENV(name) (getenv_fn ? getenv_fn(name) : getenv(name))

    if ((v = ENV("USE_ZEND_ALLOC")) != NULL) {
        /* DEPARTURE: zend_atoi read "yes" as 0 and silently turned the
         * manager off; a value that is not a number is refused here. */
        if (!zmm_parse_size(v, &n)) {
            snprintf(err, errlen, "USE_ZEND_ALLOC must be a number, got '%s'", v);
            return false;
        }
        c.use_zend_alloc = n != 0;
    }
    if ((v = ENV("ZEND_MM_MEM_TYPE")) != NULL) {
        const zmm_storage_handlers *s = zmm_storage_find(v);
        if (!s) {
            size_t count, used;
            const zmm_storage_handlers *const *all = zmm_storage_schemes(&count);
            used = (size_t)snprintf(err, errlen, "Wrong or unsupported zend_mm storage type '%s' (supported types:", v);
            for (size_t i = 0; i < count && used < errlen; i++) {
                used += (size_t)snprintf(err + used, errlen - used, "%s '%s'", i ? "," : "", all[i]->name);
            }
            if (used < errlen) snprintf(err + used, errlen - used, ")");
            return false;
        }
        c.storage = s;
    }
    if ((v = ENV("ZEND_MM_SEG_SIZE")) != NULL) {
        if (!zmm_parse_size(v, &n)) {
            snprintf(err, errlen, "ZEND_MM_SEG_SIZE must be a number, got '%s'", v);
            return false;
        }
        if (n <= 0 || !is_pow2((size_t)n)) {
            snprintf(err, errlen, "ZEND_MM_SEG_SIZE must be a power of two");
            return false;
        }
        if ((size_t)n < min_segment_size(&c)) {
            snprintf(err, errlen, "ZEND_MM_SEG_SIZE is too small");
            return false;
        }
        if ((size_t)n > MAX_SEGMENT_SIZE) {
            snprintf(err, errlen, "ZEND_MM_SEG_SIZE is too large");
            return false;
        }
        c.segment_size = (size_t)n;
    }
    if ((v = ENV("ZEND_MM_COMPACT")) != NULL) {
        if (!zmm_parse_size(v, &n)) {
            snprintf(err, errlen, "ZEND_MM_COMPACT must be a number, got '%s'", v);
            return false;
        }
        if (n < 0) {
            snprintf(err, errlen, "ZEND_MM_COMPACT must not be negative");
            return false;
        }
        c.compact_size = (size_t)n;
    }
#undef ENV
    if (!zmm_config_validate(&c, err, errlen)) return false;
    *cfg = c;
    return true;
}
