#!/usr/bin/env bash
# tests/fpm/run.sh - the engine heap behind Debian's php-fpm, spoken to over FastCGI.
#
#   tests/fpm/run.sh [path/to/zendmm_ext.so]      (default: modules/zendmm_ext.so)
#
# Starts php-fpm8.2 (-n: no php.ini; the extension with zendmm_ext.engine=1,
# memory_limit=32M) with one pool: pm static, 2 workers, a free loopback port,
# a status page and an access log; stops it whatever happens (EXIT trap). Then
# 300 requests of tests/fpm/app.php through cgi-fcgi (libfcgi-bin), each with
# PHP_VALUE=memory_limit=… (fpm keeps a PHP_VALUE in the worker for the requests
# after it, with or without the mode, so a request that sets none would get
# whichever limit its worker saw last):
#   every 10th goes over memory_limit (32M; every 20th 8M),
#   every 10th + 1 asks for 16M, every 10th + 5 for 24M, and must run normally,
#   every 10th + 9 leaves 18 MB of garbage in reference cycles at its end, so
#     the next request of that worker starts on a heap that was large, and asks
#     for a limit below that (fpm hands requests to its workers in turn or to
#     the same one again: the next two requests ask for 8M or 16M),
#   the rest are normal, at 32M.
# Checks, one TAP line each:
#   each request: a normal answer has the digest plain php-cli computes (no
#     extension) and the limit it asked for; an over-limit answer has PHP's
#     fatal error with the limit of that request; no answer has a warning;
#   the same 2 workers answered the last request as the first (no worker died,
#     none was restarted) and fpm's log reports no worker exit;
#   memory_get_usage() at the start of a request is one figure: the same for
#     every request but the first of each worker (that one still holds what PHP's
#     startup allocated; PHP 8.2 gives a module no hook between startup's end and
#     the first request);
#   no "Failed to set memory limit" warning anywhere (answers, fpm's log);
#   the status page and the access log's %M are printed for the record (they
#     read PHP's own heap, not the engine heap: README, "Run PHP on the 5.3 heap").
# Last line: "fpm engine: N passed, N failed". Exit 1 on any failure.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SO=$(realpath "${1:-$ROOT/modules/zendmm_ext.so}")
FPM=${PHP_FPM:-$(command -v php-fpm8.2 || echo /usr/sbin/php-fpm8.2)}
PHP_CLI=${PHP:-php}
REQUESTS=${FPM_REQUESTS:-300}

n=0 passed=0 failed=0
tap() { # ok|not-ok description
    n=$((n + 1))
    if [ "$1" = ok ]; then passed=$((passed + 1)); echo "ok $n - $2"; else failed=$((failed + 1)); echo "not ok $n - $2"; fi
}
finish() {
    echo "fpm engine: $passed passed, $failed failed"
    [ "$failed" -eq 0 ] && [ "$n" -gt 0 ]
    exit
}
for tool in "$FPM" cgi-fcgi "$PHP_CLI"; do
    command -v "$tool" >/dev/null 2>&1 || { tap not-ok "$tool is not installed"; finish; }
done
[ -f "$SO" ] || { tap not-ok "no extension at $SO"; finish; }

WORK=$(mktemp -d /tmp/zendmm-fpm.XXXXXX)
FPM_PID=
stop_fpm() {
    if [ -n "$FPM_PID" ] && kill -0 "$FPM_PID" 2>/dev/null; then
        kill -TERM "$FPM_PID" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$FPM_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$FPM_PID" 2>/dev/null
        wait "$FPM_PID" 2>/dev/null
    fi
    FPM_PID=
}
trap 'stop_fpm; [ -n "${FPM_KEEP:-}" ] || rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM HUP

# a free loopback port: the kernel picks one, the socket is closed, fpm binds it
PORT=$("$PHP_CLI" -n -r '$s = stream_socket_server("tcp://127.0.0.1:0"); echo explode(":", stream_socket_get_name($s, false))[1];')
cp "$HERE/app.php" "$WORK/app.php"
cat >"$WORK/fpm.conf" <<EOF
[global]
pid = $WORK/fpm.pid
error_log = $WORK/fpm.log
daemonize = no
[engine]
user = root
listen = 127.0.0.1:$PORT
pm = static
pm.max_children = 2
pm.status_path = /status
access.log = $WORK/access.log
access.format = "%{REQUEST_URI}e %s %M"
catch_workers_output = yes
EOF
"$FPM" -n -R -F -y "$WORK/fpm.conf" -d "extension=$SO" -d zendmm_ext.engine="${FPM_ENGINE:-1}" -d memory_limit=32M \
    -d display_errors=1 -d html_errors=0 -d log_errors=0 -d error_reporting=-1 >"$WORK/fpm.out" 2>&1 &
FPM_PID=$!
for _ in $(seq 100); do
    grep -q 'ready to handle connections' "$WORK/fpm.log" 2>/dev/null && break
    kill -0 "$FPM_PID" 2>/dev/null || break
    sleep 0.1
done
if ! grep -q 'ready to handle connections' "$WORK/fpm.log" 2>/dev/null; then
    cat "$WORK/fpm.out" "$WORK/fpm.log" 2>/dev/null | tail -20 | sed 's/^/# /'
    tap not-ok "php-fpm starts with the extension in the mode"
    finish
fi
echo "# php-fpm $("$FPM" -n -v | head -1 | cut -d' ' -f2) on 127.0.0.1:$PORT, workers: $(pgrep -P "$FPM_PID" | tr '\n' ' ')"

