#!/usr/bin/env bash
# scripts/test.sh - install what is missing, build, run every test of zendmm_ext.
#
# Meant for a fresh Debian 12 machine, run as root (CI runs it through .ci/run).
# Steps (one function each, listed in STEPS below), each counted, none stopping
# the others:
#   packages       apt-get install what is missing (apt-get update once, only then)
#   c_tests        C unit tests of the heap core under ASan+UBSan (tests/c, TAP)
#   seeded_driver  the seeded randomized driver over a matrix of configurations
#                  (25 x 20000 operations, 3 with exact_fit, 3 with 16-byte alignment)
#   libfuzzer      the libFuzzer target, built with clang and run for a bounded time
#   fidelity       placement against PHP 5.3.29's allocator (tests/fidelity/run.sh)
#   php82          the extension on Debian's PHP 8.2 (in the tree): the .phpt suite,
#                  then the same suite under valgrind
#   browser        the HTML explorer and trace player in headless chromium
#                  (tests/browser/run.sh, puppeteer-core): "browser: N passed, N failed"
#   php82_paths    the engine tests from 16 other checkout paths, plain and with the
#                  tracing JIT: no figure may depend on the layout the path leaves
#   php_src        php-src's Zend/tests without and with zendmm_ext.engine=1, compared
#                  (scripts/php-src-tests.sh; Debian's php8.2 source, cached)
#   php84          the extension on PHP 8.4, in a cached Debian 13 chroot
#                  (scripts/builds/php84-chroot.sh): the .phpt suite
#   php82_zts      the extension on PHP 8.2 ZTS + debug, built once from Debian's
#                  source (scripts/builds/php82-zts-debug.sh): the .phpt suite;
#                  any leak or assertion report of the debug build fails it
#   zts_threads    the mode on threads that come and go: an embed-SAPI driver on the
#                  ZTS debug build, plain, under helgrind and memcheck (scripts/zts/engine-threads.sh):
#                  "zts engine threads: N passed, N failed"
#   zts_apache     the mode in Apache: PHP 8.2 ZTS debug as mod_php (--with-apxs2,
#                  scripts/builds/php82-apxs2.sh), mpm_event, ab -n 2000 -c 8
#                  (scripts/zts/apache.sh): "zts engine apache: N passed, N failed"
#   php_src_zts    php-src's Zend/tests without and with the mode on the ZTS debug
#                  build (scripts/zts/php-src-zts.sh): "php-src Zend/tests engine zts: ..."
#   wine           hook: tests/c/wine.sh (Windows build under Wine), if it exists
#   arginfo        the committed arginfo matches the stub
#   package_xml    package.xml lists every file and validates
#   composer       composer validate, and the php-ext section PIE reads
# Each PHP build prints exactly one line "phpt <build>: N passed, N failed, N
# skipped" (builds 8.2, 8.2-valgrind, 8.4, 8.2-zts-debug), and one
# "warnings <build>: N" line for the compiler's warnings on the extension.
# The last line is "N passed, N failed, N skipped"; the exit status is 1 if
# anything failed.
#
# Environment: FUZZ_SECONDS (libFuzzer time, default 20), FUZZ_OPS (ops per
# seeded run, default 20000), SKIP_VALGRIND=1, SKIP_INSTALL=1,
# SKIP_PHPSRC=1 (skip php-src's Zend/tests on the engine heap),
# ZENDMM_SKIP_EXTRA_BUILDS=1 (skip the 8.4 and ZTS debug builds; refused, as a
# failure, when CI=true), ZENDMM_CACHE (where the extra builds are cached,
# default /var/cache/zendmm_ext), ZENDMM_STEPS="php84 composer" (run only
# these steps, for a quick look; a full run runs them all).
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/scripts/builds/lib.sh"   # copy_tree
cd "$ROOT" || exit 1

PASSED=0
FAILED=0
SKIPPED=0
FAILED_WHAT=()
LOGDIR=$(mktemp -d /tmp/zendmm-test.XXXXXX)
CLEANUP=()   # work directories removed on exit
cleanup() {
    local d
    for d in "${CLEANUP[@]}"; do
        rm -rf --one-file-system "$d" 2>/dev/null
    done
}
trap cleanup EXIT

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

