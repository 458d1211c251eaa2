// cachelens.languageFeatures: the standard Dockerfile features of
// dockerfile-language-service in the same server, only when asked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem } from 'vscode-languageserver/node';
import { LspClient } from '../helpers/lspClient';
import { ensureBuilt } from '../helpers/server';

async function session(languageFeatures: boolean) {
  ensureBuilt();
  const client = new LspClient();
  client.settings = {};
  const init = await client.initialize(null, { capabilities: {}, initializationOptions: { languageFeatures } });
  return { client, init };
}

test('off by default: no completion or formatting capability, no syntax diagnostics', async () => {
  const s = await session(false);
  try {
    assert.equal(s.init.capabilities.completionProvider, undefined);
    assert.equal(s.init.capabilities.documentFormattingProvider, undefined);
    const uri = 'untitled:Dockerfile';
    s.client.open(uri, 'FROM\n');
    // the document's publish, then a round trip: nothing else is on its way
    await s.client.diagnostics(uri);
    await s.client.hover(uri, 0, 0);
    const published = s.client.published.get(uri)!;
    assert.ok(
      published.every((p) => p.diagnostics.length === 0),
      JSON.stringify(published),
    );
  } finally {
    s.client.kill();
  }
});

test('on: completion, formatting and syntax diagnostics with source cachelens', async () => {
  const s = await session(true);
  try {
    assert.ok(s.init.capabilities.completionProvider);
    assert.equal(s.init.capabilities.documentFormattingProvider, true);
    const uri = 'untitled:Dockerfile';
    s.client.open(uri, 'FROM\nfrom  node:20\nWORKD');
    const diags = (await s.client.diagnostics(uri, 0, (p) => p.diagnostics.length > 0, 'syntax diagnostics'))
      .diagnostics;
    assert.ok(diags.length > 0, 'expected syntax diagnostics');
    assert.ok(diags.every((d) => d.source === 'cachelens'));
    const items = (await s.client.request('textDocument/completion', {
      textDocument: { uri },
      position: { line: 2, character: 5 },
    })) as CompletionItem[];
    assert.ok(
      items.some((i) => i.label === 'WORKDIR'),
      JSON.stringify(items.map((i) => i.label)),
    );
    const edits = (await s.client.request('textDocument/formatting', {
      textDocument: { uri },
      options: { tabSize: 4, insertSpaces: true },
    })) as unknown[];
    assert.ok(Array.isArray(edits));
  } finally {
    s.client.kill();
  }
});
