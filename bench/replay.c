/*
 * replay.c - replay allocation traces against several allocators, in one
 * process, interleaved, and report time per operation and memory.
 *
 *   replay [-r ROUNDS] [-a NAME[,NAME...]] [-l] [-i] [-m] TRACE...
 *   replay --checkpoints N [-a NAME] TRACE
 *   replay --html OUT.html [--align 16] TRACE
 *
 * Allocators (-l lists them):
 *   zmm/<scheme>/cache, zmm/<scheme>/nocache   our core (src/), block tracking off,
 *                                              each Linux scheme: malloc, mmap_anon, mmap_zero
 *   zmm/malloc/cache/track                     the default config with block tracking on
 *   zmm/malloc/cache/exact                     the default config with exact_fit on (true
 *                                              best fit in the large trie)
 *   php82                                      PHP 8.2's ZendMM (_emalloc/_efree/_erealloc
 *                                              of libphp8.2, inside PHP_EMBED_START_BLOCK)
 *   glibc                                      malloc/free/realloc
 *
 * Each trace is decoded once into steps (src/trace/trace_replay.c: zmm_trace_program_load),
 * so a replay does no decoding: ALLOC/FREE/REALLOC of numbered blocks.
 * Time: a replay is one request on a warm process. ROUNDS rounds; in each
 * round every trace is replayed by every allocator in turn (A B C, then B C A ...);
 * best and median per (trace, allocator). Between replays, untimed, the
 * blocks a trace leaves live are freed and the heap ends its request: ours
 * zmm_heap_shutdown() (5.3's end of request), PHP php_request_shutdown() +
 * php_request_startup() (zend_mm_shutdown, partial), glibc nothing more.
 * One untimed warm-up replay per (trace, allocator) comes first.
 * Memory: one more replay per (trace, allocator) in a fresh process (this
 * program re-executed with --measure; the steps come through a memfd, so the
 * child's malloc arena holds nothing but the replay):
 *   peak_used  the allocator's own count of bytes in use at peak (ours: peak
 *              of true sizes, reserve included; PHP: zend_memory_peak_usage(0)
 *              less the usage before; glibc: chunk sizes, malloc_usable_size + 8)
 *   peak_sys   bytes taken from the system at peak (ours: real_peak; PHP:
 *              zend_memory_peak_usage(1): whole 2 MB chunks, the first one
 *              shared with the embed SAPI's own ~0.3 MB; glibc: mallinfo2
 *              arena + hblkhd less their value before the replay, sampled
 *              whenever the break moves or a request could be mmapped)
 *   frag       ours only: real_peak / peak
 * Output: "#" comment lines, then one tab-separated row per (trace, allocator):
 *   row trace allocator steps best_ns median_ns peak_req peak_used peak_sys frag
 *
 * --checkpoints N: no timing; TRACE is replayed once on a fresh heap of one of
 * our allocators (default zmm/malloc/cache), and the heap's counters are
 * printed after every N-th step and after the last one, in the format of the
 * fidelity goldens (tests/fidelity/): a "#" header line, then
 *   step size real_size peak real_peak cached
 *
 * --html OUT.html: the trace player (src/heapmap/heapmap_player.c): TRACE is
 * replayed once on a fresh heap of the default configuration with block
 * tracking on (so the page knows requested sizes), --align 16 for an engine
 * trace (zendmm_ext.engine_trace: the engine heap is 16-aligned), and the
 * page is written to OUT.html (nothing is written when anything fails).
 */
#define _GNU_SOURCE
#include "zendmm.h"
#include "trace.h"
#include "heapmap.h"

#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_PHP_EMBED
# include <sapi/embed/php_embed.h>
#endif

#define MAX_TRACES 32
#define MAX_ALLOCS 16
#define MAX_ROUNDS 101

typedef enum kind { K_ZMM, K_PHP, K_GLIBC } kind;

typedef struct allocator {
    const char *name;
    kind        kind;
    const char *scheme;   /* ours */
    bool        cache, track, exact_fit, stat;
} allocator;

/* ours: the raw core is 5.3's release build (no block index, no cache
 * statistics: ZEND_MM_CACHE_STAT 0), as the engine heap runs; /stat counts
 * the statistics; /track is a heap as scripts make it (index and statistics) */
