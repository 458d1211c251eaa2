// The one precedence list of ignore files (context/ignoreFiles.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dockerfileOfIgnoreFile, ignoreFileCandidates, isIgnoreFileName } from '../../server/src/context/ignoreFiles';

test('Docker reads X.dockerignore beside X, then the context .dockerignore; podman reads .containerignore first', () => {
  const names = (podman: boolean) =>
    ignoreFileCandidates('/w/app/web.Dockerfile', '/w', podman).map((c) => [c.path, c.beside]);
  assert.deepEqual(names(false), [
    ['/w/app/web.Dockerfile.dockerignore', true],
    ['/w/.dockerignore', false],
  ]);
  assert.deepEqual(names(true), [
    ['/w/app/web.Dockerfile.dockerignore', true],
    ['/w/.containerignore', false],
    ['/w/.dockerignore', false],
  ]);
});

test('an X.dockerignore serves X; .dockerignore and .containerignore serve a whole context', () => {
  assert.equal(dockerfileOfIgnoreFile('/w/app/Dockerfile.dockerignore'), '/w/app/Dockerfile');
  assert.equal(dockerfileOfIgnoreFile('/w/app/.dockerignore'), undefined);
  assert.equal(dockerfileOfIgnoreFile('/w/app/.containerignore'), undefined);
  for (const name of ['.dockerignore', 'Dockerfile.dockerignore', '.containerignore'])
    assert.ok(isIgnoreFileName(name), name);
  for (const name of ['Dockerfile', '.gitignore', 'x.containerignore']) assert.ok(!isIgnoreFileName(name), name);
});