request() { # query [PHP_VALUE]: the answer (headers and body) on stdout
    env -i SCRIPT_FILENAME="$WORK/app.php" REQUEST_METHOD=GET QUERY_STRING="$1" REQUEST_URI="/app.php?$1" \
        SCRIPT_NAME=/app.php ${2:+PHP_VALUE="$2"} cgi-fcgi -bind -connect "127.0.0.1:$PORT"
}
status_page() {
    env -i SCRIPT_FILENAME="$WORK/status" SCRIPT_NAME=/status REQUEST_METHOD=GET QUERY_STRING="$1" \
        REQUEST_URI="/status?$1" cgi-fcgi -bind -connect "127.0.0.1:$PORT"
}
workers() { status_page full | sed -n 's/^pid: *//p' | sort -n | tr '\n' ' '; }

expected=$("$PHP_CLI" -n "$WORK/app.php" | sed -n 's/^digest //p')
[ -n "$expected" ] || { tap not-ok "plain php-cli runs app.php"; finish; }
workers_before=$(workers)

: >"$WORK/starts"
for ((i = 1; i <= REQUESTS; i++)); do
    limit=32M kind=normal
    if ((i % 10 == 0)); then
        kind=over
        ((i % 20 == 0)) && limit=8M
    elif ((i % 10 == 1)); then
        limit=16M
    elif ((i % 10 == 5)); then
        limit=24M
    elif ((i % 10 == 9)); then
        kind=cycles
    fi
    value="memory_limit=$limit"
    answer=$(request "kind=$kind&i=$i" "$value" 2>&1)
    start=$(sed -n 's/^start pid=\([0-9]*\) usage=\([0-9]*\) .*/\1 \2/p' <<<"$answer")
    [ -n "$start" ] && echo "$i $start" >>"$WORK/starts"
    what="request $i ($kind, memory_limit $limit)"
    problem=
    if ! grep -q "^start pid=[0-9]* usage=[0-9]* limit=$limit\$" <<<"$answer"; then
        problem="no start line with limit=$limit"
    elif [ "$kind" = over ]; then
        bytes=$(( ${limit%M} << 20 ))
        grep -q "^Fatal error: Allowed memory size of $bytes bytes exhausted (tried to allocate [0-9]* bytes) in " <<<"$answer" ||
            problem="no memory-limit error for $bytes bytes"
        grep -q '^end$' <<<"$answer" && problem="the script went on past the limit"
    else
        grep -qx "digest $expected" <<<"$answer" || problem="wrong or missing digest"
        grep -q '^end$' <<<"$answer" || problem="no end line"
    fi
    if [ -z "$problem" ] && grep -qE '^(Warning|Notice|Deprecated|Fatal error)' <<<"$answer" && [ "$kind" != over ]; then
        problem="a diagnostic in the answer"
    fi
    if [ -z "$problem" ] && [ "$kind" = over ] && grep -qE '^(Warning|Notice|Deprecated)' <<<"$answer"; then
        problem="a warning in the answer"
    fi
    if [ -n "$problem" ]; then
        tap not-ok "$what: $problem"
        head -12 <<<"$answer" | sed 's/^/#   /'
    else
        tap ok "$what"
    fi
    grep -h 'Failed to set memory limit' <<<"$answer" >>"$WORK/spurious"
done

workers_after=$(workers)
if [ -n "$workers_before" ] && [ "$workers_before" = "$workers_after" ] &&
    [ "$(wc -w <<<"$workers_after")" -eq 2 ] && ! grep -qE 'exited|SIG[A-Z]+' "$WORK/fpm.log"; then
    tap ok "the same 2 workers answered from the first request to the last ($workers_after)"
else
    grep -E 'exited|SIG[A-Z]+' "$WORK/fpm.log" | head -5 | sed 's/^/#   /'
    tap not-ok "workers: before $workers_before, after $workers_after"
fi

# the first request of each worker is left out (see the header)
firsts=$(awk '!seen[$2]++ { print $3 }' "$WORK/starts" | sort -u | tr '\n' ' ')
rest=$(awk 'seen[$2]++ { print $3 }' "$WORK/starts" | sort | uniq -c | sort -rn)
count_starts=$(awk 'seen[$2]++' "$WORK/starts" | wc -l)
if [ "$(wc -l <<<"$rest")" -eq 1 ] && [ "$count_starts" -eq $((REQUESTS - 2)) ]; then
    tap ok "usage at the start of a request: $(awk '{print $2}' <<<"$rest") bytes, every request but each worker's first ($firsts)"
else
    tap not-ok "usage at the start of a request is not flat (each worker's first: $firsts)"
    head -10 <<<"$rest" | sed 's/^/#   /'
fi

grep -h 'Failed to set memory limit' "$WORK/fpm.log" "$WORK/fpm.out" >>"$WORK/spurious" 2>/dev/null
if [ ! -s "$WORK/spurious" ]; then
    tap ok "no \"Failed to set memory limit\" warning"
else
    sort "$WORK/spurious" | uniq -c | head -5 | sed 's/^/#   /'
    tap not-ok "$(wc -l <"$WORK/spurious") \"Failed to set memory limit\" warning(s)"
fi

# for the record: what fpm itself reports of memory (PHP's own heap: see README)
echo "# status page: $(status_page full | grep -m2 'last request memory' | tr -s ' ' | tr '\n' ';')"
echo "# access log %M of the cycles requests: $(grep 'kind=cycles' "$WORK/access.log" | awk '{print $3}' | sort -u | tr '\n' ' ')"
stop_fpm
finish
