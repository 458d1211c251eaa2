// Runs every executable vector of test/fixtures/conformance/dockerignore-cases.json
// (a copy of shared/conformance's, transcribed from moby/patternmatcher, buildkit, fsutil, moby integration
// tests and the Docker docs) through server/src/context/ignore/.
// Only Windows-flavoured material is skipped, and counted.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  IgnoreMatcher,
  dockerCompile,
  parseIgnoreFile,
  patternMatches,
  type WalkEngine,
} from '../../server/src/context/ignore';
import { sharedPath, sharedSkip } from '../helpers/shared';
import { walkContext, type WalkDirent, type WalkEntry } from '../helpers/walkContext';

const casesPath = path.resolve(__dirname, '../fixtures/conformance/dockerignore-cases.json');
const corpusDir = sharedPath('corpus');

interface MatchCase {
  source: string;
  patterns: string[];
  path: string;
  matches: boolean;
  patterns_kind: 'matcher-patterns' | 'dockerignore-file-lines';
  expect_error?: string;
  os_dependent?: string;
}
interface ReadAllCase {
  source: string;
  input_file_text: string | null;
  expected_patterns: string[];
}
interface CompileCase {
  pattern: string;
  match_type: string;
  regexp_slash: string;
  regexp_backslash: string;
}
type TreePatterns = string[] | string[][] | Record<string, string[]>;
interface TreeCase {
  source: string;
  engine: string;
  patterns: TreePatterns;
  tree: string[];
  expected_walk?: string[];
  expected_present?: string[];
  expected_absent?: string[];
  expected_open?: Record<string, 'ok' | 'ENOENT'>;
  expected_error?: boolean;
  expected?: Record<string, { present: string[]; absent: string[] }>;
}
interface RealWorldCase {
  source: string;
  local_file: string;
  expected_patterns_after_ReadAll: string[];
  path_excluded: Record<string, boolean>;
}
interface CasesFile {
  match_cases: MatchCase[];
  readall_cases: ReadAllCase[];
  compile_cases: CompileCase[];
  tree_cases: TreeCase[];
  include_pattern_tree_cases: TreeCase[];
  os_dependent_cases: unknown[];
  real_world_cases: RealWorldCase[];
}

const tally = { passed: 0, failed: 0, skipped: 0 };

