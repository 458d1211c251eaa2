import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MemoryFs, NodeFs, type WorkspaceFs } from '../../server/src/context/fs';
import { countingReads } from '../helpers/context';
import { FileIndex, ROOT_FILES, type ContextSnapshot } from '../../server/src/context/fileIndex';
import { IgnoreMatcher, parseIgnoreFile } from '../../server/src/context/ignore';

const ROOT = path.resolve('/w');
const abs = (root: string, rel: string) => (rel === '' ? root : path.join(root, ...rel.split('/')));
const matcher = (text: string) => new IgnoreMatcher(parseIgnoreFile(text).patterns);

/** What a snapshot says, in a comparable form (sizes of excluded files depend on what was stat-ed, so they are left out). */
function summary(s: ContextSnapshot) {
  return {
    files: s.files.map((f) => `${f.path}:${f.size}${f.kind ? ':' + f.kind : ''}`).sort(),
    includedCount: s.includedCount,
    totalBytes: s.totalBytes,
    excludedCount: s.excludedCount,
    topDirs: [...s.topDirs].map(([k, t]) => `${k}:${t.files}/${t.bytes}/${t.excludedFiles}`).sort(),
    present: [...s.presentPaths()].sort(),
  };
}

const TREE = {
  Dockerfile: 'FROM node',
  '.dockerignore': '.git\nnode_modules\n*.log\n!keep.log\n',
  '.git/HEAD': 'ref: x',
  '.git/objects/ab/cdef': { size: 1000 },
  'node_modules/a/index.js': { size: 50 },
  'node_modules/a/package.json': { size: 20 },
  'src/index.ts': 'export {}',
  'src/debug.log': { size: 7 },
  'keep.log': 'k',
  'trace.log': { size: 3 },
  'packages/web/node_modules/b/x.js': { size: 30 },
  'packages/web/app.ts': { size: 11 },
  'empty/': '',
};

test('snapshot: included files with sizes, excluded counts per top folder, every present path', () => {
  const fs = new MemoryFs(ROOT, TREE);
  const idx = new FileIndex(fs);
  const s = idx.snapshot(ROOT, matcher(TREE['.dockerignore']), 'v1');
  const sum = summary(s);
  // Patterns are anchored at the context root (unlike .gitignore): `*.log` keeps out trace.log, not src/debug.log.
  assert.deepEqual(sum.files, [
    '.dockerignore:34',
    'Dockerfile:9',
    'keep.log:1',
    'packages/web/app.ts:11',
    'packages/web/node_modules/b/x.js:30',
    'src/debug.log:7',
    'src/index.ts:9',
  ]);
  assert.equal(s.totalBytes, 34 + 9 + 1 + 11 + 30 + 7 + 9);
  assert.equal(s.excludedCount, 5); // .git ×2, root node_modules ×2, trace.log
  assert.deepEqual(sum.topDirs, ['.:3/44/1', '.git:0/0/2', 'node_modules:0/0/2', 'packages:2/41/0', 'src:2/16/0']);
  // `node_modules` is root-anchored, so the nested one stays in: the index must still know both exist.
  assert.ok(sum.present.includes('packages/web/node_modules'));
  assert.ok(sum.present.includes('.git/objects/ab/cdef'));
  assert.ok(sum.present.includes('empty'));
  assert.equal(s.kindOf('.git'), 'dir');
  assert.equal(s.kindOf('src/index.ts'), 'file');
  assert.equal(s.kindOf('nope'), undefined);
  assert.equal(s.isExcluded('.git/HEAD'), true);
  assert.equal(s.isExcluded('keep.log'), false);
  assert.equal(s.isExcluded('trace.log'), true);
  assert.deepEqual([...s.presentDirs()].sort(), [
    '.git',
    '.git/objects',
    '.git/objects/ab',
    'empty',
    'node_modules',
    'node_modules/a',
    'packages',
    'packages/web',
    'packages/web/node_modules',
    'packages/web/node_modules/b',
    'src',
  ]);
  // Excluded files are counted but never stat-ed.
  assert.equal(s.excludedUnsized, 5);
  assert.equal(s.excludedBytes, 0);
  assert.equal(s.truncated, undefined);
  const present = [...s.presentFiles()];
  assert.deepEqual(present.map((f) => f.path).sort(), sum.present.filter((p) => s.kindOf(p) !== 'dir').sort());
  assert.deepEqual(
    present.find((f) => f.path === 'src/index.ts'),
    { path: 'src/index.ts', kind: 'file', size: 9 },
  );
  assert.deepEqual(
    present.find((f) => f.path === '.git/HEAD'),
    { path: '.git/HEAD', kind: 'file', size: undefined },
  );
});

