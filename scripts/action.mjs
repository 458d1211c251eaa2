// Entry of the GitHub Action (action.yml): checks the given paths twice over
// one CLI, once printing the chosen format (workflow-command annotations by
// default) and once writing SARIF for code scanning, then sets the output
// `sarif-file`. The step's exit code is the CLI's (0 clean, 1 findings at or
// above fail-on, 2 bad input).
// The CLI: $CACHELENS_CLI, else the bundle beside this script when built,
// else the npm package of the action's version through npx.
import { existsSync, appendFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const input = (name, fallback) => (process.env[`INPUT_${name}`] ?? '').trim() || fallback;

function fail(message) {
  // one line, shown as an error annotation on the run
  process.stdout.write(
    `::error title=cachelens::${message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`,
  );
  process.exit(2);
}

const paths = input('PATHS', '.').split(/\s+/).filter(Boolean);
const failOn = input('FAIL_ON', 'warning');
const format = input('FORMAT', 'github');
const sarifFile = resolve(input('SARIF_FILE', 'cachelens.sarif'));
for (const p of paths) if (!existsSync(p)) fail(`path ${p} does not exist (input paths, relative to ${process.cwd()})`);

function cli() {
  if (process.env.CACHELENS_CLI) return [process.execPath, process.env.CACHELENS_CLI];
  const bundled = join(here, '..', 'dist', 'cli.js');
  if (existsSync(bundled)) return [process.execPath, bundled];
  const ref = process.env.CACHELENS_ACTION_VERSION ?? '';
  const version = /^v?\d+\.\d+\.\d+/.test(ref) ? ref.replace(/^v/, '') : 'latest';
  return ['npx', '--yes', `cachelens@${version}`];
}
const [cmd, ...pre] = cli();
const shown = spawnSync(cmd, [...pre, 'check', '--format', format, '--fail-on', failOn, '--', ...paths], {
  stdio: 'inherit',
});
if (shown.error) fail(`cannot run cachelens: ${shown.error.message}`);
if (shown.status === 2 || shown.status === null) process.exit(2);

// SARIF: one run per path, its locations made relative to the workspace (the
// CLI makes them relative to the path given), merged into one run for upload
let merged;
for (const p of paths) {
  const r = spawnSync(cmd, [...pre, 'check', '--format', 'sarif', '--fail-on', 'never', '--', p], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) fail(`the SARIF run on ${p} failed (exit ${r.status})`);
  const doc = JSON.parse(r.stdout);
  const base = statSync(p).isDirectory() ? p : dirname(p);
  const prefix = relative(process.cwd(), resolve(base)).split(sep).join('/');
  const rebase = (loc) => {
    if (prefix && loc?.artifactLocation?.uri) loc.artifactLocation.uri = `${prefix}/${loc.artifactLocation.uri}`;
  };
  for (const result of doc.runs[0].results) {
    for (const l of result.locations ?? []) rebase(l.physicalLocation);
    for (const l of result.relatedLocations ?? []) rebase(l.physicalLocation);
    for (const f of result.fixes ?? []) for (const c of f.artifactChanges ?? []) rebase(c);
  }
  if (!merged) merged = doc;
  else merged.runs[0].results.push(...doc.runs[0].results);
}
writeFileSync(sarifFile, JSON.stringify(merged, null, 2) + '\n');
if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `sarif-file=${sarifFile}\n`);
process.exit(shown.status);
