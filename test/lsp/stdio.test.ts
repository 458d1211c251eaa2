// The real bundled server (dist/server.js) spoken to over stdio, as any editor
// would: JSON-RPC framing, the document lifecycle, debouncing and edits that a
// client applies itself. In-process handler tests cannot see any of that.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
  Hover,
  MarkupContent,
  PublishDiagnosticsParams,
  TextEdit,
  WorkspaceEdit,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver/node';
import { ensureBuilt, assertSplit, REPO } from '../helpers/server';
import { LspClient, type Publish } from '../helpers/lspClient';

// ---------------------------------------------------------------- edits

function offsetAt(text: string, pos: { line: number; character: number }): number {
  let offset = 0;
  for (let line = 0; line < pos.line; line++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  const end = text.indexOf('\n', offset);
  const lineLength = (end < 0 ? text.length : end) - offset;
  return offset + Math.min(pos.character, lineLength);
}

/** Applies LSP text edits the way the protocol says: all ranges refer to the original text, and they must not overlap. */
function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const spans = edits
    .map((e, i) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), newText: e.newText, i }))
    .sort((a, b) => a.start - b.start || a.end - b.end || a.i - b.i);
  for (let k = 1; k < spans.length; k++)
    assert.ok(spans[k].start >= spans[k - 1].end, `overlapping edits: ${JSON.stringify(edits)}`);
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + s.newText;
    at = s.end;
  }
  return out + text.slice(at);
}

/** The text of `uri` after a workspace edit, checking document versions where the edit names one. */
function applyWorkspaceEdit(edit: WorkspaceEdit, uri: string, text: string, version: number): string {
  let result = text;
  let touched = false;
  for (const change of edit.documentChanges ?? []) {
    if (!('textDocument' in change)) continue;
    if (change.textDocument.uri !== uri) continue;
    if (change.textDocument.version !== null)
      assert.equal(change.textDocument.version, version, 'the edit targets another version of the document');
    result = applyTextEdits(result, change.edits as TextEdit[]);
    touched = true;
  }
  for (const [u, edits] of Object.entries(edit.changes ?? {})) {
    if (u !== uri) continue;
    result = applyTextEdits(result, edits);
    touched = true;
  }
  assert.ok(touched, `the edit does not touch ${uri}: ${JSON.stringify(edit)}`);
  return result;
}

// ---------------------------------------------------------------- fixture

function filesUnder(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? filesUnder(dir, p) : [p];
  });
}

const cl001 = (p: Publish | PublishDiagnosticsParams): PublishDiagnosticsParams['diagnostics'] =>
  p.diagnostics.filter((d) => d.code === 'CL001');
const markdown = (h: Hover | null): string => {
  assert.ok(h, 'hover returned null');
  const c = h.contents as MarkupContent;
  assert.equal(c.kind, 'markdown');
  return c.value;
};