test('snapshot without an ignore file includes everything; cached per key', () => {
  const fs = new MemoryFs(ROOT, TREE);
  const idx = new FileIndex(fs);
  const s = idx.snapshot(ROOT, undefined);
  assert.equal(s.includedCount, 12);
  assert.equal(s.excludedCount, 0);
  assert.equal(idx.snapshot(ROOT, undefined), s);
  const m = matcher('.git');
  const a = idx.snapshot(ROOT, m);
  assert.equal(idx.snapshot(ROOT, m), a, 'same matcher object, same snapshot');
  assert.equal(idx.snapshot(ROOT, matcher('.git'), 'k').excludedCount, 2);
  assert.equal(
    idx.snapshot(ROOT, matcher('something else'), 'k'),
    idx.snapshot(ROOT, undefined, 'k'),
    'same ignore key, same snapshot',
  );
});

test('a context inside an indexed one reuses its walk', () => {
  const fs = countingReads(new MemoryFs(ROOT, TREE));
  const idx = new FileIndex(fs);
  idx.snapshot(ROOT, undefined);
  const walked = fs.listed.length;
  const sub = idx.snapshot(abs(ROOT, 'packages'), matcher('**/node_modules'));
  assert.equal(fs.listed.length, walked, 'no folder listed again');
  assert.deepEqual(summary(sub).files, ['web/app.ts:11']);
  assert.equal(sub.dir, abs(ROOT, 'packages'));
  assert.equal(sub.kindOf('web/node_modules'), 'dir');
  assert.deepEqual(
    summary(sub),
    summary(new FileIndex(new MemoryFs(ROOT, TREE)).snapshot(abs(ROOT, 'packages'), matcher('**/node_modules'))),
  );
});

test('walking a folder that holds an earlier walked context replaces that walk', () => {
  const fs = countingReads(new MemoryFs(ROOT, TREE));
  const idx = new FileIndex(fs);
  const before = idx.snapshot(abs(ROOT, 'src'), undefined);
  idx.snapshot(ROOT, undefined);
  const walked = fs.listed.length;
  const after = idx.snapshot(abs(ROOT, 'src'), undefined);
  assert.equal(fs.listed.length, walked);
  assert.deepEqual(summary(after), summary(before));
  // Events now reach the sub-context through the root's walk.
  (Object.getPrototypeOf(fs) as MemoryFs).write('src/more.ts', 'm');
  idx.onFileChanged(abs(ROOT, 'src/more.ts'), 'created');
  assert.ok(idx.snapshot(abs(ROOT, 'src'), undefined).files.some((f) => f.path === 'more.ts'));
});

test('contexts outside the root or missing give an error snapshot', () => {
  const idx = new FileIndex(new MemoryFs(ROOT, TREE));
  assert.match(idx.snapshot(path.resolve('/elsewhere'), undefined).error ?? '', /outside the workspace/);
  assert.match(idx.snapshot(abs(ROOT, 'nope'), undefined).error ?? '', /does not exist/);
  assert.equal(idx.snapshot(abs(ROOT, 'nope'), undefined).includedCount, 0);
});

test('file limit and depth limit give a clear truncated reason', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 30; i++) files[`d${i % 3}/f${i}`] = 'x';
  const s = new FileIndex(new MemoryFs(ROOT, files), { maxFiles: 10 }).snapshot(ROOT, undefined);
  assert.ok(s.includedCount <= 10);
  assert.match(s.truncated ?? '', /stopped after 10 entries/);
  const deep = new FileIndex(new MemoryFs(ROOT, { 'a/b/c/d/e/f/g/h.txt': 'x', 'top.txt': 'y' }), {
    maxDepth: 4,
  }).snapshot(ROOT, undefined);
  assert.match(deep.truncated ?? '', /more than 4 levels deep.*a\/b\/c\/d/);
  assert.deepEqual(summary(deep).files, ['top.txt:1']);
});

