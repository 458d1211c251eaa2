// HEAD read from .git's files must say what `git rev-parse HEAD` says, or
// "ask git" (undefined) where it cannot be sure: each repository shape below
// is made by real git and checked against it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Repo } from './repo';
import { headFromFiles } from '../../server/src/history/head';

const revParse = (r: Repo) => r.git('rev-parse', 'HEAD').trim();

/** p, or a failure after 10 s (a forecast that never comes fails the test instead of hanging it) */
const within = <T>(p: Promise<T>): Promise<T> =>
  Promise.race([
    p,
    new Promise<T>((_, rej) => setTimeout(() => rej(new Error('no forecast within 10 s')), 10_000).unref()),
  ]);

test('a repository before its first commit has no HEAD commit (null), as git says', () => {
  const r = new Repo();
  assert.equal(headFromFiles(r.dir, r.dir), null);
  assert.throws(() => r.git('rev-parse', '-q', '--verify', 'HEAD'));
});

test('a branch with a loose ref, then packed, then a new commit over the packed one', () => {
  const r = new Repo().commit({ a: '1' }).commit({ a: '2' });
  assert.equal(headFromFiles(r.dir, r.dir), revParse(r));
  r.git('pack-refs', '--all');
  assert.equal(headFromFiles(r.dir, r.dir), revParse(r), 'from packed-refs');
  const packed = revParse(r);
  r.commit({ a: '3' });
  assert.notEqual(revParse(r), packed);
  assert.equal(headFromFiles(r.dir, r.dir), revParse(r), 'the loose ref wins over the packed one');
});

test('a detached HEAD and another branch checked out', () => {
  const r = new Repo().commit({ a: '1' }).commit({ a: '2' });
  const first = r.git('rev-list', '--max-parents=0', 'HEAD').trim();
  r.git('checkout', '-q', '--detach', first);
  assert.equal(headFromFiles(r.dir, r.dir), first);
  r.git('checkout', '-q', '-b', 'feature/x');
  r.commit({ b: '1' });
  assert.equal(headFromFiles(r.dir, r.dir), revParse(r));
});

test('a linked work tree inside the workspace reads its own HEAD and the common branches', () => {
  const r = new Repo().commit({ a: '1' });
  r.git('worktree', 'add', '-q', '-b', 'side', join(r.dir, 'wt'));
  const wt = new Repo(join(r.dir, 'wt'));
  wt.commit({ c: '1' });
  assert.equal(headFromFiles(wt.dir, r.dir), revParse(wt));
  assert.notEqual(revParse(wt), revParse(r));
  assert.equal(headFromFiles(r.dir, r.dir), revParse(r));
});

test('a work tree whose git dir lies outside the workspace: git is asked (nothing read outside)', () => {
  const r = new Repo().commit({ a: '1' });
  const outside = mkdtempSync(join(tmpdir(), 'cachelens-ws-'));
  r.git('worktree', 'add', '-q', '-b', 'elsewhere', join(outside, 'wt'));
  assert.equal(headFromFiles(join(outside, 'wt'), outside), undefined);
});

test('a SHA-256 repository', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cachelens-hist-'));
  const r = new Repo(dir);
  r.git('init', '-q', '-b', 'main', '--object-format=sha256');
  r.commit({ a: '1' });
  assert.equal(revParse(r).length, 64);
  assert.equal(headFromFiles(r.dir, r.dir), revParse(r));
});

test('what it cannot be sure of is left to git: a reftable, a symbolic link, a strange HEAD', () => {
  const r = new Repo().commit({ a: '1' });
  mkdirSync(join(r.dir, '.git', 'reftable'));
  assert.equal(headFromFiles(r.dir, r.dir), undefined, 'reftable');
  rmSync(join(r.dir, '.git', 'reftable'), { recursive: true });
  assert.equal(headFromFiles(r.dir, r.dir), revParse(r));

  const linked = mkdtempSync(join(tmpdir(), 'cachelens-ws-'));
  symlinkSync(join(r.dir, '.git'), join(linked, '.git'));
  assert.equal(headFromFiles(linked, linked), undefined, '.git is a symbolic link');

  // the branches' folder leads out of the workspace: neither read there nor taken as "no commit yet"
  const elsewhere = mkdtempSync(join(tmpdir(), 'cachelens-refs-'));
  renameSync(join(r.dir, '.git', 'refs', 'heads'), join(elsewhere, 'heads'));
  symlinkSync(join(elsewhere, 'heads'), join(r.dir, '.git', 'refs', 'heads'));
  assert.equal(headFromFiles(r.dir, r.dir), undefined, 'refs/heads is a link out');
  rmSync(join(r.dir, '.git', 'refs', 'heads'));
  renameSync(join(elsewhere, 'heads'), join(r.dir, '.git', 'refs', 'heads'));
  assert.equal(headFromFiles(r.dir, r.dir), revParse(r));

  writeFileSync(join(r.dir, '.git', 'HEAD'), 'ref: refs/remotes/origin/main\n');
  assert.equal(headFromFiles(r.dir, r.dir), undefined, 'HEAD on a ref that is no branch');
  writeFileSync(join(r.dir, '.git', 'HEAD'), 'ref: refs/heads/../../config\n');
  assert.equal(headFromFiles(r.dir, r.dir), undefined, 'a ref leading out of refs/');
  writeFileSync(join(r.dir, '.git', 'HEAD'), 'garbage\n');
  assert.equal(headFromFiles(r.dir, r.dir), undefined);
  rmSync(join(r.dir, '.git', 'HEAD'));
  assert.equal(headFromFiles(r.dir, r.dir), undefined, 'no HEAD file');
});

test('the forecast cache reads HEAD without git: with no git on PATH the forecast still arrives, once per HEAD', async () => {
  const { ForecastCache } = await import('../../server/src/engine/forecastCache');
  const r = new Repo().commit({ Dockerfile: 'FROM alpine:3.20\n' });
  const dockerfile = join(r.dir, 'Dockerfile');
  const contract = { dockerfiles: [{ transitions: 3, steps: [], expectedSecondsPerBuild: 0, fixes: [] }] };
  let runs = 0;
  let arrived: (f: string) => void = () => undefined;
  const cache = new ForecastCache({
    command: () => ['-e', `process.stdout.write(${JSON.stringify(JSON.stringify(contract))})`],
    recheckMs: 0,
    onResult: (f) => {
      runs++;
      arrived(f);
    },
    onError: (_f, m) => assert.fail(m),
  });
  const path = process.env.PATH;
  process.env.PATH = '';
  try {
    const first = new Promise<string>((res) => (arrived = res));
    assert.equal(cache.get(dockerfile, r.dir), undefined);
    assert.equal(await within(first), dockerfile);
    assert.equal(cache.get(dockerfile, r.dir)?.transitions, 3);
    // asked again at the same HEAD: nothing runs again
    await new Promise((res) => setTimeout(res, 100));
    assert.equal(cache.get(dockerfile, r.dir)?.transitions, 3);
    await new Promise((res) => setTimeout(res, 100));
    assert.equal(runs, 1);
  } finally {
    process.env.PATH = path;
  }
  // a new commit is a new HEAD: computed again
  r.commit({ a: '1' });
  process.env.PATH = '';
  try {
    const second = new Promise<string>((res) => (arrived = res));
    cache.get(dockerfile, r.dir);
    assert.equal(await within(second), dockerfile);
    assert.equal(runs, 2);
  } finally {
    process.env.PATH = path;
  }
});
