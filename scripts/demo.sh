#!/usr/bin/env bash
# scripts/demo.sh - build zendmm_ext and run its guided tour (examples/tour.php).
#
# Meant for a fresh Debian 12 machine, run as root: the packages the build needs
# are installed with apt-get when (and only when) they are missing. Then
#   phpize && ./configure && make
# and
#   php -d extension=$PWD/modules/zendmm_ext.so examples/tour.php
# and, when php-parser is installed, the start of examples/engine.php (PHP
# itself on the 5.3 heap, zendmm_ext.engine=1).
#
# Environment: SKIP_INSTALL=1 skips the package step; any ZEND_MM_* /
# USE_ZEND_ALLOC variable you set is seen by the tour's process heap.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

PACKAGES=(build-essential autoconf php8.2-dev php8.2-cli php-pear)

missing=()
for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
if [ "${SKIP_INSTALL:-0}" != 1 ] && [ "${#missing[@]}" -gt 0 ]; then
    echo "==> installing: ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then
        echo "demo.sh: not root, cannot install ${missing[*]} (run as root, or install them first)" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    APTLOG=$(mktemp /tmp/zendmm-demo-apt.XXXXXX)
    if ! { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; } >"$APTLOG" 2>&1; then
        tail -20 "$APTLOG" >&2
        echo "demo.sh: installing ${missing[*]} failed; the whole log is in $APTLOG" >&2
        exit 1
    fi
    rm -f "$APTLOG"
fi

echo "==> building (phpize && ./configure && make)"
LOG=$(mktemp /tmp/zendmm-demo-build.XXXXXX)
if ! { phpize && ./configure && make -j"$(nproc)"; } >"$LOG" 2>&1; then
    tail -40 "$LOG" >&2
    echo "demo.sh: the build failed; the whole log is in $LOG" >&2
    exit 1
fi
rm -f "$LOG"
echo "==> built $ROOT/modules/zendmm_ext.so"

echo "==> php -d extension=\$PWD/modules/zendmm_ext.so examples/tour.php"
php -d extension="$ROOT/modules/zendmm_ext.so" examples/tour.php
if [ -f /usr/share/php/PhpParser/autoload.php ]; then
    echo
    echo "==> PHP itself on the 5.3 heap: php -d extension=\$PWD/modules/zendmm_ext.so examples/engine.php"
    php -d extension="$ROOT/modules/zendmm_ext.so" examples/engine.php | head -24
    echo "(the whole map: php -d extension=\$PWD/modules/zendmm_ext.so examples/engine.php)"
fi