test('an unlistable folder is reported, the rest is indexed', () => {
  const mem = new MemoryFs(ROOT, { 'ok/a': 'x', 'locked/b': 'y' });
  const fs = Object.assign(Object.create(mem) as WorkspaceFs, {
    readDir: (p: string) => (p.endsWith('locked') ? undefined : mem.readDir(p)),
  });
  const s = new FileIndex(fs).snapshot(ROOT, undefined);
  assert.deepEqual(s.unreadable, ['locked']);
  assert.deepEqual(summary(s).files, ['ok/a:1']);
});

test('incremental updates equal a fresh walk (two ignore variants live at once)', () => {
  const mem = new MemoryFs(ROOT, TREE);
  const fs = countingReads(mem);
  const idx = new FileIndex(fs);
  const ignoreA = TREE['.dockerignore'];
  const ignoreB = '**/node_modules\n';
  idx.snapshot(ROOT, matcher(ignoreA), 'A');
  idx.snapshot(ROOT, matcher(ignoreB), 'B');
  idx.snapshot(abs(ROOT, 'packages'), matcher(ignoreA), 'A');
  const check = (label: string) => {
    for (const [dir, text, key] of [
      [ROOT, ignoreA, 'A'],
      [ROOT, ignoreB, 'B'],
      [abs(ROOT, 'packages'), ignoreA, 'A'],
    ] as const) {
      const live = summary(idx.snapshot(dir, matcher(text), key));
      const cold = summary(new FileIndex(mem).snapshot(dir, matcher(text)));
      assert.deepEqual(live, cold, `${label}: ${dir} with ${key}`);
    }
  };
  const event = (rel: string, change: 'created' | 'changed' | 'deleted') => idx.onFileChanged(abs(ROOT, rel), change);
  const steps: [string, () => void, number][] = [
    [
      'create an included file',
      () => {
        mem.write('src/new.ts', 'abcdef');
        event('src/new.ts', 'created');
      },
      0,
    ],
    [
      'create an excluded file',
      () => {
        mem.write('other.log', 'zz');
        event('other.log', 'created');
      },
      0,
    ],
    [
      'change a file size',
      () => {
        mem.write('src/index.ts', 'export const x = 1;');
        event('src/index.ts', 'changed');
      },
      0,
    ],
    [
      'change an unsized excluded file',
      () => {
        mem.write('node_modules/a/index.js', { size: 99 });
        event('node_modules/a/index.js', 'changed');
      },
      0,
    ],
    [
      'delete a file',
      () => {
        mem.remove('keep.log');
        event('keep.log', 'deleted');
      },
      0,
    ],
    [
      'create a folder with files (event for the folder only)',
      () => {
        mem.write('packages/api/node_modules/c/i.js', { size: 5 });
        mem.write('packages/api/main.ts', { size: 8 });
        event('packages/api', 'created');
      },
      3,
    ],
    [
      'event for a file in an unseen folder',
      () => {
        mem.write('lib/deep/x.ts', { size: 3 });
        event('lib/deep/x.ts', 'created');
      },
      2,
    ],
    [
      'delete a folder',
      () => {
        mem.remove('packages/web');
        event('packages/web', 'deleted');
      },
      0,
    ],
    [
      'delete the root node_modules',
      () => {
        mem.remove('node_modules');
        event('node_modules', 'deleted');
      },
      0,
    ],
    [
      'a file becomes a folder',
      () => {
        mem.remove('src/new.ts');
        mem.write('src/new.ts/inner', 'q');
        event('src/new.ts', 'created');
      },
      1,
    ],
    [
      'duplicate and stray events',
      () => {
        event('src/index.ts', 'changed');
        event('nothing/here', 'deleted');
        event('src', 'changed');
      },
      0,
    ],
  ];
  // The last number is how many folders the event may list: only created ones; nothing is re-walked.
  const snapA = idx.snapshot(ROOT, matcher(ignoreA), 'A');
  for (const [label, step, listings] of steps) {
    const before = fs.listed.length;
    const versionBefore = snapA.version;
    step();
    if (label !== 'duplicate and stray events')
      assert.notEqual(snapA.version, versionBefore, `${label}: version must change`);
    const listed = fs.listed.slice(before);
    assert.equal(listed.length, listings, `${label}: listed ${listed.join(', ')}`);
    check(label);
  }
});

