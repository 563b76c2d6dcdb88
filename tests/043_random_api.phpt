--TEST--
Random calls with good and bad arguments: never a crash, never a damaged heap, live data intact
--FILE--
<?php
// A seeded driver from userland: every call either works or throws one of
// the documented errors; after each step the heap check is clean and every
// live block still holds what was written into it.
mt_srand(20261125);
$schemes = zendmm_storage_schemes();
$h = zendmm_heap_create(['use_zend_alloc' => true, 'segment_size' => 8192, 'limit' => 4 << 20]);
$other = zendmm_heap_create(['use_zend_alloc' => true]);
$foreign = zendmm_emalloc($other, 40);
$live = [];      // ptr => contents
$dead = [];      // pointers that must be refused
$errors = [];

function pick_size(): int {
    switch (mt_rand(0, 9)) {
        case 0: return mt_rand(-3, 0);
        case 1: return PHP_INT_MAX - mt_rand(0, 64);
        case 2: return mt_rand(521, 9000);
        case 3: return mt_rand(9000, 300000);
        default: return mt_rand(1, 520);
    }
}

function bad_ptr(array $live, array $dead, int $foreign): int {
    do {   // freed addresses come back to life: never hand out a live one
        switch (mt_rand(0, 4)) {
            case 0: $p = $dead ? $dead[array_rand($dead)] : 8; break;
            case 1: $p = $foreign; break;
            case 2: $p = $live ? array_rand($live) + 8 * mt_rand(1, 4) : 16; break;
            case 3: $p = -mt_rand(1, 1 << 40); break;
            default: $p = mt_rand(1, PHP_INT_MAX);
        }
    } while (isset($live[$p]));
    return $p;
}

function fill(int $n): string {
    return $n > 0 ? substr(str_repeat(chr(mt_rand(0, 255)) . chr(mt_rand(0, 255)) . "zendmm", intdiv($n, 8) + 1), 0, $n) : '';
}

for ($step = 0; $step < 3000; $step++) {
    try {
        switch (mt_rand(0, 11)) {
            case 0: case 1: case 2:
                $n = pick_size();
                $p = zendmm_emalloc($h, $n);
                $data = fill(min($n, 4096));
                zendmm_write($h, $p, $data);
                $live[$p] = $data;
                break;
            case 3:
                $p = zendmm_ecalloc($h, mt_rand(-1, 40), mt_rand(-1, 40));
                $live[$p] = zendmm_read($h, $p);
                break;
            case 4:
                $p = zendmm_estrndup($h, fill(30), mt_rand(-2, 40));
                $live[$p] = zendmm_read($h, $p);
                break;
            case 5:
                if ($live && mt_rand(0, 3)) {
                    $p = array_rand($live);
                    $n = pick_size();
                    $q = zendmm_erealloc($h, $p, $n);
                    $keep = substr($live[$p], 0, min($n, strlen($live[$p])));
                    unset($live[$p]);
                    if ($q !== $p) {
                        $dead[] = $p;
                    }
                    $live[$q] = $keep;
                } else {
                    zendmm_erealloc($h, bad_ptr($live, $dead, $foreign), mt_rand(1, 100));
                }
                break;
            case 6: case 7:
                if ($live && mt_rand(0, 4)) {
                    $p = array_rand($live);
                    zendmm_efree($h, $p);
                    unset($live[$p]);
                    $dead[] = $p;
                } else {
                    zendmm_efree($h, bad_ptr($live, $dead, $foreign));
                }
                break;
            case 8:
                $p = $live && mt_rand(0, 2) ? array_rand($live) : bad_ptr($live, $dead, $foreign);
                $len = isset($live[$p]) ? strlen($live[$p]) : 8;
                zendmm_read($h, $p, mt_rand(-1, $len + 2), mt_rand(-1, 3));
                break;
            case 9:
                $p = $live && mt_rand(0, 2) ? array_rand($live) : bad_ptr($live, $dead, $foreign);
                // the model knows only what was written: never leave a gap before $off
                $off = mt_rand(-1, isset($live[$p]) ? min(3, strlen($live[$p])) : 3);
                $data = fill(mt_rand(0, 20));
                $before = $live[$p] ?? null;
                zendmm_write($h, $p, $data, $off);
                $live[$p] = substr_replace($before, $data, $off, strlen($data));
                break;
            case 10:
                $p = zendmm_safe_emalloc($h, mt_rand(0, 3) ? mt_rand(0, 100) : PHP_INT_MAX, mt_rand(-1, 100), mt_rand(-1, 100));
                $data = fill(min(zendmm_block_info($h, $p)['size'], 4096));
                zendmm_write($h, $p, $data);
                $live[$p] = $data;
                break;
            default:
                switch (mt_rand(0, 4)) {
                    case 4: zendmm_emalloc($h, mt_rand(0, 1) ? "many" : [1]); break;
                    case 0: zendmm_set_storage($h, mt_rand(0, 5) ? $schemes[array_rand($schemes)] : 'nope'); break;
                    case 1: zendmm_set_limit($h, mt_rand(0, 3) ? mt_rand(1, 8) << 20 : mt_rand(-5, 0)); break;
                    case 2: zendmm_flush_cache($h); break;
                    default: zendmm_compact($h); break;
                }
        }
    } catch (ValueError | TypeError | ZendMM\Exception $e) {
        $errors[get_class($e)] = ($errors[get_class($e)] ?? 0) + 1;
    }
    if ($step % 50 === 0 || $step === 2999) {
        if (($problems = zendmm_check_heap($h)) !== []) {
            echo "step $step: heap damaged\n";
            print_r($problems);
            break;
        }
        foreach ($live as $p => $data) {
            if (zendmm_read($h, $p, strlen($data)) !== $data) {
                echo "step $step: block $p lost its contents\n";
                break 2;
            }
        }
    }
}
ksort($errors);
foreach ($errors as $class => $n) {
    echo $class, ": ", $n > 0 ? "some" : "none", "\n";
}
foreach (array_keys($live) as $p) {
    zendmm_efree($h, $p);
}
$s = zendmm_stats($h);
var_dump(zendmm_check_heap($h), $s['live_blocks'], zendmm_check_heap($other));
echo "done\n";
?>
--EXPECT--
TypeError: some
ValueError: some
ZendMM\MemoryLimitException: some
ZendMM\OutOfMemoryException: some
array(0) {
}
int(0)
array(0) {
}
done
