// Logs as they arrive in practice: CI timestamps, colours, CRLF, garbage, cut
// short, interleaved, two builds in one, compose with several Dockerfiles, a
// Dockerfile edited since, and a 200 MB log in bounded memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  writeFileSync,
  writeSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoReader } from '../../server/src/builds/log';
import { cleanLine } from '../../server/src/builds/lines';
import { mapBuild } from '../../server/src/builds/map';
import { parseDockerfile } from '../../server/src/parse/dockerfile';
import { buildLog, readBuildLog } from '../../server/src/engine/buildLog';

const LOGS = join(__dirname, '..', 'fixtures', 'build-logs');
import { CLI } from '../helpers/server';
const read = (p: string) => readFileSync(join(LOGS, p), 'utf8');

function parse(text: string) {
  const r = new AutoReader();
  for (const l of text.split('\n')) r.push(cleanLine(l));
  return r.finish();
}
function summary(text: string, dockerfile: string) {
  const parsed = parse(text);
  return parsed.builds.map((b) => {
    const m = mapBuild(b, parseDockerfile(dockerfile), 'Dockerfile');
    return {
      steps: m.steps.map((s) => `${s.range.start.line + 1}:${s.status}`).join(' '),
      firstMiss: m.firstMiss ? m.firstMiss.range.start.line + 1 : null,
    };
  });
}
const EXPRESS = read('node-express-api/Dockerfile');
const SOURCE_EDIT = { steps: '1:resolved 2:cached 3:executed 4:executed', firstMiss: 3 };

test('CI timestamps, ANSI colours and CRLF are stripped', () => {
  const noisy = read('node-express-api/source-edit.log')
    .split('\n')
    .map((l, i) => `2026-12-06T02:30:${String(i % 60).padStart(2, '0')}.1234567Z \x1b[0;34m${l}\x1b[0m\r`)
    .join('\n');
  assert.deepEqual(summary(noisy, EXPRESS), [SOURCE_EDIT]);
  assert.equal(cleanLine('[2026-12-06 02:30:00] #5 CACHED\r'), '#5 CACHED');
  assert.equal(cleanLine('\x1b]8;;http://x\x07#5 DONE 1.0s'), '#5 DONE 1.0s');
});

test('binary garbage between lines is skipped; a log without steps is a clear error', () => {
  const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256));
  const lines = read('node-express-api/source-edit.log').split('\n');
  lines.splice(10, 0, bytes.toString('latin1'), bytes.toString('utf8'));
  assert.deepEqual(summary(lines.join('\n'), EXPRESS), [SOURCE_EDIT]);

  const dir = mkdtempSync(join(tmpdir(), 'cachelens-badlog-'));
  writeFileSync(join(dir, 'garbage.log'), bytes);
  writeFileSync(join(dir, 'Dockerfile'), EXPRESS);
  const r = spawnSync(process.execPath, [CLI, 'build-log', 'garbage.log'], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no build steps found/);
  assert.equal(r.stdout, '');
  assert.ok(!existsSync(join(dir, '.cachelens')), 'nothing written without --save');
});

test('a log cut short: finished steps map, the unfinished one is counted, not guessed', () => {
  const cold = read('node-express-api/cold.log');
  const cut = cold.slice(0, cold.indexOf('#8 DONE'));
  const parsed = parse(cut);
  const m = mapBuild(parsed.builds[0], parseDockerfile(EXPRESS), 'Dockerfile');
  assert.deepEqual(
    m.steps.map((s) => s.status),
    ['resolved', 'executed', 'executed'],
  );
  assert.equal(m.unfinished, 1);
});

test('interleaved and out-of-order vertices', () => {
  const log = [
    '#1 [internal] load build definition from Dockerfile',
    '#1 DONE 0.0s',
    '#4 [1/4] FROM localhost/cachelens-node-base',
    '#5 [2/4] WORKDIR /app',
    '#4 DONE 0.0s',
    '#8 [4/4] RUN npm ci',
    '#7 [3/4] COPY . .',
    '#8 0.1 npm WARN something',
    '#7 CACHED',
    '#5 CACHED',
    '#8 1.5 added 79 packages',
    '#8 DONE 2.5s',
  ].join('\n');
  assert.deepEqual(summary(log, EXPRESS), [{ steps: '1:resolved 2:cached 3:cached 4:executed', firstMiss: 4 }]);
});

test('two builds in one log are mapped each', () => {
  const both = read('node-express-api/cold.log') + '\n' + read('node-express-api/source-edit.log');
  assert.deepEqual(summary(both, EXPRESS), [
    { steps: '1:resolved 2:executed 3:executed 4:executed', firstMiss: 2 },
    SOURCE_EDIT,
  ]);
});

