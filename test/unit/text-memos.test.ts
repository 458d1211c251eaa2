// What the rules derive from the texts of many context files (every
// package.json's `bin`, every .gitignore's lines) is kept per file list across
// keystrokes (cache/memo.ts memoizedOnTexts), and must be derived again as
// soon as one of those texts changes, on disk or in an open editor, while the
// file list stays the same.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { memoizedForGeneration, memoizedOnTexts } from '../../server/src/cache/memo';
import { lint } from '../../server/src/engine/lint';
import { IgnoreMatcher, parseIgnoreFile } from '../../server/src/context/ignore';
import type { ContextFile, ContextView } from '../../server/src/context/view';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Workspace } from '../../server/src/engine/workspace';
import { Session } from '../../server/src/engine/session';
import { writeTree } from '../helpers/tree';

const listOf = (paths: string[]): ContextFile[] => paths.map((path) => ({ path, size: 10 }));

/** A view of one file list, as each keystroke's analysis gets a new one, with these texts. */
function view(files: readonly ContextFile[], texts: Record<string, string>, reads?: string[]): ContextView {
  const ignoreText = texts['.dockerignore'];
  const parsed = ignoreText === undefined ? undefined : parseIgnoreFile(ignoreText);
  return {
    dir: '/ctx',
    reason: 'test',
    ignore: parsed && {
      path: '/ctx/.dockerignore',
      text: ignoreText!,
      parsed,
      matcher: new IgnoreMatcher(parsed.patterns),
    },
    ignorePathForNew: '/ctx/.dockerignore',
    files,
    allFiles: files,
    readText: (rel) => {
      reads?.push(rel);
      return texts[rel];
    },
    exists: (rel) => files.some((f) => f.path === rel),
  };
}

