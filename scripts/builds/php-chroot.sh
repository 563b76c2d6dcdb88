#!/usr/bin/env bash
# scripts/builds/php84-chroot.sh - a Debian 13 (trixie) chroot with PHP 8.4, made once and cached.
#
# Prints the chroot's root directory on stdout, making it on the first call:
# debootstrap --variant=minbase trixie from the mirror apt already uses, then
# php8.4-dev php8.4-cli php8.4-xml build-essential autoconf valgrind inside
# (with /proc, /dev and /dev/pts mounted while apt runs, unmounted afterwards).
# Run commands in it with scripts/builds/chroot-run.sh ROOT CMD...
#
# Cache: $ZENDMM_CACHE (default /var/cache/zendmm_ext)/php8.4-trixie/<PHP version>/,
# finished when it holds .complete; parallel calls wait on a lock.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/lib.sh"
private_mounts "$0" "$@"

NAME=php8.4-trixie
SUITE=trixie
PACKAGES=(php8.4-dev php8.4-cli php8.4-xml build-essential autoconf valgrind)

cached_build "$NAME" && exit 0
[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, chroot)"
command -v debootstrap >/dev/null || die "debootstrap is not installed"
lock_build "$NAME"
cached_build "$NAME" && exit 0

BASE="$ZENDMM_CACHE/$NAME"
work=$(mktemp -d "$BASE/.build.XXXXXX")
cleanup() {
    chroot_umount_all
    # never follow a mount that is still there into the host's /dev or /proc
    rm -rf --one-file-system "$work" 2>/dev/null || true
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM HUP

root="$work/root"
mirror=$(debian_mirror)
log "debootstrap $SUITE from $mirror (log: $work/build.log)"
if ! debootstrap --variant=minbase "$SUITE" "$root" "$mirror" >"$work/build.log" 2>&1; then
    tail -30 "$work/build.log" >&2
    die "debootstrap failed"
fi
chroot_mount "$root" || die "cannot mount /proc, /dev, /dev/pts in $root"
log "apt-get install ${PACKAGES[*]}"
if ! chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
        sh -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends ${PACKAGES[*]}" \
        >>"$work/build.log" 2>&1; then
    tail -30 "$work/build.log" >&2
    die "apt-get install in the chroot failed"
fi
version=$(chroot "$root" php8.4 -n -r 'echo PHP_VERSION;')
[ -n "$version" ] || die "php8.4 does not run in the chroot"
chroot "$root" apt-get clean
chroot_umount_all
mv "$work/build.log" "$root/.zendmm-build.log"
touch "$root/.complete"
rm -rf --one-file-system "${BASE:?}/$version"
mv "$root" "$BASE/$version"
echo "$BASE/$version"
