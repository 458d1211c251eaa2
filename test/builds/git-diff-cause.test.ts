// "Why it missed" when the saved builds hold no per-COPY hashes (saved by an
// older cachelens, or hashing stopped at a limit): the file list comes from
// `git diff` between the two builds' revisions, restricted to the build context,
// the COPY's sources and the ignore file, and says so (`filesFrom`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classify } from '../../server/src/engine/missFiles';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const LOGS = join(ROOT, 'test', 'fixtures', 'build-logs', 'multi-stage');

function buildLog(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'build-log', ...args], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('no hashes saved: the lockfile COPY miss is explained by git diff between the builds, restricted to its sources', () => {
  // a repository whose build context is a subfolder
  const repo = mkdtempSync(join(tmpdir(), 'cachelens-gitdiff-'));
  const app = join(repo, 'app');
  cpSync(join(ROOT, 'test', 'fixtures', 'build-logs', 'projects', 'multi-stage'), app, { recursive: true });
  appendFileSync(join(app, '.dockerignore'), '\nnotes/\n');
  mkdirSync(join(repo, 'other'));
  writeFileSync(join(repo, 'other', 'readme.txt'), 'outside the context\n');
  const git = (...a: string[]) => {
    const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { cwd: repo, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
  };
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'one');
  const first = git('rev-parse', 'HEAD');

  // the workspace is the repository (git looks for no repository above the workspace)
  const df = ['--dockerfile', 'app/Dockerfile'];
  buildLog(repo, [...df, '--save', join(LOGS, 'cold.log')]);
  const dir = join(repo, '.cachelens', 'builds');
  const [saved] = readdirSync(dir);
  const rec = JSON.parse(readFileSync(join(dir, saved), 'utf8'));
  assert.equal(rec.gitRevision, first);
  // as a record saved without hashes
  rec.copies = [];
  writeFileSync(join(dir, saved), JSON.stringify(rec));

  // the lock file changes; so do files the COPY does not take: the sources, an ignored folder, a file outside the context
  appendFileSync(join(app, 'package-lock.json'), '\n');
  appendFileSync(join(app, 'index.js'), '// edited\n');
  mkdirSync(join(app, 'notes'));
  writeFileSync(join(app, 'notes', 'n.txt'), 'ignored\n');
  appendFileSync(join(repo, 'other', 'readme.txt'), 'more\n');
  git('add', '.');
  git('commit', '-qm', 'two');

  const out = JSON.parse(buildLog(repo, [...df, '--format', 'json', join(LOGS, 'lockfile-edit.log')]));
  const miss = out.builds[0].firstMiss;
  assert.equal(miss.instruction, 'COPY package.json package-lock.json ./');
  assert.equal(miss.cause.kind, 'files');
  assert.equal(miss.cause.filesFrom, 'git-diff');
  assert.deepEqual(miss.cause.files, { changed: ['package-lock.json'], added: [], removed: [] });
  assert.match(miss.cause.message, /git diff.*`package-lock\.json`/);

  // with hashes on both sides the hashes decide (and say so)
  buildLog(repo, [...df, '--save', join(LOGS, 'cold.log')]);
  appendFileSync(join(app, 'package-lock.json'), '\n');
  const hashed = JSON.parse(buildLog(repo, [...df, '--format', 'json', join(LOGS, 'lockfile-edit.log')])).builds[0]
    .firstMiss;
  assert.equal(hashed.cause.filesFrom, 'hashes');
  assert.deepEqual(hashed.cause.files.changed, ['package-lock.json']);
});

test('no hashes and no usable revisions: no file list is made up', () => {
  const app = mkdtempSync(join(tmpdir(), 'cachelens-nogit-'));
  cpSync(join(ROOT, 'test', 'fixtures', 'build-logs', 'projects', 'multi-stage'), app, { recursive: true });
  appendFileSync(join(app, '.dockerignore'), '\n.cachelens\n');
  buildLog(app, ['--save', join(LOGS, 'cold.log')]);
  const dir = join(app, '.cachelens', 'builds');
  const [saved] = readdirSync(dir);
  const rec = JSON.parse(readFileSync(join(dir, saved), 'utf8'));
  assert.equal(rec.gitRevision, null);
  rec.copies = [];
  writeFileSync(join(dir, saved), JSON.stringify(rec));
  appendFileSync(join(app, 'package-lock.json'), '\n');
  const miss = JSON.parse(buildLog(app, ['--format', 'json', join(LOGS, 'lockfile-edit.log')])).builds[0].firstMiss;
  assert.notEqual(miss.cause.kind, 'files');
  assert.equal(miss.cause.filesFrom, undefined);
});

test('classify: statuses, the context prefix, sources and the ignore file', () => {
  const out = ['M', 'app/package-lock.json', 'A', 'app/package.json', 'D', 'app/src/x.js', 'M', 'app/notes/a', ''].join(
    '\0',
  );
  assert.deepEqual(
    classify(out, 'app', ['package.json', 'package-lock.json'], () => false),
    { changed: ['package-lock.json'], added: ['package.json'], removed: [] },
  );
  assert.deepEqual(
    classify(out, 'app', ['.'], (p) => p.startsWith('notes/')),
    { changed: ['package-lock.json'], added: ['package.json'], removed: ['src/x.js'] },
  );
});
