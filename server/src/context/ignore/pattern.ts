// patternmatcher.New and Pattern.compile for one pattern, and matching one pattern against a path.

import * as charCodes from '../charCodes';
import { compileProgram, LazyDfa } from './automaton';
import * as goFilepath from './goFilepath';
import { GoRegexpError, parseGoRegexp, requiredAffixes } from './goRegexp';
import type { IgnorePattern } from './types';

// Module-local copies of imported bindings used on hot paths: run from source (tsx),
// each file is CommonJS, where every read of an imported binding is a getter call.
const { BANG, SLASH } = charCodes;
const { cleanPath, filepathMatchSyntaxOk, goClean, goTrimSpace } = goFilepath;

const BAD_PATTERN = 'syntax error in pattern';

// ---------------------------------------------------------------------------
// New + compile

type MatchType = 'exact' | 'prefix' | 'suffix' | 'regexp';

// Numeric kinds and a class with every field set in the constructor keep the
// hot matching functions monomorphic.
export const KIND_NEVER = 0;
export const KIND_EXACT = 1;
export const KIND_PREFIX = 2;
export const KIND_SUFFIX = 3;
export const KIND_REGEXP = 4;
export const KIND_NAMES = ['never', 'exact', 'prefix', 'suffix', 'regexp'] as const;

export class CompiledPattern {
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
export function newPattern(input: string): CompiledPattern {
  const trimmed = goTrimSpace(input);
  if (trimmed === '') return new CompiledPattern('', false);
  let p = goClean(trimmed);
  let exclusion = false;
  if (p.charCodeAt(0) === BANG) {
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
// Matching one pattern

/** Pattern.match: does the pattern match exactly this (cleaned) path? */
export function matchesExactly(cp: CompiledPattern, path: string): boolean {
  switch (cp.kind) {
    case KIND_EXACT:
      return path === cp.literal;
    case KIND_PREFIX:
      return path.startsWith(cp.literal);
    case KIND_SUFFIX:
      return path.endsWith(cp.literal) || (cp.literal.charCodeAt(0) === SLASH && path === cp.literalSlash);
    case KIND_REGEXP:
      return path.startsWith(cp.literal) && path.endsWith(cp.literalSlash) && cp.dfa!.matches(path, false);
    default:
      return false;
  }
}

/** Does the pattern match the (cleaned) path or one of the parents MatchesOrParentMatches tries? */
export function hits(cp: CompiledPattern, path: string): boolean {
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
  if (!hit && path.length > 1 && path.charCodeAt(0) === SLASH && path.indexOf('/', 1) < 0)
    hit = matchesExactly(cp, '/');
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
    (end === suffix.length - 1 && suffix.charCodeAt(0) === SLASH && path.startsWith(cp.literalSlash))
  );
}

export const compiledCache = new WeakMap<IgnorePattern, CompiledPattern>();

export function compiledFor(p: IgnorePattern): CompiledPattern {
  let cp = compiledCache.get(p);
  if (!cp) {
    cp = sharedPattern(readAllOutput(p));
    compiledCache.set(p, cp);
  }
  return cp;
}

// Ignore files share most of their lines (`node_modules`, `.git`, `*.pyc`), and
// each new ignore text (every first open of a Dockerfile with its own one) used
// to parse each line's regexp again and rebuild its automaton from nothing. New's
// result depends only on its input string, and the automaton's lazily built
// states are a cache of the same answers, so one compiled pattern serves every
// line with that text. Bounded: the least recently used input goes first.
const MAX_SHARED_PATTERNS = 512;
const sharedPatterns = new Map<string, CompiledPattern>();

/** newPattern(input), the same object for the same input while it is among the recently used ones. */
export function sharedPattern(input: string): CompiledPattern {
  let cp = sharedPatterns.get(input);
  if (cp === undefined) {
    cp = newPattern(input);
    if (sharedPatterns.size >= MAX_SHARED_PATTERNS) sharedPatterns.delete(sharedPatterns.keys().next().value!);
  } else sharedPatterns.delete(input);
  sharedPatterns.set(input, cp);
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

/** The string ReadAll hands to patternmatcher.New for this pattern. */
export function readAllOutput(p: IgnorePattern): string {
  return p.negate ? '!' + p.pattern : p.pattern;
}

export function setError(p: IgnorePattern, c: CompiledPattern): void {
  p.error = c.error;
  p.errorAt = c.errorAt;
  if (c.errorDetail) p.errorDetail = c.errorDetail;
}
