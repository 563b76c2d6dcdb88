#!/usr/bin/env bash
# scripts/zts/php-src-zts.sh - php-src's Zend/tests on the ZTS debug build,
# without and with the engine heap (scripts/php-src-tests.sh, test by test).
#
#   scripts/zts/php-src-zts.sh [DIR...]     (default Zend/tests)
#
# Builds the extension against the ZTS debug PHP (scripts/builds/php82-debug.sh
# zts, cached) in a copy of the tree and runs scripts/php-src-tests.sh there
# with that PHP. Last line: "php-src Zend/tests engine zts: N passed, N failed,
# N flaky, N pass only in the mode"; exit 1 if anything failed.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
. "$ROOT/scripts/builds/lib.sh"   # ext_build_in_copy
JOBS=${JOBS:-2}
DIRS=("$@")
[ ${#DIRS[@]} -gt 0 ] || DIRS=(Zend/tests)
fail() { echo "$1" >&2; echo "php-src ${DIRS[*]} engine zts: 0 passed, 1 failed, 0 flaky, 0 pass only in the mode"; exit 1; }

prefix=$(bash "$ROOT/scripts/builds/php82-debug.sh" zts) || fail "the ZTS debug build is not there"
work=$(mktemp -d "${TMPDIR:-/tmp}/zendmm-phpsrc-zts.XXXXXX")
trap 'rm -rf "$work"' EXIT
if ! ext_build_in_copy "$ROOT" "$prefix" "$work" "$JOBS"; then
    tail -30 "$work/ext-build.log" >&2
    fail "the extension does not build against $prefix"
fi
start=$(date +%s)
PHP="$prefix/bin/php" JOBS="$JOBS" LABEL="engine zts" bash "$work/scripts/php-src-tests.sh" "${DIRS[@]}"
rc=$?
echo "time: $(( $(date +%s) - start )) s for both runs" >&2
exit "$rc"
