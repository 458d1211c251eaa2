const chalk = require('chalk');
const { Command } = require('commander');
const { formatISO } = require('date-fns');
const YAML = require('yaml');

const title = 'node-yarn-classic v1'; // BENCH-EDIT: the benchmark edits this line

new Command('report')
  .option('--yaml', 'print YAML instead of text')
  .action((opts) => {
    const report = { title, at: formatISO(new Date()) };
    console.log(opts.yaml ? YAML.stringify(report) : chalk.bold(`${report.title} @ ${report.at}`));
  })
  .parse();
