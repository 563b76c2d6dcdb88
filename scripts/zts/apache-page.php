<?php
/*
 * scripts/zts/apache-page.php - the page scripts/zts/apache.sh serves through
 * Apache (as index.php), and, run by the CLI with --expected, what each page's
 * string must give ("k crc32 length" for k = 0..49).
 */
function page_string(int $k): string
{
    $a = [];
    for ($i = 0; $i < 2000 + $k; $i++) {
        $a[] = str_repeat(chr(65 + $i % 26), $i % 97);
    }
    return implode(',', $a);
}

if (PHP_SAPI === 'cli') {
    for ($k = 0; $k < 50; $k++) {
        $s = page_string($k);
        printf("%d %u %d\n", $k, crc32($s), strlen($s));
    }
    exit(0);
}

$u0 = memory_get_usage();   // first: what the request holds before the page runs

// the page's number, from a counter all of Apache's threads share
$f = fopen(__DIR__ . '/counter', 'c+');
flock($f, LOCK_EX);
$n = (int)stream_get_contents($f);
ftruncate($f, 0);
rewind($f);
fwrite($f, (string)($n + 1));
fflush($f);
flock($f, LOCK_UN);
fclose($f);

// this thread's engine heap (phpinfo's number; 0 is the thread that started PHP)
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
$heap = preg_match('~s is number (\d+) \(0: the thread~', $info, $m) ? $m[1] : '-1';
$line = sprintf('%d %d %d %s %d', $n, getmypid(), zend_thread_id(), $heap, $u0);

if ($n % 10 == 9) {
    // over memory_limit (16M): PHP's fatal error, a 500
    file_put_contents(__DIR__ . '/results', "$line LIMIT\n", FILE_APPEND | LOCK_EX);
    $x = str_repeat('x', 64 << 20);
    echo "survived the limit\n";
    exit;
}
$s = page_string($n % 50);
file_put_contents(__DIR__ . '/results', sprintf("%s %u %d\n", $line, crc32($s), strlen($s)), FILE_APPEND | LOCK_EX);
printf("%010u %08d\n", crc32($s), strlen($s));
