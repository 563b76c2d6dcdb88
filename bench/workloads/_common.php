<?php
/*
 * _common.php - shared by the workloads: find a Debian-packaged library and
 * print the one result line each workload ends with ("name: checksum ..."),
 * which record.sh compares with and without recording.
 */
declare(strict_types=1);

function workload_require(string $autoload, string $package): void
{
    if (!is_file($autoload)) {
        fwrite(STDERR, "missing $autoload: apt-get install -y $package\n");
        exit(3);
    }
    require_once $autoload;
}

function workload_result(string $name, string $digest, array $facts = []): void
{
    $parts = [];
    foreach ($facts as $k => $v) {
        $parts[] = "$k=$v";
    }
    echo $name, ': ', $digest, $parts ? ' ' . implode(' ', $parts) : '', "\n";
}
