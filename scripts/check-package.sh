#!/usr/bin/env bash
# scripts/check-package.sh - is package.xml complete?
#
# `pear package-validate` and `pecl package` do not notice a file that exists but
# is missing from package.xml, and the tgz then fails to build on the user's
# machine. This script compares the <contents> of package.xml with the files of
# the tree (tracked, plus untracked files that are not ignored) and fails when:
#   - a file the package must ship is not listed (see REQUIRED below), or
#   - a listed file does not exist.
# Then it runs `pear package-validate` (when pear is installed) and fails on any
# error it prints.
#
#   scripts/check-package.sh           check; exit 1 on a problem
#   scripts/check-package.sh --update  rewrite <contents> from the tree, then check
#
# REQUIRED (shell patterns, matched against paths from the repository root):
#   *.c *.h config.m4 config.w32 *.stub.php   the binding's front door and build files (top level)
#   binding/*                                   the binding's groups of functions, every file
#   src/*                                       the heap core, every file
#   tests/*.phpt tests/*.inc                    the PHP test suite and the files its tests include
#   tests/c/*                                   the core's C tests (so a tarball can run them)
#   tests/fpm/*                                 the php-fpm test of the engine heap
#   scripts/zts/*                               the threaded tests of the engine heap (the embed
#                                               driver's C source, Apache's page, helgrind's list)
#   tests/fidelity/run.sh, its README.md        the fidelity check; not its data (1.6 MB of traces)
#   bench/* (not bench/traces, bench/build)     the benchmark sources
#   *.md LICENSE examples/*                     documentation, licence and examples
# Roles: tests/** and scripts/zts/* are "test", *.md, LICENSE, examples/* and bench/* are "doc", the rest "src".
# <contents> nests files in <dir> elements, one per directory, as PECL packages usually do.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PKG=package.xml

required_files() {
    local f
    {
        if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
            git ls-files --cached --others --exclude-standard
        else
            find . -type f ! -path './.git/*' | sed 's|^\./||'
        fi
    } | sort -u | while IFS= read -r f; do
        [ -f "$f" ] || continue          # deleted but still in the index
        case "$f" in
            bench/traces/*|bench/build/*|tests/c/build/*) ;;
            binding/*|src/*|tests/c/*|tests/fpm/*|scripts/zts/*|bench/*|tests/fidelity/run.sh|tests/fidelity/README.md) echo "$f" ;;
            */*/*) ;;
            tests/*.phpt|tests/*.inc|examples/*) echo "$f" ;;
            */*) ;;
            *.c|*.h|config.m4|config.w32|*.stub.php|*.md|LICENSE) echo "$f" ;;
        esac
    done | grep -v -E '\.(dep|lo|o|la)$|(^|/)\.libs/|^config\.h$' | sort -u   # build output, outside git
}

# every <file> of <contents> as a path: the names of its enclosing <dir>s joined
listed_files() {
    php -r '
        function walk(SimpleXMLElement $e, string $path): void {
            foreach ($e->children() as $c) {
                $name = (string)$c["name"];
                if ($c->getName() === "dir") walk($c, $name === "/" ? "" : $path . $name . "/");
                elseif ($c->getName() === "file") echo $path, $name, "\n";
            }
        }
        $x = simplexml_load_file($argv[1]);
        walk($x->contents, "");' "$PKG" | sort -u
}

role_of() {
    case "$1" in
        tests/*|scripts/zts/*) echo test ;;
        *.md|LICENSE|examples/*|bench/*) echo doc ;;
        *) echo src ;;
    esac
}

# <contents> from a sorted list of paths on stdin: a <dir> per directory
contents_xml() {
    local prev=() f i
    echo ' <contents>'
    echo '  <dir name="/">'
    while IFS= read -r f; do
        local dirs=()
        IFS=/ read -r -a dirs <<<"$(dirname "$f")"
        [ "${dirs[0]}" = . ] && dirs=()
        # close the directories of the previous file that this one is not in
        i=0
        while [ $i -lt ${#prev[@]} ] && [ $i -lt ${#dirs[@]} ] && [ "${prev[$i]}" = "${dirs[$i]}" ]; do i=$((i + 1)); done
        for ((j = ${#prev[@]} - 1; j >= i; j--)); do printf '%*s</dir>\n' $((3 + j)) ''; done
        for ((j = i; j < ${#dirs[@]}; j++)); do printf '%*s<dir name="%s">\n' $((3 + j)) '' "${dirs[$j]}"; done
        printf '%*s<file name="%s" role="%s"/>\n' $((3 + ${#dirs[@]})) '' "$(basename "$f")" "$(role_of "$f")"
        prev=("${dirs[@]}")
    done
    for ((j = ${#prev[@]} - 1; j >= 0; j--)); do printf '%*s</dir>\n' $((3 + j)) ''; done
    echo '  </dir>'
    echo ' </contents>'
}

if [ ! -f "$PKG" ]; then
    echo "check-package: no $PKG" >&2
    exit 1
fi

if [ "${1:-}" = "--update" ]; then
    tmp=$(mktemp)
    # files at the top first, then each directory's, so every <dir> opens once
    { required_files | grep -v /; required_files | grep / | sort; } | contents_xml >"$tmp"
    awk -v repl="$tmp" '
        /<contents>/ { while ((getline line < repl) > 0) print line; skip = 1; next }
        /<\/contents>/ { skip = 0; next }
        !skip { print }
    ' "$PKG" >"$PKG.new"
    mv "$PKG.new" "$PKG"
    rm -f "$tmp"
    echo "check-package: <contents> rewritten from the tree"
fi

status=0
missing=$(comm -23 <(required_files) <(listed_files))
stale=$(comm -13 <(required_files) <(listed_files) | while IFS= read -r f; do [ -f "$f" ] || echo "$f"; done)
if [ -n "$missing" ]; then
    echo "check-package: files of the tree missing from $PKG:"
    sed 's/^/  /' <<<"$missing"
    echo "  (run scripts/check-package.sh --update, or add them by hand)"
    status=1
fi
if [ -n "$stale" ]; then
    echo "check-package: files listed in $PKG that do not exist:"
    sed 's/^/  /' <<<"$stale"
    status=1
fi

if command -v pear >/dev/null 2>&1; then
    out=$(pear package-validate "$PKG" 2>&1 || true)
    if ! grep -q 'Validation: 0 error(s)' <<<"$out"; then
        echo "check-package: pear package-validate reports errors:"
        sed 's/^/  /' <<<"$out"
        status=1
    elif grep -q 'Warning' <<<"$out"; then
        echo "check-package: pear package-validate warnings:"
        grep 'Warning' <<<"$out" | sed 's/^/  /'
    fi
else
    echo "check-package: pear not installed, package-validate skipped"
fi

if [ "$status" -eq 0 ]; then
    echo "check-package: ok ($(listed_files | wc -l) files listed)"
fi
exit "$status"
