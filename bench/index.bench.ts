// Cold index of a generated 100k-file context vs `find DIR -type f | wc -l`
// on the same tree in the same run, the cost of one incremental update, and
// the index's peak RSS.
//
//   node --import tsx bench/index.bench.ts [--files 100000] [--runs 5] [--out bench/results/index.md] [--dir DIR] [--no-bundle]
//
// The tree is generated once in a temp folder (by a child process, so that
// this process's peak RSS is the index's) and removed at the end; --dir DIR
// generates it there, or reuses it if DIR exists, and keeps it. find and the
// index run alternately, with a warm page cache.
//
// The bench first bundles itself with esbuild, with the options of
// scripts/build.mjs, and runs the bundle: that is the code the CLI and the
// server run. Under tsx (--no-bundle) the timings came out the same, but tsx's
// loader thread and its heap added 25-45 MB to every RSS figure. The output
// file keeps every `## ` section below the generated part (hand-written
// notes, the CLI scale run of bench/scale.bench.ts).

import { spawnSync } from 'node:child_process';
import * as v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeFs } from '../server/src/context/fs';
import { FileIndex } from '../server/src/context/fileIndex';
import { IgnoreMatcher, parseIgnoreFile } from '../server/src/context/ignore';
import { Workspace } from '../server/src/engine/workspace';
import { arg, median } from './util';

const BUNDLED = __filename.endsWith('.cjs');
/** The bench/ folder, also when running as bench/.work/index.bench.cjs. */
const BENCH_DIR = BUNDLED ? path.resolve(__dirname, '..') : __dirname;

const IGNORE = [
  '# realistic Node monorepo ignore file',
  '.git',
  '**/node_modules',
  'dist',
  'coverage',
  '*.log',
  '.env*',
  '**/.DS_Store',
  '!.env.example',
  'Dockerfile*',
  '.dockerignore',
  '',
].join('\n');

/** A monorepo-shaped tree: nested node_modules, .git objects, sources, build output. */
function generate(root: string, target: number): { files: number; dirs: number } {
  let files = 0;
  let dirs = 0;
  const made = new Set<string>();
  const put = (rel: string, size: number, text?: string) => {
    const p = path.join(root, rel);
    const d = path.dirname(p);
    if (!made.has(d)) {
      nodeFs.mkdirSync(d, { recursive: true });
      made.add(d);
      dirs++;
    }
    nodeFs.writeFileSync(p, text ?? Buffer.alloc(size, 97));
    files++;
  };
  const share = (f: number) => Math.floor(target * f);
  // .git: loose objects in 256 fan-out folders, plus refs/logs.
  for (let i = 0; files < share(0.1); i++)
    put(
      `.git/objects/${(i % 256).toString(16).padStart(2, '0')}/${((i * 2654435761) >>> 0).toString(16)}`,
      200 + (i % 900),
    );
  put('.git/HEAD', 21);
  // Root node_modules: packages with lib/dist/test folders and some nested node_modules.
  const nm = share(0.65);
  for (let p = 0; files < nm; p++) {
    const pkg = p % 7 === 0 ? `node_modules/@scope${p % 13}/pkg${p}` : `node_modules/pkg${p}`;
    put(`${pkg}/package.json`, 600);
    for (let j = 0; j < 40 && files < nm; j++)
      put(
        `${pkg}/${['lib', 'dist', 'src', 'test'][j % 4]}/${j % 3 ? 'sub/' : ''}f${j}.js`,
        100 + ((p * 31 + j * 17) % 4000),
      );
    if (p % 5 === 0)
      for (let j = 0; j < 20 && files < nm; j++) put(`${pkg}/node_modules/dep${j % 4}/index${j}.js`, 300);
  }
  // Workspaces with their own node_modules, sources and build output.
  const ws = share(0.78);
  for (let w = 0; files < ws; w++) {
    const base = `packages/app${w % 12}`;
    for (let j = 0; j < 60 && files < ws; j++) put(`${base}/node_modules/m${w}/f${j}.js`, 250);
    for (let j = 0; j < 20 && files < ws; j++) put(`${base}/src/c${w}/f${j}.ts`, 900);
    for (let j = 0; j < 5 && files < ws; j++) put(`${base}/dist/c${w}/f${j}.js`, 1200);
  }
  put('.env', 40);
  put('.env.example', 40);
  put('Dockerfile', 300);
  put('.dockerignore', 0, IGNORE);
  put('package.json', 800);
  put('package-lock.json', 300_000);
  for (let i = 0; files < target - 500; i++)
    put(`src/${['api', 'ui', 'lib', 'util', 'models'][i % 5]}/m${i % 97}/file${i}.ts`, 500 + (i % 3000));
  for (let i = 0; files < target - 100; i++) put(`dist/bundle${i}.js`, 5000);
  for (let i = 0; files < target; i++) put(`coverage/lcov${i}.html`, 2000);
  return { files, dirs };
}

