<?php
/*
 * strings.php - string building: concatenation in loops, sprintf,
 * implode/explode, str_replace, strtr templating, regex callbacks,
 * JSON and serialize round trips, and a growing CSV buffer.
 */
declare(strict_types=1);
require __DIR__ . '/_common.php';

mt_srand(5);
$words = explode(' ', 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor '
    . 'incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation');
$nw = count($words);
$digest = '';

/* a document built by appending */
$doc = '';
for ($i = 0; $i < 60000; $i++) {
    $doc .= $words[mt_rand(0, $nw - 1)];
    $doc .= $i % 17 === 16 ? ".\n" : ' ';
}
$digest = md5($digest . $doc);

/* lines, templated */
$tpl = '<li id="{id}" class="{cls}">{text} ({len})</li>';
$html = [];
foreach (explode("\n", $doc) as $i => $line) {
    $html[] = strtr($tpl, ['{id}' => "l$i", '{cls}' => $i % 2 ? 'odd' : 'even',
        '{text}' => htmlspecialchars(ucfirst(trim($line))), '{len}' => (string)strlen($line)]);
}
$page = "<ul>\n" . implode("\n", $html) . "\n</ul>";
$digest = md5($digest . $page);

/* regex rewriting */
$camel = preg_replace_callback('/\b([a-z])([a-z]+) ([a-z])/', fn ($m) => strtoupper($m[1]) . $m[2] . strtoupper($m[3]), $doc);
$counts = [];
preg_match_all('/\b\w+\b/', $camel, $m);
foreach ($m[0] as $w) {
    $counts[strtolower($w)] = ($counts[strtolower($w)] ?? 0) + 1;
}
ksort($counts);
$digest = md5($digest . $camel . serialize($counts));

/* sprintf and number formatting into a CSV buffer */
$csv = '';
for ($i = 0; $i < 30000; $i++) {
    $csv .= sprintf("%06d,%s,%.3f,%s\n", $i, str_pad(dechex($i * 7919), 8, '0', STR_PAD_LEFT),
        $i / 7, $words[$i % $nw] . '-' . $words[($i * 3) % $nw]);
}
$rows = array_map(fn ($l) => str_getcsv($l), explode("\n", rtrim($csv)));
$digest = md5($digest . $csv . count($rows));

/* JSON and serialize round trips of string-heavy structures */
for ($round = 0; $round < 30; $round++) {
    $data = [];
    for ($i = 0; $i < 300; $i++) {
        $data["key_{$round}_$i"] = ['title' => ucwords(implode(' ', array_slice($words, $i % 10, 5))),
            'body' => str_repeat($words[$i % $nw] . ' ', $i % 40), 'n' => $i];
    }
    $json = json_encode($data);
    $back = json_decode($json, true);
    $ser = serialize($back);
    $digest = md5($digest . $json . strlen($ser) . str_replace(['a', 'e'], ['4', '3'], substr($ser, 0, 2000)));
}
workload_result('strings', $digest, ['doc' => strlen($doc), 'csv' => strlen($csv)]);
