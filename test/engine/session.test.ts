// The engine Session in process (no LSP): open-document overlays, fix-all until
// it converges, which Dockerfiles an ignore file serves, the build-context
// report, and what an untrusted workspace may not read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from '../../server/src/engine/session';
import { fixAllInContext } from '../../server/src/engine/fix';
import { memoryContext } from '../helpers/context';
import { writeTree } from '../helpers/tree';

const NODE_APP = 'FROM node:20.11.1\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN npm run build\n';

const workspace = (files: Record<string, string>) => writeTree(files, 'cachelens-session-');

const rules = (a: { findings: { rule: string }[] }) => [...new Set(a.findings.map((f) => f.rule))].sort();

test('an open ignore file overrides the disk: the Dockerfile is analysed against the unsaved text', () => {
  const dir = workspace({
    Dockerfile: 'FROM alpine:3.20\nCOPY . /src\n',
    '.dockerignore': 'node_modules\n',
    'node_modules/x/index.js': 'x',
    'app.js': 'console.log(1)\n',
  });
  const session = new Session();
  session.addWorkspace(dir);
  const dockerfile = join(dir, 'Dockerfile');
  const ignore = join(dir, '.dockerignore');
  const onDisk = session.analyze(dockerfile, readFileSync(dockerfile, 'utf8'), {});
  assert.equal(onDisk.primaryContext?.ignore?.text, 'node_modules\n');
  session.openDocument(ignore, '# emptied in the editor\n', 1);
  assert.deepEqual([...session.overlays().keys()], [ignore]);
  assert.equal(session.textOf(ignore), '# emptied in the editor\n');
  const open = session.analyze(dockerfile, readFileSync(dockerfile, 'utf8'), {});
  assert.equal(open.primaryContext?.ignore?.text, '# emptied in the editor\n');
  assert.ok(open.primaryContext!.files.some((f) => f.path.startsWith('node_modules/')));
  assert.ok(!onDisk.primaryContext!.files.some((f) => f.path.startsWith('node_modules/')));
  // closed: the disk counts again; an untitled document never overrides a file
  session.closeDocument(ignore, 'ignore');
  session.openDocument('untitled:Untitled-1', 'x', 1, false);
  assert.deepEqual([...session.overlays().keys()], []);
  assert.equal(session.textOf(ignore), 'node_modules\n');
});

test('analyzeDocument keeps the analysis of the current version only', () => {
  const dir = workspace({ Dockerfile: NODE_APP, 'package.json': '{}', 'package-lock.json': '{}' });
  const session = new Session();
  session.addWorkspace(dir);
  const file = join(dir, 'Dockerfile');
  session.openDocument(file, NODE_APP, 1);
  const a = session.analyzeDocument(file, {});
  assert.ok(a && rules(a).includes('CL001'));
  assert.equal(session.currentAnalysis(file), a);
  session.openDocument(file, NODE_APP + '# edited\n', 2);
  assert.equal(session.currentAnalysis(file), undefined);
  assert.ok(session.hasAnalysed(file));
  assert.deepEqual(
    rules(session.analyze(file, NODE_APP, { rules: { CL001: 'off' } })).includes('CL001'),
    false,
    'settings switch a rule off',
  );
});

test('fix-all converges: the fixed files have no safe fix left, and a second fix-all changes nothing', () => {
  const dir = workspace({
    Dockerfile: NODE_APP,
    'package.json': '{"name":"x"}',
    'package-lock.json': '{}',
    'src/index.js': '1',
  });
  const session = new Session();
  session.addWorkspace(dir);
  const file = join(dir, 'Dockerfile');
  const { result, changes } = session.fixAll(file, NODE_APP, {});
  assert.ok(result.passes >= 2, `passes: ${result.passes}`);
  const fixed = changes.find((c) => c.path === file);
  assert.ok(fixed, 'the Dockerfile changed');
  assert.equal(fixed.before, NODE_APP);
  const lines = fixed.after.split('\n');
  assert.ok(lines.indexOf('COPY package.json package-lock.json ./') < lines.indexOf('COPY . .'), fixed.after);
  assert.ok(result.applied.some((a) => a.rule === 'CL001'));
  // the files as fix-all left them, on disk: nothing left to do
  for (const c of changes) writeFileSync(c.path, c.after);
  const again = new Session();
  again.addWorkspace(dir);
  assert.equal(again.fixAll(file, fixed.after, {}).result.files.size, 0);
});

