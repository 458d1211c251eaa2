// Adds up the --json summaries of fuzz runs (several processes, or several
// sessions): `node --import tsx test/fuzz/merge.ts a.json b.json [--report out.md]`.
// Prints one Markdown summary; exits 1 when the ranges of one seed overlap
// (an input counted twice) or when a run found a failure no saved regression
// covered when it began, or a crash.
import { readFileSync, writeFileSync } from 'node:fs';
import type { JsonSummary } from './fuzz';

export interface Merged {
  runs: JsonSummary[];
  ranges: string[];
  overlaps: string[];
  inputs: number;
  failingInputs: number;
  failures: Map<string, JsonSummary['failures'][number]>;
  newSignatures: Set<string>;
  hangs: number;
  crashes: number;
  cpuMs: number;
  lintCalls: number;
  /** the longest run's wall time: the processes ran side by side */
  wallMs: number;
  stageMs: Record<string, number>;
  slowest: JsonSummary['slowest'] & { seed: number };
}

export function merge(runs: JsonSummary[]): Merged {
  const m: Merged = {
    runs,
    ranges: [],
    overlaps: [],
    inputs: 0,
    failingInputs: 0,
    failures: new Map(),
    newSignatures: new Set(),
    hangs: 0,
    crashes: 0,
    cpuMs: 0,
    lintCalls: 0,
    wallMs: 0,
    stageMs: {},
    slowest: { n: -1, ms: 0, where: '', origin: '', bytes: 0, seed: 0 },
  };
  const sorted = [...runs].sort((a, b) => a.seed - b.seed || a.start - b.start);
  sorted.forEach((r, i) => {
    m.ranges.push(`seed ${r.seed}: #${r.start}…#${r.end - 1}`);
    const prev = sorted[i - 1];
    if (prev && prev.seed === r.seed && r.start < prev.end)
      m.overlaps.push(`seed ${r.seed}: #${prev.start}…#${prev.end - 1} and #${r.start}…#${r.end - 1}`);
  });
  for (const r of runs) {
    m.inputs += r.inputs;
    m.failingInputs += r.failingInputs;
    m.hangs += r.hangs.length;
    m.crashes += r.crashes.length;
    m.cpuMs += r.cpuMs;
    m.lintCalls += r.lintCalls;
    m.wallMs = Math.max(m.wallMs, r.wallMs);
    for (const [k, ms] of Object.entries(r.stageMs)) m.stageMs[k] = (m.stageMs[k] ?? 0) + ms;
    for (const s of r.newSignatures) m.newSignatures.add(s);
    for (const f of r.failures) {
      const e = m.failures.get(f.signature);
      if (e) e.count += f.count;
      else m.failures.set(f.signature, { ...f, example: f.example });
    }
    if (r.slowest.ms > m.slowest.ms) m.slowest = { ...r.slowest, seed: r.seed };
  }
  return m;
}

export function render(m: Merged): string {
  const perMin = m.inputs / Math.max(1e-9, m.wallMs / 60_000);
  const shares = Object.entries(m.stageMs)
    .map(([k, ms]) => `${k} ${((ms / Math.max(1e-9, m.cpuMs)) * 100).toFixed(0)}%`)
    .join(', ');
  const out = [
    `# Fuzz runs added up (${m.runs.length} processes)`,
    '',
    '| measure | value |',
    '|---|---|',
    `| ranges | ${m.ranges.join('; ')} |`,
    `| inputs run | ${m.inputs} |`,
    `| lint() calls | ${m.lintCalls} |`,
    `| inputs with a failure | ${m.failingInputs} |`,
    `| distinct failure signatures | ${m.failures.size} (${m.newSignatures.size} not covered by a saved regression) |`,
    `| hangs / child crashes | ${m.hangs} / ${m.crashes} |`,
    `| slowest input | seed ${m.slowest.seed} #${m.slowest.n}: ${m.slowest.ms.toFixed(1)} ms CPU in one call (${m.slowest.where}); ${m.slowest.bytes} chars |`,
    `| mean CPU per input | ${(m.cpuMs / Math.max(1, m.inputs)).toFixed(1)} ms (${shares}) |`,
    `| wall time (longest process) | ${(m.wallMs / 1000).toFixed(1)} s |`,
    `| inputs per minute, all processes | ${perMin.toFixed(0)} (${(perMin / Math.max(1, m.runs.length)).toFixed(0)} per process) |`,
    '',
  ];
  if (m.overlaps.length) out.push(`**Overlapping ranges (inputs counted twice):** ${m.overlaps.join('; ')}`, '');
  if (m.failures.size) {
    out.push('| count | first input | signature | example message |', '|---|---|---|---|');
    for (const f of [...m.failures.values()].sort((a, b) => b.count - a.count))
      out.push(
        `| ${f.count} | #${f.example} | \`${f.signature.replace(/\|/g, '\\|')}\` | ${f.failure.message.split('\n')[0].slice(0, 160).replace(/\|/g, '\\|')} |`,
      );
    out.push('');
  }
  return out.join('\n');
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const at = argv.indexOf('--report');
  const report = at >= 0 ? argv.splice(at, 2)[1] : undefined;
  if (!argv.length) {
    process.stderr.write('usage: node --import tsx test/fuzz/merge.ts a.json b.json … [--report out.md]\n');
    process.exit(2);
  }
  const m = merge(argv.map((f) => JSON.parse(readFileSync(f, 'utf8')) as JsonSummary));
  const text = render(m);
  process.stdout.write(text);
  if (report) writeFileSync(report, text);
  process.exit(m.overlaps.length || m.newSignatures.size || m.crashes ? 1 : 0);
}
