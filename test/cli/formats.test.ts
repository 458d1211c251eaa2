// The CI report formats (github, gitlab, checkstyle) through the built CLI,
// and the CLI's behaviour on bad input: unknown format, a reader that closes the pipe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeData, escapeProperty } from '../../server/src/formats/github';
import { escapeXml } from '../../server/src/formats/checkstyle';

import { REPO as ROOT } from '../helpers/server';
const BIN = join(ROOT, 'bin', 'cachelens');
const EXAMPLES = join(ROOT, 'examples');

function run(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// xml2js (strict sax underneath) is in the lock file through @vscode/vsce
// eslint-disable-next-line @typescript-eslint/no-require-imports
const xml2js = require('xml2js') as { parseStringPromise(s: string, o?: object): Promise<any> };

test('unknown --format: one line on stderr, exit 2, nothing on stdout', () => {
  const r = run(['check', '--format', 'xml', EXAMPLES]);
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.equal(r.err.trim().split('\n').length, 1, r.err);
  assert.match(r.err, /^cachelens: unknown --format xml; use text, json, sarif, github, gitlab or checkstyle\n$/);
});

test('a reader that closes the pipe early ends the run quietly with the decided exit code', async () => {
  for (const format of ['text', 'json', 'github']) {
    const proc = spawn(process.execPath, [BIN, 'check', '--format', format, EXAMPLES], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout.destroy(); // as `| head -0`: the read end is gone before the first write
    let err = '';
    proc.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => proc.on('close', (c) => resolve(c)));
    assert.doesNotMatch(err, /EPIPE|Unhandled|at /, `${format}: ${err}`);
    assert.equal(code, 1, `${format}: findings still decide the exit code`);
  }
});

test('--format github: workflow commands, severities mapped, paths relative to the current directory', () => {
  const r = run(['check', '--format', 'github', 'examples']);
  assert.equal(r.code, 1, r.err);
  const lines = r.out.trim().split('\n');
  assert.ok(
    lines.every((l) =>
      /^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=CL\d{3}::\S/.test(l),
    ),
    r.out,
  );
  assert.match(
    r.out,
    /^::warning file=examples\/node-app\/Dockerfile,line=3,col=1,endLine=3,endColumn=9,title=CL001::`COPY \. \.` copies/m,
  );
  assert.match(r.out, /^::notice file=examples\/node-app\/Dockerfile,line=4,col=1,.*title=CL201::/m);
  // the same findings as the JSON format, one each
  const json = JSON.parse(run(['check', '--format', 'json', 'examples']).out);
  assert.equal(
    lines.length,
    json.files.reduce((n: number, f: { findings: unknown[] }) => n + f.findings.length, 0),
  );
});

test('github escaping follows @actions/core: data escapes % CR LF, properties also : and ,', () => {
  assert.equal(escapeData('50% done\r\nnext'), '50%25 done%0D%0Anext');
  assert.equal(escapeProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
  const dir = mkdtempSync(join(tmpdir(), 'cachelens-gh-'));
  const odd = join(dir, 'we,ird:name.Dockerfile');
  writeFileSync(odd, 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n');
  const r = run(['check', '--format', 'github', odd], dir);
  assert.match(r.out, /file=we%2Cird%3Aname\.Dockerfile,line=3,/);
});

test('--format checkstyle: well-formed XML a strict parser reads, one <error> per finding', async () => {
  const r = run(['check', '--format', 'checkstyle', 'examples']);
  assert.equal(r.code, 1, r.err);
  const doc = await xml2js.parseStringPromise(r.out, { strict: true });
  const files = doc.checkstyle.file as { $: { name: string }; error: { $: Record<string, string> }[] }[];
  const node = files.find((f) => f.$.name === 'examples/node-app/Dockerfile')!;
  const cl001 = node.error.find((e) => e.$.source === 'cachelens.CL001')!;
  assert.deepEqual([cl001.$.line, cl001.$.column, cl001.$.severity], ['3', '1', 'warning']);
  assert.match(cl001.$.message, /^`COPY \. \.` copies \d+ files/);
  for (const f of files) for (const e of f.error) assert.ok(['error', 'warning', 'info'].includes(e.$.severity));
});

test('checkstyle escaping survives markup, quotes and characters XML forbids', async () => {
  const nasty = 'a & b < c > d "e" \'f\'\u0001\ttab\nline';
  const doc = await xml2js.parseStringPromise(`<x m="${escapeXml(nasty)}"/>`, { strict: true });
  assert.equal(doc.x.$.m, 'a & b < c > d "e" \'f\'\ttab\nline');
});

test('--format gitlab: Code Quality issues with the required fields', () => {
  const r = run(['check', '--format', 'gitlab', 'examples']);
  assert.equal(r.code, 1, r.err);
  const issues = JSON.parse(r.out) as any[];
  assert.ok(issues.length > 3);
  for (const i of issues) {
    assert.equal(typeof i.description, 'string');
    assert.match(i.check_name, /^CL\d{3}$/);
    assert.match(i.fingerprint, /^[0-9a-f]{32}$/);
    assert.ok(['info', 'minor', 'major', 'critical', 'blocker'].includes(i.severity));
    assert.equal(typeof i.location.path, 'string');
    assert.ok(Number.isInteger(i.location.lines.begin) && i.location.lines.begin >= 1);
  }
  assert.equal(new Set(issues.map((i) => i.fingerprint)).size, issues.length, 'fingerprints are unique');
  const cl001 = issues.find((i) => i.check_name === 'CL001');
  assert.deepEqual(
    [cl001.location.path, cl001.location.lines.begin, cl001.severity],
    ['examples/node-app/Dockerfile', 3, 'major'],
  );
});

test('gitlab fingerprints are stable across runs and when unrelated lines move', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cachelens-gl-'));
  const df = join(dir, 'Dockerfile');
  writeFileSync(join(dir, 'package.json'), '{}');
  // two stages with the same instructions: one rule flags two identical lines
  writeFileSync(
    df,
    'FROM node:20 AS a\nWORKDIR /app\nCOPY . .\nRUN npm ci\nFROM node:20 AS b\nWORKDIR /app\nCOPY . .\nRUN npm ci\n',
  );
  const first = JSON.parse(run(['check', '--format', 'gitlab', '.'], dir).out) as any[];
  const again = JSON.parse(run(['check', '--format', 'gitlab', '.'], dir).out) as any[];
  assert.deepEqual(
    again.map((i) => i.fingerprint),
    first.map((i) => i.fingerprint),
  );
  // unrelated lines above, and one more file in the context (the message's counts change)
  writeFileSync(
    df,
    'FROM node:20 AS a\n# a comment\nLABEL x=y\nWORKDIR /app\nCOPY . .\nRUN npm ci\nFROM node:20 AS b\nWORKDIR /app\nCOPY . .\nRUN npm ci\n',
  );
  writeFileSync(join(dir, 'extra.txt'), 'x');
  const moved = JSON.parse(run(['check', '--format', 'gitlab', '.'], dir).out) as any[];
  const byFp = (xs: any[]) => new Map(xs.map((i) => [i.fingerprint, i]));
  const before = byFp(first);
  const after = byFp(moved);
  const cl001 = first.find((i) => i.check_name === 'CL001');
  assert.ok(cl001, JSON.stringify(first));
  assert.equal(after.get(cl001.fingerprint)?.location.lines.begin, cl001.location.lines.begin + 2);
  for (const [fp, i] of before)
    if (i.check_name !== 'CL102')
      assert.ok(after.has(fp), `${i.check_name} line ${i.location.lines.begin} lost its fingerprint`);
  // two identical instructions flagged by one rule get distinct fingerprints
  const installs = moved.filter((i) => i.check_name === 'CL201');
  assert.equal(installs.length, 2);
  assert.equal(new Set(installs.map((i) => i.fingerprint)).size, installs.length);
});
