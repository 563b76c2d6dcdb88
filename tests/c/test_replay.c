/* test_replay.c - the trace format (src/trace/trace.h): exact bytes of hand-written
 * records, the reader, damaged and truncated files, the replay program and
 * the final heap statistics of a replay, which must equal both the numbers
 * worked out by hand and a heap driven by the same calls directly. */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
# define _POSIX_C_SOURCE 200809L   /* mkstemp, close */
#endif
#include "helpers.h"
#include "trace.h"

#include <stdio.h>
#include <stdlib.h>
#ifndef _WIN32
# include <unistd.h>
#endif

/* Everything the writer produced, read back from a tmpfile. */
static unsigned char *written(FILE *f, size_t *len)
{
    long n;
    fflush(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) bail_out("cannot read back the tmpfile");
    *len = (size_t)n;
    return buf;
}

static void test_varints(void)
{
    unsigned char b[10];
    size_t pos = 0;
    uint64_t v = 0;
    is_int(zmm_zigzag(0), 0, "zigzag 0 -> 0");
    is_int(zmm_zigzag(-1), 1, "zigzag -1 -> 1");
    is_int(zmm_zigzag(1), 2, "zigzag 1 -> 2");
    is_int(zmm_unzigzag(zmm_zigzag(INT64_MIN)), INT64_MIN, "zigzag round trip INT64_MIN");
    is_sz(zmm_varint_put(b, 300), 2, "varint 300: 2 bytes");
    ok(b[0] == 0xAC && b[1] == 0x02, "varint 300 = AC 02");
    is_sz(zmm_varint_put(b, UINT64_MAX), 10, "varint UINT64_MAX: 10 bytes");
    ok(zmm_varint_get(b, 10, &pos, &v) && v == UINT64_MAX && pos == 10, "varint UINT64_MAX round trip");
    pos = 0;
    ok(!zmm_varint_get(b, 5, &pos, &v) && pos == 5, "varint cut short: false, pos at the end");
    memset(b, 0xFF, sizeof b);
    pos = 0;
    ok(!zmm_varint_get(b, 10, &pos, &v) && pos < 10, "11-byte varint: false, pos inside");
}

/* The records of the format description, byte for byte. */
static const unsigned char expected_records[] = {
    0x01, 0x80, 0x80, 0x01, 0x64,             /* alloc 0x10000, 100 */
    0x01, 0x20, 0xC8, 0x01,                   /* alloc 0x10080, 200 */
    0x03, 0x1F, 0x40, 0xAC, 0x02,             /* realloc 0x10000 -> 0x10100, 300 */
    0x02, 0x1F,                               /* free 0x10080 */
    0x06,                                     /* free NULL */
    0x21, 0x60, 0x32,                         /* realloc(NULL) -> 0x10200, 50 */
    0x04, 0x80, 0x80, 0x80, 0x20,             /* alloc 64 MB failed */
    0x05, 0x3F, 0x80, 0x80, 0x80, 0x40,       /* realloc 0x10100 to 128 MB failed */
    0x11, 0x86, 0x04, 0x08,                   /* alloc 0x10203 (unaligned), 8 */
    0x02, 0x00,                               /* free 0x10203 */
    0x12, 0xFA, 0xB7, 0xCE, 0xDE, 0x01,       /* free 0xdead000 (never allocated), RAW */
    0x0F,                                     /* END */
};

static void write_sample(zmm_trace_writer *w)
{
    zmm_trace_alloc(w, 0x10000, 100);
    zmm_trace_alloc(w, 0x10080, 200);
    zmm_trace_realloc(w, 0x10000, 0x10100, 300);
    zmm_trace_free(w, 0x10080);
    zmm_trace_free(w, 0);
    zmm_trace_realloc(w, 0, 0x10200, 50);
    zmm_trace_alloc(w, 0, 64u << 20);
    zmm_trace_realloc(w, 0x10100, 0, 128u << 20);
    zmm_trace_alloc(w, 0x10203, 8);
    zmm_trace_free(w, 0x10203);
    zmm_trace_free(w, 0xdead000);
}

