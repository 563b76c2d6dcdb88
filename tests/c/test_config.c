/* test_config.c - defaults, the environment variables and their errors
 * (§3.9), validation, and the USE_ZEND_ALLOC=0 pass-through mode. */
#include "helpers.h"

/* this platform's schemes: Windows has win32 (first, the default) and malloc */
#ifdef _WIN32
# define DEFAULT_SCHEME "win32"
# define OTHER_SCHEME   "malloc"
# define FOREIGN_SCHEME "mmap_anon"   /* a scheme this build does not have */
#else
# define DEFAULT_SCHEME "malloc"
# define OTHER_SCHEME   "mmap_anon"
# define FOREIGN_SCHEME "win32"
#endif

/* a fake environment */
static const char *env_names[8], *env_values[8];
static int env_n;
static void env_clear(void) { env_n = 0; }
static void env_set(const char *n, const char *v)
{
    env_names[env_n] = n;
    env_values[env_n] = v;
    env_n++;
}
static const char *fake_getenv(const char *name)
{
    for (int i = 0; i < env_n; i++)
        if (strcmp(env_names[i], name) == 0) return env_values[i];
    return NULL;
}

static bool apply(zmm_config *cfg, char *err, size_t len)
{
    zmm_config_defaults(cfg);
    err[0] = '\0';
    return zmm_config_from_env(cfg, fake_getenv, err, len);
}

/* an env value that must be refused; cfg must stay untouched */
static void refused(const char *name, const char *value, const char *msg_part)
{
    zmm_config cfg, before;
    char err[512];
    env_clear();
    env_set(name, value);
    zmm_config_defaults(&cfg);
    before = cfg;
    err[0] = '\0';
    bool r = zmm_config_from_env(&cfg, fake_getenv, err, sizeof err);
    ok(!r, "%s=%s is refused", name, value);
    like(err, msg_part, "%s=%s: message", name, value);
    ok(memcmp(&cfg, &before, sizeof cfg) == 0, "%s=%s: config left untouched", name, value);
}

static size_t sys_mallocs, sys_frees, sys_reallocs;
static void *my_malloc(size_t n) { sys_mallocs++; return malloc(n); }
static void my_free(void *p) { if (p) sys_frees++; free(p); }
static void *my_realloc(void *p, size_t n) { sys_reallocs++; return realloc(p, n); }

