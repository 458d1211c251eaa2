// The part of Go's regexp syntax (Perl flags) reachable from Pattern.compile's output,
// parsed into a small AST the automaton runs.

import {
  ASTERISK,
  BACKSLASH,
  CARET,
  COLON,
  DASH,
  DIGIT_0,
  DIGIT_1,
  DIGIT_7,
  DIGIT_9,
  DOLLAR,
  DOT,
  LEFT_BRACE,
  LEFT_BRACKET,
  LEFT_PAREN,
  LINE_FEED,
  LOWER_A,
  LOWER_B,
  LOWER_F,
  LOWER_P,
  LOWER_X,
  LOWER_Z,
  PIPE,
  PLUS,
  QUESTION,
  RIGHT_BRACE,
  RIGHT_BRACKET,
  RIGHT_PAREN,
  SLASH,
  UNDERSCORE,
  UPPER_A,
  UPPER_B,
  UPPER_C,
  UPPER_E,
  UPPER_F,
  UPPER_P,
  UPPER_Q,
  UPPER_Z,
} from '../charCodes';

export class GoRegexpError extends Error {}

export type CharTest = (cp: number) => boolean;
export type Assertion = 'begin' | 'end' | 'wordBoundary' | 'noWordBoundary';
export type ReNode =
  | { t: 'char'; test: CharTest; literal?: undefined }
  | { t: 'char'; test?: undefined; literal: number }
  | { t: 'assert'; a: Assertion }
  | { t: 'cat'; items: ReNode[] }
  | { t: 'rep'; op: '*' | '?' | '+'; sub: ReNode };

export const isAsciiWord = (c: number): boolean =>
  (c >= DIGIT_0 && c <= DIGIT_9) ||
  (c >= UPPER_A && c <= UPPER_Z) ||
  (c >= LOWER_A && c <= LOWER_Z) ||
  c === UNDERSCORE;
const isAlnum = (c: number): boolean => isAsciiWord(c) && c !== UNDERSCORE;

/** A set of inclusive [lo, hi] ranges. */
type Ranges = number[];
const inRanges = (r: Ranges, c: number): boolean => {
  for (let i = 0; i < r.length; i += 2) if (c >= r[i] && c <= r[i + 1]) return true;
  return false;
};

const PERL_CLASSES: Record<string, Ranges> = {
  d: [48, 57],
  s: [9, 10, 12, 13, 32, 32],
  w: [48, 57, 65, 90, 95, 95, 97, 122],
};

const POSIX_CLASSES: Record<string, Ranges> = {
  alnum: [48, 57, 65, 90, 97, 122],
  alpha: [65, 90, 97, 122],
  ascii: [0, 0x7f],
  blank: [9, 9, 32, 32],
  cntrl: [0, 0x1f, 0x7f, 0x7f],
  digit: [48, 57],
  graph: [0x21, 0x7e],
  lower: [97, 122],
  print: [0x20, 0x7e],
  punct: [0x21, 0x2f, 0x3a, 0x40, 0x5b, 0x60, 0x7b, 0x7e],
  space: [9, 13, 32, 32],
  upper: [65, 90],
  word: [48, 57, 65, 90, 95, 95, 97, 122],
  xdigit: [48, 57, 65, 70, 97, 102],
};

// Go's single-letter Unicode categories (\pL etc.). Go's C is Cc|Cf|Co|Cs (no Cn).
const UNICODE_CATEGORIES: Record<string, RegExp> = {
  C: /^[\p{Cc}\p{Cf}\p{Co}\p{Cs}]$/u,
  L: /^\p{L}$/u,
  M: /^\p{M}$/u,
  N: /^\p{N}$/u,
  P: /^\p{P}$/u,
  S: /^\p{S}$/u,
  Z: /^\p{Z}$/u,
};

function unicodeCategoryTest(name: string): CharTest | undefined {
  const re = Object.hasOwn(UNICODE_CATEGORIES, name) ? UNICODE_CATEGORIES[name] : undefined;
  return re && ((c) => re.test(String.fromCodePoint(c)));
}

const isNotSlash: CharTest = (c) => c !== SLASH;
const isNotNewline: CharTest = (c) => c !== LINE_FEED;

const unhex = (c: number): number =>
  c >= DIGIT_0 && c <= DIGIT_9
    ? c - DIGIT_0
    : c >= LOWER_A && c <= LOWER_F
      ? c - LOWER_A + 10
      : c >= UPPER_A && c <= UPPER_F
        ? c - UPPER_A + 10
        : -1;

