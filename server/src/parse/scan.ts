// A single-pass reading of a Dockerfile's instructions and their raw
// arguments, exactly as dockerfile-ast (0.7) reads them, without building its
// objects. dockerfile-ast scans each instruction's arguments four to six times
// (once to find heredocs, once per JSON/flag/argument accessor, again for each
// object it creates); this reads them once. It covers the default escape
// character and texts without heredocs; parse/fastParse.ts decides when it
// applies and falls back to dockerfile-ast otherwise.
// test/unit/fast-parse.test.ts compares the two on the corpus, BuildKit's
// parser files and generated inputs.

import type { LineIndex, Position } from './text';

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const HASH = 35;
const DOLLAR = 36;
const BACKSLASH = 92;

const isNewline = (c: number) => c === LF || c === CR;
const isBlank = (c: number) => c === SPACE || c === TAB;
const isWhitespace = (c: number) => c === SPACE || c === TAB || c === LF || c === CR;

/** One instruction as dockerfile-ast's parser delimits it (offsets into the text). */
export interface ScannedInstruction {
  /** the keyword as written (escape characters inside it kept) */
  word: string;
  start: number;
  /** end of the keyword */
  wordEnd: number;
  /** end of the instruction (its line break, or the end of the text) */
  end: number;
  /** it has heredocs (its end is after their bodies) */
  heredoc?: boolean;
}

/** Where an instruction whose arguments end at a line break ends (heredocs); undefined: the text is not read in one pass. */
export type HeredocHook = (
  word: string,
  wordEnd: number,
  argsEnd: number,
) => { end: number; heredoc: boolean } | undefined;

/** One raw argument: its value (escapes resolved, escaped line breaks joined) and offsets. */
export interface RawArgument {
  value: string;
  start: number;
  end: number;
}

/**
 * The instructions of `text` that start in [offset, until), as dockerfile-ast's
 * Parser.parse splits them (escape `\`); `offset` must not be inside an
 * instruction.
 */
export function scanInstructions(
  text: string,
  heredocs: HeredocHook,
  offset: number,
  until = text.length,
): ScannedInstruction[] | undefined {
  return new Splitter(text, heredocs).run(offset, until);
}

class Splitter {
  private readonly out: ScannedInstruction[] = [];
  private readonly n: number;
  private unsupported = false;

  constructor(
    private readonly t: string,
    private readonly heredocs: HeredocHook,
  ) {
    this.n = t.length;
  }

  run(offset: number, until: number): ScannedInstruction[] | undefined {
    for (let i = offset; i < until && !this.unsupported; i++) {
      const c = this.t.charCodeAt(i);
      if (isWhitespace(c)) continue;
      i = c === HASH ? this.commentEnd(i) : this.instruction(i);
    }
    return this.unsupported ? undefined : this.out;
  }

  private commentEnd(start: number): number {
    for (let i = start + 1; i < this.n; i++) if (isNewline(this.t.charCodeAt(i))) return i;
    return this.n;
  }

  private add(word: string, start: number, wordEnd: number, end: number): number {
    this.out.push({ word, start, wordEnd, end });
    return end;
  }

  /** Parser.processInstruction: the keyword, then the arguments to the instruction's end. */
  private instruction(start: number): number {
    const t = this.t;
    let word = t[start];
    let wordEnd = -1;
    let escaped = false;
    outer: for (let i = start + 1; i < this.n; i++) {
      const c = t.charCodeAt(i);
      if (c === BACKSLASH) {
        escaped = true;
        const next = t.charCodeAt(i + 1);
        if (isNewline(next)) {
          if (wordEnd === -1) wordEnd = i;
          i++;
        } else if (isBlank(next)) {
          for (let j = i + 2; j < this.n; j++) {
            const cj = t.charCodeAt(j);
            if (isBlank(cj)) continue;
            if (isNewline(cj)) i = j;
            else {
              wordEnd = i + 1;
              word += '\\';
              i = j - 2;
            }
            continue outer;
          }
          return this.add(`${word}\\`, start, i + 1, this.n);
        } else {
          wordEnd = i + 1;
          word += '\\';
          escaped = false;
        }
      } else if (isBlank(c)) {
        if (escaped) {
          const j = this.blanksTo(i + 1);
          if (j < this.n && isNewline(t.charCodeAt(j))) {
            i = j;
            continue;
          }
          escaped = false;
        }
        if (wordEnd === -1) wordEnd = i;
        return this.withArguments(word, start, wordEnd, this.argumentsEnd(i));
      } else if (isNewline(c)) {
        if (escaped) continue;
        return this.add(word, start, i, i);
      } else if (!(c === HASH && escaped)) {
        wordEnd = i + 1;
        word += t[i];
        escaped = false;
      }
    }
    return this.add(word, start, wordEnd === -1 ? this.n : wordEnd, this.n);
  }

  private blanksTo(from: number): number {
    let j = from;
    while (j < this.n && isBlank(this.t.charCodeAt(j))) j++;
    return j;
  }

  /** Parser.processHeredocs runs when the arguments end at a line break (not at the end of the text). */
  private withArguments(word: string, start: number, wordEnd: number, argsEnd: number): number {
    if (argsEnd >= this.n) return this.add(word, start, wordEnd, argsEnd);
    const after = this.heredocs(word, wordEnd, argsEnd);
    if (!after) {
      this.unsupported = true;
      return this.n;
    }
    this.out.push({ word, start, wordEnd, end: after.end, ...(after.heredoc ? { heredoc: true } : {}) });
    return after.end;
  }

