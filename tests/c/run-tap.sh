#!/usr/bin/env bash
# run-tap.sh CMD... - run TAP-producing commands, echo their output, count
# "ok" / "not ok" / "# SKIP" lines, and count a command that crashes (exits
# non-zero without a "not ok" line, or prints no "1..N" plan when it uses one)
# as one more failure. Ends with "TAP: N passed, N failed, N skipped";
# exits 1 if anything failed.
set -u
pass=0 fail=0 skip=0
for cmd in "$@"; do
    out=$(mktemp)
    echo "# running: $cmd"
    bash -c "$cmd" >"$out" 2>&1
    rc=$?
    cat "$out"
    p=$(grep -E '^ok [0-9]+' "$out" | grep -vc '# SKIP')
    s=$(grep -E '^ok [0-9]+' "$out" | grep -c '# SKIP')
    f=$(grep -cE '^not ok [0-9]+' "$out")
    crashed=0
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then crashed=1; fi
    if [ "$crashed" -eq 0 ] && [ "$((p + s + f))" -gt 1 ] && ! grep -qE '^1\.\.[0-9]+' "$out"; then crashed=1; fi
    if [ "$crashed" -eq 1 ]; then
        echo "not ok - $cmd exited with status $rc before finishing (crash or sanitizer report above)"
        f=$((f + 1))
    fi
    pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
    rm -f "$out"
done
echo "TAP: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
