#!/usr/bin/env bash
# bench/instructions.sh [-a ALLOCATORS] [-o CALLGRIND_OUT] TRACE... - callgrind
# instructions per replayed step (repeatable on a noisy machine, unlike time),
# replay loop included: one warm-up and one counted replay per allocator, in
# one callgrind run per trace. Prints one tab-separated line per trace:
#   instr  TRACE  STEPS  ZMM  PHP82  GLIBC  ZMM_STAT
# ZMM is zmm/malloc/cache (the raw core: block tracking and cache statistics
# off, 5.3's release build); ZMM_STAT (-s, a second callgrind run: every zmm
# configuration runs the same replay function) is zmm/malloc/cache/stat;
# a column is "-" when its allocator was not asked for (-a, default
# zmm/malloc/cache,php82) or is missing from this build. With -o (one
# trace) the callgrind output is kept for callgrind_annotate.
set -euo pipefail
cd "$(dirname "$0")/.."
allocs=zmm/malloc/cache,php82
keep=
stat=
while getopts "a:o:s" opt; do
    case $opt in
        a) allocs=$OPTARG ;;
        o) keep=$OPTARG ;;
        s) stat=1 ;;
        *) echo "usage: bench/instructions.sh [-a ALLOCATORS] [-o OUT] [-s] TRACE..." >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "usage: bench/instructions.sh [-a ALLOCATORS] [-o OUT] [-s] TRACE..." >&2; exit 2; }
command -v valgrind >/dev/null || { echo "instructions.sh: valgrind is not installed (apt-get install -y valgrind)" >&2; exit 1; }
make -s -C bench >/dev/null
for trace in "$@"; do
    name=$(basename "$trace" .trace)
    out=${keep:-$(mktemp)}
    steps=$(bench/build/replay -i "$trace" | sed -E 's/^# trace [^:]*: ([0-9]+) steps.*/\1/')
    valgrind --tool=callgrind --callgrind-out-file="$out" \
        bench/build/replay -m -r 1 -a "$allocs" "$trace" >/dev/null 2>"$out.log"
    incl=$(callgrind_annotate --auto=no --inclusive=yes --threshold=100 "$out" 2>/dev/null)
    per_step() { # function-name: its inclusive cost over 2 replays (warm-up + 1) of every step
        local ir
        ir=$(grep -E "[:]$1 \[" <<<"$incl" | head -1 | awk '{gsub(",", "", $1); print $1}')
        if [ -z "$ir" ]; then echo "-"; else awk -v ir="$ir" -v n="$steps" 'BEGIN { printf "%.1f", ir / (n * 2) }'; fi
    }
    zmm=$(per_step zmm_trace_replay) php=$(per_step php_replay) glibc=$(per_step glibc_replay) with_stat=-
    if [ -n "$stat" ]; then
        valgrind --tool=callgrind --callgrind-out-file="$out.stat" \
            bench/build/replay -m -r 1 -a zmm/malloc/cache/stat "$trace" >/dev/null 2>"$out.log"
        incl=$(callgrind_annotate --auto=no --inclusive=yes --threshold=100 "$out.stat" 2>/dev/null)
        with_stat=$(per_step zmm_trace_replay)
        rm -f "$out.stat"
    fi
    printf "instr\t%s\t%s\t%s\t%s\t%s\t%s\n" "$name" "$steps" "$zmm" "$php" "$glibc" "$with_stat"
    [ -n "$keep" ] || rm -f "$out" "$out.log"
done
