// The cache forecast on synthetic histories: exact miss counts per step for
// source edits, lockfile bumps, docs-only commits, .dockerignore and
// Dockerfile edits, renames, merges, volatile ARGs, stage inheritance and
// COPY --from; clear messages for the bad inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Repo } from './repo';
import { loadHistory } from '../../server/src/history/history';
import { replay } from '../../server/src/history/forecast';
import { Workspace } from '../../server/src/engine/workspace';
import { forecastDockerfile, ForecastUnavailable } from '../../server/src/engine/forecast';
import { ForecastCache, forecastHoverLine, forecastFixLine } from '../../server/src/engine/forecastCache';
import { parseDockerfile } from '../../server/src/parse/dockerfile';
import { main } from '../../server/src/cli';

function forecastOf(repo: Repo, opts: { commits?: number; dockerfile?: string } = {}) {
  const dockerfile = join(repo.dir, opts.dockerfile ?? 'Dockerfile');
  const history = loadHistory({ workspaceRoot: repo.dir, dockerfile, contextDir: repo.dir, commits: opts.commits });
  const text = readFileSync(dockerfile, 'utf8');
  return { history, result: replay(history, {}, text) };
}

const misses = (r: ReturnType<typeof replay>) => Object.fromEntries(r.steps.map((s) => [s.instruction, s.misses]));

const NODE_DOCKERFILE = [
  'FROM node:20',
  'WORKDIR /app',
  'COPY package.json package-lock.json ./',
  'RUN npm ci',
  'COPY src ./src',
  'RUN npm run build',
  '',
].join('\n');

test('each kind of commit misses exactly the steps whose inputs it changes', () => {
  const repo = new Repo().commit({
    Dockerfile: NODE_DOCKERFILE,
    '.dockerignore': '.git\ndocs\n',
    'package.json': '{"name":"a"}',
    'package-lock.json': '{"v":1}',
    'src/a.js': 'a',
    'src/a.test.js': 't',
    'docs/guide.md': 'g',
    'README.md': 'r',
  });
  repo.commit({ 'src/a.js': 'a2' }, 'source edit'); // COPY src, build
  repo.commit({ 'package-lock.json': '{"v":2}' }, 'lockfile bump'); // everything from the manifest copy on
  repo.commit({ 'docs/guide.md': 'g2' }, 'docs only'); // nothing
  repo.commit({ 'README.md': 'r2' }, 'readme only'); // nothing: no step copies it
  repo.commit({ '.dockerignore': '.git\ndocs\nsrc/*.test.js\n' }, 'ignore edit'); // COPY src now copies one file fewer
  repo.commit(
    { Dockerfile: NODE_DOCKERFILE.replace('RUN npm run build', 'RUN npm run build --silent') },
    'dockerfile edit',
  ); // the build only
  repo.move('src/a.js', 'src/b.js'); // COPY src, build
  repo.git('checkout', '-q', '-b', 'topic');
  repo.commit({ 'src/c.js': 'c' }, 'on a branch');
  repo.git('checkout', '-q', 'main');
  repo.commit({ 'README.md': 'r3' }, 'readme again'); // nothing
  repo.git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'merge', '-q', '--no-ff', 'topic', '-m', 'merge'); // brings src/c.js: COPY src, build

  const { history, result } = forecastOf(repo);
  assert.equal(result.transitions, 9);
  assert.deepEqual(misses(result), {
    'FROM node:20': 0,
    'WORKDIR /app': 0,
    'COPY package.json package-lock.json ./': 1,
    'RUN npm ci': 1,
    'COPY src ./src': 5,
    'RUN npm run build --silent': 6,
  });
  assert.ok(
    history.notes.some((n) => /1 merge commit/.test(n)),
    history.notes.join('\n'),
  );
  assert.ok(history.notes.some((n) => /9 first-parent transitions, fewer than the 100/.test(n)));
  const build = result.steps.find((s) => s.instruction.startsWith('RUN npm run build'))!;
  assert.equal(build.missRate, Math.round((6 / 9) * 1000) / 1000);
  assert.equal(build.secondsSource, 'estimate');
});