static void test_exact_bytes(void)
{
    FILE *f = tmpfile();
    char err[256] = "";
    zmm_trace_counts c;
    size_t len;
    if (!f) bail_out("tmpfile failed");
    zmm_trace_writer *w = zmm_trace_writer_from_file(f, false, err, sizeof err);
    ok(w != NULL, "writer on a tmpfile");
    write_sample(w);
    zmm_trace_writer_counts(w, &c);
    is_int(c.file_bytes, 16 + sizeof expected_records - 1, "counts before close: file_bytes includes the buffer");
    ok(zmm_trace_writer_close(w, &c, err, sizeof err), "close succeeds");
    is_str(err, "", "no error");
    is_int(c.allocs, 4, "4 alloc calls");
    is_int(c.frees, 4, "4 free calls");
    is_int(c.reallocs, 3, "3 realloc calls");
    is_int(c.failed, 2, "2 failed");
    is_int(c.free_null, 1, "1 free(NULL)");
    is_int(c.realloc_null, 1, "1 realloc(NULL)");
    is_int(c.bytes_allocated, 100 + 200 + 50 + 8, "bytes_allocated 358");
    is_int(c.bytes_reallocated, 300, "bytes_reallocated 300");
    is_int(c.records, 11, "11 records");
    is_int(c.file_bytes, 16 + sizeof expected_records, "file_bytes = header + records + END");

    unsigned char *d = written(f, &len);
    is_sz(len, 16 + sizeof expected_records, "file length");
    ok(memcmp(d, "ZMMTRACE", 8) == 0, "magic ZMMTRACE");
    ok(d[8] == 1 && d[9] == 0, "version 1 (little-endian u16)");
    ok(d[10] == 3, "pointer shift 3");
    ok(d[11] == sizeof(void *), "pointer size");
    ok(d[12] == 0 && d[13] == 0 && d[14] == 0 && d[15] == 0, "reserved bytes 0");
    int same = len == 16 + sizeof expected_records && memcmp(d + 16, expected_records, sizeof expected_records) == 0;
    ok(same, "records byte for byte as documented");
    if (!same) {
        for (size_t i = 16; i < len; i++) diag("byte %zu: %02x", i - 16, d[i]);
    }

    /* read it back */
    zmm_trace_reader r;
    zmm_trace_event ev;
    ok(zmm_trace_reader_init(&r, d, len, err, sizeof err), "reader accepts it");
    struct { int op; unsigned flags; uint64_t ptr, new_ptr, size; } want[] = {
        { ZMM_TRACE_ALLOC, 0, 0x10000, 0, 100 },
        { ZMM_TRACE_ALLOC, 0, 0x10080, 0, 200 },
        { ZMM_TRACE_REALLOC, 0, 0x10000, 0x10100, 300 },
        { ZMM_TRACE_FREE, 0, 0x10080, 0, 0 },
        { ZMM_TRACE_FREE_NULL, 0, 0, 0, 0 },
        { ZMM_TRACE_ALLOC, ZMM_TRACE_F_VIA_REALLOC, 0x10200, 0, 50 },
        { ZMM_TRACE_FAILED_ALLOC, 0, 0, 0, 64u << 20 },
        { ZMM_TRACE_FAILED_REALLOC, 0, 0x10100, 0, 128u << 20 },
        { ZMM_TRACE_ALLOC, ZMM_TRACE_F_RAW, 0x10203, 0, 8 },
        { ZMM_TRACE_FREE, 0, 0x10203, 0, 0 },
        { ZMM_TRACE_FREE, ZMM_TRACE_F_RAW, 0xdead000, 0, 0 },
    };
    size_t n = 0, bad = 0;
    int rc;
    while ((rc = zmm_trace_next(&r, &ev)) > 0) {
        if (n < sizeof want / sizeof want[0]) {
            if ((int)ev.op != want[n].op || ev.flags != want[n].flags || ev.ptr != want[n].ptr ||
                ev.new_ptr != want[n].new_ptr || ev.size != want[n].size) {
                diag("event %zu: op %d flags %x ptr %llx new %llx size %llu", n, ev.op, ev.flags,
                     (unsigned long long)ev.ptr, (unsigned long long)ev.new_ptr, (unsigned long long)ev.size);
                bad++;
            }
        }
        n++;
    }
    is_int(rc, 0, "reader ends cleanly");
    is_sz(n, 11, "11 events");
    is_sz(bad, 0, "every event as written");
    ok(r.ended && !r.truncated, "END seen, not truncated");

    /* the program of this trace */
    zmm_trace_program p;
    ok(zmm_trace_program_load(&p, d, len, err, sizeof err), "program loads");
    is_int(p.allocs, 4, "program: 4 ALLOC records (one via realloc)");
    is_int(p.frees, 3, "program: 3 FREE records");
    is_int(p.reallocs, 1, "program: 1 REALLOC record");
    is_int(p.free_null, 1, "program: 1 free(NULL)");
    is_int(p.realloc_null, 1, "program: 1 realloc(NULL)");
    is_int(p.failed_allocs, 1, "program: 1 failed alloc");
    is_int(p.failed_reallocs, 1, "program: 1 failed realloc");
    is_int(p.foreign_frees, 1, "program: 1 foreign free (dropped)");
    is_int(p.foreign_reallocs, 0, "program: 0 foreign reallocs");
    is_sz(p.nsteps, 7, "program: 7 steps (4 alloc, 1 realloc, 2 free)");
    is_sz(p.nslots, 3, "program: 3 block numbers (one reused)");
    is_int(p.peak_live_bytes, 500, "program: peak requested 500 (300 + 200)");
    is_int(p.peak_live_blocks, 3, "program: peak 3 blocks");
    is_int(p.end_live_bytes, 350, "program: 350 bytes live at the end (300 + 50)");
    is_int(p.end_live_blocks, 2, "program: 2 blocks live at the end");
    is_int(p.total_requested, 100 + 200 + 300 + 50 + 8, "program: total requested");
    ok(p.complete && !p.truncated, "program: complete");
    zmm_trace_program_free(&p);

    /* damage */
    unsigned char *bad_d = malloc(len);
    memcpy(bad_d, d, len);
    bad_d[0] = 'X';
    ok(!zmm_trace_program_load(&p, bad_d, len, err, sizeof err), "bad magic refused");
    like(err, "not a zendmm trace", "  with a clear message");
    memcpy(bad_d, d, len);
    bad_d[8] = 2;
    ok(!zmm_trace_program_load(&p, bad_d, len, err, sizeof err), "version 2 refused");
    like(err, "version 2 is not supported", "  with a clear message");
    memcpy(bad_d, d, len);
    bad_d[16] = 0x07;
    ok(!zmm_trace_program_load(&p, bad_d, len, err, sizeof err), "unknown operation refused");
    like(err, "unknown operation 7 at offset 16", "  with its offset");
    memcpy(bad_d, d, len);
    bad_d[16] = 0x41;
    ok(!zmm_trace_program_load(&p, bad_d, len, err, sizeof err), "reserved flag refused");
    ok(!zmm_trace_program_load(&p, d, 10, err, sizeof err), "a file shorter than the header refused");
    /* cut inside the realloc record (offset 16+9 is its tag; +12 is inside its size) */
    ok(zmm_trace_program_load(&p, d, 16 + 12, err, sizeof err), "cut inside a record: loads");
    ok(p.truncated && !p.complete, "  flagged truncated");
    is_sz(p.nsteps, 2, "  the 2 whole records before the cut");
    zmm_trace_program_free(&p);
    ok(zmm_trace_program_load(&p, d, 16 + 9, err, sizeof err), "cut on a record boundary: loads");
    ok(!p.truncated && !p.complete, "  not truncated, not complete (no END)");
    zmm_trace_program_free(&p);
    free(bad_d);
    free(d);
    fclose(f);
}

