// A Thompson NFA compiled from a Go regexp AST, matched with a lazily built DFA
// (never backtracks: linear in the path's length).

import * as charCodes from '../charCodes';
import { type Assertion, type CharTest, isAsciiWord, type ReNode } from './goRegexp';

// Module-local copies of imported bindings used on hot paths: run from source (tsx),
// each file is CommonJS, where every read of an imported binding is a getter call.
const { SLASH } = charCodes;

const OP_CHAR = 0;
const OP_SPLIT = 1;
const OP_JMP = 2;
const OP_ASSERT = 3;
const OP_MATCH = 4;

interface Program {
  op: number[];
  x: number[];
  y: number[];
  /** OP_CHAR: the code point to match, or -1 when `test` decides. */
  lit: number[];
  test: (CharTest | undefined)[];
  assertion: (Assertion | undefined)[];
  hasWordAssertions: boolean;
  /** closure()'s visited marks, reused: one stamp per call instead of one array. */
  seen: Uint32Array;
  stamp: number;
}

function charMatches(prog: Program, pc: number, c: number): boolean {
  const lit = prog.lit[pc];
  return lit >= 0 ? lit === c : prog.test[pc]!(c);
}

export function compileProgram(root: ReNode): Program {
  const prog: Program = {
    op: [],
    x: [],
    y: [],
    lit: [],
    test: [],
    assertion: [],
    hasWordAssertions: false,
    seen: new Uint32Array(0),
    stamp: 0,
  };
  const emit = (op: number, x = 0, y = 0, test?: CharTest, assertion?: Assertion, lit = -1): number => {
    prog.op.push(op);
    prog.x.push(x);
    prog.y.push(y);
    prog.lit.push(lit);
    prog.test.push(test);
    prog.assertion.push(assertion);
    return prog.op.length - 1;
  };
  const gen = (n: ReNode): void => {
    switch (n.t) {
      case 'char':
        emit(OP_CHAR, 0, 0, n.test, undefined, n.literal ?? -1);
        return;
      case 'assert':
        if (n.a === 'wordBoundary' || n.a === 'noWordBoundary') prog.hasWordAssertions = true;
        emit(OP_ASSERT, 0, 0, undefined, n.a);
        return;
      case 'cat':
        for (const item of n.items) gen(item);
        return;
      case 'rep': {
        if (n.op === '+') {
          const top = prog.op.length;
          gen(n.sub);
          emit(OP_SPLIT, top, prog.op.length + 1);
          return;
        }
        const split = emit(OP_SPLIT);
        gen(n.sub);
        if (n.op === '*') emit(OP_JMP, split);
        prog.x[split] = split + 1;
        prog.y[split] = prog.op.length;
        return;
      }
    }
  };
  gen(root);
  emit(OP_MATCH);
  prog.seen = new Uint32Array(prog.op.length);
  return prog;
}

interface AssertContext {
  atStart: boolean;
  atEnd: boolean;
  prevWord: boolean;
  nextWord: boolean;
}

function assertionHolds(a: Assertion, ctx: AssertContext): boolean {
  switch (a) {
    case 'begin':
      return ctx.atStart;
    case 'end':
      return ctx.atEnd;
    case 'wordBoundary':
      return ctx.prevWord !== ctx.nextWord;
    case 'noWordBoundary':
      return ctx.prevWord === ctx.nextWord;
  }
}

/** The NFA positions reachable from `kernel` without consuming a character. */
function closure(prog: Program, kernel: readonly number[], ctx: AssertContext): { chars: number[]; match: boolean } {
  const seen = prog.seen;
  if (++prog.stamp === 0xffffffff) {
    seen.fill(0);
    prog.stamp = 1;
  }
  const mark = prog.stamp;
  const stack = kernel.slice().reverse();
  const chars: number[] = [];
  let match = false;
  while (stack.length > 0) {
    const pc = stack.pop()!;
    if (seen[pc] === mark) continue;
    seen[pc] = mark;
    switch (prog.op[pc]) {
      case OP_CHAR:
        chars.push(pc);
        break;
      case OP_MATCH:
        match = true;
        break;
      case OP_JMP:
        stack.push(prog.x[pc]);
        break;
      case OP_SPLIT:
        stack.push(prog.y[pc], prog.x[pc]);
        break;
      case OP_ASSERT:
        if (assertionHolds(prog.assertion[pc]!, ctx)) stack.push(pc + 1);
        break;
    }
  }
  return { chars, match };
}

export interface DfaState {
  /** NFA character positions live after the characters read so far. */
  chars: number[];
  /** A match ended at or before this point (Go's MatchString searches, so what follows does not matter). */
  matchNow: boolean;
  /** The text read so far matches if it ends here. */
  matchAtEnd: boolean;
  /** No character can continue: the text can no longer match (matchAtEnd may still hold right here). */
  dead: boolean;
  /** Transitions on ASCII characters (a packed array of 128), others in `other`. */
  ascii: (DfaState | undefined)[];
  other: Map<number, DfaState> | undefined;
}

const noTransitions = (): (DfaState | undefined)[] => new Array<DfaState | undefined>(128).fill(undefined);

const MAX_DFA_STATES = 4096;

/**
 * Lazily built DFA over a Program (its states are NFA position sets).
 * Word-boundary assertions need the next character, which a DFA state does not
 * know; programs with them (only reachable by writing `\b` or `\B` in a
 * pattern) are matched by stepping the NFA set directly (still linear).
 */
