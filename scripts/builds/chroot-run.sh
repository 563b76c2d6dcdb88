#!/usr/bin/env bash
# scripts/builds/chroot-run.sh - run one command inside a cached chroot.
#
#   scripts/builds/chroot-run.sh ROOT CMD [ARG...]
#
# Mounts /proc, /dev and /dev/pts in ROOT (in a private mount namespace when the
# kernel allows it), copies resolv.conf, runs CMD with a clean environment and
# unmounts again whatever happens; exits with CMD's status.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/lib.sh"
private_mounts "$0" "$@"

[ $# -ge 2 ] || die "usage: chroot-run.sh ROOT CMD [ARG...]"
root=$1
shift
[ -f "$root/.complete" ] || die "$root is not a finished chroot"
trap chroot_umount_all EXIT
trap 'chroot_umount_all; exit 130' INT TERM HUP
chroot_mount "$root" || die "cannot mount /proc, /dev, /dev/pts in $root"
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"