test('a Dockerfile edited since the build: says which lines no longer match', () => {
  const edited = read('multi-stage/Dockerfile').replace('COPY . .', 'COPY index.js ./');
  const parsed = parse(read('multi-stage/source-edit.log'));
  const m = mapBuild(parsed.builds[0], parseDockerfile(edited), 'Dockerfile');
  assert.equal(m.mismatches?.length, 1);
  assert.equal(m.mismatches![0].range!.start.line + 1, 11);
  assert.equal(m.mismatches![0].logged, 'COPY . .');
  assert.equal(m.mismatches![0].instruction, 'COPY index.js ./');
  assert.ok(!m.steps.some((s) => s.range.start.line === 10), 'no status guessed for the edited line');
  // a step added: the stage's count differs, every step of that stage is reported
  const added = read('multi-stage/Dockerfile').replace('COPY . .', 'COPY . .\nRUN true');
  const m2 = mapBuild(parsed.builds[0], parseDockerfile(added), 'Dockerfile');
  assert.ok(m2.mismatches!.every((x) => /5 numbered steps, the Dockerfile's 6/.test(x.reason)));
  assert.ok(
    m2.steps.every((s) => s.stage === 'deps' || s.instruction.startsWith('FROM') || s.instruction === 'WORKDIR /app'),
  );
});

test('compose: one solve, several services and Dockerfiles, each mapped onto its own', () => {
  // compose prefixes every vertex name with the service and numbers all of them in one solve
  const renumber = (text: string, service: string, offset: number) =>
    text.replace(
      /^#(\d+) (\[(?:[^\]]*)\] )?/gm,
      (_, n, br) => `#${Number(n) + offset} ${br ? br.replace('[', `[${service} `) : ''}`,
    );
  const log =
    renumber(read('multi-stage/source-edit.log'), 'web', 0) +
    '\n' +
    renumber(read('node-express-api/cold.log'), 'api', 100);
  const dir = mkdtempSync(join(tmpdir(), 'cachelens-compose-'));
  mkdirSync(join(dir, 'web'));
  mkdirSync(join(dir, 'api'));
  writeFileSync(join(dir, 'web', 'Dockerfile'), read('multi-stage/Dockerfile'));
  writeFileSync(join(dir, 'api', 'Dockerfile'), EXPRESS);
  writeFileSync(join(dir, 'build.log'), log);
  const r = buildLog({
    log: join(dir, 'build.log'),
    format: 'json',
    dockerfiles: [],
    save: false,
    cwd: dir,
    note: () => {},
  });
  assert.deepEqual(
    r.builds.map((b) => [b.dockerfile, b.firstMiss?.range.start.line, b.mismatches]),
    [
      ['web/Dockerfile', 10, undefined],
      ['api/Dockerfile', 1, undefined],
    ],
  );
});

test('a 200 MB log streams in bounded memory with a progress line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cachelens-biglog-'));
  writeFileSync(join(dir, 'Dockerfile'), EXPRESS);
  const file = join(dir, 'big.log');
  const fd = openSync(file, 'w');
  const cold = read('node-express-api/cold.log');
  const cut = cold.indexOf('#8 DONE');
  writeSync(fd, cold.slice(0, cut));
  const chunk = Buffer.from(
    Array.from(
      { length: 8192 },
      (_, i) =>
        `#8 ${(i / 100).toFixed(3)} npm http fetch GET 200 https://registry.npmjs.org/pkg-${i} 12ms (cache hit)\n`,
    ).join(''),
  );
  let written = 0;
  while (written < 200 * 1024 * 1024) written += writeSync(fd, chunk);
  writeSync(fd, 'x'.repeat(3 * 1024 * 1024) + '\n'); // one 3 MB line
  writeSync(fd, cold.slice(cut));
  closeSync(fd);
  const r = spawnSync(process.execPath, ['--max-old-space-size=64', CLI, 'build-log', '--format', 'json', 'big.log'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /read \d+ MB of 2\d\d MB/);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(
    out.builds[0].steps.map((s: { status: string }) => s.status),
    ['resolved', 'executed', 'executed', 'executed'],
  );
  // the same through the API
  assert.equal(readBuildLog(file).builds.length, 1);
});

test('a log of another Dockerfile: every step reported as not matching, no first miss guessed', () => {
  const parsed = parse(read('multi-stage/cold.log'));
  const m = mapBuild(parsed.builds[0], parseDockerfile(EXPRESS), 'Dockerfile');
  assert.deepEqual(m.steps, []);
  assert.equal(m.firstMiss, null);
  assert.equal(m.mismatches!.length, 7);
  assert.match(m.mismatches![0].reason, /no stage deps in the Dockerfile/);
});