const perlClass = (letter: number): CharTest | undefined => {
  const lower = String.fromCharCode(letter | 0x20);
  const r = PERL_CLASSES[lower];
  if (!r || !'dswDSW'.includes(String.fromCharCode(letter))) return undefined;
  return letter === lower.charCodeAt(0) ? (c) => inRanges(r, c) : (c) => !inRanges(r, c);
};

/** Parses Go regexp text (as regexp.Compile with syntax.Perl would) into our AST; throws GoRegexpError. */
export function parseGoRegexp(src: string): ReNode {
  return new GoRegexpParser(src).parse();
}

const SIMPLE_ESCAPES: Record<number, number> = { 97: 7, 102: 12, 110: 10, 114: 13, 116: 9, 118: 11 }; // \a \f \n \r \t \v
const ESCAPE_ASSERTIONS: Record<number, Assertion> = {
  [UPPER_A]: 'begin',
  [LOWER_B]: 'wordBoundary',
  [UPPER_B]: 'noWordBoundary',
  [LOWER_Z]: 'end',
};
const isOctal = (x: number | undefined): boolean => x !== undefined && x >= DIGIT_0 && x <= DIGIT_7;

// literals are data, not closures: a long pattern would otherwise allocate one function per character
const literal = (cp: number): ReNode => ({ t: 'char', literal: cp });

/** A recursive-descent parser over the pattern's code points; `i` is the read position. */
class GoRegexpParser {
  private readonly chars: string[];
  private readonly s: number[];
  private i = 0;
  /** next index k >= i with s[k..k+1] = ':]' (or -1), so '[:' after '[:' does not rescan the rest */
  private colonBracket: Int32Array | undefined;

  constructor(private readonly src: string) {
    this.chars = Array.from(src);
    this.s = this.chars.map((ch) => ch.codePointAt(0)!);
  }

  parse(): ReNode {
    return this.parseSeq(0);
  }

  // (no String.fromCodePoint(...spread): a long pattern would overflow the argument list)
  private str(from: number, to = this.i): string {
    return this.chars.slice(from, to).join('');
  }

  private nextColonBracket(): Int32Array {
    if (!this.colonBracket) {
      const s = this.s;
      const cb = new Int32Array(s.length + 2).fill(-1);
      for (let k = s.length - 2; k >= 0; k--) cb[k] = s[k] === COLON && s[k + 1] === RIGHT_BRACKET ? k : cb[k + 1];
      this.colonBracket = cb;
    }
    return this.colonBracket;
  }

  /** A single escaped character (outside or inside a class); i is at '\'. */
  private parseEscape(): number {
    const s = this.s;
    const start = this.i;
    this.i++;
    if (this.i >= s.length) throw new GoRegexpError('trailing backslash at end of expression');
    const c = s[this.i++];
    if (c < 0x80 && !isAlnum(c)) return c;
    if ((c >= DIGIT_1 && c <= DIGIT_7 && isOctal(s[this.i])) || c === DIGIT_0) {
      let r = c - DIGIT_0;
      for (let n = 1; n < 3 && isOctal(s[this.i]); n++) r = r * 8 + s[this.i++] - DIGIT_0;
      return r;
    }
    if (c === LOWER_X && this.i < s.length) {
      const hex = this.parseHexEscape(start);
      if (hex >= 0) return hex;
    }
    if (SIMPLE_ESCAPES[c] !== undefined) return SIMPLE_ESCAPES[c];
    throw new GoRegexpError(`invalid escape sequence: \`${this.str(start)}\``);
  }

  /** After '\x': '{hex…}' or two hex digits; -1 when the two digits are not both hex. */
  private parseHexEscape(start: number): number {
    const s = this.s;
    const x = s[this.i++];
    if (x === LEFT_BRACE) {
      let r = 0;
      let digits = 0;
      while (this.i < s.length && s[this.i] !== RIGHT_BRACE) {
        const v = unhex(s[this.i++]);
        if (v < 0 || (r = r * 16 + v) > 0x10ffff)
          throw new GoRegexpError(`invalid escape sequence: \`${this.str(start)}\``);
        digits++;
      }
      if (this.i >= s.length || digits === 0)
        throw new GoRegexpError(`invalid escape sequence: \`${this.str(start)}\``);
      this.i++;
      return r;
    }
    const hi = unhex(x);
    const lo = this.i < s.length ? unhex(s[this.i++]) : -1;
    return hi >= 0 && lo >= 0 ? hi * 16 + lo : -1;
  }

