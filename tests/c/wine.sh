#!/usr/bin/env bash
# tests/c/wine.sh - the heap core's C tests as Windows programs, under Wine.
#
# Cross-compiles src/*/*.c, every unit test program of tests/c (the Makefile's
# TESTS, or every test_*.c without a Makefile), test_win32.c and the seeded
# fuzz driver with mingw-w64 (x86_64-w64-mingw32-gcc, no sanitizers), then
# runs each .exe under wine64, headless, in a Wine prefix of its own:
#   - the unit tests once each: their heaps use the default scheme, which is
#     win32 on Windows; test_win32 also drives malloc and switches between them;
#   - the seeded fuzz driver with every scheme Windows has (win32, malloc),
#     several seeds and configurations each.
# Prints every program's TAP lines ("ok N - ..." / "not ok N - ..."), counts
# a program that dies without reporting (crash, missing plan, failed build)
# as one "not ok", and ends with "TAP: N passed, N failed, N skipped"
# (the format of run-tap.sh). Exits 1 when anything failed.
#
# Installs gcc-mingw-w64-x86-64 and wine64 with apt-get when missing (as root,
# or through sudo -n).
#
# Environment:
#   ZMM_WINE_BUILD=DIR   build (and keep) objects and .exe files in DIR
#                        (default: a temporary directory, removed at the end)
#   ZMM_WINEPREFIX=DIR   reuse a Wine prefix (default: a fresh one in the build dir)
#   ZMM_WINE_OPS=N       operations per fuzz run (default 20000)
#   ZMM_WINE_TIMEOUT=S   seconds each program may run (default 900)
#   CC_WIN=...           the cross compiler (default x86_64-w64-mingw32-gcc)
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SRC="$ROOT/src"
# one folder per subsystem of src/ (INTERNALS.md), each an include directory
SRC_DIRS=(core storage heapmap trace sites lib)
SRC_INC=()
for d in "${SRC_DIRS[@]}"; do SRC_INC+=(-I"$SRC/$d"); done
CC_WIN=${CC_WIN:-x86_64-w64-mingw32-gcc}
OPS=${ZMM_WINE_OPS:-20000}
TIMEOUT=${ZMM_WINE_TIMEOUT:-900}
# -D__USE_MINGW_ANSI_STDIO=1: mingw's C99 printf family (%zu, %llu) instead of msvcrt's
CFLAGS_WIN=(-std=c11 -Wall -Wextra -Werror -fno-strict-aliasing -O1 -g -D__USE_MINGW_ANSI_STDIO=1)
LDFLAGS_WIN=(-static-libgcc)

# ---- tools -------------------------------------------------------------------
find_wine() {
    if command -v wine64 >/dev/null 2>&1; then command -v wine64; return 0; fi
    if [ -x /usr/lib/wine/wine64 ]; then echo /usr/lib/wine/wine64; return 0; fi
    if [ -x /usr/lib/x86_64-linux-gnu/wine/wine64 ]; then echo /usr/lib/x86_64-linux-gnu/wine/wine64; return 0; fi
    return 1
}
find_wineserver() {
    if command -v wineserver >/dev/null 2>&1; then command -v wineserver; return 0; fi
    local f
    for f in /usr/lib/wine/wineserver64 /usr/lib/wine/wineserver /usr/lib/x86_64-linux-gnu/wine/wineserver64; do
        if [ -x "$f" ]; then echo "$f"; return 0; fi
    done
    return 1
}

if ! command -v "$CC_WIN" >/dev/null 2>&1 || ! find_wine >/dev/null || ! find_wineserver >/dev/null; then
    echo "# wine.sh: installing gcc-mingw-w64-x86-64 and wine64"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo -n"; fi
    export DEBIAN_FRONTEND=noninteractive
    if ! $SUDO apt-get install -y gcc-mingw-w64-x86-64 wine64 >/dev/null 2>&1; then
        $SUDO apt-get update >/dev/null 2>&1
        $SUDO apt-get install -y gcc-mingw-w64-x86-64 wine64 >/dev/null 2>&1
    fi
