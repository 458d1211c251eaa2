// .cachelens.json: parsed with clear problems, applied by the Workspace (CLI and
// server alike), checked by the CLI (exit 2), and described by the JSON schema
// VS Code validates it with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Ajv from 'ajv';
import { parseProjectConfig } from '../../server/src/context/projectConfig';
import { Workspace } from '../../server/src/engine/workspace';
import { RULES } from '../../server/src/rules/registry';

import { REPO as root } from '../helpers/server';
const CLI = join(root, 'bin', 'cachelens');
const NAIVE = 'FROM node:20.11.1\nWORKDIR /app\nCOPY . .\nRUN npm ci\n';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cachelens-config-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

function check(dir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', ...args, '.'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const rulesOf = (out: string) =>
  (JSON.parse(out).files as { findings: { rule: string; severity: string }[] }[]).flatMap((f) =>
    f.findings.map((x) => `${x.rule}:${x.severity}`),
  );

test('parse: what the settings accept, with comments and trailing commas', () => {
  const { config, problems } = parseProjectConfig(`{
    // project-wide
    "$schema": "./node_modules/cachelens/schemas/cachelens.schema.json",
    "rules": { "cl006": "off", "CL001": "error", },
    "contexts": [ { "dockerfile": "docker/api.Dockerfile", "context": ".", "ignoreFile": ".dockerignore" } ],
    "exclude": [ "test/fixtures/**" ],
  }`);
  assert.deepEqual(problems, []);
  assert.deepEqual(config, {
    rules: { CL006: 'off', CL001: 'error' },
    contexts: [{ dockerfile: 'docker/api.Dockerfile', context: '.', ignoreFile: '.dockerignore' }],
    exclude: ['test/fixtures/**'],
  });
});

test('parse: unknown keys, wrong types and syntax errors are one clear line each; the valid rest applies', () => {
  const r = parseProjectConfig(
    '{"rule": {}, "rules": {"CL001": "loud", "X1": "off", "CL002": "info"}, "contexts": [{"dockerfile": "D", "context": ".", "ignore": "x"}], "exclude": "a"}',
  );
  assert.deepEqual(r.problems, [
    '.cachelens.json: unknown key "rule" (known: "rules", "contexts", "exclude")',
    '.cachelens.json: "rules"."CL001" should be one of error, warning, info, hint, off',
    '.cachelens.json: "rules" has "X1", which is not a rule id like CL001',
    '.cachelens.json: unknown key "ignore" in a "contexts" entry (known: "dockerfile", "context", "ignoreFile")',
    '.cachelens.json: "exclude" should be a list of path patterns',
  ]);
  assert.deepEqual(r.config.rules, { CL002: 'info' });
  assert.equal(r.config.contexts.length, 1);
  assert.match(
    parseProjectConfig('{\n  "rules": {\n').problems[0],
    /^\.cachelens\.json: syntax error \(\w+\) at line 3$/,
  );
  assert.match(parseProjectConfig('[]').problems[0], /should be an object/);
});

test('Workspace: the file sets severities and excludes; the caller (settings, --rule) wins; untrusted ignores it', () => {
  const dir = project({
    Dockerfile: NAIVE,
    'package.json': '{}',
    'vendor/Dockerfile': NAIVE,
    '.cachelens.json': '{"rules": {"CL001": "error", "CL101": "off"}, "exclude": ["vendor"]}',
  });
  const ws = new Workspace(dir);
  const rules = (opts = {}) =>
    ws.analyze(join(dir, 'Dockerfile'), NAIVE, opts).findings.map((f) => `${f.rule}:${f.severity}`);
  assert.ok(rules().includes('CL001:error'));
  assert.ok(!rules().some((r) => r.startsWith('CL101')));
  assert.ok(rules({ rules: { CL001: 'info' } }).includes('CL001:info'));
  assert.ok(rules({ trusted: false }).includes('CL001:warning'));
  assert.equal(ws.excludes(join(dir, 'vendor', 'Dockerfile')), true);
  assert.equal(ws.excludes(join(dir, 'Dockerfile')), false);
  // edited on disk: read again after the file event
  writeFileSync(join(dir, '.cachelens.json'), '{}');
  ws.onFileChanged(join(dir, '.cachelens.json'), 'changed');
  assert.ok(rules().includes('CL001:warning'));
});

test('CLI: applies rules and exclude; --rule overrides the file', () => {
  const dir = project({
    Dockerfile: NAIVE,
    'package.json': '{}',
    'vendor/x/Dockerfile': NAIVE,
    '.cachelens.json': '{"rules": {"CL001": "off"}, "exclude": ["vendor/**"]}',
  });
  const r = check(dir);
  assert.equal(r.code, 1, r.err);
  const paths = JSON.parse(r.out).files.map((f: { path: string }) => f.path);
  assert.ok(!paths.some((p: string) => p.startsWith('vendor/')), paths.join());
  assert.ok(!rulesOf(r.out).some((x) => x.startsWith('CL001')));
  assert.ok(rulesOf(check(dir, '--rule', 'CL001=error').out).includes('CL001:error'));
});

test('CLI: a broken .cachelens.json is one line on stderr and exit 2', () => {
  for (const [text, message] of [
    [
      '{"rulez": {}}',
      /^cachelens: \.cachelens\.json: unknown key "rulez" \(known: "rules", "contexts", "exclude"\)\n$/,
    ],
    ['{"rules": {', /^cachelens: \.cachelens\.json: syntax error \(\w+\) at line 1( \(and \d+ more\))?\n$/],
    ['{"rules": {"CL999": "off"}}', /^cachelens: \.cachelens\.json: "rules" has CL999, which is no cachelens rule/],
  ] as const) {
    const r = check(project({ Dockerfile: NAIVE, '.cachelens.json': text }));
    assert.equal(r.code, 2, text);
    assert.equal(r.out, '');
    assert.match(r.err, message);
  }
});

test('schema: contributed through jsonValidation, lists every rule, accepts what the reader accepts and rejects unknown keys', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const contribution = pkg.contributes.jsonValidation.find(
    (j: { fileMatch: string }) => j.fileMatch === '.cachelens.json',
  );
  const schema = JSON.parse(readFileSync(join(root, contribution.url), 'utf8'));
  assert.deepEqual(Object.keys(schema.properties.rules.properties), RULES.map((r) => r.id).sort());
  const validate = new Ajv({ strict: false }).compile(schema);
  const good = {
    $schema: 'x',
    rules: { CL001: 'error', cl006: 'off' },
    contexts: [{ dockerfile: 'D', context: '.', ignoreFile: '.dockerignore' }],
    exclude: ['a/**'],
  };
  assert.ok(validate(good), JSON.stringify(validate.errors));
  assert.deepEqual(parseProjectConfig(JSON.stringify(good)).problems, []);
  for (const bad of [
    { rulez: {} },
    { rules: { CL001: 'loud' } },
    { rules: { X1: 'off' } },
    { contexts: [{ dockerfile: 'D' }] },
    { contexts: [{ dockerfile: 'D', context: '.', ignore: 'x' }] },
    { exclude: 'a' },
  ]) {
    assert.equal(validate(bad), false, JSON.stringify(bad));
    assert.notDeepEqual(parseProjectConfig(JSON.stringify(bad)).problems, [], JSON.stringify(bad));
  }
});
