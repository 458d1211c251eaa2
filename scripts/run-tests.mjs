// Runs every *.test.ts under test/ (except the slow e2e suites) with node's test runner through tsx.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const skip = new Set(['e2e', 'vscode']);
function collect(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (!skip.has(name) && name !== 'fixtures') collect(p, out);
    } else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}
const files = process.argv.length > 2 ? process.argv.slice(2) : collect('test', []);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
