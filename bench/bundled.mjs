// Runs a benchmark on the code as it ships: bundles the bench entry with the
// same esbuild options as scripts/build.mjs (tsx would add a `__name` wrapper
// per function and transpile per module, which the shipped bundles do not
// have), then runs the bundle with the remaining arguments.
//
//   node bench/bundled.mjs bench/analysis.bench.ts [args…]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { basename, join } from 'node:path';

const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node bench/bundled.mjs <bench/entry.ts> [args…]');
  process.exit(2);
}
const outfile = join('bench', '.work', 'bundled', basename(entry).replace(/\.ts$/, '.cjs'));
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  mainFields: ['module', 'main'],
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, [outfile, ...rest], { stdio: 'inherit' });
process.exit(run.status ?? 1);
