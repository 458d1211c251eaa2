// Quick fixes are kept in the server and named by the diagnostic's data
// (server/src/lsp/fixes.ts). A fix must still apply after several edits, to
// the text it was computed for, and a diagnostic of an older text must not
// bring its fix to a newer one: its edit ranges point into a text that is gone.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver/node';
import { ensureBuilt } from '../helpers/server';
import { LspClient, type Publish } from '../helpers/lspClient';
import { writeTree } from '../helpers/tree';

const DOCKERFILE = 'FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n';
const IGNORE = 'node_modules\npackage-lock.json\n';
const MOUNT = 'Add cache mount for npm';

const byRule = (p: Publish, rule: string): Diagnostic[] => p.diagnostics.filter((d) => d.code === rule);

/** The text edits of an action for `uri`, with the document version they name. */
function editsFor(action: CodeAction, uri: string): { version: number | null; edits: TextEdit[] } {
  for (const c of action.edit?.documentChanges ?? [])
    if ('textDocument' in c && c.textDocument.uri === uri)
      return { version: c.textDocument.version, edits: c.edits as TextEdit[] };
  assert.fail(`the action does not edit ${uri}: ${JSON.stringify(action)}`);
}

/** Applies single-line edits (all the fixes used here are) to a text, last first. */
function apply(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const sorted = [...edits].sort(
    (a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character,
  );
  for (const e of sorted) {
    assert.equal(e.range.start.line, e.range.end.line, 'a multi-line edit');
    const l = lines[e.range.start.line] ?? '';
    lines[e.range.start.line] = l.slice(0, e.range.start.character) + e.newText + l.slice(e.range.end.character);
  }
  return lines.join('\n');
}

describe('quick fixes after edits (the server keeps them per published version)', () => {
  let client: LspClient;
  let workspace: string;
  let uri: string;
  let ignoreUri: string;
  const publishes: Publish[] = [];
  let text = DOCKERFILE;

  before(async () => {
    ensureBuilt();
    workspace = writeTree(
      { Dockerfile: DOCKERFILE, 'package.json': '{}\n', 'package-lock.json': '{}\n', '.dockerignore': IGNORE },
      'cachelens-quickfix-',
    );
    uri = pathToFileURL(path.join(workspace, 'Dockerfile')).href;
    ignoreUri = pathToFileURL(path.join(workspace, '.dockerignore')).href;
    client = new LspClient();
    await client.initialize(workspace);
  });

  after(() => {
    client?.kill();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('publishes only where the finding is kept in data, and the fixes on request', async () => {
    const since = client.mark(uri);
    client.open(uri, text);
    const p = await client.diagnostics(uri, since, (x) => byRule(x, 'CL201').length > 0, 'CL201');
    publishes.push(p);
    const [d] = byRule(p, 'CL201');
    const data = d.data as { publish?: unknown; index?: unknown };
    assert.deepEqual(Object.keys(data).sort(), ['index', 'publish'], 'the fixes should stay in the server');
    assert.equal(typeof data.publish, 'number');
    const actions = (await client.codeActions(uri, d.range, [d])) ?? [];
    assert.deepEqual(
      actions.map((a) => a.title),
      [MOUNT],
    );
  });

  it('applies the quick fix of the latest diagnostics after several edits, to that version', async () => {
    // typed characters in a comment line added at the end: the finding stays, the text moves on
    for (let v = 2; v <= 5; v++) {
      const lines = text.split('\n');
      const at = { line: lines.length - 1, character: lines[lines.length - 1].length };
      const change = { range: { start: at, end: at }, text: v === 2 ? '#' : 'x' };
      text = apply(text, [{ range: change.range, newText: change.text }]);
      const since = client.mark(uri);
      client.change(uri, v, [change]);
      publishes.push(await client.diagnostics(uri, since, (x) => x.version === v, `diagnostics of version ${v}`));
    }
    const latest = publishes.at(-1)!;
    const [d] = byRule(latest, 'CL201');
    const action = ((await client.codeActions(uri, d.range, [d])) ?? []).find((a) => a.title === MOUNT);
    assert.ok(action, 'no cache-mount action for the latest diagnostics');
    const { version, edits } = editsFor(action, uri);
    assert.equal(version, 5);
    const fixed = apply(text, edits);
    assert.match(fixed, /^RUN --mount=type=cache,target=\/root\/\.npm npm ci$/m);
    assert.ok(fixed.endsWith('#xxx'), `the typed comment is kept: ${JSON.stringify(fixed)}`);
  });

  it('offers no fix for a diagnostic of an older version', async () => {
    const [old] = byRule(publishes[0], 'CL201');
    const actions = (await client.codeActions(uri, old.range, [old])) ?? [];
    assert.deepEqual(
      actions.map((a) => a.title),
      [],
    );
  });

  it('offers no fix once the text changed after the diagnostics were published', async () => {
    const [d] = byRule(publishes.at(-1)!, 'CL201');
    // version 6 arrives before the request; its diagnostics may or may not be out yet
    const since = client.mark(uri);
    client.change(uri, 6, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# top\n' },
    ]);
    const actions = (await client.codeActions(uri, d.range, [d])) ?? [];
    assert.deepEqual(
      actions.map((a) => a.title),
      [],
    );
    // nothing in flight for the next test
    await client.diagnostics(uri, since, (x) => x.version === 6, 'diagnostics of version 6');
  });

  it('applies a fix the Dockerfile places in its open ignore file', async () => {
    const since = client.mark(ignoreUri);
    client.open(ignoreUri, IGNORE, 'dockerignore');
    await client.diagnostics(ignoreUri, since, (x) => byRule(x, 'CL105').length > 0, 'CL105');
    // the Dockerfile's last analysis may publish the ignore file's findings (unopened) just before the open's:
    // a hover, answered after the open's analysis, lets them all arrive
    await client.hover(ignoreUri, 1, 0);
    const p = client.latest(ignoreUri)!;
    const [d] = byRule(p, 'CL105');
    const action = ((await client.codeActions(ignoreUri, d.range, [d])) ?? []).find((a) =>
      a.title.includes('!package-lock.json'),
    );
    assert.ok(action, `no ignore-file action: ${JSON.stringify(p.diagnostics)}`);
    const { version, edits } = editsFor(action, ignoreUri);
    assert.equal(version, 1);
    assert.match(apply(IGNORE, edits), /^!package-lock\.json$/m);
  });
});
