import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, readFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';

import { CLI } from '../helpers/server';
const EXAMPLES = join(__dirname, '..', '..', 'examples');

function run(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function tempCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cachelens-cli-'));
  cpSync(EXAMPLES, dir, { recursive: true });
  return dir;
}

test('check: compiler-style text, context header, exit 1 on warnings', () => {
  const r = run(['check', EXAMPLES]);
  assert.equal(r.code, 1, r.err);
  assert.match(r.out, /^node-app\/Dockerfile:3:1 warning CL001 `COPY \. \.` copies \d+ files/m);
  assert.match(r.out, /^# node-app\/Dockerfile: Build context: `node-app`, \d+ files/m);
  assert.match(r.out, /^2 Dockerfiles checked: \d+ warnings?[,.]/m);
});

test('check --fail-on error exits 0 when only warnings', () => {
  assert.equal(run(['check', '--fail-on', 'error', EXAMPLES]).code, 0);
});

test('check --format json has the documented shape', () => {
  const r = run(['check', '--format', 'json', EXAMPLES]);
  const doc = JSON.parse(r.out);
  assert.equal(doc.version, 1);
  const file = doc.files.find((f: { path: string }) => f.path === 'node-app/Dockerfile');
  assert.equal(file.kind, 'dockerfile');
  const f = file.findings.find((x: { rule: string }) => x.rule === 'CL001');
  assert.deepEqual(Object.keys(f).sort(), ['fixes', 'message', 'range', 'rule', 'severity']);
  assert.deepEqual(f.range.start, { line: 2, character: 0 });
  assert.equal(f.fixes[0].title, 'Split dependency manifest copy');
  assert.equal(f.fixes[0].edits[0].path, 'node-app/Dockerfile');
});

test('check --format sarif validates against the SARIF 2.1.0 schema', () => {
  // the OASIS schema (draft-04) as shipped by @microsoft/jest-sarif, checked with Ajv's draft-04 class
  const schema = JSON.parse(
    readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
  );
  const validate = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);
  const doc = JSON.parse(run(['check', '--format', 'sarif', EXAMPLES]).out);
  assert.ok(validate(doc), JSON.stringify(validate.errors, null, 2));
});

test('check --format sarif: 2.1.0 with rule metadata and results', () => {
  const doc = JSON.parse(run(['check', '--format', 'sarif', EXAMPLES]).out);
  assert.equal(doc.version, '2.1.0');
  const driver = doc.runs[0].tool.driver;
  assert.equal(driver.name, 'cachelens');
  const cl001 = driver.rules.find((r: { id: string }) => r.id === 'CL001');
  assert.ok(cl001.helpUri.includes('rules.md#cl001'));
  assert.ok(cl001.shortDescription.text.length > 0);
  const result = doc.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'CL001');
  assert.equal(result.level, 'warning');
  assert.equal(driver.rules[result.ruleIndex].id, 'CL001');
  assert.deepEqual(result.locations[0].physicalLocation.region, {
    startLine: 3,
    startColumn: 1,
    endLine: 3,
    endColumn: 9,
  });
  assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'node-app/Dockerfile');
});

test('fix --dry-run prints a diff and writes nothing; fix writes and a second check is clean of CL001', () => {
  const dir = tempCopy();
  const before = readFileSync(join(dir, 'node-app', 'Dockerfile'), 'utf8');
  const dry = run(['fix', '--dry-run', dir]);
  assert.match(dry.out, /\+COPY package\.json package-lock\.json \.\//);
  assert.equal(readFileSync(join(dir, 'node-app', 'Dockerfile'), 'utf8'), before);
  const fixed = run(['fix', dir]);
  assert.equal(fixed.code, 0, fixed.err);
  assert.match(fixed.out, /^fixed node-app\/Dockerfile: .*CL001 Split dependency manifest copy/m);
  assert.doesNotMatch(fixed.out, /^fixed node-app\/\.dockerignore: .*CL001/m);
  const again = run(['check', '--format', 'json', dir]);
  const rules = JSON.parse(again.out).files.flatMap((f: { findings: { rule: string }[] }) =>
    f.findings.map((x) => x.rule),
  );
  assert.ok(!rules.includes('CL001') && !rules.includes('CL002'), rules.join(','));
});

test('explain renders the rule docs; unknown id is a usage error', () => {
  const r = run(['explain', 'CL001']);
  assert.equal(r.code, 0);
  assert.match(r.out, /Why is this bad\?/);
  const bad = run(['explain', 'CL999']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /no rule CL999/);
});

test('I/O and usage errors: exit 2 with a one-line message naming the file', () => {
  const missing = run(['check', '/nonexistent/cachelens/path']);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /cannot read \/nonexistent\/cachelens\/path: ENOENT/);
  const dir = mkdtempSync(join(tmpdir(), 'cachelens-bad-'));
  writeFileSync(join(dir, 'Dockerfile'), Buffer.from([0, 1, 2, 3, 0xff, 0]));
  const binary = run(['check', join(dir, 'Dockerfile')]);
  assert.equal(binary.code, 2);
  assert.match(binary.err, /is not a text file/);
  assert.equal(run(['check', '--format', 'xml', dir]).code, 2);
  assert.equal(run(['frobnicate']).code, 2);
});

