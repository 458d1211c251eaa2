// .dockerignore matcher: cachelens (server/src/context/ignore/) vs @balena/dockerignore.
//
//   node --import tsx bench/matcher.bench.ts            # markdown report on stdout
//
// 1. Conformance: every executable match vector of shared/conformance/dockerignore-cases.json
//    (and the real-world path expectations), run through both matchers.
// 2. Throughput: a realistic ~30-line ignore file against ~100k generated context paths,
//    both matchers in the same process, a fresh matcher per round (balena caches answers
//    per path), median of 5 rounds.
// 3. Pathological patterns: time for one path, ours at 4,000 characters vs balena at a few dozen.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IgnoreMatcher, parseIgnoreFile } from '../server/src/context/ignore';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const balena = require('@balena/dockerignore') as () => { add(p: string | string[]): { ignores(p: string): boolean } };

const sharedDir = process.env.CACHELENS_SHARED ?? path.resolve(__dirname, '../../shared');

interface MatchCase {
  patterns: string[];
  path: string;
  matches: boolean;
  patterns_kind: 'matcher-patterns' | 'dockerignore-file-lines';
  expect_error?: string;
}
interface RealWorldCase {
  local_file: string;
  path_excluded: Record<string, boolean>;
}

// ---------------------------------------------------------------------------
// 1. conformance

function conformance(): {
  total: number;
  ours: number;
  balena: number;
  balenaWrongThrew: number;
  balenaWrong: string[];
} {
  const data = JSON.parse(fs.readFileSync(path.join(sharedDir, 'conformance', 'dockerignore-cases.json'), 'utf8')) as {
    match_cases: MatchCase[];
    real_world_cases: RealWorldCase[];
  };
  const cases: { lines: string[]; kind: MatchCase['patterns_kind']; path: string; want: boolean; error: boolean }[] =
    data.match_cases.map((c) => ({
      lines: c.patterns,
      kind: c.patterns_kind,
      path: c.path,
      want: c.matches,
      error: !!c.expect_error,
    }));
  for (const rw of data.real_world_cases) {
    const lines = fs.readFileSync(path.join(sharedDir, 'corpus', rw.local_file), 'utf8').split('\n');
    for (const [p, want] of Object.entries(rw.path_excluded))
      cases.push({ lines, kind: 'dockerignore-file-lines', path: p, want, error: false });
  }
  let ours = 0;
  let bal = 0;
  let balenaWrongThrew = 0;
  const balenaWrong: string[] = [];
  for (const c of cases) {
    const m =
      c.kind === 'dockerignore-file-lines'
        ? new IgnoreMatcher(parseIgnoreFile(c.lines.join('\n')).patterns)
        : new IgnoreMatcher(c.lines);
    if (m.excludes(c.path) === c.want && !!m.error === c.error) ours++;
    // balena: right if it answers `want`; for vectors where Docker reports an error, throwing also counts as right
    let answer: boolean | 'threw';
    try {
      answer = balena().add(c.lines).ignores(c.path);
    } catch {
      answer = 'threw';
    }
    if (answer === c.want || (answer === 'threw' && c.error)) {
      bal++;
      continue;
    }
    if (answer === 'threw') balenaWrongThrew++;
    balenaWrong.push(
      `${JSON.stringify(c.lines.length > 4 ? [...c.lines.slice(0, 3), '…'] : c.lines)} ${JSON.stringify(c.path)}: want ${c.want}, got ${answer}`,
    );
  }
  return { total: cases.length, ours, balena: bal, balenaWrongThrew, balenaWrong };
}

// ---------------------------------------------------------------------------
// 2. throughput

const IGNORE_FILE = `# VCS, editors, OS
.git
.gitignore
.vscode
.idea
**/.DS_Store
# dependencies
**/node_modules
!**/node_modules/.prisma
# build output and caches
**/dist
!packages/*/dist/manifest.json
**/build
coverage
**/.cache
**/.next/cache
**/*.tsbuildinfo
# logs
*.log
**/*.log
npm-debug.log*
yarn-error.log*
# env
.env
.env.*
!.env.example
# python
**/__pycache__
**/*.py[co]
# docs
*.md
!README.md
!docs/**/*.md
# docker
Dockerfile*
docker-compose*.yml
.dockerignore
tmp/
`;

/** mulberry32: a small deterministic PRNG (a float LCG loses precision in JS and cycles after a few thousand values). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A monorepo-shaped context of `target` distinct paths in about target/12
 * directories (a real tree has many files per directory): packages with
 * sources, nested node_modules, build output, a .git, a python service, docs.
 * Returned in random order, so no cache sees a directory twice in a row.
 */
