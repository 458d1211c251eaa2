// The README's build-log transcript (a real cold build, warm rebuild and source
// edit) is what the CLI prints for those logs today.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const LOGS = join(ROOT, 'test', 'fixtures', 'build-logs', 'node-express-api');

test("README: the build-log transcript matches the CLI's output on the real logs", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('$ cachelens build-log cold.log');
  assert.ok(start > 0);
  const block = readme.slice(start, readme.indexOf('```', start));
  const runs = block.split(/^\$ cachelens build-log (\S+)\n/m).slice(1);
  assert.deepEqual(
    runs.filter((_, i) => i % 2 === 0),
    ['cold.log', 'warm.log', 'source-edit.log'],
  );
  const dir = mkdtempSync(join(tmpdir(), 'cachelens-readme-'));
  cpSync(join(ROOT, 'bench', 'realbuild', 'projects', 'node-express-api'), dir, { recursive: true });
  appendFileSync(join(dir, '.dockerignore'), '\n.cachelens\n');
  const cli = (args: string[]) => {
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'build-log', ...args], {
      cwd: dir,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  // the `why` line of the source edit needs the cold build saved, and the edit made
  assert.equal(cli(['--save', join(LOGS, 'cold.log')]), runs[1]);
  assert.equal(cli([join(LOGS, 'warm.log')]), runs[3]);
  appendFileSync(join(dir, 'src', 'server.js'), '\n// edited\n');
  assert.equal(cli([join(LOGS, 'source-edit.log')]), runs[5]);
});
