--TEST--
examples/explore.php: php-parser on the engine heap with sites on writes the explorer, the player and the three dumps
--EXTENSIONS--
zendmm_ext
--SKIPIF--
<?php
if (!is_file('/usr/share/php/PhpParser/autoload.php')) die('skip php-parser is not installed');
if (getenv('USE_ZEND_ALLOC') === '0') die('skip the mode is refused under USE_ZEND_ALLOC=0');
if (!extension_loaded('tokenizer') && !is_file(ini_get('extension_dir') . '/tokenizer.so')) die('skip php-parser needs ext/tokenizer');
?>
--FILE--
<?php
$out = sys_get_temp_dir() . '/zendmm-explore-' . getmypid();
$so = null;
foreach (file('/proc/self/maps') as $line) {
    if (preg_match('~(/\S*zendmm_ext\.so)$~', trim($line), $m)) { $so = $m[1]; break; }
}
$cmd = [PHP_BINARY, '-n', '-d', "extension=$so", __DIR__ . '/../examples/explore.php', $out, __DIR__ . '/../examples/tour.php'];
$p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
$stdout = stream_get_contents($pipes[1]);
$stderr = stream_get_contents($pipes[2]);
echo "exit ", proc_close($p), "\n";
echo $stderr;
// the breakdown it prints adds up to real_size
preg_match_all('~^  (.+?)\s{2,}([\d,]+)$~m', $stdout, $m, PREG_SET_ORDER);
$sum = 0; $real = null;
foreach ($m as [, $label, $n]) {
    $n = (int)str_replace(',', '', $n);
    if ($label === '= real_size') { $real = $n; } elseif (!str_contains($label, 'bytes')) { $sum += $n; }
}
echo "parts add up: ", var_export($real !== null && $sum === $real, true), "\n";
echo "site lines: ", preg_match_all('~bytes +\d+ blocks  \S~', $stdout), "\n";
$html = file_get_contents("$out/explorer.html");
echo "explorer: ", str_starts_with($html, '<!DOCTYPE html>') ? 'html' : 'NOT html', ", fetches nothing: ",
    var_export(!preg_match('~\b(src|href)="https?:~', $html), true), "\n";
$player = file_get_contents("$out/player.html");
echo "player: ", str_starts_with($player, '<!DOCTYPE html>') ? 'html' : 'NOT html', "\n";
echo "pprof gzip magic: ", bin2hex(substr(file_get_contents("$out/sites.pb.gz"), 0, 2)), "\n";
$cg = file_get_contents("$out/sites.callgrind");
echo "callgrind events: ", preg_match('~^events: Bytes Blocks Requested$~m', $cg), "\n";
$folded = file("$out/sites.folded", FILE_IGNORE_NEW_LINES);
$bad = array_filter($folded, fn($l) => !preg_match('~^\S.* \d+$~', $l));
echo "folded lines: ", count($folded) > 10 ? 'many' : count($folded), ", malformed: ", count($bad), "\n";
// the trace replays: its header names the engine heap's alignment
echo "trace magic: ", var_export(filesize("$out/engine.trace") > 1000, true), "\n";
foreach (glob("$out/*") as $f) unlink($f);
rmdir($out);
?>
--EXPECT--
exit 0
parts add up: true
site lines: 5
explorer: html, fetches nothing: true
player: html
pprof gzip magic: 1f8b
callgrind events: 1
folded lines: many, malformed: 0
trace magic: true
