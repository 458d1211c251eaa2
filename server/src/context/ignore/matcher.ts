// The matcher: Docker's MatchesOrParentMatches over a whole ignore file, with
// each directory's verdict and automaton states kept in a trie.

import * as charCodes from '../charCodes';
import type { DfaState } from './automaton';
import * as goFilepath from './goFilepath';
import * as pattern from './pattern';
import type { CompiledPattern } from './pattern';
import type { IgnorePattern } from './types';

// Module-local copies of imported bindings used on hot paths: run from source (tsx),
// each file is CommonJS, where every read of an imported binding is a getter call.
const { SLASH } = charCodes;
const { cleanPath, goTrimSpace } = goFilepath;
const {
  compiledCache,
  compiledFor,
  hits,
  KIND_EXACT,
  KIND_NAMES,
  KIND_NEVER,
  KIND_PREFIX,
  KIND_REGEXP,
  KIND_SUFFIX,
  matchesExactly,
  newPattern,
  setError,
} = pattern;

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

/**
 * matchesBelow for a path whose state nobody needs (the path being decided, not
 * a directory of the trie): a regexp first checks the literal text every match
 * starts and ends with, as matchesExactly does, before stepping its automaton.
 */
function matchesLeaf(cp: CompiledPattern, text: string, slash: number, parentState: DfaState | undefined): boolean {
  if (cp.kind !== KIND_REGEXP || parentState === undefined) return matchesExactly(cp, text);
  if (!text.endsWith(cp.literalSlash) || !text.startsWith(cp.literal)) return false;
  const st = cp.dfa!.advance(parentState, text, Math.max(slash, 0));
  return st === null || st.matchAtEnd;
}

/** Could the pattern match some path below the directory `dir` (which it does not match)? */
function mayMatchBelow(cp: CompiledPattern, dir: string, state: DfaState | undefined): boolean {
  switch (cp.kind) {
    case KIND_EXACT:
      return (
        cp.literal.length > dir.length && cp.literal.charCodeAt(dir.length) === SLASH && cp.literal.startsWith(dir)
      );
    case KIND_PREFIX:
      return cp.literal.length <= dir.length
        ? dir.startsWith(cp.literal)
        : cp.literal.charCodeAt(dir.length) === SLASH && cp.literal.startsWith(dir);
    case KIND_REGEXP: {
      if (state === undefined) return true;
      const next = cp.dfa!.peek(state, SLASH);
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
    if (clean.charCodeAt(0) === SLASH) {
      // not a context path; keep Go's exact parent list (see hits)
      for (let k = compiled.length - 1; k >= 0; k--) if (hits(compiled[k], clean)) return k;
      return -1;
    }
    const slash = clean.lastIndexOf('/');
    const parent = slash < 0 ? this.root.info : this.dirInfo(clean, slash);
    for (let i = 0; i < parent.live.length; i++) {
      const k = parent.live[i];
      if (matchesLeaf(compiled[k], clean, slash, parent.liveStates[i])) return k;
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
