import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  IgnoreMatcher,
  goClean,
  isCleanPath,
  parseIgnoreFile,
  patternMatchCost,
  patternMatches,
} from '../../server/src/context/ignore';
import { walkContext, type WalkDirent } from '../helpers/walkContext';

const NEWLINES = ['\n', '\r\n'];
const lines = (...ls: string[]) => NEWLINES.map((nl) => ({ nl, text: ls.join(nl) }));
const matcher = (text: string) => new IgnoreMatcher(parseIgnoreFile(text).patterns);

test('parseIgnoreFile keeps 0-based line numbers and the raw line, for LF and CRLF', () => {
  for (const { nl, text } of lines(
    '\ufeff# comment',
    '',
    'node_modules/',
    '  # not a comment',
    '!  ./docs/../README.md ',
    '/dist',
    '   ',
  )) {
    const { patterns } = parseIgnoreFile(text);
    assert.deepEqual(
      patterns.map((p) => [p.line, p.raw, p.pattern, p.negate]),
      [
        [2, 'node_modules/', 'node_modules', false],
        [3, '  # not a comment', '# not a comment', false],
        [4, '!  ./docs/../README.md ', 'README.md', true],
        [5, '/dist', 'dist', false],
      ],
      JSON.stringify(nl),
    );
  }
});

test('a BOM is stripped from the first line only', () => {
  const { patterns } = parseIgnoreFile('\ufefffoo\n\ufeffbar');
  assert.deepEqual(
    patterns.map((p) => p.pattern),
    ['foo', '\ufeffbar'],
  );
});

test('errors: New-time errors and regexp errors are reported on their line and never match', () => {
  const parsed = parseIgnoreFile(['*.log', '!', 'a[', '[Local-Only]', '!/', 'ok'].join('\n'));
  const byLine = new Map(parsed.patterns.map((p) => [p.line, p]));
  assert.equal(byLine.get(0)!.error, undefined);
  assert.equal(byLine.get(1)!.error, 'illegal exclusion pattern: "!"');
  assert.equal(byLine.get(1)!.errorAt, 'new');
  assert.equal(byLine.get(2)!.error, 'syntax error in pattern');
  assert.equal(byLine.get(2)!.errorAt, 'new');
  assert.equal(byLine.get(3)!.error, 'syntax error in pattern');
  assert.equal(byLine.get(3)!.errorAt, 'match');
  assert.match(byLine.get(3)!.errorDetail!, /l-O/);
  // ReadAll keeps "!/" as '!' + '/', and New's Clean turns it into a bare "!"
  assert.equal(byLine.get(4)!.error, 'illegal exclusion pattern: "!"');
  assert.equal(byLine.get(5)!.error, undefined);

  const m = new IgnoreMatcher(parsed.patterns);
  assert.equal(m.error?.pattern.line, 1, 'the first error is the one Docker stops at');
  assert.equal(m.excludes('x.log'), true);
  assert.equal(m.excludes('ok'), true);
  assert.equal(m.excludes('a['), false);
  assert.equal(m.excludes('Local-Only'), false);
});

test('string[] input goes straight to patternmatcher.New: no comment handling, no leading-slash removal', () => {
  const m = new IgnoreMatcher(['# x', '/abs', '  ', 'foo/']);
  assert.deepEqual(
    m.patterns.map((p) => [p.line, p.pattern]),
    [
      [0, '# x'],
      [1, '/abs'],
      [3, 'foo'],
    ],
  );
  assert.equal(m.excludes('# x'), true);
  assert.equal(m.excludes('abs'), false);
  assert.equal(m.excludes('foo/bar'), true);
});

