// A bounded reader for the part of HCL that docker-bake.hcl targets use.
// The only HCL2 parsers on npm are multi-megabyte GopherJS/WASM builds of
// HashiCorp's Go code, too heavy to load in a language server for two
// attributes, hence this small one.

import { MAX_BUILD_FILE_BYTES } from './types';

/** An attribute cachelens could not evaluate, with the reason. */
export interface Unknown {
  unknown: string;
}

export interface BakeTarget {
  context?: string | Unknown;
  dockerfile?: string | Unknown;
  inherits?: string[];
  inline?: boolean;
}

// ---------------------------------------------------------------------------
// A bounded reader for the part of HCL that docker-bake.hcl targets use:
// blocks (`target "name" { ... }`), attributes (`name = expr`), string
// literals and templates, lists, objects, comments and heredocs. Expressions
// other than strings and lists of strings are kept as "unknown" rather than
// evaluated. `${VAR}` in a string is replaced by the default of
// `variable "VAR" { default = "..." }` (bake would also read the environment).
// Limits: 1 MiB of text, 64 levels of nesting, 200k tokens.

type Tok =
  | { t: 'ident'; v: string }
  | { t: 'str'; parts: (string | { expr: string })[] }
  | { t: 'heredoc' }
  | { t: 'num' }
  | { t: 'nl' }
  | { t: 'p'; v: string };

const MAX_TOKENS = 200_000;
const MAX_NESTING = 64;

const isIdStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isId = (c: string) => isIdStart(c) || (c >= '0' && c <= '9') || c === '-';
const TWO_CHAR_PUNCTUATION = ['==', '!=', '<=', '>=', '&&', '||', '=>'];

function tokenizeHcl(src: string): { toks: Tok[]; error?: string } {
  return new HclTokenizer(src).run();
}

/** HCL's lexical grammar, as far as finding blocks, attributes and strings needs it. */
class HclTokenizer {
  private readonly toks: Tok[] = [];
  private i = 0;

  constructor(private readonly src: string) {}

  run(): { toks: Tok[]; error?: string } {
    while (this.i < this.src.length) {
      if (this.toks.length > MAX_TOKENS) return { toks: this.toks, error: 'too many tokens' };
      const error = this.next();
      if (error) return { toks: this.toks, error };
    }
    return { toks: this.toks };
  }

  /** Reads one token, blank or comment at i; returns an error message when the text cannot be tokenized. */
  private next(): string | undefined {
    const { src, toks } = this;
    const n = src.length;
    const c = src[this.i];
    if (c === '\n') {
      toks.push({ t: 'nl' });
      this.i++;
    } else if (c === ' ' || c === '\t' || c === '\r') this.i++;
    else if (c === '#' || (c === '/' && src[this.i + 1] === '/')) {
      while (this.i < n && src[this.i] !== '\n') this.i++;
    } else if (c === '/' && src[this.i + 1] === '*') return this.blockComment();
    else if (c === '"') return this.string();
    else if (c === '<' && src[this.i + 1] === '<' && this.heredocMarkerStart() >= 0) return this.heredoc();
    else if (c >= '0' && c <= '9') {
      while (this.i < n && /[0-9.eE+_xXa-fA-F-]/.test(src[this.i]) && src[this.i] !== '\n') this.i++;
      toks.push({ t: 'num' });
    } else if (isIdStart(c)) {
      const start = this.i;
      while (this.i < n && isId(src[this.i])) this.i++;
      toks.push({ t: 'ident', v: src.slice(start, this.i) });
    } else this.punctuation();
    return undefined;
  }

  private blockComment(): string | undefined {
    const end = this.src.indexOf('*/', this.i + 2);
    if (end < 0) return 'unterminated /* comment';
    for (let k = this.i; k < end; k++) if (this.src[k] === '\n') this.toks.push({ t: 'nl' });
    this.i = end + 2;
    return undefined;
  }

