#!/usr/bin/env bash
# scripts/builds/php82-apxs2.sh - PHP 8.2 ZTS + debug as Apache 2's module
# (--with-apxs2), built once from Debian's source and cached.
#
#   scripts/builds/php82-apxs2.sh     (cache name php8.2-zts-apxs2)
#
# Prints the install prefix on stdout: bin/php, bin/phpize, bin/php-config (to
# build the extension against it) and lib/libphp-apache2.so (the module, for
# LoadModule). A configure line allows one SAPI besides the CLI, so this is a
# build of its own, apart from the embed one (php82-debug.sh zts); cached as
# php82-debug.sh's builds are (one folder per recipe, the configure line), so
# a change of the line is a new build. Apache's own module directory and configuration are never
# touched: the module is copied into the prefix instead of `apxs -i`.
#
# Needs: build-essential, libxml2-dev, apache2-dev (apxs2).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/lib.sh"

APXS=$(command -v apxs2 || command -v apxs || true)
[ -n "$APXS" ] || die "apxs2 is missing (apache2-dev)"
CONFIGURE=(--enable-debug --enable-zts --disable-all --enable-cli --disable-cgi --with-libxml
           --with-apxs2="$APXS" --with-valgrind=no)
NAME=php8.2-zts-apxs2
# every install target but install-sapi (which runs apxs -i -a on the system's Apache)
php_source_build "$NAME" "configure ${CONFIGURE[*]}" \
    'make install-cli install-build install-headers install-programs &&
     mkdir -p "$PREFIX/lib" && cp libs/libphp.so "$PREFIX/lib/libphp-apache2.so"' "${CONFIGURE[@]}"
"$PREFIX/bin/php" -n -r 'exit(PHP_ZTS && PHP_DEBUG ? 0 : 1);' || die "the build is not ZTS debug"
syms=$(nm -D --defined-only "$PREFIX/lib/libphp-apache2.so" | awk '{ print $3 }') || die "cannot read the module"
grep -qx php_module <<<"$syms" || die "lib/libphp-apache2.so has no php_module: not Apache's module"
php_source_done
