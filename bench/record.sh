#!/usr/bin/env bash
# bench/record.sh [workload...] - record an allocation trace of each workload
# (bench/workloads/*.php, files starting with "_" excepted) into
# bench/traces/<name>.trace, with PHP's own heap recorded through the
# extension's zendmm_trace_start()/zendmm_trace_stop() (opcache off).
#
# Each workload runs twice, without and with recording, and both runs must
# print the same result line: the recorder must not change what a script
# computes. The counts of zendmm_trace_stop() land in <name>.counts.json.
#
# Needs modules/zendmm_ext.so (phpize && ./configure && make). Installs the
# Debian packages the workloads use when they are missing (as root).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
EXT=$ROOT/modules/zendmm_ext.so
OUT=$ROOT/bench/traces
PHP=${PHP:-php}

if [ ! -f "$EXT" ]; then
    echo "record.sh: $EXT is missing; build it first: phpize && ./configure && make" >&2
    exit 1
fi
# a private copy: a rebuild of modules/ while recording must not pull it from under PHP
mkdir -p "$ROOT/bench/build"
cp "$EXT" "$ROOT/bench/build/zendmm_ext.record.so.$$" && mv -f "$ROOT/bench/build/zendmm_ext.record.so.$$" "$ROOT/bench/build/zendmm_ext.record.so"
EXT=$ROOT/bench/build/zendmm_ext.record.so

# package -> a file it installs
need=()
for pair in php-parser:/usr/share/php/PhpParser/autoload.php \
            php-twig:/usr/share/php/Twig/autoload.php \
            php-symfony-yaml:/usr/share/php/Symfony/Component/Yaml/autoload.php \
            php-symfony-console:/usr/share/php/Symfony/Component/Console/autoload.php; do
    [ -f "${pair#*:}" ] || need+=("${pair%%:*}")
done
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "record.sh: installing ${need[*]}" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y "${need[@]}" >/dev/null \
            || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y "${need[@]}" >/dev/null; }
    else
        echo "record.sh: missing packages ${need[*]} (apt-get install -y ${need[*]})" >&2
        exit 1
    fi
fi

mkdir -p "$OUT"
PHPARGS=(-d "extension=$EXT" -d opcache.enable=0 -d opcache.enable_cli=0 -d memory_limit=1G)

. bench/workloads.sh
bench_workloads "$@"

status=0
for w in "${workloads[@]}"; do
    script=bench/workloads/$w.php
    [ -f "$script" ] || { echo "record.sh: no workload $script" >&2; status=1; continue; }
    trace=$OUT/$w.trace
    counts=$OUT/$w.counts.json
    plain=$("$PHP" "${PHPARGS[@]}" "$script") || { echo "record.sh: $w failed without recording" >&2; status=1; continue; }
    rm -f "$trace" "$counts"
    start=$(date +%s%N)
    recorded=$(ZENDMM_TRACE=$trace ZENDMM_TRACE_COUNTS=$counts \
        "$PHP" "${PHPARGS[@]}" -d "auto_prepend_file=$ROOT/bench/workloads/_record.php" "$script") \
        || { echo "record.sh: $w failed while recording" >&2; status=1; continue; }
    end=$(date +%s%N)
    if [ "$plain" != "$recorded" ]; then
        echo "record.sh: $w printed something else while recording:" >&2
        echo "  without: $plain" >&2
        echo "  with:    $recorded" >&2
        status=1
    fi
    if [ ! -s "$counts" ]; then
        echo "record.sh: $w: zendmm_trace_stop() left no counts" >&2
        status=1
        continue
    fi
    "$PHP" -r '
        $c = json_decode(file_get_contents($argv[1]), true);
        $ops = $c["allocs"] + $c["frees"] + $c["reallocs"];
        printf("%-10s %9d ops (%d allocs, %d frees, %d reallocs), %6.2f MB, %.2f B/op, %.2f s  %s\n",
            $argv[2], $ops, $c["allocs"], $c["frees"], $c["reallocs"], filesize($argv[3]) / 1048576,
            $ops ? filesize($argv[3]) / $ops : 0, $argv[4] / 1000, $argv[5]);
    ' "$counts" "$w" "$trace" "$(( (end - start) / 1000000 ))" "$recorded"
done
exit $status
