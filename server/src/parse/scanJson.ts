// The exec-form (JSON) strings of a COPY/ADD/RUN, read as dockerfile-ast's
// JSONInstruction reads them (its quirks kept: a `\` before any other character
// drops both, a quoted escape before blanks ends the reading, a closing `]`
// before any `[` is skipped), then decoded as parse/dockerfile.ts's jsonWords
// decodes them.

import type { Word } from './model';
import { type RawArgument, positionAt, roundTrip } from './scan';
import type { LineIndex } from './text';

/** The exec-form words, or undefined when dockerfile-ast finds no JSON strings. */
export function jsonStrings(text: string, lines: LineIndex, args: RawArgument[]): Word[] | undefined {
  if (args.length === 0) return undefined;
  if (args.length === 1 && args[0].value === '[]') return undefined;
  if (args.length === 2 && args[0].value === '[' && args[1].value === ']') return undefined;
  const from = roundTrip(text, args[0].start);
  const found = new JsonReader(text.slice(from, roundTrip(text, args[args.length - 1].end))).run();
  if (!found.length) return undefined;
  return found.map(({ raw, start, end }) => ({
    value: decode(raw),
    range: { start: positionAt(lines, text, from + start), end: positionAt(lines, text, from + end) },
  }));
}

function decode(raw: string): string {
  try {
    return JSON.parse(raw);
  } catch {
    return raw.replace(/^"|"$/g, '');
  }
}

interface Found {
  raw: string;
  start: number;
  end: number;
}

class JsonReader {
  private readonly out: Found[] = [];
  private start = -1;
  private last = '';
  private quoted = false;
  private value = '';

  constructor(private readonly c: string) {}

  run(): Found[] {
    const c = this.c;
    for (let i = 0; i < c.length; i++) {
      const ch = c[i];
      if (ch === '\\') {
        const next = this.escape(i);
        if (next === -1) break;
        i = next;
      } else if (ch === ' ' || ch === '\t') {
      } else if (!this.step(ch, i)) break;
    }
    return this.out;
  }

  /** One character outside an escape; false ends the reading. */
  private step(ch: string, i: number): boolean {
    if (this.quoted && ch !== '"') {
      this.value += ch;
      return true;
    }
    if (ch === '[') {
      if (this.last !== '') return false;
      this.last = '[';
    } else if (ch === '"') return this.quote(i);
    else if (ch === ',') {
      if (this.last !== '"') return false;
      this.last = ',';
    } else if (ch === ']') return this.last === '';
    else return false;
    return true;
  }

  private quote(i: number): boolean {
    if (this.last === '[' || this.last === ',') {
      this.start = i;
      this.quoted = true;
      this.last = '"';
      this.value += '"';
      return true;
    }
    if (this.last !== '"' || !this.quoted) return false;
    this.value += '"';
    this.quoted = false;
    this.out.push({ raw: this.value, start: this.start, end: i + 1 });
    this.value = '';
    return true;
  }

  /** A `\` at i: the index to continue from (the loop adds one), or -1 to stop. */
  private escape(i: number): number {
    const c = this.c;
    const next = c[i + 1];
    if (!this.quoted) return this.newlineAfterBlanks(i + 1);
    if (next === '"' || next === '\\') {
      this.value += next;
      return i + 1;
    }
    if (next === ' ' || next === '\t') {
      const j = this.newlineAfterBlanks(i + 2);
      return j;
    }
    return next === '\r' ? i + 2 : i + 1;
  }

  /** After blanks from `from`, a line break: the index of its last character; else -1. */
  private newlineAfterBlanks(from: number): number {
    const c = this.c;
    for (let j = from; j < c.length; j++) {
      const ch = c[j];
      if (ch === ' ' || ch === '\t') continue;
      if (ch === '\r') return j + 1;
      if (ch === '\n') return j;
      return -1;
    }
    return -1;
  }
}
