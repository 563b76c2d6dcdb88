#!/usr/bin/env bash
# bench/engine.sh - PHP itself on the 5.3 heap (zendmm_ext.engine=1) against
# PHP 8.2's own heap, on the real workloads of bench/workloads/.
#
# Each workload runs ROUNDS times in each mode, the two modes interleaved (so
# a slow spell of a shared machine hits both), each run a fresh process with
# the extension loaded and opcache off; only zendmm_ext.engine differs. Both
# runs must print the same result line. Per workload: the median wall time of
# the process and memory_get_peak_usage(true) (PHP's own figure without the
# mode, the engine heap's real_peak with it). Ends with two figures, geometric
# means over the workloads:
#   engine_vs_php82       time with the mode / time without (lower is better)
#   engine_peak_vs_php82  peak real usage with the mode / without
#
#   bench/engine.sh [workload...]    ROUNDS=5; PIN=0 to not pin to one CPU
#   bench/engine.sh --memcheck [workload...]
#       instead: each workload once under valgrind's memcheck in the mode
#       (pcre.jit=0: PCRE's JIT reads past subjects, a known false positive);
#       ends with "engine_memcheck_errors N" (the sum over the workloads)
#   bench/engine.sh --instructions [workload...]
#       instead: instructions executed by each workload's whole process in
#       each mode (callgrind; repeatable where time is not); ends with
#       "engine_instructions_vs_php82 X" (geometric mean)
#   bench/engine.sh --sites [--instructions] [workload...]
#       the cost of allocation sites: both modes on the engine heap, the
#       second with zendmm_ext.sites=1 (zendmm_ext.sites_depth=$SITES_DEPTH,
#       default 1); the figures are named sites_vs_engine,
#       sites_peak_vs_engine, sites_instructions_vs_engine
#
# Needs modules/zendmm_ext.so and the workloads' packages (bench/record.sh
# installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ROUNDS=${ROUNDS:-5}
PHP=${PHP:-php}
BUILD=$ROOT/bench/build
mkdir -p "$BUILD"

if [ ! -f modules/zendmm_ext.so ]; then
    echo "engine.sh: modules/zendmm_ext.so is missing; build it first: phpize && ./configure && make" >&2
    exit 1
fi
# a private copy: a rebuild of modules/ must not pull it from under a run
cp modules/zendmm_ext.so "$BUILD/zendmm_ext.engine.so.$$" && mv -f "$BUILD/zendmm_ext.engine.so.$$" "$BUILD/zendmm_ext.engine.so"
EXT=$BUILD/zendmm_ext.engine.so

# the peak is written to a file at shutdown, so the workload's output stays its own
PEAK_FILE=$BUILD/engine.peak
cat > "$BUILD/engine_prepend.php" <<PHP
<?php
register_shutdown_function(function () {
    file_put_contents('$PEAK_FILE', (string)memory_get_peak_usage(true));
});
PHP

MODE=time
# the INI of the two modes compared (0: the baseline, 1: the one measured)
MODE_INI=("-d zendmm_ext.engine=0" "-d zendmm_ext.engine=1")
NAME_T=engine_vs_php82 NAME_P=engine_peak_vs_php82 NAME_I=engine_instructions_vs_php82 A=php82 B=engine
if [ "${1:-}" = --sites ]; then
    shift
    MODE_INI=("-d zendmm_ext.engine=1" "-d zendmm_ext.engine=1 -d zendmm_ext.sites=1 -d zendmm_ext.sites_depth=${SITES_DEPTH:-1}")
    NAME_T=sites_vs_engine NAME_P=sites_peak_vs_engine NAME_I=sites_instructions_vs_engine A=engine B=sites
fi
case "${1:-}" in
    --memcheck) MODE=memcheck; shift ;;
    --instructions) MODE=instructions; shift ;;
esac
. bench/workloads.sh
bench_workloads "$@"

if [ "$MODE" = memcheck ]; then
    total=0
    for w in "${workloads[@]}"; do
        # shellcheck disable=SC2086 # the mode's INI is a list of words
        out=$(valgrind -q --error-exitcode=0 "$PHP" -d "extension=$EXT" ${MODE_INI[1]} -d pcre.jit=0 \
            -d opcache.enable_cli=0 -d memory_limit=1G "bench/workloads/$w.php" 2>"$BUILD/memcheck.$w.log" | tail -1)
        n=$(grep -cE '^==[0-9]+== [A-Z]' "$BUILD/memcheck.$w.log" || true)
        total=$((total + n))
        printf '%-10s %5d errors  %s\n' "$w" "$n" "$out"
    done
    echo "engine_memcheck_errors $total"
    exit 0
