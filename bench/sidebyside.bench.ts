// cachelens's server beside Docker's own Dockerfile language server
// (dockerfile-language-server-nodejs), driven the same way over stdio by the
// same editor stand-in (bench/lsp-driver.ts), interleaved file by file in
// alternating order so that both see the same machine load:
//
//   per file: didOpen → publishDiagnostics, then EDITS typed characters (each
//   GAP_MS after the previous publish, like typing) → the publish of each,
//   then didClose. Server CPU comes from /proc/<pid>/stat around each file.
//   start: spawn → initialize → didOpen of an example → first diagnostics.
//
// Workloads: the corpus Dockerfiles in one folder (that folder is the
// workspace: cachelens indexes it as their build context) and examples/ with
// their contexts; with --projects also every Dockerfile `cachelens check`
// finds in the 40 real projects of ../shared/real-projects, each repository
// (materialised as the real-projects suite does) the workspace of a fresh pair
// of servers. Results are ratios ours/theirs per round, with quartiles
// over rounds (a shared, loaded machine: absolutes move, ratios less).
//
//   bare: spawn of `node -e ''` → its exit, the floor any Node server starts from.
//
// Usage: node --import tsx bench/sidebyside.bench.ts [--rounds 3] [--starts 3] [--only-start] [--projects] [--workload corpus|examples|projects] [--out bench/results/sidebyside.md]
//   --only-start: the start rows alone (--starts per round, each side and bare node interleaved)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import * as path from 'node:path';
import { LspDriver, typingDoc } from './lsp-driver';
import { arg, median } from './util';
import { realProjects } from './realprojects';

const REPO = path.resolve(__dirname, '..');
// BENCH_OURS=path/to/server.js runs another build of ours (a copy of the previous dist/ for a before/after);
// BENCH_RULES_OFF=CL001,CL002 turns those rules off in ours (bench/lsp-driver.ts): what they cost, side by side
const OURS = process.env.BENCH_OURS ?? path.join(REPO, 'dist', 'server.js');
const THEIRS = path.join(REPO, 'node_modules', 'dockerfile-language-server-nodejs', 'lib', 'server.js');
const ROUNDS = Number(arg('--rounds', '3'));
const EDITS = Number(arg('--edits', '5'));
const STARTS = Number(arg('--starts', '3'));
const ONLY_START = process.argv.includes('--only-start');
const PROJECTS = process.argv.includes('--projects');
// --workload corpus|examples|projects: that workload alone (for profiling one of them)
const WORKLOAD = process.argv.includes('--workload') ? arg('--workload', '') : undefined;
const GAP_MS = 35;
const out = process.argv.includes('--out') ? arg('--out', '') : undefined;
const corpusDir = path.join(
  process.env.CACHELENS_SHARED ?? path.join(REPO, '..', 'shared'),
  'corpus',
  'real-dockerfiles',
);
const examplesDir = path.join(REPO, 'examples');

interface Doc {
  file: string;
  uri: string;
  text: string;
  /** where the edits are typed: the end of the middle RUN/COPY line (the middle line when there is none) */
  line: number;
  character: number;
}

function doc(file: string): Doc {
  return { file, ...typingDoc(file) };
}

const corpus = readdirSync(corpusDir)
  .filter((f) => !f.endsWith('.dockerignore') && !f.endsWith('.tsv') && !f.endsWith('.md'))
  .sort()
  .map((f) => doc(path.join(corpusDir, f)));
const examples = readdirSync(examplesDir)
  .filter((d) => existsSync(path.join(examplesDir, d, 'Dockerfile')))
  .map((d) => doc(path.join(examplesDir, d, 'Dockerfile')));

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.max(0, Math.ceil(q * xs.length) - 1))];

const servers = {
  ours: (folder: string) => {
    const d = new LspDriver('cachelens', OURS, ['--stdio']);
    return { d, init: d.initialize(folder) };
  },
  theirs: (folder: string) => {
    const d = new LspDriver('docker-langserver', THEIRS, ['--stdio']);
    return { d, init: d.initialize(folder) };
  },
};
type Side = keyof typeof servers;
const SIDES: Side[] = ['ours', 'theirs'];

interface Sample {
  edits: number[];
  opens: number[];
  cpuMs: number;
  /** of which the server's child processes (git, the forecast worker) */
  childMs: number;
  editCount: number;
}
const empty = (): Sample => ({ edits: [], opens: [], cpuMs: 0, childMs: 0, editCount: 0 });

/** Adds b's measurements to a. */
function add(a: Sample, b: Sample): void {
  a.edits.push(...b.edits);
  a.opens.push(...b.opens);
  a.cpuMs += b.cpuMs;
  a.childMs += b.childMs;
  a.editCount += b.editCount;
}

