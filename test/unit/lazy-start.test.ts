// What the first Dockerfile's diagnostics do not need stays unloaded: the YAML
// and TOML readers (compose files, pnpm workspaces, fly.toml) and Docker's
// language service (cachelens.languageFeatures, off by default) are required on
// first use (parse/lazy.ts, lsp/languageFeatures.ts), so the server's start does
// not evaluate them. In process, from the sources: an eager `import` of any of
// them anywhere on the way from the session or the LSP glue puts it in
// require.cache and fails this test; the last part shows that the check sees a
// reader once it is used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { Session } from '../../server/src/engine/session';
import { SettingsCache } from '../../server/src/lsp/settings';
import { registerLanguageFeatures } from '../../server/src/lsp/languageFeatures';
import { REPO } from '../helpers/server';

const PACKAGES = ['yaml', 'smol-toml', 'dockerfile-language-service'];
const loaded = (pkg: string) =>
  Object.keys(require.cache).some((f) => f.includes(`${sep}node_modules${sep}${pkg}${sep}`));

test('a first analysis without compose, pnpm or fly files loads no YAML/TOML reader nor the language service', () => {
  // the LSP glue that server.ts starts with is imported above, the language features among it
  assert.equal(typeof SettingsCache, 'function');
  assert.equal(typeof registerLanguageFeatures, 'function');
  const dir = mkdtempSync(join(tmpdir(), 'cachelens-lazy-'));
  cpSync(join(REPO, 'examples', 'node-app'), dir, { recursive: true });
  const session = new Session();
  session.addWorkspace(dir);
  const file = join(dir, 'Dockerfile');
  const analysis = session.analyze(file, readFileSync(file, 'utf8'), {});
  assert.ok(
    analysis.findings.some((f) => f.rule === 'CL001'),
    'the example is analysed in its build context',
  );
  for (const pkg of PACKAGES) assert.equal(loaded(pkg), false, `${pkg} was loaded`);

  // a compose file and a fly.toml in the workspace: their readers load when they are read
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  app:\n    build: .\n');
  writeFileSync(join(dir, 'fly.toml'), '[build]\ndockerfile = "Dockerfile"\nignorefile = ".dockerignore"\n');
  const again = new Session();
  again.addWorkspace(dir);
  again.analyze(file, readFileSync(file, 'utf8'), {});
  assert.equal(loaded('yaml'), true, 'the compose file was read without the YAML reader');
  assert.equal(loaded('smol-toml'), true, 'fly.toml was read without the TOML reader');
  assert.equal(loaded('dockerfile-language-service'), false);
});