test('explain names the last pattern that matches the path or a parent', () => {
  for (const { text } of lines('*.md', '!README*.md', 'README-secret.md', 'docs', '!docs/keep')) {
    const m = matcher(text);
    const decided = (p: string) => {
      const r = m.explain(p);
      return [r.excluded, r.decidedBy?.line];
    };
    assert.deepEqual(decided('README-secret.md'), [true, 2]);
    assert.deepEqual(decided('README.md'), [false, 1]);
    assert.deepEqual(decided('CHANGES.md'), [true, 0]);
    assert.deepEqual(decided('src/a.md'), [false, undefined]);
    assert.deepEqual(decided('docs/x/y.txt'), [true, 3]);
    assert.deepEqual(decided('docs/keep/y.txt'), [false, 4]);
  }
});

test('paths are cleaned; the context root is never excluded', () => {
  const m = new IgnoreMatcher(['**']);
  assert.equal(m.excludes('.'), false);
  assert.equal(m.excludes(''), false);
  assert.equal(m.excludes('./'), false);
  const foo = new IgnoreMatcher(['foo']);
  assert.equal(foo.excludes('./foo'), true);
  assert.equal(foo.excludes('foo/'), true);
  assert.equal(foo.excludes('x/../foo/bar'), true);
  assert.equal(foo.excludes('foobar'), false);
});

test('patternMatches: one line on its own, parents included, the "!" ignored', () => {
  const [nm, deep, neg] = parseIgnoreFile('node_modules\n**/node_modules\n!node_modules/keep').patterns;
  assert.equal(patternMatches(nm, 'node_modules/react/index.js'), true);
  assert.equal(patternMatches(nm, 'packages/app/node_modules/react/index.js'), false);
  assert.equal(patternMatches(deep, 'packages/app/node_modules/react/index.js'), true);
  assert.equal(patternMatches(neg, 'node_modules/keep/a'), true);
  assert.equal(patternMatches(neg, 'node_modules/other'), false);
});

test("Go regexp syntax that reaches Docker's compiled regexp is honoured", () => {
  const ex = (pattern: string, path: string) => new IgnoreMatcher([pattern]).excludes(path);
  // a '\' escape is copied into the regexp, so Perl classes and POSIX classes work
  assert.equal(ex('x\\d', 'x5'), true);
  assert.equal(ex('x\\d', 'xd'), false);
  assert.equal(ex('[[:digit:]]', '7'), true);
  assert.equal(ex('[[:digit:]]', 'd'), false);
  // '*' inside [...] becomes '[^/]*' inside the class: "[*]" is "[[^/]*]"
  assert.equal(ex('[*]', '*'), false);
  assert.equal(ex('[*]', ']'), true);
  // '?' matches one character, even outside the BMP
  assert.equal(ex('a?b', 'a\u{1F600}b'), true);
  assert.equal(ex('a??b', 'a\u{1F600}b'), false);
  // an escaped non-ASCII letter is an invalid escape for Go's regexp: error at match time
  const bad = new IgnoreMatcher(['x\\é*']);
  assert.equal(bad.patterns[0].errorAt, 'match');
  assert.equal(bad.excludes('xé'), false);
});

test('pathological patterns: one pass over the path, a bounded number of automaton states', () => {
  const slashes = (n: number) => 'x/'.repeat(n);
  const cases: { pattern: string; path: (n: number) => string; hit: boolean }[] = [
    { pattern: '**/**/**/**/**/a', path: (n) => slashes(n) + 'b', hit: false },
    { pattern: '**/**/**/**/**/a', path: (n) => slashes(n) + 'a', hit: true },
    { pattern: 'a*b*c*d*e*/f', path: (n) => 'ab'.repeat(n) + '/f', hit: false },
    { pattern: 'a*b*c*d*e*/f', path: (n) => 'abcde' + 'x'.repeat(n) + '/f', hit: true },
    { pattern: '**/a/**/a/**/a/**/b', path: (n) => 'a/'.repeat(n) + 'c', hit: false },
    { pattern: '**/a*a*a*a*a*/**/b?', path: (n) => 'a'.repeat(n) + '/x/' + 'a'.repeat(n) + '/c', hit: false },
  ];
  for (const c of cases) {
    const small = patternMatchCost(c.pattern, c.path(2000));
    const large = patternMatchCost(c.pattern, c.path(4000));
    assert.equal(small.kind, 'regexp', c.pattern);
    assert.equal(small.hit, c.hit, `${c.pattern} (2000)`);
    assert.equal(large.hit, c.hit, `${c.pattern} (4000)`);
    // each character is read at most once by the matcher and once by patternMatches, parents included
    // (a backtracking matcher re-reads it many times; re-matching every parent would be quadratic)
    assert.ok(large.charSteps <= 2 * c.path(4000).length, `${c.pattern}: ${large.charSteps} steps`);
    // doubling the path does not add states: the automaton is finite and built once per state
    assert.equal(
      large.statesBuilt,
      small.statesBuilt,
      `${c.pattern}: states ${small.statesBuilt} -> ${large.statesBuilt}`,
    );
    assert.ok(large.statesBuilt < 64);
  }
});

