// Docker's `.dockerignore` semantics, reproduced exactly (Unix flavour):
//
//   ignorefile.ReadAll   -> parseIgnoreFile   (comments, trimming, Clean, leading '/')
//   patternmatcher.New   -> newPattern        (Clean again, '!' split, filepath.Match syntax check)
//   Pattern.compile      -> dockerCompile     (glob -> Go regexp text, exact/prefix/suffix/regexp)
//   MatchesOrParentMatches -> IgnoreMatcher.excludes
//   fsutil / go-archive walks -> walkContext
//
// Docker hands the regexp text it builds to Go's regexp package. That text can
// contain any Go regexp syntax a pattern author manages to smuggle through
// (`[[:alpha:]]`, `\d`, `\b`, `\Q..\E`, a glob `*` landing inside a `[...]`
// class), so instead of translating to a JS RegExp we parse that text with the
// subset of Go's regexp grammar it can reach and run it on our own automaton.
//
// Why no pattern can blow up: JS RegExp backtracks, and globs such as
// `**/**/**/**/**/a` become regexps whose backtracking grows like n^k on long
// paths (V8 needs ~30 s for that one on a 300-character path). We never
// backtrack. A regexp pattern is compiled once to a Thompson NFA and matched
// with a lazily built DFA: each DFA state is a set of NFA positions, built at
// most once per (state, character) and cached, so a path of n characters costs
// n table lookups plus, at worst, one O(program size) state construction per
// character. The state cache is capped (and then reset), so memory is bounded
// too. Parent directories are never re-read: patternMatches checks them in the
// same left-to-right pass (they are prefixes of the path), and IgnoreMatcher
// keeps each directory's automaton states in a trie, so a path resumes from its
// parent's state.

/** One line of an ignore file, after Docker's ReadAll processing. */
export interface IgnorePattern {
  /** 0-based line in the ignore file (for string[] input: the index in the array). */
  line: number;
  /** The line as written (without the line break). */
  raw: string;
  /** After ReadAll processing (trim, Clean, leading '/' removed), without the '!'. */
  pattern: string;
  /** '!' exception. */
  negate: boolean;
  /** Error as Docker reports it; the pattern then never matches. */
  error?: string;
  /** Why, in more words than Docker gives (e.g. which range is inverted). */
  errorDetail?: string;
  /**
   * 'new': patternmatcher.New rejects it, Docker refuses the whole build.
   * 'match': Go's regexp compiler rejects it when the pattern is first used, which also fails the build.
   */
  errorAt?: 'new' | 'match';
}

export interface ParsedIgnoreFile {
  patterns: IgnorePattern[];
  /**
   * Set when Docker's ReadAll fails on the file as a whole: a line of 64 KiB or
   * more ("bufio.Scanner: token too long"). Docker then refuses the build.
   */
  error?: { line: number; message: string };
}

/** bufio.MaxScanTokenSize: ReadAll's line buffer never grows beyond this. */
const MAX_LINE_BYTES = 64 * 1024;

function utf8Length(s: string): number {
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

// ---------------------------------------------------------------------------
// Go standard library behaviour we need

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
  const rooted = p.charCodeAt(0) === 47;
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
    if (i < n && p.charCodeAt(i) !== 47) continue;
    const len = i - elemStart;
    // an empty element is only allowed as the root of an absolute path
    if (
      len === 0
        ? i !== 0
        : p.charCodeAt(elemStart) === 46 && (len === 1 || (len === 2 && p.charCodeAt(elemStart + 1) === 46))
    )
      return false;
    elemStart = i + 1;
  }
  return true;
}

function cleanPath(p: string): string {
  return isCleanPath(p) ? p : goClean(p);
}

const BAD_PATTERN = 'syntax error in pattern';

/**
 * filepath.Match(pattern, ".") returns ErrBadPattern exactly when the pattern
 * breaks filepath.Match's grammar somewhere (Go >= 1.16 validates the whole
 * pattern): a trailing '\', or a '[...]' class that is unterminated, empty,
 * starts with ']' or '-', or has a dangling '-'. Inverted ranges pass.
 */