export class LazyDfa {
  readonly start: DfaState;
  private cache = new Map<string, DfaState>();
  /** Work counters, for tests that prove matching cost is linear. */
  statesBuilt = 0;
  charSteps = 0;

  constructor(readonly prog: Program) {
    this.start = this.makeState([0], true);
  }

  private makeState(kernel: number[], atStart: boolean): DfaState {
    this.statesBuilt++;
    const ctx: AssertContext = { atStart, atEnd: false, prevWord: false, nextWord: false };
    const now = closure(this.prog, kernel, ctx);
    const end = closure(this.prog, kernel, { ...ctx, atEnd: true });
    return {
      chars: now.chars,
      matchNow: now.match,
      matchAtEnd: end.match,
      dead: now.chars.length === 0,
      ascii: noTransitions(),
      other: undefined,
    };
  }

  step(from: DfaState, c: number): DfaState {
    const kernel: number[] = [];
    for (const pc of from.chars) if (charMatches(this.prog, pc, c)) kernel.push(pc + 1);
    kernel.sort((a, b) => a - b);
    const key = kernel.join(',');
    let to = this.cache.get(key);
    if (!to) {
      if (this.cache.size >= MAX_DFA_STATES) {
        // drop every cached state, including the ones reachable from start, so memory stays bounded
        this.cache.clear();
        this.start.ascii = noTransitions();
        this.start.other = undefined;
      }
      to = this.makeState(kernel, false);
      this.cache.set(key, to);
    }
    if (c < 128) from.ascii[c] = to;
    else (from.other ??= new Map()).set(c, to);
    return to;
  }

  /** The state after reading c from st (cached like any transition). */
  peek(st: DfaState, c: number): DfaState {
    return (c < 128 ? st.ascii[c] : st.other?.get(c)) ?? this.step(st, c);
  }

  /** The state of a text that can no longer match. */
  private readonly dead: DfaState = {
    chars: [],
    matchNow: false,
    matchAtEnd: false,
    dead: true,
    ascii: noTransitions(),
    other: undefined,
  };

  /** Whether advance() may be used: word assertions need the next character, which a DFA state does not know. */
  get incremental(): boolean {
    return !this.prog.hasWordAssertions;
  }

  /**
   * Continues from `st` (the state after text[0:from]) over text[from:].
   * Returns the state after the whole text, or null once a match has ended
   * (Go searches, so every longer text matches too). Lets a walker resume
   * from its parent directory's state instead of re-reading the parent.
   */
  advance(st: DfaState, text: string, from: number): DfaState | null {
    if (st.matchNow) return null;
    const n = text.length;
    let i = from;
    while (i < n) {
      if (st.dead) {
        st = this.dead;
        break;
      }
      let c = text.charCodeAt(i++);
      let next: DfaState | undefined;
      if (c < 128) next = st.ascii[c];
      else {
        if (c >= 0xd800 && c <= 0xdbff && i < n) {
          const lo = text.charCodeAt(i);
          if (lo >= 0xdc00 && lo <= 0xdfff) {
            c = (c - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000;
            i++;
          }
        }
        next = st.other?.get(c);
      }
      st = next ?? this.step(st, c);
      if (st.matchNow) {
        this.charSteps += i - from;
        return null;
      }
    }
    this.charSteps += i - from;
    return st;
  }

  /** Does the regexp match `text` (Go MatchString), or, with parents, also any prefix ending before a '/'? */
  matches(text: string, parents: boolean): boolean {
    if (this.prog.hasWordAssertions) return this.matchesByNfa(text, parents);
    let st = this.start;
    if (st.matchNow) return true;
    const n = text.length;
    for (let i = 0; i < n; ) {
      let c = text.charCodeAt(i);
      if (parents && c === SLASH && st.matchAtEnd) return true;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const lo = text.charCodeAt(i + 1);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          c = (c - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000;
          i++;
        }
      }
      i++;
      this.charSteps++;
      st = (c < 128 ? st.ascii[c] : st.other?.get(c)) ?? this.step(st, c);
      if (st.matchNow) return true;
      if (st.chars.length === 0) return st.matchAtEnd && (i >= n || (parents && text.charCodeAt(i) === SLASH));
    }
    return st.matchAtEnd;
  }

  private matchesByNfa(text: string, parents: boolean): boolean {
    const cps = Array.from(text, (ch) => ch.codePointAt(0)!);
    const ctxAt = (k: number, atEnd: boolean): AssertContext => ({
      atStart: k === 0,
      atEnd,
      prevWord: k > 0 && isAsciiWord(cps[k - 1]),
      nextWord: !atEnd && isAsciiWord(cps[k]),
    });
    let kernel = [0];
    for (let k = 0; ; k++) {
      const atEnd = k >= cps.length;
      const here = closure(this.prog, kernel, ctxAt(k, atEnd));
      if (here.match) return true;
      if (atEnd) return false;
      if (parents && cps[k] === SLASH && closure(this.prog, kernel, ctxAt(k, true)).match) return true;
      this.charSteps++;
      const next: number[] = [];
      for (const pc of here.chars) if (charMatches(this.prog, pc, cps[k])) next.push(pc + 1);
      if (next.length === 0) return false;
      kernel = next;
    }
  }
}
