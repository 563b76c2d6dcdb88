--TEST--
zendmm_trace_start/stop: a small script's trace has the expected records and counts, and parses
--EXTENSIONS--
zendmm_ext
--INI--
opcache.enable=0
opcache.enable_cli=0
--FILE--
<?php
require __DIR__ . '/trace_helpers.inc';

$file = tempnam(sys_get_temp_dir(), 'zmmtrace');
$n = 100000 + (int)getenv('ZENDMM_NO_SUCH_VAR');   /* not a constant: no folding */

zendmm_trace_start($file);
$s = str_repeat('x', $n);          /* one zend_string: 24 + 100000 + 1, rounded to 8 */
unset($s);
$c = zendmm_trace_stop();

var_dump(array_keys($c));
var_dump($c['allocs'], $c['frees'], $c['reallocs'], $c['failed'], $c['bytes_allocated'], $c['records']);
var_dump($c['file'] === $file, $c['file_bytes'] === filesize($file));

$t = zendmm_trace_parse($file, true);
var_dump($t['error'], $t['version'], $t['shift'], $t['complete'], $t['truncated']);
[$a, $f] = $t['events'];
var_dump($a[0], $a[4], $f[0], $f[2] === $a[2]);   /* alloc 100032, then free of that block */

/* a busier script: the file agrees with the counts zendmm_trace_stop() reports */
zendmm_trace_start($file);
$list = [];
for ($i = 0; $i < 2000; $i++) {
    $list[] = str_repeat('y', $n % 97 + $i % 50) . $i;
}
$words = explode(',', implode(',', $list));
sort($words);
$obj = new ArrayObject($words);
unset($list, $words, $obj);
$c = zendmm_trace_stop();
clearstatcache();
$t = zendmm_trace_parse($file, true);
var_dump($t['error'], $t['complete'], $t['calls'] === array_intersect_key($c, $t['calls']));
var_dump($c['allocs'] >= 4000, $c['frees'] >= 4000, $c['reallocs'] >= 1);
var_dump($t['records'] === $c['records'], filesize($file) === $c['file_bytes']);

/* every free and realloc names a block that is live: allocated in the trace, or before it */
$live = [];
$before = 0;
$bad = 0;
foreach ($t['events'] as [$op, $flags, $p, $new, $size]) {
    switch ($op) {
        case 'alloc':
            $bad += isset($live[$p]) ? 1 : 0;
            $live[$p] = $size;
            break;
        case 'free':
            if (isset($live[$p])) {
                unset($live[$p]);
            } else {
                $before++;
            }
            break;
        case 'realloc':
            if (!isset($live[$p])) {
                $before++;
            }
            unset($live[$p]);
            $live[$new] = $size;
            break;
    }
}
var_dump($bad, $before < 50);
@unlink($file);
?>
--EXPECT--
array(11) {
  [0]=>
  string(6) "allocs"
  [1]=>
  string(5) "frees"
  [2]=>
  string(8) "reallocs"
  [3]=>
  string(6) "failed"
  [4]=>
  string(9) "free_null"
  [5]=>
  string(12) "realloc_null"
  [6]=>
  string(15) "bytes_allocated"
  [7]=>
  string(17) "bytes_reallocated"
  [8]=>
  string(7) "records"
  [9]=>
  string(10) "file_bytes"
  [10]=>
  string(4) "file"
}
int(1)
int(1)
int(0)
int(0)
int(100032)
int(2)
bool(true)
bool(true)
NULL
int(1)
int(3)
bool(true)
bool(false)
string(5) "alloc"
int(100032)
string(4) "free"
bool(true)
NULL
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
int(0)
bool(true)
