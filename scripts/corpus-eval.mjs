// Runs the CLI over every Dockerfile of shared/corpus/real-dockerfiles and
// compares CL001 with the manifest's labelled copies_source_before_deps column.
// Usage: node scripts/corpus-eval.mjs [corpus-dir]   (after npm run build)
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const corpus = resolve(
  process.argv[2] ?? process.env.CACHELENS_CORPUS ?? join(here, '..', '..', 'shared', 'corpus', 'real-dockerfiles'),
);
const rows = readFileSync(join(corpus, 'manifest.tsv'), 'utf8').trim().split('\n');
const header = rows[0].split('\t');
const col = (name) => header.indexOf(name);
const files = readdirSync(corpus).filter(
  (f) => !f.endsWith('.dockerignore') && f !== 'manifest.tsv' && !f.endsWith('.md'),
);
const r = spawnSync(
  process.execPath,
  [join(here, '..', 'dist', 'cli.js'), 'check', '--format', 'json', '--fail-on', 'never', ...files],
  { cwd: corpus, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
);
if (r.status !== 0) {
  console.error(r.stderr);
  process.exit(2);
}
const internal = r.stderr.split('\n').filter((l) => /internal error/.test(l));
const report = JSON.parse(r.stdout);
const fired = new Map();
const perRule = new Map();
for (const f of report.files) {
  for (const x of f.findings) perRule.set(x.rule, (perRule.get(x.rule) ?? 0) + 1);
  if (f.kind === 'dockerfile')
    fired.set(
      f.path,
      f.findings.some((x) => x.rule === 'CL001'),
    );
}
let tp = 0,
  fp = 0,
  fn = 0,
  tn = 0;
const misses = [];
for (const line of rows.slice(1)) {
  const cells = line.split('\t');
  const file = cells[col('file')];
  const label = cells[col('copies_source_before_deps')];
  if (!fired.has(file) || !['yes', 'no', 'n.a.'].includes(label)) continue;
  const got = fired.get(file);
  const want = label === 'yes';
  if (got && want) tp++;
  else if (got && !want) {
    fp++;
    misses.push(`FP ${file} (${label})`);
  } else if (!got && want) {
    fn++;
    misses.push(`FN ${file}`);
  } else tn++;
}
const precision = tp / (tp + fp || 1);
const recall = tp / (tp + fn || 1);
console.log(
  `files analysed: ${report.files.filter((f) => f.kind === 'dockerfile').length} of ${files.length}; internal errors: ${internal.length}`,
);
console.log(
  `CL001 vs labelled copies_source_before_deps (yes vs no/n.a.; held-out rows excluded): TP ${tp}, FP ${fp}, FN ${fn}, TN ${tn}`,
);
console.log(`precision ${(precision * 100).toFixed(1)}%, recall ${(recall * 100).toFixed(1)}%`);
console.log(
  'findings per rule: ' +
    [...perRule]
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
);
if (process.argv.includes('--list')) console.log(misses.join('\n'));
process.exitCode = internal.length ? 1 : 0;