/** One document through one server: open, EDITS typed characters, close. */
async function session(d: LspDriver, doc: Doc, s: Sample): Promise<void> {
  const cpu0 = d.cpu();
  s.opens.push(await d.open(doc.uri, doc.text));
  s.edits.push(...(await d.type(doc, EDITS, GAP_MS)));
  await d.close(doc.uri);
  const cpu1 = d.cpu();
  s.cpuMs += cpu1.total - cpu0.total;
  s.childMs += cpu1.children - cpu0.children;
  s.editCount += EDITS + 1;
}

/** A workspace folder and the documents typed in it. */
interface Group {
  folder: string;
  docs: Doc[];
}

/**
 * One round over a workload: per group, both servers started fresh on its folder, 5 warm-up files not
 * counted (both servers compile their hot paths), then its files interleaved in alternating order.
 */
async function round(groups: Group[], r: number): Promise<Record<Side, Sample>> {
  const res = { ours: empty(), theirs: empty() };
  for (const { folder, docs } of groups) {
    const started = { ours: servers.ours(folder), theirs: servers.theirs(folder) };
    await Promise.all(SIDES.map((k) => started[k].init));
    for (let i = 0; i < 5; i++) for (const k of SIDES) await session(started[k].d, docs[i % docs.length], empty());
    const own = { ours: empty(), theirs: empty() };
    for (const [i, doc] of docs.entries()) {
      const order: Side[] = (i + r) % 2 ? ['theirs', 'ours'] : ['ours', 'theirs'];
      for (const k of order) await session(started[k].d, doc, own[k]);
    }
    await Promise.all(SIDES.map((k) => started[k].d.stop()));
    for (const k of SIDES) add(res[k], own[k]);
    // several workspaces: each one's CPU per text on stderr, to see which repositories a ratio comes from
    if (groups.length > 1)
      process.stderr.write(
        `  ${path.basename(folder)}: ${(own.ours.cpuMs / own.ours.editCount).toFixed(2)} vs ${(own.theirs.cpuMs / own.theirs.editCount).toFixed(2)} ms per text\n`,
      );
  }
  return res;
}

/** The real projects, each its own workspace, its Dockerfiles each typed twice (a repository with one Dockerfile still gets counted sessions after its warm-up). */
function projectGroups(): { groups: Group[]; files: number } {
  const all = realProjects();
  if (!all) {
    process.stderr.write(
      '--projects: ../shared/real-projects is not there (set CACHELENS_SHARED); that workload is left out\n',
    );
    return { groups: [], files: 0 };
  }
  return {
    groups: all.map((p) => ({ folder: p.tree, docs: [...p.dockerfiles, ...p.dockerfiles].map(doc) })),
    files: all.reduce((n, p) => n + p.dockerfiles.length, 0),
  };
}

/** spawn → initialize → didOpen → first publish, ms */
async function start(k: Side, doc: Doc): Promise<number> {
  const t0 = performance.now();
  const { d, init } = servers[k](examplesDir);
  await init;
  const ms = await d.open(doc.uri, doc.text);
  const total = performance.now() - t0;
  void ms;
  await d.stop();
  return total;
}

/** spawn → exit of `node -e ''`, ms: bare Node's start, the baseline of the start row */
async function bareNode(): Promise<number> {
  const t0 = performance.now();
  await new Promise((resolve) => spawn(process.execPath, ['-e', ''], { stdio: 'ignore' }).on('exit', resolve));
  return performance.now() - t0;
}

interface RoundStats {
  cpuPerEdit: Record<Side, number>;
  childPerEdit: Record<Side, number>;
  p50: Record<Side, number>;
  p99: Record<Side, number>;
  open50: Record<Side, number>;
}

function stats(res: Record<Side, Sample>): RoundStats {
  const per = (f: (s: Sample) => number) => ({ ours: f(res.ours), theirs: f(res.theirs) });
  return {
    // CPU per analysed text (the open and each edit), ms
    cpuPerEdit: per((s) => s.cpuMs / s.editCount),
    childPerEdit: per((s) => s.childMs / s.editCount),
    p50: per((s) => quantile(s.edits, 0.5)),
    p99: per((s) => quantile(s.edits, 0.99)),
    open50: per((s) => quantile(s.opens, 0.5)),
  };
}