fi

if [ "$MODE" = instructions ]; then
    printf '%-10s %16s %16s %7s\n' workload "$A instr" "$B instr" ratio
    : > "$BUILD/engine.instr.tsv"
    for w in "${workloads[@]}"; do
        ir=()
        for mode in 0 1; do
            # shellcheck disable=SC2086 # the mode's INI is a list of words
            valgrind --tool=callgrind --callgrind-out-file=/dev/null "$PHP" -d "extension=$EXT" \
                ${MODE_INI[$mode]} -d opcache.enable_cli=0 -d memory_limit=1G "bench/workloads/$w.php" \
                >/dev/null 2>"$BUILD/callgrind.$w.$mode.log"
            ir+=("$(sed -nE 's/^==[0-9]+== Collected : ([0-9]+).*/\1/p' "$BUILD/callgrind.$w.$mode.log")")
        done
        echo "$w ${ir[0]} ${ir[1]}" >> "$BUILD/engine.instr.tsv"
        awk -v w="$w" -v a="${ir[0]}" -v b="${ir[1]}" 'BEGIN { printf "%-10s %16.0f %16.0f %7.3f\n", w, a, b, b / a }'
    done
    awk -v name="$NAME_I" '{ l += log($3 / $2); n++ } END { printf "%s %.3f\n", name, exp(l / n) }' "$BUILD/engine.instr.tsv"
    exit 0
fi

PIN_CMD=()
if [ "${PIN:-1}" = 1 ] && command -v taskset >/dev/null && [ "$(nproc 2>/dev/null || echo 1)" -gt 1 ]; then
    PIN_CMD=(taskset -c 1)
fi

# one run: prints "<nanoseconds> <peak> <result line>"
run_once() {   # run_once <mode 0|1> <workload>
    local start end out
    rm -f "$PEAK_FILE"
    start=$(date +%s%N)
    # shellcheck disable=SC2086 # the mode's INI is a list of words
    out=$("${PIN_CMD[@]}" "$PHP" -d "extension=$EXT" ${MODE_INI[$1]} -d opcache.enable_cli=0 \
        -d memory_limit=1G -d "auto_prepend_file=$BUILD/engine_prepend.php" "bench/workloads/$2.php" | tail -1)
    end=$(date +%s%N)
    echo "$((end - start)) $(cat "$PEAK_FILE" 2>/dev/null || echo 0) $out"
}

echo "# $("$PHP" -r 'echo "PHP ", PHP_VERSION, PHP_ZTS ? " ZTS" : " NTS";'), $ROUNDS interleaved rounds, opcache off"
printf '%-10s %12s %12s %7s %14s %14s %7s\n' workload "$A ms" "$B ms" ratio "$A peak" "$B peak" ratio
TSV=$BUILD/engine.tsv
: > "$TSV"
for w in "${workloads[@]}"; do
    : > "$BUILD/engine.$w.0"
    : > "$BUILD/engine.$w.1"
    for ((r = 0; r < ROUNDS; r++)); do
        for mode in 0 1; do
            run_once "$mode" "$w" >> "$BUILD/engine.$w.$mode"
        done
    done
    # the result line must not depend on the heap
    if [ "$(cut -d' ' -f3- "$BUILD/engine.$w.0" "$BUILD/engine.$w.1" | sort -u | wc -l)" != 1 ]; then
        echo "engine.sh: $w printed different results with and without the mode:" >&2
        cut -d' ' -f3- "$BUILD/engine.$w.0" "$BUILD/engine.$w.1" | sort | uniq -c >&2
        exit 1
    fi
    median() { cut -d' ' -f"$1" "$2" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
    t0=$(median 1 "$BUILD/engine.$w.0"); t1=$(median 1 "$BUILD/engine.$w.1")
    p0=$(median 2 "$BUILD/engine.$w.0"); p1=$(median 2 "$BUILD/engine.$w.1")
    echo "$w $t0 $t1 $p0 $p1" >> "$TSV"
    awk -v w="$w" -v t0="$t0" -v t1="$t1" -v p0="$p0" -v p1="$p1" 'BEGIN {
        printf "%-10s %12.1f %12.1f %7.3f %14d %14d %7.3f\n", w, t0 / 1e6, t1 / 1e6, t1 / t0, p0, p1, p1 / p0 }'
done
awk -v nt="$NAME_T" -v np="$NAME_P" '{ lt += log($3 / $2); lp += log($5 / $4); n++ }
     END { printf "%s %.3f\n%s %.3f\n", nt, exp(lt / n), np, exp(lp / n) }' "$TSV"