static void test_open_errors(void)
{
    char err[256] = "";
    ok(zmm_trace_writer_open("/nonexistent-dir/x.trace", err, sizeof err) == NULL, "open in a missing dir fails");
    like(err, "cannot open \"/nonexistent-dir/x.trace\" for writing", "  with the path in the message");
    ok(zmm_trace_writer_open("", err, sizeof err) == NULL, "empty path fails");
    like(err, "empty", "  with a clear message");
}

/* The hand-written trace of the stats test, through the writer. */
static unsigned char *stats_trace(size_t *len)
{
    FILE *f = tmpfile();
    char err[256];
    if (!f) bail_out("tmpfile failed");
    zmm_trace_writer *w = zmm_trace_writer_from_file(f, false, err, sizeof err);
    zmm_trace_alloc(w, 0x1000, 100);            /* A */
    zmm_trace_alloc(w, 0x2000, 200);            /* B */
    zmm_trace_alloc(w, 0x3000, 1000);           /* C */
    zmm_trace_free(w, 0x2000);                  /* B */
    zmm_trace_alloc(w, 0x4000, 5000);           /* D */
    zmm_trace_realloc(w, 0x3000, 0x3000, 500);  /* C shrinks */
    zmm_trace_free(w, 0x1000);                  /* A */
    zmm_trace_alloc(w, 0x2000, 64);             /* E reuses B's address */
    zmm_trace_free(w, 0x9000);                  /* foreign: dropped */
    zmm_trace_realloc(w, 0x8000, 0x5000, 40);   /* foreign: X, an alloc of 40 */
    zmm_trace_free(w, 0);                       /* dropped */
    zmm_trace_alloc(w, 0, 1u << 30);            /* failed: dropped */
    zmm_trace_writer_close(w, NULL, NULL, 0);
    unsigned char *d = written(f, len);
    fclose(f);
    return d;
}

