// Real BuildKit builds of sample projects before and after `cachelens fix`:
// after an edit of one source line the install step must re-run with the
// naive Dockerfile and come from the cache with the fixed one, and both
// images must hold the same application files.
//
// Slow (a few minutes) and needs root, Debian's docker.io and the base images:
// run `bash bench/realbuild/setup.sh` first and set CACHELENS_REALBUILD=1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '../..');
const HARNESS = join(REPO, 'bench/realbuild/run.mjs');
const CLI = join(REPO, 'dist/cli.js');
const enabled = process.env.CACHELENS_REALBUILD === '1';
const skip = enabled ? false : 'real Docker builds are off: set CACHELENS_REALBUILD=1 after running bench/realbuild/setup.sh';

// One project per fix the safe fix-all applies: CL001 split (npm, npm
// workspaces, pip), CL003 move ARG + CL004 merge apt update (shell/apt).
const PROJECTS = ['node-express-api', 'node-workspaces', 'python-flask-api', 'shell-apt-tools'];

interface VariantResult {
  installCached: boolean[];
  installSteps: string[];
  stepsCached: number;
  stepsTotal: number;
  steps: string[];
  medianRebuild: number;
}
interface ProjectResult {
  name: string;
  before: VariantResult;
  after: VariantResult;
  fix: { changed: boolean; dockerfile: string };
  files: { equal: boolean; files: number; onlyBefore: string[]; onlyAfter: string[]; changed: { path: string }[] };
}

for (const name of PROJECTS) {
  test(`real build: ${name} reuses its install step after cachelens fix, same app files`, { skip, timeout: 6 * 60_000 }, () => {
    assert.ok(existsSync('/usr/bin/docker'), 'Debian docker.io is not installed: run bench/realbuild/setup.sh');
    assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build`);
    const out = mkdtempSync(join(tmpdir(), 'cachelens-realbuild-'));
    try {
      const json = join(out, 'result.json');
      const r = spawnSync(process.execPath, [HARNESS, '--projects', name, '--rounds', '1', '--json', json], { cwd: REPO, encoding: 'utf8' });
      assert.equal(r.status, 0, `harness failed:\n${r.stderr}`);
      const [result] = (JSON.parse(readFileSync(json, 'utf8')) as { results: ProjectResult[] }).results;
      const steps = `before:\n${result.before.steps.join('\n')}\nafter:\n${result.after.steps.join('\n')}\nfixed Dockerfile:\n${result.fix.dockerfile}`;
      assert.ok(result.fix.changed, 'cachelens fix changed nothing');
      assert.ok(result.before.installSteps.length > 0 && result.after.installSteps.length > 0, `install step not found\n${steps}`);
      assert.deepEqual(result.before.installCached, [false], `naive Dockerfile: the install step should re-run after the edit\n${steps}`);
      assert.deepEqual(result.after.installCached, [true], `fixed Dockerfile: the install step should come from the cache\n${steps}`);
      assert.ok(result.after.stepsCached > result.before.stepsCached, `more steps should be cached after the fix\n${steps}`);
      const f = result.files;
      assert.ok(f.files > 0, 'no application files were compared');
      assert.ok(f.equal, `application files differ: only before ${f.onlyBefore.slice(0, 5).join(', ')}; only after ${f.onlyAfter.slice(0, 5).join(', ')}; changed ${f.changed.slice(0, 5).map((c) => c.path).join(', ')}`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
}
