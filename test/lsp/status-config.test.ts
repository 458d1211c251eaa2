// The server over stdio: the status bar's build-context label
// (cachelens.contextLabel), and .cachelens.json read by the server as by the CLI
// (severities applied, excluded files get no diagnostics).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { ensureBuilt, SERVER } from '../helpers/server';

const NAIVE = 'FROM node:20.11.1\nWORKDIR /app\nCOPY . .\nRUN npm ci\n';
let dir: string;
let proc: ChildProcessWithoutNullStreams;
let conn: MessageConnection;
const published = new Map<string, PublishDiagnosticsParams[]>();

before(async () => {
  ensureBuilt();
  dir = mkdtempSync(path.join(tmpdir(), 'cachelens-status-'));
  for (const [p, text] of Object.entries({
    'package.json': '{}',
    Dockerfile: NAIVE,
    'vendor/Dockerfile': NAIVE,
    'docker/api.Dockerfile': NAIVE,
    '.cachelens.json':
      '{"rules": {"CL001": "error"}, "exclude": ["vendor/"], "contexts": [{"dockerfile": "docker/api.Dockerfile", "context": "."}]}',
  })) {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), text);
  }
  proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.set(p.uri, [...(published.get(p.uri) ?? []), p]);
  });
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
  conn.listen();
  const root = pathToFileURL(dir).href;
  await conn.sendRequest('initialize', {
    processId: null,
    rootUri: root,
    workspaceFolders: [{ uri: root, name: 'x' }],
    capabilities: { workspace: { configuration: true } },
    initializationOptions: { trusted: true },
  });
  conn.sendNotification('initialized', {});
});

after(() => {
  conn?.dispose();
  proc?.kill();
});

function open(rel: string): string {
  const uri = pathToFileURL(path.join(dir, rel)).href;
  conn.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'dockerfile', version: 1, text: NAIVE },
  });
  return uri;
}

async function diagnostics(uri: string): Promise<PublishDiagnosticsParams> {
  for (let i = 0; i < 200; i++) {
    const p = published.get(uri)?.at(-1);
    if (p) return p;
    await new Promise((r) => setImmediate(r));
    await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } }); // a round trip, not a sleep
  }
  throw new Error(`no diagnostics for ${uri}`);
}

test('contextLabel: the status bar text and tooltip of a Dockerfile, from the resolved context', async () => {
  const uri = open('Dockerfile');
  const label = (await conn.sendRequest('workspace/executeCommand', {
    command: 'cachelens.contextLabel',
    arguments: [uri],
  })) as { label: string; tooltip: string };
  assert.equal(label.label, 'context .');
  assert.match(label.tooltip, /^Build context: \. \(.+\)\nIgnore file: none\nClick: Show build context$/);
  const api = open('docker/api.Dockerfile');
  const mapped = (await conn.sendRequest('workspace/executeCommand', {
    command: 'cachelens.contextLabel',
    arguments: [api],
  })) as { label: string; tooltip: string };
  assert.equal(mapped.label, 'context .');
  assert.match(mapped.tooltip, /cachelens\.json/);
  assert.equal(
    await conn.sendRequest('workspace/executeCommand', {
      command: 'cachelens.contextLabel',
      arguments: [pathToFileURL(path.join(dir, 'nope')).href],
    }),
    null,
  );
});

test('.cachelens.json in the server: its severity applies, an excluded file gets no diagnostics', async () => {
  const main = await diagnostics(open('Dockerfile'));
  const cl001 = main.diagnostics.find((d) => d.code === 'CL001');
  assert.equal(cl001?.severity, 1, JSON.stringify(main.diagnostics));
  const vendor = await diagnostics(open('vendor/Dockerfile'));
  assert.deepEqual(vendor.diagnostics, []);
});