static void test_replay_stats(void)
{
    const layout L = layout_for(false, false);
    size_t len;
    char err[256];
    unsigned char *d = stats_trace(&len);
    zmm_trace_program p;
    if (!zmm_trace_program_load(&p, d, len, err, sizeof err)) bail_out("load: %s", err);
    is_sz(p.nsteps, 9, "stats trace: 9 steps (6 alloc, 1 realloc, 2 free)");
    is_int(p.foreign_frees, 1, "stats trace: 1 foreign free");
    is_int(p.foreign_reallocs, 1, "stats trace: 1 foreign realloc");
    is_int(p.peak_live_bytes, 100 + 1000 + 5000, "stats trace: peak requested 6100");

    /* cache off: every free coalesces, so size = reserve + live true sizes */
    size_t reserve = exp_true(&L, ZMM_RESERVE_SIZE);
    size_t tA = exp_true(&L, 100), tB = exp_true(&L, 200), tC = exp_true(&L, 1000), tD = exp_true(&L, 5000);
    size_t tC2 = exp_true(&L, 500), tE = exp_true(&L, 64), tX = exp_true(&L, 40);
    size_t peak = reserve + tA + tC + tD;            /* after D, before C shrinks */
    size_t final = reserve + tC2 + tD + tE + tX;
    ok(reserve + tA + tB + tC < peak, "peak is reached after D (fact-sheet sizes)");

    zmm_heap *h = mkheap(false, NULL);
    void **slots = calloc(p.nslots, sizeof *slots);
    is_sz(zmm_trace_replay(&p, h, slots), 0, "replay: no failures");
    zmm_stats s = stats_of(h);
    is_sz(s.size, final, "replay: size = reserve + C' + D + E + X = %zu", final);
    is_sz(s.peak, peak, "replay: peak = reserve + A + C + D = %zu", peak);
    is_sz(s.real_size, ZMM_SEG_SIZE, "replay: real_size one segment");
    is_sz(s.real_peak, ZMM_SEG_SIZE, "replay: real_peak one segment");
    is_sz(s.live_blocks, 4, "replay: 4 live blocks");
    is_sz(s.cached, 0, "replay: nothing cached (cache off)");
    size_t nlive = 0;
    for (size_t i = 0; i < p.nslots; i++) nlive += slots[i] != NULL;
    is_sz(nlive, 4, "replay: 4 slots hold a block");
    for (size_t i = 0; i < p.nslots; i++) {
        if (slots[i] && zmm_usable_size(h, slots[i]) == 500) {
            ok(1, "replay: C holds 500 requested bytes");
            break;
        }
        if (i + 1 == p.nslots) ok(0, "replay: C holds 500 requested bytes");
    }
    check_clean(h, "after replay");
    zmm_trace_release(&p, h, slots);
    s = stats_of(h);
    is_sz(s.live_blocks, 0, "release: no live blocks");
    is_sz(s.size, reserve, "release: size back to the reserve");
    nlive = 0;
    for (size_t i = 0; i < p.nslots; i++) nlive += slots[i] != NULL;
    is_sz(nlive, 0, "release: slots cleared");
    zmm_heap_destroy(h);
    free(slots);
    zmm_trace_program_free(&p);
    free(d);
}