test('canSkipDir (BuildKit rule) skips only when no exception could reach inside', () => {
  const m = (...ps: string[]) => matcher(ps.join('\n'));
  assert.equal(m('node_modules').canSkipDir('node_modules'), true);
  assert.equal(m('node_modules').canSkipDir('src'), false, 'not excluded');
  assert.equal(m('node_modules', '!node_modules/keep').canSkipDir('node_modules'), false);
  assert.equal(m('node_modules', '!other/keep').canSkipDir('node_modules'), true);
  assert.equal(
    m('**/node_modules', '!**/*.md').canSkipDir('a/node_modules'),
    false,
    'glob exception: BuildKit descends',
  );
  assert.equal(m('foo/**', '!foo/x/**').canSkipDir('foo/y'), true);
  assert.equal(m('foo/**', '!foo/x/**').canSkipDir('foo'), false, 'foo/** does not exclude foo itself');
});

test('canSkipDir classic rule: a wildcard exception does not rescue files in an excluded directory', () => {
  const m = matcher('vendor\n!**/*.py');
  assert.equal(m.canSkipDir('vendor', 'classic'), true);
  assert.equal(m.canSkipDir('vendor', 'buildkit'), false);
  const tree: Record<string, WalkDirent[]> = {
    '': [
      { name: 'vendor', isDir: true },
      { name: 'main.py', isDir: false },
    ],
    vendor: [{ name: 'lib.py', isDir: false }],
  };
  const reads: string[] = [];
  const readDir = (d: string) => {
    reads.push(d);
    return tree[d] ?? [];
  };
  const show = (es: { path: string }[]) => es.map((e) => e.path);
  assert.deepEqual(show(walkContext(readDir, { exclude: m, engine: 'buildkit' })), [
    'main.py',
    'vendor',
    'vendor/lib.py',
  ]);
  reads.length = 0;
  assert.deepEqual(show(walkContext(readDir, { exclude: m, engine: 'classic' })), ['main.py']);
  assert.deepEqual(reads, [''], 'classic never reads vendor/');
});

// mulberry32: a small deterministic PRNG so the property tests are reproducible.
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('property: canSkipDir is sound -- nothing below a skippable directory is included', () => {
  const rand = rng(42);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const names = ['a', 'b', 'ab', 'node_modules', 'x.md'];
  const pieces = ['a', 'b', 'node_modules', '*', '**', 'a*', '*.md', 'x.md', '?b'];
  const paths: string[] = [];
  const grow = (prefix: string, depth: number) => {
    for (const n of names) {
      const p = prefix ? prefix + '/' + n : n;
      paths.push(p);
      if (depth < 3 && n !== 'x.md') grow(p, depth + 1);
    }
  };
  grow('', 0);
  let skippable = 0;
  for (let round = 0; round < 120; round++) {
    const pats: string[] = [];
    const count = 1 + Math.floor(rand() * 4);
    for (let k = 0; k < count; k++) {
      const depth = 1 + Math.floor(rand() * 3);
      const body = Array.from({ length: depth }, () => pick(pieces)).join('/');
      pats.push((rand() < 0.35 ? '!' : '') + body);
    }
    const m = new IgnoreMatcher(pats);
    for (const dir of paths) {
      if (!m.canSkipDir(dir)) continue;
      skippable++;
      for (const p of paths) {
        if (p.startsWith(dir + '/'))
          assert.equal(m.excludes(p), true, `${JSON.stringify(pats)}: ${dir} skipped but ${p} is included`);
      }
    }
  }
  assert.ok(skippable > 40, `the generator should produce skippable directories (got ${skippable})`);
});

