// The real-project suite's static fix checks catch what they are meant to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { staticFixProblems } from './fixcheck';
import { writeTree } from '../helpers/tree';

const tree = (files: Record<string, string>) => writeTree(files, 'cachelens-fixcheck-');

function check(before: Record<string, string>, after: Record<string, string>, changed: string[]): string[] {
  const a = tree(before);
  const b = tree({ ...before, ...after });
  try {
    return staticFixProblems(a, b, changed);
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
}

const project = { 'package.json': '{}', 'package-lock.json': '{}', 'src/index.js': '', '.dockerignore': '.git\n' };
const naive = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN npm run build\n';

test('a correct manifest split passes', () => {
  const fixed =
    'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n';
  assert.deepEqual(check({ ...project, Dockerfile: naive }, { Dockerfile: fixed }, ['Dockerfile']), []);
});

test('a split that copies a file the context lacks is caught', () => {
  const fixed = 'FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n';
  const problems = check({ ...project, Dockerfile: naive }, { Dockerfile: fixed }, ['Dockerfile']);
  assert.ok(
    problems.some((p) => p.includes('yarn.lock') && p.includes('does not reach the build')),
    problems.join('\n'),
  );
});

test('a step moved above a COPY it reads is caught', () => {
  const fixed =
    'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nRUN npm run build\nCOPY . .\n';
  const problems = check({ ...project, Dockerfile: naive }, { Dockerfile: fixed }, ['Dockerfile']);
  assert.ok(
    problems.some((p) => p.includes('npm run build') && p.includes('which it reads')),
    problems.join('\n'),
  );
});

test('a manifest copy without the owner of the copy it was split from is caught', () => {
  const before = 'FROM node:20\nWORKDIR /app\nCOPY --chown=node:node . .\nRUN npm ci\n';
  const fixed =
    'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY --chown=node:node . .\n';
  const problems = check({ ...project, Dockerfile: before }, { Dockerfile: fixed }, ['Dockerfile']);
  assert.ok(
    problems.some((p) => p.includes('owner/mode')),
    problems.join('\n'),
  );
});

test('an ignore-file edit that excludes an explicitly copied path is caught', () => {
  const df = 'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY src ./src\n';
  const problems = check({ ...project, Dockerfile: df }, { '.dockerignore': '.git\nsrc\n' }, ['.dockerignore']);
  assert.ok(
    problems.some((p) => p.includes('excludes `src`')),
    problems.join('\n'),
  );
});

test('merging apt-get update into the install keeps every command', () => {
  const before = 'FROM debian\nRUN apt-get update\nRUN apt-get install -y curl\n';
  const fixed = 'FROM debian\nRUN apt-get update && apt-get install -y curl\n';
  assert.deepEqual(check({ Dockerfile: before }, { Dockerfile: fixed }, ['Dockerfile']), []);
});

test('a single-file chmod folded into its COPY (CL204) keeps the image; dropping it does not', () => {
  const before = 'FROM alpine\nCOPY run.sh /bin/run.sh\nRUN chmod 755 /bin/run.sh\n';
  const folded = 'FROM alpine\nCOPY --chmod=755 run.sh /bin/run.sh\n';
  assert.deepEqual(check({ 'run.sh': '', Dockerfile: before }, { Dockerfile: folded }, ['Dockerfile']), []);
  const dropped = 'FROM alpine\nCOPY run.sh /bin/run.sh\n';
  assert.ok(check({ 'run.sh': '', Dockerfile: before }, { Dockerfile: dropped }, ['Dockerfile']).length > 0);
});

test('a workspace build moved above a COPY it may read is caught (yarn workspace X run build)', () => {
  const before =
    'FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install\nCOPY CHANGELOG.md ./\nRUN yarn workspace @x/app run build\n';
  const moved =
    'FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install\nRUN yarn workspace @x/app run build\nCOPY CHANGELOG.md ./\n';
  const problems = check(
    { 'package.json': '{}', 'yarn.lock': '', 'CHANGELOG.md': '', Dockerfile: before },
    { Dockerfile: moved },
    ['Dockerfile'],
  );
  assert.ok(
    problems.some((p) => p.includes('which it reads')),
    problems.join('\n'),
  );
});
