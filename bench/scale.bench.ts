// The CLI on generated trees far past the index's limits: wall time, peak RSS,
// exit code, and what the output says about the incomplete listing.
//
//   node --import tsx bench/scale.bench.ts [--files 1000000] [--compare 100000] [--folders 1000000] [--runs 3] [--out bench/results/index.md] [--keep DIR] [--cli FILE]
//
// Builds the CLI with the options of scripts/build.mjs into
// bench/.work/scale/cli.js (dist/ is left alone), generates each tree in a
// temp folder (empty files; a Dockerfile with `COPY . .` before `RUN npm ci`
// and a package.json at the root; no ignore file, so every file is in the
// context), runs `/usr/bin/time -v node cli.js check --format json DIR` on
// the trees in turn, and deletes them (--keep DIR generates them in DIR, or
// reuses them, and keeps them). --folders 0 skips the tree of empty folders.
// --cli FILE runs that CLI bundle instead (e.g. one built from an older commit).
// Writes its section into --out, replacing an earlier one and keeping the rest.

import { spawnSync } from 'node:child_process';
import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { arg, median } from './util';

const REPO = path.resolve(__dirname, '..');
const TITLE = '## The CLI on a 1,000,000-file tree (bounded memory)';
const DOCKERFILE = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "index.js"]\n';

function writeRoot(root: string): void {
  nodeFs.mkdirSync(root, { recursive: true });
  nodeFs.writeFileSync(path.join(root, 'Dockerfile'), DOCKERFILE);
  nodeFs.writeFileSync(path.join(root, 'package.json'), '{"name":"scale","version":"1.0.0"}\n');
}

/** `files` empty files, 100 per folder, half in node_modules/ (which the CLI's Dockerfile search skips), half in src/. */
function generateFiles(root: string, files: number): { files: number; folders: number } {
  writeRoot(root);
  let made = 2;
  let folders = 0;
  for (let a = 0; made < files; a++) {
    folders += a < 2 ? 2 : 1; // p<a>, and node_modules/ or src/ the first time
    for (let b = 0; b < 100 && made < files; b++, folders++) {
      const dir = path.join(root, a % 2 ? 'src' : 'node_modules', `p${a}`, `m${b}`);
      nodeFs.mkdirSync(dir, { recursive: true });
      for (let c = 0; c < 100 && made < files; c++, made++)
        nodeFs.closeSync(nodeFs.openSync(path.join(dir, `f${c}.js`), 'w'));
    }
  }
  return { files: made, folders };
}

/** `folders` empty folders, 1,000 per parent, beside the two root files. */
function generateFolders(root: string, folders: number): { files: number; folders: number } {
  writeRoot(root);
  let made = 0;
  for (let a = 0; made < folders; a++)
    for (let b = 0; b < 1000 && made < folders; b++, made++)
      nodeFs.mkdirSync(path.join(root, 'cache', `d${a}`, `e${b}`), { recursive: true });
  return { files: 2, folders: made + Math.ceil(folders / 1000) + 1 };
}

interface Run {
  wallS: number;
  rssMb: number;
  exit: number;
  stdout: string;
}

/** One CLI run under GNU time; its wall clock, peak RSS and exit status come from time's report. */
function timedCli(cli: string, args: string[]): Run {
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, cli, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
  });
  if (r.error) throw new Error(`/usr/bin/time -v could not run: ${r.error.message}`);
  const field = (name: string) => {
    const m = new RegExp(`^\\s*${name}[^:]*(?:\\([^)]*\\))?: (.+)$`, 'm').exec(r.stderr);
    if (!m) throw new Error(`no "${name}" in the output of /usr/bin/time:\n${r.stderr}`);
    return m[1].trim();
  };
  const clock = field('Elapsed \\(wall clock\\) time').split(':').map(Number);
  const wallS = clock.reduce((s, x) => s * 60 + x, 0);
  return {
    wallS,
    rssMb: Number(field('Maximum resident set size')) / 1024,
    exit: Number(field('Exit status')),
    stdout: r.stdout,
  };
}

