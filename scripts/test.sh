#!/usr/bin/env bash
# scripts/test.sh - install what is missing, build, run every test of zendmm_ext.
#
# Meant for a fresh Debian 12 machine, run as root (CI runs it through .ci/run).
# Steps, each counted, none stopping the others:
#   1. apt-get install the packages that are missing (apt-get update once, only then)
#   2. C unit tests of the heap core under ASan+UBSan (tests/c, TAP)
#   3. the seeded randomized driver over a matrix of configurations (21 x 20000 operations, 3 with exact_fit)
#   4. the libFuzzer target, built with clang and run for a bounded time
#   5. the PHP extension (if zendmm_ext.c exists): phpize, configure, make,
#      the .phpt suite, then the same suite under valgrind
#   6. hook: tests/c/wine.sh (Windows build under Wine), if it exists; it prints
#      TAP lines and may end with "TAP: N passed, N failed, N skipped"
# The last line is "N passed, N failed, N skipped"; the exit status is 1 if
# anything failed.
#
# Environment: FUZZ_SECONDS (libFuzzer time, default 20), FUZZ_OPS (ops per
# seeded run, default 20000), SKIP_VALGRIND=1, SKIP_INSTALL=1, SKIP_PHPSRC=1.
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1

PASSED=0
FAILED=0
SKIPPED=0
FAILED_WHAT=()
LOGDIR=$(mktemp -d /tmp/zendmm-test.XXXXXX)

section() { printf '\n=== %s ===\n' "$*"; }
count() { # count P F S [label-for-failures]
    PASSED=$((PASSED + $1))
    FAILED=$((FAILED + $2))
    SKIPPED=$((SKIPPED + $3))
    if [ "$2" -gt 0 ] && [ -n "${4:-}" ]; then FAILED_WHAT+=("$4 ($2)"); fi
}
fail_step() { # a step that could not run at all counts as one failure
    echo "FAILED: $*"
    count 0 1 0 "$*"
}

# Parse "TAP: N passed, N failed, N skipped" from a log.
tap_counts() { # log label
    local line p f s
    line=$(grep -E '^TAP: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' "$1" | tail -1)
    if [ -z "$line" ]; then
        fail_step "$2: no TAP summary"
        return
    fi
    p=$(sed -E 's/^TAP: ([0-9]+) passed.*/\1/' <<<"$line")
    f=$(sed -E 's/^TAP: [0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$line")
    s=$(sed -E 's/.* ([0-9]+) skipped.*/\1/' <<<"$line")
    count "$p" "$f" "$s" "$2"
    echo "$2: $p passed, $f failed, $s skipped"
}

# ---- 1. packages -------------------------------------------------------------
PACKAGES=(git build-essential clang libclang-rt-14-dev php8.2-dev php8.2-cli php-pear php-parser valgrind
          gcc-mingw-w64-x86-64 wine64 libphp8.2-embed php8.2-xml)
install_missing() {
    local missing=() p
    for p in "${PACKAGES[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$p")
        fi
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        echo "all packages present"
        return 0
    fi
    echo "installing: ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then
        echo "not root: cannot install ${missing[*]}"
        return 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || return 1
    apt-get install -y -qq "${missing[@]}" >"$LOGDIR/apt.log" 2>&1 || { tail -20 "$LOGDIR/apt.log"; return 1; }
}
section "packages"
if [ "${SKIP_INSTALL:-0}" != 1 ]; then
    install_missing || fail_step "package installation"
fi

# ---- 2. C unit tests ---------------------------------------------------------
section "C unit tests (ASan + UBSan)"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
C_BUILD_OK=0
if make -C tests/c clean >/dev/null 2>&1 && make -C tests/c -j"$(nproc)" all >"$LOGDIR/c-build.log" 2>&1; then
    C_BUILD_OK=1
    read -r -a TESTS <<<"$(make -s -C tests/c print-tests)"
    CMDS=()
    for t in "${TESTS[@]}"; do CMDS+=("tests/c/build/$t"); done
    CMDS+=("bash tests/c/check-includes.sh")   # the include rules of INTERNALS.md
    bash tests/c/run-tap.sh "${CMDS[@]}" >"$LOGDIR/c-tests.log" 2>&1
    grep -E '^(not ok|# running|Bail out)|ERROR: AddressSanitizer|runtime error' "$LOGDIR/c-tests.log" | head -60
    tap_counts "$LOGDIR/c-tests.log" "C unit tests"
