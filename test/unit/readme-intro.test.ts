// The README opens with `npx cachelens check examples/` and its output: every
// line it shows must be a line the CLI prints today, and the summary line must
// be the CLI's, so the first thing a reader sees cannot drift from the product.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ensureBuilt, REPO } from '../helpers/server';

test('README intro: the shown check output is what the CLI prints on the examples', () => {
  ensureBuilt();
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const block = /```\n\$ npx cachelens check examples\/\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'the README opens with a `npx cachelens check examples/` block');
  const shown = block[1].split('\n').filter((l) => l && l !== '…');
  const r = spawnSync(process.execPath, [CLI, 'check', '--fail-on', 'never', 'examples/'], {
    cwd: REPO,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const printed = r.stdout.split('\n').filter(Boolean);
  for (const line of shown)
    assert.ok(printed.includes(line), `the README shows a line the CLI no longer prints:\n${line}`);
  assert.equal(shown.at(-1), printed.at(-1), 'the README summary line is the CLI summary');
});
