#!/usr/bin/env bash
# scripts/builds/fresh-debian12.sh - run scripts/test.sh on a fresh Debian 12 machine (a chroot).
#
#   scripts/builds/fresh-debian12.sh [BRANCH] [RUNS]
#
# Makes a new `debootstrap --variant=minbase bookworm` chroot under /var/tmp
# with the host's apt sources (the mirror, updates and security suites), puts a
# clean `git clone` of BRANCH (default: the current one) of this repository in
# /root/zendmm_ext, and runs `CI=true scripts/test.sh` there RUNS times (default
# 1) with /proc, /dev and /dev/pts mounted; test.sh installs everything itself
# and builds its own caches (PHP 8.4 chroot, ZTS debug PHP) inside the fresh
# machine. Prints each run's phpt lines and closing line; the chroot is kept
# (its path is printed) for a look afterwards: remove it with
# rm -rf --one-file-system. Exits non-zero if any run failed.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/lib.sh"

REPO=$(cd "$HERE/../.." && pwd)
BRANCH=${1:-$(git -C "$REPO" rev-parse --abbrev-ref HEAD)}
RUNS=${2:-1}
[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, chroot)"

base=$(mktemp -d /var/tmp/zendmm-fresh.XXXXXX)
root="$base/root"
mirror=$(debian_mirror)
log "debootstrap bookworm into $root (log: $base/debootstrap.log)"
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$base/debootstrap.log" 2>&1 ||
    { tail -20 "$base/debootstrap.log" >&2; die "debootstrap failed"; }
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/"
    : >"$root/etc/apt/sources.list"
fi
touch "$root/.complete"
git clone -q --branch "$BRANCH" "$REPO" "$root/root/zendmm_ext" || die "git clone of $BRANCH failed"
log "clone of $BRANCH at $(git -C "$root/root/zendmm_ext" rev-parse --short HEAD)"

status=0
for ((run = 1; run <= RUNS; run++)); do
    start=$(date +%s)
    "$HERE/chroot-run.sh" "$root" bash -c 'cd /root/zendmm_ext && CI=true bash scripts/test.sh' \
        >"$base/test-$run.log" 2>&1 || status=1
    echo "run $run ($(( $(date +%s) - start )) s, log $base/test-$run.log):"
    grep -E '^(phpt [^:]+|warnings [^:]+): ' "$base/test-$run.log"
    tail -1 "$base/test-$run.log"
done
echo "fresh machine: $root"
exit "$status"
