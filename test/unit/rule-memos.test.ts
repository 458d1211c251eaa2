// What the rules ask several times per analysis (or on every keystroke) is kept:
// localSources per model, the files a set of COPY sources sends per file list,
// a manifest's text per context view and install, compiled globs per text.
// Each memo must answer again when its input changes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from '../../server/src/parse/dockerfile';
import { analyzeCache } from '../../server/src/cache/analysis';
import { filesSentBy, localSources } from '../../server/src/cache/localSources';
import { manifestText } from '../../server/src/cache/installs';
import { simpleGlobToRegExp } from '../../server/src/parse/glob';
import { MEMO_KEYS_PER_LIST, memoized } from '../../server/src/cache/memo';
import type { ContextFile, ContextView } from '../../server/src/context/view';

const files: ContextFile[] = ['app/main.py', 'app/util.py', 'docs/a.md', 'requirements.txt', 'README.md'].map((p) => ({
  path: p,
  size: 10,
}));

function view(texts: Record<string, string>): ContextView {
  return {
    dir: '/ctx',
    reason: 'test',
    ignorePathForNew: '/ctx/.dockerignore',
    files,
    allFiles: files,
    readText: (rel) => texts[rel],
  };
}

describe('memos the rules share', () => {
  it('localSources: the same list for the same model, the new sources for a new text', () => {
    const a = parseDockerfile('FROM python:3.12\nCOPY requirements.txt .\nCOPY app/ ./app/\n');
    assert.equal(localSources(a), localSources(a));
    assert.deepEqual(
      localSources(a).map((s) => s.path),
      ['requirements.txt', 'app'],
    );
    const b = parseDockerfile('FROM python:3.12\nCOPY requirements.txt .\nCOPY docs/ ./docs/\n');
    assert.deepEqual(
      localSources(b).map((s) => s.path),
      ['requirements.txt', 'docs'],
    );
  });

  it('filesSentBy: the same list for the same sources, in source order; another for other sources', () => {
    const model = parseDockerfile('FROM python:3.12\nCOPY requirements.txt .\nCOPY app/ ./app/\nCOPY docs/ ./docs/\n');
    const [req, app, docs] = localSources(model);
    const sent = filesSentBy(files, [req, app]);
    assert.equal(filesSentBy(files, [req, app]), sent);
    assert.deepEqual(
      sent.map((f) => f.path),
      ['requirements.txt', 'app/main.py', 'app/util.py'],
    );
    assert.deepEqual(
      filesSentBy(files, [app, req]).map((f) => f.path),
      ['app/main.py', 'app/util.py', 'requirements.txt'],
    );
    assert.deepEqual(
      filesSentBy(files, [docs]).map((f) => f.path),
      ['docs/a.md'],
    );
    const root = localSources(parseDockerfile('FROM alpine\nCOPY . .\n'));
    assert.equal(filesSentBy(files, root), files);
  });

  it('manifestText: read once per view and install, read again through another view', () => {
    const model = parseDockerfile(
      'FROM python:3.12\nWORKDIR /srv\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n',
    );
    const cache = analyzeCache(model);
    const [site] = cache.installSites();
    let reads = 0;
    const first = view({});
    first.readText = (rel) => {
      reads++;
      return rel === 'requirements.txt' ? 'flask\n' : undefined;
    };
    assert.equal(manifestText(cache, site.ins, site.install, first), 'flask\n');
    assert.equal(manifestText(cache, site.ins, site.install, first), 'flask\n');
    assert.equal(reads, 1);
    // the next keystroke's analysis has a new view: the file as it is now
    assert.equal(manifestText(cache, site.ins, site.install, view({ 'requirements.txt': 'django\n' })), 'django\n');
    assert.equal(manifestText(cache, site.ins, site.install, view({})), undefined);
  });

  it('memoized: many questions about one list keep the earlier answers, and the oldest goes past the bound', () => {
    const list: ContextFile[] = [{ path: 'a', size: 1 }];
    let firstRuns = 0;
    const first = () => memoized(list, 'first', () => ++firstRuns);
    first();
    // a Dockerfile with 60 COPY sources asks one question per source on every keystroke
    for (let i = 0; i < 100; i++) memoized(list, `source ${i}`, () => i);
    first();
    assert.equal(firstRuns, 1, 'the first answer outlives 100 other questions');
    for (let i = 0; i < MEMO_KEYS_PER_LIST; i++) memoized(list, `more ${i}`, () => i);
    first();
    assert.equal(firstRuns, 2, 'bounded: the oldest answer went');
  });

  it('simpleGlobToRegExp: one RegExp per glob, and the globs still match as before', () => {
    assert.equal(simpleGlobToRegExp('package*.json'), simpleGlobToRegExp('package*.json'));
    assert.ok(simpleGlobToRegExp('package*.json').test('package-lock.json'));
    assert.ok(!simpleGlobToRegExp('package*.json').test('src/package.json'));
    assert.ok(simpleGlobToRegExp('a?c').test('abc'));
    assert.ok(!simpleGlobToRegExp('a.c').test('abc'));
  });
});
