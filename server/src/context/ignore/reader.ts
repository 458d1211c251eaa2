// Docker's ignorefile.ReadAll: comments, trimming, Clean and the leading '/' removed, line by line.

import * as charCodes from '../charCodes';
import { GO_MAX_SCAN_TOKEN } from '../../parse/limits';
import { goClean, goTrimSpace, utf8Length } from './goFilepath';
import { compiledCache, readAllOutput, setError, sharedPattern } from './pattern';
import type { IgnorePattern, ParsedIgnoreFile } from './types';
import { perText } from '../../parse/textMemo';

// Module-local copies of imported bindings used on hot paths: run from source (tsx),
// each file is CommonJS, where every read of an imported binding is a getter call.
const { BANG, BOM, SLASH } = charCodes;

/** Docker's ignorefile.ReadAll, keeping line numbers. */
export function parseIgnoreFile(text: string): ParsedIgnoreFile {
  const patterns: IgnorePattern[] = [];
  const lines = text.split('\n');
  let error: ParsedIgnoreFile['error'];
  for (let line = 0; line < lines.length; line++) {
    // the scanner's buffer must hold the line and its '\n' (or see EOF before it fills up)
    if (!error && lines[line].length * 3 >= GO_MAX_SCAN_TOKEN && utf8Length(lines[line]) >= GO_MAX_SCAN_TOKEN) {
      error = { line, message: 'bufio.Scanner: token too long' };
    }
    let raw = lines[line];
    if (raw.endsWith('\r')) raw = raw.slice(0, -1); // bufio.ScanLines drops one trailing CR
    let scanned = raw;
    if (line === 0 && scanned.charCodeAt(0) === BOM) scanned = scanned.slice(1);
    if (scanned.startsWith('#')) continue; // comment only in column 1, checked before trimming
    let pattern = goTrimSpace(scanned);
    if (pattern === '') continue;
    const negate = pattern.charCodeAt(0) === BANG;
    if (negate) pattern = goTrimSpace(pattern.slice(1));
    if (pattern.length > 0) {
      pattern = goClean(pattern);
      if (pattern.length > 1 && pattern.charCodeAt(0) === SLASH) pattern = pattern.slice(1);
    }
    const p: IgnorePattern = { line, raw, pattern, negate };
    const compiled = sharedPattern(readAllOutput(p));
    if (compiled.error) setError(p, compiled);
    compiledCache.set(p, compiled); // the matcher built from these patterns compiles none again
    patterns.push(p);
  }
  return error ? { patterns, error } : { patterns };
}

/** One ignore-file line's pattern (an entry to write, a widened pattern), parsed once per line text. */
export const ignoreLinePattern = perText(
  (line: string): IgnorePattern | undefined => parseIgnoreFile(line).patterns[0],
);