function cpuMs(c: NodeJS.CpuUsage): number {
  return (c.user + c.system) / 1000;
}

/** Runs fn, returning wall and CPU milliseconds of this process. */
function timed(fn: () => void): { ms: number; cpu: number } {
  const t = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  fn();
  const cpu = cpuMs(process.cpuUsage(c0));
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, cpu };
}

/** `find DIR -type f | wc -l` with bash's `times`, which prints its children's CPU time. */
function findOnce(dir: string, expected: number): { ms: number; cpu: number } {
  const t = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', `find "${dir}" -type f | wc -l; times`], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const [count, , children] = r.stdout.trim().split('\n');
  if (Number(count.trim()) !== expected) throw new Error(`find saw ${count.trim()} files, expected ${expected}`);
  const secs = (children ?? '')
    .trim()
    .split(/\s+/)
    .map((x) => {
      const m = /^(\d+)m([\d.]+)s$/.exec(x);
      return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
    });
  return { ms, cpu: (secs[0] + secs[1]) * 1000 };
}

/** The bare Node listing the index is built on (readdirSync with file types, nothing kept). */
function bareWalk(d: string): number {
  let n = 0;
  for (const e of nodeFs.readdirSync(d, { withFileTypes: true })) n += e.isDirectory() ? bareWalk(d + '/' + e.name) : 1;
  return n;
}

