// The build-context fixes on real temp directories through the CLI's own
// entry point: the ignore file is created once, appended to and rewritten,
// and a second `fix` finds nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { main } from '../../server/src/cli';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cachelens-ignore-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

function cli(args: string[]): string {
  const out: string[] = [];
  main(args, (s) => out.push(s));
  return out.join('\n');
}

const rules = ['--rule', 'CL001=off', '--rule', 'CL201=off'];

test('fix creates the missing .dockerignore once, from what is in the context and what a checkout grows later', () => {
  const dir = project({
    Dockerfile: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n',
    'package.json': '{}',
    '.git/HEAD': 'ref',
    'node_modules/x/i.js': 'x',
    'web/node_modules/y/i.js': 'y',
  });
  assert.match(cli(['check', dir, ...rules]), /CL101 No ignore file applies/);
  assert.match(cli(['fix', dir, ...rules]), /fixed \.dockerignore: CL101 Create \.dockerignore/);
  assert.equal(
    readFileSync(join(dir, '.dockerignore'), 'utf8'),
    '.git\n**/node_modules\nDockerfile\n.env*\n**/*.log\n.dockerignore\n',
  );
  assert.equal(cli(['fix', dir, ...rules]), 'nothing to fix');
});

test('fix appends volatile entries, widens a root-anchored name and moves a trailing comment', () => {
  const dir = project({
    Dockerfile: 'FROM node:20\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\nCOPY . .\n',
    '.dockerignore': 'node_modules\n*.md # docs',
    'package.json': '{}',
    '.git/HEAD': 'ref',
    'web/node_modules/y/i.js': 'y',
  });
  cli(['fix', dir, ...rules]);
  assert.equal(
    readFileSync(join(dir, '.dockerignore'), 'utf8'),
    '**/node_modules\n# docs\n*.md\n.git\nDockerfile\n.dockerignore\n',
  );
  assert.equal(cli(['fix', dir, ...rules]), 'nothing to fix');
});
