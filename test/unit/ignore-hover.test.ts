import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoverIgnorePattern } from '../../server/src/engine/ignoreHover';
import { memoryContext } from '../helpers/context';

const ignore = '.git\nnode_modules\n# comment\n*.md\n!README.md\n  # not a comment\nfoo[\n/dist/\n';
const files = {
  '.dockerignore': ignore,
  '.git/HEAD': 'ref: refs/heads/main',
  '.git/config': '[core]',
  'node_modules/a/index.js': 'x',
  'packages/web/node_modules/b/index.js': 'xx',
  'packages/web/node_modules/c/index.js': 'xx',
  'packages/api/node_modules/d/index.js': 'xx',
  'README.md': '# hi',
  'CHANGES.md': 'c',
  'docs/guide.md': 'g',
  'dist/main.js': 'x',
  'src/index.js': '',
};
const ctx = memoryContext('/ws', files);
const hover = (line: number, dockerfiles = ['/ws/Dockerfile', '/ws/api/Dockerfile']) =>
  hoverIgnorePattern('/ws/.dockerignore', ignore, line, [ctx], dockerfiles);

test('what a pattern excludes: count, bytes, example paths, the Dockerfiles it serves', () => {
  const h = hover(0)!;
  assert.match(h, /^\*\*`\.git`\*\* — excludes what it matches and everything below a matched folder\./);
  assert.match(h, /Excludes \*\*2 files\*\*, 26 B in this context: `\.git` \(2\)\./);
  assert.match(h, /Serves `Dockerfile`, `api\/Dockerfile`\.$/);
});

test('what a root-anchored name misses, with the fix', () => {
  const h = hover(1)!;
  assert.match(h, /Excludes \*\*1 file\*\*, 1 B in this context: `node_modules`\./);
  assert.match(
    h,
    /Does not match `packages\/web\/node_modules` \(2 files\), `packages\/api\/node_modules` \(1 file\) — patterns are anchored at the context root; use `\*\*\/node_modules`\./,
  );
});

test('a later exception takes part of the matches back; the exception shows what it brings back', () => {
  const h = hover(3)!;
  assert.match(h, /Excludes \*\*1 file\*\*, 1 B in this context: `CHANGES\.md`\./);
  assert.match(
    h,
    /Does not match `docs\/guide\.md` \(1 file\) — patterns are anchored at the context root; to exclude them too, use `\*\*\/\*\.md`\./,
  );
  assert.match(h, /1 more it matches is decided by a later line \(line 5 `!README\.md`\)/);
  const ex = hover(4)!;
  assert.match(ex, /^\*\*`!README\.md`\*\* — an exception/);
  assert.match(ex, /Brings back \*\*1 file\*\*, 4 B in this context: `README\.md`\./);
});

test('comment lines have no hover; an indented # is a pattern and says how Docker reads it', () => {
  assert.equal(hover(2), undefined);
  assert.equal(hover(99), undefined);
  const h = hover(5)!;
  assert.match(h, /^\*\*`# not a comment`\*\*/);
  assert.match(h, /Matches nothing in this context \(12 files\)\./);
});

test("an invalid pattern reports Docker's error; a cleaned one shows how Docker reads it", () => {
  assert.match(hover(6)!, /\*\*Invalid pattern:\*\* Docker refuses the whole build \("syntax error in pattern"\)/);
  assert.match(hover(7)!, /^\*\*`\/dist\/`\*\* — excludes [^\n]*\. Docker reads it as `dist`\./);
});

test('several contexts each get their own lines; no Dockerfile and no context say so', () => {
  const other = memoryContext('/ws/sub', { '.dockerignore': ignore, 'README.md': 'a', 'x.md': 'b' });
  const h = hoverIgnorePattern('/ws/.dockerignore', ignore, 3, [ctx, other], [])!;
  assert.match(h, /\*\*In context `\.\/`:\*\* Excludes \*\*1 file\*\*/);
  assert.match(h, /\*\*In context `sub`:\*\* Excludes \*\*1 file\*\*, 1 B in this context: `x\.md`/);
  assert.match(h, /No Dockerfile found that uses this file\.$/);
  assert.match(
    hoverIgnorePattern('/ws/.dockerignore', ignore, 0, [], [])!,
    /No build context using this file is known yet/,
  );
});

test('a truncated listing is flagged', () => {
  const truncated = { ...ctx, truncated: 'stopped after 10 entries' };
  assert.match(
    hoverIgnorePattern('/ws/.dockerignore', ignore, 0, [truncated], [])!,
    /_The context listing is incomplete \(stopped after 10 entries\); counts are lower bounds\._/,
  );
});

test("bounded time on a 10,000-line ignore file: the context's parsed file and matcher are reused", () => {
  const big = Array.from({ length: 10_000 }, (_, i) => (i % 100 === 1 ? `**/**/**/**/**/a${i}` : `dir${i}/*`)).join(
    '\n',
  );
  const many: Record<string, string> = { '.dockerignore': big };
  for (let i = 0; i < 20; i++) many[`d${i % 50}/sub/${'x'.repeat(i % 40)}/a9901`] = 'x';
  const c = memoryContext('/ws', many);
  const start = Date.now();
  const h = hoverIgnorePattern('/ws/.dockerignore', big, 9_901, [c], [])!;
  const ms = Date.now() - start;
  assert.match(h, /Excludes \*\*20 files\*\*, 20 B/);
  assert.ok(ms < 2000, `took ${ms} ms`);
});
