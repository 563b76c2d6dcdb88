<?php
/*
 * scripts/check-composer.php - the php-ext section of composer.json (what PIE reads) is right.
 *
 *   php scripts/check-composer.php [composer.json]
 *
 * Debian 12's composer (2.5) predates the php-ext property, so `composer
 * validate` checks the rest of the file and this checks the php-ext section
 * against the rules of PIE's schema (resources/composer-json-php-ext-schema.json
 * in php/pie) and against the build itself: the extension name is the one
 * config.m4 builds, every configure option is one config.m4 offers and every
 * option config.m4 offers is listed, and the PHP range agrees with package.xml.
 * Prints one line per problem and exits 1 if there is any.
 */
$root = dirname(__DIR__);
$file = $argv[1] ?? "$root/composer.json";
$problems = [];
$json = json_decode((string)@file_get_contents($file), true);
if (!is_array($json)) {
    fwrite(STDERR, "$file: not a JSON object\n");
    exit(1);
}
$m4 = (string)file_get_contents("$root/config.m4");

if (($json['type'] ?? null) !== 'php-ext') {
    $problems[] = 'type must be "php-ext"';
}
$ext = $json['php-ext'] ?? null;
if (!is_array($ext)) {
    $problems[] = 'no php-ext section';
    $ext = [];
}
$known = ['extension-name', 'priority', 'support-zts', 'support-nts', 'build-path',
    'override-download-url-method', 'os-families', 'os-families-exclude', 'configure-options'];
foreach (array_diff(array_keys($ext), $known) as $key) {
    $problems[] = "php-ext.$key is not a property PIE knows";
}
if (!preg_match('/PHP_NEW_EXTENSION\(\s*(\w+)/', $m4, $m)) {
    $problems[] = 'config.m4 has no PHP_NEW_EXTENSION';
} elseif (preg_replace('/^ext-/', '', (string)($ext['extension-name'] ?? '')) !== $m[1]) {
    $problems[] = "php-ext.extension-name must be \"$m[1]\" (config.m4's PHP_NEW_EXTENSION)";
}
if (isset($ext['priority']) && (!is_int($ext['priority']) || $ext['priority'] < 10 || $ext['priority'] > 99)) {
    $problems[] = 'php-ext.priority must be an integer from 10 to 99';
}
foreach (['support-zts', 'support-nts'] as $key) {
    if (isset($ext[$key]) && !is_bool($ext[$key])) {
        $problems[] = "php-ext.$key must be a boolean";
    }
}
if (isset($ext['os-families'], $ext['os-families-exclude'])) {
    $problems[] = 'php-ext.os-families and php-ext.os-families-exclude exclude each other';
}

// configure options: exactly the --enable-X / --with-X flags config.m4 declares
preg_match_all('/PHP_ARG_(ENABLE|WITH)\(\s*\[?(\w+)\]?/', $m4, $args, PREG_SET_ORDER);
$offered = [];
foreach ($args as [, $kind, $name]) {
    $offered[strtolower($kind) . '-' . $name] = $kind === 'WITH';
}
$listed = [];
foreach ($ext['configure-options'] ?? [] as $i => $opt) {
    $name = $opt['name'] ?? null;
    if (!is_string($name) || !preg_match('/^[a-zA-Z0-9][a-zA-Z0-9-_]*$/', $name)) {
        $problems[] = "php-ext.configure-options[$i].name is missing or not a flag name";
        continue;
    }
    $listed[$name] = true;
    if (isset($opt['needs-value']) && !is_bool($opt['needs-value'])) {
        $problems[] = "php-ext.configure-options[$i].needs-value must be a boolean";
    }
    if (isset($opt['description']) && !is_string($opt['description'])) {
        $problems[] = "php-ext.configure-options[$i].description must be a string";
    }
    if (!array_key_exists($name, $offered)) {
        $problems[] = "configure option --$name is not one config.m4 offers";
    }
}
foreach (array_diff_key($offered, $listed) as $name => $_) {
    $problems[] = "config.m4 offers --$name, which php-ext.configure-options does not list";
}

// the PHP range: composer's require.php (">=8.2 <8.7") and package.xml's
// <php><min>/<max> (8.2.0 to 8.6.99) name the same minor versions
$xml = @simplexml_load_file("$root/package.xml");
$min = $xml ? (string)$xml->dependencies->required->php->min : '';
$max = $xml ? (string)$xml->dependencies->required->php->max : '';
if (!preg_match('/^>=\s*(\d+)\.(\d+)\s+<\s*(\d+)\.(\d+)$/', (string)($json['require']['php'] ?? ''), $req)) {
    $problems[] = 'require.php must be a range of minor versions (">=8.2 <8.7")';
} else {
    if ($min === '' || !str_starts_with($min, "$req[1].$req[2].")) {
        $problems[] = "require.php (>=$req[1].$req[2]) and package.xml's <php><min> ($min) disagree";
    }
    $last = $req[3] . '.' . ((int)$req[4] - 1);
    if ((int)$req[4] === 0 || $max !== "$last.99") {
        $problems[] = "require.php (<$req[3].$req[4]) and package.xml's <php><max> ($max) disagree (want $last.99)";
    }
}

foreach ($problems as $p) {
    echo "composer.json: $p\n";
}
if ($problems) {
    exit(1);
}
echo "composer.json: php-ext section matches PIE's schema and config.m4 (", count($listed), " configure option",
    count($listed) === 1 ? '' : 's', ")\n";
