<?php
/*
 * objects.php - object-graph churn: trees built and torn down, linked lists,
 * cyclic graphs collected by the GC, clones, SplObjectStorage, ArrayObject
 * and dynamic property bags.
 */
declare(strict_types=1);
require __DIR__ . '/_common.php';

final class TreeNode
{
    public array $children = [];
    public ?TreeNode $parent = null;
    public function __construct(public int $value, public string $label) {}
}

final class ListNode
{
    public ?ListNode $next = null;
    public function __construct(public array $payload) {}
}

function build_tree(int $depth, int $fan, int &$seq, ?TreeNode $parent = null): TreeNode
{
    $n = new TreeNode($seq++, 'n' . $seq);
    $n->parent = $parent;            /* a cycle with every child */
    if ($depth > 0) {
        for ($i = 0; $i < $fan; $i++) {
            $n->children[] = build_tree($depth - 1, $fan, $seq, $n);
        }
    }
    return $n;
}

function tree_sum(TreeNode $n): int
{
    $s = $n->value;
    foreach ($n->children as $c) {
        $s += tree_sum($c);
    }
    return $s;
}

mt_srand(9);
$digest = '';
$collected = 0;
for ($round = 0; $round < 12; $round++) {
    $seq = 0;
    $tree = build_tree(6, 4, $seq);
    $sum = tree_sum($tree);
    $copy = clone $tree;
    $copy->children = array_map(fn ($c) => clone $c, $copy->children);
    unset($tree, $copy);
    $collected += gc_collect_cycles();

    /* a linked list, reversed, then dropped */
    $head = null;
    for ($i = 0; $i < 8000; $i++) {
        $node = new ListNode(['i' => $i, 's' => str_repeat('x', $i % 50)]);
        $node->next = $head;
        $head = $node;
    }
    $prev = null;
    while ($head) {
        $next = $head->next;
        $head->next = $prev;
        $prev = $head;
        $head = $next;
    }
    $first = $prev->payload['i'];
    unset($prev, $node, $next);

    /* object maps and bags */
    $store = new SplObjectStorage();
    $objs = [];
    for ($i = 0; $i < 4000; $i++) {
        $o = new stdClass();
        $o->id = $i;
        $o->{'p' . ($i % 7)} = mt_rand();
        $objs[] = $o;
        $store[$o] = ['seen' => $i];
    }
    for ($i = 0; $i < 4000; $i += 3) {
        $store->detach($objs[$i]);
    }
    $ao = new ArrayObject(array_map(fn ($o) => (array)$o, $objs));
    $ao->uasort(fn ($a, $b) => $b['id'] <=> $a['id']);
    $digest = md5($digest . $sum . $first . count($store) . json_encode(array_slice($ao->getArrayCopy(), 0, 10)));
    unset($store, $objs, $ao, $o);
}
workload_result('objects', $digest, ['collected' => $collected]);
