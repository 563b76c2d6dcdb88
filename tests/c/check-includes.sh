#!/usr/bin/env bash
# tests/c/check-includes.sh - the one-way dependencies between the subsystems
# (INTERNALS.md, "Subsystems and their dependencies"), checked on the
# `#include "…"` lines, as TAP. Run by `make -C tests/c check` and by
# scripts/test.sh with the C unit tests.
#
# Each folder may include its own headers and what its rule names: a folder
# (any header of it) or one header. A quoted include that is no header of
# src/ is refused inside src/ (the core is pure C, no PHP headers); the
# binding may include PHP's headers, but of src/ only the public ones.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1

declare -A owner   # header basename -> its folder of src/
for h in src/*/*.h; do
    owner[$(basename "$h")]=$(basename "$(dirname "$h")")
done

# folder: what it may include besides its own headers
RULES=(
    "core:lib"
    "storage:lib zendmm.h"
    "heapmap:lib zendmm.h"
    "trace:lib zendmm.h"
    "sites:lib zendmm.h"
    "lib:"
    "binding:zendmm.h heapmap.h trace.h sites.h"
)

# the files of a folder; "binding" is the front door, its header and binding/
files_of() {
    case "$1" in
        binding) ls zendmm_ext.c php_zendmm_ext.h binding/*.c binding/*.h 2>/dev/null ;;
        *) ls src/"$1"/*.c src/"$1"/*.h 2>/dev/null ;;
    esac
}

# empty when the include is allowed, else why not
verdict() { # folder allowed-list header
    local folder=$1 allowed=$2 inc=$3 base dir
    base=$(basename "$inc")
    dir=${owner[$base]:-}
    if [ -z "$dir" ] || [ "$base" != "$inc" ]; then
        [ "$folder" = binding ] && return 0          # PHP's headers, binding.h, the arginfo
        echo "not a header of src/"
        return 0
    fi
    [ "$dir" = "$folder" ] && return 0
    for a in $allowed; do
        [ "$a" = "$dir" ] || [ "$a" = "$base" ] && return 0
    done
    echo "a header of src/$dir/"
}

echo "1..${#RULES[@]}"
n=0 failed=0
for rule in "${RULES[@]}"; do
    folder=${rule%%:*}
    allowed=${rule#*:}
    n=$((n + 1))
    problems=()
    for f in $(files_of "$folder"); do
        while IFS= read -r inc; do
            why=$(verdict "$folder" "$allowed" "$inc")
            [ -n "$why" ] && problems+=("$f includes \"$inc\": $why")
        done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
    done
    what="${folder}: its own headers${allowed:+ and ${allowed// /, }} only"
    if [ "$folder" = binding ]; then what="binding: of src/, only the public headers ${allowed// /, }"; fi
    if [ ${#problems[@]} -eq 0 ]; then
        echo "ok $n - $what"
    else
        echo "not ok $n - $what"
        printf '#   %s\n' "${problems[@]}"
        failed=1
    fi
done
exit "$failed"
