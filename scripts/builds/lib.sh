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

# --- the extension against a built PHP ------------------------------------------------
# Copy the tree's sources (tracked files, and new ones .gitignore does not
# ignore) into dest, so each PHP builds in a directory of its own. A tree that
# is not a git checkout (a release tarball, `git archive`) is listed the same
# way through an empty repository of its own: .gitignore names every build
# output (phpize, configure, make, run-tests.php leftovers), so none is copied.
copy_tree() { # root dest
    local root=$1 dest=$2 git_dir rc
    mkdir -p "$dest"
    if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
        git -C "$root" ls-files -z --cached --others --exclude-standard |
            (cd "$root" && tar --null -T - -cf -) | tar -xf - -C "$dest"
    else
        git_dir=$(mktemp -d /tmp/zendmm-tree.XXXXXX) && git init -q "$git_dir" || return 1
        git --git-dir="$git_dir/.git" --work-tree="$root" ls-files -z --others --exclude-standard |
            (cd "$root" && tar --null -T - -cf -) | tar -xf - -C "$dest"
        rc=$?
        rm -rf "$git_dir"
        return "$rc"
    fi
}

# Build the extension in a copy of the tree (copy_tree) with that PHP's phpize
# and php-config; the log is work/ext-build.log. True when
# work/modules/zendmm_ext.so was made.
ext_build_in_copy() { # root prefix work jobs
    local root=$1 prefix=$2 work=$3 jobs=$4
    copy_tree "$root" "$work" || return 1
    (cd "$work" && "$prefix/bin/phpize" && ./configure --with-php-config="$prefix/bin/php-config" &&
        make -j"$jobs") >"$work/ext-build.log" 2>&1 && [ -f "$work/modules/zendmm_ext.so" ]
}

# --- PHP from Debian's php8.2 source ---------------------------------------------------
# php_source_build NAME RECIPE INSTALL CONFIGURE...: print the finished build of
# that recipe and exit if it is cached; otherwise take the name's lock,
# configure the source scripts/fetch-php-src.sh provides (copied first: the
# fetched tree stays pristine for the php-src runs that share it) with
# --prefix=$PREFIX, make, and run INSTALL (a shell command, in the source tree,
# $PREFIX set). Sets PREFIX and WORK (scratch, removed on exit; the source is
# WORK/src). One folder per recipe: a build made another way, which another
# run may be using right now, is left alone. The caller checks what it built
# and ends with php_source_done.
php_source_build() { # name recipe install configure-args...
    local name=$1 recipe=$2 install=$3 src version
    shift 3
    cached_build "$name" "$recipe" && exit 0
    lock_build "$name"
    cached_build "$name" "$recipe" && exit 0
    src=$("$(dirname "${BASH_SOURCE[0]}")/../fetch-php-src.sh") || die "cannot fetch the php8.2 source"
    version=$(basename "$src")
    PHP_BUILD_RECIPE=$recipe
    PREFIX="$ZENDMM_CACHE/$name/$version-$(printf '%s' "$recipe" | sha256sum | cut -c1-8)"
    WORK=$(mktemp -d "$ZENDMM_CACHE/$name/.build.XXXXXX")
    trap 'rm -rf "$WORK"' EXIT
    log "building PHP $version $name (log: $WORK/build.log)"
    cp -a "$src/." "$WORK/src"
    rm -f "$WORK/src/.complete"
    rm -rf "${PREFIX:?}"
    # the prefix is the final path (php-config and phpize record it), so a
    # partial install is only ever visible without its .complete marker
    if ! (cd "$WORK/src" && ./configure "$@" --prefix="$PREFIX" && make -j2 && eval "$install") \
            >"$WORK/build.log" 2>&1; then
        tail -40 "$WORK/build.log" >&2
        rm -rf "${PREFIX:?}"
        die "build failed"
    fi
}
# Mark the build finished (its log and recipe kept beside it) and print its prefix.
php_source_done() {
    cp "$WORK/build.log" "$PREFIX/.zendmm-build.log"
    printf '%s' "$PHP_BUILD_RECIPE" >"$PREFIX/.recipe"
    touch "$PREFIX/.complete"
    echo "$PREFIX"
}