function main(): void {
  const target = Number(arg('--files', '100000'));
  const runs = Number(arg('--runs', '5'));
  const out = arg('--out', path.join(BENCH_DIR, 'results', 'index.md'));
  const keep = arg('--dir', '');
  const reuse = keep !== '' && nodeFs.existsSync(keep);
  if (keep) nodeFs.mkdirSync(keep, { recursive: true });
  const dir = nodeFs.realpathSync(keep || nodeFs.mkdtempSync(path.join(os.tmpdir(), 'cachelens-bench-')));
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  try {
    const g0 = Date.now();
    // Generated in a child process so that this process's peak RSS is the index's.
    const gen = spawnSync(
      process.execPath,
      [
        ...(BUNDLED ? [] : ['--import', 'tsx']),
        __filename,
        reuse ? '--count' : '--generate',
        dir,
        '--files',
        String(target),
      ],
      { encoding: 'utf8' },
    );
    if (gen.status !== 0) throw new Error(`generator failed: ${gen.stderr}`);
    const { files, dirs } = JSON.parse(gen.stdout) as { files: number; dirs: number };
    console.error(
      `${reuse ? 'reused' : 'generated'} ${files} files in ${dirs} folders in ${((Date.now() - g0) / 1000).toFixed(1)} s`,
    );
    // A tree still being written back slowed find four-fold in one run; time both on a settled tree.
    spawnSync('sync');

    gc();
    const baseRssMb = process.memoryUsage().rss / 2 ** 20;
    const baseHeapMb = process.memoryUsage().heapUsed / 2 ** 20;
    const ignoreText = nodeFs.readFileSync(path.join(dir, '.dockerignore'), 'utf8');
    let idx: FileIndex | undefined;
    const cold = () => {
      idx = new FileIndex(new NodeFs(dir));
      idx.snapshot(dir, new IgnoreMatcher(parseIgnoreFile(ignoreText).patterns), ignoreText);
    };
    // Warm the page cache and the JIT for both sides, then alternate them so
    // that both see the same load (the machine may be shared).
    findOnce(dir, files);
    cold();
    const find: { ms: number; cpu: number }[] = [];
    const index: { ms: number; cpu: number }[] = [];
    const bare: { ms: number; cpu: number }[] = [];
    for (let r = 0; r < runs; r++) {
      idx = undefined;
      gc(); // each walk starts without the previous one's garbage
      if (r % 2) {
        index.push(timed(cold));
        find.push(findOnce(dir, files));
      } else {
        find.push(findOnce(dir, files));
        index.push(timed(cold));
      }
      bare.push(timed(() => bareWalk(dir)));
    }
    const matcher = new IgnoreMatcher(parseIgnoreFile(ignoreText).patterns);
    const snap = idx!.snapshot(dir, matcher, ignoreText);
    let present = 0;
    for (const _ of snap.presentPaths()) present++;
    const counts = {
      included: snap.includedCount,
      excluded: snap.excludedCount,
      totalBytes: snap.totalBytes,
      truncated: snap.truncated,
    };
    gc();
    // What the index holds: heap with it (and its snapshot) minus heap before the first walk.
    const indexHeapMb = process.memoryUsage().heapUsed / 2 ** 20 - baseHeapMb;
    const rssHeldMb = process.memoryUsage().rss / 2 ** 20;

    const updateMs: number[] = [];
    const createMs: number[] = [];
    const edited = path.join(dir, 'src/api/m0/file0.ts');
    const original = nodeFs.readFileSync(edited);
    for (let i = 0; i < 21; i++) {
      nodeFs.writeFileSync(edited, 'x'.repeat(100 + i));
      updateMs.push(
        timed(() => {
          idx!.onFileChanged(edited, 'changed');
          idx!.snapshot(dir, matcher, ignoreText);
        }).ms,
      );
      if (snap.files.find((f) => f.path === 'src/api/m0/file0.ts')?.size !== 100 + i)
        throw new Error('incremental update lost');
      const created = path.join(dir, `src/ui/new${i}.ts`);
      nodeFs.writeFileSync(created, 'new');
      createMs.push(
        timed(() => {
          idx!.onFileChanged(created, 'created');
          idx!.snapshot(dir, matcher, ignoreText);
        }).ms,
      );
      nodeFs.rmSync(created);
    }
    nodeFs.writeFileSync(edited, original);
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    idx = undefined;

    // What the CLI and the server run before the rules: the index plus the file lists of the context view.
    const view: { ms: number; cpu: number }[] = [];
    const findForView: { ms: number; cpu: number }[] = [];
    let viewFiles = 0;
    for (let r = 0; r < runs; r++) {
      gc();
      const coldView = () => {
        const ws = new Workspace(dir);
        viewFiles = ws.view(ws.resolve(path.join(dir, 'Dockerfile')).contexts[0]).files.length;
      };
      if (r % 2) {
        view.push(timed(coldView));
        findForView.push(findOnce(dir, files));
      } else {
        findForView.push(findOnce(dir, files));
        view.push(timed(coldView));
      }
    }
    if (viewFiles !== counts.included)
      throw new Error(`the view has ${viewFiles} files, the snapshot ${counts.included}`);

    const med = (xs: { ms: number; cpu: number }[], k: 'ms' | 'cpu') => median(xs.map((x) => x[k]));
    const ratio = med(index, 'ms') / med(find, 'ms');
    const cpuRatio = med(index, 'cpu') / med(find, 'cpu');
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const fmt = (x: number) => x.toFixed(1);
    const list = (xs: { ms: number; cpu: number }[], k: 'ms' | 'cpu') => xs.map((x) => fmt(x[k])).join(', ');
    const md = [
      '# File index benchmark',
      '',
      'Command (from the repository root):',
      '',
      '```',
      `node --import tsx bench/index.bench.ts${target !== 100000 ? ` --files ${target}` : ''}${runs !== 5 ? ` --runs ${runs}` : ''}${keep ? ` --dir ${keep}` : ''}${process.argv.includes('--out') ? ` --out ${path.relative(process.cwd(), out)}` : ''}${BUNDLED ? '' : ' --no-bundle'}`,
      '```',
      '',
      BUNDLED
        ? "The bench bundles itself with esbuild (the options of `scripts/build.mjs`) and runs the bundle, so it times the code the CLI and the server run, not tsx's per-module transpilation."
        : 'Run under tsx (`--no-bundle`), not as the bundle the CLI and the server ship.',
      '',
      `Run ${new Date().toISOString()} on ${os.cpus().length} × ${cpu}, Node ${process.version}, ${os.platform()} ${os.release()}; load average ${os.loadavg()[0].toFixed(1)} at the end. The machine was shared with other work, so find and the index run alternately (same load for both) and CPU time is given beside wall time.`,
      '',
      `Tree: ${files.toLocaleString('en-US')} files in ${dirs.toLocaleString('en-US')} folders, generated in a temp folder (monorepo shape: root and per-workspace \`node_modules\` with nested ones, \`.git/objects\`, sources, \`dist\`, \`coverage\`).`,
      `Ignore file: \`${IGNORE.split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .join(' ')}\`.`,
      '',
      `Result: ${counts.included.toLocaleString('en-US')} files (${(counts.totalBytes / 2 ** 20).toFixed(1)} MiB) reach the context, ${counts.excluded.toLocaleString('en-US')} excluded, ${present.toLocaleString('en-US')} paths present (files and folders)${counts.truncated ? `; truncated: ${counts.truncated}` : ''}.`,
      '',
      `| measure | median of ${runs} | all runs |`,
      '|---|---|---|',
      `| \`find DIR -type f \\| wc -l\` (child process, warm cache), wall | ${fmt(med(find, 'ms'))} ms | ${list(find, 'ms')} |`,
      `| cold \`FileIndex.snapshot\` (new NodeFs + FileIndex + matcher, warm cache), wall | ${fmt(med(index, 'ms'))} ms | ${list(index, 'ms')} |`,
      `| **ratio index / find, wall clock** | **${ratio.toFixed(2)}×** (target ≤ 1.5×) | |`,
      `| find + wc, CPU (user + sys, from bash \`times\`) | ${fmt(med(find, 'cpu'))} ms | ${list(find, 'cpu')} |`,
      `| cold snapshot, CPU (user + sys) | ${fmt(med(index, 'cpu'))} ms | ${list(index, 'cpu')} |`,
      `| **ratio index / find, CPU time** | **${cpuRatio.toFixed(2)}×** | |`,
      `| reference: bare Node \`readdirSync\` walk, nothing kept, no stat: wall / CPU | ${fmt(med(bare, 'ms'))} / ${fmt(med(bare, 'cpu'))} ms | CPU ${list(bare, 'cpu')} |`,
      `| reference: cold \`Workspace.view\` (the index plus the file lists the rules read: what the CLI and the server run before linting), wall; its ratio to find in the same runs | ${fmt(med(view, 'ms'))} ms; ${(med(view, 'ms') / med(findForView, 'ms')).toFixed(2)}× | ${list(view, 'ms')} (find ${list(findForView, 'ms')}) |`,
      `| one file changed: \`onFileChanged\` + \`snapshot\` (median of 21) | ${median(updateMs).toFixed(3)} ms | max ${Math.max(...updateMs).toFixed(3)} |`,
      `| one file created: \`onFileChanged\` + \`snapshot\` (median of 21) | ${median(createMs).toFixed(3)} ms | max ${Math.max(...createMs).toFixed(3)} |`,
      '',
      `Memory of the bench process (the tree is generated by another process): ${fmt(baseRssMb)} MB RSS before indexing (Node + ${BUNDLED ? 'the bundled bench' : 'tsx'}); ${fmt(rssHeldMb)} MB with one index and its snapshot held (after a GC), of which the index itself is ${fmt(indexHeapMb)} MB of heap; peak ${fmt(maxRssMb)} MB over ${runs + 1} cold walks and ${runs} bare walks (before the \`Workspace.view\` runs). Target: well under 150 MB.`,
      '',
      "Why the index can keep up with find: the walk only lists folders (file kinds come from `readdir`, no per-file `stat`), and only the files that reach the context are stat-ed for their size, one folder at a time (the folder is checked against the workspace root once, not once per file); excluded files are counted, not sized. The cold snapshot's CPU time is the bare listing above plus one `lstat` per included file (5–7 µs each on this machine, most of it in the kernel; Node 20 also builds a Stats object with four Dates), plus the tree and the matching.",
      '',
    ].join('\n');
    nodeFs.mkdirSync(path.dirname(out), { recursive: true });
    const kept = keptSections(out);
    nodeFs.writeFileSync(out, kept ? md + '\n' + kept : md);
    console.log(md);
  } finally {
    if (!keep) nodeFs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The `## ` sections of an existing results file (hand-written notes, other benches' sections), to keep below the generated part. */
function keptSections(file: string): string {
  const old = nodeFs.existsSync(file) ? nodeFs.readFileSync(file, 'utf8') : '';
  const at = old.search(/^## /m);
  return at < 0 ? '' : old.slice(at);
}

/** Runs this file as an esbuild bundle made with the product's build options (scripts/build.mjs). */
function runBundled(): number {
  const { buildSync } = require('esbuild') as typeof import('esbuild');
  const outfile = path.join(__dirname, '.work', 'index.bench.cjs');
  buildSync({
    entryPoints: [__filename],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    external: ['esbuild'],
    logLevel: 'warning',
  });
  return spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: 'inherit' }).status ?? 1;
}

if (
  !BUNDLED &&
  !process.argv.includes('--no-bundle') &&
  !process.argv.includes('--generate') &&
  !process.argv.includes('--count')
)
  process.exitCode = runBundled();
else if (process.argv.includes('--generate'))
  process.stdout.write(JSON.stringify(generate(arg('--generate', ''), Number(arg('--files', '100000')))));
else if (process.argv.includes('--count')) {
  const d = arg('--count', '');
  const count = (type: string) =>
    Number(
      spawnSync('sh', ['-c', `find "${d}" -mindepth 1 -type ${type} | wc -l`], { encoding: 'utf8' }).stdout.trim(),
    );
  process.stdout.write(JSON.stringify({ files: count('f'), dirs: count('d') }));
} else main();
