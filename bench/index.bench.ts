// Cold index of a generated 100k-file context vs `find DIR -type f | wc -l`
// on the same tree in the same run, the cost of one incremental update, and
// the index's peak RSS.
//
//   node --import tsx bench/index.bench.ts [--files 100000] [--runs 5] [--out bench/results/index.md] [--dir DIR]
//
// The tree is generated once in a temp folder and removed at the end
// (--dir DIR generates it there, or reuses it if DIR exists, and keeps it). The
// index runs in a child process so that its peak RSS is not the generator's.
// Both sides run with a warm page cache (each is run once before timing).

import { spawnSync } from 'node:child_process';
import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeFs } from '../server/src/context/fs';
import { FileIndex } from '../server/src/context/fileIndex';
import { IgnoreMatcher, parseIgnoreFile } from '../server/src/context/ignore';

const IGNORE = ['# realistic Node monorepo ignore file', '.git', '**/node_modules', 'dist', 'coverage', '*.log', '.env*', '**/.DS_Store', '!.env.example', 'Dockerfile*', '.dockerignore', ''].join('\n');

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

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
  for (let i = 0; files < share(0.1); i++) put(`.git/objects/${(i % 256).toString(16).padStart(2, '0')}/${(i * 2654435761 >>> 0).toString(16)}`, 200 + (i % 900));
  put('.git/HEAD', 21);
  // Root node_modules: packages with lib/dist/test folders and some nested node_modules.
  const nm = share(0.65);
  for (let p = 0; files < nm; p++) {
    const pkg = p % 7 === 0 ? `node_modules/@scope${p % 13}/pkg${p}` : `node_modules/pkg${p}`;
    put(`${pkg}/package.json`, 600);
    for (let j = 0; j < 40 && files < nm; j++) put(`${pkg}/${['lib', 'dist', 'src', 'test'][j % 4]}/${j % 3 ? 'sub/' : ''}f${j}.js`, 100 + ((p * 31 + j * 17) % 4000));
    if (p % 5 === 0) for (let j = 0; j < 20 && files < nm; j++) put(`${pkg}/node_modules/dep${j % 4}/index${j}.js`, 300);
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
  for (let i = 0; files < target - 500; i++) put(`src/${['api', 'ui', 'lib', 'util', 'models'][i % 5]}/m${i % 97}/file${i}.ts`, 500 + (i % 3000));
  for (let i = 0; files < target - 100; i++) put(`dist/bundle${i}.js`, 5000);
  for (let i = 0; files < target; i++) put(`coverage/lcov${i}.html`, 2000);
  return { files, dirs };
}

interface ChildResult {
  coldMs: number[];
  coldCpuMs: number[];
  included: number;
  excluded: number;
  totalBytes: number;
  present: number;
  updateMs: number[];
  createMs: number[];
  rssAfterMb: number;
  baseRssMb: number;
  maxRssMb: number;
  /** Heap the index and its snapshot hold (heap with them minus heap without, after GCs). */
  indexHeapMb: number;
  truncated?: string;
}

