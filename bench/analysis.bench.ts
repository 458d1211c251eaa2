// Per-document analysis time: cachelens lint() vs dockerfile-language-service's
// validate() on the same corpus files, same process, interleaved rounds; the
// result is a ratio (machines here are shared and noisy).
// Usage: node bench/bundled.mjs bench/analysis.bench.ts [corpus-dir] [rounds] [--out FILE]
// (bundled like the shipped server; `node --import tsx` runs it from source too)
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { DockerfileLanguageServiceFactory } from 'dockerfile-language-service';
import { lint } from '../server/src/engine/lint';
import { parseDockerfile } from '../server/src/parse/dockerfile';
import { median } from './util';

const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--out');
const corpus = resolve(
  positional[0] ??
    join(process.env.CACHELENS_SHARED ?? join(process.cwd(), '..', 'shared'), 'corpus', 'real-dockerfiles'),
);
const rounds = Number(positional[1] ?? 7);
const texts = readdirSync(corpus)
  .filter((f) => !f.endsWith('.dockerignore') && !f.endsWith('.tsv') && !f.endsWith('.md'))
  .map((f) => readFileSync(join(corpus, f), 'utf8'));
const service = DockerfileLanguageServiceFactory.createLanguageService();

// CPU time of this process, in ms: on a shared machine another process taking
// the core inflates wall time but not the CPU time the work itself needs.
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const CHUNK = 20;
const chunks: string[][] = [];
for (let i = 0; i < texts.length; i += CHUNK) chunks.push(texts.slice(i, i + CHUNK));
function timeOurs(chunk: string[]): number {
  const t = cpu();
  for (const text of chunk) lint({ path: '/corpus/Dockerfile', text });
  return cpu() - t;
}
function timeBaseline(chunk: string[]): number {
  const t = cpu();
  for (const text of chunk) service.validate(text);
  return cpu() - t;
}
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];

for (const chunk of chunks) {
  timeOurs(chunk);
  timeBaseline(chunk);
}
const ours: number[] = [];
const base: number[] = [];
const ratios: number[] = [];
// Interleaved finely (20 documents at a time, alternating which side goes
// first) so that both sides see the same machine load.
for (let i = 0; i < rounds; i++) {
  let o = 0;
  let b = 0;
  chunks.forEach((chunk, k) => {
    if ((i + k) % 2) {
      b += timeBaseline(chunk);
      o += timeOurs(chunk);
    } else {
      o += timeOurs(chunk);
      b += timeBaseline(chunk);
    }
  });
  ours.push(o);
  base.push(b);
  ratios.push(o / b);
}
// one long file at three sizes: the cost per instruction should stay flat (linear growth)
const longFile = (n: number) =>
  'FROM node:20\nWORKDIR /app\n' +
  Array.from({ length: n }, (_, i) => (i % 50 === 0 ? 'COPY . .\nRUN npm ci\n' : `RUN echo step ${i}\n`)).join('');
const sizes = [1250, 2500, 5000, 10000].map((n) => {
  const text = longFile(n);
  // the same text again would reuse the last model (parseDockerfile): parsed afresh each run, as validate() does
  const fresh = () => lint({ path: '/big/Dockerfile', text, model: parseDockerfile(text, { reuse: false }) });
  fresh();
  service.validate(text);
  const runs: { ours: number; base: number }[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = cpu();
    fresh();
    const t1 = cpu();
    service.validate(text);
    runs.push({ ours: t1 - t0, base: cpu() - t1 });
  }
  return { n, ours: median(runs.map((r) => r.ours)), base: median(runs.map((r) => r.base)) };
});

const n = texts.length;
const lines = [
  '# Analysis per document vs dockerfile-language-service validate()',
  '',
  'Command: `node bench/bundled.mjs bench/analysis.bench.ts [corpus-dir] [rounds] [--out bench/results/analysis.md]` (the bench is bundled with esbuild as the shipped server is; from source under tsx, which wraps every function, our side is about 10 % slower)',
  '',
  `Run ${new Date().toISOString()}, Node ${process.version}, load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(
      ' / ',
    )}. Both run in the same process, interleaved 20 documents at a time in alternating order, after a warm-up round, timed as process CPU time; every rule is on, no build context (validate() has none either).`,
  '',
  '| measure | cachelens lint() | dockerfile-language-service validate() | ratio |',
  '|---|---|---|---|',
  `| ${n} corpus files, per document, median of ${rounds} rounds (ratio: median of the per-round ratios, quartiles ${quantile(ratios, 0.25).toFixed(2)}–${quantile(ratios, 0.75).toFixed(2)}) | ${(median(ours) / n).toFixed(3)} ms | ${(median(base) / n).toFixed(3)} ms | ${median(ratios).toFixed(2)}× |`,
  ...sizes.map(
    (z) =>
      `| one ${z.n.toLocaleString('en-US')}-instruction Dockerfile (median of 5 runs; per instruction: ${((1000 * z.ours) / z.n).toFixed(1)} µs vs ${((1000 * z.base) / z.n).toFixed(1)} µs) | ${z.ours.toFixed(1)} ms | ${z.base.toFixed(1)} ms | ${(z.ours / z.base).toFixed(2)}× |`,
  ),
];
console.log(lines.join('\n'));
const out = process.argv.indexOf('--out');
if (out > 0) writeFileSync(process.argv[out + 1], lines.join('\n') + '\n');
