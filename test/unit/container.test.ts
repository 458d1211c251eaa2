// The container image's Dockerfile is what cachelens recommends: clean at every
// severity under `cachelens check`, multi-stage, the install keyed by the lock
// file alone, and a .dockerignore that sends only what the build copies.
// (.ci/run builds this Dockerfile offline, with the npm pack bundles, and runs it: scripts/container-smoke.sh.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPO as root } from '../helpers/server';

test('the cachelens Dockerfile is clean under cachelens check at every severity', () => {
  const r = spawnSync(
    process.execPath,
    [join(root, 'bin', 'cachelens'), 'check', '--format', 'json', '--fail-on', 'hint', join(root, 'Dockerfile')],
    { encoding: 'utf8', timeout: 60_000 },
  );
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const findings = JSON.parse(r.stdout).files.flatMap((f: { findings: unknown[] }) => f.findings);
  assert.deepEqual(findings, []);
  assert.equal(r.stderr, '');
});

test('the image is multi-stage, installs from the lock file before the sources, runs the CLI bin', () => {
  const text = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const lines = text.split('\n');
  assert.equal(lines.filter((l) => /^FROM /.test(l)).length, 3);
  const install = lines.findIndex((l) => /npm ci/.test(l));
  const sources = lines.findIndex((l) => /^COPY server\//.test(l));
  assert.ok(install > 0 && sources > install, 'npm ci runs before the sources are copied');
  assert.match(lines[install - 1], /^COPY package\.json package-lock\.json/);
  assert.match(text, /^ENTRYPOINT \["node", "\/opt\/cachelens\/bin\/cachelens"\]$/m);
  // what the bin requires is in the final stage
  assert.match(
    text,
    /COPY --link --from=bundles \/build\/dist\/cli\.js \/build\/dist\/server\.js \/build\/dist\/server\.bundle\.js \/build\/dist\/server\.bundle\.cache \/opt\/cachelens\/dist\//,
  );
  // by default the bundles are the build stage's: `docker build .` builds from source
  assert.match(text, /^ARG BUNDLES=build$/m);
  assert.match(text, /^FROM \$\{BUNDLES\} AS bundles$/m);
});
