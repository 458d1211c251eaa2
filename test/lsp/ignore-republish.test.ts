// An ignore file's diagnostics come from the Dockerfiles it serves and were
// republished after each of their analyses. The server now leaves out a
// publish identical to the last one for that file (FixStore.publishIfChanged):
// typing in a Dockerfile sends no second message when the ignore file's
// findings stay the same, a change to them is still published, and the fix of
// the ignore file's diagnostic still applies after publishes were left out.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt } from '../helpers/server';
import { LspClient, type Publish } from '../helpers/lspClient';
import { writeTree } from '../helpers/tree';

const DOCKERFILE = 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\n';
const IGNORE = 'node_modules\n';
const cl102 = (p: Publish | undefined) => p?.diagnostics.filter((d) => d.code === 'CL102') ?? [];

describe('ignore-file diagnostics are published when they change', () => {
  let client: LspClient;
  let workspace: string;
  let uri: string;
  let ignoreUri: string;
  let version = 1;
  let text = DOCKERFILE;

  /** Types `insert` at the end of line `line` and waits for that version's Dockerfile publish. */
  async function type(line: number, insert: string): Promise<void> {
    const lines = text.split('\n');
    const at = { line, character: lines[line].length };
    lines[line] += insert;
    text = lines.join('\n');
    version++;
    const since = client.mark(uri);
    client.change(uri, version, [{ range: { start: at, end: at }, text: insert }]);
    await client.diagnostics(uri, since, (p) => p.version === version, `diagnostics of version ${version}`);
    // a request answered after the analysis: any ignore-file publish it made has arrived
    await client.hover(uri, 0, 1);
  }

  before(async () => {
    ensureBuilt();
    workspace = writeTree(
      {
        Dockerfile: DOCKERFILE,
        'package.json': '{}\n',
        'package-lock.json': '{}\n',
        'server.js': '\n',
        '.dockerignore': IGNORE,
      },
      'cachelens-republish-',
    );
    uri = pathToFileURL(path.join(workspace, 'Dockerfile')).href;
    ignoreUri = pathToFileURL(path.join(workspace, '.dockerignore')).href;
    client = new LspClient();
    await client.initialize(workspace);
    client.open(uri, text);
    // the ignore file open too (code actions are asked of open documents): its publishes carry its version
    const since = client.mark(ignoreUri);
    client.open(ignoreUri, IGNORE, 'dockerignore');
    await client.diagnostics(ignoreUri, since, (p) => cl102(p).length > 0, 'CL102 in the ignore file');
    await client.hover(uri, 0, 1);
    await client.hover(ignoreUri, 0, 1);
  });

  after(() => {
    client?.kill();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('sends nothing for the ignore file while typing leaves its findings as they were', async () => {
    const before = client.mark(ignoreUri);
    await type(3, 'x');
    await type(3, 'y');
    await type(3, ' ');
    assert.equal(client.mark(ignoreUri), before, 'the ignore file was published again with the same diagnostics');
  });

  it("still offers the fix of the ignore file's last publish", async () => {
    const [d] = cl102(client.latest(ignoreUri));
    assert.ok(d, 'no CL102 diagnostic');
    const actions = (await client.codeActions(ignoreUri, d.range, [d])) ?? [];
    assert.ok(
      actions.some((a) => /^Add .*Dockerfile/.test(a.title)),
      `no CL102 action: ${JSON.stringify(actions.map((a) => a.title))}`,
    );
    const edit = JSON.stringify(actions[0].edit);
    assert.match(edit, /Dockerfile/);
    assert.match(edit, /"version":1/, 'the fix names the ignore file version it was computed for');
  });

  it('publishes the ignore file when its findings change', async () => {
    const before = client.mark(ignoreUri);
    const [old] = cl102(client.latest(ignoreUri));
    // the COPY that sends the files is named in the finding: another COPY text changes it
    await type(2, '/');
    assert.ok(client.mark(ignoreUri) > before, 'no new publish for the ignore file');
    const [now] = cl102(client.latest(ignoreUri));
    assert.notDeepEqual(now.relatedInformation, old.relatedInformation);
  });

  it('publishes the clearing of the ignore file when the Dockerfile closes', async () => {
    const since = client.mark(ignoreUri);
    client.notify('textDocument/didClose', { textDocument: { uri } });
    await client.diagnostics(ignoreUri, since, (p) => p.diagnostics.length === 0, 'cleared ignore diagnostics');
  });
});
