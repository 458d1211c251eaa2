// CL101 on a folder that holds only Dockerfiles, which no build file names as a context: the build
// really runs from another folder that cachelens could not find, so an ignore file here would not be read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint } from '../../server/src/engine/lint';
import { memoryContext } from '../helpers/context';

const code = 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n';

function cl101(files: Record<string, string>, reason: string): string[] {
  const context = { ...memoryContext('/ws/dockerfiles', files), reason };
  return lint({ path: '/ws/dockerfiles/Dockerfile.dev', text: code, context })
    .findings.filter((f) => f.rule === 'CL101')
    .map((f) => f.message);
}

const dockerfilesOnly = { 'Dockerfile.dev': code, 'Dockerfile.lint': code, 'cross.Dockerfile': code };

test('CL101: a folder of Dockerfiles only, taken by default, is not where the build runs: no finding', () => {
  assert.deepEqual(cl101(dockerfilesOnly, "the Dockerfile's folder"), []);
});

test('CL101: the same folder named as the context by a build file is reported', () => {
  assert.equal(cl101(dockerfilesOnly, 'Makefile: docker build -f dockerfiles/Dockerfile.dev dockerfiles').length, 1);
});

test('CL101: a default folder that also holds other files is reported', () => {
  assert.equal(
    cl101({ ...dockerfilesOnly, 'main.go': 'package main\n', 'go.mod': '' }, "the Dockerfile's folder").length,
    1,
  );
});
