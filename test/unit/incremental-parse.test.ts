// parseDockerfile reuses a recent model when a keystroke changed one line of
// one instruction (parse/dockerfile.ts reuseRecent): the model must be exactly
// the one a full parse gives. Random single-line edits (seeded) on every corpus
// Dockerfile and on BuildKit's parser test files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseDockerfile, reusedParses, type DockerfileModel } from '../../server/src/parse/dockerfile';

const shared = process.env.CACHELENS_SHARED ?? path.join(__dirname, '..', '..', '..', 'shared');
const corpus = path.join(shared, 'corpus', 'real-dockerfiles');
const parserFiles = path.join(shared, 'conformance', 'parser');

/** the model without its cycles (stages and instructions point at each other) */
function shape(m: DockerfileModel): string {
  const at = (i: { index: number } | undefined) => i?.index;
  return JSON.stringify({
    text: m.text,
    lines: m.lines.lines,
    directives: m.directives,
    skipped: m.skipped,
    globalArgs: m.globalArgs.map(at),
    stages: m.stages.map((s) => ({
      ...s,
      from: at(s.from),
      parent: at(s.parent),
      instructions: s.instructions.map(at),
    })),
    instructions: m.instructions.map((i) => ({ ...i, stage: at(i.stage), hasStage: 'stage' in i })),
  });
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const INSERTS = [
  'x',
  'a',
  '1',
  ' ',
  '-',
  '=',
  '"',
  "'",
  '\\',
  '`',
  '#',
  '<',
  '[',
  ']',
  ',',
  '$',
  '{',
  '&&',
  'AS',
  ' \\',
];

// pastes and line breaks: the edits that move instruction boundaries
const BLOCKS = ['\n', '\r\n', '\\\n', '\nRUN npm ci\n', '\n# note\n', '<<EOF\nx\nEOF\n', ' \\\n  && ls', '\n\n'];

function randomEdit(text: string, rand: () => number): string {
  const lines = text.split('\n');
  const n = Math.floor(rand() * lines.length);
  const line = lines[n];
  const col = Math.floor(rand() * (line.length + 1));
  const op = rand();
  if (op < 0.5) lines[n] = line.slice(0, col) + INSERTS[Math.floor(rand() * INSERTS.length)] + line.slice(col);
  else if (op < 0.75) lines[n] = line.slice(0, Math.max(0, col - 1)) + line.slice(col);
  else if (op < 0.85) lines[n] = `${line}${INSERTS[Math.floor(rand() * INSERTS.length)]}`;
  else if (op < 0.95) lines[n] = line.slice(0, col) + BLOCKS[Math.floor(rand() * BLOCKS.length)] + line.slice(col);
  else if (n + 1 < lines.length) lines.splice(n, 2, line + lines[n + 1]);
  return lines.join('\n');
}

function filesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? filesIn(p) : [p];
  });
}

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

test('typing at the end of a RUN line reuses the model; the same text parsed again is a fresh, equal model', () => {
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
  const again = parseDockerfile(text);
  assert.notEqual(again, first);
  assert.equal(shape(again), shape(first));
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
  ];
  for (const [before, after] of cases) {
    parseDockerfile(before);
    assert.equal(shape(parseDockerfile(after)), shape(parseDockerfile(after, { reuse: false })), JSON.stringify(after));
  }
});