test('fix-all sees the open documents: an open ignore file is the one fixed, from its unsaved text', () => {
  const dir = workspace({ Dockerfile: 'FROM alpine:3.20\nCOPY . /src\n', '.git/HEAD': 'ref', 'a.txt': 'a' });
  const session = new Session();
  session.addWorkspace(dir);
  const file = join(dir, 'Dockerfile');
  const ignore = join(dir, '.dockerignore');
  const before = session.fixAll(file, 'FROM alpine:3.20\nCOPY . /src\n', {});
  assert.ok(before.result.created.has(ignore), 'without one, fix-all creates .dockerignore');
  session.openDocument(ignore, '# mine\n', 1);
  const { result, changes } = session.fixAll(file, 'FROM alpine:3.20\nCOPY . /src\n', {});
  assert.ok(!result.created.has(ignore));
  const edited = changes.find((c) => c.path === ignore);
  assert.ok(edited, JSON.stringify(changes));
  assert.equal(edited.before, '# mine\n');
  assert.ok(edited.after.startsWith('# mine\n') && edited.after.includes('.git'), edited.after);
});

test('fixAllInContext rebuilds the context from the changed files after each pass', () => {
  const seen: number[] = [];
  const files = { '.dockerignore': '', 'package.json': '{}', 'package-lock.json': '{}', 'node_modules/a': 'a' };
  const result = fixAllInContext({ path: '/ws/Dockerfile', text: NODE_APP }, (changed) => {
    seen.push(changed.size);
    const next: Record<string, string> = { ...files };
    for (const [p, t] of changed) if (p !== '/ws/Dockerfile') next[p.slice('/ws/'.length)] = t;
    return memoryContext('/ws', next);
  });
  assert.equal(seen[0], 0, 'the first pass sees no changes');
  assert.ok(seen.length >= 2 && seen.slice(1).every((n) => n > 0), `${seen}`);
  assert.ok(result.files.get('/ws/Dockerfile')?.includes('COPY package.json package-lock.json ./'));
});

test('which Dockerfiles an ignore file serves, and the findings it gets from them', () => {
  const dir = workspace({
    Dockerfile: 'FROM alpine:3.20\nCOPY . /src\n',
    'api.Dockerfile': 'FROM alpine:3.20\nCOPY . /api\n',
    'api.Dockerfile.dockerignore': '*\n!api\n',
    'web.Dockerfile': 'FROM alpine:3.20\nCOPY . /web\n',
    '.dockerignore': '/node_modules\n',
    'sub/Dockerfile': 'FROM alpine:3.20\n',
  });
  const session = new Session();
  session.addWorkspace(dir);
  const served = (f: string) => session.dockerfilesServedBy(join(dir, f)).sort();
  assert.deepEqual(served('api.Dockerfile.dockerignore'), [join(dir, 'api.Dockerfile')]);
  // beside it, without their own ignore file
  assert.deepEqual(served('.dockerignore'), [join(dir, 'Dockerfile'), join(dir, 'web.Dockerfile')]);
  const ignore = join(dir, '.dockerignore');
  const touched: string[][] = [];
  session.analyzeServedBy(ignore, {}, (t) => touched.push(t));
  assert.equal(touched.length, 2, 'told after each Dockerfile');
  const found = session.ignoreFileFindings(ignore);
  assert.ok(found.length > 0, 'the ignore file gets findings from the Dockerfiles it serves');
  assert.ok(found.every((f) => f.path === ignore));
  // one Dockerfile's findings replace only its own
  assert.deepEqual(session.recordIgnoreFindings(join(dir, 'Dockerfile'), []), [ignore]);
  assert.equal(session.ignoreFileFindings(ignore).length, found.length, 'web.Dockerfile still places them');
  session.recordIgnoreFindings(join(dir, 'web.Dockerfile'), []);
  assert.deepEqual(session.ignoreFileFindings(ignore), []);
});