describe('memoizedOnTexts', () => {
  const files = listOf(['a.json', 'b.json']);

  it('computes once while the texts it read stay the same, and again when one changes', () => {
    let runs = 0;
    const compute = (read: (p: string) => string | undefined) => {
      runs++;
      return (read('a.json') ?? '').length + (read('b.json') ?? '').length;
    };
    const reads: string[] = [];
    const first = view(files, { 'a.json': '{}', 'b.json': '{"x":1}' }, reads);
    assert.equal(memoizedOnTexts(files, first, 'len', compute), 9);
    // the same view again (one analysis asks many times): neither computed nor read again
    assert.equal(memoizedOnTexts(files, first, 'len', compute), 9);
    assert.deepEqual([runs, reads.length], [1, 2]);
    // the next keystroke's view, same texts: read again to check, not computed
    const next: string[] = [];
    assert.equal(memoizedOnTexts(files, view(files, { 'a.json': '{}', 'b.json': '{"x":1}' }, next), 'len', compute), 9);
    assert.deepEqual([runs, next], [1, ['a.json', 'b.json']]);
    // one text changed (saved, or typed in an open editor): computed again
    assert.equal(memoizedOnTexts(files, view(files, { 'a.json': '{}', 'b.json': '{"x":12}' }), 'len', compute), 10);
    assert.equal(runs, 2);
    // a file that went away reads as undefined: also a change
    assert.equal(memoizedOnTexts(files, view(files, { 'a.json': '{}' }), 'len', compute), 2);
    assert.equal(runs, 3);
  });

  it('reads nothing again while the file system forgot nothing and no open editor gives one of the texts', () => {
    const list = listOf(['a.json', 'b.json']);
    let runs = 0;
    const compute = (read: (p: string) => string | undefined) => {
      runs++;
      return `${read('a.json')}+${read('b.json')}`;
    };
    // a view whose file system is at `generation`, with these context paths overridden by open editors
    const at = (texts: Record<string, string>, generation: number, overlaid: string[], reads: string[]) => ({
      ...view(list, texts, reads),
      textState: () => ({ generation, overlaid: new Set(overlaid) }),
    });
    const disk = { 'a.json': 'A', 'b.json': 'B' };
    const ask = (v: ContextView) => memoizedOnTexts(list, v, 'state', compute);
    const reads: string[] = [];
    assert.equal(ask(at(disk, 1, ['Dockerfile'], reads)), 'A+B');
    assert.deepEqual([runs, reads.length], [1, 2]);
    // next keystroke, same generation, only the Dockerfile open: not read, not computed
    const quiet: string[] = [];
    assert.equal(ask(at(disk, 1, ['Dockerfile'], quiet)), 'A+B');
    assert.deepEqual([runs, quiet], [1, []]);
    // the generation moved (a file event, the time bound): read again; the same texts, not computed
    const moved: string[] = [];
    assert.equal(ask(at(disk, 2, [], moved)), 'A+B');
    assert.deepEqual([runs, moved], [1, ['a.json', 'b.json']]);
    // a.json open in an editor with other text, same generation: read, and computed again
    assert.equal(ask(at({ ...disk, 'a.json': 'typed' }, 2, ['a.json'], [])), 'typed+B');
    assert.equal(runs, 2);
    // the editor closes without saving: the same generation, nothing overlaid, yet the disk's text differs
    const closed: string[] = [];
    assert.equal(ask(at(disk, 2, [], closed)), 'A+B');
    assert.deepEqual([runs, closed], [3, ['a.json', 'a.json', 'b.json']], 'checked (a.json differs), then computed');
    // a view that says nothing of its state is checked by reading, as before
    const plain: string[] = [];
    assert.equal(ask(view(list, { 'a.json': 'A', 'b.json': 'B!' }, plain)), 'A+B!');
    assert.deepEqual([runs, plain.length], [4, 4]);
  });

  it('keeps values apart by key and by file list', () => {
    const other = listOf(['a.json', 'b.json']);
    const texts = { 'a.json': 'aa', 'b.json': 'b' };
    assert.equal(
      memoizedOnTexts(files, view(files, texts), 'a', (r) => r('a.json')),
      'aa',
    );
    assert.equal(
      memoizedOnTexts(files, view(files, texts), 'b', (r) => r('b.json')),
      'b',
    );
    assert.equal(
      memoizedOnTexts(other, view(other, { 'a.json': 'other' }), 'a', (r) => r('a.json')),
      'other',
    );
  });
});

describe('rules that read many context files answer the texts of this keystroke', () => {
  const findings = (code: string, v: ContextView, rule: string) =>
    lint({ path: '/ctx/Dockerfile', text: code, context: v }).findings.filter((f) => f.rule === rule);

  it("CL002: a member's package.json that stops declaring `bin` makes its bin folder unrelated again", () => {
    const code =
      'FROM node:22\nWORKDIR /app\nCOPY package.json yarn.lock ./\nCOPY packages/api/package.json packages/api/\nCOPY packages/api/bin packages/api/bin\nRUN yarn install --frozen-lockfile\n';
    // one list for every keystroke, as the workspace hands it out while no file is added or removed
    const files = listOf(['package.json', 'yarn.lock', 'packages/api/package.json', 'packages/api/bin/api.js']);
    const texts = (api: string) => ({
      'package.json': '{"workspaces":["packages/*"]}',
      'yarn.lock': '',
      'packages/api/package.json': api,
      'packages/api/bin/api.js': '',
    });
    const withBin = texts('{"name":"api","bin":{"api":"./bin/api.js"}}');
    assert.deepEqual(findings(code, view(files, withBin), 'CL002'), []);
    const lines = (t: Record<string, string>) =>
      findings(code, view(files, t), 'CL002').map((f) => f.range.start.line + 1);
    assert.deepEqual(lines(texts('{"name":"api"}')), [5]);
    assert.deepEqual(lines(withBin), []);
  });

  it('CL102: a .gitignore that starts listing a committed env file makes it a local file to ignore', () => {
    const code = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n';
    const files = listOf([
      '.dockerignore',
      '.gitignore',
      'Dockerfile',
      'package.json',
      'package-lock.json',
      '.env.production',
    ]);
    const texts = (gitignore: string) => ({
      '.dockerignore': '.git\nDockerfile\n.dockerignore\n',
      '.gitignore': gitignore,
      Dockerfile: code,
      'package.json': '{}',
      'package-lock.json': '{}',
      '.env.production': 'A=1\n',
    });
    const mentionsEnv = (gitignore: string) =>
      findings(code, view(files, texts(gitignore)), 'CL102').some((f) => f.message.includes('.env.production'));
    assert.equal(mentionsEnv('node_modules\n'), false, 'committed: the build reads it');
    assert.equal(mentionsEnv('node_modules\n.env.production\n'), true, 'git-ignored: a local file');
    assert.equal(mentionsEnv('node_modules\n'), false);
  });
});

