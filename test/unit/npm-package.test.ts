// The npm package works from its tarball alone: `npm pack` (prepack builds the
// bundles) then `npm install --offline` into an empty folder must succeed with
// no registry, and both bins run: the CLI on the examples, the language server
// through `initialize`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient } from '../helpers/lspClient';

import { REPO as root } from '../helpers/server';
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

test('runtime dependencies are empty: the bundles carry what they use', () => {
  assert.deepEqual(Object.keys(pkg.dependencies ?? {}), []);
  assert.equal(pkg.scripts.prepack, 'npm run build');
});

test('npm pack → npm install --offline into an empty folder → cachelens and cachelens-language-server run', async () => {
  const packDir = mkdtempSync(join(tmpdir(), 'cachelens-pack-'));
  const packed = spawnSync(npm, ['pack', '--json', '--pack-destination', packDir], {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
  });
  assert.equal(packed.status, 0, packed.stderr);
  // prepack's build logs to stdout ahead of the JSON
  const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')))[0];
  const files = info.files.map((f: { path: string }) => f.path).sort();
  assert.deepEqual(files, [
    'CHANGELOG.md',
    'LICENSE',
    'README.md',
    'bin/cachelens',
    'bin/cachelens-language-server',
    'dist/cli.js',
    'dist/server.bundle.cache',
    'dist/server.bundle.js',
    'dist/server.js',
    'docs/rules.md',
    'package.json',
    'schemas/cachelens.schema.json',
  ]);
  const tgz = join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz'))!);
  assert.equal(tgz, join(packDir, `cachelens-${pkg.version}.tgz`));

  const app = mkdtempSync(join(tmpdir(), 'cachelens-install-'));
  writeFileSync(join(app, 'package.json'), '{"name":"empty","private":true}');
  const cache = mkdtempSync(join(tmpdir(), 'cachelens-npm-cache-')); // an empty cache: nothing can come from elsewhere
  const inst = spawnSync(npm, ['install', '--offline', '--no-audit', '--no-fund', '--cache', cache, tgz], {
    cwd: app,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(inst.status, 0, inst.stderr);

  const bin = join(app, 'node_modules', '.bin');
  const check = spawnSync(join(bin, 'cachelens'), ['check', '--format', 'json', join(root, 'examples')], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(check.status, 1, check.stderr);
  const doc = JSON.parse(check.stdout);
  assert.ok(doc.files.some((f: { findings: { rule: string }[] }) => f.findings.some((x) => x.rule === 'CL001')));
  assert.equal(spawnSync(join(bin, 'cachelens'), ['--version'], { encoding: 'utf8' }).stdout.trim(), pkg.version);

  const client = new LspClient(['--stdio'], { command: join(bin, 'cachelens-language-server'), cwd: app });
  try {
    const init = await client.initialize(null, { capabilities: {} });
    assert.equal(init.capabilities.hoverProvider, true);
  } finally {
    client.kill();
  }
});