test('deleting the context folder empties its snapshot', () => {
  const mem = new MemoryFs(ROOT, TREE);
  const idx = new FileIndex(mem);
  idx.snapshot(abs(ROOT, 'src'), undefined);
  mem.remove('src');
  idx.onFileChanged(abs(ROOT, 'src'), 'deleted');
  assert.match(idx.snapshot(abs(ROOT, 'src'), undefined).error ?? '', /does not exist/);
});

test('a folder above a walked context that is deleted and recreated is walked again', () => {
  const mem = new MemoryFs(ROOT, { 'apps/web/a.ts': 'a' });
  const idx = new FileIndex(mem);
  assert.equal(idx.snapshot(abs(ROOT, 'apps/web'), undefined).includedCount, 1);
  mem.remove('apps');
  idx.onFileChanged(abs(ROOT, 'apps'), 'deleted');
  mem.write('apps/web/b.ts', 'b');
  mem.write('apps/web/c.ts', 'c');
  idx.onFileChanged(abs(ROOT, 'apps'), 'created');
  assert.deepEqual(summary(idx.snapshot(abs(ROOT, 'apps/web'), undefined)).files, ['b.ts:1', 'c.ts:1']);
});

// --- real directories ---------------------------------------------------

function tempTree(): string {
  const dir = nodeFs.realpathSync(nodeFs.mkdtempSync(path.join(os.tmpdir(), 'cachelens-index-')));
  return dir;
}

test('NodeFs + FileIndex on disk: symlinks are entries, never followed (loops, links out of the root)', (t) => {
  const base = tempTree();
  t.after(() => nodeFs.rmSync(base, { recursive: true, force: true }));
  const root = path.join(base, 'ws');
  const outside = path.join(base, 'outside');
  nodeFs.mkdirSync(path.join(root, 'src'), { recursive: true });
  nodeFs.mkdirSync(outside);
  nodeFs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
  nodeFs.writeFileSync(path.join(root, 'src', 'a.ts'), 'aaa');
  nodeFs.symlinkSync('..', path.join(root, 'src', 'loop'));
  nodeFs.symlinkSync('self', path.join(root, 'self'));
  nodeFs.symlinkSync(outside, path.join(root, 'out'));
  nodeFs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'secret-link'));
  nodeFs.symlinkSync('src/a.ts', path.join(root, 'inside-link'));
  const fs = new NodeFs(root);
  const s = new FileIndex(fs).snapshot(root, undefined);
  const files = summary(s).files.map((f) => f.split(':')[0]);
  assert.deepEqual(files, ['inside-link', 'out', 'secret-link', 'self', 'src/a.ts', 'src/loop']);
  assert.ok(s.files.filter((f) => f.kind === 'symlink').length === 5);
  assert.equal(s.kindOf('src/loop'), 'symlink');
  // The confinement of NodeFs itself.
  assert.equal(fs.readFile(path.join(root, 'secret-link')), undefined);
  assert.equal(fs.readFile(path.join(root, 'inside-link')), 'aaa');
  assert.equal(fs.readDir(path.join(root, 'out')), undefined);
  assert.equal(fs.stat(path.join(root, 'out', 'secret.txt')), undefined);
  assert.equal(fs.readFile(path.join(root, 'out', 'secret.txt')), undefined);
  assert.equal(fs.readFile(path.join(root, '..', 'outside', 'secret.txt')), undefined);
  assert.equal(fs.readFile(path.join(root, 'self')), undefined);
  assert.equal(fs.realPath(path.join(root, 'self')), undefined);
  // A context that is a symlink loop or leads outside is refused with a message.
  assert.match(
    new FileIndex(fs).snapshot(path.join(root, 'out'), undefined).error ?? '',
    /outside the workspace root|symlink loop/,
  );
  assert.match(new FileIndex(fs).snapshot(path.join(root, 'self'), undefined).error ?? '', /symlink loop/);
});

