/* test_live.c - the live-block index (src/core/live.h) on its own: the empty
 * index, key 0, collisions and runs that wrap around the table's end,
 * removal from the middle of a run (every other key must stay reachable),
 * growth, clear, and a long random sequence checked against a plain list. */
#include "tap.h"
#include "live.h"

/* keys as the heap hands them out: 16-byte aligned, never 0 */
#define KEY(n) ((uintptr_t)0x7f0000100000u + (uintptr_t)(n) * 16)

/* n distinct keys whose home slot (in t's current table) is `home` */
static void keys_with_home(const zmm_live *t, size_t home, uintptr_t *out, size_t n)
{
    size_t found = 0;
    for (size_t c = 1; found < n; c++) {
        if (zmm_live_hash(t, KEY(c)) == home) out[found++] = KEY(c);
    }
}

static bool has(const zmm_live *t, uintptr_t key, size_t value)
{
    const size_t *v = zmm_live_get(t, key);
    return v && *v == value;
}

static size_t each_count, each_sum;
static void count_entry(uintptr_t key, size_t value, void *ctx)
{
    (void)key;
    (void)ctx;
    each_count++;
    each_sum += value;
}

static void test_empty(void)
{
    zmm_live t;
    zmm_live_init(&t);
    ok(zmm_live_get(&t, KEY(1)) == NULL, "empty: get finds nothing");
    ok(zmm_live_get(&t, 0) == NULL, "empty: get(0) finds nothing");
    ok(!zmm_live_remove(&t, KEY(1)), "empty: remove finds nothing");
    ok(!zmm_live_remove(&t, 0), "empty: remove(0) finds nothing");
    zmm_live_clear(&t);
    each_count = 0;
    zmm_live_each(&t, count_entry, NULL);
    is_sz(each_count, 0, "empty: each visits nothing");
    is_sz(t.count, 0, "empty: count 0");
    zmm_live_free(&t);
    ok(zmm_live_get(&t, KEY(1)) == NULL, "freed empty index: still usable");
}

static void test_basic(void)
{
    zmm_live t;
    zmm_live_init(&t);
    ok(zmm_live_reserve(&t), "reserve on an empty index makes a table");
    is_sz(t.mask + 1, 64, "first table: 64 slots");
    is_sz(t.limit, 32, "first table: room for 32");
    zmm_live_put(&t, KEY(1), 100);
    ok(has(&t, KEY(1), 100), "put then get");
    zmm_live_put(&t, KEY(1), 101);
    ok(has(&t, KEY(1), 101), "put of a present key replaces its value");
    is_sz(t.count, 1, "... and does not count it twice");
    ok(zmm_live_get(&t, 0) == NULL, "get(0) on a filled index finds nothing");
    ok(!zmm_live_remove(&t, 0), "remove(0) on a filled index finds nothing");
    ok(zmm_live_get(&t, KEY(1) + 8) == NULL, "an interior address is not a key");
    ok(zmm_live_remove(&t, KEY(1)), "remove a present key");
    ok(!zmm_live_remove(&t, KEY(1)), "remove it again: gone");
    is_sz(t.count, 0, "count back to 0");
    zmm_live_free(&t);
}

/* A run of keys with one home slot, removed from the front, the middle and
 * the back: the backward shift must keep every other key reachable. */
