--TEST--
zendmm_heap_map($heap, 'svg'): well-formed XML, one rect per block in segment order, the right class per state, titles, bitmaps
--EXTENSIONS--
dom
simplexml
--FILE--
<?php
$h = zendmm_heap_create(['use_zend_alloc' => true, 'storage' => 'malloc', 'segment_size' => 4096, 'cache' => true]);
$a = [];
for ($i = 0; $i < 10; $i++) {
    $a[] = zendmm_emalloc($h, 100);
}
zendmm_efree($h, $a[1]);
zendmm_efree($h, $a[3]);
zendmm_efree($h, $a[5]);
zendmm_flush_cache($h);
zendmm_efree($h, $a[7]);
$big = zendmm_emalloc($h, 3000);
$huge = zendmm_emalloc($h, 20000);   // more than a segment: a segment of its own, with a rest block

$svg = zendmm_heap_map($h, 'svg');
$doc = new DOMDocument();
var_dump($doc->loadXML($svg));
echo $doc->documentElement->localName, ' ', $doc->documentElement->namespaceURI, "\n";
$xp = new DOMXPath($doc);
$xp->registerNamespace('s', 'http://www.w3.org/2000/svg');

$segments = zendmm_segments($h);
$rows = $xp->query('//s:g[@class="segment"]');
echo count($segments), ' segments, ', $rows->length, " rows\n";
$all_match = true;
$states = [];
foreach ($segments as $i => $seg) {
    $rects = $xp->query('s:g[@class="blocks"]/s:rect', $rows->item($i));
    $classes = [];
    foreach ($rects as $r) {
        $classes[] = $r->getAttribute('class');
    }
    $want = array_column($seg['blocks'], 'state');
    if ($classes !== $want) {
        $all_match = false;
        echo "row $i: ", implode(' ', $classes), "\n   want: ", implode(' ', $want), "\n";
    }
    foreach ($want as $s) {
        $states[$s] = ($states[$s] ?? 0) + 1;
    }
    // the hover titles start with the block's address
    foreach ($rects as $k => $r) {
        $title = $r->getElementsByTagName('title')->item(0)->textContent;
        if (!str_starts_with($title, sprintf('0x%x ', $seg['blocks'][$k]['address']))) {
            $all_match = false;
            echo "bad title: $title\n";
        }
    }
}
echo "one rect per block, class = state, in address order: ", var_export($all_match, true), "\n";
ksort($states);
foreach ($states as $s => $n) {
    echo "$s: $n block(s), ", $xp->query("//s:g[@class='blocks']/s:rect[@class='$s']")->length, " rect(s)\n";
}
echo "aggregated: ", $xp->query('//s:rect[starts-with(@class, "agg ")]')->length, "\n";
echo "legend swatches: ", $xp->query('//s:g[@class="legend"]/s:rect')->length, "\n";
$bits = zendmm_buckets($h);
$on = $xp->query('//s:g[@class="free_bitmap"]/s:rect[@class="bit on"]')->length;
$on_l = $xp->query('//s:g[@class="large_free_bitmap"]/s:rect[@class="bit on"]')->length;
echo "free bits: $on of ", $xp->query('//s:g[@class="free_bitmap"]/s:rect')->length,
    ", popcount ", substr_count(decbin($bits['free_bitmap']), '1'), "\n";
echo "large bits: $on_l, popcount ", substr_count(decbin($bits['large_free_bitmap']), '1'), "\n";
$b = zendmm_block_info($h, $big);
$title = sprintf('0x%x (+16): used, 3016 bytes (requested 3000), large, trie 11', $b['address']);
echo "title of the 3000-byte block: ", var_export($xp->query("//s:title[text()='$title']")->length, true), "\n";
echo "width ", $doc->documentElement->getAttribute('width'), "; width 600: ",
    (new SimpleXMLElement(zendmm_heap_map($h, 'svg', 600)))['width'], "\n";
?>
--EXPECT--
bool(true)
svg http://www.w3.org/2000/svg
4 segments, 4 rows
one rect per block, class = state, in address order: true
cached: 1 block(s), 1 rect(s)
free: 3 block(s), 3 rect(s)
guard: 4 block(s), 4 rect(s)
large: 2 block(s), 2 rect(s)
reserve: 1 block(s), 1 rect(s)
rest: 2 block(s), 2 rect(s)
used: 8 block(s), 8 rect(s)
aggregated: 0
legend swatches: 7
free bits: 1 of 64, popcount 1
large bits: 2, popcount 2
title of the 3000-byte block: 1
width 1200; width 600: 600
