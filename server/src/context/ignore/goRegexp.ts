// The part of Go's regexp syntax (Perl flags) reachable from Pattern.compile's output,
// parsed into a small AST the automaton runs.

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
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isAlnum = (c: number): boolean => isAsciiWord(c) && c !== 95;

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

const isNotSlash: CharTest = (c) => c !== 47;
const isNotNewline: CharTest = (c) => c !== 10;

const unhex = (c: number): number =>
  c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;

/** Parses Go regexp text (as regexp.Compile with syntax.Perl would) into our AST; throws GoRegexpError. */
export function parseGoRegexp(src: string): ReNode {
  const chars = Array.from(src);
  const s = chars.map((ch) => ch.codePointAt(0)!);
  let i = 0;
  // (no String.fromCodePoint(...spread): a long pattern would overflow the argument list)
  const str = (from: number, to = i): string => chars.slice(from, to).join('');
  // next index k >= i with s[k..k+1] = ':]' (or -1), so '[:' after '[:' does not rescan the rest
  let colonBracket: Int32Array | undefined;
  const nextColonBracket = (): Int32Array => {
    if (!colonBracket) {
      colonBracket = new Int32Array(s.length + 2).fill(-1);
      for (let k = s.length - 2; k >= 0; k--)
        colonBracket[k] = s[k] === 58 && s[k + 1] === 93 ? k : colonBracket[k + 1];
    }
    return colonBracket;
  };

  // parseEscape: a single escaped character (outside or inside a class); i is at '\'.
  const parseEscape = (): number => {
    const start = i;
    i++;
    if (i >= s.length) throw new GoRegexpError('trailing backslash at end of expression');
    const c = s[i++];
    if (c < 0x80 && !isAlnum(c)) return c;
    const isOctal = (x: number | undefined): boolean => x !== undefined && x >= 48 && x <= 55;
    if ((c >= 49 && c <= 55 && isOctal(s[i])) || c === 48) {
      let r = c - 48;
      for (let n = 1; n < 3 && isOctal(s[i]); n++) r = r * 8 + s[i++] - 48;
      return r;
    }
    if (c === 120 /* x */ && i < s.length) {
      const x = s[i++];
      if (x === 123 /* { */) {
        let r = 0;
        let digits = 0;
        while (i < s.length && s[i] !== 125) {
          const v = unhex(s[i++]);
          if (v < 0 || (r = r * 16 + v) > 0x10ffff)
            throw new GoRegexpError(`invalid escape sequence: \`${str(start)}\``);
          digits++;
        }
        if (i >= s.length || digits === 0) throw new GoRegexpError(`invalid escape sequence: \`${str(start)}\``);
        i++;
        return r;
      }
      const hi = unhex(x);
      const lo = i < s.length ? unhex(s[i++]) : -1;
      if (hi >= 0 && lo >= 0) return hi * 16 + lo;
    }
    const simple: Record<number, number> = { 97: 7, 102: 12, 110: 10, 114: 13, 116: 9, 118: 11 };
    if (simple[c] !== undefined) return simple[c];
    throw new GoRegexpError(`invalid escape sequence: \`${str(start)}\``);
  };

  // \pX / \PX (the '{...}' form cannot occur: compile escapes '{'). i is at '\'.
  const parseUnicodeClass = (): CharTest => {
    const start = i;
    const negate = s[i + 1] === 80; /* P */
    i += 2;
    const name = i < s.length ? String.fromCodePoint(s[i++]) : '\ufffd';
    const test = unicodeCategoryTest(name);
    if (!test) throw new GoRegexpError(`invalid character class range: \`${str(start)}\``);
    return negate ? (c) => !test(c) : test;
  };

  const perlClass = (letter: number): CharTest | undefined => {
    const lower = String.fromCharCode(letter | 0x20);
    const r = PERL_CLASSES[lower];
    if (!r || !'dswDSW'.includes(String.fromCharCode(letter))) return undefined;
    return letter === lower.charCodeAt(0) ? (c) => inRanges(r, c) : (c) => !inRanges(r, c);
  };

  const parseClass = (): CharTest => {
    const start = i;
    if (s[i + 1] === 94 && s[i + 2] === 47 && s[i + 3] === 93) {
      // '[^/]', which compile writes for every '*' and '?': one shared test
      i += 4;
      return isNotSlash;
    }
    i++; // '['
    let negated = false;
    if (s[i] === 94 /* ^ */) {
      negated = true;
      i++;
    }
    const ranges: Ranges = [];
    const tests: CharTest[] = [];
    let first = true; // ']' is literal as the first class character
    while (i >= s.length || s[i] !== 93 || first) {
      if (i >= s.length) throw new GoRegexpError(`missing closing ]: \`${str(start)}\``);
      first = false;
      if (s[i] === 91 && s[i + 1] === 58 && i + 2 < s.length) {
        // [:name:] -- Go searches for ':]' anywhere after, not just in this class
        const j = nextColonBracket()[i + 2];
        if (j >= 0) {
          let name = str(i + 2, j);
          const neg = name.startsWith('^');
          if (neg) name = name.slice(1);
          const r = Object.hasOwn(POSIX_CLASSES, name) ? POSIX_CLASSES[name] : undefined;
          if (!r) throw new GoRegexpError(`invalid character class range: \`${str(i, j + 2)}\``);
          tests.push(neg ? (c) => !inRanges(r, c) : (c) => inRanges(r, c));
          i = j + 2;
          continue;
        }
      }
      if (s[i] === 92 && (s[i + 1] === 112 || s[i + 1] === 80)) {
        tests.push(parseUnicodeClass());
        continue;
      }
      if (s[i] === 92 && i + 1 < s.length) {
        const perl = perlClass(s[i + 1]);
        if (perl) {
          tests.push(perl);
          i += 2;
          continue;
        }
      }
      const classChar = (): number => {
        if (i >= s.length) throw new GoRegexpError(`missing closing ]: \`${str(start)}\``);
        return s[i] === 92 ? parseEscape() : s[i++];
      };
      const rangeStart = i;
      const lo = classChar();
      let hi = lo;
      if (i + 1 < s.length && s[i] === 45 && s[i + 1] !== 93) {
        i++;
        hi = classChar();
        if (hi < lo) throw new GoRegexpError(`invalid character class range: \`${str(rangeStart)}\``);
      }
      ranges.push(lo, hi);
    }
    i++; // ']'
    const member: CharTest =
      tests.length === 0 ? (c) => inRanges(ranges, c) : (c) => inRanges(ranges, c) || tests.some((t) => t(c));
    return negated ? (c) => !member(c) : member;
  };

  // literals are data, not closures: a long pattern would otherwise allocate one function per character
  const literal = (cp: number): ReNode => ({ t: 'char', literal: cp });

  const parseSeq = (depth: number): ReNode => {
    const items: ReNode[] = [];
    while (i < s.length) {
      const c = s[i];
      if (c === 41 /* ) */) {
        if (depth === 0) throw new GoRegexpError(`unexpected ): \`${src}\``);
        break;
      }
      if (c === 124 /* | */) throw new GoRegexpError('alternation cannot come out of a Docker pattern');
      if (c === 42 || c === 63 || c === 43) {
        const last = items.pop();
        if (!last) throw new GoRegexpError(`missing argument to repetition operator: \`${String.fromCodePoint(c)}\``);
        if (last.t === 'rep' && c !== 63) throw new GoRegexpError('invalid nested repetition operator');
        items.push({ t: 'rep', op: c === 42 ? '*' : c === 63 ? '?' : '+', sub: last });
        i++;
        continue;
      }
      if (c === 40 /* ( */) {
        i++;
        if (s[i] === 63) throw new GoRegexpError('groups with flags cannot come out of a Docker pattern');
        const sub = parseSeq(depth + 1);
        if (s[i] !== 41) throw new GoRegexpError(`missing closing ): \`${src}\``);
        i++;
        items.push(sub);
      } else if (c === 91 /* [ */) {
        items.push({ t: 'char', test: parseClass() });
      } else if (c === 46 /* . */) {
        i++;
        items.push({ t: 'char', test: isNotNewline });
      } else if (c === 94 /* ^ */) {
        i++;
        items.push({ t: 'assert', a: 'begin' });
      } else if (c === 36 /* $ */) {
        i++;
        items.push({ t: 'assert', a: 'end' });
      } else if (c === 92 /* \ */) {
        const next = s[i + 1];
        const asserts: Record<number, Assertion> = {
          65: 'begin',
          98: 'wordBoundary',
          66: 'noWordBoundary',
          122: 'end',
        };
        if (next !== undefined && asserts[next]) {
          items.push({ t: 'assert', a: asserts[next] });
          i += 2;
        } else if (next === 67 /* C */) {
          throw new GoRegexpError('invalid escape sequence: `\\C`');
        } else if (next === 81 /* Q */) {
          // \Q...\E: everything up to \E (or the end) is literal
          i += 2;
          while (i < s.length && !(s[i] === 92 && s[i + 1] === 69)) items.push(literal(s[i++]));
          if (i < s.length) i += 2;
        } else if (next === 112 || next === 80) {
          items.push({ t: 'char', test: parseUnicodeClass() });
        } else if (next !== undefined && perlClass(next)) {
          items.push({ t: 'char', test: perlClass(next)! });
          i += 2;
        } else {
          items.push(literal(parseEscape()));
        }
      } else {
        i++;
        items.push(literal(c));
      }
    }
    return { t: 'cat', items };
  };

  return parseSeq(0);
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
