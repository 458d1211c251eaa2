// The server over stdio: the status bar's build-context label
// (cachelens.contextLabel), and .cachelens.json read by the server as by the CLI
// (severities applied, excluded files get no diagnostics).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, type Publish } from '../helpers/lspClient';
import { ensureBuilt } from '../helpers/server';

const NAIVE = 'FROM node:20.11.1\nWORKDIR /app\nCOPY . .\nRUN npm ci\n';
let dir: string;
let client: LspClient;

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
  client = new LspClient();
  client.settings = {};
  await client.initialize(dir, {
    capabilities: { workspace: { configuration: true } },
    initializationOptions: { trusted: true },
  });
});

after(() => {
  client?.kill();
});

function open(rel: string): string {
  const uri = pathToFileURL(path.join(dir, rel)).href;
  client.open(uri, NAIVE);
  return uri;
}

function diagnostics(uri: string): Promise<Publish> {
  return client.diagnostics(uri);
}

test('contextLabel: the status bar text and tooltip of a Dockerfile, from the resolved context', async () => {
  const uri = open('Dockerfile');
  const label = (await client.request('workspace/executeCommand', {
    command: 'cachelens.contextLabel',
    arguments: [uri],
  })) as { label: string; tooltip: string };
  assert.equal(label.label, 'context .');
  assert.match(label.tooltip, /^Build context: \. \(.+\)\nIgnore file: none\nClick: Show build context$/);
  const api = open('docker/api.Dockerfile');
  const mapped = (await client.request('workspace/executeCommand', {
    command: 'cachelens.contextLabel',
    arguments: [api],
  })) as { label: string; tooltip: string };
  assert.equal(mapped.label, 'context .');
  assert.match(mapped.tooltip, /cachelens\.json/);
  assert.equal(
    await client.request('workspace/executeCommand', {
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