# Parse run-tests.php's closing block and print the build's one line
# "phpt <build>: N passed, N failed, N skipped" (1 failed when there is no
# summary at all). Extra failures (a debug build's reports) are added.
phpt_counts() { # log label rc [extra-failures]
    local log=$1 label=$2 rc=$3 extra=${4:-0} p f s w b l x
    num() { grep -E "^$1 *:" "$log" | tail -1 | sed -E 's/^[^:]*: *([0-9]+).*/\1/'; }
    p=$(num 'Tests passed'); f=$(num 'Tests failed'); s=$(num 'Tests skipped')
    w=$(num 'Tests warned'); b=$(num 'Tests borked'); l=$(num 'Tests leaked'); x=$(num 'Expected fail')
    if [ -z "$p" ] && [ -z "$f" ]; then
        tail -30 "$log"
        echo "no summary from run-tests.php"
        p=0 f=0 s=0 rc=1
    fi
    p=$(( ${p:-0} + ${x:-0} ))
    f=$(( ${f:-0} + ${w:-0} + ${b:-0} + ${l:-0} + extra ))
    s=${s:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    # the closing lists of run-tests.php (FAILED / BORKED / LEAKED / WARNED TEST SUMMARY)
    sed -n -E '/^(FAILED|BORKED|LEAKED|WARNED) TEST SUMMARY/,/^=+$/p' "$log" | head -60
    # and what each failure printed (run-tests.php --show-diff): CI keeps only this output
    if [ "$f" -gt 0 ]; then
        sed -n -E '/^=+DIFF=+$/,/^=+DONE=+$/p' "$log" | head -150
    fi
    count "$p" "$f" "$s" "$label"
    echo "$label: $p passed, $f failed, $s skipped"
}
# A step whose script ends with its own line "<label>: N passed, N failed[, ...]":
# print the line and count it; when it is missing, one failure and the line
# "<label>: 0 passed, 1 failed<rest>" all the same.
result_line() { # log regexp label [rest of the line's form, e.g. ", 0 flaky"]
    local line p f
    line=$(grep -E "$2" "$1" | tail -1)
    if [ -n "$line" ]; then
        echo "$line"
        p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
        f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
        count "$p" "$f" 0 "$3"
    else
        tail -20 "$1"
        fail_step "$3: no result line"
        echo "$3: 0 passed, 1 failed${4:-}"
    fi
}
phpt_not_run() { # label reason: the build's line, as one failure
    echo "$2"
    count 0 1 0 "$1"
    echo "$1: 0 passed, 1 failed, 0 skipped"
}

# The compiler's own warnings in an extension build log ("compiler warnings: N"
# from scripts/builds/ext-phpt.sh, or counted here for the in-tree build).
warning_counts() { # log build
    local n
    n=$(grep -E '^compiler warnings: [0-9]+$' "$1" | tail -1 | sed -E 's/.*: //')
    [ -n "$n" ] || n=$(grep -cE '^[^ :]+\.[ch]:[0-9]+(:[0-9]+)?: warning:' "$1")
    grep -E '^[^ :]+\.[ch]:[0-9]+(:[0-9]+)?: warning:' "$1" | head -20
    if [ "$n" -eq 0 ]; then count 1 0 0; else count 0 1 0 "warnings $2"; fi
    echo "warnings $2: $n"
}

# The 8.4 and ZTS debug builds run unless ZENDMM_SKIP_EXTRA_BUILDS=1 (refused under CI).
extra_build_wanted() { # label
    [ "${ZENDMM_SKIP_EXTRA_BUILDS:-0}" = 1 ] || return 0
    if [ "${CI:-}" = true ]; then
        phpt_not_run "$1" "ZENDMM_SKIP_EXTRA_BUILDS=1 is refused under CI=true: every build must run"
    else
        echo "skipped (ZENDMM_SKIP_EXTRA_BUILDS=1)"
        count 0 0 1
        echo "$1: 0 passed, 0 failed, 1 skipped"
    fi
    return 1
}

# ---- packages -------------------------------------------------------------------
PACKAGES=(git build-essential clang libclang-rt-14-dev php8.2-dev php8.2-cli php-pear php-parser valgrind
          gcc-mingw-w64-x86-64 wine64 libphp8.2-embed php8.2-xml composer debootstrap pkg-config libxml2-dev
          php8.2-opcache php8.2-fpm libfcgi-bin xz-utils chromium nodejs zlib1g-dev libffi-dev golang-go
          apache2 apache2-dev apache2-utils)
# The commands the steps need: a missing one is a failure under CI=true (a
# step that skips for want of it would pass unseen), a note otherwise.
TOOLS=(git make gcc clang php phpize php-config valgrind xz sha256sum debootstrap chroot unshare composer pear
       php-fpm8.2 cgi-fcgi x86_64-w64-mingw32-gcc wine chromium node go apache2 apxs2 ab)
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
# Under CI=true a setting that leaves part of the run out is refused: one
# failure each (the run goes on, so its other results still show).
ci_refuses() { # variable description
    if [ "${CI:-}" = true ] && [ -n "${!1:-}" ] && [ "${!1}" != 0 ]; then
        fail_step "$1=${!1} is refused under CI=true ($2)"
        return 0
    fi
    return 1
}
step_packages() {
    section "packages"
    if [ "${SKIP_INSTALL:-0}" != 1 ]; then
        install_missing || fail_step "package installation"
    fi
    local t missing=()
    for t in "${TOOLS[@]}"; do
        command -v "$t" >/dev/null 2>&1 || missing+=("$t")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        echo "every tool is there (${#TOOLS[@]})"
    elif [ "${CI:-}" = true ]; then
        for t in "${missing[@]}"; do fail_step "missing tool under CI=true: $t"; done
    else
        echo "missing tools (the steps that need them skip or fail): ${missing[*]}"
    fi
}

# ---- prefetch: the cached builds start early, in the background ---------------------------
# On a cold machine the chroots (mostly download and unpacking) and the debug
# PHPs (compiling, at the lowest priority, so the tests keep the CPU) are made
# while the first steps run; each later step calls the same script, which
# waits on the build's lock and then finds it cached. Nothing is counted here:
# a build that fails is reported by the step that needs it.
PREFETCH_PIDS=()
step_prefetch() {
    section "prefetch of the cached builds"
    [ -f zendmm_ext.c ] || return
    [ "${ZENDMM_SKIP_EXTRA_BUILDS:-0}" = 1 ] && return
    local v f
    ( for v in 8.4 8.5 8.6; do
          bash scripts/builds/php-chroot.sh "$v" >/dev/null 2>"$LOGDIR/prefetch-chroot-$v.log"
      done ) &
    PREFETCH_PIDS+=($!)
    ( for f in nts zts; do
          nice -n 19 bash scripts/builds/php82-debug.sh "$f" >/dev/null 2>"$LOGDIR/prefetch-debug-$f.log"
      done
      nice -n 19 bash scripts/builds/php82-apxs2.sh >/dev/null 2>"$LOGDIR/prefetch-apxs2.log" ) &
    PREFETCH_PIDS+=($!)
    echo "started: chroots 8.4, 8.5, 8.6; PHP 8.2 debug builds nts, zts, zts apxs2 (logs: $LOGDIR/prefetch-*)"
}
prefetch_wait() { # the background builds end before the script does
    local pid
    for pid in "${PREFETCH_PIDS[@]}"; do wait "$pid" 2>/dev/null; done
}

# ---- C unit tests -----------------------------------------------------------------
C_BUILD_OK=0
step_c_tests() {
    section "C unit tests (ASan + UBSan)"
    export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
    export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
    if make -C tests/c clean >/dev/null 2>&1 && make -C tests/c -j"$(nproc)" all >"$LOGDIR/c-build.log" 2>&1; then
        C_BUILD_OK=1
        local tests cmds=() t
        read -r -a tests <<<"$(make -s -C tests/c print-tests)"
        for t in "${tests[@]}"; do cmds+=("tests/c/build/$t"); done
        cmds+=("bash tests/c/check-includes.sh")   # the include rules of INTERNALS.md
        bash tests/c/run-tap.sh "${cmds[@]}" >"$LOGDIR/c-tests.log" 2>&1
        grep -E '^(not ok|# running|Bail out)|ERROR: AddressSanitizer|runtime error' "$LOGDIR/c-tests.log" | head -60
        tap_counts "$LOGDIR/c-tests.log" "C unit tests"
    else
        tail -40 "$LOGDIR/c-build.log"
        fail_step "C unit tests: build"
    fi
}

# ---- seeded randomized driver -------------------------------------------------------
step_seeded_driver() {
    section "seeded randomized driver"
    if [ "$C_BUILD_OK" != 1 ]; then
        fail_step "seeded driver: not built"
        return
    fi
    local ops=${FUZZ_OPS:-20000} fz=tests/c/build/fuzz_driver cmds=() n=0 m
    local matrix=(
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
        "--seed 32 --no-cache-stat --cookies 0 --protection 0 --fill 0 --cache 1 --seg 4096"
    )
    for m in "${matrix[@]}"; do
        n=$((n + 1))
        cmds+=("$fz $m --ops $ops --test-number $n")
    done
    bash tests/c/run-tap.sh "${cmds[@]}" >"$LOGDIR/fuzz.log" 2>&1
    grep -E '^(ok|not ok)|^# op|ERROR: AddressSanitizer|runtime error' "$LOGDIR/fuzz.log" | head -40
    tap_counts "$LOGDIR/fuzz.log" "seeded driver"
}

# ---- libFuzzer ----------------------------------------------------------------------
step_libfuzzer() {
    section "libFuzzer"
    if command -v clang >/dev/null 2>&1 && make -C tests/c fuzz-libfuzzer >"$LOGDIR/libfuzzer-build.log" 2>&1; then
        local corpus=tests/c/build/corpus
        mkdir -p "$corpus"
        if tests/c/build/fuzz_libfuzzer -max_total_time="${FUZZ_SECONDS:-20}" -max_len=4096 -timeout=60 \
            -artifact_prefix=tests/c/build/ \
            -rss_limit_mb=4096 -print_final_stats=0 "$corpus" >"$LOGDIR/libfuzzer.log" 2>&1; then
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
}

# run-tests.php: the tree's (phpize copies it in) or the installed PHP's
phpt_runner() {
    if [ -f run-tests.php ]; then echo run-tests.php; else echo "/usr/lib/php/$(php-config --phpapi)/build/run-tests.php"; fi
}

# ---- the extension on Debian's PHP 8.2 (in the tree) ---------------------------------------
step_php82() {
    [ -f zendmm_ext.c ] || { echo "(no zendmm_ext.c yet: extension steps skipped)"; return; }
    section "PHP 8.2: extension build"
    local ok=0 run_tests
    {
        phpize &&
        mkdir -p build/PHP-Parser-4.15.1 && ln -sfn /usr/share/php build/PHP-Parser-4.15.1/lib &&
        ./configure &&
        make -j"$(nproc)"
    } >"$LOGDIR/ext-build.log" 2>&1 && ok=1
    if [ "$ok" != 1 ] || [ ! -f modules/zendmm_ext.so ]; then
        tail -40 "$LOGDIR/ext-build.log"
        phpt_not_run "phpt 8.2" "PHP 8.2: the extension does not build"
        phpt_not_run "phpt 8.2-valgrind" "PHP 8.2: the extension does not build"
        return
    fi
    echo "built modules/zendmm_ext.so"
    warning_counts "$LOGDIR/ext-build.log" 8.2
    run_tests=$(phpt_runner)
    section "PHP 8.2: tests"
    NO_INTERACTION=1 TEST_PHP_EXECUTABLE=$(command -v php) \
        php "$run_tests" -q --show-diff -d "extension=$PWD/modules/zendmm_ext.so" tests >"$LOGDIR/phpt-8.2.log" 2>&1
    phpt_counts "$LOGDIR/phpt-8.2.log" "phpt 8.2" $?
    section "PHP 8.2: tests under valgrind"
    if ci_refuses SKIP_VALGRIND "the valgrind pass must run"; then
        echo "phpt 8.2-valgrind: 0 passed, 1 failed, 0 skipped"
    elif [ "${SKIP_VALGRIND:-0}" != 1 ] && command -v valgrind >/dev/null 2>&1; then
        NO_INTERACTION=1 TEST_PHP_EXECUTABLE=$(command -v php) VALGRIND_OPTS=--leak-check=full \
            php "$run_tests" -q --show-diff -m -j2 -d "extension=$PWD/modules/zendmm_ext.so" tests \
            >"$LOGDIR/phpt-8.2-valgrind.log" 2>&1
        phpt_counts "$LOGDIR/phpt-8.2-valgrind.log" "phpt 8.2-valgrind" $?
    elif [ "${CI:-}" = true ]; then
        phpt_not_run "phpt 8.2-valgrind" "valgrind is not installed (refused under CI=true)"
    else
        echo "valgrind run skipped"
        count 0 0 1
        echo "phpt 8.2-valgrind: 0 passed, 0 failed, 1 skipped"
    fi
}

# ---- the .phpt suite on PHP 8.2 with opcache and the tracing JIT -------------------------
OPCACHE_JIT=(-d opcache.enable_cli=1 -d opcache.jit=tracing -d opcache.jit_buffer_size=64M)
# OPCACHE_JIT, with opcache loaded first where PHP's INI does not load it (once PHP is installed)
OPCACHE_LOADED=0
opcache_jit_load() {
    [ "$OPCACHE_LOADED" = 1 ] && return
    OPCACHE_LOADED=1
    php -m 2>/dev/null | grep -qx 'Zend OPcache' || OPCACHE_JIT=(-d zend_extension=opcache "${OPCACHE_JIT[@]}")
}
step_php82_opcache_jit() {
    [ -f zendmm_ext.c ] || return
    section "PHP 8.2 with opcache and the tracing JIT: tests"
    local label="phpt 8.2-opcache-jit" jit run_tests
    if [ ! -f modules/zendmm_ext.so ]; then
        phpt_not_run "$label" "the extension was not built (step php82)"
        return
    fi
    opcache_jit_load
    # the JIT must really be on, in the mode too (else the line would test nothing new)
    jit=$(php "${OPCACHE_JIT[@]}" -d "extension=$PWD/modules/zendmm_ext.so" -d zendmm_ext.engine=1 \
        -r 'echo function_exists("opcache_get_status") && (opcache_get_status(false)["jit"]["on"] ?? false) ? "on" : "off";' 2>&1)
    if [ "$jit" != on ]; then
        phpt_not_run "$label" "opcache's tracing JIT does not come on: $jit"
        return
    fi
    echo "opcache.jit=tracing is on (also with zendmm_ext.engine=1)"
    run_tests=$(phpt_runner)
    NO_INTERACTION=1 TEST_PHP_EXECUTABLE=$(command -v php) \
        php "$run_tests" -q --show-diff "${OPCACHE_JIT[@]}" -d "extension=$PWD/modules/zendmm_ext.so" tests \
        >"$LOGDIR/phpt-8.2-opcache-jit.log" 2>&1
    phpt_counts "$LOGDIR/phpt-8.2-opcache-jit.log" "$label" $?
}

# ---- the engine-heap tests from checkouts at other paths ---------------------------------
# A test of the engine heap shares it with what PHP allocated before the script, the
# script's own path among it: a figure that holds at one checkout path and not at
# another depends on that layout (CI's path once made two of sites_009's 1056-byte
# blocks 1072 under opcache). The engine tests that stand alone (zendmm_ext.engine=1,
# no file outside tests/) run from 16 directories whose paths are 2, 4, ... 32 bytes
# longer (every other residue of the length modulo 32: the lengths a layout
# difference appears at come in runs, 8 in a row for that one), plain and with the
# tracing JIT:
# "phpt 8.2-paths: ..." and "phpt 8.2-paths-opcache-jit: ...", one test per copy.
PATH_COPIES=16
step_php82_paths() {
    [ -f zendmm_ext.c ] || return
    section "PHP 8.2: the engine tests from $PATH_COPIES other paths, plain and with the tracing JIT"
    local base="$LOGDIR/paths" files=() dirs=() f n d run_tests
    if [ ! -f modules/zendmm_ext.so ]; then
        phpt_not_run "phpt 8.2-paths" "the extension was not built (step php82)"
        phpt_not_run "phpt 8.2-paths-opcache-jit" "the extension was not built (step php82)"
        return
    fi
    for f in tests/*.phpt; do
        grep -qE 'zendmm_ext\.engine=1|engine_rerun_if_refused' "$f" || continue
        grep -qE "__DIR__ \. '/\.\.|dirname\(__DIR__" "$f" && continue
        files+=("$f")
    done
    for n in $(seq 2 2 $((2 * PATH_COPIES))); do
        d="$base/$(printf '%*s' "$n" '' | tr ' ' p)"
        mkdir -p "$d" && cp "${files[@]}" tests/*.inc "$d/"
        dirs+=("$d")
    done
    echo "${#files[@]} tests, each from $PATH_COPIES directories"
    opcache_jit_load
    run_tests=$(phpt_runner)
    NO_INTERACTION=1 TEST_PHP_EXECUTABLE=$(command -v php) \
        php "$run_tests" -q --show-diff -j2 -d "extension=$PWD/modules/zendmm_ext.so" "${dirs[@]}" \
        >"$LOGDIR/phpt-8.2-paths.log" 2>&1
    phpt_counts "$LOGDIR/phpt-8.2-paths.log" "phpt 8.2-paths" $?
    NO_INTERACTION=1 TEST_PHP_EXECUTABLE=$(command -v php) \
        php "$run_tests" -q --show-diff -j2 "${OPCACHE_JIT[@]}" -d "extension=$PWD/modules/zendmm_ext.so" "${dirs[@]}" \
        >"$LOGDIR/phpt-8.2-paths-opcache-jit.log" 2>&1
    phpt_counts "$LOGDIR/phpt-8.2-paths-opcache-jit.log" "phpt 8.2-paths-opcache-jit" $?
    rm -rf "$base"
}

# ---- php-fpm: the engine heap behind FastCGI ---------------------------------------------
# tests/fpm/run.sh: Debian's php-fpm8.2 in the mode, 300 requests over FastCGI;
# its last line is "fpm engine: N passed, N failed".
step_fpm() {
    [ -f tests/fpm/run.sh ] || return
    section "php-fpm 8.2: the engine heap behind FastCGI"
    if [ ! -f modules/zendmm_ext.so ]; then
        fail_step "fpm engine: the extension was not built (step php82)"
        echo "fpm engine: 0 passed, 1 failed"
        return
    fi
    bash tests/fpm/run.sh "$PWD/modules/zendmm_ext.so" >"$LOGDIR/fpm.log" 2>&1
    grep -E '^(not ok|#)' "$LOGDIR/fpm.log" | head -40
    result_line "$LOGDIR/fpm.log" '^fpm engine: [0-9]+ passed, [0-9]+ failed$' "fpm engine"
}

# ---- the extension on PHP 8.4, 8.5, 8.6 (cached Debian chroots) ----------------------------
# scripts/builds/php-chroot.sh makes each chroot once (8.4: Debian 13; 8.5 and
# 8.6: sid + experimental, one chroot per version).
chroot_phpt() { # version
    local v=$1 label="phpt $1" root work rc
    section "PHP $v (Debian chroot): extension build and tests"
    extra_build_wanted "$label" || return
    if ! root=$(bash scripts/builds/php-chroot.sh "$v" 2>"$LOGDIR/php$v-chroot.log"); then
        tail -30 "$LOGDIR/php$v-chroot.log"
        phpt_not_run "$label" "the PHP $v chroot cannot be made"
        return
    fi
    echo "chroot: $root"
    work=$(mktemp -d "$root/tmp/zendmm-test.XXXXXX")
    CLEANUP+=("$work")
    copy_tree "$ROOT" "$work" || { phpt_not_run "$label" "the tree cannot be copied"; return; }
    bash scripts/builds/chroot-run.sh "$root" PHP="php$v" PHPIZE="phpize$v" PHP_CONFIG="php-config$v" \
        bash -c "cd '${work#"$root"}' && bash scripts/builds/ext-phpt.sh" >"$LOGDIR/phpt-$v.log" 2>&1
    rc=$?
    if [ "$rc" -eq 2 ] || ! grep -qE '^compiler warnings:' "$LOGDIR/phpt-$v.log"; then
        tail -40 "$LOGDIR/phpt-$v.log"
        phpt_not_run "$label" "PHP $v: the extension does not build (or the chroot does not run)"
        return
    fi
    warning_counts "$LOGDIR/phpt-$v.log" "$v"
    phpt_counts "$LOGDIR/phpt-$v.log" "$label" "$rc"
}
step_php84() { [ -f zendmm_ext.c ] && chroot_phpt 8.4; }
step_php85() { [ -f zendmm_ext.c ] && chroot_phpt 8.5; }
step_php86() { [ -f zendmm_ext.c ] && chroot_phpt 8.6; }

# ---- the extension on PHP 8.2 ZTS + debug ------------------------------------------------
# What a debug build reports on stderr and run-tests.php may not see (a test
# that passes can still leak, and SKIPIF/CLEAN output is not compared).
DEBUG_REPORTS='leaked|Freeing 0x|memory leaks detected|Last leak repeated|Assertion .* failed|Arginfo / zpp mismatch|zend_execute\.c|zend_mm_heap corrupted'
debug_phpt() { # zts|nts label
    local flavour=$1 label=$2 prefix work rc reports build=${2#phpt }
    section "PHP $build: extension build and tests"
    extra_build_wanted "$label" || return
    if ! prefix=$(bash scripts/builds/php82-debug.sh "$flavour" 2>"$LOGDIR/php$build.log"); then
        tail -30 "$LOGDIR/php$build.log"
        phpt_not_run "$label" "PHP $build cannot be built"
        return
    fi
    echo "PHP: $prefix"
    work=$(mktemp -d "/tmp/zendmm-$flavour-debug.XXXXXX")
    CLEANUP+=("$work")
    copy_tree "$ROOT" "$work" || { phpt_not_run "$label" "the tree cannot be copied"; return; }
    : >"$LOGDIR/$build-stderr.log"
    # TEST_TIMEOUT: run-tests.php gives a test 60 s; an -O0 debug PHP on a loaded
    # 2-core machine can take longer for the heavy ones (explore_001 runs
    # php-parser with sites on: 12 s alone here, at load 8)
    (cd "$work" && PHP="$prefix/bin/php" PHPIZE="$prefix/bin/phpize" PHP_CONFIG="$prefix/bin/php-config" \
        STDERR_LOG="$LOGDIR/$build-stderr.log" TEST_TIMEOUT="${TEST_TIMEOUT:-300}" bash scripts/builds/ext-phpt.sh) \
        >"$LOGDIR/phpt-$build.log" 2>&1
    rc=$?
    if [ "$rc" -eq 2 ]; then
        tail -40 "$LOGDIR/phpt-$build.log"
        phpt_not_run "$label" "PHP $build: the extension does not build"
        return
    fi
    warning_counts "$LOGDIR/phpt-$build.log" "$build"
    # run-tests.php's own "Tests leaked :" line is its count, not a report
    debug_reports() { cat "$LOGDIR/$build-stderr.log" "$LOGDIR/phpt-$build.log" |
        grep -vE '^Tests leaked *:' | grep -E "$DEBUG_REPORTS"; }
    reports=$(debug_reports | wc -l)
    if [ "$reports" -gt 0 ]; then
        echo "the debug build reported leaks or failed assertions:"
        debug_reports | head -20
        phpt_counts "$LOGDIR/phpt-$build.log" "$label" "$rc" 1
    else
        echo "no leak or assertion reports from the debug build"
        phpt_counts "$LOGDIR/phpt-$build.log" "$label" "$rc"
    fi
}
step_php82_zts() { [ -f zendmm_ext.c ] && debug_phpt zts "phpt 8.2-zts-debug"; }
step_php82_debug() { [ -f zendmm_ext.c ] && debug_phpt nts "phpt 8.2-debug"; }

# ---- ZTS: threads that come and go, Apache, php-src's Zend/tests -------------------------------
# On the ZTS debug builds (cached: with the embed SAPI; as Apache's module), in the mode.
# scripts/zts/engine-threads.sh: an embed-SAPI driver (pthreads, threads that
# each run many requests, started and ended in rounds), then the same driver
# under helgrind and memcheck; its last line is "zts engine threads: N passed, N failed".
# scripts/zts/apache.sh: Debian's apache2 (mpm_event) with that PHP as its module, ab at
# concurrency 8; its last line is "zts engine apache: N passed, N failed".
# scripts/zts/php-src-zts.sh: php-src's Zend/tests without and with the mode.
step_zts_threads() {
    [ -f scripts/zts/engine-threads.sh ] || return
    section "ZTS: threads that come and go (embed SAPI, helgrind)"
    extra_build_wanted "zts engine threads" || return
    local t0=$SECONDS
    bash scripts/zts/engine-threads.sh >"$LOGDIR/zts-threads.log" 2>&1
    grep -E '^(ok|not ok|engine heaps|threads|helgrind|==)' "$LOGDIR/zts-threads.log" | head -60
    result_line "$LOGDIR/zts-threads.log" '^zts engine threads: [0-9]+ passed, [0-9]+ failed$' "zts engine threads"
    echo "time: $((SECONDS - t0)) s"
}
step_zts_apache() {
    [ -f scripts/zts/apache.sh ] || return
    section "ZTS: Apache (mod_php, mpm_event) driven by ab"
    extra_build_wanted "zts engine apache" || return
    local t0=$SECONDS
    bash scripts/zts/apache.sh >"$LOGDIR/zts-apache.log" 2>&1
    grep -E '^(ok|not ok|pages|memory-limit|==|Complete|Failed|Non-2xx|Time taken)' "$LOGDIR/zts-apache.log" | head -40
    result_line "$LOGDIR/zts-apache.log" '^zts engine apache: [0-9]+ passed, [0-9]+ failed$' "zts engine apache"
    echo "time: $((SECONDS - t0)) s"
}
step_php_src_zts() {
    [ -f scripts/zts/php-src-zts.sh ] || return
    section "php-src Zend/tests on the engine heap, ZTS debug build"
    if ci_refuses SKIP_PHPSRC "php-src's tests must run"; then
        return
    elif [ "${SKIP_PHPSRC:-0}" = 1 ]; then
        count 0 0 1
        echo "php-src run skipped (SKIP_PHPSRC=1)"
        return
    fi
    extra_build_wanted "php-src Zend/tests engine zts" || return
    local t0=$SECONDS
    bash scripts/zts/php-src-zts.sh >"$LOGDIR/php-src-zts.log" 2>&1
    grep -E '^(DIFFERS|FLAKY|PASSES ONLY)' "$LOGDIR/php-src-zts.log" | head -40
    result_line "$LOGDIR/php-src-zts.log" \
        '^php-src Zend/tests engine zts: [0-9]+ passed, [0-9]+ failed, [0-9]+ flaky, [0-9]+ pass only in the mode$' \
        "php-src Zend/tests engine zts" ", 0 flaky, 0 pass only in the mode"
    echo "time: $((SECONDS - t0)) s"
}

# ---- hook: Windows build under Wine ----------------------------------------------------
step_wine() {
    [ -f tests/c/wine.sh ] || return
    section "Windows (Wine)"
    local rc p f s
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
}

# ---- the committed arginfo was generated from the current stub ---------------------------
step_arginfo() {
    [ -f zendmm_ext.stub.php ] || return
    section "stub and arginfo"
    local want
    want=$(sha1sum zendmm_ext.stub.php | cut -d' ' -f1)
    if grep -q "Stub hash: $want" zendmm_ext_arginfo.h; then
        echo "zendmm_ext_arginfo.h matches zendmm_ext.stub.php ($want)"
        count 1 0 0
    else
        echo "zendmm_ext_arginfo.h is stale: regenerate it with gen_stub.php (see README)"
        count 0 1 0 "arginfo"
    fi
}

# ---- packaging: package.xml lists every file and validates --------------------------------
step_package_xml() {
    [ -f package.xml ] || return
    section "package.xml"
    if bash scripts/check-package.sh >"$LOGDIR/package.log" 2>&1; then
        tail -1 "$LOGDIR/package.log"
        count 1 0 0
    else
        cat "$LOGDIR/package.log"
        count 0 1 0 "package.xml"
    fi
}

# ---- PIE: composer.json validates, its php-ext section matches the build --------------------
step_composer() {
    [ -f composer.json ] || return
    section "composer.json (PIE)"
    # Debian 12's composer predates the php-ext property: its publish check would
    # reject it, so that part is checked by scripts/check-composer.php instead
    if COMPOSER_ALLOW_SUPERUSER=1 composer validate --no-check-publish --no-interaction \
        >"$LOGDIR/composer.log" 2>&1; then
        echo "composer validate: ok"
        count 1 0 0
    else
        cat "$LOGDIR/composer.log"
        count 0 1 0 "composer validate"
    fi
    if php scripts/check-composer.php >"$LOGDIR/composer-php-ext.log" 2>&1; then
        cat "$LOGDIR/composer-php-ext.log"
        count 1 0 0
    else
        cat "$LOGDIR/composer-php-ext.log"
        count 0 1 0 "composer.json php-ext"
    fi
}

# ---- fidelity: placement against PHP 5.3.29's own allocator --------------------------------
# tests/fidelity/run.sh replays real traces in the default and the exact_fit
# configuration and compares every checkpoint with the goldens (all seven traces
# when ../shared/fidelity is beside the checkout); it ends with a TAP: line.
step_fidelity() {
    [ -f tests/fidelity/run.sh ] || return
    section "fidelity"
    bash tests/fidelity/run.sh >"$LOGDIR/fidelity.log" 2>&1
    grep -E '^(ok|not ok)|^#' "$LOGDIR/fidelity.log" | head -40
    tap_counts "$LOGDIR/fidelity.log" "fidelity"
}

# ---- engine heap: PHP's own Zend/tests with and without zendmm_ext.engine=1 ----------
# scripts/php-src-tests.sh runs php-src's Zend/tests (Debian's php8.2 source,
# fetched once and cached) both ways and compares the results test by test; its
# last line is "php-src Zend/tests engine: N passed, N failed, N flaky, N pass
# only in the mode" (flaky ones are neither passed nor failed here: listed).
# SKIP_PHPSRC=1 skips it (refused under CI=true).
step_php_src() {
    [ -f scripts/php-src-tests.sh ] && [ -f modules/zendmm_ext.so ] || return
    section "php-src Zend/tests on the engine heap"
    if ci_refuses SKIP_PHPSRC "php-src's tests must run"; then
        :
    elif [ "${SKIP_PHPSRC:-0}" = 1 ]; then
        count 0 0 1
        echo "php-src run skipped (SKIP_PHPSRC=1)"
    else
        bash scripts/php-src-tests.sh >"$LOGDIR/php-src.log" 2>&1
        grep -E '^(DIFFERS|FLAKY|PASSES ONLY)' "$LOGDIR/php-src.log" | head -40
        result_line "$LOGDIR/php-src.log" \
            '^php-src Zend/tests engine: [0-9]+ passed, [0-9]+ failed, [0-9]+ flaky, [0-9]+ pass only in the mode$' \
            "php-src Zend/tests engine" ", 0 flaky, 0 pass only in the mode"
    fi
}

# ---- the explorer and the trace player in a real browser -------------------------------------
# tests/browser/run.sh: Debian's chromium, headless, driven by puppeteer-core from the
# committed package-lock.json (npm's cache under $ZENDMM_CACHE); screenshots in
# tests/browser/build/shots/. Its last line is "browser: N passed, N failed". npm is
# installed here when missing (Debian's nodejs has no npm; NodeSource's includes it).
step_browser() {
    [ -f tests/browser/run.sh ] || return
    section "browser"
    if ! command -v npm >/dev/null 2>&1 && [ "${SKIP_INSTALL:-0}" != 1 ] && [ "$(id -u)" -eq 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >"$LOGDIR/apt-npm.log" 2>&1 || tail -5 "$LOGDIR/apt-npm.log"
    fi
    bash tests/browser/run.sh >"$LOGDIR/browser.log" 2>&1
    grep -E '^(ok|not ok)|^#' "$LOGDIR/browser.log" | head -60
    result_line "$LOGDIR/browser.log" '^browser: [0-9]+ passed, [0-9]+ failed$' "browser"
}

# Add a step: write step_<name> (count every result with count/fail_step) and
# list it here.
STEPS=(packages prefetch c_tests seeded_driver libfuzzer fidelity php82 browser php82_opcache_jit php82_paths fpm php_src php84 php85 php86
       php82_zts php82_debug zts_threads zts_apache php_src_zts wine arginfo package_xml composer)
if [ -n "${ZENDMM_STEPS:-}" ]; then   # a developer's shortcut: only these steps, e.g. "php84 php82_zts"
    ci_refuses ZENDMM_STEPS "every step must run"
    read -r -a STEPS <<<"$ZENDMM_STEPS"
fi
TIMES=()
for step in "${STEPS[@]}"; do
    started=$SECONDS
    "step_$step"
    TIMES+=("$step $((SECONDS - started))s")
done

prefetch_wait
section "summary"
echo "logs: $LOGDIR"
echo "time: ${TIMES[*]/%/,} total ${SECONDS}s"
if [ "${#FAILED_WHAT[@]}" -gt 0 ]; then
    printf 'failures in: %s\n' "${FAILED_WHAT[@]}"
fi
echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" -eq 0 ]
