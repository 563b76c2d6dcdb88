--TEST--
zendmm_heap_map(): thousands of blocks in many segments; runs narrower than a pixel are merged in the SVG, and every block is still accounted for
--EXTENSIONS--
dom
--FILE--
<?php
$h = zendmm_heap_create(['use_zend_alloc' => true, 'cache' => true, 'limit' => -1]);
$p = [];
for ($i = 0; $i < 30000; $i++) {
    $p[] = zendmm_emalloc($h, $i % 7 ? 16 + ($i % 5) * 8 : 300 + $i % 900);
}
for ($i = 0; $i < 30000; $i += 3) {
    zendmm_efree($h, $p[$i]);
}
$segments = zendmm_segments($h);
$blocks = array_sum(array_map(fn($s) => count($s['blocks']), $segments));
echo count($segments) > 10 ? "many segments\n" : "few segments\n";
echo $blocks > 20000 ? "thousands of blocks\n" : "few blocks\n";

$svg = zendmm_heap_map($h, 'svg');
$doc = new DOMDocument();
var_dump($doc->loadXML($svg, LIBXML_PARSEHUGE));
$xp = new DOMXPath($doc);
$xp->registerNamespace('s', 'http://www.w3.org/2000/svg');
var_dump($xp->query('//s:g[@class="segment"]')->length === count($segments));
$single = $xp->query('//s:g[@class="blocks"]/s:rect[not(starts-with(@class, "agg "))]')->length;
$agg = $xp->query('//s:g[@class="blocks"]/s:rect[starts-with(@class, "agg ")]');
$merged = 0;
foreach ($agg as $r) {
    $merged += (int)$r->getElementsByTagName('title')->item(0)->textContent;   // "N blocks narrower than a pixel, ..."
}
echo $agg->length > 100 ? "aggregated rects\n" : "no aggregation\n";
var_dump($single + $merged === $blocks);
var_dump($single + $agg->length < $blocks / 2);
// every merged rect carries a state class
$classes = [];
foreach ($agg as $r) {
    $classes[explode(' ', $r->getAttribute('class'))[1]] = true;
}
var_dump(array_diff(array_keys($classes), ['used', 'cached', 'free', 'large', 'rest', 'reserve', 'guard']) === []);
echo str_contains($svg, 'Shorter bars: ') ? "the legend says so\n" : "the legend is silent\n";
// the text map stays 80 columns wide, one line per segment
$text = zendmm_heap_map($h);
$lines = array_filter(explode("\n", $text), fn($l) => str_ends_with($l, '|'));
var_dump(count($lines) === count($segments), array_values(array_unique(array_map('strlen', $lines))) === [80]);
var_dump(json_decode(zendmm_heap_map($h, 'json'), true)['segments'] === $segments);
?>
--EXPECT--
many segments
thousands of blocks
bool(true)
bool(true)
aggregated rects
bool(true)
bool(true)
bool(true)
the legend says so
bool(true)
bool(true)
bool(true)
