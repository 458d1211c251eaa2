// The parser directives (`# syntax=…`, `# escape=…`, `# check=…`) at the top of
// a Dockerfile, read as dockerfile-ast's Parser.getParserDirectives reads them
// (its quirks kept: a second `# a=b` on the same line after a value counts).

import { roundTrip } from './scan';

export interface ScannedDirective {
  name: string;
  value: string;
}

export function scanDirectives(t: string): ScannedDirective[] {
  const out: ScannedDirective[] = [];
  for (let i = t.charCodeAt(0) === 0xfeff ? 1 : 0; i < t.length; i++) {
    const c = t[i];
    if (c === ' ' || c === '\t') continue;
    if (c !== '#') break;
    const next = directiveAt(t, i, out);
    if (next === undefined) break;
    i = next;
  }
  return out;
}

const slice = (t: string, from: number, to: number) => t.slice(roundTrip(t, from), roundTrip(t, to));

/** A comment at `hash`: pushes its directive and returns where to go on from; undefined stops the directives. */
function directiveAt(t: string, hash: number, out: ScannedDirective[]): number | undefined {
  let nameStart = -1;
  let nameEnd = -1;
  for (let j = hash + 1; j < t.length; j++) {
    const ch = t[j];
    if (ch === ' ' || ch === '\t') {
      if (nameStart !== -1 && nameEnd === -1) nameEnd = j;
    } else if (ch === '\r' || ch === '\n') return undefined;
    else if (ch === '=') {
      if (nameEnd === -1) nameEnd = j;
      const { start, end, lineEnd } = valueAfter(t, j);
      if (nameStart === -1) return undefined;
      const [from, to] = start === -1 ? [j + 1, lineEnd] : [start, end === -1 ? t.length : end];
      out.push({ name: slice(t, nameStart, nameEnd), value: slice(t, from, to) });
      return t[to] === '\r' ? to + 1 : to;
    } else if (nameStart === -1) nameStart = j;
  }
  // the comment runs to the end of the text without `=`: nothing after it can be a directive
  return undefined;
}

function valueAfter(t: string, eq: number): { start: number; end: number; lineEnd: number } {
  let start = -1;
  let end = -1;
  for (let k = eq + 1; k < t.length; k++) {
    const ck = t[k];
    if (ck === '\r' || ck === '\n') {
      if (start !== -1 && end === -1) end = k;
      return { start, end, lineEnd: k };
    }
    if (ck === ' ' || ck === '\t') {
      if (start !== -1 && end === -1) end = k;
    } else if (start === -1) start = k;
  }
  return { start, end, lineEnd: t.length };
}
