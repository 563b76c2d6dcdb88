--TEST--
Each Linux storage scheme: malloc, mmap_anon, mmap_zero (its /dev/zero descriptor in storage_data)
--SKIPIF--
<?php if (PHP_OS_FAMILY === 'Windows') die('skip not for Windows'); ?>
--INI--
pcre.jit=0
--FILE--
<?php
foreach (['malloc', 'mmap_anon', 'mmap_zero'] as $scheme) {
    $h = zendmm_heap_create(['use_zend_alloc' => true, 'storage' => $scheme]);
    $s = zendmm_stats($h);
    echo "$scheme: storage ", $s['storage'], ", storage_data '", preg_replace('/\d+/', 'N', $s['storage_data']),
        "', real_size ", $s['real_size'], ", size ", $s['size'], "\n";
    $p = [];
    foreach ([10, 100, 1000, 10000, 100000, 1000000] as $n) {
        $x = zendmm_emalloc($h, $n);
        zendmm_write($h, $x, str_repeat(chr(48 + strlen((string)$n)), $n));
        $p[$n] = $x;
    }
    $p[1000000] = zendmm_erealloc($h, $p[1000000], 3000000);   // a segment of its own, resized by storage
    $p[10] = zendmm_erealloc($h, $p[10], 20000);
    $ok = true;
    foreach ($p as $n => $x) {
        $ok = $ok && zendmm_read($h, $x, $n) === str_repeat(chr(48 + strlen((string)$n)), $n);
    }
    $segs = zendmm_segments($h);
    echo "  data intact: ", var_export($ok, true), ", segments from ", implode(',', array_unique(array_column($segs, 'storage'))),
        ", real_size ", zendmm_memory_usage($h, true), "\n";
    foreach ($p as $x) {
        zendmm_efree($h, $x);
    }
    echo "  after freeing all: real_size ", zendmm_memory_usage($h, true), ", check ", json_encode(zendmm_check_heap($h)), "\n";
}
?>
--EXPECT--
malloc: storage malloc, storage_data '', real_size 262144, size 8208
  data intact: true, segments from malloc, real_size 3407872
  after freeing all: real_size 262144, check []
mmap_anon: storage mmap_anon, storage_data '', real_size 262144, size 8208
  data intact: true, segments from mmap_anon, real_size 3407872
  after freeing all: real_size 262144, check []
mmap_zero: storage mmap_zero, storage_data 'fd=N', real_size 262144, size 8208
  data intact: true, segments from mmap_zero, real_size 3407872
  after freeing all: real_size 262144, check []
