// A language server's CPU per analysed text, split between its main thread and
// V8's other threads (compiler, GC helpers), from /proc/<pid>/task/*/stat: the
// side-by-side bench's typing (open, 5 typed characters 35 ms apart, close) on
// the given Dockerfiles, repeated. Run it for each server in turn.
//   node --import tsx bench/server-threads.ts SERVER.js WORKSPACE FILE... [REPS=20 in the environment]
// WARM=N runs N repetitions first, not counted: the cost once V8 has optimized what the server runs.
// e.g. node --import tsx bench/server-threads.ts dist/server.js examples examples/*/Dockerfile
import { readFileSync, readdirSync } from 'node:fs';
import { LspDriver, typingDoc } from './lsp-driver';

const [server, folder, ...files] = process.argv.slice(2);
const reps = Number(process.env.REPS ?? 20);
const warm = Number(process.env.WARM ?? 0);

/** CPU ms so far of the main thread and of all the others (10 ms ticks). */
function threads(pid: number): { main: number; other: number } {
  const out = { main: 0, other: 0 };
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out[t === String(pid) ? 'main' : 'other'] += (Number(f[11]) + Number(f[12])) * 10;
  }
  return out;
}

async function main(): Promise<void> {
  const d = new LspDriver('server', server, ['--stdio']);
  await d.initialize(folder);
  const docs = files.map(typingDoc);
  let t0 = threads(d.proc.pid!);
  for (let r = 0; r < warm + reps; r++) {
    if (r === warm) t0 = threads(d.proc.pid!);
    for (const doc of docs) {
      await d.open(doc.uri, doc.text);
      await d.type(doc, 5, 35);
      await d.close(doc.uri);
    }
  }
  const t1 = threads(d.proc.pid!);
  const n = reps * docs.length * 6;
  console.log(
    `${server}: main ${((t1.main - t0.main) / n).toFixed(3)} ms/text, other threads ${((t1.other - t0.other) / n).toFixed(3)} ms/text (${n} texts)`,
  );
  await d.stop();
}

void main();