/** The index side, run in its own process. */
function child(dir: string, runs: number): void {
  global.gc?.();
  const baseRssMb = process.memoryUsage().rss / 2 ** 20;
  const baseHeapMb = process.memoryUsage().heapUsed / 2 ** 20;
  const coldCpuMs: number[] = [];
  const ignoreText = nodeFs.readFileSync(path.join(dir, '.dockerignore'), 'utf8');
  const coldMs: number[] = [];
  let idx!: FileIndex;
  let fs!: NodeFs;
  for (let r = 0; r <= runs; r++) {
    idx = undefined as unknown as FileIndex;
    global.gc?.(); // each run starts without the previous one's garbage
    const t = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    fs = new NodeFs(dir);
    idx = new FileIndex(fs);
    idx.snapshot(dir, new IgnoreMatcher(parseIgnoreFile(ignoreText).patterns), ignoreText);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    const cpu = process.cpuUsage(cpu0);
    if (r > 0) {
      // run 0 warms the page cache and the JIT
      coldMs.push(ms);
      coldCpuMs.push((cpu.user + cpu.system) / 1000);
    }
  }
  const matcher = new IgnoreMatcher(parseIgnoreFile(ignoreText).patterns);
  const snap = idx.snapshot(dir, matcher, ignoreText);
  let present = 0;
  for (const _ of snap.presentPaths()) present++;
  const counts = { included: snap.includedCount, excluded: snap.excludedCount, totalBytes: snap.totalBytes, truncated: snap.truncated };
  global.gc?.();
  // What the index holds: heap with it (and its snapshot) minus heap before the first walk.
  const indexHeapMb = process.memoryUsage().heapUsed / 2 ** 20 - baseHeapMb;
  const updateMs: number[] = [];
  const createMs: number[] = [];
  const edited = path.join(dir, 'src/api/m0/file0.ts');
  for (let i = 0; i < 21; i++) {
    nodeFs.writeFileSync(edited, 'x'.repeat(100 + i));
    const t = process.hrtime.bigint();
    idx.onFileChanged(edited, 'changed');
    const s = idx.snapshot(dir, matcher, ignoreText);
    updateMs.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (s.files.find((f) => f.path === 'src/api/m0/file0.ts')?.size !== 100 + i) throw new Error('incremental update lost');
    const created = path.join(dir, `src/ui/new${i}.ts`);
    nodeFs.writeFileSync(created, 'new');
    const t2 = process.hrtime.bigint();
    idx.onFileChanged(created, 'created');
    idx.snapshot(dir, matcher, ignoreText);
    createMs.push(Number(process.hrtime.bigint() - t2) / 1e6);
    nodeFs.rmSync(created); // leave the tree as generated for the second round of find
  }
  global.gc?.();
  const rssAfterMb = process.memoryUsage().rss / 2 ** 20;
  const result: ChildResult = {
    coldMs,
    coldCpuMs,
    ...counts,
    present,
    updateMs,
    createMs,
    rssAfterMb,
    baseRssMb,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    indexHeapMb,
  };
  process.stdout.write(JSON.stringify(result));
}

