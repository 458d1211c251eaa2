// dockerfile-language-service's stage-name check backtracks exponentially on a
// long invalid name (server/src/lsp/safeValidate.ts). The guarded validate
// must give exactly the service's own diagnostics where the service is quick,
// and the same kind of diagnostic, naming the real word, where it is not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DockerfileLanguageServiceFactory } from 'dockerfile-language-service';
import { safeValidate } from '../../server/src/lsp/safeValidate';
import { parseDockerfile } from '../../server/src/parse/dockerfile';

const service = DockerfileLanguageServiceFactory.createLanguageService();

test('an invalid stage name of moderate length: the same diagnostics as the service', () => {
  for (const text of [
    'FROM node:20 AS Build_Stage/one:x\nRUN ls\n',
    'FROM x\nFROM ghcr.io/astral/uv:0.11 AS s\n',
    'FROM a b ghcr.io/uv:0.1-py3\n',
    'FROM node:20 AS build\nRUN ls\n',
  ])
    assert.deepEqual(safeValidate(service, text), service.validate(text), JSON.stringify(text));
});

test('a long invalid third FROM word is reported as the service reports a short one, with its own text', () => {
  const long = `ghcr.io/astral-sh/uv:0.11.32-python3.12-trixie-slim-${'x'.repeat(20)}`;
  const text = `FROM x \\\n# note\nFROM ${long}\n`;
  const found = safeValidate(service, text);
  const stageName = found.find((d) => String(d.message).includes(long.toLowerCase()));
  assert.ok(stageName, JSON.stringify(found.map((d) => d.message)));
  const short = safeValidate(service, 'FROM x \\\n# note\nFROM ghcr.io/a:1\n');
  assert.deepEqual(
    found.map((d) => d.code),
    short.map((d) => d.code),
  );
  assert.ok(!found.some((d) => String(d.message).includes(`0${long.slice(1)}`)));
});

test("the server's own model of the same text gives the diagnostics a fresh parse gives", () => {
  const text = `FROM a b ${'x/'.repeat(30)}\n`;
  const model = parseDockerfile(text);
  assert.deepEqual(safeValidate(service, text, model), safeValidate(service, text));
});