  /** \pX / \PX (the '{...}' form cannot occur: compile escapes '{'). i is at '\'. */
  private parseUnicodeClass(): CharTest {
    const s = this.s;
    const start = this.i;
    const negate = s[this.i + 1] === UPPER_P;
    this.i += 2;
    const name = this.i < s.length ? String.fromCodePoint(s[this.i++]) : '\ufffd';
    const test = unicodeCategoryTest(name);
    if (!test) throw new GoRegexpError(`invalid character class range: \`${this.str(start)}\``);
    return negate ? (c) => !test(c) : test;
  }

  private parseClass(): CharTest {
    const s = this.s;
    const start = this.i;
    if (s[this.i + 1] === CARET && s[this.i + 2] === SLASH && s[this.i + 3] === RIGHT_BRACKET) {
      // '[^/]', which compile writes for every '*' and '?': one shared test
      this.i += 4;
      return isNotSlash;
    }
    this.i++; // '['
    let negated = false;
    if (s[this.i] === CARET) {
      negated = true;
      this.i++;
    }
    const ranges: Ranges = [];
    const tests: CharTest[] = [];
    let first = true; // ']' is literal as the first class character
    while (this.i >= s.length || s[this.i] !== RIGHT_BRACKET || first) {
      if (this.i >= s.length) throw new GoRegexpError(`missing closing ]: \`${this.str(start)}\``);
      first = false;
      const test = this.parseClassTest();
      if (test) tests.push(test);
      else this.parseClassRange(start, ranges);
    }
    this.i++; // ']'
    const member: CharTest =
      tests.length === 0 ? (c) => inRanges(ranges, c) : (c) => inRanges(ranges, c) || tests.some((t) => t(c));
    return negated ? (c) => !member(c) : member;
  }

  /** Inside a class: a named class ([:alpha:], \pL, \d) at i, consumed; undefined (nothing consumed) otherwise. */
  private parseClassTest(): CharTest | undefined {
    const s = this.s;
    const i = this.i;
    if (s[i] === LEFT_BRACKET && s[i + 1] === COLON && i + 2 < s.length) {
      // [:name:] -- Go searches for ':]' anywhere after, not just in this class
      const j = this.nextColonBracket()[i + 2];
      if (j >= 0) {
        let name = this.str(i + 2, j);
        const neg = name.startsWith('^');
        if (neg) name = name.slice(1);
        const r = Object.hasOwn(POSIX_CLASSES, name) ? POSIX_CLASSES[name] : undefined;
        if (!r) throw new GoRegexpError(`invalid character class range: \`${this.str(i, j + 2)}\``);
        this.i = j + 2;
        return neg ? (c) => !inRanges(r, c) : (c) => inRanges(r, c);
      }
    }
    if (s[i] === BACKSLASH && (s[i + 1] === LOWER_P || s[i + 1] === UPPER_P)) return this.parseUnicodeClass();
    if (s[i] === BACKSLASH && i + 1 < s.length) {
      const perl = perlClass(s[i + 1]);
      if (perl) {
        this.i += 2;
        return perl;
      }
    }
    return undefined;
  }

  /** Inside a class: one character or 'lo-hi' range at i, pushed onto ranges. */
  private parseClassRange(classStart: number, ranges: Ranges): void {
    const s = this.s;
    const rangeStart = this.i;
    const lo = this.classChar(classStart);
    let hi = lo;
    if (this.i + 1 < s.length && s[this.i] === DASH && s[this.i + 1] !== RIGHT_BRACKET) {
      this.i++;
      hi = this.classChar(classStart);
      if (hi < lo) throw new GoRegexpError(`invalid character class range: \`${this.str(rangeStart)}\``);
    }
    ranges.push(lo, hi);
  }

  private classChar(classStart: number): number {
    if (this.i >= this.s.length) throw new GoRegexpError(`missing closing ]: \`${this.str(classStart)}\``);
    return this.s[this.i] === BACKSLASH ? this.parseEscape() : this.s[this.i++];
  }