static const allocator all_allocators[] = {
    { "zmm/malloc/cache",       K_ZMM, "malloc",    true,  false, false, false },
    { "zmm/malloc/nocache",     K_ZMM, "malloc",    false, false, false, false },
    { "zmm/mmap_anon/cache",    K_ZMM, "mmap_anon", true,  false, false, false },
    { "zmm/mmap_anon/nocache",  K_ZMM, "mmap_anon", false, false, false, false },
    { "zmm/mmap_zero/cache",    K_ZMM, "mmap_zero", true,  false, false, false },
    { "zmm/mmap_zero/nocache",  K_ZMM, "mmap_zero", false, false, false, false },
    { "zmm/malloc/cache/stat",  K_ZMM, "malloc",    true,  false, false, true  },
    { "zmm/malloc/cache/track", K_ZMM, "malloc",    true,  true,  false, true  },
    { "zmm/malloc/cache/exact", K_ZMM, "malloc",    true,  false, true,  false },
#ifdef HAVE_PHP_EMBED
    { "php82",                  K_PHP, NULL,        false, false, false, false },
#endif
    { "glibc",                  K_GLIBC, NULL,      false, false, false, false },
};
#define N_ALL ((int)(sizeof all_allocators / sizeof all_allocators[0]))

typedef struct trace {
    const char        *path, *name;
    zmm_trace_program  prog;
    void             **slots;
    int                memfd;     /* the steps, for --measure children; -1 until made */
} trace;

typedef struct memres {
    unsigned long long peak_used, peak_sys, failed;
    double             frag;
} memres;

static trace            traces[MAX_TRACES];
static int              ntraces;
static const allocator *allocs[MAX_ALLOCS];
static int              nallocs;
static zmm_heap        *zmm_heaps[MAX_ALLOCS];   /* ours: one warm heap per configuration */

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void die(const char *fmt, const char *arg)
{
    fprintf(stderr, "replay: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n");
    exit(1);
}

static const allocator *find_allocator(const char *name)
{
    for (int i = 0; i < N_ALL; i++) {
        if (strcmp(all_allocators[i].name, name) == 0) return &all_allocators[i];
    }
    return NULL;
}

/* ---- ours -------------------------------------------------------------------------- */

static zmm_heap *zmm_make(const allocator *a)
{
    zmm_config cfg;
    char err[256];
    zmm_config_defaults(&cfg);
    cfg.storage = zmm_storage_find(a->scheme);
    if (!cfg.storage) die("no storage scheme %s in this build", a->scheme);
    cfg.cache = a->cache;
    cfg.track_blocks = a->track;
    cfg.exact_fit = a->exact_fit;
    cfg.cache_stat = a->stat;
    cfg.limit = ZMM_NO_LIMIT;
    zmm_heap *h = zmm_heap_create(&cfg, err, sizeof err);
    if (!h) die("zmm_heap_create: %s", err);
    return h;
}

/* ---- the loop of zmm_trace_replay (src/trace/trace_replay.c), for PHP and glibc ----------------- */

#define REPLAY_LOOP(P, SLOTS, MALLOC, FREE, REALLOC, FAILED)                       \
    do {                                                                            \
        const zmm_trace_step *s_ = (P)->steps, *e_ = (P)->steps + (P)->nsteps;     \
        for (; s_ < e_; s_++) {                                                     \
            void *q_;                                                               \
            switch (s_->op) {                                                       \
                case ZMM_TRACE_ALLOC:                                               \
                    q_ = MALLOC((size_t)s_->size);                                  \
                    if (q_) (SLOTS)[s_->id] = q_; else (FAILED)++;                  \
                    break;                                                          \
                case ZMM_TRACE_FREE:                                                \
                    FREE((SLOTS)[s_->id]);                                          \
                    (SLOTS)[s_->id] = NULL;                                         \
                    break;                                                          \
                default:                                                            \
                    q_ = REALLOC((SLOTS)[s_->id], (size_t)s_->size);                \
                    if (q_) (SLOTS)[s_->id] = q_; else (FAILED)++;                  \
                    break;                                                          \
            }                                                                       \
        }                                                                           \
    } while (0)

static void release_with(trace *t, void (*fn)(void *))
{
    for (size_t i = 0; i < t->prog.nslots; i++) {
        if (t->slots[i]) {
            fn(t->slots[i]);
            t->slots[i] = NULL;
        }
    }
}

