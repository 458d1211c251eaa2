// What is a Dockerfile: one list (engine/names.ts) for the CLI's scan, the
// server and the editor's manifest; templates, source files and vendored trees
// are skipped by scans, a file named explicitly is still analysed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DOCKERFILE_FILENAMES,
  DOCKERFILE_PATTERNS,
  isDockerfileName,
  isDockerfileTemplateName,
  looksLikeDockerfileName,
} from '../../server/src/engine/names';

import { CLI, REPO as root } from '../helpers/server';
import { writeTree } from '../helpers/tree';

test('package.json languages and the client selector agree with the shared list', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const lang = pkg.contributes.languages.find((l: { id: string }) => l.id === 'dockerfile');
  assert.deepEqual([...lang.filenames].sort(), [...DOCKERFILE_FILENAMES].sort());
  assert.deepEqual([...lang.filenamePatterns].sort(), [...DOCKERFILE_PATTERNS].sort());
  const client = readFileSync(join(root, 'client', 'src', 'extension.ts'), 'utf8');
  const selector = /pattern:\s*'\*\*\/\{([^}]*Dockerfile[^}]*)\}'/.exec(client);
  assert.ok(selector, 'the client selects Dockerfiles by a name pattern');
  assert.deepEqual(selector[1].split(',').sort(), [...DOCKERFILE_FILENAMES, ...DOCKERFILE_PATTERNS].sort());
});

test('names: variants are Dockerfiles; templates, programs, documents and backups are not', () => {
  for (const n of [
    'Dockerfile',
    'dockerfile',
    'Containerfile',
    'Dockerfile.dev',
    'Dockerfile.alpine',
    'Dockerfile.test',
    'Dockerfile-alpine',
    'api.Dockerfile',
    'web.dockerfile',
    'Dockerfile.prod.arm64',
    'x.Containerfile',
    'Containerfile.ci',
  ])
    assert.ok(isDockerfileName(n), n);
  for (const n of [
    'Dockerfile.j2',
    'Dockerfile.jinja',
    'Dockerfile.tmpl',
    'Dockerfile.tpl',
    'Dockerfile.template',
    'Dockerfile.erb',
    'Dockerfile.hbs',
    'Dockerfile.mustache',
    'dockerfile.ex',
    'dockerfile.exs',
    'dockerfile.go',
    'dockerfile.py',
    'Dockerfile.ts',
    'Dockerfile.js',
    'Dockerfile.rb',
    'Dockerfile.5.md',
    'Dockerfile.txt',
    'Dockerfile.json',
    'Dockerfile.yml',
    'Dockerfile.sh',
    'Dockerfile.bak',
    'Dockerfile.orig',
    'dockerfile.test.go',
  ]) {
    assert.ok(!isDockerfileName(n), n);
    assert.ok(isDockerfileTemplateName(n), n);
  }
  for (const n of [
    '.dockerignore',
    'Dockerfile.dockerignore',
    'docker-compose.yml',
    'README.md',
    'dockerfile_parser.go',
    'Makefile',
  ]) {
    assert.ok(!isDockerfileName(n), n);
    assert.ok(!isDockerfileTemplateName(n), n);
  }
  assert.ok(looksLikeDockerfileName('Dockerfile.j2'));
});

const tree = (files: Record<string, string>) => writeTree(files, 'cachelens-names-');

function check(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'check', '--fail-on', 'never', '--format', 'json', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, json: r.stdout ? JSON.parse(r.stdout) : undefined, err: r.stderr };
}

test('a directory scan skips templates, source files and vendored trees; a named file is analysed', () => {
  const df = 'FROM alpine:3.20\nRUN true\n';
  const dir = tree({
    Dockerfile: df,
    'Dockerfile.dev': df,
    'api.Dockerfile': df,
    'docker/Dockerfile-alpine': df,
    'deploy/Dockerfile.j2': 'FROM {{ base }}\n',
    'lib/dockerfile.go': 'package lib\n',
    'docs/Dockerfile.5.md': '# Dockerfile(5)\n',
    'vendor/github.com/x/y/Dockerfile': df,
    'third_party/z/Dockerfile': df,
    'node_modules/p/Dockerfile': df,
  });
  const r = check([dir]);
  assert.equal(r.code, 0, r.err);
  const scanned = r.json.files
    .filter((f: { kind: string }) => f.kind === 'dockerfile')
    .map((f: { path: string }) => f.path)
    .sort();
  assert.deepEqual(scanned, ['Dockerfile', 'Dockerfile.dev', 'api.Dockerfile', 'docker/Dockerfile-alpine']);
  const named = check([join(dir, 'vendor/github.com/x/y/Dockerfile')]);
  assert.equal(named.code, 0, named.err);
  assert.deepEqual(
    named.json.files.map((f: { path: string }) => f.path),
    ['Dockerfile'],
  );
});

test('a template with {{ }} named explicitly: no crash, a note, no findings about its placeholders', () => {
  const dir = tree({
    'Dockerfile.j2':
      'FROM {{ base_image }}\nWORKDIR /app\nCOPY {{ src }} /app\n{% if dev %}\nRUN echo dev\n{% endif %}\nCOPY package.json ./\nRUN npm ci\nCOPY . .\n',
    'package.json': '{}',
  });
  const r = check([join(dir, 'Dockerfile.j2')]);
  assert.equal(r.code, 0, r.err);
  assert.match(
    r.err,
    /Dockerfile\.j2 looks like a template or source file, not a Dockerfile; analysed as one because it was named/,
  );
  const findings = r.json.files.flatMap((f: { findings: { message: string; rule: string }[] }) => f.findings);
  for (const f of findings) assert.doesNotMatch(f.message, /\{\{|\}\}|\{%/, `${f.rule}: ${f.message}`);
  assert.ok(!findings.some((f: { rule: string }) => f.rule === 'CL109'), 'a placeholder is not a missing source');
});