  /** A quoted string at i, with its `${…}` interpolations as parts. */
  private string(): string | undefined {
    const src = this.src;
    const n = src.length;
    const parts: (string | { expr: string })[] = [];
    let lit = '';
    this.i++;
    let closed = false;
    while (this.i < n) {
      const d = src[this.i];
      if (d === '"') {
        closed = true;
        this.i++;
        break;
      }
      if (d === '\n') break;
      if (d === '\\') {
        const e = src[this.i + 1];
        lit += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : (e ?? '');
        this.i += 2;
      } else if ((d === '$' || d === '%') && src[this.i + 1] === d && src[this.i + 2] === '{') {
        lit += d + '{';
        this.i += 3;
      } else if ((d === '$' || d === '%') && src[this.i + 1] === '{') {
        const k = this.interpolationEnd();
        if (k < 0) return 'unterminated ${ in a string';
        if (lit) parts.push(lit);
        lit = '';
        parts.push(d === '$' ? { expr: src.slice(this.i + 2, k - 1).trim() } : { expr: '%' });
        this.i = k;
      } else {
        lit += d;
        this.i++;
      }
    }
    if (!closed) return 'unterminated string';
    if (lit || parts.length === 0) parts.push(lit);
    this.toks.push({ t: 'str', parts });
    return undefined;
  }

  /** Template interpolation at i ('${' or '%{'): the index after its matching brace (stepping over nested strings), or -1. */
  private interpolationEnd(): number {
    const src = this.src;
    const n = src.length;
    let depth = 1;
    let k = this.i + 2;
    while (k < n && depth > 0) {
      const ch = src[k];
      if (ch === '"') {
        k++;
        while (k < n && src[k] !== '"' && src[k] !== '\n') k += src[k] === '\\' ? 2 : 1;
      } else if (ch === '{') depth++;
      else if (ch === '}') depth--;
      else if (ch === '\n') break;
      k++;
    }
    return depth > 0 ? -1 : k;
  }

  /** Where the marker of a heredoc starting at i ('<<' or '<<-') begins, or -1 when i starts no heredoc. */
  private heredocMarkerStart(): number {
    const src = this.src;
    const i = this.i;
    if (isIdStart(src[i + 2] ?? '')) return i + 2;
    return src[i + 2] === '-' && isIdStart(src[i + 3] ?? '') ? i + 3 : -1;
  }

  /** A heredoc at i: skipped up to the line holding only its marker. */
  private heredoc(): string | undefined {
    const src = this.src;
    const n = src.length;
    let k = this.heredocMarkerStart();
    const start = k;
    while (k < n && isId(src[k])) k++;
    const marker = src.slice(start, k);
    let lineStart = src.indexOf('\n', k);
    while (lineStart >= 0) {
      const lineEnd = src.indexOf('\n', lineStart + 1);
      const line = src.slice(lineStart + 1, lineEnd < 0 ? n : lineEnd).trim();
      if (line === marker) {
        this.i = lineEnd < 0 ? n : lineEnd;
        this.toks.push({ t: 'heredoc' });
        return undefined;
      }
      lineStart = lineEnd;
    }
    return `unterminated heredoc <<${marker}`;
  }

  private punctuation(): void {
    const { src, toks } = this;
    const two = src.slice(this.i, this.i + 2);
    if (src.startsWith('...', this.i)) {
      toks.push({ t: 'p', v: '...' });
      this.i += 3;
    } else if (TWO_CHAR_PUNCTUATION.includes(two)) {
      toks.push({ t: 'p', v: two });
      this.i += 2;
    } else {
      toks.push({ t: 'p', v: src[this.i] });
      this.i++;
    }
  }
}

type HclValue =
  | { k: 'str'; parts: (string | { expr: string })[] }
  | { k: 'list'; items: HclValue[] }
  | { k: 'unknown' };

interface HclBlock {
  type: string;
  labels: string[];
  attrs: Map<string, HclValue>;
  blocks: HclBlock[];
}

class HclReader {
  pos = 0;
  error?: string;
  constructor(private readonly toks: Tok[]) {}

  private peek(): Tok | undefined {
    return this.toks[this.pos];
  }

  private isP(tok: Tok | undefined, v: string): boolean {
    return tok !== undefined && tok.t === 'p' && tok.v === v;
  }

  body(depth: number, closing: boolean): HclBlock {
    const block: HclBlock = { type: '', labels: [], attrs: new Map(), blocks: [] };
    if (depth > MAX_NESTING) {
      this.error = 'nested too deeply';
      return block;
    }
    while (this.pos < this.toks.length && !this.error) {
      const tok = this.peek()!;
      if (tok.t === 'nl') {
        this.pos++;
        continue;
      }
      if (this.isP(tok, '}')) {
        if (closing) this.pos++;
        else this.error = 'unexpected }';
        return block;
      }
      if (tok.t !== 'ident') {
        this.error = 'expected an attribute or block name';
        return block;
      }
      this.pos++;
      const next = this.peek();
      if (this.isP(next, '=')) {
        this.pos++;
        block.attrs.set(tok.v, this.expression(depth));
        continue;
      }
      const labels: string[] = [];
      while (this.peek()?.t === 'str' || this.peek()?.t === 'ident') {
        const l = this.peek()!;
        labels.push(
          l.t === 'ident'
            ? l.v
            : (l as { parts: (string | { expr: string })[] }).parts
                .map((p) => (typeof p === 'string' ? p : '${' + p.expr + '}'))
                .join(''),
        );
        this.pos++;
      }
      if (!this.isP(this.peek(), '{')) {
        this.error = `expected { after ${tok.v}`;
        return block;
      }
      this.pos++;
      const child = this.body(depth + 1, true);
      child.type = tok.v;
      child.labels = labels;
      block.blocks.push(child);
    }
    if (closing && !this.error) this.error = 'missing }';
    return block;
  }

