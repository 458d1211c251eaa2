// The Go standard library behaviour Docker's ignore handling relies on:
// unicode.IsSpace, strings.TrimSpace, filepath.Clean, filepath.Match's syntax check.

import * as charCodes from '../charCodes';

// Module-local copies of imported bindings used on hot paths: run from source (tsx),
// each file is CommonJS, where every read of an imported binding is a getter call.
const { BACKSLASH, CARET, DASH, DOT, LEFT_BRACKET, RIGHT_BRACKET, SLASH } = charCodes;

export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function isGoSpace(c: number): boolean {
  // unicode.IsSpace
  if (c <= 0xff) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x85 || c === 0xa0;
  return (
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** strings.TrimSpace (JS trim() differs: it trims U+FEFF and keeps U+0085). */
export function goTrimSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isGoSpace(s.charCodeAt(start))) start++;
  while (end > start && isGoSpace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** filepath.Clean with '/' as the separator. */
export function goClean(p: string): string {
  if (p === '') return '.';
  const rooted = p.charCodeAt(0) === SLASH;
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/**
 * A fast, conservative test that filepath.Clean would return the path unchanged
 * (no '//', no '.' or '..' element, no trailing '/'). False can still be clean ('..').
 */
export function isCleanPath(p: string): boolean {
  const n = p.length;
  if (n === 0) return false;
  let elemStart = 0;
  for (let i = 0; i <= n; i++) {
    if (i < n && p.charCodeAt(i) !== SLASH) continue;
    const len = i - elemStart;
    // an empty element is only allowed as the root of an absolute path
    if (
      len === 0
        ? i !== 0
        : p.charCodeAt(elemStart) === DOT && (len === 1 || (len === 2 && p.charCodeAt(elemStart + 1) === DOT))
    )
      return false;
    elemStart = i + 1;
  }
  return true;
}

export function cleanPath(p: string): string {
  return isCleanPath(p) ? p : goClean(p);
}

/**
 * filepath.Match(pattern, ".") returns ErrBadPattern exactly when the pattern
 * breaks filepath.Match's grammar somewhere (Go >= 1.16 validates the whole
 * pattern): a trailing '\', or a '[...]' class that is unterminated, empty,
 * starts with ']' or '-', or has a dangling '-'. Inverted ranges pass.
 */
export function filepathMatchSyntaxOk(p: string): boolean {
  const n = p.length;
  // getEsc: one class character, possibly escaped; returns the index after it or -1.
  const classChar = (i: number): number => {
    if (i >= n) return -1;
    let c = p.charCodeAt(i);
    if (c === DASH || c === RIGHT_BRACKET) return -1;
    if (c === BACKSLASH) {
      i++;
      if (i >= n) return -1;
      c = p.charCodeAt(i);
    }
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
    return i >= n ? -1 : i;
  };
  for (let i = 0; i < n; ) {
    const c = p.charCodeAt(i);
    if (c === BACKSLASH) {
      if (i + 1 >= n) return false;
      i += 2;
    } else if (c === LEFT_BRACKET) {
      i++;
      if (i < n && p.charCodeAt(i) === CARET) i++;
      let ranges = 0;
      for (;;) {
        if (i < n && p.charCodeAt(i) === RIGHT_BRACKET && ranges > 0) {
          i++;
          break;
        }
        i = classChar(i);
        if (i < 0) return false;
        if (p.charCodeAt(i) === DASH) {
          i = classChar(i + 1);
          if (i < 0) return false;
        }
        ranges++;
      }
    } else {
      i++;
    }
  }
  return true;
}
