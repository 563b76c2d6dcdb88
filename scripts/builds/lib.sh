# scripts/builds/lib.sh - helpers shared by the cached builds (sourced, not run).
#
# A cached build lives in $ZENDMM_CACHE/<name>/<version>/ and is finished when
# it holds a .complete marker; builds of the same name are serialised by an
# flock on $ZENDMM_CACHE/<name>/.lock, so parallel runs wait instead of racing.

ZENDMM_CACHE=${ZENDMM_CACHE:-/var/cache/zendmm_ext}

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { log "$*"; exit 1; }

# Print the newest finished build of a name, if any; true if one was found.
# With a recipe (the configure line, say), only a build whose .recipe file
# holds exactly that text counts: changing how a build is made remakes it.
cached_build() { # name [recipe]
    local d
    for d in $(ls -1d "$ZENDMM_CACHE/$1"/*/ 2>/dev/null | sort -rV); do
        [ -f "$d/.complete" ] || continue
        if [ $# -ge 2 ] && [ "$(cat "$d/.recipe" 2>/dev/null)" != "$2" ]; then
            continue
        fi
        echo "${d%/}"
        return 0
    done
    return 1
}

# Take the build lock of a name on fd 9 (released when the script exits).
lock_build() { # name
    mkdir -p "$ZENDMM_CACHE/$1"
    exec 9>"$ZENDMM_CACHE/$1/.lock"
    flock 9
}

# The Debian mirror apt already uses (deb822 sources first, then sources.list).
debian_mirror() {
    local uri=""
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        uri=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
    fi
    if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
        uri=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list)
    fi
    [ -n "$uri" ] || uri=http://deb.debian.org/debian
    echo "$uri"
}

# --- chroots ---------------------------------------------------------------------
# Mount what a Debian chroot needs (/proc, /dev, /dev/pts), copy resolv.conf, and
# the caller unmounts with chroot_umount_all (in its EXIT trap). Only what this shell mounted is unmounted, in reverse order,
# so a chroot nested inside another chroot (a fresh-machine run) and a mount that
# someone else holds are both left alone.
CHROOT_MOUNTS=()
chroot_umount_all() {
    local i
    for ((i = ${#CHROOT_MOUNTS[@]} - 1; i >= 0; i--)); do
        umount "${CHROOT_MOUNTS[$i]}" 2>/dev/null || umount -l "${CHROOT_MOUNTS[$i]}" 2>/dev/null || true
    done
    CHROOT_MOUNTS=()
}
chroot_mount_one() { # source target [mount options...]
    local src=$1 target=$2
    shift 2
    mkdir -p "$target"
    if mountpoint -q "$target"; then
        return 0
    fi
    mount "$@" "$src" "$target" || return 1
    CHROOT_MOUNTS+=("$target")
}
chroot_mount() { # root
    local root=$1
    chroot_mount_one proc "$root/proc" -t proc &&
    chroot_mount_one /dev "$root/dev" --bind &&
    chroot_mount_one /dev/pts "$root/dev/pts" --bind || return 1
    if [ -f /etc/resolv.conf ]; then
        cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
    fi
}

# Re-run the calling script in a private mount namespace when possible, so its
# mounts are invisible to other runs and vanish even if it is killed. The EXIT
# trap still unmounts them in order; this is the second line of defence.
private_mounts() { # "$0" "$@"
    if [ -z "${ZENDMM_PRIVATE_MOUNTS:-}" ] && command -v unshare >/dev/null 2>&1 &&
        unshare -m --propagation private true 2>/dev/null; then
        ZENDMM_PRIVATE_MOUNTS=1 exec unshare -m --propagation private bash "$@"
    fi
}
