<?php
/*
 * twig.php - Twig (Debian php-twig) compiles templates with inheritance,
 * macros, loops and filters, and renders a 1500-row report three times.
 */
declare(strict_types=1);
require __DIR__ . '/_common.php';
workload_require('/usr/share/php/Twig/autoload.php', 'php-twig');

$templates = [
    'base.html' => <<<'TWIG'
<!DOCTYPE html>
<html><head><title>{% block title %}Report{% endblock %}</title></head>
<body>
{% block body %}{% endblock %}
<footer>{{ footer|default('generated')|upper }}</footer>
</body></html>
TWIG,
    'macros.html' => <<<'TWIG'
{% macro money(v, cur) %}{{ cur }} {{ v|number_format(2, '.', ',') }}{% endmacro %}
{% macro badge(s) %}<span class="badge badge-{{ s|lower|replace({' ': '-'}) }}">{{ s|title }}</span>{% endmacro %}
TWIG,
    'report.html' => <<<'TWIG'
{% extends 'base.html' %}
{% import 'macros.html' as m %}
{% block title %}{{ title }} &mdash; {{ rows|length }} rows{% endblock %}
{% block body %}
<h1>{{ title|e }}</h1>
<table>
{% for group, items in rows|batch(25) %}
  <tbody id="g{{ loop.index }}">
  {% for r in items %}
    <tr class="{{ cycle(['odd', 'even'], loop.index0) }}{% if r.flag %} flagged{% endif %}">
      <td>{{ r.id }}</td>
      <td>{{ r.name|capitalize }}</td>
      <td>{{ m.money(r.amount, r.currency) }}</td>
      <td>{{ m.badge(r.status) }}</td>
      <td>{{ r.tags|sort|join(', ') }}</td>
      <td>{{ r.note|striptags|slice(0, 40) }}{% if r.note|length > 40 %}&hellip;{% endif %}</td>
      <td>{% for k, v in r.attrs %}{{ k }}={{ v }}{% if not loop.last %}; {% endif %}{% endfor %}</td>
    </tr>
  {% endfor %}
  </tbody>
{% endfor %}
</table>
<p>Total: {{ m.money(total, 'EUR') }}; statuses: {% for s, n in statuses %}{{ s }} {{ n }}{{ loop.last ? '' : ', ' }}{% endfor %}</p>
{% endblock %}
TWIG,
];

mt_srand(42);
$words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima'];
$statuses = ['open', 'in progress', 'closed', 'on hold', 'rejected'];
$rows = [];
$total = 0.0;
$count = [];
for ($i = 0; $i < 1500; $i++) {
    $tags = [];
    for ($j = mt_rand(1, 5); $j > 0; $j--) {
        $tags[] = $words[mt_rand(0, count($words) - 1)];
    }
    $attrs = [];
    for ($j = mt_rand(0, 4); $j > 0; $j--) {
        $attrs['k' . mt_rand(1, 9)] = mt_rand(1, 1000);
    }
    $status = $statuses[mt_rand(0, count($statuses) - 1)];
    $amount = mt_rand(100, 10000000) / 100;
    $total += $amount;
    $count[$status] = ($count[$status] ?? 0) + 1;
    $rows[] = [
        'id' => $i,
        'name' => $words[$i % count($words)] . ' ' . $words[($i * 7) % count($words)],
        'amount' => $amount,
        'currency' => $i % 3 ? 'EUR' : 'USD',
        'status' => $status,
        'tags' => $tags,
        'note' => '<b>' . str_repeat($words[$i % 5] . ' ', mt_rand(1, 12)) . '</b>',
        'attrs' => $attrs,
        'flag' => $i % 11 === 0,
    ];
}
ksort($count);

$twig = new Twig\Environment(new Twig\Loader\ArrayLoader($templates), ['cache' => false, 'autoescape' => 'html']);
$digest = '';
$len = 0;
for ($round = 0; $round < 3; $round++) {
    $html = $twig->render('report.html', ['title' => "Quarterly <report> $round", 'rows' => $rows,
        'total' => $total, 'statuses' => $count, 'footer' => 'zendmm bench']);
    $digest = md5($digest . $html);
    $len += strlen($html);
}
workload_result('twig', $digest, ['bytes' => $len]);
