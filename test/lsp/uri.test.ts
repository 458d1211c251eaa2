// file: URIs <-> paths (server/src/lsp/uri.ts), whose answers are kept: the
// same answers as node:url's, also after the memo is full and cleared.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { URI } from '../../server/src/lsp/uri';

describe('URI', () => {
  it("turns paths into file: URIs and back as node:url does, and leaves other schemes' keys as they are", () => {
    for (let round = 0; round < 2; round++) {
      for (const p of ['/w/Dockerfile', '/w/a b/Dockerfile', '/w/100%/x#y?.dockerignore', '/w/日本/Dockerfile']) {
        assert.equal(URI.fromPath(p), pathToFileURL(p).toString());
        assert.equal(URI.toPath(URI.fromPath(p)), p);
      }
      assert.equal(URI.fromPath('untitled:Untitled-1'), 'untitled:Untitled-1');
      assert.equal(URI.toPath('untitled:Untitled-1'), undefined);
      assert.equal(URI.toPath('file://host/%'), undefined);
    }
  });

  it('answers correctly beyond the number of kept answers', () => {
    for (let i = 0; i < 700; i++) {
      const p = `/w/dir${i}/Dockerfile`;
      assert.equal(URI.fromPath(p), pathToFileURL(p).toString());
      assert.equal(URI.toPath(pathToFileURL(p).toString()), fileURLToPath(pathToFileURL(p)));
    }
  });
});