__attribute__((noinline)) static size_t glibc_replay(trace *t)
{
    size_t failed = 0;
    REPLAY_LOOP(&t->prog, t->slots, malloc, free, realloc, failed);
    return failed;
}

#ifdef HAVE_PHP_EMBED
static inline void *php_malloc(size_t n) { return _emalloc(n ZEND_FILE_LINE_CC ZEND_FILE_LINE_EMPTY_CC); }
static inline void  php_free(void *p) { if (p) _efree(p ZEND_FILE_LINE_CC ZEND_FILE_LINE_EMPTY_CC); }
static inline void *php_realloc(void *p, size_t n) { return _erealloc(p, n ZEND_FILE_LINE_CC ZEND_FILE_LINE_EMPTY_CC); }
static void php_free_fn(void *p) { php_free(p); }

__attribute__((noinline)) static size_t php_replay(trace *t)
{
    size_t failed = 0;
    REPLAY_LOOP(&t->prog, t->slots, php_malloc, php_free, php_realloc, failed);
    return failed;
}

static bool php_started;
static void php_start(void)
{
    static char *argv[] = { "replay", NULL };
    if (php_started) return;
    php_embed_init(1, argv);
    zend_set_memory_limit((size_t)1 << 46);   /* no practical limit for the replay */
    php_started = true;
}
/* End the request and start the next one: zend_mm_shutdown (partial) runs. */
static void php_next_request(void)
{
    php_request_shutdown(NULL);
    if (php_request_startup() != SUCCESS) die("%s", "php_request_startup failed");
    zend_set_memory_limit((size_t)1 << 46);
}
static void php_stop(void)
{
    if (php_started) php_embed_shutdown();
    php_started = false;
}
#endif

/* One timed replay, as one request; set-up and the end of the request are not timed. */
static double time_one(int ai, trace *t, size_t *failed)
{
    const allocator *a = allocs[ai];
    double t0, t1;
    switch (a->kind) {
        case K_ZMM: {
            zmm_heap *h = zmm_heaps[ai];
            if (!h) h = zmm_heaps[ai] = zmm_make(a);
            t0 = now_ns();
            *failed = zmm_trace_replay(&t->prog, h, t->slots);
            t1 = now_ns();
            zmm_trace_release(&t->prog, h, t->slots);
            zmm_heap_shutdown(h);
            break;
        }
#ifdef HAVE_PHP_EMBED
        case K_PHP:
            php_start();
            t0 = now_ns();
            *failed = php_replay(t);
            t1 = now_ns();
            release_with(t, php_free_fn);
            php_next_request();
            break;
#endif
        default:
            t0 = now_ns();
            *failed = glibc_replay(t);
            t1 = now_ns();
            release_with(t, free);
            break;
    }
    return t1 - t0;
}

/* ---- memory, in a fresh process ----------------------------------------------------- */

static unsigned long long glibc_sys(void)
{
    struct mallinfo2 mi = mallinfo2();
    return (unsigned long long)mi.arena + mi.hblkhd;
}

static memres measure_replay(const allocator *a, trace *t)
{
    memres m;
    memset(&m, 0, sizeof m);
    switch (a->kind) {
        case K_ZMM: {
            zmm_heap *h = zmm_make(a);
            zmm_stats st;
            m.failed = zmm_trace_replay(&t->prog, h, t->slots);
            zmm_heap_stats(h, &st);
            m.peak_used = st.peak;
            m.peak_sys = st.real_peak;
            m.frag = st.peak ? (double)st.real_peak / st.peak : 0;
            break;
        }
#ifdef HAVE_PHP_EMBED
        case K_PHP: {
            php_start();
            size_t used0 = zend_memory_usage(0);
            zend_memory_reset_peak_usage();
            m.failed = php_replay(t);
            m.peak_used = zend_memory_peak_usage(0) - used0;
            m.peak_sys = zend_memory_peak_usage(1);
            break;
        }
#endif
        default: {
            /* exact peaks without mallinfo2 per step: glibc's footprint only
             * grows when the break moves or a chunk is mmapped */
            const zmm_trace_step *s = t->prog.steps, *e = s + t->prog.nsteps;
            void **slots = t->slots;
            unsigned long long base = glibc_sys(), peak = base, used = 0, upeak = 0;
            void *brk0 = sbrk(0);
            for (; s < e; s++) {
                void *q;
                if (s->op == ZMM_TRACE_FREE) {
                    if (slots[s->id]) used -= malloc_usable_size(slots[s->id]) + 8;
                    free(slots[s->id]);
                    slots[s->id] = NULL;
                    continue;
                }
                if (s->op == ZMM_TRACE_ALLOC) {
                    q = malloc((size_t)s->size);
                } else {
                    if (slots[s->id]) used -= malloc_usable_size(slots[s->id]) + 8;
                    q = realloc(slots[s->id], (size_t)s->size);
                    if (!q && slots[s->id]) used += malloc_usable_size(slots[s->id]) + 8;
                }
                if (!q) {
                    m.failed++;
                    continue;
                }
                slots[s->id] = q;
                used += malloc_usable_size(q) + 8;
                if (used > upeak) upeak = used;
                void *brk1 = sbrk(0);
                if (brk1 != brk0 || s->size >= 32 * 1024) {
                    brk0 = brk1;
                    unsigned long long sys = glibc_sys();
                    if (sys > peak) peak = sys;
                }
            }
            m.peak_used = upeak;
            m.peak_sys = peak - base;
            break;
        }
    }
    return m;
}