static void test_run(size_t home, const char *where)
{
    zmm_live t;
    uintptr_t k[6];
    zmm_live_init(&t);
    zmm_live_reserve(&t);
    keys_with_home(&t, home, k, 6);
    for (size_t i = 0; i < 6; i++) zmm_live_put(&t, k[i], i);
    /* a key homed right after the run's start sits behind it: it must move too */
    uintptr_t next[1];
    keys_with_home(&t, (home + 1) & t.mask, next, 1);
    zmm_live_put(&t, next[0], 77);

    const size_t order[6] = {2, 0, 5, 3, 1, 4};
    bool gone[6] = {false};
    for (size_t r = 0; r < 6; r++) {
        ok(zmm_live_remove(&t, k[order[r]]), "%s: remove key %zu of the run", where, order[r]);
        gone[order[r]] = true;
        bool all = true;
        for (size_t i = 0; i < 6; i++) {
            all = all && (gone[i] ? zmm_live_get(&t, k[i]) == NULL : has(&t, k[i], i));
        }
        ok(all && has(&t, next[0], 77), "%s: the others are all reachable after %zu removals", where, r + 1);
    }
    is_sz(t.count, 1, "%s: one key left", where);
    zmm_live_free(&t);
}

static void test_grow_and_clear(void)
{
    zmm_live t;
    zmm_live_init(&t);
    bool all = true;
    for (size_t i = 1; i <= 1000; i++) {
        all = all && zmm_live_reserve(&t);
        zmm_live_put(&t, KEY(i), i);
    }
    ok(all, "1000 reserves succeed");
    is_sz(t.count, 1000, "1000 keys counted");
    is_sz(t.mask + 1, 2048, "the table grew to 2048 slots (load at most 1/2)");
    all = true;
    for (size_t i = 1; i <= 1000; i++) all = all && has(&t, KEY(i), i);
    ok(all, "every key survived the growth");
    each_count = each_sum = 0;
    zmm_live_each(&t, count_entry, NULL);
    is_sz(each_count, 1000, "each visits 1000 entries");
    is_sz(each_sum, 500500, "... with their values");
    zmm_live_clear(&t);
    is_sz(t.count, 0, "clear: count 0");
    ok(zmm_live_get(&t, KEY(5)) == NULL, "clear: keys gone");
    ok(zmm_live_reserve(&t), "clear: still usable");
    zmm_live_put(&t, KEY(5), 5);
    ok(has(&t, KEY(5), 5), "clear: put works again");
    zmm_live_free(&t);
}

/* a fixed pseudo-random sequence (Knuth's MMIX LCG, high bits), the same on every run */
static uint64_t rng_state = 1;
static uint64_t rng(void)
{
    rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
    return rng_state >> 33;
}

static void test_random(void)
{
    enum { UNIVERSE = 600, STEPS = 200000 };
    static size_t model[UNIVERSE + 1];   /* 0 = absent, else value */
    zmm_live t;
    zmm_live_init(&t);
    size_t present = 0, mismatches = 0;
    for (size_t s = 0; s < STEPS; s++) {
        size_t n = 1 + (size_t)(rng() % UNIVERSE);
        uint64_t op = rng() % 3;
        if (op == 0) {
            if (!zmm_live_reserve(&t)) bail_out("reserve failed");
            if (!model[n]) present++;
            model[n] = s + 1;
            zmm_live_put(&t, KEY(n), s + 1);
        } else if (op == 1) {
            bool removed = zmm_live_remove(&t, KEY(n));
            if (removed != (model[n] != 0)) mismatches++;
            if (model[n]) present--;
            model[n] = 0;
        } else {
            const size_t *v = zmm_live_get(&t, KEY(n));
            if (model[n] ? !(v && *v == model[n]) : v != NULL) mismatches++;
        }
        if (t.count != present) mismatches++;
    }
    is_sz(mismatches, 0, "random: %d steps agree with a plain list", STEPS);
    size_t wrong = 0;
    for (size_t n = 1; n <= UNIVERSE; n++) {
        if (model[n] ? !has(&t, KEY(n), model[n]) : zmm_live_get(&t, KEY(n)) != NULL) wrong++;
    }
    is_sz(wrong, 0, "random: every key ends as the list says");
    zmm_live_free(&t);
}

int main(void)
{
    test_empty();
    test_basic();
    test_run(10, "run in the middle");
    test_run(61, "run wrapping past the end");
    test_run(63, "run starting at the last slot");
    test_grow_and_clear();
    test_random();
    return done_testing();
}