test('a volatile ARG misses every RUN in its scope on every build; inheritance and COPY --from follow the chain', () => {
  const dockerfile = [
    'FROM node:20 AS deps',
    'WORKDIR /app',
    'COPY package.json ./',
    'RUN npm install',
    'FROM deps AS build',
    'ARG GIT_SHA',
    'COPY src ./src',
    'RUN npm run build',
    'FROM node:20',
    'COPY --from=build /app/dist /dist',
    'COPY --from=deps /app/node_modules /node_modules',
    '',
  ].join('\n');
  const repo = new Repo().commit({
    Dockerfile: dockerfile,
    '.dockerignore': '.git\n',
    'package.json': '{}',
    'src/a.js': 'a',
    'README.md': 'r',
  });
  repo.commit({ 'src/a.js': 'a2' });
  repo.commit({ 'package.json': '{"x":1}' });
  repo.commit({ 'README.md': 'r2' });
  const { result } = forecastOf(repo);
  assert.equal(result.transitions, 3);
  assert.deepEqual(
    result.steps.map((s) => [s.range.start.line + 1, s.misses]),
    [
      [1, 0], // FROM node:20 AS deps
      [2, 0],
      [3, 1], // package.json edit
      [4, 1],
      [5, 1], // FROM deps: its base changed once
      [7, 2], // source edit + the package.json chain
      [8, 3], // GIT_SHA takes a new value on every build
      [9, 0],
      [10, 3], // its source stage's output step missed every time (an upper bound)
      [11, 3], // after a miss, every later step of the stage misses too
    ],
  );
});

test('config-only instructions are out of the chain: ENV/ARG/USER reach every RUN, a COPY only when it names the variable', () => {
  const text = (o: { label?: string; env?: string; arg?: string; user?: string; tail?: string }) =>
    [
      'FROM alpine:3.20 AS base',
      `LABEL team=${o.label ?? 'a'}`,
      'WORKDIR /app',
      `ENV ${o.env ?? 'MODE=prod DEST=/app/out'}`,
      'COPY a.txt ./',
      'COPY b.txt $DEST/',
      ...(o.user ? [`USER ${o.user}`] : []),
      'RUN echo build',
      `EXPOSE ${o.label === 'b' ? 81 : 80}`,
      ...(o.arg ? [`ARG ${o.arg}`] : []),
      'RUN echo second',
      `ENV TAIL=${o.tail ?? 1}`,
      'FROM base',
      'RUN echo child',
      'COPY c.txt ./',
      '',
    ].join('\n');
  const repo = new Repo().commit({
    Dockerfile: text({}),
    '.dockerignore': '.git\n',
    'a.txt': 'a',
    'b.txt': 'b',
    'c.txt': 'c',
  });
  repo.commit({ Dockerfile: text({ label: 'b' }) }, 'LABEL and EXPOSE edits'); // nothing
  repo.commit({ Dockerfile: text({ label: 'b', env: 'MODE=dev DEST=/app/out' }) }, 'ENV edit'); // the RUNs
  const env = 'MODE=dev DEST=/app/dist';
  repo.commit({ Dockerfile: text({ label: 'b', env }) }, 'a variable a COPY names'); // that COPY, the RUNs
  repo.commit({ Dockerfile: text({ label: 'b', env, arg: 'LEVEL=1' }) }, 'ARG with a default'); // the RUN after it
  repo.commit({ Dockerfile: text({ label: 'b', env, arg: 'LEVEL=1', user: 'nobody' }) }, 'USER'); // the RUNs
  repo.commit({ Dockerfile: text({ label: 'b', env, arg: 'LEVEL=1', user: 'nobody', tail: '2' }) }, 'ENV at the end'); // the child stage's RUN
  const { result } = forecastOf(repo);
  assert.equal(result.transitions, 6);
  assert.deepEqual(misses(result), {
    'FROM alpine:3.20 AS base': 0,
    'WORKDIR /app': 0,
    'COPY a.txt ./': 0,
    'COPY b.txt $DEST/': 1,
    'RUN echo build': 3,
    'RUN echo second': 4,
    'FROM base': 4, // its base stage's last step missed
    'RUN echo child': 5, // and the config it inherits changed once more
    'COPY c.txt ./': 5,
  });
});

