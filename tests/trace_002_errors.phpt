--TEST--
zendmm_trace_start/stop: bad paths, double start and stop without start give clear errors
--EXTENSIONS--
zendmm_ext
--FILE--
<?php
function attempt(callable $fn): void
{
    try {
        $fn();
        echo "no error\n";
    } catch (Throwable $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}

attempt(fn () => zendmm_trace_stop());
attempt(fn () => zendmm_trace_start('/nonexistent-zendmm-dir/x.trace'));
attempt(fn () => zendmm_trace_start(''));
attempt(fn () => zendmm_trace_start("a\0b"));
attempt(fn () => zendmm_trace_start(sys_get_temp_dir()));
var_dump(is_a('ZendMM\Exception', 'RuntimeException', true));

$file = tempnam(sys_get_temp_dir(), 'zmmtrace');
zendmm_trace_start($file);
attempt(fn () => zendmm_trace_start($file . '.other'));
var_dump(file_exists($file . '.other'));
$c = zendmm_trace_stop();
var_dump($c['file'] === $file);
attempt(fn () => zendmm_trace_stop());

/* after all that, recording still works */
zendmm_trace_start($file);
$x = str_repeat('z', 5000 + (int)getenv('ZENDMM_NO_SUCH_VAR'));
$c = zendmm_trace_stop();
var_dump($c['allocs'] >= 1);
@unlink($file);

/* open_basedir: last, it cannot be loosened again */
ini_set('open_basedir', sys_get_temp_dir());
attempt(fn () => zendmm_trace_start('/zendmm-outside/x.trace'));
?>
--EXPECTF--
Error: No trace is being recorded; call zendmm_trace_start() first
ZendMM\Exception: Cannot record a trace to "/nonexistent-zendmm-dir/x.trace": cannot open "/nonexistent-zendmm-dir/x.trace" for writing: No such file or directory
ValueError: zendmm_trace_start(): Argument #1 ($file) cannot be empty
ValueError: zendmm_trace_start(): Argument #1 ($file) must not contain any null bytes
ZendMM\Exception: Cannot record a trace to "%s": cannot open "%s" for writing: Is a directory
bool(true)
Error: A trace is already being recorded to "%s"; call zendmm_trace_stop() first
bool(false)
bool(true)
Error: No trace is being recorded; call zendmm_trace_start() first
bool(true)
ZendMM\Exception: Cannot record a trace to "/zendmm-outside/x.trace": the path is outside of open_basedir
