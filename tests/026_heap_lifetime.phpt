--TEST--
ZendMM\Heap lifetime: the heap and all its segments go back when the last reference goes
--SKIPIF--
<?php
if (PHP_OS_FAMILY !== 'Linux') die('skip needs /proc/self/fd');
?>
--FILE--
<?php
function fds() {
    return count(scandir('/proc/self/fd'));
}
function mapped(array $addresses): int {
    $ranges = [];
    foreach (file('/proc/self/maps') as $line) {
        [$from, $to] = explode('-', explode(' ', $line)[0]);
        $ranges[] = [hexdec($from), hexdec($to)];
    }
    $n = 0;
    foreach ($addresses as $a) {
        foreach ($ranges as [$from, $to]) {
            if ($a >= $from && $a < $to) {
                $n++;
                break;
            }
        }
    }
    return $n;
}
// mmap_zero keeps a /dev/zero descriptor per heap: watch it come and go
$base = fds();
$h = zendmm_heap_create(['use_zend_alloc' => true, 'storage' => 'mmap_zero']);
echo "one heap: +", fds() - $base, " fd\n";
$h2 = $h;
unset($h);
echo "one reference left: +", fds() - $base, " fd\n";
unset($h2);
echo "no reference: +", fds() - $base, " fd\n";

// mmap_anon segments are mappings: a heap with many big blocks unmaps them all when it goes
$h = zendmm_heap_create(['use_zend_alloc' => true, 'storage' => 'mmap_anon']);
for ($i = 0; $i < 20; $i++) {
    zendmm_emalloc($h, 400000);
}
$addresses = array_column(zendmm_segments($h), 'address');
echo "segments: ", count($addresses), ", mapped: ", mapped($addresses), "\n";
$h = null;
echo "after the last reference: mapped ", mapped($addresses), "\n";

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
$keep = zendmm_heap_create(['use_zend_alloc' => true]);
zendmm_emalloc($keep, 1 << 20);
echo "done\n";
?>
--EXPECT--
one heap: +1 fd
one reference left: +1 fd
no reference: +0 fd
segments: 21, mapped: 21
after the last reference: mapped 0
in a cycle: +1 fd
collected: +0 fd
done