/** Runs each case, collects every failure, and fails the test once with all of them listed. */
function runAll<T>(cases: T[], label: (c: T) => string, check: (c: T) => void): void {
  const failures: string[] = [];
  for (const c of cases) {
    try {
      check(c);
      tally.passed++;
    } catch (e) {
      tally.failed++;
      failures.push(`${label(c)}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
  }
  assert.deepEqual(failures, [], `${failures.length} of ${cases.length} failed`);
}

const showEntries = (es: WalkEntry[]): string[] => es.map((e) => `${e.isDir ? 'dir' : 'file'} ${e.path}`);

/** A virtual file tree from the JSON notation: 'foo/' is a directory, parents are implied. */
function treeSource(tree: string[]): { readDir: (dir: string) => WalkDirent[]; unreadable: Set<string> } {
  const children = new Map<string, Map<string, boolean>>([['', new Map()]]);
  const unreadable = new Set<string>();
  const add = (p: string, isDir: boolean): void => {
    const slash = p.lastIndexOf('/');
    const parent = slash < 0 ? '' : p.slice(0, slash);
    if (!children.has(parent)) add(parent, true);
    children.get(parent)!.set(slash < 0 ? p : p.slice(slash + 1), isDir || children.get(parent)!.get(p) === true);
    if (isDir && !children.has(p)) children.set(p, new Map());
  };
  for (let entry of tree) {
    // "directoryWeCantStat/bar (dir mode 0444, owned by root)": a directory whose top folder cannot be read
    const note = / \((dir mode [^)]*)\)$/.exec(entry);
    if (note) {
      entry = entry.slice(0, note.index) + '/';
      unreadable.add(entry.split('/')[0]);
    }
    if (entry.endsWith('/')) add(entry.slice(0, -1), true);
    else add(entry, false);
  }
  const readDir = (dir: string): WalkDirent[] => {
    if ([...unreadable].some((u) => dir === u || dir.startsWith(u + '/')))
      throw new Error(`EACCES: permission denied, scandir '${dir}'`);
    return [...(children.get(dir) ?? new Map<string, boolean>())].map(([name, isDir]) => ({ name, isDir }));
  };
  return { readDir, unreadable };
}

/** fsutil tests hand patterns straight to the matcher; moby/buildkit integration tests write a .dockerignore. */
function matcherFor(source: string, patterns: string[]): IgnoreMatcher {
  return source.startsWith('tonistiigi/fsutil')
    ? new IgnoreMatcher(patterns)
    : new IgnoreMatcher(parseIgnoreFile(patterns.join('\n')).patterns);
}

/** What exists after extraction: every emitted entry and its parents. */
function visible(entries: WalkEntry[]): Set<string> {
  const seen = new Set<string>();
  for (const e of entries) {
    const parts = e.path.split('/');
    for (let k = 1; k <= parts.length; k++) seen.add(parts.slice(0, k).join('/'));
  }
  return seen;
}

function checkPresence(entries: WalkEntry[], present: string[] = [], absent: string[] = []): void {
  const seen = visible(entries);
  for (const p of present) assert.ok(seen.has(p), `expected ${p} in the context, got ${[...seen].join(', ')}`);
  for (const p of absent) assert.ok(!seen.has(p), `expected ${p} left out of the context`);
}

if (!fs.existsSync(casesPath)) {
  test('dockerignore conformance data is present', () => {
    assert.fail(`conformance vectors not found at ${casesPath} (set CACHELENS_SHARED to the shared folder)`);
  });
} else {
  const data = JSON.parse(fs.readFileSync(casesPath, 'utf8')) as CasesFile;

  test('match cases: MatchesOrParentMatches, errors, and explain/patternMatches agree', () => {
    assert.ok(data.match_cases.length > 200);
    runAll(
      data.match_cases,
      (c) => `${JSON.stringify(c.patterns)} ${JSON.stringify(c.path)} (${c.patterns_kind})`,
      (c) => {
        const matcher =
          c.patterns_kind === 'dockerignore-file-lines'
            ? new IgnoreMatcher(parseIgnoreFile(c.patterns.join('\n')).patterns)
            : new IgnoreMatcher(c.patterns);
        assert.equal(matcher.excludes(c.path), c.matches, 'excluded');
        if (c.expect_error) assert.ok(matcher.error, `expected an error (${c.expect_error})`);
        else assert.equal(matcher.error, undefined, 'unexpected error');
        const why = matcher.explain(c.path);
        assert.equal(why.excluded, c.matches, 'explain().excluded');
        // the deciding pattern is the last one that matches the path or a parent on its own
        const lastHit = [...matcher.patterns].reverse().find((p) => patternMatches(p, c.path));
        assert.equal(why.decidedBy, lastHit, 'decidedBy');
        if (c.matches) assert.equal(lastHit?.negate, false, 'an excluded path is decided by a non-exception');
      },
    );
  });

  test('ReadAll cases', () => {
    runAll(
      data.readall_cases,
      (c) => JSON.stringify(c.input_file_text),
      (c) => {
        const parsed = parseIgnoreFile(c.input_file_text ?? '');
        assert.deepEqual(
          parsed.patterns.map((p) => (p.negate ? '!' : '') + p.pattern),
          c.expected_patterns,
        );
      },
    );
  });

  test('compile cases: match type and regexp text (separator /)', () => {
    runAll(
      data.compile_cases,
      (c) => c.pattern,
      (c) => {
        const compiled = dockerCompile(c.pattern);
        assert.equal(compiled.matchType, c.match_type);
        assert.equal(compiled.regexp, c.regexp_slash);
      },
    );
    // the regexp_backslash column is the Windows build of the same table
    tally.skipped += data.compile_cases.filter((c) => c.regexp_backslash !== '').length;
  });

  test('tree walks (.dockerignore as ExcludePatterns, BuildKit and classic builder)', () => {
    runAll(
      data.tree_cases,
      (c) => `${c.source} ${JSON.stringify(c.patterns)}`,
      (c) => {
        const engine: WalkEngine = /classic/i.test(c.engine) ? 'classic' : 'buildkit';
        const src = treeSource(c.tree);
        if (c.expected && !Array.isArray(c.patterns)) {
          // one ignore file per Dockerfile (<Dockerfile>.dockerignore); each build uses only its own
          const byFile = c.patterns;
          for (const [flag, want] of Object.entries(c.expected)) {
            const ignoreFile = flag.replace(/^-f\s+/, '') + '.dockerignore';
            assert.ok(byFile[ignoreFile], `no patterns for ${ignoreFile}`);
            const entries = walkContext(src.readDir, { exclude: matcherFor(c.source, byFile[ignoreFile]), engine });
            checkPresence(entries, want.present, want.absent);
          }
          return;
        }
        const lists = c.patterns as string[] | string[][];
        if (Array.isArray(lists[0])) {
          // stacked filters: each list filters what the previous one let through
          let readDir = src.readDir;
          let entries: WalkEntry[] = [];
          for (const list of lists as string[][]) {
            entries = walkContext(readDir, { exclude: matcherFor(c.source, list), engine });
            const paths = entries.map((e) => (e.isDir ? e.path + '/' : e.path));
            readDir = treeSource(paths).readDir;
          }
          assert.deepEqual(showEntries(entries), c.expected_walk);
          return;
        }
        const matcher = matcherFor(c.source, lists as string[]);
        if (c.expected_error === true) {
          assert.ok(matcher.error, 'expected the patterns to be rejected');
          return;
        }
        assert.equal(matcher.error, undefined);
        const entries = walkContext(src.readDir, { exclude: matcher, engine });
        if (c.expected_walk) assert.deepEqual(showEntries(entries), c.expected_walk);
        checkPresence(entries, c.expected_present, c.expected_absent);
        for (const [p, want] of Object.entries(c.expected_open ?? {})) {
          assert.equal(matcher.excludes(p) ? 'ENOENT' : 'ok', want, `open ${p}`);
        }
        if (src.unreadable.size > 0) {
          for (const dir of src.unreadable) assert.ok(matcher.canSkipDir(dir, engine), `${dir} must be skipped unread`);
        }
      },
    );
  });

  test('include-pattern walks (fsutil IncludePatterns)', () => {
    runAll(
      data.include_pattern_tree_cases,
      (c) => `${JSON.stringify(c.patterns)} ${c.source}`,
      (c) => {
        const include = new IgnoreMatcher(c.patterns as string[]);
        assert.equal(include.error, undefined);
        const entries = walkContext(treeSource(c.tree).readDir, { include, engine: 'buildkit' });
        if (c.expected_walk) assert.deepEqual(showEntries(entries), c.expected_walk);
        // Open: an include matcher keeps what it matches (MatchesOrParentMatches)
        for (const [p, want] of Object.entries(c.expected_open ?? {})) {
          assert.equal(include.excludes(p) ? 'ok' : 'ENOENT', want, `open ${p}`);
        }
      },
    );
  });

  test('real-world ignore files from the corpus', {
    skip: sharedSkip('corpus'),
  }, () => {
    runAll(
      data.real_world_cases,
      (c) => c.local_file,
      (c) => {
        const file = path.join(corpusDir, c.local_file);
        assert.ok(fs.existsSync(file), `missing corpus file ${file}`);
        const parsed = parseIgnoreFile(fs.readFileSync(file, 'utf8'));
        assert.deepEqual(
          parsed.patterns.map((p) => (p.negate ? '!' : '') + p.pattern),
          c.expected_patterns_after_ReadAll,
        );
        const matcher = new IgnoreMatcher(parsed.patterns);
        for (const [p, want] of Object.entries(c.path_excluded)) assert.equal(matcher.excludes(p), want, p);
      },
    );
  });

  test('os-specific notes are counted, not run', () => {
    // descriptions of Windows behaviour (backslash as separator); this matcher implements the Unix semantics
    assert.ok(data.os_dependent_cases.length > 0);
    tally.skipped += data.os_dependent_cases.length;
  });

  after(() => {
    console.log(
      `dockerignore conformance: ${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped (os-specific)`,
    );
  });
}
