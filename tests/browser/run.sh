#!/usr/bin/env bash
# tests/browser/run.sh - the explorer and the trace player in a real browser.
#
# Builds what it needs when missing (modules/zendmm_ext.so with phpize, the
# replayer bench/build/replay), installs puppeteer-core from the committed
# package-lock.json (npm ci; npm's cache in $ZENDMM_CACHE/npm, default
# /var/cache/zendmm_ext/npm, so a warm run needs no network; no browser is
# downloaded: Debian's chromium is driven), writes the pages with the
# extension (make-pages.php, engine-page.php), then runs run.js. Screenshots
# go to tests/browser/build/shots/ (not committed). Also checks that
# src/heapmap/heapmap_page.h is what scripts/embed-page.sh makes of the page's
# script and stylesheet. Ends with "browser: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
HERE=$ROOT/tests/browser
BUILD=$HERE/build
CACHE=${ZENDMM_CACHE:-/var/cache/zendmm_ext}
EXT=$ROOT/modules/zendmm_ext.so
REPLAY=$ROOT/bench/build/replay
PHP=${PHP:-php}
rm -rf "$BUILD/pages" "$BUILD/shots"
mkdir -p "$BUILD/pages" "$BUILD/shots"

fail() { echo "not ok - $*"; echo "browser: 0 passed, 1 failed"; exit 1; }

# the generated header matches its sources (counted as one more test)
extra_pass=0 extra_fail=0
scripts/embed-page.sh "$BUILD/heapmap_page.h"
if cmp -s "$BUILD/heapmap_page.h" src/heapmap/heapmap_page.h; then
    extra_pass=1
    echo "ok - src/heapmap/heapmap_page.h is what scripts/embed-page.sh makes of page.js and page.css"
else
    extra_fail=1
    echo "not ok - src/heapmap/heapmap_page.h is stale: run scripts/embed-page.sh and commit it"
fi

if [ ! -f "$EXT" ]; then
    { phpize && ./configure && make -j2; } >"$BUILD/ext-build.log" 2>&1 || { tail -20 "$BUILD/ext-build.log"; fail "the extension does not build"; }
fi
make -C bench >"$BUILD/replay-build.log" 2>&1 || { tail -20 "$BUILD/replay-build.log"; fail "bench/build/replay does not build"; }
command -v chromium >/dev/null || fail "chromium is not installed (apt-get install chromium)"
command -v npm >/dev/null || fail "npm is not installed (apt-get install npm)"

# puppeteer-core from the lock, once per lock
lock_sum=$(sha256sum "$HERE/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$HERE/node_modules/.zendmm-lock" 2>/dev/null)" != "$lock_sum" ]; then
    mkdir -p "$CACHE/npm"
    (cd "$HERE" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --cache "$CACHE/npm" --prefer-offline --no-audit --no-fund \
        --ignore-scripts) >"$BUILD/npm.log" 2>&1 || { tail -20 "$BUILD/npm.log"; fail "npm ci"; }
    echo "$lock_sum" >"$HERE/node_modules/.zendmm-lock"
fi

PHPX=("$PHP" -n -d "extension=$EXT")
"${PHPX[@]}" "$HERE/make-pages.php" "$BUILD/pages" >"$BUILD/pages.log" 2>&1 || { cat "$BUILD/pages.log"; fail "make-pages.php"; }
"${PHPX[@]}" -d zendmm_ext.engine=1 -d "zendmm_ext.engine_trace=$BUILD/pages/engine.trace" \
    "$HERE/engine-page.php" "$BUILD/pages" >>"$BUILD/pages.log" 2>&1 || { cat "$BUILD/pages.log"; fail "engine-page.php"; }
"${PHPX[@]}" -r 'zendmm_trace_html($argv[1], $argv[2], 16);' "$BUILD/pages/engine.trace" "$BUILD/pages/engine-player.html" \
    >>"$BUILD/pages.log" 2>&1 || { cat "$BUILD/pages.log"; fail "the engine trace's player"; }

node "$HERE/run.js" "$BUILD/pages" "$REPLAY" "$BUILD/shots" | tee "$BUILD/run.log" | grep -v '^browser: '
line=$(grep -E '^browser: [0-9]+ passed, [0-9]+ failed$' "$BUILD/run.log" | tail -1)
[ -n "$line" ] || fail "run.js printed no result line"
p=$(sed -E 's/^browser: ([0-9]+) passed.*/\1/' <<<"$line")
f=$(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$line")
echo "screenshots: $BUILD/shots"
echo "browser: $((p + extra_pass)) passed, $((f + extra_fail)) failed"
[ $((f + extra_fail)) -eq 0 ]