function filepathMatchSyntaxOk(p: string): boolean {
  const n = p.length;
  // getEsc: one class character, possibly escaped; returns the index after it or -1.
  const classChar = (i: number): number => {
    if (i >= n) return -1;
    let c = p.charCodeAt(i);
    if (c === 45 /* - */ || c === 93 /* ] */) return -1;
    if (c === 92 /* \ */) {
      i++;
      if (i >= n) return -1;
      c = p.charCodeAt(i);
    }
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
    return i >= n ? -1 : i;
  };
  for (let i = 0; i < n; ) {
    const c = p.charCodeAt(i);
    if (c === 92) {
      if (i + 1 >= n) return false;
      i += 2;
    } else if (c === 91 /* [ */) {
      i++;
      if (i < n && p.charCodeAt(i) === 94 /* ^ */) i++;
      let ranges = 0;
      for (;;) {
        if (i < n && p.charCodeAt(i) === 93 && ranges > 0) {
          i++;
          break;
        }
        i = classChar(i);
        if (i < 0) return false;
        if (p.charCodeAt(i) === 45) {
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

// ---------------------------------------------------------------------------
// ReadAll

/** Docker's ignorefile.ReadAll, keeping line numbers. */
export function parseIgnoreFile(text: string): ParsedIgnoreFile {
  const patterns: IgnorePattern[] = [];
  const lines = text.split('\n');
  let error: ParsedIgnoreFile['error'];
  for (let line = 0; line < lines.length; line++) {
    // the scanner's buffer must hold the line and its '\n' (or see EOF before it fills up)
    if (!error && lines[line].length * 3 >= MAX_LINE_BYTES && utf8Length(lines[line]) >= MAX_LINE_BYTES) {
      error = { line, message: 'bufio.Scanner: token too long' };
    }
    let raw = lines[line];
    if (raw.endsWith('\r')) raw = raw.slice(0, -1); // bufio.ScanLines drops one trailing CR
    let scanned = raw;
    if (line === 0 && scanned.charCodeAt(0) === 0xfeff) scanned = scanned.slice(1);
    if (scanned.startsWith('#')) continue; // comment only in column 1, checked before trimming
    let pattern = goTrimSpace(scanned);
    if (pattern === '') continue;
    const negate = pattern.charCodeAt(0) === 33; /* ! */
    if (negate) pattern = goTrimSpace(pattern.slice(1));
    if (pattern.length > 0) {
      pattern = goClean(pattern);
      if (pattern.length > 1 && pattern.charCodeAt(0) === 47) pattern = pattern.slice(1);
    }
    const p: IgnorePattern = { line, raw, pattern, negate };
    const compiled = newPattern(readAllOutput(p));
    if (compiled.error) setError(p, compiled);
    patterns.push(p);
  }
  return error ? { patterns, error } : { patterns };
}

/** The string ReadAll hands to patternmatcher.New for this pattern. */
function readAllOutput(p: IgnorePattern): string {
  return p.negate ? '!' + p.pattern : p.pattern;
}

function setError(p: IgnorePattern, c: CompiledPattern): void {
  p.error = c.error;
  p.errorAt = c.errorAt;
  if (c.errorDetail) p.errorDetail = c.errorDetail;
}

// ---------------------------------------------------------------------------
// New + compile

type MatchType = 'exact' | 'prefix' | 'suffix' | 'regexp';

// Numeric kinds and a class with every field set in the constructor keep the
// hot matching functions monomorphic.
const KIND_NEVER = 0;
const KIND_EXACT = 1;
const KIND_PREFIX = 2;
const KIND_SUFFIX = 3;
const KIND_REGEXP = 4;
const KIND_NAMES = ['never', 'exact', 'prefix', 'suffix', 'regexp'] as const;

class CompiledPattern {
  /** KIND_NEVER for patterns with an error (and a BOM-led '**', which Go slices into garbage). */
  kind = KIND_NEVER;
  /** exact: the path; prefix: required prefix; suffix: required suffix; regexp: text a match must start with. */
  literal = '';
  /** exact: literal + '/'; suffix: literal without its leading '/'; regexp: text a match must end with. */
  literalSlash = '';
  dfa: LazyDfa | undefined = undefined;
  error: string | undefined = undefined;
  errorDetail: string | undefined = undefined;
  errorAt: 'new' | 'match' | undefined = undefined;

  constructor(
    /** The pattern as New keeps it: cleaned, without '!'. */
    readonly cleaned: string,
    readonly exclusion: boolean,
  ) {}
}

/** patternmatcher.New for one pattern string, plus the compile Docker does lazily on first use. Blank input (New skips it) never matches. */
function newPattern(input: string): CompiledPattern {
  const trimmed = goTrimSpace(input);
  if (trimmed === '') return new CompiledPattern('', false);
  let p = goClean(trimmed);
  let exclusion = false;
  if (p.charCodeAt(0) === 33) {
    if (p.length === 1) {
      const cp = new CompiledPattern('', true);
      cp.error = 'illegal exclusion pattern: "!"';
      cp.errorAt = 'new';
      return cp;
    }
    exclusion = true;
    p = p.slice(1);
  }
  const cp = new CompiledPattern(p, exclusion);
  if (!filepathMatchSyntaxOk(p)) {
    cp.error = BAD_PATTERN;
    cp.errorDetail =
      "the pattern breaks Go's filepath.Match syntax (unterminated or empty '[...]', a '-' without both ends, or a trailing '\\')";
    cp.errorAt = 'new';
    return cp;
  }
  const { type, regexp, bomSuffix } = compileToGoRegexp(p);
  if (type === 'exact') {
    cp.kind = KIND_EXACT;
    cp.literal = p;
    cp.literalSlash = p + '/';
  } else if (type === 'prefix') {
    cp.kind = KIND_PREFIX;
    cp.literal = p.slice(0, -2);
  } else if (type === 'suffix') {
    cp.kind = bomSuffix ? KIND_NEVER : KIND_SUFFIX;
    cp.literal = p.slice(2);
    cp.literalSlash = cp.literal.slice(1);
  } else {
    try {
      const ast = parseGoRegexp(regexp);
      cp.dfa = new LazyDfa(compileProgram(ast));
      const { prefix, suffix } = requiredAffixes(ast);
      cp.literal = prefix;
      cp.literalSlash = suffix;
      cp.kind = KIND_REGEXP;
    } catch (e) {
      if (!(e instanceof GoRegexpError)) throw e;
      cp.error = BAD_PATTERN;
      cp.errorDetail = `Go's regexp compiler rejects ${JSON.stringify(regexp)}: ${e.message}`;
      cp.errorAt = 'match';
    }
  }
  return cp;
}

const REGEXP_ESCAPED = new Set(['.', '+', '(', ')', '|', '{', '}', '$']);

/** Pattern.compile with '/' as separator: the match type and, for regexp matches, Go regexp text. */
function compileToGoRegexp(pattern: string): { type: MatchType; regexp: string; bomSuffix: boolean } {
  const cps = Array.from(pattern);
  let re = '^';
  let type: MatchType = 'exact';
  let k = 0;
  // text/scanner silently drops a BOM at the very start
  const bom = cps[0] === '\ufeff';
  if (bom) k = 1;
  for (let i = 0; k < cps.length; i++) {
    const ch = cps[k++];
    if (ch === '*') {
      if (cps[k] === '*') {
        k++;
        if (cps[k] === '/') k++;
        if (k >= cps.length) {
          if (type === 'exact') type = 'prefix';
          else {
            re += '.*';
            type = 'regexp';
          }
        } else {
          re += '(.*/)?';
          type = 'regexp';
        }
        if (i === 0) type = 'suffix';
      } else {
        re += '[^/]*';
        type = 'regexp';
      }
    } else if (ch === '?') {
      re += '[^/]';
      type = 'regexp';
    } else if (REGEXP_ESCAPED.has(ch)) {
      re += '\\' + ch;
    } else if (ch === '\\') {
      if (k < cps.length) {
        re += '\\' + cps[k++];
        type = 'regexp';
      } else {
        re += '\\';
      }
    } else if (ch === '[' || ch === ']') {
      re += ch;
      type = 'regexp';
    } else {
      re += ch;
    }
  }
  if (type === 'regexp') re += '$';
  return { type, regexp: type === 'regexp' ? re : '', bomSuffix: bom && type === 'suffix' };
}

/** What Docker's compile decides for a (New-cleaned) pattern: its match type, and the regexp text for regexp matches. */
export function dockerCompile(pattern: string): {
  matchType: 'exactMatch' | 'prefixMatch' | 'suffixMatch' | 'regexpMatch';
  regexp: string;
} {
  const { type, regexp } = compileToGoRegexp(pattern);
  return { matchType: `${type}Match`, regexp };
}

// ---------------------------------------------------------------------------
// The part of Go's regexp syntax (Perl flags) reachable from compile's output

class GoRegexpError extends Error {}

type CharTest = (cp: number) => boolean;
type Assertion = 'begin' | 'end' | 'wordBoundary' | 'noWordBoundary';
type ReNode =
  | { t: 'char'; test: CharTest; literal?: undefined }
  | { t: 'char'; test?: undefined; literal: number }
  | { t: 'assert'; a: Assertion }
  | { t: 'cat'; items: ReNode[] }
  | { t: 'rep'; op: '*' | '?' | '+'; sub: ReNode };

const isAsciiWord = (c: number): boolean =>
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
function parseGoRegexp(src: string): ReNode {
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
function requiredAffixes(root: ReNode): { prefix: string; suffix: string } {
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

// ---------------------------------------------------------------------------
// Thompson NFA + lazy DFA

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

function compileProgram(root: ReNode): Program {
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

interface DfaState {
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
class LazyDfa {
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
      if (parents && c === 47 && st.matchAtEnd) return true;
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
      if (st.chars.length === 0) return st.matchAtEnd && (i >= n || (parents && text.charCodeAt(i) === 47));
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
      if (parents && cps[k] === 47 && closure(this.prog, kernel, ctxAt(k, true)).match) return true;
      this.charSteps++;
      const next: number[] = [];
      for (const pc of here.chars) if (charMatches(this.prog, pc, cps[k])) next.push(pc + 1);
      if (next.length === 0) return false;
      kernel = next;
    }
  }
}

// ---------------------------------------------------------------------------
// Matching one pattern

/** Pattern.match: does the pattern match exactly this (cleaned) path? */
function matchesExactly(cp: CompiledPattern, path: string): boolean {
  switch (cp.kind) {
    case KIND_EXACT:
      return path === cp.literal;
    case KIND_PREFIX:
      return path.startsWith(cp.literal);
    case KIND_SUFFIX:
      return path.endsWith(cp.literal) || (cp.literal.charCodeAt(0) === 47 && path === cp.literalSlash);
    case KIND_REGEXP:
      return path.startsWith(cp.literal) && path.endsWith(cp.literalSlash) && cp.dfa!.matches(path, false);
    default:
      return false;
  }
}

/** Does the pattern match the (cleaned) path or one of the parents MatchesOrParentMatches tries? */
function hits(cp: CompiledPattern, path: string): boolean {
  let hit: boolean;
  switch (cp.kind) {
    case KIND_EXACT:
      hit = path === cp.literal || path.startsWith(cp.literalSlash);
      break;
    case KIND_PREFIX:
      // every parent is a prefix of the path, so only the path itself can matter
      return path.startsWith(cp.literal);
    case KIND_SUFFIX:
      hit = suffixHits(cp, path);
      break;
    case KIND_REGEXP:
      hit = cp.dfa!.matches(path, true);
      break;
    default:
      return false;
  }
  // Dir("/x") is "/", which Split turns into the parents "" and "/": the only
  // parent that is not a prefix of the path ending before a '/'.
  if (!hit && path.length > 1 && path.charCodeAt(0) === 47 && path.indexOf('/', 1) < 0) hit = matchesExactly(cp, '/');
  return hit;
}

function suffixHits(cp: CompiledPattern, path: string): boolean {
  // No closures here: this runs for every path and pattern, and tsx/esbuild wrap each closure creation.
  if (suffixAt(cp, path, path.length)) return true;
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) if (suffixAt(cp, path, i)) return true;
  return false;
}

/** Does the suffix pattern match path[0:end]? ('**\/foo' also matches 'foo' itself.) */
function suffixAt(cp: CompiledPattern, path: string, end: number): boolean {
  const suffix = cp.literal;
  return (
    (end >= suffix.length && path.endsWith(suffix, end)) ||
    (end === suffix.length - 1 && suffix.charCodeAt(0) === 47 && path.startsWith(cp.literalSlash))
  );
}

/**
 * What matching one (New-style) pattern against a path costs: characters
 * stepped and automaton states built. For tests that show no pattern can
 * backtrack. Runs both the matcher (incremental, per directory) and the
 * single-pattern pass (patternMatches), so steps are at most twice the path length.
 */
export function patternMatchCost(
  pattern: string,
  path: string,
): { hit: boolean; kind: string; charSteps: number; statesBuilt: number } {
  const matcher = new IgnoreMatcher([pattern]);
  const cp = matcher.compiled[0];
  const hit = matcher.excludes(path);
  if (hits(cp, cleanPath(path)) !== hit) throw new Error('patternMatches and excludes disagree');
  return { hit, kind: KIND_NAMES[cp.kind], charSteps: cp.dfa?.charSteps ?? 0, statesBuilt: cp.dfa?.statesBuilt ?? 0 };
}

const compiledCache = new WeakMap<IgnorePattern, CompiledPattern>();

function compiledFor(p: IgnorePattern): CompiledPattern {
  let cp = compiledCache.get(p);
  if (!cp) {
    cp = newPattern(readAllOutput(p));
    compiledCache.set(p, cp);
  }
  return cp;
}

/**
 * Does this single pattern (ignoring all others, and ignoring its '!') match
 * the path or one of its parents? For per-line hover and dead-line detection.
 */
export function patternMatches(p: IgnorePattern, path: string): boolean {
  const clean = cleanPath(path);
  return clean !== '.' && hits(compiledFor(p), clean);
}

// ---------------------------------------------------------------------------
// The matcher

const GLOB_CHARS = /[*[\]?^\\]/;

/** fsutil's patternWithoutTrailingGlob. */
function withoutTrailingGlob(p: string): string {
  if (p.endsWith('/**')) p = p.slice(0, -3);
  if (p.endsWith('/*')) p = p.slice(0, -2);
  return p;
}

export type WalkEngine = 'buildkit' | 'classic';

const MAX_CACHED_DIRS = 50_000;

/**
 * What the patterns say about one directory D, for matching what lies below it.
 * Only the last pattern that hits decides, so D's decider (the last pattern that
 * matches D or a parent) settles every pattern before it, and a pattern that can
 * match nothing below D (a literal elsewhere, an automaton gone dead) drops out.
 * A path below D is then matched against the few live patterns after the decider.
 */
interface DirInfo {
  /** Index of the last pattern matching D or a parent; -1 if none. */
  decider: number;
  /** Patterns after the decider that may match something below D, in descending order. */
  live: number[];
  /** For live[i] when it is an incremental regexp: its automaton state after D's text. */
  liveStates: (DfaState | undefined)[];
}

interface DirNode {
  info: DirInfo;
  children: Map<string, DirNode> | undefined;
}

/**
 * Does pattern cp match text exactly, given its parent directory text[0:slash]
 * (slash < 0: the context root) and, for regexps, the automaton state there?
 * Returns the state after text through `out` for the children.
 */
function matchesBelow(
  cp: CompiledPattern,
  text: string,
  slash: number,
  parentState: DfaState | undefined,
  out: { state: DfaState | undefined },
): boolean {
  if (cp.kind !== KIND_REGEXP || parentState === undefined) {
    out.state = undefined;
    return matchesExactly(cp, text);
  }
  const st = cp.dfa!.advance(parentState, text, Math.max(slash, 0));
  out.state = st ?? undefined;
  return st === null || st.matchAtEnd;
}

/** Could the pattern match some path below the directory `dir` (which it does not match)? */
function mayMatchBelow(cp: CompiledPattern, dir: string, state: DfaState | undefined): boolean {
  switch (cp.kind) {
    case KIND_EXACT:
      return cp.literal.length > dir.length && cp.literal.charCodeAt(dir.length) === 47 && cp.literal.startsWith(dir);
    case KIND_PREFIX:
      return cp.literal.length <= dir.length
        ? dir.startsWith(cp.literal)
        : cp.literal.charCodeAt(dir.length) === 47 && cp.literal.startsWith(dir);
    case KIND_REGEXP: {
      if (state === undefined) return true;
      const next = cp.dfa!.peek(state, 47);
      return next.chars.length > 0 || next.matchNow;
    }
    case KIND_SUFFIX:
      return true;
    default:
      return false;
  }
}

export class IgnoreMatcher {
  /** The patterns in file order (blank lines skipped), each with its error if any. */
  readonly patterns: readonly IgnorePattern[];
  /** First error that makes Docker refuse the build (New-time or, for regexp patterns, match-time). */
  readonly error?: { pattern: IgnorePattern; message: string };
  /** @internal */
  readonly compiled: CompiledPattern[];
  private readonly exceptions: CompiledPattern[];
  private readonly literalExceptionPrefixes: string[] | undefined;
  /** For include use: every non-exception pattern without its trailing glob, plus '/'; undefined if any has a glob character. */
  private readonly literalIncludePrefixes: string[] | undefined;
  private root: DirNode;
  private cachedDirs = 0;
  private readonly dirMap = new Map<string, DirInfo>();
  private lastDirText: string | undefined = undefined;
  private lastDirInfo: DirInfo | undefined = undefined;
  private readonly scratch: { state: DfaState | undefined } = { state: undefined };

  /** IgnorePattern[] from parseIgnoreFile, or strings handed straight to patternmatcher.New (no ReadAll). */
  constructor(patterns: IgnorePattern[] | string[]) {
    const list: IgnorePattern[] = [];
    const compiled: CompiledPattern[] = [];
    patterns.forEach((entry, index) => {
      let p: IgnorePattern;
      let cp: CompiledPattern;
      if (typeof entry === 'string') {
        if (goTrimSpace(entry) === '') return;
        cp = newPattern(entry);
        p = { line: index, raw: entry, pattern: cp.cleaned, negate: cp.exclusion };
        if (cp.error) setError(p, cp);
        compiledCache.set(p, cp);
      } else {
        p = entry;
        cp = compiledFor(entry);
      }
      list.push(p);
      compiled.push(cp);
    });
    this.patterns = list;
    this.compiled = compiled;
    const rootInfo: DirInfo = { decider: -1, live: [], liveStates: [] };
    for (let k = compiled.length - 1; k >= 0; k--) {
      const cp = compiled[k];
      if (cp.kind === KIND_NEVER) continue;
      rootInfo.live.push(k);
      rootInfo.liveStates.push(cp.kind === KIND_REGEXP && cp.dfa!.incremental ? cp.dfa!.start : undefined);
    }
    this.root = { info: rootInfo, children: undefined };
    const firstError = list.find((p) => p.error);
    if (firstError) this.error = { pattern: firstError, message: firstError.error! };
    // Patterns New rejected do not exist for Docker; match-time failures do (and would be evaluated).
    this.exceptions = compiled.filter((cp) => cp.exclusion && cp.errorAt !== 'new');
    this.literalExceptionPrefixes = this.exceptions.some((cp) => GLOB_CHARS.test(withoutTrailingGlob(cp.cleaned)))
      ? undefined
      : this.exceptions.map((cp) => withoutTrailingGlob(cp.cleaned) + '/');
    const positives = compiled.filter((cp) => !cp.exclusion && cp.errorAt !== 'new');
    this.literalIncludePrefixes = positives.some((cp) => GLOB_CHARS.test(withoutTrailingGlob(cp.cleaned)))
      ? undefined
      : positives.map((cp) => withoutTrailingGlob(cp.cleaned) + '/');
  }

  /** Whether any '!' exception exists (PatternMatcher.Exclusions). */
  get hasExceptions(): boolean {
    return this.exceptions.length > 0;
  }

  /** MatchesOrParentMatches: true = path EXCLUDED. path is relative to the context root, '/'-separated. */
  excludes(path: string): boolean {
    const k = this.decidingIndex(path);
    return k >= 0 && !this.compiled[k].exclusion;
  }

  /** Like excludes, plus the pattern that decided (the last one that matches the path or a parent). */
  explain(path: string): { excluded: boolean; decidedBy?: IgnorePattern } {
    const k = this.decidingIndex(path);
    return k < 0 ? { excluded: false } : { excluded: !this.compiled[k].exclusion, decidedBy: this.patterns[k] };
  }

  /**
   * Index of the last pattern that matches the path or one of its parents, or -1.
   * That pattern decides: Docker's forward loop only skips patterns that could
   * not change the answer, so the last hit wins.
   */
  private decidingIndex(path: string): number {
    const clean = cleanPath(path);
    if (clean === '.') return -1;
    const compiled = this.compiled;
    if (clean.charCodeAt(0) === 47) {
      // not a context path; keep Go's exact parent list (see hits)
      for (let k = compiled.length - 1; k >= 0; k--) if (hits(compiled[k], clean)) return k;
      return -1;
    }
    const slash = clean.lastIndexOf('/');
    const parent = slash < 0 ? this.root.info : this.dirInfo(clean, slash);
    const out = this.scratch;
    for (let i = 0; i < parent.live.length; i++) {
      const k = parent.live[i];
      if (matchesBelow(compiled[k], clean, slash, parent.liveStates[i], out)) return k;
    }
    return parent.decider;
  }

  /** DirInfo of the directory text[0:end]: the last one asked, else a map by directory, else the trie. */
  private dirInfo(text: string, end: number): DirInfo {
    const lastText = this.lastDirText;
    if (lastText !== undefined && lastText.length === end && text.startsWith(lastText)) return this.lastDirInfo!;
    const dir = end === text.length ? text : text.slice(0, end);
    let info = this.dirMap.get(dir);
    if (info === undefined) {
      if (this.cachedDirs >= MAX_CACHED_DIRS) {
        // bounded memory: forget everything
        this.root = { info: this.root.info, children: undefined };
        this.dirMap.clear();
        this.cachedDirs = 0;
      }
      info = this.trieInfo(dir);
      // only the directory asked for goes into the map: adding every parent would hash each prefix (quadratic on deep paths)
      this.dirMap.set(dir, info);
      this.cachedDirs++;
    }
    this.lastDirText = dir;
    this.lastDirInfo = info;
    return info;
  }

  /** DirInfo of dir from the trie of path elements, creating what is missing: linear in dir's length. */
  private trieInfo(dir: string): DirInfo {
    let node = this.root;
    const end = dir.length;
    for (let start = 0; start < end; ) {
      let stop = dir.indexOf('/', start);
      if (stop < 0) stop = end;
      const name = dir.slice(start, stop);
      let child = node.children?.get(name);
      if (child === undefined) {
        child = {
          info: this.childInfo(node.info, stop === end ? dir : dir.slice(0, stop), start - 1),
          children: undefined,
        };
        (node.children ??= new Map()).set(name, child);
        this.cachedDirs++;
      }
      node = child;
      start = stop + 1;
    }
    return node.info;
  }

  /** DirInfo of dir (whose parent, dir[0:slash], has `parent`). */
  private childInfo(parent: DirInfo, dir: string, slash: number): DirInfo {
    const compiled = this.compiled;
    const out = this.scratch;
    const info: DirInfo = { decider: parent.decider, live: [], liveStates: [] };
    for (let i = 0; i < parent.live.length; i++) {
      const k = parent.live[i];
      if (matchesBelow(compiled[k], dir, slash, parent.liveStates[i], out)) {
        info.decider = k; // patterns before k cannot change anything below dir any more
        break;
      }
      if (mayMatchBelow(compiled[k], dir, out.state)) {
        info.live.push(k);
        info.liveStates.push(out.state);
      }
    }
    return info;
  }

  /**
   * True when the directory is excluded and no exception could re-include
   * anything below it, so a walker may skip it. 'buildkit' (default) is
   * fsutil's rule, which is exact: it gives up (false) as soon as any exception
   * has a glob character. 'classic' is the docker CLI's rule (go-archive),
   * which tests only literal prefixes and so skips directories that a wildcard
   * exception such as '!**\/*.py' would re-include (docker/cli#2919).
   */
  canSkipDir(dirPath: string, engine: WalkEngine = 'buildkit'): boolean {
    const clean = cleanPath(dirPath);
    if (!this.excludes(clean)) return false;
    if (this.exceptions.length === 0) return true;
    const dirSlash = clean + '/';
    if (engine === 'classic') return !this.exceptions.some((cp) => (cp.cleaned + '/').startsWith(dirSlash));
    const prefixes = this.literalExceptionPrefixes;
    return prefixes !== undefined && !prefixes.some((p) => p.startsWith(dirSlash));
  }

  /** fsutil's IncludePatterns skip test: can no pattern match anything below this (unmatched) directory? */
  canSkipDirForInclude(dirPath: string): boolean {
    const prefixes = this.literalIncludePrefixes;
    if (prefixes === undefined) return false;
    const dirSlash = cleanPath(dirPath) + '/';
    return !prefixes.some((p) => p.startsWith(dirSlash));
  }
}

// ---------------------------------------------------------------------------
// Walking a context the way Docker does

export interface WalkDirent {
  name: string;
  isDir: boolean;
}

export interface WalkEntry {
  path: string;
  isDir: boolean;
}

export interface WalkOptions {
  /** .dockerignore patterns: drop what matches. */
  exclude?: IgnoreMatcher;
  /** COPY --include style patterns (fsutil IncludePatterns): keep only what matches. BuildKit only. */
  include?: IgnoreMatcher;
  /**
   * 'buildkit' (fsutil FilterFS): excluded directories are still emitted, just
   * before their first kept descendant. 'classic' (docker CLI / go-archive):
   * only kept entries are emitted; their parents are created on extraction.
   */
  engine?: WalkEngine;
}

/**
 * Walks a context (depth first, names in byte order, as Go's WalkDir) and
 * returns the entries Docker would send. readDir('') lists the root; it is
 * never called for a directory the engine skips, which is how unreadable
 * excluded directories stay harmless.
 */
export function walkContext(readDir: (dir: string) => WalkDirent[], opts: WalkOptions = {}): WalkEntry[] {
  const engine = opts.engine ?? 'buildkit';
  const out: WalkEntry[] = [];
  interface Parent {
    path: string;
    emitted: boolean;
  }
  const visit = (dir: string, parents: Parent[]): void => {
    const names = readDir(dir)
      .slice()
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of names) {
      const path = dir === '' ? d.name : dir + '/' + d.name;
      let skip = false;
      if (opts.include && engine === 'buildkit' && !opts.include.excludes(path)) {
        if (d.isDir && opts.include.canSkipDirForInclude(path)) continue;
        skip = true;
      }
      if (opts.exclude?.excludes(path)) {
        if (d.isDir && opts.exclude.canSkipDir(path, engine)) continue;
        skip = true;
      }
      if (!skip) {
        if (engine === 'buildkit') {
          for (const p of parents) {
            if (!p.emitted) {
              out.push({ path: p.path, isDir: true });
              p.emitted = true;
            }
          }
        }
        out.push({ path, isDir: d.isDir });
      }
      if (d.isDir) visit(path, [...parents, { path, emitted: !skip }]);
    }
  };
  visit('', []);
  return out;
}
