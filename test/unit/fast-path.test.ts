// The per-keystroke shortcuts (remembered disk answers, parsed ignore files,
// one cache analysis per model, command matches remembered per text) must not
// change what is found: on every corpus Dockerfile, a workspace that has just
// analysed other texts (its memos warm) gives exactly the findings and fixes
// of a fresh one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Workspace } from '../../server/src/engine/workspace';
import { NodeFs } from '../../server/src/context/fs';
import { sharedPath, sharedSkip } from '../helpers/shared';

const corpus = sharedPath('corpus', 'real-dockerfiles');

const shape = (a: ReturnType<Workspace['analyze']>) =>
  JSON.stringify(a.findings.map((f) => ({ ...f, fixes: f.fixes.map((x) => ({ ...x })) })));

test('warm memos give the same findings and fixes as a fresh workspace, on the corpus', {
  skip: sharedSkip('corpus/real-dockerfiles'),
}, () => {
  const files = readdirSync(corpus)
    .filter((f) => !f.endsWith('.dockerignore') && !f.endsWith('.tsv') && !f.endsWith('.md'))
    .map((f) => path.join(corpus, f));
  assert.ok(files.length >= 100);
  const warm = new Workspace(corpus);
  let compared = 0;
  let withFindings = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    // typing in the file first: the memos now hold this file's and the edits' answers
    for (const edit of ['x', 'xy', '\nRUN npm ci\n']) warm.analyze(file, text + edit, { overlays: new Map() });
    const fast = warm.analyze(file, text, { overlays: new Map() });
    const slow = new Workspace(corpus).analyze(file, text, { overlays: new Map() });
    assert.equal(shape(fast), shape(slow), path.basename(file));
    compared++;
    if (fast.findings.length) withFindings++;
  }
  assert.equal(compared, files.length);
  assert.ok(withFindings > files.length / 2, `only ${withFindings} files had findings`);
});

test('NodeFs forgets remembered answers on invalidate() and after its time bound', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const root = mkdtempSync(path.join(tmpdir(), 'cachelens-fs-memo-'));
  try {
    const fs = new NodeFs(root, { memoMs: 60_000 });
    const file = path.join(root, '.dockerignore');
    assert.equal(fs.readFile(file), undefined);
    writeFileSync(file, 'node_modules\n');
    assert.equal(fs.readFile(file), undefined, 'remembered within the time bound');
    fs.invalidate();
    assert.equal(fs.readFile(file), 'node_modules\n');
    assert.equal(fs.stat(file)?.size, 13);
    const short = new NodeFs(root, { memoMs: 20 });
    assert.equal(short.readFile(file), 'node_modules\n');
    writeFileSync(file, 'dist\n');
    await new Promise((r) => setTimeout(r, 40));
    assert.equal(short.readFile(file), 'dist\n', 'forgotten after the time bound');
    const none = new NodeFs(root, { memoMs: 0 });
    assert.equal(none.readFile(file), 'dist\n');
    writeFileSync(file, 'build\n');
    assert.equal(none.readFile(file), 'build\n');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the forecast asks git only where a .git sits between the Dockerfile and the workspace root', async () => {
  const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { workTreeTop } = await import('../../server/src/history/head');
  const root = mkdtempSync(path.join(tmpdir(), 'cachelens-git-'));
  try {
    mkdirSync(path.join(root, 'svc', 'api'), { recursive: true });
    assert.equal(workTreeTop(path.join(root, 'svc', 'api'), root), undefined);
    writeFileSync(path.join(root, 'svc', '.git'), 'gitdir: ../.git/worktrees/svc\n');
    assert.equal(workTreeTop(path.join(root, 'svc', 'api'), root), path.join(root, 'svc'));
    assert.equal(workTreeTop(root, root), undefined);
    mkdirSync(path.join(root, '.git'));
    assert.equal(workTreeTop(root, root), root);
    assert.equal(workTreeTop(path.join(root, 'svc', 'api'), root), path.join(root, 'svc'), 'the nearest');
    // a folder beside the root whose name starts like it is outside: its .git is not looked at
    mkdirSync(`${root}2/app`, { recursive: true });
    mkdirSync(`${root}2/.git`);
    try {
      assert.equal(workTreeTop(`${root}2/app`, root), undefined, 'outside the root');
      assert.equal(workTreeTop(`${root}2/app`), `${root}2`, 'without a root, any folder up');
    } finally {
      rmSync(`${root}2`, { recursive: true, force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