/* A longer pseudo-random trace: the replay must leave a heap in exactly the
 * state of a twin heap driven by the same calls directly. */
static uint64_t rng_state = 88172645463325252ULL;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static size_t rnd_size(void)
{
    uint64_t r = rnd() % 100;
    if (r < 60) return 1 + rnd() % 64;
    if (r < 85) return 65 + rnd() % 448;
    if (r < 98) return 513 + rnd() % 8000;
    return 9000 + rnd() % 400000;
}

#define NTWIN 3000
static void test_twin(bool cache, bool track)
{
    FILE *f = tmpfile();
    char err[256];
    if (!f) bail_out("tmpfile failed");
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.cache = cache;
    cfg.track_blocks = track;
    zmm_heap *twin = mkheap_cfg(&cfg, NULL);
    zmm_trace_writer *w = zmm_trace_writer_from_file(f, false, err, sizeof err);
    static void *live[NTWIN];
    memset(live, 0, sizeof live);
    /* the twin's own pointers are the trace's addresses */
    for (int i = 0; i < 40000; i++) {
        int k = (int)(rnd() % NTWIN);
        uint64_t r = rnd() % 10;
        if (!live[k]) {
            size_t n = rnd_size();
            if (r < 2) {
                live[k] = zmm_realloc(twin, NULL, n);
                zmm_trace_realloc(w, 0, (uintptr_t)live[k], n);
            } else {
                live[k] = zmm_malloc(twin, n);
                zmm_trace_alloc(w, (uintptr_t)live[k], n);
            }
        } else if (r < 6) {
            zmm_free(twin, live[k]);
            zmm_trace_free(w, (uintptr_t)live[k]);
            live[k] = NULL;
        } else {
            size_t n = rnd_size();
            void *q = zmm_realloc(twin, live[k], n);
            zmm_trace_realloc(w, (uintptr_t)live[k], (uintptr_t)q, n);
            live[k] = q;
        }
    }
    zmm_trace_writer_close(w, NULL, NULL, 0);
    size_t len;
    unsigned char *d = written(f, &len);
    fclose(f);

    zmm_trace_program p;
    ok(zmm_trace_program_load(&p, d, len, err, sizeof err), "twin %s/%s: program loads", cache ? "cache" : "nocache",
       track ? "track" : "notrack");
    is_int(p.foreign_frees + p.foreign_reallocs + p.reused, 0, "  no foreign or reused blocks");
    zmm_heap *h = mkheap_cfg(&cfg, NULL);
    void **slots = calloc(p.nslots, sizeof *slots);
    is_sz(zmm_trace_replay(&p, h, slots), 0, "  replay: no failures");
    zmm_stats a = stats_of(h), b = stats_of(twin);
    is_sz(a.size, b.size, "  size as the twin (%zu)", b.size);
    is_sz(a.peak, b.peak, "  peak as the twin (%zu)", b.peak);
    is_sz(a.real_size, b.real_size, "  real_size as the twin (%zu)", b.real_size);
    is_sz(a.real_peak, b.real_peak, "  real_peak as the twin (%zu)", b.real_peak);
    is_sz(a.cached, b.cached, "  cached as the twin (%zu)", b.cached);
    is_sz(a.segments, b.segments, "  segments as the twin (%zu)", b.segments);
    is_sz(a.live_blocks, b.live_blocks, "  live_blocks as the twin (%zu)", b.live_blocks);
    size_t nlive = 0, twin_live = 0;
    for (size_t i = 0; i < p.nslots; i++) nlive += slots[i] != NULL;
    for (int i = 0; i < NTWIN; i++) twin_live += live[i] != NULL;
    is_sz(nlive, twin_live, "  live blocks as the twin (%zu)", twin_live);
    is_int(p.end_live_blocks, twin_live, "  program end_live_blocks");
    check_clean(h, "  replayed heap");
    zmm_trace_release(&p, h, slots);
    a = stats_of(h);
    is_sz(a.size - a.cached, exp_true(&(layout){ 16, 32, 32, 0, 0, 0, 8 }, ZMM_RESERVE_SIZE),
          "  after release only the reserve is in use");
    zmm_heap_destroy(h);
    zmm_heap_destroy(twin);
    free(slots);
    zmm_trace_program_free(&p);
    free(d);
}

