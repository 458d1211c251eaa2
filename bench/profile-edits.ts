// Per-edit profile loop: lints each corpus Dockerfile, then 5 one-character
// edits at the end of its middle RUN/COPY line (as the side-by-side bench
// types), in-process. Run under --cpu-prof and summarise with
// bench/profile-top.mjs:
//   node bench/bundled.mjs bench/profile-edits.ts [corpus-dir] [rounds] (set NODE_OPTIONS=--cpu-prof)
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lint } from '../server/src/engine/lint';

const corpus = resolve(
  process.argv[2] ??
    join(process.env.CACHELENS_SHARED ?? join(process.cwd(), '..', 'shared'), 'corpus', 'real-dockerfiles'),
);
const rounds = Number(process.argv[3] ?? 3);
const texts = readdirSync(corpus)
  .filter((f) => !f.endsWith('.dockerignore') && !f.endsWith('.tsv') && !f.endsWith('.md'))
  .map((f) => readFileSync(join(corpus, f), 'utf8'));

function edits(text: string): string[] {
  const lines = text.split('\n');
  const candidates = lines.map((l, i) => (/^\s*(RUN|COPY)\s/i.test(l) ? i : -1)).filter((i) => i >= 0);
  const at = candidates.length ? candidates[Math.floor(candidates.length / 2)] : lines.length - 1;
  const out: string[] = [];
  for (let k = 1; k <= 5; k++) {
    const copy = [...lines];
    copy[at] = `${copy[at]}${'x'.repeat(k)}`;
    out.push(copy.join('\n'));
  }
  return out;
}
const work = texts.map((t) => [t, ...edits(t)]);
const t0 = process.cpuUsage();
let n = 0;
for (let r = 0; r < rounds; r++)
  for (const versions of work)
    for (const text of versions) {
      lint({ path: '/corpus/Dockerfile', text });
      n++;
    }
const u = process.cpuUsage(t0);
console.log(`${n} lints, ${((u.user + u.system) / 1000 / n).toFixed(3)} ms CPU each`);