test('without a .dockerignore the .git folder busts COPY . on every commit; a Dockerfile that appears late is forecast from there', () => {
  const repo = new Repo().commit({ 'README.md': 'r' }).commit({ 'README.md': 'r2' });
  repo.commit({ Dockerfile: 'FROM alpine:3.20\nCOPY . /src\nRUN echo built\n', 'a.txt': 'a' });
  repo.commit({}, 'empty commit');
  repo.commit({ '.dockerignore': '.git\n' }, 'adds an ignore file');
  repo.commit({}, 'empty again');
  const { history, result } = forecastOf(repo);
  assert.equal(result.transitions, 3);
  // the empty commit still changes .git; adding the ignore file changes the copied set; the last one copies the same files
  assert.deepEqual(misses(result), { 'FROM alpine:3.20': 0, 'COPY . /src': 2, 'RUN echo built': 2 });
  assert.ok(
    history.notes.some((n) => /first appears in .*3 transitions/.test(n)),
    history.notes.join('\n'),
  );
});

test('--commits caps the transitions read; a shallow clone says how many were available', () => {
  const repo = new Repo().commit({ Dockerfile: 'FROM alpine\nCOPY a.txt /\n', 'a.txt': '0' });
  for (let i = 1; i <= 6; i++) repo.commit({ 'a.txt': String(i) });
  assert.equal(forecastOf(repo, { commits: 4 }).result.transitions, 4);
  assert.equal(forecastOf(repo, { commits: 4 }).result.steps[1].misses, 4);
  const dir = mkdtempSync(join(tmpdir(), 'cachelens-shallow-'));
  execFileSync('git', ['clone', '-q', '--depth', '3', `file://${repo.dir}`, dir], { stdio: 'ignore' });
  const shallow = forecastOf(new Repo(dir), { commits: 10 });
  assert.equal(shallow.result.transitions, 2);
  assert.ok(
    shallow.history.notes.some((n) => /shallow clone: only 2 transitions available of the 10/.test(n)),
    shallow.history.notes.join('\n'),
  );
});

test('an oversized or binary Dockerfile at some commit leaves those transitions out, with a note', () => {
  const repo = new Repo().commit({ Dockerfile: 'FROM alpine\nCOPY a.txt /\n', 'a.txt': '0' });
  repo.commit({ Dockerfile: 'FROM alpine\nCOPY a.txt /\n' + '#'.repeat(5000) + '\n' });
  repo.commit({ Dockerfile: 'FROM alpine\nCOPY a.txt /\n', 'a.txt': '1' });
  repo.commit({ 'a.txt': '2' });
  const dockerfile = join(repo.dir, 'Dockerfile');
  const history = loadHistory({ workspaceRoot: repo.dir, dockerfile, contextDir: repo.dir, maxFileBytes: 1000 });
  const result = replay(history, {}, readFileSync(dockerfile, 'utf8'));
  assert.equal(result.transitions, 1);
  assert.ok(
    history.notes.some((n) => /over the 1 KB read/.test(n)),
    history.notes.join('\n'),
  );
});