describe("a workspace view's text state", () => {
  it('says the file system generation and the open editors inside the context, and moves on a file event', () => {
    const root = writeTree(
      { 'app/Dockerfile': 'FROM alpine\nCOPY . .\n', 'app/package.json': '{}' },
      'cachelens-state-',
    );
    const ws = new Workspace(root);
    const dockerfile = path.join(root, 'app', 'Dockerfile');
    const [ctx] = ws.resolve(dockerfile).contexts;
    const overlays = new Map([
      [dockerfile, 'FROM alpine\n'],
      [path.join(root, 'other', 'Dockerfile'), 'FROM alpine\n'],
    ]);
    const first = ws.view(ctx, overlays).textState!()!;
    assert.deepEqual([...first.overlaid], ['Dockerfile'], 'only what lies inside the context, relative to it');
    assert.equal(ws.view(ctx, overlays).textState!()!.generation, first.generation);
    (ws.fs as { invalidate(): void }).invalidate();
    assert.notEqual(ws.view(ctx, overlays).textState!()!.generation, first.generation);
  });
});

describe('CL002 answers kept for a generation of the file system', () => {
  it('match a fresh analysis on every keystroke, after a file event and with a manifest open in an editor', () => {
    const code = [
      'FROM node:22',
      'WORKDIR /app',
      'COPY package.json yarn.lock ./',
      'COPY docs ./docs',
      'COPY packages/api ./packages/api',
      'COPY packages/worker ./packages/worker',
      'COPY packages/cli/bin ./packages/cli/bin',
      'COPY packages/cli/package.json ./packages/cli/',
      'RUN yarn install --frozen-lockfile',
      '',
    ].join('\n');
    const root = writeTree(
      {
        'package.json': '{"name":"root","private":true,"workspaces":["packages/*"]}',
        'yarn.lock': '',
        'docs/README.md': 'docs',
        'packages/api/package.json': '{"name":"api"}',
        'packages/api/src/index.js': '',
        'packages/worker/package.json': '{"name":"worker","scripts":{"postinstall":"node build.js"}}',
        'packages/worker/build.js': '',
        'packages/cli/package.json': '{"name":"cli","bin":{"cli":"./bin/cli.js"}}',
        'packages/cli/bin/cli.js': '',
        Dockerfile: code,
      },
      'cachelens-gen-',
    );
    const dockerfile = path.join(root, 'Dockerfile');
    const settings = { rules: {}, contexts: [] };
    const kept = new Session();
    kept.addWorkspace(root);
    let version = 0;
    /** CL002's findings, on the kept session and on a fresh one (nothing remembered), with the same open texts */
    const both = (text: string, open: Record<string, string> = {}) => {
      const lines = (s: Session) => {
        s.openDocument(dockerfile, text, ++version);
        for (const [rel, t] of Object.entries(open)) s.openDocument(path.join(root, rel), t, version);
        return s
          .analyzeDocument(dockerfile, settings)!
          .findings.filter((f) => f.rule === 'CL002')
          .map((f) => `${f.range.start.line + 1} ${f.message}`);
      };
      const fresh = new Session();
      fresh.addWorkspace(root);
      return { kept: lines(kept), fresh: lines(fresh) };
    };
    const first = both(code);
    assert.deepEqual(first.kept, first.fresh);
    assert.deepEqual(
      first.kept.map((l) => l.split(' ')[0]),
      ['4', '5'],
      'docs and member api (no lifecycle script) are unrelated; worker (postinstall) and cli (bin) are read',
    );
    // typing into a copy's destination and into the RUN, one character at a time
    let text = code;
    for (const [line, typed] of [
      [3, 'x'],
      [3, 'y'],
      [4, '2'],
      [8, ' '],
      [8, 'a'],
    ] as const) {
      const lines = text.split('\n');
      lines[line] += typed;
      text = lines.join('\n');
      const r = both(text);
      assert.deepEqual(r.kept, r.fresh, `after typing ${JSON.stringify(typed)} on line ${line + 1}`);
    }
    // a member gains a postinstall on disk, and the editor says so: read by the install now
    writeFileSync(path.join(root, 'packages/api/package.json'), '{"name":"api","scripts":{"postinstall":"tsc"}}');
    kept.onFileChanged(path.join(root, 'packages/api/package.json'), 'changed');
    const changed = both(code);
    assert.deepEqual(changed.kept, changed.fresh);
    assert.deepEqual(
      changed.kept.map((l) => l.split(' ')[0]),
      ['4'],
    );
    // the same member open in an editor without its script (not saved): the open text counts
    const open = { 'packages/api/package.json': '{"name":"api"}' };
    const edited = both(code, open);
    assert.deepEqual(edited.kept, edited.fresh);
    assert.deepEqual(
      edited.kept.map((l) => l.split(' ')[0]),
      ['4', '5'],
    );
  });
});