describe('language server over stdio (dist/server.js)', () => {
  let client: LspClient;
  let workspace: string;
  let dockerfileUri: string;
  let original: string;
  let contextFileCount: number;
  let firstDiagnostics: PublishDiagnosticsParams;

  before(() => {
    ensureBuilt();
    workspace = mkdtempSync(path.join(tmpdir(), 'cachelens-stdio-'));
    cpSync(path.join(REPO, 'examples', 'node-app'), workspace, { recursive: true });
    // Files the example's .dockerignore (`node_modules`, `*.log`) keeps out, so the count in the hover must exclude them.
    mkdirSync(path.join(workspace, 'node_modules', 'left-pad'), { recursive: true });
    writeFileSync(path.join(workspace, 'node_modules', 'left-pad', 'index.js'), 'module.exports = 1;\n');
    writeFileSync(path.join(workspace, 'npm-debug.log'), 'noise\n');
    writeFileSync(path.join(workspace, 'src', 'extra.js'), 'export const extra = 1;\n');
    contextFileCount = filesUnder(workspace).filter(
      (f) => !f.startsWith('node_modules/') && !f.endsWith('.log'),
    ).length;
    dockerfileUri = pathToFileURL(path.join(workspace, 'Dockerfile')).href;
    original = readFileSync(path.join(workspace, 'Dockerfile'), 'utf8');
    assert.equal(original.split('\n')[2], 'COPY . .', 'the example Dockerfile changed: line 3 should be `COPY . .`');
    client = new LspClient();
  });

  after(() => {
    client?.kill();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('initializes with hover, code actions, fix-all and its commands', async () => {
    const r = await client.initialize(workspace);
    assert.equal(r.serverInfo?.name, 'cachelens');
    const caps = r.capabilities;
    assert.equal(caps.hoverProvider, true);
    assert.ok(caps.textDocumentSync, 'textDocumentSync missing');
    const kinds = typeof caps.codeActionProvider === 'object' ? caps.codeActionProvider.codeActionKinds : undefined;
    assert.deepEqual(kinds?.slice().sort(), ['quickfix', 'source.fixAll.cachelens']);
    assert.ok(caps.executeCommandProvider?.commands.includes('cachelens.fixAll'));
  });

  it('publishes CL001 on the `COPY . .` line when the Dockerfile opens', async () => {
    const since = client.mark(dockerfileUri);
    await client.open(dockerfileUri, original);
    firstDiagnostics = await client.diagnostics(dockerfileUri, since, (p) => cl001(p).length > 0, 'CL001');
    assert.equal(firstDiagnostics.version, 1);
    const [d] = cl001(firstDiagnostics);
    assert.equal(d.range.start.line, 2);
    assert.equal(d.source, 'cachelens');
    assert.match(d.codeDescription?.href ?? '', /rules\.md#cl001/);
    assert.match(String(d.message), /npm ci/);
    // data names the publish that carried it; the server answers a code action for it with the fix
    const data = d.data as { publish?: unknown; index?: unknown } | undefined;
    assert.equal(typeof data?.publish, 'number', `diagnostic.data should name its publish: ${JSON.stringify(d.data)}`);
    assert.equal(typeof data?.index, 'number', `diagnostic.data should name its place: ${JSON.stringify(d.data)}`);
    const actions = (await client.codeActions(dockerfileUri, d.range, [d])) ?? [];
    assert.ok(
      actions.some((a) => a.title === 'Split dependency manifest copy'),
      `the diagnostic's code actions should hold the split: ${JSON.stringify(actions.map((a) => a.title))}`,
    );
  });

  it('hovers the COPY with its cache key and the number of files it matches after .dockerignore', async () => {
    const text = markdown(await client.hover(dockerfileUri, 2, 2));
    assert.match(text, /cache key/i);
    const counts = [...text.matchAll(/\b(\d[\d,]*) files?\b/g)].map((m) => Number(m[1].replace(/,/g, '')));
    assert.ok(
      counts.includes(contextFileCount),
      `expected ${contextFileCount} files (the context minus node_modules/ and *.log) in:\n${text}`,
    );
  });

  let quickFixed: string;
  it('offers "Split dependency manifest copy" whose edit moves the install before the source copy', async () => {
    const [d] = cl001(firstDiagnostics);
    const actions = (await client.codeActions(dockerfileUri, d.range, [d])) ?? [];
    const split = actions.find((a) => a.title === 'Split dependency manifest copy');
    assert.ok(split, `no split action among ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(split.kind, 'quickfix');
    assert.ok(split.edit, 'the action carries no edit');
    quickFixed = applyWorkspaceEdit(split.edit, dockerfileUri, original, 1);
    assertSplit(quickFixed, 'quick fix');
    assert.ok(
      quickFixed.split('\n').includes('RUN npm ci'),
      'the quick fix changes only the order, not the install command',
    );
  });

  it('clears CL001 once the fixed text arrives through didChange', async () => {
    const since = client.mark(dockerfileUri);
    await client.change(dockerfileUri, 2, [{ text: quickFixed }]);
    const p = await client.diagnostics(dockerfileUri, since, (x) => x.version === 2, 'diagnostics of version 2');
    assert.deepEqual(cl001(p), [], `CL001 still reported: ${JSON.stringify(p.diagnostics)}`);
  });

  it('source.fixAll.cachelens on the original text yields the same split', async () => {
    const since = client.mark(dockerfileUri);
    await client.change(dockerfileUri, 3, [{ text: original }]);
    await client.diagnostics(
      dockerfileUri,
      since,
      (x) => x.version === 3 && cl001(x).length > 0,
      'CL001 back in version 3',
    );
    const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const actions = (await client.codeActions(dockerfileUri, whole, [], ['source.fixAll.cachelens'])) ?? [];
    assert.equal(actions.length, 1, `expected one fix-all action: ${JSON.stringify(actions)}`);
    assert.equal(actions[0].kind, 'source.fixAll.cachelens');
    const fixed = applyWorkspaceEdit(actions[0].edit!, dockerfileUri, original, 3);
    assertSplit(fixed, 'fix-all');
    // quick fixes only, by kind filter: no fix-all sneaks in
    const quick = (await client.codeActions(dockerfileUri, whole, [], ['quickfix'])) ?? [];
    assert.ok(!quick.some((a) => a.kind === 'source.fixAll.cachelens'));
  });

  it('workspace/executeCommand cachelens.fixAll asks the client to apply the fix-all edit', async () => {
    const before = client.appliedEdits.length;
    await client.request('workspace/executeCommand', {
      command: 'cachelens.fixAll',
      arguments: [dockerfileUri],
    });
    const req = await client.waitFor('workspace/applyEdit', () => client.appliedEdits[before]);
    const fixed = applyWorkspaceEdit(req.edit, dockerfileUri, original, 3);
    assertSplit(fixed, 'cachelens.fixAll');
  });

  it('fix-all leaves nothing to fix: no CL001 after it, and a second fix-all changes nothing', async () => {
    const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const first = (await client.codeActions(dockerfileUri, whole, [], ['source.fixAll.cachelens'])) ?? [];
    const once = applyWorkspaceEdit(first[0].edit!, dockerfileUri, original, 3);
    const since = client.mark(dockerfileUri);
    await client.change(dockerfileUri, 4, [{ text: once }]);
    const p = await client.diagnostics(dockerfileUri, since, (x) => x.version === 4, 'diagnostics of version 4');
    assert.deepEqual(cl001(p), []);
    // this client edits only the Dockerfile; fix-all may also carry edits for the ignore file, which stay unapplied here
    const second = (await client.codeActions(dockerfileUri, whole, [], ['source.fixAll.cachelens'])) ?? [];
    const touchesDockerfile = (second[0]?.edit?.documentChanges ?? []).some(
      (c) => 'textDocument' in c && c.textDocument.uri === dockerfileUri,
    );
    const twice = touchesDockerfile ? applyWorkspaceEdit(second[0].edit!, dockerfileUri, once, 4) : once;
    assert.equal(twice, once, 'fix-all applied twice differs from once');
  });

  it('an untitled: Dockerfile gets diagnostics without a build context', async () => {
    const uri = 'untitled:Untitled-1';
    const since = client.mark(uri);
    await client.open(uri, original);
    const p = await client.diagnostics(uri, since);
    assert.ok(p.diagnostics.every((d) => d.source === 'cachelens'));
    assert.equal(cl001(p)[0]?.range.start.line, 2, `untitled CL001 missing: ${JSON.stringify(p.diagnostics)}`);
    assert.ok(markdown(await client.hover(uri, 2, 1)).length > 0);
  });

  it('rule severities come from workspace/configuration and apply again after didChangeConfiguration', async () => {
    const uri = 'untitled:Untitled-1';
    try {
      client.settings = { rules: { CL001: 'off' } };
      let since = client.mark(uri);
      await client.notify('workspace/didChangeConfiguration', { settings: null });
      // a publish scheduled before the change may still arrive first, so wait for the one that reflects it
      const off = await client.diagnostics(
        uri,
        since,
        (x) => cl001(x).length === 0,
        'diagnostics without CL001 after turning it off',
      );
      assert.ok(off.diagnostics.every((d) => d.source === 'cachelens'));
      client.settings = { rules: { CL001: 'error' } };
      since = client.mark(uri);
      await client.notify('workspace/didChangeConfiguration', { settings: null });
      const on = await client.diagnostics(
        uri,
        since,
        (x) => cl001(x).length > 0,
        'CL001 back after setting it to error',
      );
      assert.equal(cl001(on)[0].severity, 1, `CL001 should be an error now: ${JSON.stringify(on.diagnostics)}`);
    } finally {
      client.settings = null;
    }
  });

  it('keeps CRLF line endings in the quick fix of a CRLF Dockerfile', async () => {
    const uri = pathToFileURL(path.join(workspace, 'crlf.Dockerfile')).href;
    const crlf = original.replace(/\n/g, '\r\n');
    const since = client.mark(uri);
    await client.open(uri, crlf);
    const p = await client.diagnostics(uri, since, (x) => cl001(x).length > 0, 'CL001 in the CRLF file');
    const [d] = cl001(p);
    assert.equal(d.range.start.line, 2);
    const split = ((await client.codeActions(uri, d.range, [d])) ?? []).find(
      (a) => a.title === 'Split dependency manifest copy',
    );
    assert.ok(split?.edit, 'no split action for the CRLF file');
    const fixed = applyWorkspaceEdit(split.edit, uri, crlf, 1);
    assert.doesNotMatch(fixed, /[^\r]\n/, `a bare LF crept into the CRLF file: ${JSON.stringify(fixed)}`);
    assertSplit(fixed.replace(/\r\n/g, '\n'), 'CRLF quick fix');
  });

  it('survives binary garbage and an empty Dockerfile, and still answers hover afterwards', async () => {
    const garbageUri = pathToFileURL(path.join(workspace, 'garbage.Dockerfile')).href;
    const emptyUri = pathToFileURL(path.join(workspace, 'empty.Dockerfile')).href;
    let garbage = '\uFEFF\0\x01\x02FROM\0 \uD800 COPY \\\n\\\n\\';
    for (let i = 0; i < 2000; i++) garbage += String.fromCharCode((i * 7919) % 0xd7ff);
    garbage += '\r\rRUN <<EOF\n' + 'ONBUILD '.repeat(500) + '\nARG ${${${\nCOPY --from=${x} [ "a", \n';
    const g0 = client.mark(garbageUri);
    const e0 = client.mark(emptyUri);
    await client.open(garbageUri, garbage);
    await client.open(emptyUri, '');
    await client.diagnostics(garbageUri, g0);
    const empty = await client.diagnostics(emptyUri, e0);
    assert.deepEqual(empty.diagnostics, []);
    for (const [uri, line] of [
      [garbageUri, 0],
      [garbageUri, 3],
      [emptyUri, 0],
    ] as const)
      await client.hover(uri, line, 0);
    await client.codeActions(
      garbageUri,
      { start: { line: 0, character: 0 }, end: { line: 5, character: 0 } },
      [],
      ['source.fixAll.cachelens'],
    );
    const hover = markdown(await client.hover(dockerfileUri, 2, 2));
    assert.match(hover, /cache key/i);
    assert.equal(client.exitCode, undefined, 'server exited');
    const failures = client.logs.filter((l) => /garbage|empty\.Dockerfile|uncaught|unhandled/i.test(l.message));
    assert.deepEqual(failures, [], 'the server logged a failure');
  });

  it('a template the editor tags as dockerfile (Dockerfile.j2 by `Dockerfile.*`) gets no diagnostics; a Dockerfile opened after it does', async () => {
    const templateUri = pathToFileURL(path.join(workspace, 'Dockerfile.j2')).href;
    const nextUri = pathToFileURL(path.join(workspace, 'after-template.Dockerfile')).href;
    const t0 = client.mark(templateUri);
    const n0 = client.mark(nextUri);
    await client.open(templateUri, 'FROM {{ base_image }}\nCOPY {{ src }} /app\nCOPY . .\nRUN npm ci\n');
    await client.open(nextUri, original);
    // the template is set aside before the server awaits anything, so its publish would have come first
    await client.diagnostics(
      nextUri,
      n0,
      (x) => cl001(x).length > 0,
      'CL001 in the Dockerfile opened after the template',
    );
    assert.equal(client.published.get(templateUri)?.length ?? 0, t0, 'the template got diagnostics');
    await client.hover(templateUri, 1, 2);
    assert.equal(client.exitCode, undefined, 'server exited');
  });

  it('after 200 rapid edits the last diagnostics published are those of the final text', async (t) => {
    const uri = pathToFileURL(path.join(workspace, 'rapid.Dockerfile')).href;
    await client.open(uri, original);
    let text = original;
    const since = client.mark(uri);
    const started = Date.now();
    for (let v = 2; v <= 201; v++) {
      // mostly incremental inserts at the top (pushing `COPY . .` down a line each), every 50th a full replacement
      const change: TextDocumentContentChangeEvent =
        v % 50 === 0
          ? { text: `# full ${v}\n` + text }
          : { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: `# edit ${v}\n` };
      text = 'range' in change ? applyTextEdits(text, [{ range: change.range, newText: change.text }]) : change.text;
      void client.change(uri, v, [change]);
    }
    const expectedLine = text.split('\n').indexOf('COPY . .');
    assert.equal(expectedLine, 202);
    await client.diagnostics(uri, since, (p) => p.version === 201, 'diagnostics of version 201');
    const settledMs = Date.now() - started;
    // a later version's publish: an analysis still in flight for an older text would have published before it
    const before = client.mark(uri);
    void client.change(uri, 202, [
      { range: { start: { line: 900, character: 0 }, end: { line: 900, character: 0 } }, text: '\n# settle' },
    ]);
    await client.diagnostics(uri, before, (p) => p.version === 202, 'the settling publish (version 202)');
    const last = client.published.get(uri)!.at(-2)!;
    assert.equal(last.version, 201, `a stale publish came last: version ${last.version}`);
    assert.deepEqual(
      cl001(last).map((d) => d.range.start.line),
      [expectedLine],
    );
    const publishes = client.published.get(uri)!.length - since;
    const hover = markdown(await client.hover(uri, expectedLine, 1));
    assert.match(hover, /cache key/i);
    t.diagnostic(`200 didChange → ${publishes} publishes; final diagnostics ${settledMs} ms after the first change`);
  });

  it('logged no errors in the whole session, shuts down and exits with code 0', async () => {
    assert.deepEqual(
      client.logs.filter((l) => l.type === 1),
      [],
      'the server logged errors',
    );
    assert.equal(await client.shutdown(), 0);
  });
});