test('NodeFs.readFile: binary and oversized files are not read', (t) => {
  const root = tempTree();
  t.after(() => nodeFs.rmSync(root, { recursive: true, force: true }));
  nodeFs.writeFileSync(path.join(root, 'bin'), Buffer.from([0x41, 0, 0x42]));
  nodeFs.writeFileSync(path.join(root, 'big'), 'x'.repeat(2000));
  nodeFs.writeFileSync(path.join(root, 'ok'), 'héllo');
  const fs = new NodeFs(root);
  assert.equal(fs.readFile(path.join(root, 'bin')), undefined);
  assert.equal(fs.readFile(path.join(root, 'big'), 1000), undefined);
  assert.equal(fs.readFile(path.join(root, 'big'))?.length, 2000);
  assert.equal(fs.readFile(path.join(root, 'ok')), 'héllo');
  assert.equal(fs.readFile(path.join(root, 'missing')), undefined);
  assert.equal(fs.readFile(root), undefined);
});

test('on disk: an unreadable folder (readable anyway when running as root) is handled', (t) => {
  const root = tempTree();
  t.after(() => {
    nodeFs.chmodSync(path.join(root, 'locked'), 0o755);
    nodeFs.rmSync(root, { recursive: true, force: true });
  });
  nodeFs.mkdirSync(path.join(root, 'locked'));
  nodeFs.writeFileSync(path.join(root, 'locked', 'f'), 'x');
  nodeFs.writeFileSync(path.join(root, 'g'), 'y');
  nodeFs.chmodSync(path.join(root, 'locked'), 0);
  const s = new FileIndex(new NodeFs(root)).snapshot(root, undefined);
  const files = summary(s).files;
  if (s.unreadable.length) {
    assert.deepEqual(s.unreadable, ['locked']);
    assert.deepEqual(files, ['g:1']);
  } else {
    assert.deepEqual(files, ['g:1', 'locked/f:1']); // root ignores the mode
  }
});

test('on disk: incremental updates after create, change and delete equal a fresh walk', (t) => {
  const root = tempTree();
  t.after(() => nodeFs.rmSync(root, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    nodeFs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    nodeFs.writeFileSync(path.join(root, rel), text);
  };
  write('.dockerignore', '.git\n**/node_modules\n');
  write('src/a.ts', 'a');
  write('.git/HEAD', 'ref');
  write('web/node_modules/x/y.js', 'yy');
  const fs = new NodeFs(root);
  const idx = new FileIndex(fs);
  const m = matcher('.git\n**/node_modules\n');
  const live = () => summary(idx.snapshot(root, m, 'k'));
  const cold = () => summary(new FileIndex(new NodeFs(root)).snapshot(root, m));
  assert.deepEqual(live(), cold());
  write('src/b.ts', 'bbbb');
  idx.onFileChanged(path.join(root, 'src/b.ts'), 'created');
  write('src/a.ts', 'aaaaaaaa');
  idx.onFileChanged(path.join(root, 'src/a.ts'), 'changed');
  write('api/node_modules/z/z.js', 'z');
  write('api/main.ts', 'main');
  idx.onFileChanged(path.join(root, 'api'), 'created');
  nodeFs.rmSync(path.join(root, 'web'), { recursive: true });
  idx.onFileChanged(path.join(root, 'web'), 'deleted');
  assert.deepEqual(live(), cold());
  assert.equal(idx.snapshot(root, m, 'k').totalBytes, '.git\n**/node_modules\n'.length + 8 + 4 + 4);
  // A folder replaced by a symlink to outside the root is not followed after the event.
  nodeFs.rmSync(path.join(root, 'api'), { recursive: true });
  nodeFs.symlinkSync(os.tmpdir(), path.join(root, 'api'));
  idx.onFileChanged(path.join(root, 'api'), 'created');
  assert.deepEqual(live(), cold());
  assert.equal(idx.snapshot(root, m, 'k').kindOf('api'), 'symlink');
  assert.equal(fs.readDir(path.join(root, 'api')), undefined);
});

test('topDirs keys root files under ROOT_FILES', () => {
  const s = new FileIndex(new MemoryFs(ROOT, { a: 'x', 'd/b': 'yy' })).snapshot(ROOT, undefined);
  assert.deepEqual(s.topDirs.get(ROOT_FILES), { files: 1, bytes: 1, excludedFiles: 0, excludedBytes: 0 });
  assert.deepEqual(s.topDirs.get('d'), { files: 1, bytes: 2, excludedFiles: 0, excludedBytes: 0 });
});
