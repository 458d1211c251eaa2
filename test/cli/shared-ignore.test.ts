// An ignore file that serves several Dockerfiles gets one CL102 finding per
// line, naming what every one of them needs, with one fix that adds it all;
// fix-all still converges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lint } from '../../server/src/engine/lint';
import { mergeSharedFindings } from '../../server/src/engine/merge';
import { memoryContext } from '../helpers/context';

import { CLI } from '../helpers/server';
import { writeTree } from '../helpers/tree';
const DF = 'FROM python:3.12\nWORKDIR /app\nCOPY . /app\nCMD ["python", "app.py"]\n';

const tree = (files: Record<string, string>) => writeTree(files, 'cachelens-shared-');

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('CLI: two Dockerfiles, one .dockerignore: one CL102 with the union; fix converges in one run', () => {
  const dir = tree({
    Dockerfile: DF,
    'Dockerfile.fast': DF,
    '.dockerignore': '__pycache__\n',
    'app.py': '',
    '.git/HEAD': 'ref',
    '.git/config': '',
  });
  const r = run(['check', '--fail-on', 'never', '--format', 'json', dir]);
  assert.equal(r.code, 0, r.err);
  const ignore = JSON.parse(r.out).files.find((f: { path: string }) => f.path === '.dockerignore');
  const cl102 = ignore.findings.filter((f: { rule: string }) => f.rule === 'CL102');
  assert.equal(cl102.length, 1, JSON.stringify(cl102, null, 1));
  assert.match(cl102[0].message, /Add `\.git`, `Dockerfile`, `\.dockerignore`, `Dockerfile\.fast`\.$/);
  assert.equal(cl102[0].fixes[0].title, 'Add .git, Dockerfile, .dockerignore, Dockerfile.fast to .dockerignore');
  assert.equal(run(['fix', dir]).code, 0);
  assert.equal(
    readFileSync(join(dir, '.dockerignore'), 'utf8'),
    '__pycache__\n.git\nDockerfile\n.dockerignore\nDockerfile.fast\n',
  );
  const again = run(['check', '--fail-on', 'never', dir]);
  assert.doesNotMatch(again.out, /CL102/);
  assert.match(run(['fix', '--dry-run', dir]).out, /^nothing to fix$/m);
});

test('CLI: fix --dry-run prints a shared ignore file once, with what the fixes of every Dockerfile add to it', () => {
  const dir = tree({
    Dockerfile: DF,
    'Dockerfile.fast': DF,
    '.dockerignore': '__pycache__\n',
    'app.py': '',
    '.git/HEAD': 'ref',
  });
  const r = run(['fix', '--dry-run', dir]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.match(/^\+\+\+ b\/\.dockerignore$/gm)?.length, 1, r.out);
  assert.match(r.out, /^\+\.git\n\+Dockerfile\n\+\.dockerignore\n\+Dockerfile\.fast$/m);
  // nothing was written
  assert.equal(readFileSync(join(dir, '.dockerignore'), 'utf8'), '__pycache__\n');
});

test('mergeSharedFindings: the same CL102 twice stays one; different ones merge entries, COPYs and related', () => {
  const files = {
    '.dockerignore': '# x\n',
    'a.py': '',
    '.git/HEAD': 'r',
    'logs/x.log': 'l',
    Dockerfile: 'FROM python',
    'api.Dockerfile': 'FROM python',
  };
  const a = lint({
    path: '/ws/Dockerfile',
    text: 'FROM python:3.12\nCOPY . /app\n',
    context: memoryContext('/ws', files),
  }).findings.filter((f) => f.rule === 'CL102');
  const b = lint({
    path: '/ws/api.Dockerfile',
    text: 'FROM python:3.12\nCOPY . /srv\n',
    context: memoryContext('/ws', files),
  }).findings.filter((f) => f.rule === 'CL102');
  assert.equal(a.length, 1);
  assert.equal(b.length, 1);
  assert.equal(mergeSharedFindings([a[0], structuredClone(a[0])]).length, 1);
  const [merged] = mergeSharedFindings([...a, ...b]);
  assert.match(merged.message, /to `COPY \. \/app`, `COPY \. \/srv`: each change misses its cache\./);
  assert.match(merged.message, /Add `\.git`, `\*\*\/\*\.log`, `Dockerfile`, `\.dockerignore`, `api\.Dockerfile`\.$/);
  assert.deepEqual(
    merged.related.map((r) => r.path),
    ['/ws/Dockerfile', '/ws/api.Dockerfile'],
  );
  assert.equal(merged.fixes[0].edits.length, 1);
  assert.equal(merged.fixes[0].edits[0].newText, '.git\n**/*.log\nDockerfile\n.dockerignore\napi.Dockerfile\n');
});

test('CLI: an ignore-file line gets one finding per rule however many Dockerfiles it serves', () => {
  // the second Dockerfile copies a file the context lacks, so its analysis words the same CL103 without counts
  const dir = tree({
    Dockerfile: DF,
    'Dockerfile.other': 'FROM python:3.12\nWORKDIR /app\nCOPY missing.txt /app/\nCOPY . /app\n',
    '.dockerignore': '.git\n.idea\nDockerfile*\n.dockerignore\n',
    'app.py': '',
    'tools/x/.idea/workspace.xml': '{}',
  });
  const { out } = run(['check', '--format', 'json', '--fail-on', 'never', dir]);
  const ignore = (JSON.parse(out) as { files: { path: string; findings: { rule: string }[] }[] }).files.find(
    (f) => f.path === '.dockerignore',
  );
  assert.equal(ignore?.findings.filter((f) => f.rule === 'CL103').length, 1, out);
});
