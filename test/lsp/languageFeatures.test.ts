// cachelens.languageFeatures: the standard Dockerfile features of
// dockerfile-language-service in the same server, only when asked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { InitializeResult, PublishDiagnosticsParams, CompletionItem } from 'vscode-languageserver/node';

const SERVER = path.resolve(__dirname, '..', '..', 'dist', 'server.js');

async function session(languageFeatures: boolean) {
  const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const published: PublishDiagnosticsParams[] = [];
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
  });
  conn.onRequest('workspace/configuration', () => [{}]);
  conn.listen();
  const init = (await conn.sendRequest('initialize', {
    processId: null,
    rootUri: null,
    capabilities: {},
    initializationOptions: { languageFeatures },
  })) as InitializeResult;
  conn.sendNotification('initialized', {});
  return { proc, conn, init, published };
}

test('off by default: no completion or formatting capability, no syntax diagnostics', async () => {
  const s = await session(false);
  try {
    assert.equal(s.init.capabilities.completionProvider, undefined);
    assert.equal(s.init.capabilities.documentFormattingProvider, undefined);
    s.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri: 'untitled:Dockerfile', languageId: 'dockerfile', version: 1, text: 'FROM\n' },
    });
    await new Promise((r) => setTimeout(r, 800));
    assert.ok(
      s.published.every((p) => p.diagnostics.length === 0),
      JSON.stringify(s.published),
    );
  } finally {
    s.conn.dispose();
    s.proc.kill();
  }
});

test('on: completion, formatting and syntax diagnostics with source cachelens', async () => {
  const s = await session(true);
  try {
    assert.ok(s.init.capabilities.completionProvider);
    assert.equal(s.init.capabilities.documentFormattingProvider, true);
    const uri = 'untitled:Dockerfile';
    s.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'dockerfile', version: 1, text: 'FROM\nfrom  node:20\nWORKD' },
    });
    const deadline = Date.now() + 5000;
    while (!s.published.some((p) => p.diagnostics.length) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const diags = s.published.flatMap((p) => p.diagnostics);
    assert.ok(diags.length > 0, 'expected syntax diagnostics');
    assert.ok(diags.every((d) => d.source === 'cachelens'));
    const items = (await s.conn.sendRequest('textDocument/completion', {
      textDocument: { uri },
      position: { line: 2, character: 5 },
    })) as CompletionItem[];
    assert.ok(
      items.some((i) => i.label === 'WORKDIR'),
      JSON.stringify(items.map((i) => i.label)),
    );
    const edits = (await s.conn.sendRequest('textDocument/formatting', {
      textDocument: { uri },
      options: { tabSize: 4, insertSpaces: true },
    })) as unknown[];
    assert.ok(Array.isArray(edits));
  } finally {
    s.conn.dispose();
    s.proc.kill();
  }
});
