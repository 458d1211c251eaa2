// Headless Neovim on a .dockerignore (issue 3): CL103 arrives for a
// root-anchored `node_modules`, hover explains the pattern, the "**/" quick fix
// applied by Neovim's client clears it. Run with npm run test:nvim.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..', '..');

test('a .dockerignore in Neovim: CL103, hover, quick fix applied, finding gone', () => {
  assert.equal(spawnSync('nvim', ['--version']).status, 0, 'Neovim is missing: run test/e2e/harness/nvim-setup.sh');
  const dir = mkdtempSync(path.join(tmpdir(), 'cachelens-nvim-ignore-'));
  const ws = path.join(dir, 'app');
  cpSync(path.join(REPO, 'examples', 'node-app'), ws, { recursive: true });
  mkdirSync(path.join(ws, 'packages', 'web', 'node_modules', 'left-pad'), { recursive: true });
  writeFileSync(path.join(ws, 'packages', 'web', 'node_modules', 'left-pad', 'index.js'), 'module.exports = 1;\n');
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  for (const [name, sub] of [
    ['XDG_CONFIG_HOME', 'config'],
    ['XDG_DATA_HOME', 'data'],
    ['XDG_CACHE_HOME', 'cache'],
    ['XDG_STATE_HOME', 'state'],
  ]) {
    env[name] = path.join(dir, 'xdg', sub);
    mkdirSync(env[name], { recursive: true });
  }
  const resultFile = path.join(dir, 'result.json');
  Object.assign(env, {
    CACHELENS_SERVER: path.join(REPO, 'bin', 'cachelens-language-server'),
    CACHELENS_ROOT: ws,
    CACHELENS_RESULT: resultFile,
    CACHELENS_TIMEOUT: '20000',
  });
  const r = spawnSync(
    'nvim',
    [
      '--headless',
      '--noplugin',
      '-u',
      path.join(REPO, 'test', 'e2e', 'nvim', 'dockerignore.lua'),
      path.join(ws, '.dockerignore'),
    ],
    { env, encoding: 'utf8', timeout: 90_000, cwd: ws },
  );
  const result = JSON.parse(readFileSync(resultFile, 'utf8'));
  assert.equal(result.error, undefined, `${result.error}\n${r.stderr}`);
  assert.equal(result.ok, true);
  assert.equal(result.diagnostic.source, 'cachelens');
  assert.equal(result.diagnostic.lnum, 0);
  assert.match(result.diagnostic.message, /packages\/web\/node_modules/);
  assert.match(String(result.hover), /anchored at the context root/);
  assert.equal(result.fixed, result.original.replace(/^node_modules$/m, '**/node_modules'));
  assert.equal(readFileSync(path.join(ws, '.dockerignore'), 'utf8'), result.fixed);
});
