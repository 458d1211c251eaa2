// Workspace.resolve() keeps its answer while the file system's answers are the
// same (NodeFs.generation()): a keystroke asks the same question again. A file
// event or the memo's time bound makes it ask the disk again.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Workspace } from '../../server/src/engine/workspace';
import { NodeFs } from '../../server/src/context/fs';

describe('resolve() answers while the file system is unchanged', () => {
  let root: string;
  let dockerfile: string;
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'cachelens-resolve-memo-'));
    dockerfile = path.join(root, 'Dockerfile');
    writeFileSync(dockerfile, 'FROM alpine\nCOPY src/ /src/\n');
    mkdirSync(path.join(root, 'src'));
    writeFileSync(path.join(root, 'src', 'a.txt'), 'a\n');
    mkdirSync(path.join(root, 'app'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('gives the same answer to the same question, and another to another question', () => {
    const ws = new Workspace(root);
    const a = ws.resolve(dockerfile, {}, ['src']);
    assert.equal(ws.resolve(dockerfile, {}, ['src']), a);
    const mapped = ws.resolve(dockerfile, { mappings: [{ dockerfile: 'Dockerfile', context: 'app' }] }, ['src']);
    assert.notEqual(mapped, a);
    assert.equal(mapped.contexts[0]?.contextDir, path.join(root, 'app'));
    assert.equal(a.contexts[0]?.contextDir, root);
  });

  it('asks again after a file event: a compose file written since names another context', () => {
    const ws = new Workspace(root);
    const a = ws.resolve(dockerfile, {}, ['src']);
    const compose = path.join(root, 'compose.yaml');
    writeFileSync(compose, 'services:\n  web:\n    build:\n      context: app\n      dockerfile: ../Dockerfile\n');
    ws.onFileChanged(compose, 'created');
    const b = ws.resolve(dockerfile, {}, ['src']);
    assert.notEqual(b, a);
    assert.ok(
      b.contexts.some((c) => c.contextDir === path.join(root, 'app')),
      JSON.stringify(b.contexts.map((c) => c.contextDir)),
    );
    rmSync(compose);
    ws.onFileChanged(compose, 'deleted');
  });

  it("changes the file system's generation on invalidate() and when remembered answers expire", async () => {
    const fs = new NodeFs(root, { memoMs: 30 });
    const g0 = fs.generation();
    assert.equal(fs.generation(), g0);
    fs.readFile(dockerfile);
    fs.invalidate();
    const g1 = fs.generation();
    assert.notEqual(g1, g0);
    fs.readFile(dockerfile);
    await new Promise((r) => setTimeout(r, 60));
    assert.notEqual(fs.generation(), g1);
    const never = new NodeFs(root, { memoMs: 0 });
    assert.notEqual(never.generation(), never.generation(), 'nothing is remembered: nothing derived is kept');
  });
});
