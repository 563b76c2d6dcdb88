#!/usr/bin/env bash
# scripts/zts/engine-threads.sh - threads that come and go in the mode: the
# embed-SAPI driver engine-threads.c on the ZTS debug build, then under helgrind.
#
#   scripts/zts/engine-threads.sh          (from the top of a copy of the tree)
#   ROUNDS=6 THREADS=4 REQUESTS=25         the plain run (600 requests by default)
#   FB_ROUNDS=3                            the --fallback run (2 threads, 20 requests each)
#   HG_ROUNDS=2 HG_THREADS=3 HG_REQUESTS=4 the run under helgrind (slow: small)
#
# Builds the extension against the ZTS debug PHP (scripts/builds/php82-debug.sh
# zts, cached; it has the embed SAPI, lib/libphp.so) and the driver, runs the
# driver, then runs it under valgrind --tool=helgrind with
# scripts/zts/helgrind.supp (PHP's own reports, each with its reason). Checks:
#   - every check of the plain run (engine-threads.c says which), one each;
#   - every check of the --fallback run (FB_ROUNDS rounds of 2 threads, 1 GB
#     segments, the address space limited to room for one more): per round one
#     thread's engine heap is made, the other's cannot be, and that thread runs
#     its requests on PHP's own heap, its phpinfo saying why;
#   - the debug build reported no leak and no failed assertion (its stderr);
#   - with zendmm_ext.engine_trace=FILE, FILE (the startup thread's heap) and
#     FILE.1 ... FILE.N (the N threads') are each a complete trace;
#   - helgrind ran, and none of its reports has a frame of this project's code
#     (engine_*, zendmm_*, zmm_* functions); any other report (PHP's own) must be
#     a suppression listed with its reason in scripts/zts/helgrind.supp;
#   - the same small run under memcheck loses no block (the threads' engine
#     heaps, malloc'd segments, were all destroyed; memcheck's other reports are
#     PHP's word-at-a-time string compares of a build without valgrind support).
# Last line: "zts engine threads: N passed, N failed"; exit 1 if any failed.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
. "$ROOT/scripts/builds/lib.sh"   # ext_build_in_copy
ROUNDS=${ROUNDS:-6} THREADS=${THREADS:-4} REQUESTS=${REQUESTS:-25}
FB_ROUNDS=${FB_ROUNDS:-3} HG_ROUNDS=${HG_ROUNDS:-2} HG_THREADS=${HG_THREADS:-3} HG_REQUESTS=${HG_REQUESTS:-4}
JOBS=${JOBS:-2}
passed=0 failed=0
result() { # ok|fail what
    if [ "$1" = ok ]; then passed=$((passed + 1)); echo "ok: $2"; else failed=$((failed + 1)); echo "not ok: $2"; fi
}
finish() { echo "zts engine threads: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

if ! prefix=$(bash "$ROOT/scripts/builds/php82-debug.sh" zts); then
    result fail "the ZTS debug build with the embed SAPI"; finish
fi
echo "PHP: $prefix"
work=$(mktemp -d "${TMPDIR:-/tmp}/zendmm-zts-threads.XXXXXX")
trap 'rm -rf "$work"' EXIT

# the extension, built against that PHP in a copy of the tree
if ! ext_build_in_copy "$ROOT" "$prefix" "$work" "$JOBS"; then
    tail -30 "$work/ext-build.log"
    result fail "the extension builds against the ZTS debug PHP"; finish
fi

# the driver, linked with the embed SAPI
inc="$prefix/include/php"
if ! gcc -std=gnu11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Wno-unused-parameter -pthread -DZTS \
        -I"$inc" -I"$inc/main" -I"$inc/Zend" -I"$inc/TSRM" \
        -o "$work/engine-threads" "$HERE/engine-threads.c" \
        -L"$prefix/lib" -Wl,-rpath,"$prefix/lib" -lphp -lz >"$work/driver-build.log" 2>&1; then
    cat "$work/driver-build.log"
    result fail "the driver builds against lib/libphp.so"; finish
fi
cat "$work/driver-build.log"

so="$work/modules/zendmm_ext.so"
# what a debug build reports on stderr (as scripts/test.sh's debug steps grep it)
REPORTS='leaked|Freeing 0x|memory leaks detected|Last leak repeated|Assertion .* failed|zend_mm_heap corrupted'

# count_driver NAME: add the driver's own "checks:" line (NAME.out) to the counts
count_driver() {
    local name=$1 rc=$2 line p f
    grep -E '^(not ok|engine heaps|threads|checks|phpinfo|address space)' "$work/$name.out"
    line=$(grep -E '^checks: [0-9]+ passed, [0-9]+ failed$' "$work/$name.out" | tail -1)
    if [ -n "$line" ]; then
        p=$(sed -E 's/checks: ([0-9]+) passed.*/\1/' <<<"$line")
        f=$(sed -E 's/.* ([0-9]+) failed/\1/' <<<"$line")
        passed=$((passed + p)); failed=$((failed + f))
        [ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || result fail "the $name driver exits with status 0 (it gave $rc)"
    else
        tail -n 20 "$work/$name.out" "$work/$name.err"
        result fail "the $name driver ran to its end (status $rc)"
    fi
    if grep -qE "$REPORTS" "$work/$name.err" "$work/$name.out"; then
        grep -E "$REPORTS" "$work/$name.err" "$work/$name.out" | head -10
        result fail "$name run: the debug build reports no leak and no failed assertion"
    else
        result ok "$name run: the debug build reports no leak and no failed assertion"
    fi
}

echo "== plain run: $ROUNDS rounds of $THREADS threads, $REQUESTS requests each"
"$work/engine-threads" "$so" "$ROUNDS" "$THREADS" "$REQUESTS" >"$work/plain.out" 2>"$work/plain.err"
count_driver plain $?

# a thread whose engine heap cannot be made (its storage fails) runs on PHP's own
echo "== fallback run: $FB_ROUNDS rounds of 2 threads, 20 requests each, room for one more engine heap"
"$work/engine-threads" --fallback "$so" "$FB_ROUNDS" 2 20 >"$work/fallback.out" 2>"$work/fallback.err"
count_driver fallback $?

# zendmm_ext.engine_trace on ZTS: one file per thread's heap, FILE for the
# startup thread and FILE.1 ... FILE.N for the N threads after it, each a
# complete trace: zendmm_trace_html() reads and replays it (or throws), and its
# last record is END (tag 15, src/trace/trace.h), which only a clean close writes
echo "== engine trace: 1 round of 3 threads, 3 requests each, zendmm_ext.engine_trace=FILE"
"$work/engine-threads" "$so" 1 3 3 "$work/trace" >"$work/trace.out" 2>"$work/trace.err"
trace_ok=ok
for f in "$work/trace" "$work/trace.1" "$work/trace.2" "$work/trace.3"; do
    if ! "$prefix/bin/php" -n -d "extension=$so" -r 'zendmm_trace_html($argv[1], $argv[2], 16);
            $d = file_get_contents($argv[1]);
            if ((ord($d[strlen($d) - 1]) & 15) !== 15) { echo "no END record\n"; exit(1); }' "$f" "$f.html" \
            >"$work/trace-read.log" 2>&1; then
        echo "${f#"$work/"}: $(head -c 300 "$work/trace-read.log")"
        trace_ok=fail
    fi
done
[ -e "$work/trace.4" ] && { echo "trace.4 exists: one file too many"; trace_ok=fail; }
grep -qE '^checks: [0-9]+ passed, 0 failed$' "$work/trace.out" || { tail -5 "$work/trace.out"; trace_ok=fail; }
result "$trace_ok" "engine trace: FILE and FILE.1 to FILE.3, one complete trace per thread's heap"

echo "== under helgrind: $HG_ROUNDS rounds of $HG_THREADS threads, $HG_REQUESTS requests each"
if ! command -v valgrind >/dev/null 2>&1; then
    result fail "valgrind is installed (helgrind)"; finish
fi
valgrind --tool=helgrind --suppressions="$HERE/helgrind.supp" --num-callers=30 \
    --log-file="$work/helgrind.log" \
    "$work/engine-threads" "$so" "$HG_ROUNDS" "$HG_THREADS" "$HG_REQUESTS" >"$work/hg.out" 2>"$work/hg.err"
hg_rc=$?
grep -E '^(not ok|checks)' "$work/hg.out"
if ! grep -qE '^checks: [0-9]+ passed, 0 failed$' "$work/hg.out"; then
    tail -n 20 "$work/hg.out" "$work/hg.err" "$work/helgrind.log"
    result fail "the driver passes its checks under helgrind (status $hg_rc)"
else
    result ok "the driver passes its checks under helgrind"
fi
# the reports: blocks between helgrind's separator lines
awk '/^==[0-9]+== -{20,}/ { if (blk != "") print blk "\n@@END"; blk = ""; next }
     /^==[0-9]+== (Possible data race|Lock order|Thread #[0-9]+:|Thread #[0-9]+ unlocked|Thread #[0-9]+.s call)/ { inrep = 1 }
     /^==[0-9]+== ERROR SUMMARY/ { if (blk != "") print blk "\n@@END"; blk = ""; next }
     { if (inrep) blk = blk "\n" $0 }' "$work/helgrind.log" >"$work/hg-blocks.txt"
total=$(grep -oE 'ERROR SUMMARY: [0-9]+ errors' "$work/helgrind.log" | tail -1 | grep -oE '[0-9]+' | head -1)
ours=$(awk 'BEGIN { RS = "@@END" } /(at|by) 0x[0-9A-F]+: (engine_|zendmm_|zmm_)[a-z0-9_]+ / { n++ } END { print n + 0 }' "$work/hg-blocks.txt")
suppressed=$(grep -oE 'suppressed: [0-9]+ from [0-9]+' "$work/helgrind.log" | tail -1)
echo "helgrind: ${total:-?} reports not suppressed (${suppressed:-none suppressed}), $ours with a frame of this project's code"
if [ -z "$total" ]; then
    tail -20 "$work/helgrind.log"
    result fail "helgrind ran to its summary"
elif [ "$ours" -gt 0 ]; then
    awk 'BEGIN { RS = "@@END" } /(at|by) 0x[0-9A-F]+: (engine_|zendmm_|zmm_)[a-z0-9_]+ / { print; n++; if (n >= 3) exit }' "$work/hg-blocks.txt"
    result fail "helgrind: no report in this project's code"
else
    result ok "helgrind: no report in this project's code"
fi
if [ "${total:-0}" -gt 0 ]; then
    # a report in PHP's own code belongs in scripts/zts/helgrind.supp, with its reason
    echo "reports outside this project's code (the first ones):"
    awk 'BEGIN { RS = "@@END" } { n++; if (n <= 5) print }' "$work/hg-blocks.txt" | head -80
    result fail "helgrind: every report in PHP's own code is a listed suppression (scripts/zts/helgrind.supp)"
else
    result ok "helgrind: every report in PHP's own code is a listed suppression (scripts/zts/helgrind.supp)"
fi

# memcheck's leak check over the same small run: every engine heap (its
# segments are malloc'd) was destroyed with its thread, nothing is lost
echo "== under memcheck (leak check): $HG_ROUNDS rounds of $HG_THREADS threads, $HG_REQUESTS requests each"
valgrind --leak-check=full --num-callers=30 --log-file="$work/memcheck.log" \
    "$work/engine-threads" "$so" "$HG_ROUNDS" "$HG_THREADS" "$HG_REQUESTS" >"$work/mc.out" 2>"$work/mc.err"
grep -E '(definitely|indirectly|possibly) lost:|All heap blocks were freed' "$work/memcheck.log" | sed -E 's/^==[0-9]+== +//'
if ! grep -qE '^checks: [0-9]+ passed, 0 failed$' "$work/mc.out"; then
    tail -n 20 "$work/mc.out" "$work/mc.err"
    result fail "the driver passes its checks under memcheck"
elif grep -qE 'All heap blocks were freed' "$work/memcheck.log" ||
        { grep -qE 'definitely lost: 0 bytes in 0 blocks' "$work/memcheck.log" &&
          grep -qE 'indirectly lost: 0 bytes in 0 blocks' "$work/memcheck.log" &&
          grep -qE 'possibly lost: 0 bytes in 0 blocks' "$work/memcheck.log"; }; then
    result ok "memcheck: no block lost (every thread's engine heap was destroyed)"
else
    grep -B2 -A20 'lost in loss record' "$work/memcheck.log" | head -60
    result fail "memcheck: no block lost (every thread's engine heap was destroyed)"
fi
finish
