// Per-document analysis time: cachelens lint() vs dockerfile-language-service's
// validate() on the same corpus files, same process, interleaved rounds; the
// result is a ratio (machines here are shared and noisy).
// Usage: node --import tsx bench/analysis.bench.ts [corpus-dir] [rounds]
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DockerfileLanguageServiceFactory } from 'dockerfile-language-service';
import { lint } from '../server/src/engine/lint';

const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--out');
const corpus = resolve(positional[0] ?? join(process.env.CACHELENS_SHARED ?? join(__dirname, '..', '..', 'shared'), 'corpus', 'real-dockerfiles'));
const rounds = Number(positional[1] ?? 7);
const texts = readdirSync(corpus)
  .filter((f) => !f.endsWith('.dockerignore') && !f.endsWith('.tsv') && !f.endsWith('.md'))
  .map((f) => readFileSync(join(corpus, f), 'utf8'));
const service = DockerfileLanguageServiceFactory.createLanguageService();

function timeOurs(): number {
  const t = performance.now();
  for (const text of texts) lint({ path: '/corpus/Dockerfile', text });
  return performance.now() - t;
}
function timeBaseline(): number {
  const t = performance.now();
  for (const text of texts) service.validate(text);
  return performance.now() - t;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

timeOurs();
timeBaseline();
const ours: number[] = [];
const base: number[] = [];
for (let i = 0; i < rounds; i++) {
  ours.push(timeOurs());
  base.push(timeBaseline());
}
const big = 'FROM node:20\nWORKDIR /app\n' + Array.from({ length: 5000 }, (_, i) => (i % 50 === 0 ? 'COPY . .\nRUN npm ci\n' : `RUN echo step ${i}\n`)).join('');
const t0 = performance.now();
lint({ path: '/big/Dockerfile', text: big });
const bigOurs = performance.now() - t0;
const t1 = performance.now();
service.validate(big);
const bigBase = performance.now() - t1;

const n = texts.length;
const lines = [
  '# Analysis per document vs dockerfile-language-service validate()',
  '',
  'Command: `node --import tsx bench/analysis.bench.ts [corpus-dir] [rounds] [--out bench/results/analysis.md]`',
  '',
  `Run ${new Date().toISOString()}, Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(1)).join(' / ')}. Both run in the same process, interleaved, after a warm-up round; every rule is on, no build context (validate() has none either).`,
  '',
  '| measure | cachelens lint() | dockerfile-language-service validate() | ratio |',
  '|---|---|---|---|',
  `| ${n} corpus files, median of ${rounds} rounds, per document | ${(median(ours) / n).toFixed(3)} ms | ${(median(base) / n).toFixed(3)} ms | ${(median(ours) / median(base)).toFixed(2)}× |`,
  `| one 5,000-instruction Dockerfile (single run) | ${bigOurs.toFixed(1)} ms | ${bigBase.toFixed(1)} ms | ${(bigOurs / bigBase).toFixed(2)}× |`,
];
console.log(lines.join('\n'));
const out = process.argv.indexOf('--out');
if (out > 0) writeFileSync(process.argv[out + 1], lines.join('\n') + '\n');