test('a binary Dockerfile at some commit is left out with a note; a binary file in the context misses the COPY when it changes', () => {
  const repo = new Repo().commit({
    Dockerfile: 'FROM alpine\nCOPY logo.png /\nRUN echo ok\n',
    '.dockerignore': '.git\n',
    'logo.png': '\x89PNG\r\n\x1a\n\x00\x00\x01',
  });
  repo.commit({ 'logo.png': '\x89PNG\r\n\x1a\n\x00\x00\x02' }); // binary edit: COPY, RUN
  repo.commit({ Dockerfile: 'FROM alpine\x00\x01\x02\n' }); // not a text file: left out
  repo.commit({ Dockerfile: 'FROM alpine\nCOPY logo.png /\nRUN echo ok\n' });
  repo.commit({ 'README.md': 'r' }); // nothing
  const { history, result } = forecastOf(repo);
  assert.equal(result.transitions, 2);
  assert.deepEqual(misses(result), { 'FROM alpine': 0, 'COPY logo.png /': 1, 'RUN echo ok': 1 });
  assert.ok(
    history.notes.some((n) => /is not a text file/.test(n)),
    history.notes.join('\n'),
  );
});

test('a renamed Dockerfile is followed back through the rename, with a note', () => {
  const repo = new Repo().commit({
    'build/app.Dockerfile': 'FROM alpine\nCOPY a.txt /\n',
    '.dockerignore': '.git\n',
    'a.txt': '0',
  });
  repo.commit({ 'a.txt': '1' });
  repo.move('build/app.Dockerfile', 'Dockerfile');
  repo.commit({ 'a.txt': '2' });
  const { history, result } = forecastOf(repo);
  assert.equal(result.transitions, 3);
  assert.deepEqual(misses(result), { 'FROM alpine': 0, 'COPY a.txt /': 2 });
  assert.ok(
    history.notes.some((n) => /renamed in this history; followed back to build\/app\.Dockerfile/.test(n)),
    history.notes.join('\n'),
  );
});