async function main(): Promise<void> {
  if (!existsSync(OURS)) throw new Error('dist/server.js is missing: run `npm run build` first');
  const { groups, files } = PROJECTS && !ONLY_START ? projectGroups() : { groups: [], files: 0 };
  const workloads = ONLY_START
    ? []
    : [
        { name: `${corpus.length} corpus Dockerfiles in one folder`, groups: [{ folder: corpusDir, docs: corpus }] },
        {
          name: `examples/ (${examples.length} Dockerfiles with their build contexts), each ×20`,
          groups: [{ folder: examplesDir, docs: Array.from({ length: 20 }, () => examples).flat() }],
        },
        ...(groups.length
          ? [{ name: `projects: ${files} Dockerfiles of ${groups.length} real repositories, each ×2`, groups }]
          : []),
      ].filter((w) => !WORKLOAD || w.name.includes(WORKLOAD));
  const rounds = new Map<string, RoundStats[]>();
  const startTimes: Record<Side | 'bare', number[]> = { ours: [], theirs: [], bare: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const w of workloads) {
      const s = stats(await round(w.groups, r));
      rounds.set(w.name, [...(rounds.get(w.name) ?? []), s]);
      process.stderr.write(
        `round ${r + 1} ${w.name}: CPU/edit ${s.cpuPerEdit.ours.toFixed(2)} vs ${s.cpuPerEdit.theirs.toFixed(2)} ms; p50 ${s.p50.ours.toFixed(2)} vs ${s.p50.theirs.toFixed(2)}; p99 ${s.p99.ours.toFixed(2)} vs ${s.p99.theirs.toFixed(2)}\n`,
      );
    }
    for (let i = 0; i < STARTS; i++) {
      const order: Side[] = (i + r) % 2 ? ['theirs', 'ours'] : ['ours', 'theirs'];
      for (const k of order) startTimes[k].push(await start(k, examples[0]));
      startTimes.bare.push(await bareNode());
    }
  }
  const md = report(workloads, rounds, startTimes);
  process.stdout.write(md);
  if (out) writeFileSync(out, md);
}

function report(
  workloads: { name: string }[],
  rounds: Map<string, RoundStats[]>,
  startTimes: Record<Side | 'bare', number[]>,
): string {
  const f = (x: number, d = 2) => x.toFixed(d);
  const q = (xs: number[]) => `${f(median(xs))}× (${f(quantile(xs, 0.25))}–${f(quantile(xs, 0.75))})`;
  const rows: string[] = [];
  for (const w of workloads) {
    const rs = rounds.get(w.name) ?? [];
    const row = (label: string, pick: (s: RoundStats) => Record<Side, number>) =>
      rows.push(
        `| ${w.name} | ${label} | ${f(median(rs.map((s) => pick(s).ours)))} | ${f(median(rs.map((s) => pick(s).theirs)))} | ${q(rs.map((s) => pick(s).ours / pick(s).theirs))} |`,
      );
    row('server CPU per analysed text (open or edit), ms', (s) => s.cpuPerEdit);
    rows.push(
      `| ${w.name} | of which child processes (git, forecast worker), ms | ${f(median(rs.map((s) => s.childPerEdit.ours)))} | ${f(median(rs.map((s) => s.childPerEdit.theirs)))} | |`,
    );
    row('edit → diagnostics p50, ms', (s) => s.p50);
    row('edit → diagnostics p99, ms', (s) => s.p99);
    row('didOpen → diagnostics p50, ms', (s) => s.open50);
  }
  const startRatios = startTimes.ours.map((x, i) => x / startTimes.theirs[i]);
  const ms = (xs: number[]) => `${f(median(xs), 0)} (${f(quantile(xs, 0.25), 0)}–${f(quantile(xs, 0.75), 0)})`;
  if (startTimes.ours.length)
    rows.push(
      `| examples/node-app | start → first diagnostics (spawn, initialize, didOpen), ms, median (quartiles) of ${startTimes.ours.length} | ${ms(startTimes.ours)} | ${ms(startTimes.theirs)} | ${q(startRatios)} |`,
      `| bare \`node -e ''\` | spawn → exit, ms, median (quartiles) of ${startTimes.bare.length}, run after each pair | ${ms(startTimes.bare)} | | ours / bare ${q(startTimes.ours.map((x, i) => x / startTimes.bare[i]))}; theirs / bare ${q(startTimes.theirs.map((x, i) => x / startTimes.bare[i]))} |`,
    );
  return [
    '# Side by side with Docker’s language server (stdio, same driver)',
    '',
    `Command: \`npm run bench:sidebyside\` (= \`npm run build && node --import tsx bench/sidebyside.bench.ts --rounds ${ROUNDS} --projects --out bench/results/sidebyside.md\`; this run: \`${process.argv.slice(2).join(' ')}\`)`,
    '',
    `Run ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(
        ' / ',
      )} at the end. Theirs: \`dockerfile-language-server-nodejs\` ${theirVersion()}. Each file is opened, gets ${EDITS} typed characters (${GAP_MS} ms after the previous publish, at the end of its middle RUN/COPY line), and is closed, in one server then the other (alternating which goes first); server CPU is read from /proc/<pid>/stat around each file (10 ms ticks, summed over the workload). Ratios are ours/theirs per round: median and quartiles over ${ROUNDS} rounds, each with fresh servers after 5 warm-up files (in the projects workload: fresh servers per repository, its workspace, and 5 warm-up sessions of its files).`,
    '',
    '| workload | measure | cachelens | docker-langserver | ours / theirs |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

function theirVersion(): string {
  return JSON.parse(
    readFileSync(path.join(REPO, 'node_modules', 'dockerfile-language-server-nodejs', 'package.json'), 'utf8'),
  ).version;
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
