<?php
/*
 * _record.php - auto_prepend_file of bench/record.sh: starts the recorder
 * before the workload is compiled and stops it in a shutdown function, so
 * the trace covers compiling, autoloading and running the workload. The
 * counts zendmm_trace_stop() returns go to $ZENDMM_TRACE_COUNTS as JSON.
 */
if (($zendmm_trace_file = getenv('ZENDMM_TRACE')) !== false && $zendmm_trace_file !== '') {
    zendmm_trace_start($zendmm_trace_file);
    register_shutdown_function(static function (): void {
        $counts = zendmm_trace_stop();
        $out = getenv('ZENDMM_TRACE_COUNTS');
        if ($out !== false && $out !== '') {
            file_put_contents($out, json_encode($counts, JSON_PRETTY_PRINT) . "\n");
        }
    });
}
unset($zendmm_trace_file);