  /** Reads one expression up to the end of its line (or the closing brace of a one-line block). */
  private expression(depth: number): HclValue {
    const start = this.pos;
    let nest = 0;
    while (this.pos < this.toks.length) {
      const t = this.toks[this.pos];
      if (t.t === 'p' && (t.v === '(' || t.v === '[' || t.v === '{')) nest++;
      else if (t.t === 'p' && (t.v === ')' || t.v === ']' || t.v === '}')) {
        if (nest === 0) break;
        nest--;
      } else if (t.t === 'nl' && nest === 0) break;
      if (nest > MAX_NESTING + depth) {
        this.error = 'expression nested too deeply';
        break;
      }
      this.pos++;
    }
    return hclValueOf(this.toks.slice(start, this.pos).filter((t) => t.t !== 'nl'));
  }
}

function hclValueOf(toks: Tok[]): HclValue {
  if (toks.length === 1 && toks[0].t === 'str') return { k: 'str', parts: toks[0].parts };
  const first = toks[0];
  const last = toks[toks.length - 1];
  if (first?.t === 'p' && first.v === '[' && last?.t === 'p' && last.v === ']') {
    const items: HclValue[] = [];
    let cur: Tok[] = [];
    for (const t of toks.slice(1, -1)) {
      if (t.t === 'p' && t.v === ',') {
        items.push(hclValueOf(cur));
        cur = [];
      } else cur.push(t);
    }
    if (cur.length) items.push(hclValueOf(cur));
    return { k: 'list', items };
  }
  return { k: 'unknown' };
}

/** Targets of a docker-bake.hcl: context, dockerfile and inherits, with `${VAR}` taken from variable defaults. */
export function readBakeHcl(text: string): { targets: Map<string, BakeTarget>; problems: string[] } {
  const targets = new Map<string, BakeTarget>();
  if (text.length > MAX_BUILD_FILE_BYTES) return { targets, problems: ['over 1 MiB, not read'] };
  const { toks, error } = tokenizeHcl(text);
  if (error) return { targets, problems: [`HCL: ${error}`] };
  const reader = new HclReader(toks);
  const root = reader.body(0, false);
  // bake refuses a file it cannot parse, so a partial parse yields no targets.
  if (reader.error) return { targets, problems: [`HCL: ${reader.error}`] };
  const problems: string[] = [];
  const vars = new Map<string, string>();
  for (const b of root.blocks) {
    const d = b.type === 'variable' ? b.attrs.get('default') : undefined;
    if (d?.k === 'str' && d.parts.every((p) => typeof p === 'string')) vars.set(b.labels[0], d.parts.join(''));
  }
  const str = (v: HclValue, attr: string): string | Unknown => {
    if (v.k !== 'str') return { unknown: `${attr} is an expression cachelens does not evaluate` };
    let out = '';
    for (const p of v.parts) {
      if (typeof p === 'string') out += p;
      else if (vars.has(p.expr)) out += vars.get(p.expr);
      else return { unknown: `${attr} uses \${${p.expr}}, which depends on the environment` };
    }
    return out;
  };
  for (const b of root.blocks) {
    if (b.type !== 'target' || b.labels.length === 0) continue;
    const t: BakeTarget = { ...targets.get(b.labels[0]) };
    for (const attr of ['context', 'dockerfile'] as const) {
      const v = b.attrs.get(attr);
      if (!v) continue;
      t[attr] = str(v, attr);
    }
    if (b.attrs.has('dockerfile-inline')) t.inline = true;
    const inh = b.attrs.get('inherits');
    if (inh?.k === 'list')
      t.inherits = inh.items.map((i) => str(i, 'inherits')).filter((s): s is string => typeof s === 'string');
    targets.set(b.labels[0], t);
  }
  return { targets, problems };
}
