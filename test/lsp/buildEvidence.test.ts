// The editor side of build evidence: the import command saves a build, then
// inlay hints, the hover's "Last build" line and an information diagnostic on
// the first miss come from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { Hover, InlayHint, PublishDiagnosticsParams } from 'vscode-languageserver/node';

const REPO = path.resolve(__dirname, '..', '..');
const SERVER = path.join(REPO, 'dist', 'server.js');
const LOGS = path.join(REPO, 'test', 'fixtures', 'build-logs');

test('import build log: inlay hints per step, a Last build hover line, the first miss as information', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cachelens-evidence-'));
  cpSync(path.join(REPO, 'bench', 'realbuild', 'projects', 'node-express-api'), dir, { recursive: true });
  appendFileSync(path.join(dir, '.dockerignore'), '\n.cachelens\n');
  const dockerfile = path.join(dir, 'Dockerfile');
  const uri = pathToFileURL(dockerfile).href;
  const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const published: PublishDiagnosticsParams[] = [];
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => void published.push(p));
  conn.onRequest('workspace/configuration', () => [{}]);
  conn.onRequest('workspace/inlayHint/refresh', () => null);
  conn.listen();
  try {
    const init = (await conn.sendRequest('initialize', {
      processId: null,
      rootUri: pathToFileURL(dir).href,
      capabilities: {},
    })) as { capabilities: { inlayHintProvider?: unknown; executeCommandProvider?: { commands: string[] } } };
    assert.ok(init.capabilities.inlayHintProvider);
    assert.ok(init.capabilities.executeCommandProvider!.commands.includes('cachelens.server.importBuildLog'));
    conn.sendNotification('initialized', {});
    conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'dockerfile', version: 1, text: readFileSync(dockerfile, 'utf8') },
    });

    // the cold build, then a source edit: the second import explains its miss from the first
    const first = await conn.sendRequest('workspace/executeCommand', {
      command: 'cachelens.server.importBuildLog',
      arguments: [path.join(LOGS, 'node-express-api', 'cold.log'), uri],
    });
    assert.equal(first, 'Dockerfile: 0 cached, 3 ran, first miss line 2');
    appendFileSync(path.join(dir, 'src', 'server.js'), '\n// edited\n');
    const summary = await conn.sendRequest('workspace/executeCommand', {
      command: 'cachelens.server.importBuildLog',
      arguments: [path.join(LOGS, 'node-express-api', 'source-edit.log'), uri],
    });
    assert.equal(summary, 'Dockerfile: 1 cached, 2 ran, first miss line 3');
    assert.equal(readdirSync(path.join(dir, '.cachelens', 'builds')).length, 2);

    const hints = (await conn.sendRequest('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } },
    })) as InlayHint[];
    assert.deepEqual(
      hints.map((h) => `${h.position.line}:${h.label}`),
      ['0:base image', '1:cached', '2:ran 0.0 s', '3:ran 3.4 s'],
    );
    const hover = (await conn.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 2, character: 1 },
    })) as Hover;
    const value = (hover.contents as { value: string }).value;
    assert.match(
      value,
      /\*\*Last build\*\* \(buildkit, imported .*\): ran 0\.0 s\. The build's first cache miss: files under this COPY changed since the previous build: changed `src\/server\.js`/,
    );

    const deadline = Date.now() + 10_000;
    // the first import's publish may still be the latest for a moment: wait for the second's
    const info = () =>
      published
        .filter((p) => p.uri === uri)
        .at(-1)
        ?.diagnostics.find((d) => d.code === 'last-build' && d.range.start.line === 2);
    while (!info() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const d = info();
    assert.ok(d, JSON.stringify(published.at(-1)));
    assert.equal(d!.severity, 3);
    assert.equal(d!.range.start.line, 2);
    assert.match(
      String(d!.message),
      /^Last build's first cache miss: this step ran 0\.0 s; the steps after it ran 3\.4 s\. Why: files under this COPY changed/,
    );
  } finally {
    conn.dispose();
    proc.kill('SIGKILL');
    for (const s of [proc.stdin, proc.stdout, proc.stderr]) s.destroy();
  }
});

test('import build log in an untrusted workspace: refused, nothing read, run or written', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cachelens-evidence-untrusted-'));
  cpSync(path.join(REPO, 'bench', 'realbuild', 'projects', 'node-express-api'), dir, { recursive: true });
  const uri = pathToFileURL(path.join(dir, 'Dockerfile')).href;
  const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  conn.onRequest('workspace/configuration', () => [{}]);
  conn.onRequest('workspace/inlayHint/refresh', () => null);
  conn.listen();
  try {
    await conn.sendRequest('initialize', {
      processId: null,
      rootUri: pathToFileURL(dir).href,
      capabilities: {},
      initializationOptions: { trusted: false },
    });
    conn.sendNotification('initialized', {});
    const reply = await conn.sendRequest('workspace/executeCommand', {
      command: 'cachelens.server.importBuildLog',
      arguments: [path.join(LOGS, 'node-express-api', 'cold.log'), uri],
    });
    assert.match(String(reply), /^cachelens: trust this workspace to import a build log/);
    assert.equal(existsSync(path.join(dir, '.cachelens')), false);
  } finally {
    conn.dispose();
    proc.kill('SIGKILL');
    for (const s of [proc.stdin, proc.stdout, proc.stderr]) s.destroy();
  }
});
