// The README's install snippets, one per channel, hold against the files they
// rely on: the hook id, the Action's inputs and outputs, the CLI formats they
// call (run here on the examples), the bins, the configuration example.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseProjectConfig } from '../../server/src/context/projectConfig';

import { REPO as root } from '../helpers/server';
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const xml2js = require('xml2js') as { parseStringPromise(s: string, o?: object): Promise<any> };

/** The fenced code blocks under a heading (up to the next heading of any level). */
function blocks(heading: string): string[] {
  const start = readme.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `README has no "${heading}"`);
  const rest = readme.slice(start + heading.length + 2);
  const section = rest.slice(0, rest.search(/\n#{2,3} /) >>> 0);
  return [...section.matchAll(/```\w*\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** Runs an `npx cachelens …` line from the README with this checkout's CLI, in examples/. */
function runLine(line: string) {
  const args = line
    .replace(/^npx cachelens /, '')
    .replace(/\s*[>|].*$/, '')
    .split(/\s+/);
  const r = spawnSync(process.execPath, [join(root, 'bin', 'cachelens'), ...args], {
    cwd: join(root, 'examples'),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('README install: npm lines name the package bins', () => {
  const [sh] = blocks('### npm (CLI and language server)');
  assert.match(sh, /^npx cachelens check \.$/m);
  for (const bin of ['cachelens', 'cachelens-language-server']) assert.ok(pkg.bin[bin] && sh.includes(bin), bin);
  assert.equal(runLine('npx cachelens check .').code, 1);
});

test('README install: the pre-commit config names the hook this repository defines', () => {
  const config = parse(blocks('### pre-commit')[0]);
  const hooks = parse(readFileSync(join(root, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string }[];
  const ids = config.repos[0].hooks.map((h: { id: string }) => h.id);
  for (const id of ids)
    assert.ok(
      hooks.some((h) => h.id === id),
      id,
    );
  assert.equal(config.repos[0].rev, `v${pkg.version}`);
});

test("README install: the workflow uses only the Action's inputs and outputs", () => {
  const action = parse(readFileSync(join(root, 'action.yml'), 'utf8'));
  const workflow = parse(blocks('### GitHub Actions')[0]);
  const steps = workflow.jobs.cachelens.steps as { id?: string; uses?: string; with?: Record<string, string> }[];
  const step = steps.find((s) => s.uses?.startsWith('cachelens/cachelens@'))!;
  assert.equal(step.uses, `cachelens/cachelens@v${pkg.version}`);
  for (const k of Object.keys(step.with ?? {})) assert.ok(k in action.inputs, `input ${k}`);
  const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))!;
  const [, id, output] = /steps\.([\w-]+)\.outputs\.([\w-]+)/.exec(upload.with!.sarif_file)!;
  assert.equal(id, step.id);
  assert.ok(output in action.outputs, output);
  assert.ok(workflow.permissions['security-events'] === 'write');
});

test('README install: the GitLab job writes a Code Quality report', () => {
  const job = parse(blocks('### GitLab CI')[0]).cachelens;
  const line = job.script[0] as string;
  assert.ok(line.endsWith(`> ${job.artifacts.reports.codequality}`));
  const r = runLine(line);
  assert.equal(r.code, 0, r.err);
  assert.ok(JSON.parse(r.out).every((i: { check_name: string; fingerprint: string }) => i.check_name && i.fingerprint));
});

test('README install: the Checkstyle lines produce XML', async () => {
  const lines = blocks('### Jenkins, reviewdog (Checkstyle XML)')[0].trim().split('\n');
  for (const line of lines) {
    const r = runLine(line);
    assert.equal(r.code, 0, r.err);
    const doc = await xml2js.parseStringPromise(r.out, { strict: true });
    assert.ok(doc.checkstyle.file.length > 0);
  }
});

test("README install: the container lines match the image's entry point", () => {
  const sh = blocks('### Container')[0];
  assert.match(sh, /^docker run --rm -v "\$PWD:\/src" cachelens check \/src$/m);
  assert.match(
    readFileSync(join(root, 'Dockerfile'), 'utf8'),
    /^ENTRYPOINT \["node", "\/opt\/cachelens\/bin\/cachelens"\]$/m,
  );
});

test('README: the matrix example is valid YAML and the configuration example reads without problems', () => {
  const matrix = parse(blocks('### Many repositories')[0]);
  assert.ok(matrix.jobs.cachelens.strategy.matrix.repo.length > 1);
  const [json] = blocks('## Configuration file');
  assert.deepEqual(parseProjectConfig(json).problems, []);
});