test('walkContext (BuildKit) emits an excluded parent just before its first re-included child, and never reads skipped dirs', () => {
  const tree: Record<string, WalkDirent[]> = {
    '': [
      { name: 'node_modules', isDir: true },
      { name: 'src', isDir: true },
      { name: 'build', isDir: true },
    ],
    node_modules: [{ name: 'x', isDir: true }],
    'node_modules/x': [{ name: 'index.js', isDir: false }],
    src: [{ name: 'a.ts', isDir: false }],
    build: [
      { name: 'keep.txt', isDir: false },
      { name: 'junk', isDir: false },
    ],
  };
  const reads: string[] = [];
  const readDir = (d: string) => {
    reads.push(d);
    return tree[d] ?? [];
  };
  const m = matcher('node_modules\nbuild\n!build/keep.txt');
  const entries = walkContext(readDir, { exclude: m });
  assert.deepEqual(
    entries.map((e) => `${e.isDir ? 'dir' : 'file'} ${e.path}`),
    ['dir build', 'file build/keep.txt', 'dir src', 'file src/a.ts'],
  );
  assert.ok(!reads.includes('node_modules'), 'node_modules was skipped without reading it');
});

test('isCleanPath never claims a path is clean when filepath.Clean would change it', () => {
  let checked = 0;
  const gen = (s: string, depth: number): void => {
    if (s) {
      checked++;
      if (isCleanPath(s)) assert.equal(goClean(s), s, JSON.stringify(s));
    }
    if (depth > 0) for (const c of ['a', '.', '/']) gen(s + c, depth - 1);
  };
  gen('', 7);
  assert.ok(checked > 3000);
  assert.equal(isCleanPath('src/.git/x.ts'), true);
  assert.equal(goClean('a//b/./c/../d/'), 'a/b/d');
});

test('property: the cached per-directory matcher agrees with matching every pattern on its own', () => {
  const rand = rng(2024);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const names = ['a', 'b', 'ab', 'node_modules', 'x.md', '.git', 'a.log'];
  const pieces = [
    'a',
    'b',
    'ab',
    'node_modules',
    '*',
    '**',
    'a*',
    '*.md',
    'x.md',
    '?b',
    '.git',
    '*.log',
    '[ab]',
    'a\\b',
    '[!a]',
  ];
  for (let round = 0; round < 200; round++) {
    const pats: string[] = [];
    const count = 1 + Math.floor(rand() * 6);
    for (let k = 0; k < count; k++) {
      const depth = 1 + Math.floor(rand() * 3);
      pats.push((rand() < 0.3 ? '!' : '') + Array.from({ length: depth }, () => pick(pieces)).join('/'));
    }
    const m = new IgnoreMatcher(pats);
    for (let q = 0; q < 60; q++) {
      const depth = 1 + Math.floor(rand() * 5);
      const p = Array.from({ length: depth }, () => pick(names)).join('/');
      const want = [...m.patterns].reverse().find((pat) => patternMatches(pat, p));
      const got = m.explain(p);
      assert.equal(got.decidedBy, want, `${JSON.stringify(pats)} ${p}`);
      assert.equal(got.excluded, want !== undefined && !want.negate, `${JSON.stringify(pats)} ${p}`);
    }
  }
});