test('N caps the work on a long history: git log reads N + 1 commits however many there are', () => {
  const repo = new Repo().commit({
    Dockerfile: 'FROM alpine\nCOPY a.txt /\n',
    '.dockerignore': '.git\n',
    'a.txt': '0',
  });
  // 300 more commits in one fast-import (a 100k-commit history is the same to the forecast: only N + 1 are read)
  const stream: string[] = [];
  for (let i = 1; i <= 300; i++)
    stream.push(
      `commit refs/heads/main\ncommitter t <t@example.com> ${1767225600 + i} +0000\ndata 2\nc\n${i === 1 ? 'from refs/heads/main^0\n' : ''}M 100644 inline a.txt\ndata ${String(i).length}\n${i}\n\n`,
    );
  execFileSync('git', ['fast-import', '--quiet', '--force'], { cwd: repo.dir, input: stream.join('') });
  repo.git('reset', '-q', '--hard', 'main');
  const dir = mkdtempSync(join(tmpdir(), 'cachelens-git-'));
  const calls = join(dir, 'calls');
  const wrapper = join(dir, 'git');
  writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> ${calls}\nexec git "$@"\n`, { mode: 0o755 });
  const dockerfile = join(repo.dir, 'Dockerfile');
  const history = loadHistory({
    workspaceRoot: repo.dir,
    dockerfile,
    contextDir: repo.dir,
    commits: 25,
    gitPath: wrapper,
  });
  const result = replay(history, {}, readFileSync(dockerfile, 'utf8'));
  assert.equal(result.transitions, 25);
  assert.deepEqual(misses(result), { 'FROM alpine': 0, 'COPY a.txt /': 25 });
  assert.equal(history.notes.length, 0, history.notes.join('\n'));
  const log = readFileSync(calls, 'utf8')
    .split('\n')
    .filter((l) => / log /.test(` ${l} `));
  assert.equal(log.length, 1);
  assert.match(log[0], / -n26 /);
});

test('a submodule in the context: a COPY of it misses when its pinned commit changes, with a note', () => {
  const sub = new Repo().commit({ 'lib.txt': '1' });
  const repo = new Repo().commit({
    Dockerfile: 'FROM alpine\nCOPY vendor /vendor\nCOPY a.txt /\n',
    '.dockerignore': '.git\n',
    'a.txt': '0',
  });
  repo.git('-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub.dir, 'vendor/lib');
  repo.git('commit', '-q', '-m', 'add submodule');
  sub.commit({ 'lib.txt': '2' });
  repo.git('-c', 'protocol.file.allow=always', '-C', 'vendor/lib', 'pull', '-q', 'origin', 'main');
  repo.git('add', 'vendor/lib');
  repo.git('commit', '-q', '-m', 'bump submodule'); // COPY vendor
  repo.commit({ 'a.txt': '1' }); // COPY a.txt
  const { history, result } = forecastOf(repo);
  assert.equal(result.transitions, 3);
  assert.deepEqual(misses(result), { 'FROM alpine': 0, 'COPY vendor /vendor': 2, 'COPY a.txt /': 3 });
  assert.ok(
    history.notes.some((n) => /submodule.*pinned commit changes/.test(n)),
    history.notes.join('\n'),
  );
});

test('not a repository, no git, an untrusted workspace: one clear line, nothing runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cachelens-norepo-'));
  const repo = new Repo(dir);
  require('node:fs').writeFileSync(join(dir, 'Dockerfile'), 'FROM alpine\n');
  const ws = new Workspace(dir);
  assert.throws(
    () => forecastDockerfile(ws, join(dir, 'Dockerfile'), 'FROM alpine\n'),
    (e: Error) => e instanceof ForecastUnavailable && /is not in a git repository/.test(e.message),
  );
  assert.throws(
    () => forecastDockerfile(ws, join(dir, 'Dockerfile'), 'FROM alpine\n', { gitPath: join(dir, 'no-such-git') }),
    (e: Error) => e instanceof ForecastUnavailable && /git is not installed/.test(e.message),
  );
  assert.throws(
    () =>
      forecastDockerfile(ws, join(dir, 'Dockerfile'), 'FROM alpine\n', {
        trusted: false,
        gitPath: join(dir, 'no-such-git'),
      }),
    (e: Error) => e instanceof ForecastUnavailable && /not trusted/.test(e.message),
  );
  // a repository above the workspace is not looked at
  repo.git('init', '-q');
  const inner = join(dir, 'inner');
  require('node:fs').mkdirSync(inner);
  require('node:fs').writeFileSync(join(inner, 'Dockerfile'), 'FROM alpine\n');
  assert.throws(
    () => forecastDockerfile(new Workspace(inner), join(inner, 'Dockerfile'), 'FROM alpine\n'),
    (e: Error) => e instanceof ForecastUnavailable && /not in a git repository/.test(e.message),
  );
});

test('each fix is forecast over the same history: the CL001 split stops the install re-running on source edits', () => {
  const dockerfile = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "index.js"]\n';
  const repo = new Repo().commit({
    Dockerfile: dockerfile,
    '.dockerignore': '.git\nnode_modules\nDockerfile\n.dockerignore\n',
    'package.json': '{}',
    'package-lock.json': '{}',
    'index.js': '1',
  });
  for (let i = 2; i <= 5; i++) repo.commit({ 'index.js': String(i) });
  repo.commit({ 'package-lock.json': '{"v":2}' });
  const f = forecastDockerfile(new Workspace(repo.dir), join(repo.dir, 'Dockerfile'), dockerfile);
  assert.equal(f.transitions, 5);
  assert.equal(f.steps.find((s) => s.instruction === 'RUN npm ci')!.misses, 5);
  const split = f.fixes.find((x) => x.rule === 'CL001')!;
  assert.ok(split, JSON.stringify(f.fixes.map((x) => x.rule)));
  assert.equal(split.steps.find((s) => s.instruction === 'RUN npm ci')!.misses, 1);
  assert.equal(split.steps.find((s) => s.instruction === 'COPY . .')!.misses, 5);
  // npm's documented estimate is 30 s: 4 of 5 builds no longer re-run it (24 s), less the new
  // manifest COPY that misses once (0.3 s / 5)
  assert.equal(split.secondsSavedPerBuild, 23.9);
  assert.equal(f.fixes[0], split, 'ranked first by seconds saved');
  const npmCi = parseDockerfile(dockerfile).instructions[3];
  assert.equal(
    forecastHoverLine(f, npmCi),
    '**Cache forecast:** re-ran on 5 of the last 5 commits, about 30.0 s per build (estimate).',
  );
  assert.match(
    forecastFixLine(f, 'CL001')!,
    /the fix "Split dependency manifest copy" saves about 23\.9 s per build over the last 5 commits \(estimate\)/,
  );
});

test('cachelens forecast --format json follows the contract', () => {
  const repo = new Repo()
    .commit({ Dockerfile: 'FROM alpine:3.20\nCOPY a.txt /\nRUN echo ok\n', '.dockerignore': '.git\n', 'a.txt': '0' })
    .commit({ 'a.txt': '1' });
  const out: string[] = [];
  assert.equal(
    main(['forecast', '--format', 'json', '--commits', '5', repo.dir], (s) => out.push(s)),
    0,
  );
  const json = JSON.parse(out.join('\n'));
  assert.equal(json.version, 1);
  assert.equal(json.dockerfiles.length, 1);
  const d = json.dockerfiles[0];
  assert.deepEqual(Object.keys(d), ['path', 'transitions', 'steps', 'expectedSecondsPerBuild', 'fixes']);
  assert.equal(d.path, 'Dockerfile');
  assert.equal(d.transitions, 1);
  assert.deepEqual(Object.keys(d.steps[1]), ['range', 'instruction', 'misses', 'missRate', 'seconds', 'secondsSource']);
  assert.deepEqual(
    d.steps.map((s: { misses: number }) => s.misses),
    [0, 1, 1],
  );
  assert.deepEqual(d.steps[1].range, { start: { line: 1, character: 0 }, end: { line: 1, character: 12 } });
  assert.equal(
    main(['forecast', '--commits', '0', repo.dir], () => {}),
    2,
  );
});

test('a build imported with `cachelens build-log --save` gives the forecast measured seconds (build-log)', () => {
  const repo = new Repo()
    .commit({ Dockerfile: 'FROM alpine:3.20\nCOPY a.txt /\nRUN echo ok\n', '.dockerignore': '.git\n', 'a.txt': '0' })
    .commit({ 'a.txt': '1' });
  const log = join(mkdtempSync(join(tmpdir(), 'cachelens-log-')), 'build.log');
  writeFileSync(
    log,
    [
      '#5 [1/3] FROM docker.io/library/alpine:3.20',
      '#5 DONE 0.0s',
      '',
      '#6 [2/3] COPY a.txt /',
      '#6 DONE 0.4s',
      '',
      '#7 [3/3] RUN echo ok',
      '#7 DONE 7.5s',
      '',
    ].join('\n'),
  );
  const forecastJson = () => {
    const out: string[] = [];
    assert.equal(
      main(['forecast', '--format', 'json', repo.dir], (s) => out.push(s)),
      0,
    );
    return JSON.parse(out.join('\n')).dockerfiles[0];
  };
  const before = forecastJson();
  assert.deepEqual(
    before.steps.map((s: { secondsSource: string | null }) => s.secondsSource),
    [null, 'estimate', 'estimate'],
  );
  const cwd = process.cwd();
  process.chdir(repo.dir);
  try {
    assert.equal(
      main(['build-log', '--save', '--dockerfile', 'Dockerfile', log], () => {}),
      0,
    );
  } finally {
    process.chdir(cwd);
  }
  const after = forecastJson();
  assert.deepEqual(
    after.steps.map((s: { seconds: number | null; secondsSource: string | null }) => [s.seconds, s.secondsSource]),
    [
      [null, null],
      [0.4, 'build-log'],
      [7.5, 'build-log'],
    ],
  );
  assert.equal(after.expectedSecondsPerBuild, 7.9);
});

test('a step added recently is forecast over the whole window as it would have run', () => {
  const repo = new Repo().commit({
    Dockerfile: 'FROM alpine:3.20\nCOPY . /src\n',
    '.dockerignore': '.git\n',
    'a.txt': '0',
  });
  for (let i = 1; i <= 3; i++) repo.commit({ 'a.txt': String(i) });
  const text = 'FROM alpine:3.20\nCOPY . /src\nRUN echo built\n';
  repo.commit({ Dockerfile: text });
  repo.commit({ 'a.txt': '4' });
  const { history, result } = forecastOf(repo);
  // replayed alone, the RUN existed in 2 of the 5 transitions
  assert.equal(result.steps[2].misses, 2);
  const f = forecastDockerfile(new Workspace(repo.dir), join(repo.dir, 'Dockerfile'), text);
  assert.equal(f.transitions, 5);
  assert.equal(history.commits.length, 6);
  // with the constant replay filling in: it follows COPY . /src, which missed on every commit
  assert.deepEqual(
    f.steps.map((s) => s.misses),
    [0, 5, 5],
  );
});

test('the editor cache computes in the background, once per HEAD, and answers from the cache afterwards', async () => {
  const repo = new Repo()
    .commit({ Dockerfile: 'FROM alpine:3.20\nCOPY a.txt /\nRUN echo ok\n', '.dockerignore': '.git\n', 'a.txt': '0' })
    .commit({ 'a.txt': '1' });
  const dockerfile = join(repo.dir, 'Dockerfile');
  let done!: (file: string) => void;
  const arrived = new Promise<string>((resolve) => (done = resolve));
  const errors: string[] = [];
  // as the packaged extension runs it: the server bundle answers --forecast-worker and exits
  const cache = new ForecastCache({
    command: (root, file, n) => [join(__dirname, '../../dist/server.js'), '--forecast-worker', root, file, String(n)],
    onResult: (f) => done(f),
    onError: (_f, m) => {
      errors.push(m);
      done('');
    },
  });
  assert.equal(cache.get(dockerfile, repo.dir), undefined, 'the first ask starts the job and does not wait');
  assert.equal(await arrived, dockerfile, errors.join('\n'));
  const f = cache.get(dockerfile, repo.dir)!;
  assert.equal(f.transitions, 1);
  assert.equal(
    forecastHoverLine(f, parseDockerfile('FROM alpine:3.20\nCOPY a.txt /\nRUN echo ok\n').instructions[2]),
    '**Cache forecast:** re-ran on 1 of the last 1 commit, about 2.0 s per build (estimate).',
  );
});

test('a leading / names the context root; a source built from a variable counts as the whole context; a quoted URL reads none', () => {
  const text =
    'FROM alpine:3.20 AS one\nCOPY /a.txt /x\nFROM alpine:3.20 AS two\nARG DIR=b\nADD "https://example.com/tool.git#${DIR}" /t\nCOPY ${DIR} /y\n';
  const repo = new Repo().commit({ Dockerfile: text, '.dockerignore': '.git\n', 'a.txt': '0', 'b/c.txt': '0' });
  repo.commit({ 'a.txt': '1' });
  repo.commit({ 'b/c.txt': '1' });
  repo.commit({ 'd.txt': 'new' });
  const { result } = forecastOf(repo);
  assert.deepEqual(
    result.steps.map((s) => [s.instruction, s.misses]),
    [
      ['FROM alpine:3.20 AS one', 0],
      ['COPY /a.txt /x', 1],
      ['FROM alpine:3.20 AS two', 0],
      ['ADD "https://example.com/tool.git#${DIR}" /t', 0], // a URL (quoted): no context file, whatever the variable
      ['COPY ${DIR} /y', 3],
    ],
  );
});
