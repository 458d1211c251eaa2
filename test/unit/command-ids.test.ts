// The language client registers every command the server lists in executeCommandProvider; a palette
// command of the same id makes the extension fail to activate ("command … already exists"), which the
// code-server e2e caught twice. The two sets must not meet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { REPO } from '../helpers/server';

test('no palette command shares an id with a server command', () => {
  const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
    contributes: { commands: { command: string }[] };
  };
  const palette = pkg.contributes.commands.map((c) => c.command);
  const server = readFileSync(path.join(REPO, 'server', 'src', 'server.ts'), 'utf8');
  const listed = /executeCommandProvider:\s*\{\s*commands:\s*\[([^\]]*)\]/.exec(server);
  assert.ok(listed, 'executeCommandProvider not found in server.ts');
  const serverIds = [...listed[1].matchAll(/'([^']+)'/g)].map((m) => m[1]);
  assert.ok(serverIds.length >= 2);
  assert.deepEqual(
    palette.filter((id) => serverIds.includes(id)),
    [],
  );
});
