// Positions and edits in LSP's shape (0-based line, UTF-16 character), defined
// here so that nothing below lsp/ depends on vscode-languageserver.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

export function range(sl: number, sc: number, el: number, ec: number): Range {
  return { start: { line: sl, character: sc }, end: { line: el, character: ec } };
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

export function containsPosition(r: Range, p: Position): boolean {
  return comparePositions(r.start, p) <= 0 && comparePositions(p, r.end) <= 0;
}

/**
 * Splits text into lines as LSP does (\n, \r\n and a lone \r all end a line),
 * remembering the file's line ending so edits can keep it.
 */
export class LineIndex {
  readonly lines: string[];
  readonly eol: '\n' | '\r\n' | '\r';
  private readonly offsets: number[];

  constructor(readonly text: string) {
    this.eol = /\r\n/.test(text) ? '\r\n' : /\r(?!\n)/.test(text) && !text.includes('\n') ? '\r' : '\n';
    this.lines = [];
    this.offsets = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 10 /* \n */ || ch === 13 /* \r */) {
        this.offsets.push(start);
        this.lines.push(text.slice(start, i));
        if (ch === 13 && text.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
      }
    }
    this.offsets.push(start);
    this.lines.push(text.slice(start));
  }

  offsetAt(p: Position): number {
    if (p.line >= this.offsets.length) return this.text.length;
    const lineStart = this.offsets[p.line];
    return Math.min(lineStart + p.character, lineStart + this.lines[p.line].length);
  }

  /** The line an offset is on (a line ending belongs to the line it ends). */
  lineOf(offset: number): number {
    const o = this.offsets;
    let lo = 0;
    let hi = o.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (o[mid] > offset) hi = mid;
      else lo = mid + 1;
    }
    return lo - 1;
  }

  /** Offset of the first character of a line. */
  lineStart(line: number): number {
    return this.offsets[line] ?? this.text.length;
  }

  /** Position just past the last character of the line (before its line ending). */
  lineEnd(line: number): Position {
    return { line, character: (this.lines[line] ?? '').length };
  }

  /** Start of the line after `line` (or end of text on the last line). */
  nextLineStart(line: number): Position {
    return line + 1 < this.lines.length ? { line: line + 1, character: 0 } : this.lineEnd(line);
  }

  slice(r: Range): string {
    return this.text.slice(this.offsetAt(r.start), this.offsetAt(r.end));
  }
}

/** Applies non-overlapping edits to a text; overlapping later edits are dropped. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const index = new LineIndex(text);
  const resolved = edits
    .map((e, order) => ({
      start: index.offsetAt(e.range.start),
      end: index.offsetAt(e.range.end),
      text: e.newText,
      order,
    }))
    .sort((a, b) => a.start - b.start || a.end - b.end || a.order - b.order);
  let out = '';
  let cursor = 0;
  for (const e of resolved) {
    if (e.start < cursor) continue;
    out += text.slice(cursor, e.start) + e.text;
    cursor = e.end;
  }
  return out + text.slice(cursor);
}