fi
WINE=$(find_wine) || WINE=""
WINESERVER=$(find_wineserver) || WINESERVER=""
if ! command -v "$CC_WIN" >/dev/null 2>&1 || [ -z "$WINE" ] || [ -z "$WINESERVER" ]; then
    echo "not ok 1 - wine.sh: $CC_WIN or wine64 is missing and could not be installed"
    echo "TAP: 0 passed, 1 failed, 0 skipped"
    exit 1
fi

# ---- build and prefix directories ----------------------------------------------
if [ -n "${ZMM_WINE_BUILD:-}" ]; then
    BUILD=$ZMM_WINE_BUILD
    KEEP_BUILD=1
    mkdir -p "$BUILD"
else
    BUILD=$(mktemp -d "${TMPDIR:-/tmp}/zendmm-wine.XXXXXX")
    KEEP_BUILD=0
fi
BUILD=$(cd "$BUILD" && pwd)
export WINEPREFIX=${ZMM_WINEPREFIX:-$BUILD/prefix}
export WINEARCH=win64
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml="   # no Mono / Gecko installer prompts
unset DISPLAY WAYLAND_DISPLAY                 # headless: no window is ever needed

cleanup() {
    "$WINESERVER" -k >/dev/null 2>&1
    if [ "$KEEP_BUILD" -eq 0 ]; then rm -rf "$BUILD"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass=0 fail=0 skip=0
count_fail() { # count_fail "message": one failure that no program reported
    echo "not ok - $1"
    fail=$((fail + 1))
}

# ---- cross-compile ---------------------------------------------------------------
echo "# wine.sh: $("$CC_WIN" --version | head -n1); $("$WINE" --version 2>/dev/null); prefix $WINEPREFIX"
mkdir -p "$BUILD/core" "$BUILD/support"
build_log="$BUILD/build.log"
core_objs=()
core_srcs=()
for d in "${SRC_DIRS[@]}"; do core_srcs+=("$SRC/$d"/*.c); done
for c in "${core_srcs[@]}"; do
    o="$BUILD/core/$(basename "${c%.c}").o"
    if "$CC_WIN" "${CFLAGS_WIN[@]}" "${SRC_INC[@]}" -c -o "$o" "$c" >"$build_log" 2>&1; then
        core_objs+=("$o")
    else
        cat "$build_log"
        count_fail "mingw build of ${c#"$ROOT"/}"
    fi
done

# support sources of the tests (teststorage.c): every tests/c/*.c that is
# neither a test program nor the driver and has no main() of its own
support_objs=()
for c in "$HERE"/*.c; do
    b=$(basename "${c%.c}")
    case "$b" in test_*|fuzz_*) continue ;; esac
    grep -qE '^[a-z ]*\bmain[[:space:]]*\(' "$c" && continue
    o="$BUILD/support/$b.o"
    if "$CC_WIN" "${CFLAGS_WIN[@]}" "${SRC_INC[@]}" -I"$HERE" -c -o "$o" "$c" >"$build_log" 2>&1; then
        support_objs+=("$o")
    else
        cat "$build_log"
        count_fail "mingw build of tests/c/$b.c"
    fi
done

# the unit test programs: the Makefile's TESTS when it has them, else every test_*.c
tests=""
if [ -f "$HERE/Makefile" ]; then
    # shellcheck disable=SC2016 # $(TESTS) is for make, not for the shell
    tests=$(printf 'zmm-print-tests:\n\t@echo $(TESTS)\n' |
            make -s --no-print-directory -C "$HERE" -f Makefile -f - zmm-print-tests 2>/dev/null)
fi
if [ -z "$tests" ]; then
    for c in "$HERE"/test_*.c; do [ -f "$c" ] && tests="$tests $(basename "${c%.c}")"; done
fi
case " $tests " in *" test_win32 "*) ;; *) [ -f "$HERE/test_win32.c" ] && tests="$tests test_win32" ;; esac
programs="$tests"
[ -f "$HERE/fuzz_driver.c" ] && programs="$programs fuzz_driver"

built=""
for p in $programs; do
    if [ ${#core_objs[@]} -eq 0 ]; then break; fi
    if "$CC_WIN" "${CFLAGS_WIN[@]}" "${SRC_INC[@]}" -I"$HERE" -o "$BUILD/$p.exe" "$HERE/$p.c" \
            "${support_objs[@]}" "${core_objs[@]}" "${LDFLAGS_WIN[@]}" >"$build_log" 2>&1; then
        built="$built $p"
    else
        cat "$build_log"
        count_fail "mingw build of tests/c/$p.c"
    fi
done

# ---- the Wine prefix -------------------------------------------------------------------
if [ ! -f "$WINEPREFIX/system.reg" ]; then
    echo "# wine.sh: creating the Wine prefix"
    "$WINE" wineboot.exe --init >/dev/null 2>&1
    "$WINESERVER" -w >/dev/null 2>&1
fi

# ---- run -----------------------------------------------------------------------------
run_prog() { # run_prog LABEL EXE [ARGS...]: run one program, echo and count its TAP lines
    local label=$1; shift
    local out="$BUILD/run.out" rc p s f crashed=0
    echo "# running under Wine: $label"
    (cd "$BUILD" && timeout "$TIMEOUT" "$WINE" "$@") >"$out" 2>&1
    rc=$?
    # Wine itself can lose its server ("wine client error: ... Connection reset
    # by peer"): that says nothing about the program, so restart it and rerun once
    if [ "$rc" -ne 0 ] && grep -q 'wine client error' "$out"; then
        echo "# wine.sh: the Wine server went away; running $label again"
        "$WINESERVER" -k >/dev/null 2>&1
        (cd "$BUILD" && timeout "$TIMEOUT" "$WINE" "$@") >"$out" 2>&1
        rc=$?
    fi
    # Wine's own notices are not TAP; strip the carriage returns Windows may add
    tr -d '\r' <"$out" >"$out.tap"
    cat "$out.tap"
    p=$(grep -E '^ok [0-9]+' "$out.tap" | grep -vc '# SKIP')
    s=$(grep -E '^ok [0-9]+' "$out.tap" | grep -c '# SKIP')
    f=$(grep -cE '^not ok [0-9]+' "$out.tap")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then crashed=1; fi
    if [ "$crashed" -eq 0 ] && [ $((p + s + f)) -gt 1 ] && ! grep -qE '^1\.\.[0-9]+' "$out.tap"; then crashed=1; fi
    if [ "$crashed" -eq 0 ] && [ $((p + s + f)) -eq 0 ] && ! grep -qE '^1\.\.0' "$out.tap"; then crashed=1; fi
    if [ "$crashed" -eq 1 ]; then
        count_fail "$label exited with status $rc before finishing (crash or timeout; see above)"
    fi
    pass=$((pass + p)) skip=$((skip + s)) fail=$((fail + f))
}

has_built() { case " $built " in *" $1 "*) return 0 ;; esac; return 1; }

for t in $tests; do
    has_built "$t" && run_prog "$t.exe" "$BUILD/$t.exe"
done

# the seeded driver with each scheme Windows has; the driver still switches
# schemes at random during a run, so each run also mixes them
if has_built fuzz_driver; then
    n=0
    for storage in win32 malloc; do
        for cfg in "--seed 1" "--seed 2" "--seed 3" \
                   "--seed 4 --cookies 1 --protection 1 --fill 1" \
                   "--seed 5 --seg 4096 --cache 0" \
                   "--seed 6 --limit 4194304"; do
            n=$((n + 1))
            # shellcheck disable=SC2086
            run_prog "fuzz_driver.exe --storage $storage $cfg --ops $OPS" \
                "$BUILD/fuzz_driver.exe" --storage "$storage" $cfg --ops "$OPS" --test-number "$n"
        done
    done
fi

echo "TAP: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