/** What a report says about an incomplete listing, if anything. */
function truncationIn(text: string): string | undefined {
  return /listing incomplete: ([^\n"]*?\))\)?\.?$/m.exec(text)?.[1] ?? /stopped after [^\n"]*/.exec(text)?.[0];
}

function main(): void {
  const target = Number(arg('--files', '1000000'));
  const compare = Number(arg('--compare', '100000'));
  const folderTarget = Number(arg('--folders', '1000000'));
  const runs = Number(arg('--runs', '3'));
  const out = arg('--out', path.join(REPO, 'bench', 'results', 'index.md'));
  const keep = arg('--keep', '');
  const base = keep || nodeFs.mkdtempSync(path.join(os.tmpdir(), 'cachelens-scale-'));
  const loadStart = os.loadavg()[0];

  const given = arg('--cli', '');
  const cli = given ? path.resolve(given) : path.join(REPO, 'bench', '.work', 'scale', 'cli.js');
  if (!given)
    buildSync({
      entryPoints: [path.join(REPO, 'server', 'src', 'cli.ts')],
      outfile: cli,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: true,
      mainFields: ['module', 'main'],
      logLevel: 'warning',
    });

  const trees: { label: string; dir: string; files: number; folders: number; runs: Run[]; text?: string }[] = [];
  try {
    const add = (label: string, name: string, make: (dir: string) => { files: number; folders: number }) => {
      const dir = path.join(base, name);
      const t0 = Date.now();
      const reuse = nodeFs.existsSync(path.join(dir, 'Dockerfile'));
      const shape = reuse ? count(dir) : make(dir);
      console.error(
        `${reuse ? 'reused' : 'generated'} ${label}: ${shape.files} files, ${shape.folders} folders in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      );
      trees.push({ label, dir, ...shape, runs: [] });
    };
    if (compare > 0)
      add(`${compare.toLocaleString('en-US')} files`, `files-${compare}`, (d) => generateFiles(d, compare));
    add(`${target.toLocaleString('en-US')} files`, `files-${target}`, (d) => generateFiles(d, target));
    if (folderTarget > 0)
      add(`${folderTarget.toLocaleString('en-US')} empty folders`, `folders-${folderTarget}`, (d) =>
        generateFolders(d, folderTarget),
      );
    spawnSync('sync');

    for (let r = 0; r < runs; r++) {
      for (const t of r % 2 ? [...trees].reverse() : trees) {
        const run = timedCli(cli, ['check', '--format', 'json', t.dir]);
        if (run.exit !== 0 && run.exit !== 1) throw new Error(`the CLI exited with ${run.exit} on ${t.label}`);
        JSON.parse(run.stdout);
        t.runs.push(run);
        console.error(`${t.label}: ${run.wallS.toFixed(2)} s, ${run.rssMb.toFixed(1)} MB, exit ${run.exit}`);
      }
    }
    // The text report once per tree, untimed: its header is where the CLI says the listing is incomplete.
    for (const t of trees)
      t.text = spawnSync(process.execPath, [cli, 'check', t.dir], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 }).stdout;
  } finally {
    if (!keep) nodeFs.rmSync(base, { recursive: true, force: true });
  }

  const fmt = (x: number, d = 1) => x.toFixed(d);
  const rows = trees.map((t) => {
    const walls = t.runs.map((r) => r.wallS);
    const rss = t.runs.map((r) => r.rssMb);
    const exits = [...new Set(t.runs.map((r) => r.exit))].join(', ');
    const json = t.runs.map((r) => truncationIn(r.stdout)).find((x) => x);
    const text = truncationIn(t.text ?? '');
    const message = json
      ? `JSON: "${json}"`
      : text
        ? `JSON: none; text header: "${text}"`
        : 'none (the listing is complete)';
    return `| ${t.label} | ${t.files.toLocaleString('en-US')} | ${t.folders.toLocaleString('en-US')} | ${fmt(median(walls), 2)} (${walls.map((w) => fmt(w, 2)).join(', ')}) | ${fmt(Math.max(...rss))} (${rss.map((x) => fmt(x)).join(', ')}) | ${exits} | ${message} |`;
  });
  const header = trees
    .map((t) => (t.text ?? '').split('\n').find((l) => l.startsWith('# ')))
    .find((l) => l && truncationIn(l));
  const argsShown = [
    target !== 1000000 ? `--files ${target}` : '',
    compare !== 100000 ? `--compare ${compare}` : '',
    folderTarget !== 1000000 ? `--folders ${folderTarget}` : '',
    runs !== 3 ? `--runs ${runs}` : '',
    keep ? `--keep ${keep}` : '',
    process.argv.includes('--out') ? `--out ${path.relative(process.cwd(), out)}` : '',
    given ? `--cli ${given}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const md = [
    TITLE,
    '',
    'Command (from the repository root):',
    '',
    '```',
    `node --import tsx bench/scale.bench.ts${argsShown ? ' ' + argsShown : ''}`,
    '```',
    '',
    `Run ${new Date().toISOString()} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${os.platform()} ${os.release()}; load average ${fmt(loadStart)} at the start, ${fmt(os.loadavg()[0])} at the end (the machine was shared with other work).`,
    '',
    `${given ? `The CLI is \`${given}\`,` : 'The CLI is built with the options of `scripts/build.mjs` (into `bench/.work/scale/cli.js`) and'} run as \`/usr/bin/time -v node cli.js check --format json DIR\`, ${runs} runs per tree, the trees in turn; wall clock, peak RSS ("Maximum resident set size") and exit status are time's. Each tree is generated ${keep ? `in \`${keep}\` (kept, and reused when there)` : 'in a temp folder and deleted afterwards'}: empty files, 100 per folder, half under \`node_modules/\` and half under \`src/\`; or empty folders, 1,000 per parent. At each root: a \`Dockerfile\` with \`COPY . .\` before \`RUN npm ci\`, and a \`package.json\`; no ignore file, so every file is in the context. The index stops after 200,000 entries or 200,000 folders.`,
    '',
    '| tree | files | folders | wall s, median (runs) | peak RSS MB, max (runs) | exit code | what the output says about the truncation |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    'Exit code 1 is the verdict, not a failure: the findings include warnings (CL001, CL101) and `--fail-on` defaults to `warning`.',
    header ? `\nThe text report's header on the largest tree:\n\n\`\`\`\n${header}\n\`\`\`` : '',
    '',
  ].join('\n');

  const old = nodeFs.existsSync(out) ? nodeFs.readFileSync(out, 'utf8') : '';
  const at = old.indexOf(TITLE);
  let next = at < 0 ? -1 : old.slice(at + TITLE.length).search(/^## /m);
  if (next >= 0) next += at + TITLE.length;
  const merged =
    at < 0 ? old.replace(/\n*$/, '\n\n') + md : old.slice(0, at) + md + (next >= 0 ? '\n' + old.slice(next) : '');
  nodeFs.mkdirSync(path.dirname(out), { recursive: true });
  nodeFs.writeFileSync(out, merged);
  console.log(md);
}

function count(dir: string): { files: number; folders: number } {
  const n = (type: string) =>
    Number(
      spawnSync('sh', ['-c', `find "${dir}" -mindepth 1 -type ${type} | wc -l`], { encoding: 'utf8' }).stdout.trim(),
    );
  return { files: n('f'), folders: n('d') };
}

main();
