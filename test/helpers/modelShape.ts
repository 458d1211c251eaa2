// Helpers for the tests that compare two readings of a Dockerfile model
// (incremental reuse, the one-pass reading vs dockerfile-ast): a comparable
// shape of a model, a seeded random source and random single-line edits.
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { DockerfileModel } from '../../server/src/parse/dockerfile';

/** the model without its cycles (stages and instructions point at each other) */
export function shape(m: DockerfileModel): string {
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

export function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export const INSERTS = [
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
export const BLOCKS = ['\n', '\r\n', '\\\n', '\nRUN npm ci\n', '\n# note\n', '<<EOF\nx\nEOF\n', ' \\\n  && ls', '\n\n'];

export function randomEdit(text: string, rand: () => number): string {
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

export function filesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? filesIn(p) : [p];
  });
}
