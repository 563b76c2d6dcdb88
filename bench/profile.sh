#!/usr/bin/env bash
# bench/profile.sh TRACE - count instructions per replayed step with callgrind
# (bench/instructions.sh): our core in the default configuration
# (zmm/malloc/cache, block tracking off), PHP 8.2's ZendMM and glibc, then the
# heap core's functions by their own cost.
#
#   bench/profile.sh bench/traces/console.trace
# Keeps the callgrind output in bench/build/callgrind.<trace>.out for
# callgrind_annotate --auto=yes (line by line).
set -euo pipefail
cd "$(dirname "$0")/.."
trace=${1:?usage: bench/profile.sh TRACE}
name=$(basename "$trace" .trace)
out=bench/build/callgrind.$name.out
mkdir -p bench/build
IFS=$'\t' read -r _ _ steps ours php glibc _ < <(bench/instructions.sh -a zmm/malloc/cache,php82,glibc -o "$out" "$trace")
echo "$name: $steps steps, 2 replays each; instructions per step (loop included):"
printf "  %-18s %8s\n" "zmm/malloc/cache" "$ours" "php82" "$php" "glibc" "$glibc"
awk -v a="$ours" -v b="$php" -v c="$glibc" 'BEGIN { if (b > 0) printf "  ours/php82 %.3f", a / b; if (c > 0) printf ", ours/glibc %.3f", a / c; print "" }'
echo "heap core functions by own cost (instructions per step):"
callgrind_annotate --auto=no --show-percs=no --threshold=100 "$out" 2>/dev/null \
    | grep -E "src/(core|storage|lib)/[a-z_0-9]+\.[ch]:" \
    | awk -v n="$steps" '{ gsub(",", "", $1); sub(".*/src/", "src/", $2); printf "  %7.2f  %s\n", $1 / (n * 2), $2 }' \
    | sort -rn | head -25
