#!/usr/bin/env bash
# tests/fidelity/run.sh - does the heap core place blocks as PHP 5.3.29 did?
#
# Replays real traces (recorded by bench/record.sh) on a fresh heap with
# `bench/build/replay --checkpoints 1000` and compares every checkpoint (step,
# size, real_size, peak, real_peak, cached) with what PHP 5.3.29's own
# allocator reported on the same trace (README.md here says where the goldens
# come from):
#   default    zmm/malloc/cache        against golden-5.3-fixed/
#   exact_fit  zmm/malloc/cache/exact  against golden-exact-fit/
# Data: the traces and goldens of this directory (arrays, strings, twig), and,
# when ../shared/fidelity exists beside the checkout (or FIDELITY_DATA names a
# directory of the same layout), every trace found there too (all seven). A
# trace present in both is checked once, from this directory. Each trace is
# checked against its SHA256SUMS line before it is replayed.
#
# Output: one TAP line per (trace, mode); a mismatch adds the first differing
# checkpoint (expected vs got). Last line: "TAP: N passed, N failed, N skipped".
# Exit status 1 when anything failed.
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
EVERY=1000                      # the goldens' checkpoint interval
REPLAY=$ROOT/bench/build/replay
# default: the raw core (5.3's release build); tracked: a heap as scripts make
# it (the live-block index and the cache statistics on), the same placement
MODES=("default zmm/malloc/cache golden-5.3-fixed" "exact_fit zmm/malloc/cache/exact golden-exact-fit"
       "tracked zmm/malloc/cache/track golden-5.3-fixed")

n=0 passed=0 failed=0 skipped=0
tap() { # ok|not-ok|skip description
    n=$((n + 1))
    case "$1" in
        ok) passed=$((passed + 1)); echo "ok $n - $2" ;;
        skip) skipped=$((skipped + 1)); echo "ok $n # SKIP $2" ;;
        *) failed=$((failed + 1)); echo "not ok $n - $2" ;;
    esac
}
finish() {
    echo "1..$n"
    echo "TAP: $passed passed, $failed failed, $skipped skipped"
    [ "$failed" -eq 0 ]
    exit
}

TMP=$(mktemp -d /tmp/zendmm-fidelity.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# ---- data directories: ours first, then the shared set if there is one ----------
DIRS=("$HERE")
SHARED=${FIDELITY_DATA:-$ROOT/../shared/fidelity}
if [ -d "$SHARED/traces" ]; then
    DIRS+=("$(cd "$SHARED" && pwd)")
else
    echo "# $SHARED not present: checking the traces of tests/fidelity only"
fi

for tool in xz sha256sum make; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        tap skip "fidelity: $tool is not installed"
        finish
    fi
done

# ---- the replayer ---------------------------------------------------------------
if ! make -s -C "$ROOT/bench" build/replay >"$TMP/build.log" 2>&1 || [ ! -x "$REPLAY" ]; then
    sed 's/^/# /' "$TMP/build.log" | tail -20
    tap not-ok "fidelity: building bench/build/replay"
    finish
fi

# ---- one trace in one mode ----------------------------------------------------------
# first_difference EXPECTED GOT: prints the first differing line of each, or nothing
first_difference() {
    awk 'NR == FNR { want[FNR] = $0; nw = FNR; next }
         { got[FNR] = $0; ng = FNR }
         END {
             n = nw > ng ? nw : ng
             for (i = 1; i <= n; i++) {
                 if (!(i in want) || !(i in got) || want[i] != got[i]) {
                     print (i in want) ? want[i] : "(no more checkpoints)"
                     print (i in got) ? got[i] : "(no more checkpoints)"
                     exit
                 }
             }
         }' "$1" "$2"
}

check_mode() { # dir name trace-file mode allocator golden-dir
    local dir=$1 name=$2 trace=$3 mode=$4 alloc=$5 gdir=$6
    local golden=$dir/$gdir/$name.tsv.xz what="$name $mode ($alloc vs $gdir)"
    if [ ! -f "$golden" ]; then
        tap skip "$what: no golden file"
        return
    fi
    xz -dc "$golden" >"$TMP/want.tsv" || { tap not-ok "$what: cannot read $golden"; return; }
    if ! "$REPLAY" --checkpoints "$EVERY" -a "$alloc" "$trace" >"$TMP/got.tsv" 2>"$TMP/replay.err"; then
        tap not-ok "$what: the replay failed"
        sed 's/^/#   /' "$TMP/replay.err" | head -5
        return
    fi
    local diff
    diff=$(first_difference "$TMP/want.tsv" "$TMP/got.tsv")
    if [ -z "$diff" ]; then
        tap ok "$what: $(grep -vc '^#' "$TMP/want.tsv") checkpoints match"
    else
        tap not-ok "$what: checkpoints differ"
        echo "#   first differing checkpoint (step size real_size peak real_peak cached):"
        echo "#     expected: $(sed -n 1p <<<"$diff" | tr '\t' ' ')"
        echo "#          got: $(sed -n 2p <<<"$diff" | tr '\t' ' ')"
    fi
}

declare -A SEEN
for dir in "${DIRS[@]}"; do
    for xzf in "$dir"/traces/*.trace.xz; do
        [ -f "$xzf" ] || continue
        name=$(basename "$xzf" .trace.xz)
        [ -n "${SEEN[$name]:-}" ] && continue
        SEEN[$name]=1
        trace=$TMP/$name.trace
        want_sum=$(awk -v f="$name.trace" '$2 == f || $2 == "*" f { print $1 }' "$dir/traces/SHA256SUMS" 2>/dev/null)
        if ! xz -dc "$xzf" >"$trace"; then
            for m in "${MODES[@]}"; do tap not-ok "$name ${m%% *}: cannot decompress $xzf"; done
            continue
        fi
        got_sum=$(sha256sum "$trace" | cut -d' ' -f1)
        if [ -z "$want_sum" ] || [ "$got_sum" != "$want_sum" ]; then
            for m in "${MODES[@]}"; do
                tap not-ok "$name ${m%% *}: trace checksum ${got_sum:0:16}... is not the SHA256SUMS entry (${want_sum:-none})"
            done
        else
            for m in "${MODES[@]}"; do
                read -r mode alloc gdir <<<"$m"
                check_mode "$dir" "$name" "$trace" "$mode" "$alloc" "$gdir"
            done
        fi
        rm -f "$trace"
    done
done
# the PECL package ships this script without the data
[ "$n" -gt 0 ] || tap skip "fidelity: no traces in ${DIRS[*]}"
finish
