--TEST--
zendmm_trace_html(): a bad trace, alignment or path is refused and nothing is written
--FILE--
<?php
// a folder of this process's own: two runs of the suite at once never meet
$dir = sys_get_temp_dir() . '/zendmm_trace_html_002_' . getmypid();
@mkdir($dir);
$trace = "$dir/t.trace";
zendmm_trace_start($trace);
$x = str_repeat('q', 1000);
zendmm_trace_stop();
file_put_contents("$dir/not-a-trace", "hello, world, this is no trace");
file_put_contents("$dir/bad-version", "ZMMTRACE\x09\x00\x03\x08\x00\x00\x00\x00");

function attempt(callable $f): void
{
    try {
        $f();
        echo "no error\n";
    } catch (Throwable $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
attempt(fn () => zendmm_trace_html("$dir/missing.trace", "$dir/a.html"));
attempt(fn () => zendmm_trace_html("$dir/not-a-trace", "$dir/a.html"));
attempt(fn () => zendmm_trace_html("$dir/bad-version", "$dir/a.html"));
attempt(fn () => zendmm_trace_html('', "$dir/a.html"));
attempt(fn () => zendmm_trace_html($trace, ''));
attempt(fn () => zendmm_trace_html($trace, "$dir/a\0b.html"));
attempt(fn () => zendmm_trace_html($trace, "$dir/a.html", 12));
attempt(fn () => zendmm_trace_html($trace, "$dir/no/such/dir/a.html"));
attempt(fn () => zendmm_trace_html($trace, $dir));
attempt(fn () => zendmm_trace_html([], "$dir/a.html"));
/* nothing was written: the folder holds what the test put there */
$files = scandir($dir);
sort($files);
echo implode(' ', $files), "\n";
/* a good call, then open_basedir */
attempt(fn () => zendmm_trace_html($trace, "$dir/a.html", 16));
var_dump(filesize("$dir/a.html") > 1000);
ini_set('open_basedir', $dir);
attempt(fn () => zendmm_trace_html($trace, '/tmp/../zendmm_outside.html'));
attempt(fn () => zendmm_trace_html('/etc/passwd', "$dir/b.html"));
var_dump(file_exists("$dir/b.html"));
foreach (['t.trace', 'not-a-trace', 'bad-version', 'a.html'] as $f) unlink("$dir/$f");
rmdir($dir);
?>
--EXPECTF--
ValueError: zendmm_trace_html(): Argument #1 ($trace) must be a readable zendmm trace: %s
ValueError: zendmm_trace_html(): Argument #1 ($trace) must be a readable zendmm trace: %s
ValueError: zendmm_trace_html(): Argument #1 ($trace) must be a readable zendmm trace: %s
ValueError: zendmm_trace_html(): Argument #1 ($trace) cannot be empty
ValueError: zendmm_trace_html(): Argument #2 ($out) cannot be empty
ValueError: zendmm_trace_html(): Argument #2 ($out) is not a usable path
ValueError: zendmm_trace_html(): Argument #3 ($alignment) must be 8 or 16 (16 for a zendmm_ext.engine_trace), 12 given
ZendMM\Exception: Cannot write the player to "%s/no/such/dir/a.html": No such file or directory
ZendMM\Exception: Cannot write the player to "%s/zendmm_trace_html_002_%d": Is a directory
TypeError: zendmm_trace_html(): Argument #1 ($trace) must be of type string, array given
. .. bad-version not-a-trace t.trace
no error
bool(true)
ZendMM\Exception: Cannot write the player to "/tmp/../zendmm_outside.html": the path is outside of open_basedir
ZendMM\Exception: Cannot read a trace from "/etc/passwd": the path is outside of open_basedir
bool(false)