test('bad input never crashes: empty, unterminated heredoc, unknown instructions, huge file, no Dockerfiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cachelens-odd-'));
  const cases: Record<string, string> = {
    'empty/Dockerfile': '',
    'heredoc/Dockerfile': 'FROM alpine\nRUN <<EOF\nnpm ci\n',
    'unknown/Dockerfile': 'FROBNICATE x\nFROM alpine\nCOPY . .\nWHATEVER\nRUN npm ci\n',
    'long/Dockerfile':
      'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n' + ('RUN echo ' + 'y'.repeat(100) + '\n').repeat(1_000),
  };
  for (const [p, text] of Object.entries(cases)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  mkdirSync(join(dir, 'nothing-here'));
  const r = run(['check', '--format', 'json', dir]);
  assert.ok(r.code === 0 || r.code === 1, r.err);
  assert.doesNotMatch(r.err, /internal error/);
  const paths = JSON.parse(r.out).files.map((f: { path: string }) => f.path);
  for (const p of Object.keys(cases)) assert.ok(paths.includes(p), `${p} missing from ${paths}`);
  const hugeDir = mkdtempSync(join(tmpdir(), 'cachelens-huge-'));
  writeFileSync(join(hugeDir, 'Dockerfile'), 'FROM node:20\n' + ('RUN echo ' + 'y'.repeat(100) + '\n').repeat(100_000));
  const huge = run(['check', join(hugeDir, 'Dockerfile')]);
  assert.equal(huge.code, 2);
  assert.match(huge.err, /Dockerfile is 10\.\d MB, more than the 1 MB cachelens analyses; skipped/);
  // one 300 KB instruction: dockerfile-ast would take seconds per parse; refused up front with the line
  writeFileSync(join(hugeDir, 'Dockerfile'), 'FROM node:20\nCOPY . .\nRUN ' + 'npm ci && '.repeat(30_000) + 'true\n');
  const long = run(['check', join(hugeDir, 'Dockerfile')]);
  assert.equal(long.code, 2);
  assert.match(
    long.err,
    /Dockerfile is not analysed: the instruction on line 3 has 300,\d+ characters, more than the 65,536 cachelens analyses/,
  );
  const none = run(['check', join(dir, 'nothing-here')]);
  assert.equal(none.code, 0);
  assert.match(none.out, /No Dockerfile found/);
});

test('check FILE: the repository around the file is the workspace, so a workflow naming its context is read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cachelens-cli-repo-'));
  mkdirSync(join(dir, '.git'));
  mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
  mkdirSync(join(dir, 'services', 'api'), { recursive: true });
  writeFileSync(
    join(dir, '.github', 'workflows', 'ci.yml'),
    'jobs:\n  b:\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          context: .\n          file: services/api/Dockerfile\n',
  );
  writeFileSync(join(dir, 'services', 'api', 'Dockerfile'), 'FROM node:20\nCOPY package.json ./\nRUN npm install\n');
  writeFileSync(join(dir, 'package.json'), '{}');
  const r = run(['check', '--fail-on', 'never', join(dir, 'services', 'api', 'Dockerfile')]);
  assert.equal(r.code, 0, r.err);
  assert.match(
    r.out,
    /^# Dockerfile: Build context: `\.\.\/\.\.`, .* — \.github\/workflows\/ci\.yml job b step 1 \(build-push-action context \.\)\.$/m,
  );
});
