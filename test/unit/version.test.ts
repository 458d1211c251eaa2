// The version comes from package.json: from source (tsx) by reading it, in the bundle through esbuild's define.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { VERSION } from '../../server/src/engine/version';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };

test('the version read from source is package.json version', () => {
  assert.equal(VERSION, pkg.version);
});

test('the bundled CLI prints package.json version (npm run build first)', () => {
  const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), '--version'], { encoding: 'utf8' });
  assert.equal(r.stdout.trim(), pkg.version);
});
