// parseDockerfile reuses a recent model when a keystroke changed one line of
// one instruction (parse/dockerfile.ts reuseRecent): the model must be exactly
// the one a full parse gives. Random single-line edits (seeded) on every corpus
// Dockerfile and on BuildKit's parser test files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseDockerfile, reusedParses } from '../../server/src/parse/dockerfile';
import { lint } from '../../server/src/engine/lint';
import { filesIn, randomEdit, rng, shape } from '../helpers/modelShape';

const shared = process.env.CACHELENS_SHARED ?? path.join(__dirname, '..', '..', '..', 'shared');
const corpus = path.join(shared, 'corpus', 'real-dockerfiles');
const parserFiles = path.join(shared, 'conformance', 'parser');

function check(files: string[], editsPerFile: number, seed: number): { compared: number; reused: number } {
  const rand = rng(seed);
  const before = reusedParses();
  let compared = 0;
  for (const file of files) {
    let text = readFileSync(file, 'utf8');
    if (rand() < 0.1) text = text.replace(/\r?\n/g, '\r\n');
    parseDockerfile(text);
    for (let k = 0; k < editsPerFile; k++) {
      const next = randomEdit(text, rand);
      const fast = parseDockerfile(next);
      assert.equal(shape(fast), shape(parseDockerfile(next, { reuse: false })), `${file} after edit ${k}`);
      compared++;
      text = next;
    }
  }
  return { compared, reused: reusedParses() - before };
}

test('a reused model equals the full parse under random edits, on the corpus', {
  skip: !existsSync(corpus),
}, () => {
  const files = filesIn(corpus).filter((f) => !/\.(dockerignore|tsv|md)$/.test(f));
  assert.ok(files.length >= 100);
  const { compared, reused } = check(files, 20, 15);
  assert.ok(reused > compared / 4, `only ${reused} of ${compared} edits reused a model`);
});

test("a reused model equals the full parse under random edits, on BuildKit's parser files", {
  skip: !existsSync(parserFiles),
}, () => {
  const files = filesIn(parserFiles).filter((f) => path.basename(f) === 'Dockerfile' || /Dockerfile/.test(f));
  assert.ok(files.length >= 30, `${files.length} files`);
  const { compared, reused } = check(files, 60, 33);
  assert.ok(reused > compared / 10, `only ${reused} of ${compared} edits reused a model`);
});

test('typing at the end of a RUN line reuses the model; the same text parsed again is the same model', () => {
  const text = 'FROM node:20 AS build\nWORKDIR /app\nCOPY package.json .\nRUN npm ci\nFROM build\nRUN ls\n';
  const first = parseDockerfile(text);
  const before = reusedParses();
  const edited = parseDockerfile(text.replace('npm ci', 'npm cix'));
  assert.equal(reusedParses(), before + 1);
  assert.equal(edited.instructions[3].run?.script, 'npm cix');
  assert.equal(edited.stages[1].parent, edited.stages[0]);
  assert.equal(edited.instructions[1].stage, edited.stages[0]);
  assert.notEqual(edited.instructions[1], first.instructions[1]);
  assert.equal(first.instructions[1].stage, first.stages[0], 'the old model keeps its own stages');
  // the same text (a first open's context resolution, then its analysis): the same model, which nothing changes
  // (rules memoize derived values on it, such as a command's normalized words: the same for any model of the text)
  const findings = JSON.stringify(lint({ path: '/w/Dockerfile', text, model: first }).findings);
  const again = parseDockerfile(text);
  assert.equal(again, first);
  const fresh = parseDockerfile(text, { reuse: false });
  assert.notEqual(fresh, first);
  assert.equal(JSON.stringify(lint({ path: '/w/Dockerfile', text, model: fresh }).findings), findings);
  assert.equal(shape(fresh), shape(first), 'linting a model leaves it as linting a fresh one does');
});

test('after an edit that moves a boundary, the instructions past the next old one keep their parts', () => {
  const before = 'FROM x\nRUN a \\\n  && b\nRUN npm ci\nCOPY . .\n';
  const first = parseDockerfile(before);
  const after = before.replace('a \\', 'a \\x');
  const edited = parseDockerfile(after);
  assert.equal(shape(edited), shape(parseDockerfile(after, { reuse: false })));
  assert.equal(edited.instructions.length, first.instructions.length + 1);
  assert.equal(edited.instructions[3].run, first.instructions[2].run, 'RUN npm ci read once');
  assert.equal(edited.instructions[4].copy, first.instructions[3].copy);
  assert.deepEqual(
    edited.instructions.map((i) => i.index),
    [0, 1, 2, 3, 4],
  );
});

test('edits that move a boundary or reach into a heredoc or a continuation read as the full parse does', () => {
  const cases: [string, string][] = [
    ['FROM x\nRUN a \\\n# c\n', 'FROM x\nRUN a \\\nb\n'],
    ['FROM x\nRUN a \\\n# c\n\nRUN d\n', 'FROM x\nRUN a \\\nb\n\nRUN d\n'],
    ['FROM x\nRUN <<EOF\necho a\nEOF\nRUN ls\n', 'FROM x\nRUN <<EOF\necho b\nEOF\nRUN ls\n'],
    ['FROM x\nRUN <<EOF\necho a\nEOF\nRUN ls\n', 'FROM x\nRUN <<EOF\necho a\nEO\nRUN ls\n'],
    ['FROM x\nRUN a\nRUN b\n', 'FROM x\nRUN a \\\nRUN b\n'],
    ['FROM x\nRUN a \\\n  b\nRUN c\n', 'FROM x\nRUN a \\\n  b \\\nRUN c\n'],
    ['FROM x\nRUN a\\ x\\\n  b\nRUN c\n', 'FROM x\nRUN a\\ \\\n  b\nRUN c\n'],
    ['FROM x\nCOPY a b\n', 'FROM x\nCOPY a b\nRUN x\n'],
    // a character typed after a trailing escape, or an escape added: read up to the next instruction, the rest kept
    ['FROM x\nRUN a \\\n  && b\nRUN c\n', 'FROM x\nRUN a \\x\n  && b\nRUN c\n'],
    ['FROM x\nRUN a \\x\n  && b\nRUN c\n', 'FROM x\nRUN a \\\n  && b\nRUN c\n'],
    ['FROM x\nRUN a\n\n# c\nRUN b\nRUN c\n', 'FROM x\nRUN a \\\n\n# c\nRUN b\nRUN c\n'],
    ['FROM x\nRUN a \\\n  b\n\nRUN c <<EOF\nx\nEOF\nRUN d\n', 'FROM x\nRUN a \\x\n  b\n\nRUN c <<EOF\nx\nEOF\nRUN d\n'],
    // typed between a CR and an LF: a line more, every position after it moves
    ['FROM x\r\nRUN a \\\r\nRUN b\r\nRUN c\r\n', 'FROM x\r\nRUN a \\\r1\nRUN b\r\nRUN c\r\n'],
  ];
  for (const [before, after] of cases) {
    parseDockerfile(before);
    assert.equal(shape(parseDockerfile(after)), shape(parseDockerfile(after, { reuse: false })), JSON.stringify(after));
  }
});
