--TEST--
ZendMM\Heap lifetime: the heap, its storage and all its segments go back when the last reference goes
--SKIPIF--
<?php
if (PHP_OS_FAMILY !== 'Linux') die('skip needs /proc/self/fd');
?>
--FILE--
<?php
// Only the process's own descriptor count is read, never its address-space layout:
// which addresses a mapping reuses is not the test's to decide (valgrind maps its own).
function fds() {
    return count(scandir('/proc/self/fd'));
}
function show_segments(ZendMM\Heap $h): void {
    $segs = zendmm_segments($h);
    $s = zendmm_stats($h);
    echo "segments: ", count($segs), " (stats say ", $s['segments'], "), from ",
        implode(',', array_unique(array_column($segs, 'storage'))), ", real_size ", $s['real_size'],
        ", the segments add up to it: ", var_export(array_sum(array_column($segs, 'size')) === $s['real_size'], true), "\n";
}
// mmap_zero keeps a /dev/zero descriptor per heap: its storage's own dtor closes it
$base = fds();
$h = zendmm_heap_create(['use_zend_alloc' => true, 'storage' => 'mmap_zero']);
echo "one heap: +", fds() - $base, " fd\n";
$h2 = $h;
unset($h);
echo "one reference left: +", fds() - $base, " fd\n";
unset($h2);
echo "no reference: +", fds() - $base, " fd\n";

// a heap with many big blocks: its storage goes away with the last reference, after the segments
$base = fds();
$h = zendmm_heap_create(['use_zend_alloc' => true, 'storage' => 'mmap_zero']);
for ($i = 0; $i < 20; $i++) {
    zendmm_emalloc($h, 400000);
}
show_segments($h);
echo "storage open: +", fds() - $base, " fd\n";
$h = null;
echo "after the last reference: +", fds() - $base, " fd\n";

// with storage 'malloc' every segment is a malloc() block: scripts/test.sh runs this test under
// valgrind with --leak-check=full too, where a segment not handed back here would be reported lost
$h = zendmm_heap_create(['use_zend_alloc' => true, 'storage' => 'malloc']);
for ($i = 0; $i < 20; $i++) {
    zendmm_emalloc($h, 400000);
}
show_segments($h);
$h = null;

// a heap kept in a cycle is freed by the garbage collector
$base = fds();
$o = new stdClass;
$o->self = $o;
$o->heap = zendmm_heap_create(['use_zend_alloc' => true, 'storage' => 'mmap_zero']);
unset($o);
echo "in a cycle: +", fds() - $base, " fd\n";
gc_collect_cycles();
echo "collected: +", fds() - $base, " fd\n";

// a heap still alive at the end of the script is freed at shutdown (valgrind would see a leak)
$keep = zendmm_heap_create(['use_zend_alloc' => true, 'storage' => 'malloc']);
zendmm_emalloc($keep, 1 << 20);
echo "done\n";
?>
--EXPECT--
one heap: +1 fd
one reference left: +1 fd
no reference: +0 fd
segments: 21 (stats say 21), from mmap_zero, real_size 10747904, the segments add up to it: true
storage open: +1 fd
after the last reference: +0 fd
segments: 21 (stats say 21), from malloc, real_size 10747904, the segments add up to it: true
in a cycle: +1 fd
collected: +0 fd
done
