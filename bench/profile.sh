#!/usr/bin/env bash
# bench/profile.sh TRACE [ROUNDS] - count instructions per replayed step with
# callgrind (repeatable on a noisy machine, unlike time): our core in the
# default configuration (zmm/malloc/cache, block tracking off), PHP 8.2's
# ZendMM and glibc, then the heap core's functions by their own cost.
#
#   bench/profile.sh bench/traces/console.trace
# Keeps the callgrind output in bench/build/callgrind.<trace>.out for
# callgrind_annotate --auto=yes (line by line).
set -euo pipefail
cd "$(dirname "$0")/.."
trace=${1:?usage: bench/profile.sh TRACE [ROUNDS]}
rounds=${2:-1}
name=$(basename "$trace" .trace)
out=bench/build/callgrind.$name.out
command -v valgrind >/dev/null || { echo "profile.sh: valgrind is not installed (apt-get install -y valgrind)" >&2; exit 1; }
make -s -C bench >/dev/null
steps=$(bench/build/replay -i "$trace" | sed -E 's/^# trace [^:]*: ([0-9]+) steps.*/\1/')
valgrind --tool=callgrind --callgrind-out-file="$out" \
    bench/build/replay -m -r "$rounds" -a zmm/malloc/cache,php82,glibc "$trace" >/dev/null 2>"$out.log"
# every allocator replays the trace rounds + 1 times (one warm-up)
replays=$((rounds + 1))
incl=$(callgrind_annotate --auto=no --inclusive=yes --threshold=100 "$out" 2>/dev/null)
per_step() { # function-name
    local ir
    ir=$(grep -E "[:]$1 \[" <<<"$incl" | head -1 | awk '{gsub(",", "", $1); print $1}')
    if [ -z "$ir" ]; then echo "-"; else awk -v ir="$ir" -v n="$steps" -v r="$replays" 'BEGIN { printf "%.1f", ir / (n * r) }'; fi
}
ours=$(per_step zmm_trace_replay)
php=$(per_step php_replay)
glibc=$(per_step glibc_replay)
echo "$name: $steps steps, $replays replays each; instructions per step (loop included):"
printf "  %-18s %8s\n" "zmm/malloc/cache" "$ours" "php82" "$php" "glibc" "$glibc"
awk -v a="$ours" -v b="$php" -v c="$glibc" 'BEGIN { if (b > 0) printf "  ours/php82 %.3f", a / b; if (c > 0) printf ", ours/glibc %.3f", a / c; print "" }'
echo "heap core functions by own cost (instructions per step):"
callgrind_annotate --auto=no --show-percs=no --threshold=100 "$out" 2>/dev/null \
    | grep -E "src/(core|storage|lib)/[a-z_0-9]+\.[ch]:" \
    | awk -v n="$steps" -v r="$replays" '{ gsub(",", "", $1); sub(".*/src/", "src/", $2); printf "  %7.2f  %s\n", $1 / (n * r), $2 }' \
    | sort -rn | head -25
