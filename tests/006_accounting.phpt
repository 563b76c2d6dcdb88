--TEST--
zendmm_emalloc()/zendmm_efree(): size, peak, cached and memory_usage count as 5.3 did
--FILE--
<?php
$h = zendmm_heap_create(['use_zend_alloc' => true]);
function show($h, $label) {
    $s = zendmm_stats($h);
    printf("%-22s size %6d peak %6d cached %4d usage %6d real %6d real_peak %6d live %d\n", $label,
        $s['size'], $s['peak'], $s['cached'], zendmm_memory_usage($h), $s['real_size'], $s['real_peak'],
        $s['live_blocks']);
}
show($h, 'fresh');
$a = zendmm_emalloc($h, 100);
show($h, 'emalloc(100)');
$b = zendmm_emalloc($h, 1000);
show($h, 'emalloc(1000)');
zendmm_efree($h, $a);
show($h, 'efree(100): cached');
$c = zendmm_emalloc($h, 100);
var_dump($c === $a);
show($h, 'emalloc(100): cache hit');
zendmm_efree($h, $b);
show($h, 'efree(1000): large');
zendmm_memory_reset_peak($h);
show($h, 'reset_peak');
zendmm_efree($h, $c);
zendmm_flush_cache($h);
show($h, 'efree + flush_cache');
var_dump(zendmm_memory_peak_usage($h), zendmm_memory_peak_usage($h, true));
var_dump(zendmm_check_heap($h));
?>
--EXPECT--
fresh                  size   8208 peak   8208 cached    0 usage   8208 real 262144 real_peak 262144 live 0
emalloc(100)           size   8328 peak   8328 cached    0 usage   8328 real 262144 real_peak 262144 live 1
emalloc(1000)          size   9344 peak   9344 cached    0 usage   9344 real 262144 real_peak 262144 live 2
efree(100): cached     size   9344 peak   9344 cached  120 usage   9224 real 262144 real_peak 262144 live 1
bool(true)
emalloc(100): cache hit size   9344 peak   9344 cached    0 usage   9344 real 262144 real_peak 262144 live 2
efree(1000): large     size   8328 peak   9344 cached    0 usage   8328 real 262144 real_peak 262144 live 1
reset_peak             size   8328 peak   8328 cached    0 usage   8328 real 262144 real_peak 262144 live 1
efree + flush_cache    size   8208 peak   8328 cached    0 usage   8208 real 262144 real_peak 262144 live 0
int(8328)
int(262144)
array(0) {
}