else
    tail -40 "$LOGDIR/c-build.log"
    fail_step "C unit tests: build"
fi

# ---- 3. seeded randomized driver ---------------------------------------------
section "seeded randomized driver"
if [ "$C_BUILD_OK" = 1 ]; then
    OPS=${FUZZ_OPS:-20000}
    FZ=tests/c/build/fuzz_driver
    MATRIX=(
        "--seed 1"
        "--seed 2"
        "--seed 3"
        "--seed 4"
        "--seed 11 --cache 0"
        "--seed 12 --cache 1 --cookies 1 --protection 1 --fill 1"
        "--seed 13 --protection 1 --cookies 0"
        "--seed 14 --seg 4096"
        "--seed 15 --seg 4096 --cache 0 --protection 1"
        "--seed 16 --limit 1048576"
        "--seed 17 --limit 4194304 --seg 16384"
        "--seed 18 --storage faulty"
        "--seed 19 --storage mmap_zero --cookies 1"
        "--seed 20 --passthrough"
        "--seed 21 --no-track --cache 1"
        "--seed 22 --seg 32 --cookies 0 --protection 0"
        "--seed 23 --seg 64 --reserve 64 --cache 1 --cookies 0"
        "--seed 24 --reserve 0 --limit 2000000"
        "--seed 25 --exact-fit"
        "--seed 26 --exact-fit --cache 0 --seg 16384"
        "--seed 27 --exact-fit --cookies 1 --protection 1 --limit 4194304"
        "--seed 28 --align 16 --cookies 0 --protection 0 --fill 0"
        "--seed 29 --align 16 --cookies 1 --protection 1 --seg 4096"
        "--seed 30 --cookies 0 --protection 0 --fill 0 --cache 1 --seg 4096"
        "--seed 31 --align 16 --cookies 0 --protection 0 --fill 0 --no-track --cache 1"
    )
    CMDS=()
    n=0
    for m in "${MATRIX[@]}"; do
        n=$((n + 1))
        CMDS+=("$FZ $m --ops $OPS --test-number $n")
    done
    bash tests/c/run-tap.sh "${CMDS[@]}" >"$LOGDIR/fuzz.log" 2>&1
    grep -E '^(ok|not ok)|^# op|ERROR: AddressSanitizer|runtime error' "$LOGDIR/fuzz.log" | head -40
    tap_counts "$LOGDIR/fuzz.log" "seeded driver"
else
    fail_step "seeded driver: not built"
fi

# ---- 4. libFuzzer --------------------------------------------------------------
section "libFuzzer"
if command -v clang >/dev/null 2>&1 && make -C tests/c fuzz-libfuzzer >"$LOGDIR/libfuzzer-build.log" 2>&1; then
    CORPUS=tests/c/build/corpus
    mkdir -p "$CORPUS"
    if tests/c/build/fuzz_libfuzzer -max_total_time="${FUZZ_SECONDS:-20}" -max_len=4096 -timeout=60 \
        -artifact_prefix=tests/c/build/ \
        -rss_limit_mb=4096 -print_final_stats=0 "$CORPUS" >"$LOGDIR/libfuzzer.log" 2>&1; then
        grep -E '^Done|^#[0-9]+ *DONE' "$LOGDIR/libfuzzer.log" | tail -1
        count 1 0 0
        echo "libFuzzer: ok"
    else
        tail -40 "$LOGDIR/libfuzzer.log"
        fail_step "libFuzzer run"
    fi
