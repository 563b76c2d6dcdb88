#!/usr/bin/env bash
# scripts/builds/ext-phpt.sh - build the extension against one PHP and run the .phpt suite.
#
# Run from the top of a copy of the tree (scripts/test.sh copies the tracked
# files into a directory per PHP, so phpize output of one PHP never mixes with
# another's). Works on the host and inside a chroot alike.
#
#   PHP=/path/php PHPIZE=/path/phpize PHP_CONFIG=/path/php-config scripts/builds/ext-phpt.sh [run-tests args...]
#
# Prints the build's compiler warnings and "compiler warnings: N", then
# run-tests.php's output; exits with run-tests.php's status (2 if the build
# failed). With STDERR_LOG set, every test's PHP runs through a wrapper that
# also appends its stderr to that file (where a debug build reports leaks and
# failed assertions, even of tests that pass).
set -uo pipefail

# full paths: run-tests.php wants TEST_PHP_EXECUTABLE to be one
PHP=$(command -v "${PHP:-php}")
PHPIZE=$(command -v "${PHPIZE:-phpize}")
PHP_CONFIG=$(command -v "${PHP_CONFIG:-php-config}")
JOBS=${JOBS:-2}

if ! { "$PHPIZE" && ./configure --with-php-config="$PHP_CONFIG" && make -j"$JOBS"; } >ext-build.log 2>&1 ||
    [ ! -f modules/zendmm_ext.so ]; then
    tail -40 ext-build.log
    echo "extension build failed"
    exit 2
fi
# the compiler's own warnings (autoconf's warnings about configure.ac are not
# the code's, nor are those inside PHP's own headers: PHP 8.5's
# zend_operators.h has an unused parameter that -Wextra reports in every file)
WARNING='^[^ :]+\.[ch]:[0-9]+(:[0-9]+)?: warning:'
PHP_INCLUDES="$("$PHP_CONFIG" --include-dir)/"
grep -E "$WARNING" ext-build.log | grep -vF "$PHP_INCLUDES"
in_php=$(grep -E "$WARNING" ext-build.log | grep -cF "$PHP_INCLUDES")
[ "$in_php" -eq 0 ] || echo "($in_php warning(s) inside PHP's own headers, $PHP_INCLUDES: not counted)"
echo "compiler warnings: $(grep -E "$WARNING" ext-build.log | grep -vcF "$PHP_INCLUDES")"

test_php=$PHP
if [ -n "${STDERR_LOG:-}" ]; then
    test_php=$PWD/php-stderr-tee
    cat >"$test_php" <<EOF
#!/usr/bin/env bash
exec 2> >(tee -a "$STDERR_LOG" >&2)
exec "$PHP" "\$@"
EOF
    chmod +x "$test_php"
fi
RUN_TESTS=run-tests.php
[ -f "$RUN_TESTS" ] || RUN_TESTS="$("$PHP_CONFIG" --prefix)/lib/php/build/run-tests.php"
NO_INTERACTION=1 TEST_PHP_EXECUTABLE=$test_php \
    "$PHP" "$RUN_TESTS" -q --show-diff -d "extension=$PWD/modules/zendmm_ext.so" "$@" tests 2>&1
