// The pre-commit hook (.pre-commit-hooks.yaml) through the real `pre-commit`
// tool: it installs the hook repository as a node hook (npm install, npm pack,
// npm install -g, with no network) and runs it on `git commit` in a sample
// repository. The hook repository is this project's hook file, bins and
// bundles with a package.json reduced to what the package runs (the full
// source checkout would make npm install every devDependency first; .ci/run's
// pre-commit step does that path once).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { REPO as root } from '../helpers/server';
const hasPreCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;
const skip = hasPreCommit ? false : 'pre-commit is not installed (apt-get install -y pre-commit)';

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 240_000, env: { ...process.env, ...env } });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

function git(cwd: string, ...args: string[]) {
  const r = sh(
    'git',
    ['-c', 'user.email=test@example.com', '-c', 'user.name=test', '-c', 'commit.gpgsign=false', ...args],
    cwd,
  );
  assert.equal(r.code, 0, r.out);
  return r.out;
}

function hookRepository(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cachelens-hookrepo-'));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const reduced = { name: pkg.name, version: pkg.version, license: pkg.license, bin: pkg.bin, files: pkg.files };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(reduced, null, 2));
  for (const f of [
    '.pre-commit-hooks.yaml',
    '.npmrc',
    'bin',
    'dist/cli.js',
    'dist/server.js',
    'docs/rules.md',
    'README.md',
    'LICENSE',
    'CHANGELOG.md',
  ]) {
    cpSync(join(root, f), join(dir, f), { recursive: true });
  }
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'hook');
  return dir;
}

test('pre-commit: a naive Dockerfile is refused with the finding, the fixed one passes, no Dockerfile staged passes', {
  skip,
  timeout: 300_000,
}, () => {
  const hooks = hookRepository();
  const rev = git(hooks, 'rev-parse', 'HEAD').trim();
  const repo = mkdtempSync(join(tmpdir(), 'cachelens-precommit-'));
  const env = {
    PRE_COMMIT_HOME: mkdtempSync(join(tmpdir(), 'cachelens-pchome-')),
    npm_config_offline: 'true',
    npm_config_cache: mkdtempSync(join(tmpdir(), 'cachelens-npmcache-')),
  };
  git(repo, 'init', '-q');
  writeFileSync(
    join(repo, '.pre-commit-config.yaml'),
    `repos:\n  - repo: ${hooks}\n    rev: ${rev}\n    hooks:\n      - id: cachelens\n`,
  );
  writeFileSync(join(repo, 'README.md'), '# app\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'start');
  const install = sh('pre-commit', ['install'], repo, env);
  assert.equal(install.code, 0, install.out);
  const commit = (msg: string) =>
    sh('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', 'commit', '-m', msg], repo, env);

  // nothing Docker staged: the hook is skipped, the commit goes through
  writeFileSync(join(repo, 'README.md'), '# app\n\nmore\n');
  git(repo, 'add', 'README.md');
  const plain = commit('docs');
  assert.equal(plain.code, 0, plain.out);
  assert.match(plain.out, /cachelens \(Docker build cache\)\.+\(no files to check\)Skipped/);

  // a naive Dockerfile: refused, with the finding
  writeFileSync(join(repo, 'package.json'), '{"name":"app","dependencies":{}}\n');
  writeFileSync(join(repo, 'package-lock.json'), '{}\n');
  writeFileSync(join(repo, 'index.js'), 'console.log(1)\n');
  writeFileSync(
    join(repo, 'Dockerfile'),
    'FROM node:20.11.1\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "index.js"]\n',
  );
  git(repo, 'add', '-A');
  const naive = commit('naive');
  assert.notEqual(naive.code, 0, naive.out);
  assert.match(naive.out, /cachelens \(Docker build cache\)\.+Failed/);
  assert.match(naive.out, /Dockerfile:3:1 warning CL001 `COPY \. \.` copies/);
  assert.match(naive.out, /CL101 No ignore file applies/);

  // fixed (by cachelens fix): accepted
  const fixed = sh(process.execPath, [join(root, 'bin', 'cachelens'), 'fix', '.'], repo);
  assert.equal(fixed.code, 0, fixed.out);
  git(repo, 'add', '-A');
  const ok = commit('fixed');
  assert.equal(ok.code, 0, ok.out);
  assert.match(ok.out, /cachelens \(Docker build cache\)\.+Passed/);

  // an ignore file staged alone checks the Dockerfile it serves: un-ignoring the Dockerfile is refused (CL102)
  writeFileSync(join(repo, '.dockerignore'), '.git\n');
  git(repo, 'add', '.dockerignore');
  const ignore = commit('ignore');
  assert.notEqual(ignore.code, 0, ignore.out);
  assert.match(ignore.out, /\.dockerignore:1:1 warning CL102/);
});