  private parseSeq(depth: number): ReNode {
    const s = this.s;
    const items: ReNode[] = [];
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === RIGHT_PAREN) {
        if (depth === 0) throw new GoRegexpError(`unexpected ): \`${this.src}\``);
        break;
      }
      if (c === PIPE) throw new GoRegexpError('alternation cannot come out of a Docker pattern');
      if (c === ASTERISK || c === QUESTION || c === PLUS) {
        const last = items.pop();
        if (!last) throw new GoRegexpError(`missing argument to repetition operator: \`${String.fromCodePoint(c)}\``);
        if (last.t === 'rep' && c !== QUESTION) throw new GoRegexpError('invalid nested repetition operator');
        items.push({ t: 'rep', op: c === ASTERISK ? '*' : c === QUESTION ? '?' : '+', sub: last });
        this.i++;
        continue;
      }
      this.parseAtom(c, depth, items);
    }
    return { t: 'cat', items };
  }

  /** One atom (group, class, '.', '^', '$', escape, literal) starting with c at i, pushed onto items. */
  private parseAtom(c: number, depth: number, items: ReNode[]): void {
    const s = this.s;
    if (c === LEFT_PAREN) {
      this.i++;
      if (s[this.i] === QUESTION) throw new GoRegexpError('groups with flags cannot come out of a Docker pattern');
      const sub = this.parseSeq(depth + 1);
      if (s[this.i] !== RIGHT_PAREN) throw new GoRegexpError(`missing closing ): \`${this.src}\``);
      this.i++;
      items.push(sub);
    } else if (c === LEFT_BRACKET) {
      items.push({ t: 'char', test: this.parseClass() });
    } else if (c === DOT) {
      this.i++;
      items.push({ t: 'char', test: isNotNewline });
    } else if (c === CARET) {
      this.i++;
      items.push({ t: 'assert', a: 'begin' });
    } else if (c === DOLLAR) {
      this.i++;
      items.push({ t: 'assert', a: 'end' });
    } else if (c === BACKSLASH) {
      this.parseBackslash(items);
    } else {
      this.i++;
      items.push(literal(c));
    }
  }

  /** An escape outside a class (assertion, \Q…\E, \pX, \d, or one escaped character); i is at '\'. */
  private parseBackslash(items: ReNode[]): void {
    const s = this.s;
    const next = s[this.i + 1];
    if (next !== undefined && ESCAPE_ASSERTIONS[next]) {
      items.push({ t: 'assert', a: ESCAPE_ASSERTIONS[next] });
      this.i += 2;
    } else if (next === UPPER_C) {
      throw new GoRegexpError('invalid escape sequence: `\\C`');
    } else if (next === UPPER_Q) {
      // \Q...\E: everything up to \E (or the end) is literal
      this.i += 2;
      while (this.i < s.length && !(s[this.i] === BACKSLASH && s[this.i + 1] === UPPER_E))
        items.push(literal(s[this.i++]));
      if (this.i < s.length) this.i += 2;
    } else if (next === LOWER_P || next === UPPER_P) {
      items.push({ t: 'char', test: this.parseUnicodeClass() });
    } else if (next !== undefined && perlClass(next)) {
      items.push({ t: 'char', test: perlClass(next)! });
      this.i += 2;
    } else {
      items.push(literal(this.parseEscape()));
    }
  }
}

/**
 * Literal text every match must start / end with: the literal characters right
 * after the leading '^' and right before a final '$'. A cheap filter before the
 * automaton (most globs are like '*.log' or 'Dockerfile*').
 */
export function requiredAffixes(root: ReNode): { prefix: string; suffix: string } {
  const items = root.t === 'cat' ? root.items : [root];
  const isBegin = (n: ReNode | undefined) => n?.t === 'assert' && n.a === 'begin';
  const isEnd = (n: ReNode | undefined) => n?.t === 'assert' && n.a === 'end';
  const lit = (n: ReNode | undefined) => (n?.t === 'char' ? n.literal : undefined);
  let prefix = '';
  if (isBegin(items[0])) {
    for (let k = 1; k < items.length && lit(items[k]) !== undefined; k++)
      prefix += String.fromCodePoint(lit(items[k])!);
  }
  let suffix = '';
  if (isEnd(items[items.length - 1])) {
    for (let k = items.length - 2; k >= 0 && lit(items[k]) !== undefined; k--)
      suffix = String.fromCodePoint(lit(items[k])!) + suffix;
  }
  return { prefix, suffix };
}