int main(void)
{
    zmm_config cfg;
    char err[512];

    zmm_config_defaults(&cfg);
    ok(cfg.storage == NULL || cfg.storage == zmm_storage_default(), "defaults: default storage");
    ok(cfg.segment_size == 0 || cfg.segment_size == 262144, "defaults: 256 KB segments");
    is_sz(cfg.compact_size, 2097152, "defaults: compact_size 2 MB");
    is_sz(cfg.limit, (size_t)1 << 62, "defaults: limit 2^62");
    is_sz(cfg.reserve_size, 8192, "defaults: reserve 8192");
    is_sz(cfg.cache_size, 262144, "defaults: cache 256 KB");
    ok(cfg.cache && cfg.use_zend_alloc && !cfg.cookies && !cfg.protection && !cfg.fill_freed && cfg.track_blocks,
       "defaults: cache on, zend alloc on, no protections, tracking on");
    is_str(zmm_storage_default()->name, DEFAULT_SCHEME, "default scheme is " DEFAULT_SCHEME);
    ok(zmm_config_validate(&cfg, err, sizeof err), "defaults validate");

    /* nothing set: nothing changes */
    env_clear();
    zmm_config before;
    zmm_config_defaults(&before);
    ok(apply(&cfg, err, sizeof err), "empty environment accepted");
    ok(memcmp(&cfg, &before, sizeof cfg) == 0, "empty environment changes nothing");

    /* ZEND_MM_MEM_TYPE */
#ifdef _WIN32
    const char *types[] = {"win32", "malloc"};
#else
    const char *types[] = {"malloc", "mmap_anon", "mmap_zero"};
#endif
    for (int i = 0; i < (int)(sizeof types / sizeof types[0]); i++) {
        env_clear();
        env_set("ZEND_MM_MEM_TYPE", types[i]);
        ok(apply(&cfg, err, sizeof err) && cfg.storage == zmm_storage_find(types[i]) && cfg.storage,
           "ZEND_MM_MEM_TYPE=%s selects it", types[i]);
    }
    refused("ZEND_MM_MEM_TYPE", "bogus", "Wrong or unsupported zend_mm storage type 'bogus'");
    refused("ZEND_MM_MEM_TYPE", FOREIGN_SCHEME, "Wrong or unsupported zend_mm storage type '" FOREIGN_SCHEME "'");
    refused("ZEND_MM_MEM_TYPE", "MALLOC", "Wrong or unsupported zend_mm storage type 'MALLOC'");
    env_clear();
    env_set("ZEND_MM_MEM_TYPE", "bogus");
    apply(&cfg, err, sizeof err);
    like(err, "supported types", "unknown type: lists the supported types");
    like(err, "'" OTHER_SCHEME "'", "unknown type: lists " OTHER_SCHEME);

    /* ZEND_MM_SEG_SIZE */
    struct { const char *v; size_t want; } seg_ok[] = {
        {"262144", 262144}, {"16k", 16384}, {"16K", 16384}, {"1m", 1048576}, {"2M", 2097152},
        {"1g", 1073741824}, {"0x1000", 4096}, {"010000", 4096}, {"32", 32}, {"4096", 4096},
    };
    for (size_t i = 0; i < sizeof seg_ok / sizeof seg_ok[0]; i++) {
        env_clear();
        env_set("ZEND_MM_SEG_SIZE", seg_ok[i].v);
        bool r = apply(&cfg, err, sizeof err);
        ok(r && cfg.segment_size == seg_ok[i].want, "ZEND_MM_SEG_SIZE=%s -> %zu (%s)", seg_ok[i].v, seg_ok[i].want, err);
    }
    refused("ZEND_MM_SEG_SIZE", "3000", "ZEND_MM_SEG_SIZE must be a power of two");
    refused("ZEND_MM_SEG_SIZE", "262145", "ZEND_MM_SEG_SIZE must be a power of two");
    refused("ZEND_MM_SEG_SIZE", "3k", "ZEND_MM_SEG_SIZE must be a power of two");
    refused("ZEND_MM_SEG_SIZE", "16", "ZEND_MM_SEG_SIZE is too small");
    refused("ZEND_MM_SEG_SIZE", "8", "ZEND_MM_SEG_SIZE is too small");
    refused("ZEND_MM_SEG_SIZE", "abc", "ZEND_MM_SEG_SIZE");
    refused("ZEND_MM_SEG_SIZE", "12q", "ZEND_MM_SEG_SIZE");
    refused("ZEND_MM_SEG_SIZE", "", "ZEND_MM_SEG_SIZE");
    refused("ZEND_MM_SEG_SIZE", "0", "ZEND_MM_SEG_SIZE");
    refused("ZEND_MM_SEG_SIZE", "-4096", "ZEND_MM_SEG_SIZE");
    refused("ZEND_MM_SEG_SIZE", "99999999999999999999999", "ZEND_MM_SEG_SIZE");

    /* ZEND_MM_COMPACT */
    env_clear();
    env_set("ZEND_MM_COMPACT", "1m");
    ok(apply(&cfg, err, sizeof err) && cfg.compact_size == 1048576, "ZEND_MM_COMPACT=1m -> 1048576");
    env_clear();
    env_set("ZEND_MM_COMPACT", "0");
    ok(apply(&cfg, err, sizeof err) && cfg.compact_size == 0, "ZEND_MM_COMPACT=0 disables compaction");
    refused("ZEND_MM_COMPACT", "junk", "ZEND_MM_COMPACT");
    refused("ZEND_MM_COMPACT", "5x", "ZEND_MM_COMPACT");

    /* USE_ZEND_ALLOC */
    env_clear();
    env_set("USE_ZEND_ALLOC", "0");
    ok(apply(&cfg, err, sizeof err) && !cfg.use_zend_alloc, "USE_ZEND_ALLOC=0 -> pass-through");
    env_clear();
    env_set("USE_ZEND_ALLOC", "1");
    ok(apply(&cfg, err, sizeof err) && cfg.use_zend_alloc, "USE_ZEND_ALLOC=1 -> zend alloc");

    /* all at once */
    env_clear();
    env_set("ZEND_MM_MEM_TYPE", OTHER_SCHEME);
    env_set("ZEND_MM_SEG_SIZE", "64k");
    env_set("ZEND_MM_COMPACT", "4m");
    ok(apply(&cfg, err, sizeof err), "all variables together accepted");
    ok(cfg.storage == zmm_storage_find(OTHER_SCHEME) && cfg.segment_size == 65536 && cfg.compact_size == 4194304,
       "all variables applied");
    zmm_heap *h = mkheap_cfg(&cfg, NULL);
    zmm_stats s = stats_of(h);
    is_str(s.storage, OTHER_SCHEME, "heap from env: " OTHER_SCHEME);
    is_sz(s.block_size, 65536, "heap from env: 64 KB segments");
    is_sz(s.real_size, 65536, "heap from env: one 64 KB segment holds the reserve");
    is_sz(s.size, 8208, "heap from env: size 8208");
    is_sz(s.compact_size, 4194304, "heap from env: compact_size 4 MB");
    check_clean(h, "heap from env");
    zmm_heap_destroy(h);
    /* one bad variable among good ones leaves everything untouched */
    env_clear();
    env_set("ZEND_MM_MEM_TYPE", OTHER_SCHEME);
    env_set("ZEND_MM_SEG_SIZE", "64k");
    env_set("ZEND_MM_COMPACT", "nope");
    zmm_config_defaults(&cfg);
    before = cfg;
    ok(!zmm_config_from_env(&cfg, fake_getenv, err, sizeof err), "a bad ZEND_MM_COMPACT fails the whole set");
    ok(memcmp(&cfg, &before, sizeof cfg) == 0, "... and changes nothing");

    /* zmm_parse_size */
    long long v = 0;
    ok(zmm_parse_size("0x10", &v) && v == 16, "parse 0x10 = 16");
    ok(zmm_parse_size("010", &v) && v == 8, "parse 010 = 8 (octal, as strtol base 0)");
    ok(zmm_parse_size("2k", &v) && v == 2048, "parse 2k = 2048");
    ok(zmm_parse_size("3M", &v) && v == 3145728, "parse 3M");
    ok(zmm_parse_size("1G", &v) && v == 1073741824, "parse 1G");
    ok(zmm_parse_size("-1", &v) && v == -1, "parse -1");
    ok(!zmm_parse_size("12x", &v), "parse 12x fails");
    ok(!zmm_parse_size("k", &v), "parse k fails");
    ok(!zmm_parse_size("", &v), "parse empty fails");
    ok(!zmm_parse_size("99999999999999999999", &v), "parse overflow fails");
    ok(!zmm_parse_size("9999999999999g", &v), "parse suffix overflow fails");

    /* zmm_config_validate */
    zmm_config_defaults(&cfg);
    cfg.segment_size = 3000;
    ok(!zmm_config_validate(&cfg, err, sizeof err), "validate: 3000 refused");
    like(err, "power of two", "validate: power of two message");
    cfg.segment_size = 16;
    ok(!zmm_config_validate(&cfg, err, sizeof err), "validate: 16 refused");
    like(err, "too small", "validate: too small message");
    cfg.segment_size = 3000;
    h = zmm_heap_create(&cfg, err, sizeof err);
    ok(h == NULL, "heap_create refuses a bad config");
    like(err, "power of two", "heap_create: the validation message");
    if (h) zmm_heap_destroy(h);

    /* small segments: the reserve gets an oversized segment of its own */
    zmm_config_defaults(&cfg);
    cfg.segment_size = 4096;
    h = mkheap_cfg(&cfg, NULL);
    s = stats_of(h);
    is_sz(s.real_size, 12288, "4 KB segments: the reserve (8208 + 32) needs a 12 KB segment");
    is_sz(s.size, 8208, "4 KB segments: size 8208");
    void *p[50];
    for (int i = 0; i < 50; i++) p[i] = zmm_malloc(h, 1000);
    ok(stats_of(h).segments > 10, "4 KB segments: many segments");
    for (int i = 0; i < 50; i++) zmm_free(h, p[i]);
    is_sz(stats_of(h).real_size, 12288, "4 KB segments: all released again");
    check_clean(h, "4 KB segments");
    zmm_heap_destroy(h);

    /* no reserve */
    zmm_config_defaults(&cfg);
    cfg.reserve_size = 0;
    h = mkheap_cfg(&cfg, NULL);
    s = stats_of(h);
    is_sz(s.size, 0, "no reserve: size 0");
    ok(!s.reserve_held, "no reserve: none held");
    zmm_heap_destroy(h);

    /* USE_ZEND_ALLOC=0: pass-through */
    zmm_config_defaults(&cfg);
    env_clear();
    env_set("USE_ZEND_ALLOC", "0");
    zmm_config_from_env(&cfg, fake_getenv, err, sizeof err);
    cfg.sys_malloc = my_malloc;
    cfg.sys_free = my_free;
    cfg.sys_realloc = my_realloc;
    h = mkheap_cfg(&cfg, NULL);
    zmm_stats s0 = stats_of(h);
    is_int(s0.use_zend_alloc, 0, "pass-through: use_zend_alloc 0");
    size_t m0 = sys_mallocs;
    char *a = zmm_malloc(h, 100);
    ok(a && sys_mallocs == m0 + 1, "pass-through: malloc goes to sys_malloc");
    ok(zmm_is_live(h, a), "pass-through: the block is live");
    is_sz(zmm_usable_size(h, a), 100, "pass-through: usable 100");
    zmm_block_view bv;
    zmm_segment_view sv;
    ok(zmm_block_info(h, a, &bv, &sv) && sv.address == 0 && sv.storage && strcmp(sv.storage, "system") == 0,
       "pass-through: block_info says storage \"system\"");
    strcpy(a, "pass");
    char *a2 = zmm_realloc(h, a, 100000);
    ok(a2 && sys_reallocs >= 1 && strcmp(a2, "pass") == 0, "pass-through: realloc goes to sys_realloc");
    zmm_heap_set_limit(h, 262144);
    char *big = zmm_malloc(h, 1u << 20);
    ok(big != NULL, "pass-through: the limit is not enforced");
    char *cz = zmm_calloc(h, 10, 10);
    ok(cz && cz[0] == 0 && cz[99] == 0, "pass-through: calloc zeroes");
    char *sd = zmm_strdup(h, "dup");
    ok(sd && strcmp(sd, "dup") == 0, "pass-through: strdup");
    zmm_stats s1 = stats_of(h);
    is_sz(s1.size, s0.size, "pass-through: size frozen");
    is_sz(s1.real_size, s0.real_size, "pass-through: real_size frozen");
    size_t f0 = sys_frees;
    zmm_free(h, a2);
    ok(sys_frees == f0 + 1, "pass-through: free goes to sys_free");
    ok(!zmm_is_live(h, a2), "pass-through: freed block not live");
    int local;
    ok(!zmm_free_checked(h, &local), "pass-through: free_checked refuses a forged pointer");
    zmm_free(h, big);
    zmm_free(h, cz);
    zmm_free(h, sd);
    check_clean(h, "pass-through");
    zmm_heap_destroy(h);
    diag("sys_malloc %zu, sys_free %zu, sys_realloc %zu", sys_mallocs, sys_frees, sys_reallocs);

    return done_testing();
}