function main(): void {
  const target = Number(arg('--files', '100000'));
  const runs = Number(arg('--runs', '5'));
  const out = arg('--out', path.join(__dirname, 'results', 'index.md'));
  const keep = arg('--dir', '');
  const reuse = keep !== '' && nodeFs.existsSync(keep);
  if (keep) nodeFs.mkdirSync(keep, { recursive: true });
  const dir = nodeFs.realpathSync(keep || nodeFs.mkdtempSync(path.join(os.tmpdir(), 'cachelens-bench-')));
  try {
    const g0 = Date.now();
    let files: number;
    let dirs: number;
    if (reuse) {
      files = Number(spawnSync('sh', ['-c', `find "${dir}" -type f | wc -l`], { encoding: 'utf8' }).stdout.trim());
      dirs = Number(spawnSync('sh', ['-c', `find "${dir}" -mindepth 1 -type d | wc -l`], { encoding: 'utf8' }).stdout.trim());
    } else ({ files, dirs } = generate(dir, target));
    console.error(`${reuse ? 'reused' : 'generated'} ${files} files in ${dirs} folders in ${((Date.now() - g0) / 1000).toFixed(1)} s`);
    // bash's `times` prints the CPU time (user, sys) of its children: find and wc.
    const findCpuMs: number[] = [];
    const findOnce = () => {
      const t = process.hrtime.bigint();
      const r = spawnSync('bash', ['-c', `find "${dir}" -type f | wc -l; times`], { encoding: 'utf8' });
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      const [count, , children] = r.stdout.trim().split('\n');
      if (Number(count.trim()) !== files) throw new Error(`find saw ${count.trim()} files, expected ${files}`);
      const secs = (children ?? '').trim().split(/\s+/).map((x) => {
        const m = /^(\d+)m([\d.]+)s$/.exec(x);
        return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
      });
      findCpuMs.push((secs[0] + secs[1]) * 1000);
      return ms;
    };
    findOnce();
    findCpuMs.length = 0;
    const findMs: number[] = [];
    for (let r = 0; r < runs; r++) findMs.push(findOnce());
    console.error(`find: ${findMs.map((x) => x.toFixed(0)).join(', ')} ms`);
    const c = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, '--child', dir, '--runs', String(runs)], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (c.status !== 0) throw new Error(`index child failed: ${c.stderr}`);
    const res = JSON.parse(c.stdout) as ChildResult;
    console.error(`index: ${res.coldMs.map((x) => x.toFixed(0)).join(', ')} ms`);
    // find again after the index, so neither side alone enjoys a warmer cache.
    for (let r = 0; r < runs; r++) findMs.push(findOnce());
    const findMed = median(findMs);
    const coldMed = median(res.coldMs);
    const ratio = coldMed / findMed;
    const cpuRatio = median(res.coldCpuMs) / median(findCpuMs);
    const load = os.loadavg()[0];
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const fmt = (x: number) => x.toFixed(1);
    const md = [
      '# File index benchmark',
      '',
      'Command (from the repository root):',
      '',
      '```',
      `node --import tsx bench/index.bench.ts${target !== 100000 ? ` --files ${target}` : ''}${runs !== 5 ? ` --runs ${runs}` : ''}`,
      '```',
      '',
      `Run ${new Date().toISOString()} on ${os.cpus().length} × ${cpu}, Node ${process.version}, ${os.platform()} ${os.release()}; load average ${load.toFixed(1)} at the end (other work shared the machine, which is why the CPU-time ratio is given too: it does not depend on waiting for a core).`,
      '',
      `Tree: ${files.toLocaleString('en-US')} files in ${dirs.toLocaleString('en-US')} folders, generated in a temp folder (monorepo shape: root and per-workspace \`node_modules\` with nested ones, \`.git/objects\`, sources, \`dist\`, \`coverage\`).`,
      `Ignore file: \`${IGNORE.split('\n').filter((l) => l && !l.startsWith('#')).join(' ')}\`.`,
      '',
      `Result: ${res.included.toLocaleString('en-US')} files (${(res.totalBytes / 2 ** 20).toFixed(1)} MiB) reach the context, ${res.excluded.toLocaleString('en-US')} excluded, ${res.present.toLocaleString('en-US')} paths present (files and folders)${res.truncated ? `; truncated: ${res.truncated}` : ''}.`,
      '',
      `| measure | median of ${runs} | all runs (ms) |`,
      '|---|---|---|',
      `| \`find DIR -type f \\| wc -l\` (child process, warm cache) | ${fmt(findMed)} ms | ${findMs.map(fmt).join(', ')} |`,
      `| cold \`FileIndex.snapshot\` (new NodeFs + FileIndex + matcher, warm cache) | ${fmt(coldMed)} ms | ${res.coldMs.map(fmt).join(', ')} |`,
      `| **ratio index / find, wall clock** | **${ratio.toFixed(2)}×** (target ≤ 1.5×) | |`,
      `| CPU time (user + sys) of find and wc | ${fmt(median(findCpuMs))} ms | ${findCpuMs.map(fmt).join(', ')} |`,
      `| CPU time (user + sys) of the cold snapshot | ${fmt(median(res.coldCpuMs))} ms | ${res.coldCpuMs.map(fmt).join(', ')} |`,
      `| **ratio index / find, CPU time** | **${cpuRatio.toFixed(2)}×** | |`,
      `| one file changed: \`onFileChanged\` + \`snapshot\` (median of 21) | ${res.updateMs.length ? median(res.updateMs).toFixed(3) : '-'} ms | max ${Math.max(...res.updateMs).toFixed(3)} |`,
      `| one file created: \`onFileChanged\` + \`snapshot\` (median of 21) | ${median(res.createMs).toFixed(3)} ms | max ${Math.max(...res.createMs).toFixed(3)} |`,
      '',
      `Memory of the index process: ${fmt(res.baseRssMb)} MB RSS before indexing (Node + tsx); ${fmt(res.rssAfterMb)} MB with the index and its snapshot held (after a GC), of which the index itself is ${fmt(res.indexHeapMb)} MB of heap; peak ${fmt(res.maxRssMb)} MB over ${runs + 1} cold walks. Target: well under 150 MB.`,
      '',
      'Why the index can keep up with find: the walk only lists folders (file kinds come from `readdir`, no per-file `stat`), and only the files that reach the context are stat-ed for their size; excluded files are counted, not sized.',
      '',
    ].join('\n');
    nodeFs.mkdirSync(path.dirname(out), { recursive: true });
    nodeFs.writeFileSync(out, md);
    console.log(md);
  } finally {
    if (!keep) nodeFs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--child')) child(arg('--child', ''), Number(arg('--runs', '5')));
else main();