/* replay --measure ALLOCATOR FD NSTEPS NSLOTS: the child. Nothing is taken
 * from malloc before the replay: steps and slots are mappings. */
static int measure_main(int argc, char **argv)
{
    if (argc != 6) return 2;
    const allocator *a = find_allocator(argv[2]);
    int fd = atoi(argv[3]);
    size_t nsteps = strtoull(argv[4], NULL, 10), nslots = strtoull(argv[5], NULL, 10);
    if (!a) return 2;
    trace t;
    memset(&t, 0, sizeof t);
    t.prog.nsteps = nsteps;
    t.prog.nslots = nslots;
    if (nsteps) {
        t.prog.steps = mmap(NULL, nsteps * sizeof(zmm_trace_step), PROT_READ, MAP_PRIVATE, fd, 0);
        if (t.prog.steps == MAP_FAILED) return 3;
    }
    t.slots = mmap(NULL, (nslots ? nslots : 1) * sizeof(void *), PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (t.slots == MAP_FAILED) return 3;
    memres m = measure_replay(a, &t);
    /* _exit: no PHP shutdown, no heap teardown; only the numbers matter */
    char buf[160];
    int n = snprintf(buf, sizeof buf, "%llu %llu %llu %.6f\n", m.peak_used, m.peak_sys, m.failed, m.frag);
    _exit(write(1, buf, (size_t)n) == n ? 0 : 1);
}

static void make_memfd(trace *t)
{
    size_t len = t->prog.nsteps * sizeof(zmm_trace_step);
    t->memfd = memfd_create("zmm-trace-steps", 0);
    if (t->memfd < 0) die("memfd_create: %s", strerror(errno));
    const char *p = (const char *)t->prog.steps;
    while (len) {
        ssize_t w = write(t->memfd, p, len);
        if (w <= 0) die("writing the steps: %s", strerror(errno));
        p += w;
        len -= (size_t)w;
    }
}

static memres measure(const allocator *a, trace *t)
{
    int fd[2];
    memres m;
    memset(&m, 0, sizeof m);
    if (t->memfd < 0) make_memfd(t);
    fflush(stdout);
    fflush(stderr);
    if (pipe(fd) != 0) die("pipe: %s", strerror(errno));
    pid_t pid = fork();
    if (pid < 0) die("fork: %s", strerror(errno));
    if (pid == 0) {
        char fds[32], ns[32], nl[32];
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        snprintf(fds, sizeof fds, "%d", t->memfd);
        snprintf(ns, sizeof ns, "%zu", t->prog.nsteps);
        snprintf(nl, sizeof nl, "%zu", t->prog.nslots);
        execl("/proc/self/exe", "replay", "--measure", a->name, fds, ns, nl, (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    char buf[160] = "";
    size_t got = 0;
    ssize_t r;
    while (got < sizeof buf - 1 && (r = read(fd[0], buf + got, sizeof buf - 1 - got)) > 0) got += (size_t)r;
    close(fd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
        sscanf(buf, "%llu %llu %llu %lf", &m.peak_used, &m.peak_sys, &m.failed, &m.frag) != 4) {
        fprintf(stderr, "replay: measuring %s on %s failed\n", a->name, t->name);
        memset(&m, 0, sizeof m);
    }
    return m;
}

/* ---- checkpoints ------------------------------------------------------------------- */

static void print_checkpoint(const zmm_heap *h, size_t step)
{
    zmm_stats st;
    zmm_heap_stats(h, &st);
    printf("%zu\t%zu\t%zu\t%zu\t%zu\t%zu\n", step, st.size, st.real_size, st.peak, st.real_peak, st.cached);
}

/* Replay in slices of `every` steps (zmm_trace_replay on a window of the
 * program), printing the counters after each slice. */
static int checkpoints(const allocator *a, trace *t, size_t every)
{
    if (a->kind != K_ZMM) die("--checkpoints replays our heap only, not %s", a->name);
    zmm_heap *h = zmm_make(a);
    zmm_trace_program window = t->prog;
    size_t failed = 0;
    printf("# step\tsize\treal_size\tpeak\treal_peak\tcached\n");
    for (size_t done = 0; done < t->prog.nsteps;) {
        window.steps = t->prog.steps + done;
        window.nsteps = t->prog.nsteps - done < every ? t->prog.nsteps - done : every;
        failed += zmm_trace_replay(&window, h, t->slots);
        done += window.nsteps;
        print_checkpoint(h, done);
    }
    zmm_trace_release(&t->prog, h, t->slots);
    zmm_heap_destroy(h);
    if (failed) fprintf(stderr, "replay: %s on %s: %zu failed allocations\n", a->name, t->name, failed);
    return failed ? 1 : 0;
}

/* ---- the player --------------------------------------------------------------------- */

typedef struct html_replay {
    zmm_map_player *player;
    zmm_heap       *heap;
} html_replay;

static bool html_window(void *ctx, size_t done, const zmm_trace_step *last, const void *before, const void *after)
{
    html_replay *r = ctx;
    zmm_player_event ev = { ZMM_PLAYER_NONE, 0, 0 };
    if (last) {
        ev.op = last->op == ZMM_TRACE_ALLOC ? ZMM_PLAYER_ALLOC
              : last->op == ZMM_TRACE_FREE  ? ZMM_PLAYER_FREE : ZMM_PLAYER_REALLOC;
        ev.ptr = (uintptr_t)(last->op == ZMM_TRACE_FREE ? before : after);
        ev.size = last->op == ZMM_TRACE_FREE ? 0 : (size_t)last->size;
    }
    return zmm_map_player_frame(r->player, r->heap, done, last ? &ev : NULL);
}

static int html_page(trace *t, const char *out, size_t align)
{
    zmm_config cfg;
    char err[256];
    zmm_config_defaults(&cfg);
    cfg.track_blocks = true;
    cfg.limit = ZMM_NO_LIMIT;
    cfg.alignment = align;
    zmm_heap *h = zmm_heap_create(&cfg, err, sizeof err);
    if (!h) die("zmm_heap_create: %s", err);
    html_replay r = { zmm_map_player_new(t->name, t->prog.nsteps), h };
    if (!r.player) die("out of memory for %s", t->name);
    size_t failed = zmm_trace_replay_windows(&t->prog, h, t->slots, zmm_map_player_every(r.player), html_window, &r);
    char *page = NULL;
    size_t len = 0;
    bool ok = zmm_map_player_finish(r.player, 0, &page, &len);
    zmm_map_player_free(r.player);
    zmm_trace_release(&t->prog, h, t->slots);
    zmm_heap_destroy(h);
    if (!ok) die("out of memory while drawing %s", t->name);
    FILE *f = fopen(out, "wb");
    if (!f) { free(page); die("cannot write %s", out); }
    bool written = fwrite(page, 1, len, f) == len;
    written = fclose(f) == 0 && written;
    free(page);
    if (!written) { remove(out); die("cannot write %s", out); }
    fprintf(stderr, "replay: %s: %zu steps, %zu bytes of page, %zu failed allocations\n", out, t->prog.nsteps, len,
            failed);
    return failed ? 1 : 0;
}

/* ---- main ------------------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    static char buf[MAX_TRACES][128];
    static int n;
    char *out = buf[n++ % MAX_TRACES];
    snprintf(out, 128, "%s", s ? s + 1 : path);
    char *dot = strstr(out, ".trace");
    if (dot) *dot = '\0';
    return out;
}

static void usage(void)
{
    fprintf(stderr, "usage: replay [-r ROUNDS] [-a NAME[,NAME...]] [-l] [-i] [-m] TRACE...\n"
                    "       replay --checkpoints N [-a NAME] TRACE\n"
                    "  -r  rounds (default 11)   -a  only these allocators   -l  list allocators\n"
                    "  -i  describe the traces only   -m  no memory measurement (for profilers)\n"
                    "       replay --html OUT.html [--align 16] TRACE\n"
                    "  --checkpoints N  counters after every N steps of one replay (default allocator\n"
                    "                   zmm/malloc/cache), as in tests/fidelity/\n"
                    "  --html OUT.html  the trace player: a page with the heap after every step (or\n"
                    "                   every 10th, 100th, 1000th on long traces); --align 16 for engine traces\n");
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--measure") == 0) return measure_main(argc, argv);

    int rounds = 11, opt;
    bool info_only = false, no_memory = false;
    char *only = NULL;
    unsigned long long every = 0;
    const char *html = NULL;
    size_t align = 8;
    static const struct option long_opts[] = {
        { "checkpoints", required_argument, NULL, 'c' },
        { "html", required_argument, NULL, 'H' },
        { "align", required_argument, NULL, 'A' },
        { NULL, 0, NULL, 0 },
    };
    while ((opt = getopt_long(argc, argv, "r:a:limh", long_opts, NULL)) != -1) {
        switch (opt) {
            case 'c': {
                char *end;
                errno = 0;
                every = strtoull(optarg, &end, 10);
                if (*end || end == optarg || errno || every == 0 || optarg[0] == '-') usage();
                break;
            }
            case 'H':
                html = optarg;
                break;
            case 'A':
                align = strcmp(optarg, "16") == 0 ? 16 : strcmp(optarg, "8") == 0 ? 8 : 0;
                if (!align) usage();
                break;
            case 'r':
                rounds = atoi(optarg);
                if (rounds < 1 || rounds > MAX_ROUNDS) usage();
                break;
            case 'a':
                only = optarg;
                break;
            case 'l':
                for (int i = 0; i < N_ALL; i++) printf("%s\n", all_allocators[i].name);
                return 0;
            case 'i':
                info_only = true;
                break;
            case 'm':
                no_memory = true;
                break;
            default:
                usage();
        }
    }
    if (optind >= argc) usage();
    if (html && (every || argc - optind != 1)) usage();
    if (html) {
        trace *t = &traces[0];
        char err[256];
        t->path = argv[optind];
        t->name = base_name(argv[optind]);
        if (!zmm_trace_program_load_file(&t->prog, t->path, err, sizeof err)) die("%s", err);
        t->slots = calloc(t->prog.nslots ? t->prog.nslots : 1, sizeof(void *));
        if (!t->slots) die("out of memory for %s", t->path);
        int rc = html_page(t, html, align);
        zmm_trace_program_free(&t->prog);
        free(t->slots);
        return rc;
    }
    if (every && (argc - optind != 1 || (only && strchr(only, ',')))) usage();
    if (every && !only) only = "zmm/malloc/cache";

    for (int i = 0; i < N_ALL; i++) {
        if (only) {
            char list[1024];
            bool hit = false;
            snprintf(list, sizeof list, "%s", only);
            for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
                if (strcmp(tok, all_allocators[i].name) == 0) hit = true;
            }
            if (!hit) continue;
        }
        allocs[nallocs++] = &all_allocators[i];
    }
    if (!nallocs) die("no allocator matches %s (see -l)", only);

    for (int i = optind; i < argc && ntraces < MAX_TRACES; i++) {
        trace *t = &traces[ntraces];
        char err[256];
        t->path = argv[i];
        t->name = base_name(argv[i]);
        t->memfd = -1;
        if (!zmm_trace_program_load_file(&t->prog, t->path, err, sizeof err)) die("%s", err);
        t->slots = calloc(t->prog.nslots ? t->prog.nslots : 1, sizeof(void *));
        if (!t->slots) die("out of memory for %s", t->path);
        const zmm_trace_program *p = &t->prog;
        ntraces++;
        if (every) break;      /* its output is the goldens' format: one header line */
        printf("# trace %s: %zu steps; records: %llu alloc, %llu free, %llu realloc, %llu free(NULL), "
               "%llu realloc(NULL), %llu failed; %llu frees and %llu reallocs of blocks from before the "
               "trace; peak %llu bytes in %llu blocks; %llu blocks live at the end%s\n",
               t->name, p->nsteps, (unsigned long long)p->allocs, (unsigned long long)p->frees,
               (unsigned long long)p->reallocs, (unsigned long long)p->free_null,
               (unsigned long long)p->realloc_null,
               (unsigned long long)(p->failed_allocs + p->failed_reallocs), (unsigned long long)p->foreign_frees,
               (unsigned long long)p->foreign_reallocs, (unsigned long long)p->peak_live_bytes,
               (unsigned long long)p->peak_live_blocks, (unsigned long long)p->end_live_blocks,
               p->complete ? "" : (p->truncated ? " (truncated)" : " (no END record)"));
    }
    if (info_only) return 0;
    if (every) {
        int rc = checkpoints(allocs[0], &traces[0], (size_t)every);
        zmm_trace_program_free(&traces[0].prog);
        free(traces[0].slots);
        return rc;
    }

    /* memory: fresh processes */
    static memres mem[MAX_TRACES][MAX_ALLOCS];
    for (int ti = 0; ti < ntraces && !no_memory; ti++) {
        for (int ai = 0; ai < nallocs; ai++) mem[ti][ai] = measure(allocs[ai], &traces[ti]);
    }

    /* time: a warm-up replay each, then interleaved rounds */
    static double times[MAX_TRACES][MAX_ALLOCS][MAX_ROUNDS];
    static size_t failures[MAX_TRACES][MAX_ALLOCS];
    for (int ti = 0; ti < ntraces; ti++) {
        for (int ai = 0; ai < nallocs; ai++) {
            size_t f;
            (void)time_one(ai, &traces[ti], &f);
        }
    }
    /* each round starts one allocator further on, so none is always the
     * first after another trace's replays (measured: the first of the turn
     * ran up to 15 % slower than its place in the middle) */
    for (int r = 0; r < rounds; r++) {
        for (int ti = 0; ti < ntraces; ti++) {
            for (int k = 0; k < nallocs; k++) {
                int ai = (k + r) % nallocs;
                size_t f = 0;
                times[ti][ai][r] = time_one(ai, &traces[ti], &f);
                failures[ti][ai] += f;
            }
        }
    }
#ifdef HAVE_PHP_EMBED
    php_stop();
#endif

    printf("# rounds %d, interleaved; ns per step; bytes\n", rounds);
    printf("# row\ttrace\tallocator\tsteps\tbest_ns\tmedian_ns\tpeak_req\tpeak_used\tpeak_sys\tfrag\n");
    for (int ti = 0; ti < ntraces; ti++) {
        trace *t = &traces[ti];
        for (int ai = 0; ai < nallocs; ai++) {
            double *v = times[ti][ai];
            qsort(v, rounds, sizeof *v, cmp_double);
            double med = rounds % 2 ? v[rounds / 2] : (v[rounds / 2 - 1] + v[rounds / 2]) / 2;
            double n = t->prog.nsteps ? (double)t->prog.nsteps : 1;
            char frag[32] = "-";
            if (allocs[ai]->kind == K_ZMM) snprintf(frag, sizeof frag, "%.3f", mem[ti][ai].frag);
            printf("row\t%s\t%s\t%zu\t%.2f\t%.2f\t%llu\t%llu\t%llu\t%s\n", t->name, allocs[ai]->name,
                   t->prog.nsteps, v[0] / n, med / n, (unsigned long long)t->prog.peak_live_bytes,
                   mem[ti][ai].peak_used, mem[ti][ai].peak_sys, frag);
            if (failures[ti][ai] || mem[ti][ai].failed) {
                printf("# warning: %s on %s: %zu failed allocations\n", allocs[ai]->name, t->name,
                       failures[ti][ai] + (size_t)mem[ti][ai].failed);
            }
        }
    }
    for (int ai = 0; ai < nallocs; ai++) {
        if (zmm_heaps[ai]) zmm_heap_destroy(zmm_heaps[ai]);
    }
    for (int ti = 0; ti < ntraces; ti++) {
        zmm_trace_program_free(&traces[ti].prog);
        free(traces[ti].slots);
        if (traces[ti].memfd >= 0) close(traces[ti].memfd);
    }
    return 0;
}
