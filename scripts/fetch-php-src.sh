#!/usr/bin/env bash
# scripts/fetch-php-src.sh - Debian's php8.2 source tree, fetched once and cached.
#
# Prints the path of the extracted php-src tree (Debian 12's source package of
# php8.2, the upstream orig tarball) on stdout, fetching it on the first call.
# Uses a private apt configuration with one deb-src line for the mirror apt
# already uses, so nothing in the system's apt setup changes.
#
#   scripts/fetch-php-src.sh            print the tree's path (fetch if missing)
#
# Cache: $ZENDMM_CACHE (default /var/cache/zendmm_ext)/php-src-8.2/<version>/,
# kept like the other cached builds (scripts/builds/lib.sh).
# Used by the ZTS debug build and by the php-src test runs of scripts/test.sh.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/builds/lib.sh"

NAME=php-src-8.2
cached_build "$NAME" && exit 0
lock_build "$NAME"
cached_build "$NAME" && exit 0    # another run fetched it while we waited

BASE="$ZENDMM_CACHE/$NAME"
work=$(mktemp -d "$BASE/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/apt/lists/partial"
printf 'deb-src %s bookworm main\n' "$(debian_mirror)" >"$work/apt/src.list"
A=(-o "Dir::Etc::sourcelist=$work/apt/src.list" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$work/apt/lists")
apt-get "${A[@]}" update >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; exit 1; }
(cd "$work" && apt-get "${A[@]}" source --download-only php8.2) >>"$work/apt.log" 2>&1 \
    || { cat "$work/apt.log" >&2; exit 1; }
orig=$(ls "$work"/php8.2_*.orig.tar.xz | head -1)
version=$(basename "$orig" | sed -E 's/^php8\.2_([^.]+\.[^.]+\.[^.]+)\.orig\.tar\.xz$/\1/')
mkdir -p "$work/tree"
tar xf "$orig" -C "$work/tree" --strip-components=1
touch "$work/tree/.complete"
rm -rf "${BASE:?}/$version"
mv "$work/tree" "$BASE/$version"
echo "$BASE/$version"
