// --save keeps the mapped build with the git revision and per-COPY file hashes;
// the next import explains its first miss from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CLI, REPO as ROOT } from '../helpers/server';
const LOGS = join(ROOT, 'test', 'fixtures', 'build-logs');

function project(src: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cachelens-saved-'));
  cpSync(src, dir, { recursive: true });
  return dir;
}
function run(dir: string, args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'build-log', ...args], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return { out: r.stdout, err: r.stderr };
}
const saved = (dir: string) => {
  try {
    return readdirSync(join(dir, '.cachelens', 'builds')).sort();
  } catch {
    return [];
  }
};
const firstMiss = (out: string) => JSON.parse(out).builds[0].firstMiss;

test('--save: git revision and hashes per COPY; a source edit is explained by the changed file', () => {
  const dir = project(join(ROOT, 'bench', 'realbuild', 'projects', 'node-express-api'));
  const git = (...a: string[]) =>
    spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { cwd: dir, encoding: 'utf8' });
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'x');
  const head = git('rev-parse', 'HEAD').stdout.trim();

  run(dir, ['--save', join(LOGS, 'node-express-api', 'cold.log')]);
  const files = saved(dir);
  assert.equal(files.length, 1);
  const rec = JSON.parse(readFileSync(join(dir, '.cachelens', 'builds', files[0]), 'utf8'));
  assert.equal(rec.gitRevision, head);
  assert.equal(rec.dockerfile, 'Dockerfile');
  const copy = rec.copies.find((c: { instruction: string }) => c.instruction === 'COPY . .');
  assert.match(copy.files['src/server.js'], /^[0-9a-f]{64}$/);
  assert.ok(!('node_modules/x' in copy.files));

  appendFileSync(join(dir, 'src', 'server.js'), '\n// edited\n');
  const r = run(dir, ['--format', 'json', join(LOGS, 'node-express-api', 'source-edit.log')]);
  const miss = firstMiss(r.out);
  assert.equal(miss.instruction, 'COPY . .');
  assert.equal(miss.cause.kind, 'files');
  // the saved build itself is in the context of `COPY . .` unless ignored, and busts it too
  assert.deepEqual(miss.cause.files.changed, ['src/server.js']);
  assert.match(miss.cause.files.added[0], /^\.cachelens\/builds\/.*\.json$/);
  appendFileSync(join(dir, '.dockerignore'), '\n.cachelens\n');
  const ignored = firstMiss(run(dir, ['--format', 'json', join(LOGS, 'node-express-api', 'source-edit.log')]).out);
  assert.deepEqual(ignored.cause.files, { changed: ['src/server.js'], added: [], removed: [] });
  assert.equal(saved(dir).length, 1, 'nothing written without --save');
  const text = run(dir, [join(LOGS, 'node-express-api', 'source-edit.log')]).out;
  assert.match(text, /why: files under this COPY changed since the previous build: changed `src\/server\.js`/);
});

test('a build arg shown in the RUN: old and new value; one only in scope: named as the likely cause', () => {
  const dir = project(join(LOGS, 'projects', 'multi-stage'));
  run(dir, ['--save', join(LOGS, 'multi-stage', 'cold.log')]);
  const miss = firstMiss(run(dir, ['--format', 'json', join(LOGS, 'multi-stage', 'build-arg.log')]).out);
  assert.equal(miss.range.start.line, 11);
  assert.deepEqual(miss.cause.kind, 'build-arg');
  assert.match(miss.cause.message, /GREETING was `one`, now `two`/);

  const top = project(join(ROOT, 'bench', 'realbuild', 'projects', 'node-fastify-argtop'));
  run(top, ['--save', join(LOGS, 'node-fastify-argtop', 'cold.log')]);
  const m2 = firstMiss(run(top, ['--format', 'json', join(LOGS, 'node-fastify-argtop', 'build-arg.log')]).out);
  assert.equal(m2.instruction, 'RUN npm ci');
  assert.equal(m2.cause.kind, 'build-arg');
  assert.match(m2.cause.message, /ARGs in scope \(GIT_SHA\)/);
});

test('an edited instruction; the lockfile under a manifest COPY', () => {
  const dir = project(join(LOGS, 'projects', 'multi-stage'));
  run(dir, ['--save', join(LOGS, 'multi-stage', 'cold.log')]);
  appendFileSync(join(dir, 'package-lock.json'), '\n');
  const lock = firstMiss(run(dir, ['--format', 'json', join(LOGS, 'multi-stage', 'lockfile-edit.log')]).out);
  assert.deepEqual(lock.cause.files.changed, ['package-lock.json']);

  const edited = readFileSync(join(dir, 'Dockerfile'), 'utf8').replace('RUN npm ci', 'RUN npm ci --no-audit');
  writeFileSync(join(dir, 'Dockerfile'), edited);
  const log = readFileSync(join(LOGS, 'multi-stage', 'warm.log'), 'utf8')
    .replace('[deps 4/4] RUN npm ci', '[deps 4/4] RUN npm ci --no-audit')
    .replace(/^#8 CACHED$/m, '#8 DONE 9.0s');
  writeFileSync(join(dir, 'edited.log'), log);
  const m = firstMiss(run(dir, ['--format', 'json', 'edited.log']).out);
  assert.equal(m.instruction, 'RUN npm ci --no-audit');
  assert.equal(m.cause.kind, 'instruction');
  assert.match(m.cause.message, /was `RUN npm ci`/);
});

test('check: findings carry the measured cost from saved builds; --sort cost orders by it', () => {
  const dir = project(join(LOGS, 'projects', 'multi-stage'));
  appendFileSync(join(dir, '.dockerignore'), '\n.cachelens\n');
  const before = spawnSync(process.execPath, [CLI, 'check', '--fail-on', 'never', '--format', 'json', 'Dockerfile'], {
    cwd: dir,
    encoding: 'utf8',
  });
  const plain = JSON.parse(before.stdout).files[0].findings as { message: string }[];
  assert.ok(
    plain.every((f) => !/saved builds/.test(f.message)),
    'no saved build: messages as they were',
  );
  run(dir, ['--save', join(LOGS, 'multi-stage', 'cold.log')]);
  const r = spawnSync(process.execPath, [CLI, 'check', '--fail-on', 'never', '--sort', 'cost', 'Dockerfile'], {
    cwd: dir,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n').filter((l) => l.startsWith('Dockerfile:'));
  const costs = lines.map((l) =>
    Number(/re-runs (\d+(?:\.\d+)?) s of steps in the saved builds\)$/.exec(l)?.[1] ?? -1),
  );
  assert.ok(
    costs.some((c) => c > 10),
    lines.join('\n'),
  ); // the deps stage's npm ci took 14.5 s
  assert.deepEqual(
    costs,
    [...costs].sort((a, b) => b - a),
  );
  // RUN npm ci (line 5): its own 14.5 s, rounded past 10 s
  assert.match(lines.find((l) => l.startsWith('Dockerfile:5:'))!, /re-runs 15 s/);
  const bad = spawnSync(process.execPath, [CLI, 'check', '--sort', 'size', 'Dockerfile'], {
    cwd: dir,
    encoding: 'utf8',
  });
  assert.equal(bad.status, 2);
});
