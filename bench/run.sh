#!/usr/bin/env bash
# bench/run.sh - the whole benchmark: builds the extension (if missing) and
# the replayer, records the traces that are missing, replays them against
# every allocator, runs the userland micro-benchmark, counts instructions per
# step under callgrind (instructions.sh), and prints the tables and the
# headline figures (core_vs_php82, core_tracked_vs_php82, core_vs_glibc,
# fragmentation, userland_vs_ffi, core_vs_53_instructions) as "name value"
# lines at the end.
#
#   bench/run.sh            ROUNDS=12 rounds (each allocator leads a round once); PIN=0 to not pin to one CPU
#   RERECORD=1 bench/run.sh records every trace again
#   INSTR=0 bench/run.sh    skips the callgrind instruction counts (valgrind)
#   INSTALL=0 bench/run.sh  never runs apt-get: stops instead, naming what is missing
#
# What it needs: a C compiler, php8.2-cli and php8.2-dev (phpize), libphp8.2-embed
# (PHP 8.2's own allocator, the php82 column) and valgrind (the instruction
# counts). Run as root on Debian, it installs what is missing (apt-get);
# otherwise it stops with a message saying what to install. A headline figure
# that cannot be measured ("n/a") makes it exit 1.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ROUNDS=${ROUNDS:-12}
PHP=${PHP:-php}
BUILD=$ROOT/bench/build
mkdir -p "$BUILD"

# 0. what the benchmark needs
missing=()
command -v "${CC:-cc}" >/dev/null 2>&1 || missing+=(build-essential)
command -v "$PHP" >/dev/null 2>&1 || missing+=(php8.2-cli)
command -v phpize >/dev/null 2>&1 || missing+=(php8.2-dev)
embed=0   # one of the places is enough (ls of all three fails when any is missing)
for f in /usr/lib/libphp8.2.so /usr/lib/*/libphp8.2.so /usr/local/lib/libphp8.2.so; do [ -e "$f" ] && embed=1; done
[ "$embed" = 1 ] || missing+=(libphp8.2-embed)
if [ "${INSTR:-1}" = 1 ]; then command -v valgrind >/dev/null 2>&1 || missing+=(valgrind); fi
if [ ${#missing[@]} -gt 0 ]; then
    if [ "${INSTALL:-1}" = 1 ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "== installing ${missing[*]}" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 ||
            { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2; } ||
            { echo "bench/run.sh: could not install ${missing[*]}" >&2; exit 1; }
    else
        echo "bench/run.sh: missing ${missing[*]}: install them (apt-get install ${missing[*]}), or INSTR=0 to go without valgrind" >&2
        exit 1
    fi
fi

# 1. the extension (needed by record.sh and userland.php)
if [ ! -f modules/zendmm_ext.so ]; then
    echo "== building the extension" >&2
    { [ -f configure ] || phpize; } >/dev/null
    { [ -f Makefile ] || ./configure --enable-zendmm_ext; } >/dev/null
    make -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
fi

# 2. the replayer; one built before libphp8.2-embed was there lacks the php82
# allocator, and make alone would not rebuild it
echo "== building the replayer" >&2
make -s -C bench >/dev/null
if ! "$BUILD/replay" -l x | grep -x php82 >/dev/null; then
    make -s -B -C bench >/dev/null
    "$BUILD/replay" -l x | grep -x php82 >/dev/null ||
        { echo "bench/run.sh: the replayer builds without PHP 8.2's allocator (libphp8.2-embed, php8.2-dev headers)" >&2; exit 1; }
fi

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

# pin to one CPU when we can: less noise on a shared machine (CPU 1, when this
# process may run there: a machine or cgroup of one CPU, or without CPU 1, is not pinned)
PIN_CMD=()
if [ "${PIN:-1}" = 1 ] && command -v taskset >/dev/null && taskset -c 1 true 2>/dev/null; then
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
    bench/instructions.sh -s "${traces[@]}" > "$BUILD/instructions.tsv"
fi

# 7. the table and the headline figures
{
    echo "# machine: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), $(nproc 2>/dev/null) CPUs, $(uname -sr)"
    echo "# $("$PHP" -r 'echo "PHP ", PHP_VERSION, PHP_ZTS ? " ZTS" : " NTS";'), $(${CC:-cc} --version | head -1)"
} > "$BUILD/machine.txt"
cat "$BUILD/machine.txt"
"$PHP" bench/report.php "$BUILD/replay.tsv" "$BUILD/userland.txt" "$BUILD/instructions.tsv" | tee "$BUILD/report.txt"
unmeasured=$(grep -E '^[a-z0-9_]+ n/a$' "$BUILD/report.txt" | cut -d' ' -f1 | tr '\n' ' ')
if [ -n "$unmeasured" ]; then
    echo "bench/run.sh: not measured: $unmeasured(see the tables above for what is missing)" >&2
    exit 1
fi
