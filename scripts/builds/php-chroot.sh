#!/usr/bin/env bash
# scripts/builds/php-chroot.sh - a Debian chroot with one PHP version, made once and cached.
#
#   scripts/builds/php-chroot.sh 8.4|8.5|8.6
#
# Prints the chroot's root directory on stdout, making it on the first call:
# debootstrap --variant=minbase from the mirror apt already uses, then the
# version's php8.X-dev php8.X-cli php8.X-xml with build-essential autoconf
# and then php-parser inside (with /proc, /dev and /dev/pts mounted while apt runs, unmounted
# afterwards). Run commands in it with scripts/builds/chroot-run.sh ROOT CMD...
#   each with valgrind and protoc (the tests that drive them run there too):
#   8.4  Debian 13 (trixie)
#   8.5  Debian sid + experimental (php8.5), php-common held at sid's 2:101
#        (experimental's 2:102~ Breaks php8.5-common)
#   8.6  Debian sid + experimental (php8.6 release candidates), php-common from
#        experimental (php8.6 needs 2:102~): one chroot per version for that reason
# The mirror's sid and experimental Release files are past their Valid-Until
# date, so apt in those chroots runs with Acquire::Check-Valid-Until=false.
#
# Cache: $ZENDMM_CACHE (default /var/cache/zendmm_ext)/php<version>-<suite>/<PHP version>-<recipe hash>/,
# finished when it holds .complete and its .recipe names these packages (a
# changed list remakes it); parallel calls wait on a lock.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/lib.sh"
private_mounts "$0" "$@"

V=${1:-}
EXPERIMENTAL=0
PIN=()
case "$V" in
    8.4) SUITE=trixie; EXTRA=(valgrind protobuf-compiler) ;;
    8.5) SUITE=sid; EXPERIMENTAL=1; EXTRA=(valgrind protobuf-compiler); PIN=(php-common=2:101) ;;
    8.6) SUITE=sid; EXPERIMENTAL=1; EXTRA=(valgrind protobuf-compiler) ;;
    *) die "usage: php-chroot.sh 8.4|8.5|8.6" ;;
esac
NAME=php$V-$SUITE
PHP_PACKAGES=("php$V-dev" "php$V-cli" "php$V-xml")
# php-parser (pure PHP; 5.x there) for the real-code tests, installed after
# php$V-cli so that this PHP already provides its php-cli dependency
LIBRARIES=(php-parser)
RECIPE="$SUITE ${EXTRA[*]} / ${PHP_PACKAGES[*]} ${PIN[*]} / ${LIBRARIES[*]}"

cached_build "$NAME" "$RECIPE" && exit 0
[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, chroot)"
command -v debootstrap >/dev/null || die "debootstrap is not installed"
lock_build "$NAME"
cached_build "$NAME" "$RECIPE" && exit 0

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
APT_UPDATE="apt-get update -qq"
if [ "$EXPERIMENTAL" = 1 ]; then
    echo "deb $mirror experimental main" >>"$root/etc/apt/sources.list"
    APT_UPDATE="apt-get -o Acquire::Check-Valid-Until=false update -qq"
fi
in_chroot() { # shell command, logged
    chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
        sh -c "$1" >>"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; die "in the chroot: $1 failed"; }
}
chroot_mount "$root" || die "cannot mount /proc, /dev, /dev/pts in $root"
INSTALL="apt-get install -y -qq --no-install-recommends"
log "apt-get install build-essential autoconf ${EXTRA[*]} from $SUITE"
in_chroot "$APT_UPDATE && $INSTALL build-essential autoconf ${EXTRA[*]}"
if [ "$EXPERIMENTAL" = 1 ]; then
    log "apt-get install -t experimental ${PHP_PACKAGES[*]} ${PIN[*]}"
    in_chroot "$INSTALL -t experimental ${PHP_PACKAGES[*]} ${PIN[*]}"
else
    log "apt-get install ${PHP_PACKAGES[*]}"
    in_chroot "$INSTALL ${PHP_PACKAGES[*]}"
fi
log "apt-get install ${LIBRARIES[*]}"
in_chroot "$INSTALL ${LIBRARIES[*]}"
version=$(chroot "$root" "php$V" -n -r 'echo PHP_VERSION;')
[ -n "$version" ] || die "php$V does not run in the chroot"
# the libraries must not have brought in another PHP as php
[ "$(chroot "$root" php -n -r 'echo PHP_VERSION;')" = "$version" ] || die "php in the chroot is not php$V"
chroot "$root" apt-get clean
chroot_umount_all
mv "$work/build.log" "$root/.zendmm-build.log"
printf '%s' "$RECIPE" >"$root/.recipe"
touch "$root/.complete"
# one folder per recipe: a chroot made another way (which another run may be
# using right now) is left alone
dest="$BASE/$version-$(printf '%s' "$RECIPE" | sha256sum | cut -c1-8)"
rm -rf --one-file-system "${dest:?}"
mv "$root" "$dest"
echo "$dest"