test('the directory cache stays bounded and answers stay right after it is reset', () => {
  const m = new IgnoreMatcher(['d*/**/*.log', '!d1*/**/keep.log', '**/node_modules']);
  for (let i = 0; i < 20_000; i++) {
    const dir = `d${i}/sub`;
    assert.equal(m.excludes(`${dir}/a.log`), true, dir);
    assert.equal(m.excludes(`${dir}/keep.log`), !String(i).startsWith('1'), dir);
    if (i % 1000 === 0) assert.equal(m.excludes(`${dir}/node_modules/x/a.ts`), true);
  }
  assert.equal(m.excludes('d7/sub/a.txt'), false);
});

test('a pattern whose automaton outgrows the state cache still answers right', () => {
  // '*a' + 13 x '?' needs 2^13 DFA states to remember where the last 14 'a's were: more than the cache holds
  const pattern = '*a' + '?'.repeat(13);
  const reference = /^[^/]*a[^/]{13}$/;
  const m = new IgnoreMatcher([pattern]);
  const rand = rng(99);
  for (let k = 0; k < 3000; k++) {
    const name = Array.from({ length: 14 + Math.floor(rand() * 30) }, () => (rand() < 0.5 ? 'a' : 'b')).join('');
    assert.equal(m.excludes(name), reference.test(name), name);
  }
  assert.ok(m.compiled[0].dfa!.statesBuilt > 4096, `states built: ${m.compiled[0].dfa!.statesBuilt}`);
});

test('ignore files that share a line share its compiled pattern; each line still means what it says', () => {
  const one = matcher('*.log\nbuild');
  const two = matcher('build\n*\n!*.log\n[z-a]');
  const three = matcher('!build\n[z-a]');
  assert.equal(one.compiled[1], two.compiled[0]);
  assert.notEqual(one.compiled[0], two.compiled[2]);
  assert.equal(one.excludes('x.log'), true);
  assert.equal(two.excludes('x.log'), false);
  assert.equal(two.excludes('build/a'), true);
  assert.equal(three.excludes('build/a'), false);
  assert.equal(three.hasExceptions, true);
  assert.equal(one.hasExceptions, false);
  // a line's error is its own again in every file that has it
  assert.equal(two.patterns[3].error, three.patterns[1].error);
  assert.ok(three.patterns[1].error);
});

test('a line of 64 KiB or more makes ReadAll fail the whole file, as bufio.Scanner does', () => {
  const ok = 'a'.repeat(64 * 1024 - 1);
  assert.equal(parseIgnoreFile(`x\n${ok}\ny`).error, undefined);
  assert.equal(parseIgnoreFile(`x\n${ok}`).error, undefined);
  const long = parseIgnoreFile(`x\n${'a'.repeat(64 * 1024)}\ny`);
  assert.deepEqual(long.error, { line: 1, message: 'bufio.Scanner: token too long' });
  // bytes, not characters: 21,846 x 'é' is 43,692 bytes, 21,846 x '€' is 65,538
  assert.equal(parseIgnoreFile('é'.repeat(21_846)).error, undefined);
  assert.ok(parseIgnoreFile('€'.repeat(21_846)).error);
});

test('long patterns: errors are reported without blowing the stack, POSIX-class lookups do not rescan', () => {
  // '[:' ... ':]' spanning 60k characters: an unknown class name, reported with its text
  const named = new IgnoreMatcher(['[' + '[:'.repeat(30_000) + ']*']);
  assert.equal(named.patterns[0].errorAt, 'match');
  // no ':]' anywhere: every '[:' is a literal '[' (Go searches the rest of the text each time)
  const literal = new IgnoreMatcher(['[' + '[:'.repeat(30_000) + 'x]*']);
  assert.equal(literal.patterns[0].error, undefined);
  assert.equal(literal.excludes(':yz'), true);
  assert.equal(literal.excludes('yz'), false);
});
