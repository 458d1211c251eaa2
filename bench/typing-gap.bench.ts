// The analysis alone, as a typist drives it: per text, the CPU of cachelens'
// Session analysis (the server's, with the workspace's build contexts) and of
// dockerfile-language-service's validate() (what Docker's language server runs
// per edit), on the side-by-side benchmark's typing sequence (open, then 5
// characters typed at the end of the middle RUN/COPY line), interleaved text by
// text, with the main thread asleep for GAP ms before each text as between two
// keystrokes. No LSP: this is the share of a keystroke that each server's own
// analysis costs, and how much more it costs after a pause than back to back
// (caches and clocks cool down while the thread sleeps, on both sides). A third
// side runs cachelens' analysis with every rule off: what the parse, the cache
// model and the build contexts cost without the rules.
// --wait spin: the main thread spins on the clock through each pause instead of
// sleeping (it stays on the CPU and touches almost no memory): if a pause still
// makes the analysis dearer, it is not the CPU's idle states or clock but what
// the rest of the machine evicts from the caches meanwhile.
//   node bench/bundled.mjs bench/typing-gap.bench.ts WORKSPACE FILE... [--gaps 0,35] [--reps 40] [--warm 20] [--wait sleep|spin] [--out FILE]
// e.g. node bench/bundled.mjs bench/typing-gap.bench.ts examples examples/*/Dockerfile --out bench/results/typing-gap.md
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import * as path from 'node:path';
import { DockerfileLanguageServiceFactory } from 'dockerfile-language-service';
import { Session } from '../server/src/engine/session';
import { RULES } from '../server/src/rules/registry';
import { arg, median, pause, typedTexts, workspaceAndFiles } from './util';

const { root, files } = workspaceAndFiles(
  'bench/typing-gap.bench.ts WORKSPACE FILE... [--gaps 0,35] [--reps 40] [--warm 20]',
);
const gaps = arg('--gaps', '0,35').split(',').map(Number);
const reps = Number(arg('--reps', '40'));
const warm = Number(arg('--warm', '20'));
const out = arg('--out', '');
const waitArg = arg('--wait', 'sleep');
if (waitArg !== 'sleep' && waitArg !== 'spin') throw new Error(`--wait sleep|spin, not ${waitArg}`);
const wait: 'sleep' | 'spin' = waitArg;
/** How the report names the pause and says what the thread did through it. */
const PAUSE = {
  sleep: {
    flag: '',
    heading: 'pause before each text',
    says: 'The main thread sleeps for the pause before each text, as between two keystrokes.',
  },
  spin: {
    flag: ' --wait spin',
    heading: 'pause (spinning) before each text',
    says: 'The main thread spins on the clock (on the CPU, touching almost no memory) through the pause before each text.',
  },
}[wait];
const RULES_OFF = { rules: Object.fromEntries(RULES.map((r) => [r.id, 'off' as const])) };

const service = DockerfileLanguageServiceFactory.createLanguageService();
const session = new Session();
session.addWorkspace(root);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Every text of the typing sequence of each file, in order. */
const sequences = files.map((file) => ({ file, texts: typedTexts(readFileSync(file, 'utf8')) }));

type Side = 'ours' | 'rulesOff' | 'theirs';
const SIDES: Side[] = ['ours', 'rulesOff', 'theirs'];

/** Per-text CPU (ms) of each side over `reps` passes of every sequence, after `warm` passes not counted. */
function run(gap: number): Record<Side, number[]> {
  const res: Record<Side, number[]> = { ours: [], rulesOff: [], theirs: [] };
  for (let r = 0; r < warm + reps; r++) {
    for (const { file, texts } of sequences) {
      texts.forEach((text, version) => {
        // the order of the sides rotates, so that none always meets the machine first after the pause
        const k = (r + version) % SIDES.length;
        for (const side of [...SIDES.slice(k), ...SIDES.slice(0, k)]) {
          if (gap) pause(gap, wait);
          const t = cpu();
          if (side === 'theirs') service.validate(text);
          else {
            session.openDocument(file, text, version + 1);
            session.analyzeDocument(file, side === 'ours' ? {} : RULES_OFF);
          }
          const ms = cpu() - t;
          if (r >= warm) res[side].push(ms);
        }
      });
      session.closeDocument(file, 'dockerfile');
    }
  }
  return res;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const cell = (xs: number[]) => `${mean(xs).toFixed(3)} (${median(xs).toFixed(3)})`;
const rows: string[] = [];
for (const gap of gaps) {
  const r = run(gap);
  const t = mean(r.theirs);
  rows.push(
    `| ${gap} ms | ${cell(r.ours)} | ${cell(r.rulesOff)} | ${cell(r.theirs)} | **${(mean(r.ours) / t).toFixed(2)}×** | ${(mean(r.rulesOff) / t).toFixed(2)}× |`,
  );
}
const names = files.map((f) => path.relative(process.cwd(), f)).join(', ');
const md = `# Analysis per keystroke, after a pause (in process)

\`node bench/bundled.mjs bench/typing-gap.bench.ts ${path.relative(process.cwd(), root) || '.'} ${files.map((f) => path.relative(process.cwd(), f)).join(' ')} --gaps ${gaps.join(',')} --reps ${reps} --warm ${warm}${PAUSE.flag}\`

Run ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()
  .map((l) => l.toFixed(1))
  .join(
    ' / ',
  )} at the end. ${names}: the side-by-side benchmark's typing (open, then 5 characters at the end of the middle RUN/COPY line), ${reps} passes counted after ${warm} not counted. Per text, in one process, interleaved: cachelens' Session analysis with the workspace's build contexts (what the server runs per keystroke), the same with every rule off, and \`validate()\` of dockerfile-language-service (what Docker's language server runs per edit). ${PAUSE.says} CPU time of the process per text, ms: mean (median).

| ${PAUSE.heading} | cachelens analysis | cachelens, every rule off | \`validate()\` | ratio | ratio, rules off |
|---|---|---|---|---|---|
${rows.join('\n')}
`;
process.stdout.write(md);
if (out) writeFileSync(out, md);
