// The editor side of build evidence: the import command saves a build, then
// inlay hints, the hover's "Last build" line and an information diagnostic on
// the first miss come from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover, InlayHint } from 'vscode-languageserver/node';
import { LspClient } from '../helpers/lspClient';
import { ensureBuilt, REPO } from '../helpers/server';

const LOGS = path.join(REPO, 'test', 'fixtures', 'build-logs');

test('import build log: inlay hints per step, a Last build hover line, the first miss as information', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cachelens-evidence-'));
  cpSync(path.join(REPO, 'bench', 'realbuild', 'projects', 'node-express-api'), dir, { recursive: true });
  appendFileSync(path.join(dir, '.dockerignore'), '\n.cachelens\n');
  const dockerfile = path.join(dir, 'Dockerfile');
  const uri = pathToFileURL(dockerfile).href;
  ensureBuilt();
  const client = new LspClient();
  client.settings = {};
  try {
    const init = await client.initialize(dir, { capabilities: {} });
    assert.ok(init.capabilities.inlayHintProvider);
    assert.ok(init.capabilities.executeCommandProvider!.commands.includes('cachelens.server.importBuildLog'));
    client.open(uri, readFileSync(dockerfile, 'utf8'));

    // the cold build, then a source edit: the second import explains its miss from the first
    const first = await client.request('workspace/executeCommand', {
      command: 'cachelens.server.importBuildLog',
      arguments: [path.join(LOGS, 'node-express-api', 'cold.log'), uri],
    });
    assert.equal(first, 'Dockerfile: 0 cached, 3 ran, first miss line 2');
    appendFileSync(path.join(dir, 'src', 'server.js'), '\n// edited\n');
    const summary = await client.request('workspace/executeCommand', {
      command: 'cachelens.server.importBuildLog',
      arguments: [path.join(LOGS, 'node-express-api', 'source-edit.log'), uri],
    });
    assert.equal(summary, 'Dockerfile: 1 cached, 2 ran, first miss line 3');
    assert.equal(readdirSync(path.join(dir, '.cachelens', 'builds')).length, 2);

    const hints = (await client.request('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } },
    })) as InlayHint[];
    assert.deepEqual(
      hints.map((h) => `${h.position.line}:${h.label}`),
      ['0:base image', '1:cached', '2:ran 0.0 s', '3:ran 3.4 s'],
    );
    const hover = (await client.request('textDocument/hover', {
      textDocument: { uri },
      position: { line: 2, character: 1 },
    })) as Hover;
    const value = (hover.contents as { value: string }).value;
    assert.match(
      value,
      /\*\*Last build\*\* \(buildkit, imported .*\): ran 0\.0 s\. The build's first cache miss: files under this COPY changed since the previous build: changed `src\/server\.js`/,
    );

    // the first import's publish may still be the latest for a moment: wait for the second's
    const d = await client.waitFor(
      'the last-build diagnostic on line 3',
      () => client.latest(uri)?.diagnostics.find((x) => x.code === 'last-build' && x.range.start.line === 2),
      10_000,
    );
    assert.equal(d!.severity, 3);
    assert.equal(d!.range.start.line, 2);
    assert.match(
      String(d!.message),
      /^Last build's first cache miss: this step ran 0\.0 s; the steps after it ran 3\.4 s\. Why: files under this COPY changed/,
    );
  } finally {
    client.kill();
  }
});

test('import build log in an untrusted workspace: refused, nothing read, run or written', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cachelens-evidence-untrusted-'));
  cpSync(path.join(REPO, 'bench', 'realbuild', 'projects', 'node-express-api'), dir, { recursive: true });
  const uri = pathToFileURL(path.join(dir, 'Dockerfile')).href;
  ensureBuilt();
  const client = new LspClient();
  client.settings = {};
  try {
    await client.initialize(dir, { capabilities: {}, initializationOptions: { trusted: false } });
    const reply = await client.request('workspace/executeCommand', {
      command: 'cachelens.server.importBuildLog',
      arguments: [path.join(LOGS, 'node-express-api', 'cold.log'), uri],
    });
    assert.match(String(reply), /^cachelens: trust this workspace to import a build log/);
    assert.equal(existsSync(path.join(dir, '.cachelens')), false);
  } finally {
    client.kill();
  }
});
