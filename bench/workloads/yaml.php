<?php
/*
 * yaml.php - Symfony YAML (Debian php-symfony-yaml) dumps a large nested
 * configuration, parses it back, and round-trips a few smaller documents.
 */
declare(strict_types=1);
require __DIR__ . '/_common.php';
workload_require('/usr/share/php/Symfony/Component/Yaml/autoload.php', 'php-symfony-yaml');

use Symfony\Component\Yaml\Yaml;

mt_srand(7);
function make_service(int $i): array
{
    $args = [];
    for ($j = mt_rand(0, 5); $j > 0; $j--) {
        $args[] = mt_rand(0, 3) ? '@service_' . mt_rand(0, 999) : '%param_' . mt_rand(0, 99) . '%';
    }
    $tags = [];
    for ($j = mt_rand(0, 3); $j > 0; $j--) {
        $tags[] = ['name' => 'tag.' . mt_rand(1, 20), 'priority' => mt_rand(-10, 10)];
    }
    return [
        'class' => 'App\\Service\\Service' . $i,
        'public' => (bool)($i % 2),
        'arguments' => $args,
        'tags' => $tags,
        'calls' => $i % 4 ? [] : [['setLogger', ['@logger']], ['setOption', ['x' . $i, $i * 1.5]]],
        'description' => "Service number $i: handles requests of kind " . ($i % 13) . "\nsecond line",
    ];
}

$config = ['parameters' => [], 'services' => []];
for ($i = 0; $i < 100; $i++) {
    $config['parameters']['param_' . $i] = $i % 3 ? "value $i" : $i * 3.25;
}
for ($i = 0; $i < 600; $i++) {
    $config['services']['service_' . $i] = make_service($i);
}

$digest = '';
$bytes = 0;
for ($round = 0; $round < 2; $round++) {
    $yaml = Yaml::dump($config, 6, 2, Yaml::DUMP_MULTI_LINE_LITERAL_BLOCK);
    $back = Yaml::parse($yaml);
    if ($back != $config) {
        fwrite(STDERR, "yaml: round trip differs\n");
        exit(1);
    }
    $digest = md5($digest . $yaml);
    $bytes += strlen($yaml);
    $config['services']['service_' . $round] = make_service(5000 + $round);
}
/* many small documents: inline and flow styles */
for ($i = 0; $i < 1000; $i++) {
    $doc = Yaml::dump(['id' => $i, 'list' => range(0, $i % 20), 'map' => ['a' => $i, 'b' => "s$i"]], 1);
    $digest = md5($digest . serialize(Yaml::parse($doc)));
}
workload_result('yaml', $digest, ['bytes' => $bytes]);
