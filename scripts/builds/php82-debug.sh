#!/usr/bin/env bash
# scripts/builds/php82-debug.sh - PHP 8.2 debug (ZTS or NTS), built once from Debian's source and cached.
#
#   scripts/builds/php82-debug.sh zts    --enable-zts --enable-debug, with the embed SAPI
#                                        (cache name php8.2-zts-debug)
#   scripts/builds/php82-debug.sh nts    --enable-debug                (cache name php8.2-debug)
#
# Both have tokenizer (php-parser, which the real-code tests run), zlib (the
# pprof dump read back), FFI (engine_011 drives valgrind's client requests
# through it) and opcache (preloading, the JIT) besides what the suite needs
# anyway; the ZTS build also has the embed SAPI (lib/libphp.so, for the
# threads driver of scripts/zts/).
#
# Prints the install prefix on stdout (bin/php, bin/phpize, bin/php-config,
# lib/php/build/run-tests.php), building it on the first call from the tree
# scripts/fetch-php-src.sh provides (php_source_build in lib.sh).
#
# Cache: $ZENDMM_CACHE (default /var/cache/zendmm_ext)/<cache name>/<version>-<recipe hash>/,
# finished when it holds .complete and its .recipe is this configure line (a
# changed line is a new build, never a stale one); parallel calls wait on a lock.
# Needs: build-essential, pkg-config, libxml2-dev, zlib1g-dev, libffi-dev
# (scripts/test.sh installs them).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/lib.sh"

CONFIGURE=(--enable-debug --disable-all --enable-cli --disable-cgi --with-libxml
           --enable-dom --enable-simplexml --enable-tokenizer --with-zlib --with-ffi
           --enable-opcache --with-valgrind=no)
case "${1:-}" in
    zts) NAME=php8.2-zts-debug; CONFIGURE+=(--enable-zts --enable-embed=shared); WANT_ZTS=1 ;;
    nts) NAME=php8.2-debug; WANT_ZTS=0 ;;
    *) die "usage: php82-debug.sh zts|nts" ;;
esac

php_source_build "$NAME" "configure ${CONFIGURE[*]}" 'make install' "${CONFIGURE[@]}"
# run-tests.php is not installed by make install; phpize builds look for it here
cp "$WORK/src/run-tests.php" "$PREFIX/lib/php/build/run-tests.php"
"$PREFIX/bin/php" -n -r "exit(PHP_ZTS == $WANT_ZTS && PHP_DEBUG ? 0 : 1);" || die "the build is not $NAME"
if [ "$WANT_ZTS" = 1 ]; then
    # the embed SAPI really is in the library (its module and its startup),
    # not only the PHP core: a libphp.so without main/internal_functions.lo
    # links but has no SAPI to start
    syms=$(nm -D --defined-only "$PREFIX/lib/libphp.so" | awk '{ print $3 }') || die "cannot read lib/libphp.so"
    for sym in php_embed_module php_embed_init php_embed_shutdown php_register_internal_extensions; do
        grep -qx "$sym" <<<"$syms" || die "lib/libphp.so lacks $sym: not the embed SAPI"
    done
fi
php_source_done
