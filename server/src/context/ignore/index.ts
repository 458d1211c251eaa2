// Docker's `.dockerignore` semantics, reproduced exactly (Unix flavour):
//
//   ignorefile.ReadAll   -> parseIgnoreFile   (comments, trimming, Clean, leading '/')
//   patternmatcher.New   -> newPattern        (Clean again, '!' split, filepath.Match syntax check)
//   Pattern.compile      -> dockerCompile     (glob -> Go regexp text, exact/prefix/suffix/regexp)
//   MatchesOrParentMatches -> IgnoreMatcher.excludes
//   fsutil / go-archive walks -> test/helpers/walkContext.ts (tests only)
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
//
// Files: reader.ts (ReadAll), pattern.ts (New, compile, one pattern's match),
// goFilepath.ts (the Go standard library bits), goRegexp.ts (the regexp
// parser), automaton.ts (NFA + lazy DFA), matcher.ts (IgnoreMatcher).

export { dockerCompile, patternMatches } from './pattern';
export { goClean, goTrimSpace, isCleanPath } from './goFilepath';
export { IgnoreMatcher, patternMatchCost, type WalkEngine } from './matcher';
export { ignoreLinePattern, parseIgnoreFile } from './reader';
export type { IgnorePattern, ParsedIgnoreFile } from './types';
