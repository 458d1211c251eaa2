// How much of a keystroke is the protocol: server CPU per text over examples/
// typing sessions (open, 5 characters typed 35 ms after each publish at the
// end of the middle RUN/COPY line, close: the side-by-side benchmark's
// sessions), for servers that analyse nothing beside the two real ones:
//
//   raw      no library: frames split by hand, an empty publish (bench/floor/raw.mjs)
//   library  vscode-languageserver, its stream reader and writer, TextDocuments, empty publishes (bench/floor/minimal.ts)
//   frames   the same with cachelens' FrameWriter, as the server writes
//   ours     cachelens (dist/server.js)
//   theirs   Docker's language server (dockerfile-language-server-nodejs)
//
// Each round spawns every server once, warms it up with 6 sessions, then
// counts SESSIONS sessions; the order of the servers rotates per round.
// CPU is the server's user + system time from /proc (10 ms ticks).
//   node --import tsx bench/protocol-floor.bench.ts [--rounds 3] [--sessions 60] [--out FILE]
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { LspDriver, type TypingDoc, typingDoc } from './lsp-driver';
import { arg, median } from './util';

const REPO = path.resolve(__dirname, '..');
const ROUNDS = Number(arg('--rounds', '3'));
const SESSIONS = Number(arg('--sessions', '60'));
const out = arg('--out', '');
const GAP_MS = 35;
const EDITS = 5;

const minimal = path.join(REPO, 'bench', '.work', 'floor', 'minimal.cjs');
const SIDES: Record<string, { script: string; env?: Record<string, string>; says: string }> = {
  raw: {
    script: path.join(REPO, 'bench', 'floor', 'raw.mjs'),
    says: 'no library: frames split by hand, empty publishes',
  },
  library: {
    script: minimal,
    says: 'vscode-languageserver with its stream reader and writer, TextDocuments, empty publishes',
  },
  frames: {
    script: minimal,
    env: { FLOOR_IO: 'frames' },
    says: "the same with cachelens' FrameWriter, as the server writes",
  },
  ours: { script: path.join(REPO, 'dist', 'server.js'), says: 'cachelens (dist/server.js): the full analysis' },
  theirs: {
    script: path.join(REPO, 'node_modules', 'dockerfile-language-server-nodejs', 'lib', 'server.js'),
    says: "Docker's language server: validate() per text",
  },
};

const examples = ['node-app', 'python-api'].map((d) => typingDoc(path.join(REPO, 'examples', d, 'Dockerfile')));

async function session(d: LspDriver, doc: TypingDoc): Promise<void> {
  await d.open(doc.uri, doc.text);
  await d.type(doc, EDITS, GAP_MS);
  await d.close(doc.uri);
}

/** CPU ms per text of one fresh server over SESSIONS counted sessions. */
async function measure(name: string): Promise<number> {
  const side = SIDES[name];
  const saved = { ...process.env };
  Object.assign(process.env, side.env ?? {});
  const d = new LspDriver(name, side.script, ['--stdio']);
  process.env = saved;
  try {
    await d.initialize(path.join(REPO, 'examples'));
    for (let i = 0; i < 6; i++) await session(d, examples[i % 2]);
    const before = d.cpuMs();
    for (let i = 0; i < SESSIONS; i++) await session(d, examples[i % 2]);
    return (d.cpuMs() - before) / (SESSIONS * (EDITS + 1));
  } finally {
    await d.stop();
  }
}

async function main(): Promise<void> {
  await build({
    entryPoints: [path.join(REPO, 'bench', 'floor', 'minimal.ts')],
    outfile: minimal,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
  const names = Object.keys(SIDES);
  const per = new Map<string, number[]>(names.map((n) => [n, []]));
  for (let r = 0; r < ROUNDS; r++) {
    const order = names.map((_, i) => names[(i + r) % names.length]);
    for (const n of order) per.get(n)!.push(await measure(n));
    console.log(`round ${r + 1}: ${names.map((n) => `${n} ${per.get(n)![r].toFixed(2)}`).join(', ')} ms per text`);
  }
  const theirs = per.get('theirs')!;
  const rows = names.map((n) => {
    const xs = per.get(n)!;
    const ratios = xs.map((x, i) => x / theirs[i]);
    return `| ${n} | ${SIDES[n].says} | ${median(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}) | ${median(ratios).toFixed(2)}× |`;
  });
  const md = [
    '# Protocol floor: server CPU per text with and without analysis',
    '',
    `\`node --import tsx bench/protocol-floor.bench.ts --rounds ${ROUNDS} --sessions ${SESSIONS}\``,
    '',
    `Run ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(
        ' / ',
      )} at the end. Per round each server is spawned fresh, warmed up with 6 examples/ sessions, then ${SESSIONS} sessions are counted (open, ${EDITS} characters typed ${GAP_MS} ms after each publish, close; ${SESSIONS * (EDITS + 1)} texts); CPU from /proc/<pid>/stat. Median (range) over ${ROUNDS} rounds; the ratio is per round against Docker's server.`,
    '',
    '| server | what it does per text | CPU per text, ms | / theirs |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  console.log(md);
  if (out) writeFileSync(out, md);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