  /** Parser.processArguments: where the instruction ends (heredocs excluded by the caller). */
  private argumentsEnd(offset: number): number {
    const t = this.t;
    let escaped = false;
    outer: for (let i = offset + 1; i < this.n; i++) {
      const c = t.charCodeAt(i);
      if (isNewline(c)) {
        if (escaped) continue;
        return i;
      }
      if (c === BACKSLASH) {
        const next = t.charCodeAt(i + 1);
        if (isNewline(next)) {
          escaped = true;
          i++;
        } else if (isBlank(next)) {
          for (let j = i + 2; j < this.n; j++) {
            const cj = t.charCodeAt(j);
            if (isBlank(cj)) continue;
            if (isNewline(cj)) escaped = true;
            i = j;
            continue outer;
          }
          return this.n;
        }
      } else if (c === HASH) {
        if (escaped) i = this.commentEnd(i);
      } else if (!isBlank(c)) escaped = false;
    }
    return this.n;
  }
}

/**
 * Instruction.getRawArguments: the words after the keyword, split on
 * whitespace (quotes are not special), `\x` read as `x` (`\$` kept), escaped
 * line breaks joined and comment lines inside a continuation skipped.
 * `from`/`to` are the offsets dockerfile-ast reads between (after its
 * position round trip).
 */
export function scanArguments(t: string, from: number, to: number): RawArgument[] {
  return new ArgumentScanner(t, from, to).run();
}

class ArgumentScanner {
  private readonly args: RawArgument[] = [];
  private found = -1;
  private escapeMarker = -1;
  // the value so far: `value` plus the untouched run t[runStart, runEnd)
  private value = '';
  private runStart = -1;
  private runEnd = -1;

  constructor(
    private readonly t: string,
    private readonly from: number,
    private readonly to: number,
  ) {}

  private append(i: number): void {
    if (i !== this.runEnd) {
      this.flush();
      this.runStart = i;
    }
    this.runEnd = i + 1;
  }

  private appendText(s: string): void {
    this.flush();
    this.value += s;
  }

  private flush(): void {
    if (this.runStart >= 0) this.value += this.t.slice(this.runStart, this.runEnd);
    this.runStart = -1;
    this.runEnd = -1;
  }

  private push(end: number): void {
    this.flush();
    // an argument can be pushed with nothing found (an escaped blank before a word on a continuation line): dockerfile-ast then starts it one before the arguments
    this.args.push({ value: this.value, start: this.found === -1 ? this.from - 1 : this.found, end });
    this.value = '';
    this.found = -1;
    this.escapeMarker = -1;
  }

  run(): RawArgument[] {
    const { t, to } = this;
    let start = false;
    let comment = false;
    let escapedWhitespace = false;
    let escaping = false;
    for (let i = this.from; i < to; i++) {
      const c = t.charCodeAt(i);
      if (isWhitespace(c)) {
        if (escaping) {
          escapedWhitespace = !isNewline(c);
          if (isNewline(c) && comment) {
            comment = false;
            start = true;
          }
        } else if (this.found !== -1) this.push(this.escapeMarker === -1 ? i : this.escapeMarker);
        continue;
      }
      if (c === BACKSLASH) {
        const next = i + 1 < to ? t.charCodeAt(i + 1) : -1;
        if (isBlank(next)) {
          const j = this.blanksTo(i + 2);
          if (j < to && isNewline(t.charCodeAt(j))) {
            comment = false;
            escaping = true;
            start = true;
            if (this.found !== -1) this.escapeMarker = i;
            i = t.charCodeAt(j) === CR ? j + 1 : j;
          } else if (j < to) {
            this.escapeMarker = i;
            if (this.found === -1) i = j - 1;
          }
          continue;
        }
        if (isNewline(next)) {
          comment = false;
          escaping = true;
          start = true;
          if (this.found !== -1 && this.escapeMarker === -1) this.escapeMarker = i;
          i += next === CR ? 2 : 1;
          continue;
        }
        if (escapedWhitespace && this.escapeMarker !== -1) this.push(this.escapeMarker);
        this.escapeMarker = -1;
        escapedWhitespace = false;
        escaping = false;
        if (next === -1) break;
        if (next === DOLLAR) this.appendText('\\$');
        else this.appendText(t[i + 1]);
        if (this.found === -1) this.found = i;
        i++;
        continue;
      }
      if (!comment) {
        if (start && c === HASH) comment = true;
        else {
          if (escapedWhitespace && this.escapeMarker !== -1) this.push(this.escapeMarker);
          escapedWhitespace = false;
          escaping = false;
          this.escapeMarker = -1;
          this.append(i);
          if (this.found === -1) this.found = i;
        }
        start = false;
      }
    }
    if (this.found !== -1) this.push(this.escapeMarker === -1 ? to : this.escapeMarker);
    return this.args;
  }

  private blanksTo(from: number): number {
    let j = from;
    while (j < this.to && isBlank(this.t.charCodeAt(j))) j++;
    return j;
  }
}

/**
 * vscode-languageserver-textdocument's positionAt, which dockerfile-ast uses:
 * an offset at the `\n` of a `\r\n` reads as the `\r`.
 */
export function positionAt(lines: LineIndex, t: string, offset: number): Position {
  const at = roundTrip(t, offset);
  const line = lines.lineOf(at);
  return { line, character: at - lines.lineStart(line) };
}

/** offsetAt(positionAt(offset)), as dockerfile-ast reads its own ranges back. */
export function roundTrip(t: string, offset: number): number {
  const at = Math.max(0, Math.min(offset, t.length));
  return at > 0 && t.charCodeAt(at - 1) === CR && t.charCodeAt(at) === LF ? at - 1 : at;
}
