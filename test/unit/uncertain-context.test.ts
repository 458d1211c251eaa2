// While COPY/ADD sources are missing from the context (CL109), the context may
// be the wrong folder: no finding makes count claims, CL101/CL102/CL106 (which
// judge what the context holds) say nothing, and no fix writes an ignore file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint } from '../../server/src/engine/lint';
import { memoryContext } from '../helpers/context';

const COUNT = /\b\d[\d,]* (files?|KB|MB|B)\b/;

function run(code: string, files: Record<string, string>) {
  return lint({ path: '/ws/Dockerfile', text: code, context: memoryContext('/ws', files) });
}

const rules = (r: ReturnType<typeof run>) => [...new Set(r.findings.map((f) => f.rule))].sort();

test('no ignore file, a source missing: CL109, no CL101, no counts, no ignore file created', () => {
  const files = { 'app.py': '', '.git/HEAD': '', '.git/index': '', '.env': 'SECRET=1', 'logs/a.log': '' };
  const code =
    'FROM python:3.12\nWORKDIR /app\nCOPY . .\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n';
  const sure = run(code, { ...files, 'requirements.txt': 'flask' });
  assert.ok(rules(sure).includes('CL101'), 'the same Dockerfile in a context that has its sources gets CL101');
  assert.ok(
    sure.findings.some((f) => COUNT.test(f.message)),
    'and counts',
  );
  const r = run(code, files);
  assert.deepEqual(
    rules(r).filter((id) => id.startsWith('CL1')),
    ['CL109'],
  );
  for (const f of r.findings) {
    assert.doesNotMatch(f.message, COUNT, `${f.rule}: ${f.message}`);
    for (const fix of f.fixes) {
      assert.equal(fix.createFile, undefined, `${f.rule} ${fix.title}`);
      assert.ok(
        fix.edits.every((e) => e.path === '/ws/Dockerfile'),
        `${f.rule} ${fix.title} edits only the Dockerfile`,
      );
    }
  }
  const cl001 = r.findings.find((f) => f.rule === 'CL001');
  assert.ok(cl001, 'CL001 still reports the order');
  assert.match(cl001.message, /^`COPY \. \.` copies the whole build context before/);
});

test('an ignore file, a source missing: no CL102, no CL106; CL104 keeps its finding without count or fix', () => {
  const files = {
    '.dockerignore': 'dist/*\nold/path\n',
    'dist/a.js': '',
    'dist/b.js': '',
    'node_modules/x/index.js': '',
    'package.json': '{}',
  };
  const code = 'FROM node:20\nCOPY dist/ /srv/\nCOPY missing.txt /srv/\nCOPY . .\n';
  const sure = run(code.replace('COPY missing.txt /srv/\n', ''), files);
  assert.deepEqual(
    rules(sure).filter((id) => ['CL102', 'CL104', 'CL106'].includes(id)),
    ['CL102', 'CL104', 'CL106'],
  );
  assert.match(sure.findings.find((f) => f.rule === 'CL104')!.message, /all 2 files of/);
  const r = run(code, files);
  assert.deepEqual(
    rules(r).filter((id) => id.startsWith('CL1')),
    ['CL104', 'CL109'],
  );
  const cl104 = r.findings.find((f) => f.rule === 'CL104')!;
  assert.match(cl104.message, /^all files of `dist\/` are excluded/);
  assert.deepEqual(cl104.fixes, []);
});

test('no message says a COPY that brings nothing re-runs an install (CL001/CL002 skip empty copies)', () => {
  const files = { '.dockerignore': 'config\n', 'config/app.yml': '', 'requirements.txt': '' };
  const code =
    'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nCOPY config/ ./config/\nRUN pip install -r requirements.txt\n';
  const r = run(code, files);
  for (const f of r.findings) assert.doesNotMatch(f.message, /copies 0 files/, `${f.rule}: ${f.message}`);
  assert.ok(!rules(r).includes('CL002'));
  assert.ok(rules(r).includes('CL104'), "the excluded source is CL104's");
  // the same copy with files that reach the build is reported
  assert.ok(rules(run(code, { 'config/app.yml': '', 'requirements.txt': '' })).includes('CL002'));
});

test('findings memoised per context are not replayed across certain and uncertain analyses', () => {
  const files = { '.dockerignore': 'old/path\n', 'src/a.js': '', 'package.json': '{}' };
  const context = memoryContext('/ws', files);
  const sure = lint({ path: '/ws/Dockerfile', text: 'FROM node:20\nCOPY . .\n', context });
  const unsure = lint({ path: '/ws/Dockerfile', text: 'FROM node:20\nCOPY . .\nCOPY nothere /x\n', context });
  assert.ok(sure.findings.some((f) => f.rule === 'CL106'));
  assert.ok(!unsure.findings.some((f) => f.rule === 'CL106'));
});

test('the hover of a COPY gives no counts while sources are missing', async () => {
  const { hoverAt } = await import('../../server/src/engine/hover');
  const files = { 'app.py': '', 'src/a.py': '', 'src/b.py': '' };
  const code = 'FROM python:3.12\nCOPY . /app\nCOPY requirements.txt /app/\n';
  const sure = run(code.replace('COPY requirements.txt /app/\n', ''), files);
  assert.match(hoverAt(sure, { line: 1, character: 1 }) ?? '', /3 files/);
  const r = run(code, files);
  const hover = hoverAt(r, { line: 1, character: 1 }) ?? '';
  assert.match(hover, /Cache key/);
  assert.doesNotMatch(hover, COUNT);
});

test('in an uncertain context CL001 and CL002 offer no fix: the manifests and what the install reads cannot be known', () => {
  const code = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCOPY config/ ./config/\n';
  const sure = run(code, { 'package.json': '{}', 'package-lock.json': '{}', 'config/a.yml': '' });
  const split = sure.findings.find((f) => f.rule === 'CL001')!.fixes[0];
  assert.equal(split.safe, true);
  const r = run(code, { 'package.json': '{}' });
  assert.ok(
    r.findings.some((f) => f.rule === 'CL109'),
    'config/ is missing',
  );
  assert.deepEqual(r.findings.find((f) => f.rule === 'CL001')!.fixes, []);
  const moved = run(
    'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nCOPY config/ ./config/\nRUN pip install -r requirements.txt\nCOPY missing.txt .\n',
    { 'requirements.txt': '', 'config/a.yml': '' },
  );
  const cl002 = moved.findings.find((f) => f.rule === 'CL002');
  assert.ok(cl002, 'still reported');
  assert.deepEqual(cl002.fixes, []);
});
