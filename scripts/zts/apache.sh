#!/usr/bin/env bash
# scripts/zts/apache.sh - the mode in a real threaded server: PHP 8.2 ZTS
# (debug) as Apache's module, mpm_event, driven by ab at concurrency 8.
#
#   scripts/zts/apache.sh          (from the top of a copy of the tree)
#   REQUESTS=2000 CONCURRENCY=8
#   KEEP=1                         keep the work directory (logs, results)
#
# Builds the extension against scripts/builds/php82-apxs2.sh's PHP (cached),
# starts Debian's apache2 with a configuration of its own (a free loopback
# port, one child process of 10 threads, mpm_event, this PHP's module with
# zendmm_ext.engine=1 and memory_limit=16M) and stops it by its pid. Each page
# (scripts/zts/apache-page.php) takes a number from a shared counter; every
# 10th asks for more than memory_limit, the others build a string and print
# its crc32 and length, and every page appends one line to a results file:
# the counter, pid, thread id (zend_thread_id()), its engine heap's number
# (phpinfo) and memory_get_usage() at its start. Checks, one each:
#   - ab completed every request; the non-2xx answers are exactly the pages
#     over the limit (PHP's fatal error: 500);
#   - every normal page's crc32 and length are the ones computed here by the
#     CLI PHP without the extension;
#   - the results file has one line per request;
#   - PHP logged its memory-limit fatal error once for each of those pages;
#   - no child crashed (the error log has no "exit signal" and no segfault);
#   - the engine heap of each thread is its own: one heap number per (pid,
#     thread) and one thread per (pid, heap number), never the startup
#     thread's 0;
#   - each heap's usage at the start of a request is flat (one figure for all
#     its requests after its first).
# Last line: "zts engine apache: N passed, N failed"; exit 1 if any failed.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
. "$ROOT/scripts/builds/lib.sh"   # ext_build_in_copy
REQUESTS=${REQUESTS:-2000} CONCURRENCY=${CONCURRENCY:-8}
JOBS=${JOBS:-2}
passed=0 failed=0
result() { # ok|fail what
    if [ "$1" = ok ]; then passed=$((passed + 1)); echo "ok: $2"; else failed=$((failed + 1)); echo "not ok: $2"; fi
}
check() { # what command...: ok when the command succeeds
    local what=$1; shift
    if "$@"; then result ok "$what"; else result fail "$what"; fi
}
apache_pid=
work=
stop_apache() {
    if [ -n "$apache_pid" ] && kill -0 "$apache_pid" 2>/dev/null; then
        kill -TERM "$apache_pid"
        for _ in $(seq 50); do kill -0 "$apache_pid" 2>/dev/null || break; sleep 0.2; done
    fi
    apache_pid=
}
cleanup() { stop_apache; [ -n "$work" ] && [ -z "${KEEP:-}" ] && rm -rf "$work"; }
trap cleanup EXIT
finish() { stop_apache; echo "zts engine apache: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

for t in apache2 ab; do
    command -v "$t" >/dev/null 2>&1 || { result fail "$t is installed (apache2, apache2-utils)"; finish; }
done
if ! prefix=$(bash "$ROOT/scripts/builds/php82-apxs2.sh"); then
    result fail "PHP 8.2 ZTS debug as Apache's module (--with-apxs2) builds"; finish
fi
echo "PHP: $prefix"
work=$(mktemp -d "${TMPDIR:-/tmp}/zendmm-apache.XXXXXX")
chmod 755 "$work"
if ! ext_build_in_copy "$ROOT" "$prefix" "$work" "$JOBS"; then
    tail -30 "$work/ext-build.log"
    result fail "the extension builds against the apxs2 PHP"; finish
fi

# the site: the page, its counter and results (written by Apache's user)
site="$work/site"
mkdir -p "$site/logs"
cp "$HERE/apache-page.php" "$site/index.php"
: >"$site/counter"; : >"$site/results"
run_user=www-data
id "$run_user" >/dev/null 2>&1 || run_user=nobody
chown -R "$run_user" "$site" 2>/dev/null || chmod -R a+rwX "$site"
chmod a+rx "$work" "$site"
cat >"$site/php.ini" <<EOF
extension=$work/modules/zendmm_ext.so
zendmm_ext.engine=1
memory_limit=16M
display_errors=0
log_errors=1
error_log=$site/logs/php-errors.log
pcre.jit=0
EOF
port=$("$prefix/bin/php" -n -r '$s = stream_socket_server("tcp://127.0.0.1:0"); echo explode(":", stream_socket_get_name($s, false))[1];')
modules=/usr/lib/apache2/modules
cat >"$site/httpd.conf" <<EOF
ServerRoot "$site"
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile "$site/logs/httpd.pid"
ErrorLog "$site/logs/error.log"
LogLevel warn
DefaultRuntimeDir "$site/logs"
Mutex file:$site/logs default
User $run_user
Group $(id -gn "$run_user")
LoadModule mpm_event_module $modules/mod_mpm_event.so
LoadModule authz_core_module $modules/mod_authz_core.so
LoadModule php_module $prefix/lib/libphp-apache2.so
StartServers 1
ServerLimit 1
ThreadsPerChild 10
ThreadLimit 10
MaxRequestWorkers 10
MinSpareThreads 1
MaxSpareThreads 10
MaxConnectionsPerChild 0
DocumentRoot "$site"
<Directory "$site">
    Require all granted
</Directory>
<FilesMatch "\.php$">
    SetHandler application/x-httpd-php
</FilesMatch>
PHPIniDir "$site"
EOF

echo "== apache2 (mpm_event, 1 child of 10 threads) on 127.0.0.1:$port"
apache2 -f "$site/httpd.conf" -DFOREGROUND >"$site/logs/stdout.log" 2>&1 &
apache_pid=$!
up=0
for _ in $(seq 100); do
    if "$prefix/bin/php" -n -r 'exit(@fsockopen("127.0.0.1", (int)$argv[1]) ? 0 : 1);' "$port"; then up=1; break; fi
    kill -0 "$apache_pid" 2>/dev/null || break
    sleep 0.2
done
if [ "$up" != 1 ]; then
    cat "$site/logs/stdout.log" "$site/logs/error.log" 2>/dev/null | tail -20
    result fail "apache2 starts with PHP's module and the extension in the mode"; finish
fi
result ok "apache2 starts with PHP's module and the extension in the mode"

echo "== ab -n $REQUESTS -c $CONCURRENCY"
ab -q -l -n "$REQUESTS" -c "$CONCURRENCY" "http://127.0.0.1:$port/index.php" >"$work/ab.log" 2>&1
grep -E '^(Complete requests|Failed requests|Non-2xx responses|Time taken|Requests per second)' "$work/ab.log"
stop_apache
complete=$(awk -F: '/^Complete requests/ { gsub(/ /, "", $2); print $2 }' "$work/ab.log")
non2xx=$(awk -F: '/^Non-2xx responses/ { gsub(/ /, "", $2); print $2 }' "$work/ab.log")
limits=$(( REQUESTS / 10 ))
check "ab completed all $REQUESTS requests" [ "${complete:-0}" = "$REQUESTS" ]
check "the non-2xx answers are the $limits pages over memory_limit" [ "${non2xx:-0}" = "$limits" ]

# what the CLI PHP (no extension) computes for each page's string: "k crc len"
"$prefix/bin/php" -n "$HERE/apache-page.php" --expected >"$work/expected.txt"
check "the results file has one line per request" [ "$(wc -l <"$site/results")" = "$REQUESTS" ]
"$prefix/bin/php" -n -r '
    $exp = [];
    foreach (file($argv[1], FILE_IGNORE_NEW_LINES) as $l) { [$k, $c, $n] = explode(" ", $l); $exp[$k] = "$c $n"; }
    $bad = $pages = $limit = 0; $heapOf = $threadOf = $u0 = []; $mixed = $zero = $unflat = 0;
    foreach (file($argv[2], FILE_IGNORE_NEW_LINES) as $l) {
        $f = explode(" ", $l);
        [$n, $pid, $tid, $heap, $usage] = $f;
        if ($heap === "0" || $heap === "-1") { $zero++; }
        $t = "$pid/$tid"; $h = "$pid/$heap";
        if (isset($heapOf[$t]) && $heapOf[$t] !== $h) { $mixed++; }
        if (isset($threadOf[$h]) && $threadOf[$h] !== $t) { $mixed++; }
        $heapOf[$t] = $h; $threadOf[$h] = $t;
        $u0[$h][] = (int)$usage;
        if ($f[5] === "LIMIT") { $limit++; if ($n % 10 != 9) { $bad++; } continue; }
        $pages++;
        if ($n % 10 == 9 || ($exp[$n % 50] ?? "") !== "$f[5] $f[6]") { $bad++; }
    }
    foreach ($u0 as $h => $list) { array_shift($list); if (count(array_unique($list)) > 1) { $unflat++; echo "heap $h: start usage ", implode(",", array_unique($list)), "\n"; } }
    printf("pages %d right of %d, over the limit %d; threads %d, heaps %d\n", $pages - $bad, $pages, $limit, count($heapOf), count($threadOf));
    file_put_contents($argv[3], sprintf("bad=%d\nmixed=%d\nzero=%d\nunflat=%d\nlimit=%d\n", $bad, $mixed, $zero, $unflat, $limit));
' "$work/expected.txt" "$site/results" "$work/verdict.txt"
. "$work/verdict.txt"
check "every normal page's checksum and length are the ones computed without the mode" [ "${bad:-1}" = 0 ]
check "the pages over memory_limit reached it: $limits of them" [ "${limit:-0}" = "$limits" ]
check "each thread's engine heap is its own (one heap per thread, one thread per heap, never the startup thread's)" \
    [ "${mixed:-1}" = 0 -a "${zero:-1}" = 0 ]
check "each heap's usage at the start of a request is flat" [ "${unflat:-1}" = 0 ]
# PHP's own message for each of them (5.3's figures: the engine heap's limit)
limit_errors=$(grep -c 'Allowed memory size of 16777216 bytes exhausted' "$site/logs/php-errors.log" 2>/dev/null)
echo "memory-limit errors logged: ${limit_errors:-0}"
check "PHP logged its memory-limit fatal error for each of the $limits" [ "${limit_errors:-0}" = "$limits" ]
if grep -qE 'exit signal|Segmentation fault|AH00052|zend_mm_heap corrupted|Assertion .* failed' \
        "$site/logs/error.log" "$site/logs/stdout.log" 2>/dev/null; then
    grep -E 'exit signal|Segmentation fault|AH00052|zend_mm_heap corrupted|Assertion .* failed' \
        "$site/logs/error.log" "$site/logs/stdout.log" | head -5
    result fail "no child crashed, no assertion failed"
else
    result ok "no child crashed, no assertion failed"
fi
finish
