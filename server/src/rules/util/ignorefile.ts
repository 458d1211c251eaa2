// Edits on the ignore file for the build-context rules (CL1xx): append
// entries, change or drop one pattern line, and the fixes that write entries.

import type { IgnorePattern } from '../../context/ignore';
import { LineIndex, type Range } from '../../parse/text';
import type { VolatileHit } from '../../cache/volatilePaths';
import type { FileEdit, Fix } from '../rule';

let lastIndex: LineIndex | undefined;

/** The line index of an ignore text; the last one is kept, as every finding of a lint asks about the same text. */
function linesOf(text: string): LineIndex {
  if (lastIndex?.text !== text) lastIndex = new LineIndex(text);
  return lastIndex;
}

export function eolOf(text: string): string {
  return /\r\n/.test(text) ? '\r\n' : '\n';
}

/** Appends lines at the end of the ignore file (after a line break if the last line has none). */
export function appendLinesEdit(filePath: string, text: string, lines: string[]): FileEdit {
  const index = linesOf(text);
  const last = index.lines.length - 1;
  const at = index.lineEnd(last);
  const eol = eolOf(text);
  const needsBreak = index.lines[last] !== '';
  return { path: filePath, range: { start: at, end: at }, newText: (needsBreak ? eol : '') + lines.join(eol) + eol };
}

/** The whole text of a line, without its line break. */
export function lineRange(text: string, line: number): Range {
  const index = linesOf(text);
  return { start: { line, character: 0 }, end: index.lineEnd(line) };
}

/** The pattern as written on its line (without surrounding whitespace). */
export function patternRange(_text: string, p: IgnorePattern): Range {
  const raw = p.raw;
  const start = raw.length - raw.trimStart().length;
  const end = raw.trimEnd().length;
  return { start: { line: p.line, character: start }, end: { line: p.line, character: Math.max(start, end) } };
}

/** Removes a whole line, with its line break. */
export function removeLineEdit(filePath: string, text: string, line: number): FileEdit {
  const index = linesOf(text);
  const isLast = line + 1 >= index.lines.length;
  if (isLast && line > 0)
    return { path: filePath, range: { start: index.lineEnd(line - 1), end: index.lineEnd(line) }, newText: '' };
  return { path: filePath, range: { start: { line, character: 0 }, end: index.nextLineStart(line) }, newText: '' };
}

/**
 * The fixes that write entries: a safe one without secrets (an app may read
 * its `.env` at run time, so leaving it out changes what runs) and, when
 * secrets were found, a second one that also leaves them out.
 */
export function entryFixes(
  hits: VolatileHit[],
  entries: string[],
  make: (chosen: string[]) => Omit<Fix, 'safe' | 'isPreferred'>,
): Fix[] {
  const secret = new Set(hits.filter((h) => h.row.kind === 'secrets').map((h) => h.entry));
  const plain = entries.filter((e) => !secret.has(e));
  const fixes: Fix[] = [];
  if (plain.length) fixes.push({ ...make(plain), safe: true, isPreferred: true });
  if (secret.size) {
    fixes.push({ ...make(entries), safe: false });
  }
  return fixes;
}
