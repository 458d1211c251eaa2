// The .vsix holds only the bundles, grammar, icon and docs; the server bundle
// runs with no node_modules beside it; the manifest is installable in
// code-server 4.100.3 (engines.vscode ^1.100.0).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient } from '../helpers/lspClient';

import { REPO as root } from '../helpers/server';
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

test('vsce would package exactly the expected files', () => {
  // through the staging script: vsce refuses package.json's npm `files` list beside .vscodeignore
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'vsix.mjs'), 'ls'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const files = r.stdout
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .sort();
  assert.deepEqual(files, [
    'CHANGELOG.md',
    'LICENSE',
    'README.md',
    'dist/client.js',
    'dist/server.bundle.cache',
    'dist/server.bundle.js',
    'dist/server.js',
    'docs/walkthrough/1-open.md',
    'docs/walkthrough/2-squiggle.md',
    'docs/walkthrough/3-fix.md',
    'docs/walkthrough/4-configure.md',
    'images/icon.png',
    'package.json',
    'schemas/cachelens.schema.json',
    'syntaxes/dockerignore.language-configuration.json',
    'syntaxes/dockerignore.tmLanguage.json',
  ]);
});

test('manifest: engines, activation, languages, trust', () => {
  assert.equal(pkg.engines.vscode, '^1.100.0');
  assert.equal(pkg.main, './dist/client.js');
  const ids = pkg.contributes.languages.map((l: { id: string }) => l.id);
  assert.deepEqual(ids.sort(), ['dockerfile', 'dockerignore']);
  assert.ok(
    pkg.contributes.languages
      .find((l: { id: string }) => l.id === 'dockerfile')
      .filenamePatterns.includes('*.Dockerfile'),
  );
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  for (const key of ['cachelens.enable', 'cachelens.run', 'cachelens.rules', 'cachelens.contexts'])
    assert.ok(pkg.contributes.configuration.properties[key], key);
});

test('the server bundle starts and answers initialize with no node_modules beside it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cachelens-bundle-'));
  // the start (server.js), the bundle it runs and the bundle's code cache, as the .vsix ships them
  for (const f of ['server.js', 'server.bundle.js', 'server.bundle.cache'])
    copyFileSync(join(root, 'dist', f), join(dir, f));
  const client = new LspClient(['--stdio'], { script: join(dir, 'server.js'), cwd: dir });
  try {
    const init = await client.initialize(null, { capabilities: {} });
    assert.equal(init.capabilities.hoverProvider, true);
    assert.match(JSON.stringify(init.capabilities), /source\.fixAll\.cachelens/);
  } finally {
    client.kill();
  }
});

test('marketplace: gallery banner, categories, keywords, a walkthrough whose media and commands exist', () => {
  assert.match(pkg.galleryBanner.color, /^#[0-9a-f]{6}$/i);
  assert.ok(['dark', 'light'].includes(pkg.galleryBanner.theme));
  assert.ok(pkg.categories.includes('Linters'));
  assert.ok(pkg.keywords.length >= 5 && pkg.keywords.length <= 30);
  const [walkthrough] = pkg.contributes.walkthroughs;
  const ours = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
  const listed = spawnSync(process.execPath, [join(root, 'scripts', 'vsix.mjs'), 'ls'], {
    cwd: root,
    encoding: 'utf8',
  }).stdout;
  for (const step of walkthrough.steps) {
    assert.ok(listed.includes(step.media.markdown), `${step.media.markdown} is packaged`);
    for (const [, id] of step.description.matchAll(/\(command:(cachelens\.[\w]+)/g)) assert.ok(ours.has(id), id);
  }
  assert.ok(
    walkthrough.steps.some((s: { completionEvents?: string[] }) =>
      s.completionEvents?.includes('onCommand:cachelens.fixAllInFile'),
    ),
  );
});