test('the build-context report and label name the context, why, and its ignore file', () => {
  const dir = workspace({
    'docker/app.Dockerfile': 'FROM alpine:3.20\nCOPY src /src\n',
    'compose.yaml': 'services:\n  app:\n    build:\n      context: .\n      dockerfile: docker/app.Dockerfile\n',
    '.dockerignore': '.git\n',
    'src/a.txt': 'a',
  });
  const session = new Session();
  session.addWorkspace(dir);
  const file = join(dir, 'docker/app.Dockerfile');
  const report = session.contextReport(file, readFileSync(file, 'utf8'), {});
  const lines = report.split('\n');
  assert.equal(lines[0], '# Build context of docker/app.Dockerfile');
  assert.match(report, /^## \. \(.*compose\.yaml.*\)$/m);
  assert.match(report, /^Ignore file: \.dockerignore — /m);
  const label = session.contextLabel(file, {});
  assert.equal(label?.label, 'context .');
  assert.match(label!.tooltip, /Ignore file: \.dockerignore/);
  assert.equal(session.contextLabel('/elsewhere/Dockerfile', {}), undefined);
});

test('an untrusted session reads no build files, walks no context, excludes nothing by config', () => {
  const files = {
    'docker/app.Dockerfile': 'FROM alpine:3.20\nCOPY src /src\n',
    'compose.yaml': 'services:\n  app:\n    build:\n      context: .\n      dockerfile: docker/app.Dockerfile\n',
    '.cachelens.json': '{"exclude":["docker/**"]}',
    'src/a.txt': 'a',
  };
  const dir = workspace(files);
  const file = join(dir, 'docker/app.Dockerfile');
  const trusted = new Session();
  trusted.addWorkspace(dir);
  assert.equal(trusted.excludes(file), true);
  assert.ok(trusted.analyze(file, files['docker/app.Dockerfile'], {}).contexts.length > 0);
  const untrusted = new Session({ trusted: false });
  untrusted.addWorkspace(dir);
  assert.equal(untrusted.excludes(file), false);
  const a = untrusted.analyze(file, files['docker/app.Dockerfile'], {});
  assert.deepEqual(a.contexts, []);
  assert.equal(a.primaryContext, undefined);
  assert.equal(untrusted.coldContexts(file, {}), undefined);
  assert.equal(untrusted.buildEvidence(file, a.primary.model), undefined);
  assert.ok(trusted.coldContexts(file, {})?.dirs.includes(dir));
});

test('the innermost workspace holds a file; removed workspaces hold none', () => {
  const outer = workspace({ 'inner/Dockerfile': 'FROM alpine:3.20\n' });
  const session = new Session();
  const file = join(outer, 'inner/Dockerfile');
  assert.equal(session.workspaceFor(file), undefined);
  session.addWorkspace(outer);
  // each answer is kept per file: a workspace added or removed later changes it
  assert.equal(session.workspaceFor(file)?.root, outer);
  session.addWorkspace(join(outer, 'inner'));
  assert.equal(session.workspaceFor(file)?.root, join(outer, 'inner'));
  session.removeWorkspace(join(outer, 'inner'));
  assert.equal(session.workspaceFor(file)?.root, outer);
  session.removeWorkspace(outer);
  assert.equal(session.workspaceFor(file), undefined);
  session.addWorkspace(outer);
  assert.equal(session.workspaceFor(file)?.root, outer);
  assert.equal(session.workspaceFor('/not/here/Dockerfile'), undefined);
  assert.equal(session.kindOf(join(outer, 'inner/Dockerfile')), 'dockerfile');
  assert.equal(session.kindOf(join(outer, 'x.Dockerfile.dockerignore')), 'ignore');
  assert.equal(session.kindOf(join(outer, 'Dockerfile.j2'), 'dockerfile'), undefined);
});

test('a closed document leaves nothing behind: its COPY sources and its forecast check are forgotten', () => {
  const dir = workspace({ 'package.json': '{}', 'package-lock.json': '{}' });
  const checked: string[] = [];
  const forecasts = {
    get: (file: string) => void checked.push(file),
    forget: (file: string) => void checked.splice(checked.indexOf(file), 1),
  };
  const session = new Session({ forecasts: forecasts as never });
  const ws = session.addWorkspace(dir);
  const kept = () => (ws as unknown as { copySources: Map<string, unknown> }).copySources.size;
  for (let i = 0; i < 50; i++) {
    const file = join(dir, `d${i}.Dockerfile`);
    session.openDocument(file, NODE_APP, 1);
    session.analyzeDocument(file, {});
    session.forecast(file);
    session.closeDocument(file, 'dockerfile');
  }
  assert.equal(kept(), 0, 'COPY sources of closed Dockerfiles are still kept');
  assert.deepEqual(checked, [], 'forecast checks of closed Dockerfiles are still kept');
});

test('the forecast cache forgets when it checked a closed Dockerfile that has no forecast', async () => {
  const { ForecastCache } = await import('../../server/src/engine/forecastCache');
  const dir = workspace({ Dockerfile: NODE_APP });
  const cache = new ForecastCache({ command: () => ['--version'] });
  const checked = () => (cache as unknown as { checked: Map<string, number> }).checked;
  cache.get(join(dir, 'Dockerfile'), dir);
  assert.equal(checked().size, 1);
  await new Promise((r) => setTimeout(r, 50)); // the check ends: no git work tree here
  cache.forget(join(dir, 'Dockerfile'));
  assert.equal(checked().size, 0);
});
