<?php
/*
 * console.php - Symfony Console (Debian php-symfony-console) runs an
 * application command that formats a large styled table, a listing and a
 * progress bar into a buffered output.
 */
declare(strict_types=1);
require __DIR__ . '/_common.php';
workload_require('/usr/share/php/Symfony/Component/Console/autoload.php', 'php-symfony-console');

use Symfony\Component\Console\Application;
use Symfony\Component\Console\Command\Command;
use Symfony\Component\Console\Helper\ProgressBar;
use Symfony\Component\Console\Helper\Table;
use Symfony\Component\Console\Helper\TableSeparator;
use Symfony\Component\Console\Input\ArrayInput;
use Symfony\Component\Console\Input\InputInterface;
use Symfony\Component\Console\Input\InputOption;
use Symfony\Component\Console\Output\BufferedOutput;
use Symfony\Component\Console\Output\OutputInterface;
use Symfony\Component\Console\Style\SymfonyStyle;

class ReportCommand extends Command
{
    protected static $defaultName = 'app:report';

    protected function configure(): void
    {
        $this->addOption('rows', null, InputOption::VALUE_REQUIRED, 'rows', '800');
    }

    protected function execute(InputInterface $input, OutputInterface $output): int
    {
        $io = new SymfonyStyle($input, $output);
        $io->title('Inventory report');
        mt_srand(3);
        $n = (int)$input->getOption('rows');
        $table = new Table($output);
        $table->setHeaders(['#', 'Item', 'Qty', 'Price', 'Status']);
        for ($i = 0; $i < $n; $i++) {
            if ($i && $i % 50 === 0) {
                $table->addRow(new TableSeparator());
            }
            $status = ['<info>ok</info>', '<comment>low</comment>', '<error>out</error>'][mt_rand(0, 2)];
            $table->addRow([$i, 'item-' . dechex($i * 2654435761 % 0xFFFFFF), mt_rand(0, 500),
                sprintf('%.2f', mt_rand(1, 99999) / 100), $status]);
        }
        $table->render();
        $bar = new ProgressBar($output, $n);
        $bar->setFormat('very_verbose');
        for ($i = 0; $i < $n; $i++) {
            $bar->advance();
        }
        $bar->finish();
        $io->listing(array_map(fn ($i) => "note <fg=cyan>$i</>: " . str_repeat('x', $i % 30), range(1, 300)));
        $io->success('done');
        return Command::SUCCESS;
    }
}

$app = new Application('bench', '1.0');
$app->setAutoExit(false);
$app->add(new ReportCommand());
$digest = '';
$bytes = 0;
for ($round = 0; $round < 3; $round++) {
    $out = new BufferedOutput(OutputInterface::VERBOSITY_NORMAL, true);
    $app->run(new ArrayInput(['command' => 'app:report', '--rows' => '800']), $out);
    $text = $out->fetch();
    $digest = md5($digest . $text);
    $bytes += strlen($text);
}
workload_result('console', $digest, ['bytes' => $bytes]);