describe('memoizedForGeneration', () => {
  it('keeps an answer while the generation and the open editors stay, never one that read an open text', () => {
    const list = listOf(['a.json', 'b.json']);
    let runs = 0;
    const at = (generation: number, overlaid: string[]): ContextView => ({
      ...view(list, { 'a.json': 'A', 'b.json': 'B' }),
      textState: () => ({ generation, overlaid: new Set(overlaid) }),
    });
    const ask = (v: ContextView, key: string, file = 'a.json') =>
      memoizedForGeneration(v, 'test', 'group', key, (c) => {
        runs++;
        return c.readText(file);
      });
    assert.equal(ask(at(1, ['Dockerfile']), 'k'), 'A');
    assert.equal(ask(at(1, ['Dockerfile']), 'k'), 'A');
    assert.equal(runs, 1, 'same generation, same open editors: kept');
    ask(at(1, ['Dockerfile']), 'other');
    assert.equal(runs, 2, 'another key: computed');
    ask(at(2, ['Dockerfile']), 'k');
    assert.equal(runs, 3, 'a new generation: computed again');
    ask(at(2, ['Dockerfile', 'b.json']), 'k');
    assert.equal(runs, 4, 'an editor opened on a file of the context: computed again');
    ask(at(2, ['Dockerfile', 'b.json']), 'k');
    assert.equal(runs, 4);
    ask(at(2, ['Dockerfile', 'b.json']), 'reads-b', 'b.json');
    ask(at(2, ['Dockerfile', 'b.json']), 'reads-b', 'b.json');
    assert.equal(runs, 6, 'what read an open text is never kept');
    const plain = view(list, { 'a.json': 'A' });
    memoizedForGeneration(plain, 'test', 'group', 'k', () => runs++);
    memoizedForGeneration(plain, 'test', 'group', 'k', () => runs++);
    assert.equal(runs, 8, 'a view without a text state: computed each time');
  });
});
