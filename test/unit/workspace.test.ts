// The workspace as the server uses it: contexts follow file events without a
// rescan, untrusted workspaces read nothing, and open editor text overrides disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workspace } from '../../server/src/engine/workspace';
import { lint } from '../../server/src/engine/lint';
import { parseDockerfile } from '../../server/src/parse/dockerfile';

const DOCKERFILE = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n';

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cachelens-ws-'));
  writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE);
  writeFileSync(join(dir, 'package.json'), '{}');
  writeFileSync(join(dir, 'package-lock.json'), '{}');
  writeFileSync(join(dir, '.dockerignore'), 'node_modules\n');
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'a.js'), 'a');
  return dir;
}

const cl001 = (ws: Workspace, dir: string, opts = {}) =>
  ws.analyze(join(dir, 'Dockerfile'), DOCKERFILE, opts).findings.find((f) => f.rule === 'CL001')?.message ?? '';

test('file events update the counts without a new walk', () => {
  const dir = project();
  const ws = new Workspace(dir);
  assert.match(cl001(ws, dir), /copies 5 files/);
  writeFileSync(join(dir, 'src', 'b.js'), 'bb');
  ws.onFileChanged(join(dir, 'src', 'b.js'), 'created');
  assert.match(cl001(ws, dir), /copies 6 files/);
  rmSync(join(dir, 'src', 'a.js'));
  ws.onFileChanged(join(dir, 'src', 'a.js'), 'deleted');
  assert.match(cl001(ws, dir), /copies 5 files/);
});

test('an open, unsaved ignore file applies instead of the one on disk', () => {
  const dir = project();
  const ws = new Workspace(dir);
  const overlays = new Map([[join(dir, '.dockerignore'), 'node_modules\nsrc\n']]);
  assert.match(cl001(ws, dir, { overlays }), /copies 4 files/);
});

test('untrusted: no context is read, the text is still analysed', () => {
  const dir = project();
  const ws = new Workspace(dir);
  const a = ws.analyze(join(dir, 'Dockerfile'), DOCKERFILE, { trusted: false });
  assert.equal(a.primaryContext, undefined);
  assert.match(a.findings.find((f) => f.rule === 'CL001')!.message, /copies the whole build context/);
});

test('a context outside the workspace is reported, not read', () => {
  const dir = project();
  const ws = new Workspace(join(dir, 'src'));
  const a = ws.analyze(join(dir, 'src', 'Dockerfile'), DOCKERFILE, {
    mappings: [{ dockerfile: 'Dockerfile', context: '..' }],
  });
  assert.match(a.problems.map((p) => p.message).join('\n'), /outside the workspace, so cachelens does not read it/);
  assert.ok(
    a.contexts.every((c) => c.contextDir.startsWith(join(dir, 'src'))),
    'fell back to a context inside the workspace',
  );
});

test('a Dockerfile whose COPY sources live in an ancestor is analysed against it, said as inferred', () => {
  const dir = project();
  mkdirSync(join(dir, 'deploy', 'docker'), { recursive: true });
  const text = 'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY src/ ./src/\n';
  const file = join(dir, 'deploy', 'docker', 'Dockerfile');
  writeFileSync(file, text);
  const ws = new Workspace(dir);
  const a = ws.analyze(file, text);
  assert.equal(a.contexts[0].source, 'inferred');
  assert.equal(a.primaryContext?.dir, dir);
  assert.match(a.primaryContext?.reason ?? '', /inferred from the COPY sources/);
  assert.equal(a.contexts.length, 1);
  // The server's other callers (indexing, ignore-file hover) resolve without the text: same context.
  assert.equal(new Workspace(dir).resolve(file).contexts[0].source, 'inferred');
  // Untrusted: nothing is inferred (no walk of the workspace) and nothing is read.
  assert.equal(ws.analyze(file, text, { trusted: false }).contexts.length, 0);
});

test('a Dockerfile named only with a context outside the workspace is analysed without a context', () => {
  const dir = project();
  writeFileSync(
    join(dir, 'compose.yaml'),
    'services:\n  a:\n    build:\n      context: ..\n      dockerfile: ' + join(dir, 'Dockerfile') + '\n',
  );
  const ws = new Workspace(dir);
  const a = ws.analyze(join(dir, 'Dockerfile'), DOCKERFILE);
  assert.equal(a.contexts.length, 0);
  assert.equal(a.primaryContext, undefined);
  assert.ok(a.problems.some((p) => p.message.includes('outside the workspace')));
  assert.ok(!a.findings.some((f) => f.rule.startsWith('CL1')), 'no context-based findings');
});

test('lint uses an already-parsed model instead of parsing the text again', () => {
  const model = parseDockerfile(DOCKERFILE);
  const r = lint({ path: '/x/Dockerfile', text: DOCKERFILE, model });
  assert.equal(r.model, model);
  assert.deepEqual(
    r.findings.map((f) => f.rule),
    lint({ path: '/x/Dockerfile', text: DOCKERFILE }).findings.map((f) => f.rule),
  );
});

test('contexts that disagree: the one holding the COPY sources comes first, and each rule speaks once per line', () => {
  const dir = project();
  mkdirSync(join(dir, 'other'));
  writeFileSync(join(dir, 'other', 'x.txt'), 'x');
  writeFileSync(
    join(dir, 'compose.yaml'),
    'services:\n  a:\n    build:\n      context: other\n      dockerfile: ../Dockerfile\n  b:\n    build: .\n',
  );
  const text = 'FROM node:20\nWORKDIR /app\nCOPY package.json ./\nCOPY . .\nRUN npm ci\n';
  writeFileSync(join(dir, 'Dockerfile'), text);
  const ws = new Workspace(dir);
  const a = ws.analyze(join(dir, 'Dockerfile'), text);
  assert.deepEqual(
    a.contexts.map((c) => c.contextDir),
    [dir, join(dir, 'other')],
  );
  assert.equal(a.primaryContext?.dir, dir);
  const cl001 = a.findings.filter((f) => f.rule === 'CL001');
  assert.equal(cl001.length, 1);
  assert.match(cl001[0].message, /copies 7 files/); // the root context (with compose.yaml), not `other` (1 file)
});

test('an unsaved ignore file is chosen in the build precedence: .containerignore for a Containerfile, never for Docker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cachelens-ws-'));
  writeFileSync(join(dir, 'Containerfile'), DOCKERFILE);
  writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE);
  const ws = new Workspace(dir);
  const overlays = new Map([[join(dir, '.containerignore'), 'src\n']]);
  const ignoreOf = (name: string) => ws.analyze(join(dir, name), DOCKERFILE, { overlays }).contexts[0]?.ignoreFile;
  assert.equal(ignoreOf('Containerfile'), join(dir, '.containerignore'));
  assert.equal(ignoreOf('Dockerfile'), undefined);
});
