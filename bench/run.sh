#!/usr/bin/env bash
# bench/run.sh - the whole benchmark: builds the extension (if missing) and
# the replayer, records the traces that are missing, replays them against
# every allocator, runs the userland micro-benchmark, counts instructions per
# step under callgrind (instructions.sh), and prints the tables and the
# headline figures (core_vs_php82, core_tracked_vs_php82, core_vs_glibc,
# fragmentation, userland_vs_ffi, core_vs_53_instructions) as "name value"
# lines at the end.
#
#   bench/run.sh            ROUNDS=7 rounds; PIN=0 to not pin to one CPU
#   RERECORD=1 bench/run.sh records every trace again
#   INSTR=0 bench/run.sh    skips the callgrind instruction counts (valgrind)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ROUNDS=${ROUNDS:-7}
PHP=${PHP:-php}
BUILD=$ROOT/bench/build
mkdir -p "$BUILD"

# 1. the extension (needed by record.sh and userland.php)
if [ ! -f modules/zendmm_ext.so ]; then
    echo "== building the extension" >&2
    { [ -f configure ] || phpize; } >/dev/null
    { [ -f Makefile ] || ./configure --enable-zendmm_ext; } >/dev/null
    make -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
fi

# 2. the replayer
echo "== building the replayer" >&2
make -s -C bench >/dev/null

# 3. traces
missing=()
for f in bench/workloads/*.php; do
    b=$(basename "$f" .php)
    case "$b" in _*) continue ;; esac
    if [ "${RERECORD:-0}" = 1 ] || [ ! -s "bench/traces/$b.trace" ]; then missing+=("$b"); fi
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "== recording ${missing[*]}" >&2
    bench/record.sh "${missing[@]}" >&2
fi
traces=()
for f in bench/workloads/*.php; do
    b=$(basename "$f" .php)
    case "$b" in _*) continue ;; esac
    [ -s "bench/traces/$b.trace" ] && traces+=("bench/traces/$b.trace")
done

# pin to one CPU when we can: less noise on a shared machine
PIN_CMD=()
if [ "${PIN:-1}" = 1 ] && command -v taskset >/dev/null && [ "$(nproc 2>/dev/null || echo 1)" -gt 1 ]; then
    PIN_CMD=(taskset -c 1)
fi

# 4. replay
echo "== replaying ${#traces[@]} traces, $ROUNDS rounds" >&2
"${PIN_CMD[@]}" "$BUILD/replay" -r "$ROUNDS" "${traces[@]}" > "$BUILD/replay.tsv"

# 5. userland (a private copy of the extension: a rebuild of modules/ must not pull it away)
echo "== userland micro-benchmark" >&2
cp modules/zendmm_ext.so "$BUILD/zendmm_ext.userland.so.$$" && mv -f "$BUILD/zendmm_ext.userland.so.$$" "$BUILD/zendmm_ext.userland.so"
"${PIN_CMD[@]}" "$PHP" -d "extension=$BUILD/zendmm_ext.userland.so" -d ffi.enable=1 -d opcache.enable_cli=0 \
    bench/userland.php 200000 "$ROUNDS" > "$BUILD/userland.txt"

# 6. instructions per step under callgrind (ours and PHP 8.2, against reference-5.3.tsv)
: > "$BUILD/instructions.tsv"
if [ "${INSTR:-1}" = 1 ] && command -v valgrind >/dev/null; then
    echo "== callgrind instruction counts" >&2
    bench/instructions.sh "${traces[@]}" > "$BUILD/instructions.tsv"
fi

# 7. the table and the headline figures
{
    echo "# machine: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), $(nproc 2>/dev/null) CPUs, $(uname -sr)"
    echo "# $("$PHP" -r 'echo "PHP ", PHP_VERSION, PHP_ZTS ? " ZTS" : " NTS";'), $(${CC:-cc} --version | head -1)"
} > "$BUILD/machine.txt"
cat "$BUILD/machine.txt"
"$PHP" bench/report.php "$BUILD/replay.tsv" "$BUILD/userland.txt" "$BUILD/instructions.tsv"
