// Shared by the suites: where the repository and the built server and CLI are.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');
export const SERVER = path.join(REPO, 'dist', 'server.js');
export const CLI = path.join(REPO, 'dist', 'cli.js');

/** Builds dist/ once when a suite runs on its own, outside npm test. */
export function ensureBuilt(): void {
  if (existsSync(SERVER)) return;
  const r = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, `build failed:\n${r.stdout}\n${r.stderr}`);
}

/** The example's manifests are copied, then installed (once), then the sources copied, then built. */
export function assertSplit(fixed: string, what: string): void {
  const lines = fixed.split('\n');
  const manifests = lines.indexOf('COPY package.json package-lock.json ./');
  const installs = lines.flatMap((l, i) => (/^RUN\b.*\bnpm ci$/.test(l) ? [i] : []));
  const source = lines.indexOf('COPY . .');
  const build = lines.indexOf('RUN npm run build');
  assert.equal(installs.length, 1, `${what}: expected exactly one \`npm ci\`:\n${fixed}`);
  assert.ok(
    manifests >= 0 && manifests < installs[0] && installs[0] < source && source < build,
    `${what}: not split as expected:\n${fixed}`,
  );
}