else
    tail -20 "$LOGDIR/libfuzzer-build.log" 2>/dev/null
    fail_step "libFuzzer: build"
fi

# ---- 5. the PHP extension -------------------------------------------------------
# Parse run-tests.php's closing block.
phpt_counts() { # log label rc
    local log=$1 label=$2 rc=$3 p f s w b l x
    num() { grep -E "^$1 *:" "$log" | tail -1 | sed -E 's/^[^:]*: *([0-9]+).*/\1/'; }
    p=$(num 'Tests passed'); f=$(num 'Tests failed'); s=$(num 'Tests skipped')
    w=$(num 'Tests warned'); b=$(num 'Tests borked'); l=$(num 'Tests leaked'); x=$(num 'Expected fail')
    if [ -z "$p" ] && [ -z "$f" ]; then
        tail -30 "$log"
        fail_step "$label: no summary from run-tests.php"
        return
    fi
    p=$(( ${p:-0} + ${x:-0} ))
    f=$(( ${f:-0} + ${w:-0} + ${b:-0} + ${l:-0} ))
    s=${s:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    # the closing lists of run-tests.php (FAILED / BORKED / LEAKED / WARNED TEST SUMMARY)
    sed -n -E '/^(FAILED|BORKED|LEAKED|WARNED) TEST SUMMARY/,/^=+$/p' "$log" | head -60
    count "$p" "$f" "$s" "$label"
    echo "$label: $p passed, $f failed, $s skipped"
}

if [ -f zendmm_ext.c ]; then
    section "PHP extension build"
    EXT_OK=0
    {
        phpize &&
        mkdir -p build/PHP-Parser-4.15.1 && ln -sfn /usr/share/php build/PHP-Parser-4.15.1/lib &&
        ./configure &&
        make -j"$(nproc)"
    } >"$LOGDIR/ext-build.log" 2>&1 && EXT_OK=1
    if [ "$EXT_OK" = 1 ] && [ -f modules/zendmm_ext.so ]; then
        echo "built modules/zendmm_ext.so"
        RUN_TESTS=run-tests.php
        [ -f "$RUN_TESTS" ] || RUN_TESTS="/usr/lib/php/$(php-config --phpapi)/build/run-tests.php"
        PHPT_DIR=tests
        section "PHP tests"
        NO_INTERACTION=1 TEST_PHP_EXECUTABLE=$(command -v php) \
            php "$RUN_TESTS" -q -d "extension=$PWD/modules/zendmm_ext.so" "$PHPT_DIR" >"$LOGDIR/phpt.log" 2>&1
        phpt_counts "$LOGDIR/phpt.log" "phpt" $?
        if [ "${SKIP_VALGRIND:-0}" != 1 ] && command -v valgrind >/dev/null 2>&1; then
            section "PHP tests under valgrind"
            NO_INTERACTION=1 TEST_PHP_EXECUTABLE=$(command -v php) VALGRIND_OPTS=--leak-check=full \
                php "$RUN_TESTS" -q -m -j2 -d "extension=$PWD/modules/zendmm_ext.so" "$PHPT_DIR" \
                >"$LOGDIR/phpt-valgrind.log" 2>&1
            phpt_counts "$LOGDIR/phpt-valgrind.log" "phpt under valgrind" $?
        else
            count 0 0 1
            echo "valgrind run skipped"
        fi
    else
        tail -40 "$LOGDIR/ext-build.log"
        fail_step "PHP extension: build"
    fi
else
    echo "(no zendmm_ext.c yet: extension steps skipped)"
fi

# ---- 6. hook: Windows build under Wine ---------------------------------------
if [ -f tests/c/wine.sh ]; then
    section "Windows (Wine)"
    bash tests/c/wine.sh >"$LOGDIR/wine.log" 2>&1
    rc=$?
    grep -E '^(not ok|Bail out)' "$LOGDIR/wine.log" | head -40
    if grep -qE '^TAP: [0-9]+ passed' "$LOGDIR/wine.log"; then
        tap_counts "$LOGDIR/wine.log" "wine"
        if [ "$rc" -ne 0 ] && ! grep -qE '^TAP: [0-9]+ passed, [1-9]' "$LOGDIR/wine.log"; then
            fail_step "wine.sh exited with $rc"
        fi
    else
        p=$(grep -E '^ok [0-9]+' "$LOGDIR/wine.log" | grep -vc '# SKIP')
        s=$(grep -E '^ok [0-9]+' "$LOGDIR/wine.log" | grep -c '# SKIP')
        f=$(grep -cE '^not ok' "$LOGDIR/wine.log")
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
        count "$p" "$f" "$s" "wine"
        echo "wine: $p passed, $f failed, $s skipped"
    fi
fi

# ---- 7. the committed arginfo was generated from the current stub ---------------
if [ -f zendmm_ext.stub.php ]; then
    section "stub and arginfo"
    want=$(sha1sum zendmm_ext.stub.php | cut -d' ' -f1)
    if grep -q "Stub hash: $want" zendmm_ext_arginfo.h; then
        echo "zendmm_ext_arginfo.h matches zendmm_ext.stub.php ($want)"
        count 1 0 0
    else
        echo "zendmm_ext_arginfo.h is stale: regenerate it with gen_stub.php (see README)"
        count 0 1 0 "arginfo"
    fi
fi

# ---- 8. packaging: package.xml lists every file and validates --------------------
if [ -f package.xml ]; then
    section "package.xml"
    if bash scripts/check-package.sh >"$LOGDIR/package.log" 2>&1; then
        tail -1 "$LOGDIR/package.log"
        count 1 0 0
    else
        cat "$LOGDIR/package.log"
        count 0 1 0 "package.xml"
    fi
fi

# ---- fidelity: placement against PHP 5.3.29's own allocator ----------------------
# tests/fidelity/run.sh replays real traces in the default and the exact_fit
# configuration and compares every checkpoint with the goldens (all seven traces
# when ../shared/fidelity is beside the checkout); it ends with a TAP: line.
if [ -f tests/fidelity/run.sh ]; then
    section "fidelity"
    bash tests/fidelity/run.sh >"$LOGDIR/fidelity.log" 2>&1
    grep -E '^(ok|not ok)|^#' "$LOGDIR/fidelity.log" | head -40
    tap_counts "$LOGDIR/fidelity.log" "fidelity"
fi

# ---- engine heap: PHP's own Zend/tests with and without zendmm_ext.engine=1 ----------
# scripts/php-src-tests.sh runs php-src's Zend/tests (Debian's php8.2 source,
# fetched once and cached) both ways and compares the results test by test; its
# last line is "php-src Zend/tests engine: N passed, N failed". SKIP_PHPSRC=1 skips it.
if [ -f scripts/php-src-tests.sh ] && [ -f modules/zendmm_ext.so ]; then
    section "php-src Zend/tests on the engine heap"
    if [ "${SKIP_PHPSRC:-0}" = 1 ]; then
        count 0 0 1
        echo "php-src run skipped (SKIP_PHPSRC=1)"
    else
        bash scripts/php-src-tests.sh >"$LOGDIR/php-src.log" 2>&1
        grep -E '^(DIFFERS|PASSES ONLY)' "$LOGDIR/php-src.log" | head -40
        line=$(grep -E '^php-src Zend/tests engine: [0-9]+ passed, [0-9]+ failed$' "$LOGDIR/php-src.log" | tail -1)
        if [ -n "$line" ]; then
            echo "$line"
            p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
            f=$(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$line")
            count "$p" "$f" 0 "php-src Zend/tests engine"
        else
            tail -20 "$LOGDIR/php-src.log"
            fail_step "php-src Zend/tests engine: no result line"
        fi
    fi
fi

section "summary"
echo "logs: $LOGDIR"
if [ "${#FAILED_WHAT[@]}" -gt 0 ]; then
    printf 'failures in: %s\n' "${FAILED_WHAT[@]}"
fi
echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" -eq 0 ]
