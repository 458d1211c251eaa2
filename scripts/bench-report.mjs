// Assembles docs/benchmarks.md from the result files the benchmarks write to
// bench/results/. Run the benchmarks first (their commands are in each section).
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, 'bench', 'results');
const order = [
  'sidebyside',
  'typing-gap',
  'protocol-floor',
  'realprojects-typing',
  'footprint',
  'analysis',
  'lsp',
  'matcher',
  'index',
  'context-rules',
  'realbuild',
  'replay',
  'fuzz',
  'fuzz-long',
  'timings',
];
const files = readdirSync(results)
  .filter((f) => f.endsWith('.md'))
  .sort((a, b) => (order.indexOf(a.slice(0, -3)) + 1 || 99) - (order.indexOf(b.slice(0, -3)) + 1 || 99));
const summary = existsSync(join(root, 'bench', 'summary.md'))
  ? readFileSync(join(root, 'bench', 'summary.md'), 'utf8')
  : '';
const body = files.map((f) => readFileSync(join(results, f), 'utf8').trim().replace(/^# /, '## ')).join('\n\n');
writeFileSync(
  join(root, 'docs', 'benchmarks.md'),
  `# Benchmarks\n\n<!-- Assembled by \`node scripts/bench-report.mjs\` from bench/summary.md and bench/results/*.md. -->\n\n${summary.trim()}\n\n${body}\n`,
);
console.log(`docs/benchmarks.md: ${files.length} sections`);
