// Per-keystroke analysis on the 40 real projects with their real build
// contexts (../shared/real-projects, materialised once into the temp folder as
// the real-projects suite does): for each Dockerfile `cachelens check .` finds,
// the side-by-side typing (open, 5 characters at the end of the middle
// RUN/COPY line), with the main thread asleep 35 ms before each text as between
// two keystrokes; CPU per text, after 3 passes not counted. One line per
// Dockerfile (repository, path, ms) on stdout, or in --tsv FILE; with
// --compare BEFORE.tsv (the same bench run on another checkout) a summary of
// the ratios and the files that moved most.
//   CACHELENS_SHARED=../shared node bench/bundled.mjs bench/realprojects-typing.bench.ts [--reps 10] [--tsv FILE] [--compare FILE]
// (bundled, the test helpers cannot find ../shared from their own folder: name it)
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Session } from '../server/src/engine/session';
import { realProjects } from './realprojects';
import { arg, median, pause, typedTexts } from './util';

const REPS = Number(arg('--reps', '10'));
const tsv = arg('--tsv', '');
const compare = arg('--compare', '');
const SETTINGS = { rules: {}, contexts: [] };

const all = realProjects();
if (!all) {
  console.error('the shared real-projects folder is not there: set CACHELENS_SHARED (e.g. CACHELENS_SHARED=../shared)');
  process.exit(2);
}

const lines: string[] = [];
for (const p of all) {
  const session = new Session();
  session.addWorkspace(p.tree);
  for (const dockerfile of p.dockerfiles) {
    const text = readFileSync(dockerfile, 'utf8');
    const texts = typedTexts(text);
    let micros = 0;
    let n = 0;
    for (let r = 0; r < REPS + 3; r++) {
      texts.forEach((x, v) => {
        session.openDocument(dockerfile, x, v + 1);
        pause(35);
        const c = process.cpuUsage();
        session.analyzeDocument(dockerfile, SETTINGS);
        const d = process.cpuUsage(c);
        if (r >= 3) {
          micros += d.user + d.system;
          n++;
        }
      });
      session.closeDocument(dockerfile, 'dockerfile');
    }
    const line = `${p.dir}\t${path.relative(p.tree, dockerfile)}\t${(micros / n / 1000).toFixed(3)}`;
    lines.push(line);
    console.log(line);
  }
}
if (tsv) writeFileSync(tsv, lines.join('\n') + '\n');

if (compare) {
  const read = (text: string) =>
    new Map(
      text
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t'))
        .map(([repo, file, ms]) => [`${repo} ${file}`, Number(ms)] as const),
    );
  const before = read(readFileSync(compare, 'utf8'));
  const after = read(lines.join('\n'));
  const both = [...after].filter(([k]) => before.has(k)).map(([k, ms]) => ({ k, before: before.get(k)!, after: ms }));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  console.log(
    `\n${both.length} Dockerfiles: median ratio ${median(both.map((x) => x.after / x.before)).toFixed(2)}×, total ${sum(both.map((x) => x.before)).toFixed(1)} → ${sum(both.map((x) => x.after)).toFixed(1)} ms per text`,
  );
  for (const x of both.sort((a, b) => b.before - a.before).slice(0, 10))
    console.log(`${x.before.toFixed(2)} → ${x.after.toFixed(2)} ms (${(x.after / x.before).toFixed(2)}×)  ${x.k}`);
}
