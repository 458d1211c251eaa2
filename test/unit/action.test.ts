// The GitHub Action: action.yml's shape, and its entry script run locally the
// way the runner runs it (INPUT_* environment, GITHUB_OUTPUT file).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import AjvDraft04 from 'ajv-draft-04';

import { REPO as root } from '../helpers/server';

function action(inputs: Record<string, string>, cwd = root) {
  const out = join(mkdtempSync(join(tmpdir(), 'cachelens-action-')), 'github_output');
  writeFileSync(out, '');
  const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_OUTPUT: out, CACHELENS_CLI: join(root, 'dist', 'cli.js') };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase().replace(/-/g, '_')}`] = v;
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'action.mjs')], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr, outputs: readFileSync(out, 'utf8') };
}

test('action.yml: a composite action with inputs paths, fail-on, format and the sarif-file output', () => {
  const doc = parse(readFileSync(join(root, 'action.yml'), 'utf8'));
  assert.equal(doc.runs.using, 'composite');
  assert.deepEqual(Object.keys(doc.inputs).sort(), ['fail-on', 'format', 'paths', 'sarif-file']);
  assert.equal(doc.inputs.paths.default, '.');
  assert.equal(doc.inputs['fail-on'].default, 'warning');
  assert.match(doc.outputs['sarif-file'].value, /steps\.cachelens\.outputs\.sarif-file/);
  const step = doc.runs.steps[0];
  assert.equal(step.id, 'cachelens');
  assert.match(step.run, /scripts\/action\.mjs/);
  for (const name of Object.keys(doc.inputs))
    assert.ok(Object.values(step.env).includes(`\${{ inputs.${name} }}`), `${name} reaches the script`);
});

test('action: annotations on stdout, exit 1 on warnings, SARIF written with workspace-relative paths, output set', () => {
  const sarif = join(mkdtempSync(join(tmpdir(), 'cachelens-action-sarif-')), 'out.sarif');
  const r = action({ paths: 'examples/node-app\nexamples/python-api/Dockerfile', 'sarif-file': sarif });
  assert.equal(r.code, 1, r.err);
  assert.match(r.out, /^::warning file=examples\/node-app\/Dockerfile,line=3,col=1,.*title=CL001::/m);
  assert.equal(r.outputs, `sarif-file=${sarif}\n`);
  const doc = JSON.parse(readFileSync(sarif, 'utf8')) as any;
  const schema = JSON.parse(
    readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
  );
  const validate = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);
  assert.ok(validate(doc as object), JSON.stringify(validate.errors));
  const uris = new Set(doc.runs[0].results.map((x: any) => x.locations[0].physicalLocation.artifactLocation.uri));
  assert.ok(uris.has('examples/node-app/Dockerfile') && uris.has('examples/python-api/Dockerfile'), [...uris].join());
});

test('action: fail-on never passes; format is passed through', () => {
  const r = action({
    paths: 'examples',
    'fail-on': 'never',
    format: 'text',
    'sarif-file': join(mkdtempSync(join(tmpdir(), 'cachelens-action-')), 'x.sarif'),
  });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^node-app\/Dockerfile:3:1 warning CL001/m);
});

test('action: a path that does not exist is one error annotation and exit 2; nothing to check passes', () => {
  const r = action({ paths: 'examples does-not-exist' });
  assert.equal(r.code, 2);
  assert.equal(r.out.trim().split('\n').length, 1);
  assert.match(r.out, /^::error title=cachelens::path does-not-exist does not exist/);
  const empty = mkdtempSync(join(tmpdir(), 'cachelens-action-empty-'));
  const clean = action({}, empty);
  assert.equal(clean.code, 0, clean.err + clean.out);
  assert.match(clean.outputs, /^sarif-file=.*cachelens\.sarif\n$/);
});

test('action: with no CLI given and no bundle beside it, it runs the npm package of its version through npx', () => {
  // the action's checkout as the runner has it without a build: scripts/action.mjs and no dist/
  const dir = mkdtempSync(join(tmpdir(), 'cachelens-action-npx-'));
  mkdirSync(join(dir, 'action', 'scripts'), { recursive: true });
  copyFileSync(join(root, 'scripts', 'action.mjs'), join(dir, 'action', 'scripts', 'action.mjs'));
  // a stand-in npx on PATH: records its arguments, then runs this checkout's CLI with what follows the package
  mkdirSync(join(dir, 'bin'));
  const calls = join(dir, 'npx-calls');
  writeFileSync(
    join(dir, 'bin', 'npx'),
    `#!/bin/sh\necho "$@" >> "${calls}"\nshift 2\nexec "${process.execPath}" "${join(root, 'dist', 'cli.js')}" "$@"\n`,
  );
  chmodSync(join(dir, 'bin', 'npx'), 0o755);
  const out = join(dir, 'github_output');
  writeFileSync(out, '');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
    GITHUB_OUTPUT: out,
    CACHELENS_ACTION_VERSION: 'v1.2.3',
    INPUT_PATHS: 'examples',
    INPUT_FAIL_ON: 'never',
  };
  delete env.CACHELENS_CLI;
  const r = spawnSync(process.execPath, [join(dir, 'action', 'scripts', 'action.mjs')], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const lines = readFileSync(calls, 'utf8').trim().split('\n');
  assert.ok(lines.length >= 1);
  for (const l of lines) assert.match(l, /^--yes cachelens@1\.2\.3 check /);
  assert.match(r.stdout, /::warning file=/);
  assert.match(readFileSync(out, 'utf8'), /^sarif-file=/m);
});
