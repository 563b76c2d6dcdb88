<?php
/*
 * arrays.php - array- and sort-heavy work: build records, sort them several
 * ways, group, filter, map, merge, slice, unique and multisort.
 */
declare(strict_types=1);
require __DIR__ . '/_common.php';

mt_srand(11);
$cities = ['Oslo', 'Lima', 'Pune', 'Kyiv', 'Baku', 'Riga', 'Doha', 'Bern', 'Rome', 'Nice'];
$records = [];
for ($i = 0; $i < 12000; $i++) {
    $records[] = [
        'id' => $i,
        'city' => $cities[mt_rand(0, 9)],
        'age' => mt_rand(18, 90),
        'score' => mt_rand(0, 1000000) / 1000,
        'tags' => array_slice(['a', 'b', 'c', 'd', 'e', 'f'], 0, mt_rand(0, 6)),
    ];
}
$digest = '';

for ($round = 0; $round < 2; $round++) {
    $byScore = $records;
    usort($byScore, fn ($a, $b) => $b['score'] <=> $a['score'] ?: $a['id'] <=> $b['id']);
    $byCityAge = $records;
    usort($byCityAge, fn ($a, $b) => [$a['city'], $a['age'], $a['id']] <=> [$b['city'], $b['age'], $b['id']]);

    $groups = [];
    foreach ($records as $r) {
        $groups[$r['city']][] = $r;
    }
    ksort($groups);
    $stats = [];
    foreach ($groups as $city => $rs) {
        $ages = array_column($rs, 'age');
        sort($ages);
        $scores = array_map(fn ($r) => $r['score'], $rs);
        rsort($scores);
        $stats[$city] = [
            'n' => count($rs),
            'median_age' => $ages[intdiv(count($ages), 2)],
            'top' => array_slice($scores, 0, 5),
            'tags' => array_count_values(array_merge(...array_column($rs, 'tags'))),
        ];
        ksort($stats[$city]['tags']);
    }

    $old = array_filter($records, fn ($r) => $r['age'] > 70);
    $ids = array_keys($old);
    shuffle($ids);
    $set = array_flip($ids);
    $uniq = array_unique(array_map(fn ($r) => $r['city'] . ':' . $r['age'], $records));
    sort($uniq, SORT_STRING);

    $ages = array_column($records, 'age');
    $scores = array_column($records, 'score');
    $idx = range(0, count($records) - 1);
    array_multisort($ages, SORT_ASC, $scores, SORT_DESC, $idx);

    $chunks = array_chunk($idx, 1000);
    $sums = array_map('array_sum', $chunks);

    $digest = md5($digest . json_encode([array_slice($byScore, 0, 20), array_slice($byCityAge, 0, 20), $stats,
        count($set), array_slice($uniq, 0, 50), array_slice($idx, 0, 100), $sums]));
    foreach ($records as &$r) {
        $r['score'] = round($r['score'] * 1.01, 3);
    }
    unset($r);
}
workload_result('arrays', $digest, ['records' => count($records)]);
