// The index's limits at a small scale: what bench/scale.bench.ts shows on a
// 1M-file tree (the walk stops, memory stays bounded, the output says the
// listing is incomplete), here with the limits lowered.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MemoryFs, NodeFs } from '../../server/src/context/fs';
import { countingReads } from '../helpers/context';
import { FileIndex } from '../../server/src/context/fileIndex';
import { Workspace } from '../../server/src/engine/workspace';
import { contextSummary } from '../../server/src/engine/hover';

const ROOT = path.resolve('/w');

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = nodeFs.realpathSync(nodeFs.mkdtempSync(path.join(os.tmpdir(), 'cachelens-scale-')));
  t.after(() => nodeFs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('on disk: the file limit stops the walk early and the CLI header says the listing is incomplete', (t) => {
  const root = tempDir(t);
  nodeFs.writeFileSync(path.join(root, 'Dockerfile'), 'FROM node:20\nCOPY . .\nRUN npm ci\n');
  nodeFs.writeFileSync(path.join(root, 'package.json'), '{}');
  for (let d = 0; d < 30; d++) {
    nodeFs.mkdirSync(path.join(root, 'src', `d${d}`), { recursive: true });
    for (let f = 0; f < 20; f++) nodeFs.writeFileSync(path.join(root, 'src', `d${d}`, `f${f}.js`), 'x');
  }

  const fs = countingReads(new NodeFs(root));
  const s = new FileIndex(fs, { maxFiles: 100 }).snapshot(root, undefined);
  assert.equal(s.includedCount, 100);
  assert.equal(s.totalBytes, 2 + 'FROM node:20\nCOPY . .\nRUN npm ci\n'.length + 98);
  assert.equal(s.truncated, "stopped after 100 entries (the index's file limit)");
  // root, src and the five folders that filled the limit: the other 25 are never listed.
  assert.ok(fs.listed.length <= 7, `listed ${fs.listed.length} folders`);

  const ws = new Workspace(root, { maxFiles: 100 });
  const view = ws.view(ws.resolve(path.join(root, 'Dockerfile')).contexts[0]);
  assert.equal(view.files.length, 100);
  assert.match(
    contextSummary(view),
    /100 files, .*\(listing incomplete: stopped after 100 entries \(the index's file limit\)\)\.$/,
  );
  // the findings' counts are lower bounds then, and say so
  const cl001 = ws
    .analyze(path.join(root, 'Dockerfile'), nodeFs.readFileSync(path.join(root, 'Dockerfile'), 'utf8'))
    .findings.find((f) => f.rule === 'CL001');
  assert.match(cl001?.message ?? '', /copies at least 100 files \(at least [\d.]+ \w?B\)/);
});

test('the folder limit stops a walk of mostly empty folders, with its own reason', () => {
  const files: Record<string, string> = { Dockerfile: 'FROM x', 'a.txt': 'a' };
  for (let i = 0; i < 50; i++) files[`cache/d${i}/`] = '';
  const fs = countingReads(new MemoryFs(ROOT, files));
  const s = new FileIndex(fs, { maxDirs: 10 }).snapshot(ROOT, undefined);
  assert.equal(s.truncated, "stopped after 10 folders (the index's folder limit)");
  assert.equal([...s.presentDirs()].length, 10);
  assert.ok(fs.listed.length <= 11, `listed ${fs.listed.length} folders`);
  assert.equal(s.includedCount, 2);

  // Exactly at the limit nothing is left out, so nothing is reported.
  const exact = new FileIndex(new MemoryFs(ROOT, { 'a/': '', 'b/c/': '' }), { maxDirs: 3 }).snapshot(ROOT, undefined);
  assert.equal(exact.truncated, undefined);
  assert.deepEqual([...exact.presentDirs()].sort(), ['a', 'b', 'b/c']);
});

test('folder events keep the folder count: a deleted folder frees room, one past the limit is reported', () => {
  const mem = new MemoryFs(ROOT, { 'a/x': 'x', 'b/': '', 'c/': '' });
  const idx = new FileIndex(mem, { maxDirs: 3 });
  const s = idx.snapshot(ROOT, undefined);
  assert.equal(s.truncated, undefined);

  mem.remove('a');
  idx.onFileChanged(path.join(ROOT, 'a'), 'deleted');
  mem.write('d/y', 'yy');
  idx.onFileChanged(path.join(ROOT, 'd'), 'created');
  assert.equal(idx.snapshot(ROOT, undefined).truncated, undefined);
  assert.deepEqual([...s.presentDirs()].sort(), ['b', 'c', 'd']);
  assert.deepEqual(
    s.files.map((f) => `${f.path}:${f.size}`),
    ['d/y:2'],
  );

  mem.write('e/z', 'z');
  idx.onFileChanged(path.join(ROOT, 'e'), 'created');
  assert.equal(idx.snapshot(ROOT, undefined).truncated, "stopped after 3 folders (the index's folder limit)");
  assert.equal(s.kindOf('e'), undefined);
});

test('the files list a caller holds does not change under a later event', () => {
  const mem = new MemoryFs(ROOT, { 'a.txt': 'a', 'src/b.ts': 'bb' });
  const idx = new FileIndex(mem);
  const s = idx.snapshot(ROOT, undefined);
  const before = s.files;
  assert.deepEqual(
    before.map((f) => f.path),
    ['a.txt', 'src/b.ts'],
  );
  mem.write('src/b.ts', 'bbbb');
  idx.onFileChanged(path.join(ROOT, 'src', 'b.ts'), 'changed');
  assert.deepEqual(
    before.map((f) => `${f.path}:${f.size}`),
    ['a.txt:1', 'src/b.ts:2'],
  );
  assert.deepEqual(
    s.files.map((f) => `${f.path}:${f.size}`),
    ['a.txt:1', 'src/b.ts:4'],
  );
  assert.equal(s.includedCount, 2);
  assert.equal(s.totalBytes, 5);
});

test("NodeFs.sizesIn: sizes of one folder's entries, never of a path that leaves it or of a folder outside the root", (t) => {
  const base = tempDir(t);
  const root = path.join(base, 'ws');
  nodeFs.mkdirSync(path.join(root, 'src'), { recursive: true });
  nodeFs.writeFileSync(path.join(root, 'src', 'a.ts'), 'aaa');
  nodeFs.writeFileSync(path.join(root, 'top.txt'), 'tt');
  nodeFs.symlinkSync('a.ts', path.join(root, 'src', 'link'));
  nodeFs.mkdirSync(path.join(base, 'outside'));
  nodeFs.writeFileSync(path.join(base, 'outside', 'secret.txt'), 'secret');
  nodeFs.symlinkSync(path.join(base, 'outside'), path.join(root, 'out'));
  const fs = new NodeFs(root);
  // A symlink is sized as itself (lstat), as stat() does.
  assert.deepEqual(fs.sizesIn(path.join(root, 'src'), ['a.ts', 'link', 'gone', '../top.txt', '..', 'x/y']), [
    3,
    'a.ts'.length,
    -1,
    -1,
    -1,
    -1,
  ]);
  assert.equal(fs.sizesIn(path.join(root, 'out'), ['secret.txt']), undefined);
  assert.equal(fs.sizesIn(path.join(base, 'outside'), ['secret.txt']), undefined);
});