function generatePaths(target: number): string[] {
  const rand = rng(7);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const words = ['core', 'utils', 'api', 'auth', 'ui', 'db', 'cli', 'render', 'store', 'hooks', 'lib', 'types'];
  const exts = ['.ts', '.tsx', '.js', '.json', '.css', '.md', '.log', '.map', '.tsbuildinfo'];
  const sub = (dir: string, depth: number): string => {
    for (let d = 0; d < depth; d++) dir += '/' + pick(words);
    return dir;
  };
  const dirs = new Set<string>();
  while (dirs.size < Math.ceil(target / 12)) {
    const r = rand();
    const pkg = `packages/${pick(words)}-${Math.floor(rand() * 40)}`;
    if (r < 0.3) dirs.add(sub(`${pkg}/src`, Math.floor(rand() * 4)));
    else if (r < 0.55)
      dirs.add(sub(`${pkg}/node_modules/${pick(words)}-${Math.floor(rand() * 50)}`, Math.floor(rand() * 3)));
    else if (r < 0.65)
      dirs.add(sub('node_modules/' + pick(words) + '-' + Math.floor(rand() * 100), Math.floor(rand() * 3)));
    else if (r < 0.7)
      dirs.add(
        `.git/objects/${Math.floor(rand() * 256)
          .toString(16)
          .padStart(2, '0')}`,
      );
    else if (r < 0.78) dirs.add(sub(`${pkg}/dist`, Math.floor(rand() * 2)));
    else if (r < 0.84)
      dirs.add(`services/py/${pick(words)}-${Math.floor(rand() * 20)}${rand() < 0.5 ? '/__pycache__' : ''}`);
    else if (r < 0.9) dirs.add(sub('docs', 1 + Math.floor(rand() * 3)));
    else if (r < 0.96) dirs.add(sub(`${pkg}/.next/cache`, 1));
    else dirs.add(`tmp/${pick(words)}-${Math.floor(rand() * 50)}`);
  }
  const dirList = [...dirs];
  const out = new Set<string>([
    'README.md',
    'CHANGELOG.md',
    'package.json',
    'package-lock.json',
    '.env',
    '.env.local',
    '.env.example',
    'Dockerfile',
    'Dockerfile.dev',
    'docker-compose.yml',
    '.dockerignore',
    '.gitignore',
    'npm-debug.log.1',
    'tsconfig.json',
  ]);
  while (out.size < target) {
    const dir = pick(dirList);
    let name: string;
    if (dir.startsWith('.git/')) name = Math.floor(rand() * 2 ** 40).toString(16);
    else if (dir.startsWith('services/')) name = pick(words) + Math.floor(rand() * 50) + pick(['.py', '.pyc', '.pyo']);
    else if (dir.endsWith('/dist') && rand() < 0.05) name = 'manifest.json';
    else name = pick(words) + Math.floor(rand() * 1000) + pick(exts);
    out.add(dir + '/' + name);
  }
  return [...out];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

interface Throughput {
  oursOps: number;
  balenaOps: number;
  oursExcluded: number;
  balenaExcluded: number;
}

/** Fresh matchers each round (balena caches answers per path), ours and balena interleaved, median of 5 rounds. */
function throughput(paths: string[]): Throughput {
  const lines = IGNORE_FILE.split('\n');
  const oursTimes: number[] = [];
  const balenaTimes: number[] = [];
  let oursExcluded = 0;
  let balenaExcluded = 0;
  for (let round = 0; round < 5; round++) {
    let t = process.hrtime.bigint();
    const m = new IgnoreMatcher(parseIgnoreFile(IGNORE_FILE).patterns);
    let n = 0;
    for (const p of paths) if (m.excludes(p)) n++;
    oursTimes.push(Number(process.hrtime.bigint() - t) / 1e9);
    oursExcluded = n;

    t = process.hrtime.bigint();
    const ig = balena().add(lines);
    n = 0;
    for (const p of paths) if (ig.ignores(p)) n++;
    balenaTimes.push(Number(process.hrtime.bigint() - t) / 1e9);
    balenaExcluded = n;
  }
  return {
    oursOps: paths.length / median(oursTimes),
    balenaOps: paths.length / median(balenaTimes),
    oursExcluded,
    balenaExcluded,
  };
}

function disagreements(paths: string[]): string[] {
  const m = new IgnoreMatcher(parseIgnoreFile(IGNORE_FILE).patterns);
  const ig = balena().add(IGNORE_FILE.split('\n'));
  return paths.filter((p) => m.excludes(p) !== ig.ignores(p));
}

// ---------------------------------------------------------------------------
// 3. pathological

function timeOne(fn: () => boolean): { ms: number; answer: boolean } {
  const times: number[] = [];
  let answer = false;
  for (let k = 0; k < 5; k++) {
    const t = process.hrtime.bigint();
    answer = fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { ms: median(times), answer };
}

// ---------------------------------------------------------------------------

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function main(): void {
  const load = os.loadavg()[0];
  const conf = conformance();
  const paths = generatePaths(100_000);
  const walkOrder = [...paths].sort();
  const tp = throughput(paths);
  const tpWalk = throughput(walkOrder);
  const disagree = disagreements(paths);
  const pattern = '**/**/**/**/**/a';
  const oursPath = 'x/'.repeat(2000) + 'b';
  const ours = timeOne(() => new IgnoreMatcher([pattern]).excludes(oursPath));
  const balenaRows = [10, 20, 30, 40].map((depth) => {
    const p = 'x/'.repeat(depth) + 'b';
    return { len: p.length, ...timeOne(() => balena().add([pattern]).ignores(p)) };
  });

  const out: string[] = [];
  out.push('## .dockerignore matcher: cachelens vs @balena/dockerignore');
  out.push('');
  out.push(
    'Command: `node --import tsx bench/matcher.bench.ts` (from the repo root; shared data from `../shared` or `$CACHELENS_SHARED`).',
  );
  out.push(
    `Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, load average ${load.toFixed(1)} when the run started (a shared machine: compare the ratio, not the absolute figures).`,
  );
  out.push('');
  out.push('### Conformance');
  out.push('');
  out.push(
    `Every match vector of \`conformance/dockerignore-cases.json\` plus the real-world files' path expectations (${conf.total} checks).`,
  );
  out.push(
    'A Docker error case counts as right when the matcher reports the error (ours) or throws (balena) and does not exclude the path.',
  );
  out.push(
    "balena only takes ignore-file lines, so the two `matcher-patterns` vectors that hinge on patternmatcher.New not stripping a leading '/' or './' (`/foo`, `!./foo`) count against it too.",
  );
  out.push('');
  out.push('| matcher | right | wrong |');
  out.push('|---|---:|---:|');
  out.push(`| cachelens \`context/ignore/\` | ${conf.ours} / ${conf.total} | ${conf.total - conf.ours} |`);
  out.push(
    `| @balena/dockerignore 1.0.2 | ${conf.balena} / ${conf.total} | ${conf.total - conf.balena} (${conf.balenaWrongThrew} of them by throwing) |`,
  );
  out.push('');
  out.push('<details><summary>vectors balena gets wrong</summary>');
  out.push('');
  for (const w of conf.balenaWrong) out.push(`- \`${w}\``);
  out.push('');
  out.push('</details>');
  out.push('');
  out.push('### Throughput');
  out.push('');
  out.push(
    `${IGNORE_FILE.split('\n').filter((l) => l.trim() && !l.startsWith('#')).length}-pattern ignore file (\`**/node_modules\`, \`.git\`, \`*.log\`, \`!\` exceptions incl. globbed ones) against ${fmt(paths.length)} distinct generated monorepo paths in ${fmt(new Set(paths.map((p) => p.slice(0, p.lastIndexOf('/')))).size)} directories, in random order and in walk order; fresh matcher per round (construction included), median of 5 rounds.`,
  );
  out.push('');
  out.push('| path order | matcher | paths/s (median of 5) | excluded | ratio |');
  out.push('|---|---|---:|---:|---:|');
  for (const [label, r] of [
    ['random', tp],
    ['walk (sorted)', tpWalk],
  ] as const) {
    out.push(
      `| ${label} | cachelens | ${fmt(r.oursOps)} | ${fmt(r.oursExcluded)} | ${(r.oursOps / r.balenaOps).toFixed(2)}× |`,
    );
    out.push(`| ${label} | @balena/dockerignore | ${fmt(r.balenaOps)} | ${fmt(r.balenaExcluded)} | 1.00× |`);
  }
  out.push('');
  out.push(
    `The two disagree on ${fmt(disagree.length)} of the ${fmt(paths.length)} paths${
      disagree.length
        ? `, e.g. ${disagree
            .slice(0, 3)
            .map((p) => `\`${p}\``)
            .join(', ')}`
        : ''
    }.`,
  );
  out.push('');
  out.push('### Pathological pattern');
  out.push('');
  out.push(`\`${pattern}\` against \`x/x/…/b\` (no match), median of 5 single calls including construction.`);
  out.push('');
  out.push('| matcher | path length | ms | answer |');
  out.push('|---|---:|---:|---|');
  out.push(`| cachelens | ${oursPath.length} | ${ours.ms.toFixed(2)} | ${ours.answer} |`);
  for (const r of balenaRows) out.push(`| @balena/dockerignore | ${r.len} | ${r.ms.toFixed(2)} | ${r.answer} |`);
  out.push('');
  console.log(out.join('\n'));
}

main();
