--TEST--
Sites: a block allocated while no user code runs (zendmm_emalloc() called straight from PHP's shutdown) is charged to "(internal)"; internal functions inside the innermost user frame (array_map calling zendmm_estrdup) are not part of its path
--INI--
pcre.jit=0
--FILE--
<?php
$h = zendmm_heap_create(['sites' => 3, 'use_zend_alloc' => true]);
array_map('zendmm_estrdup', [$h], ['from array_map']);     // line 3: {main} calls array_map, which calls zendmm_estrdup
register_shutdown_function('zendmm_emalloc', $h, 10);   // no user frame at all
register_shutdown_function(function () use ($h) {
    foreach (zendmm_sites($h) as $s) {
        printf("%s: %d bytes, path %s\n", str_replace(__FILE__, 'T', $s['site']), $s['bytes'],
            implode(' <- ', array_map(fn($f) => $f['function'], $s['path'])));
    }
});
?>
--EXPECT--
{main} (T:3): 32 bytes, path {main}
(internal): 32 bytes, path (internal)