/* A trace written through a file path, left without END (as a killed process
 * leaves it after the last flush). */
static void test_flush_no_end(void)
{
#ifdef _WIN32
    char path[] = "zmm_trace_test.tmp";
#else
    char path[] = "/tmp/zmm_trace_testXXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) bail_out("mkstemp failed");
    close(fd);
#endif
    char err[256] = "";
    zmm_trace_writer *w = zmm_trace_writer_open(path, err, sizeof err);
    ok(w != NULL, "writer_open on a path");
    for (int i = 0; i < 10000; i++) {
        zmm_trace_alloc(w, 0x100000 + (uint64_t)i * 64, 48);
    }
    ok(zmm_trace_flush(w), "flush");
    /* read the file while the writer is still open: all flushed, no END */
    zmm_trace_program p;
    ok(zmm_trace_program_load_file(&p, path, err, sizeof err), "flushed file loads");
    is_sz(p.nsteps, 10000, "  10000 steps");
    ok(!p.complete && !p.truncated, "  incomplete (no END), not truncated");
    zmm_trace_program_free(&p);
    for (int i = 0; i < 10000; i++) zmm_trace_free(w, 0x100000 + (uint64_t)i * 64);
    ok(zmm_trace_writer_close(w, NULL, err, sizeof err), "close");
    ok(zmm_trace_program_load_file(&p, path, err, sizeof err), "closed file loads");
    ok(p.complete, "  complete");
    is_int(p.end_live_blocks, 0, "  nothing live at the end");
    is_int(p.peak_live_bytes, 480000, "  peak 480000 requested bytes");
    zmm_trace_program_free(&p);
    remove(path);
    ok(!zmm_trace_program_load_file(&p, path, err, sizeof err), "a missing file is refused");
    like(err, "cannot open", "  with a clear message");
}

int main(void)
{
    test_varints();
    test_exact_bytes();
    test_open_errors();
    test_replay_stats();
    test_twin(true, true);
    test_twin(false, false);
    test_twin(true, false);
    test_flush_no_end();
    return done_testing();
}
