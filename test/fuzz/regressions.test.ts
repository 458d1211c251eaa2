// Replays every input the fuzzer saved (test/fixtures/fuzz-regressions/):
// each must now pass every check of the fuzz oracle. Inputs of bugs that are
// reported but not fixed yet are listed in KNOWN_BUGS and skipped with the
// bug's name; delete the entry once the bug is fixed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { checkInput, signature } from './oracle';
import { loadRegressions } from './regressions';

/** fixture hash → the open bug it reproduces; delete the entry once the bug is fixed */
const KNOWN_BUGS: Record<string, string> = {};

/** inputs kept so that the fuzzer knows their signature, but not replayed here: fixture hash → why */
const NOT_REPLAYED: Record<string, string> = {
  '692a2d9d4d3a3602':
    'timing only: a 78 KB input whose fix-all took 617 ms CPU on a loaded machine (budget 500 ms); it passes the 2000 ms replay budget but the full oracle takes ~12 s of npm test',
};

/** a saved hang cannot be replayed in this process: it would block the runner */
const WALL_LIMIT_MS = 60_000;

/** looser than the fuzzer's 500 ms: the replay must not flake on a loaded CI machine, but a real hang still fails */
const REPLAY_BUDGET_MS = 2000;

const regressions = loadRegressions();

test('the fuzz regression fixtures are well formed', () => {
  for (const r of regressions) {
    assert.ok(r.meta.signatures.length > 0, `${r.hash}: no failure recorded`);
    assert.equal(typeof r.meta.origin, 'string');
  }
  for (const hash of [...Object.keys(KNOWN_BUGS), ...Object.keys(NOT_REPLAYED)])
    assert.ok(
      regressions.some((r) => r.hash === hash),
      `KNOWN_BUGS names ${hash}, which has no fixture`,
    );
});

for (const r of regressions) {
  const bug = KNOWN_BUGS[r.hash];
  const skip = bug ? `known bug: ${bug}` : (NOT_REPLAYED[r.hash] ?? false);
  test(`fuzz regression ${r.hash}: ${r.meta.signatures.join('; ').slice(0, 120)}`, { skip }, () => {
    let failures: string[];
    if (r.meta.signatures.some((s) => s.startsWith('hang|'))) {
      const p = spawnSync(
        process.execPath,
        ['--import', 'tsx', path.join(__dirname, 'replay.ts'), r.hash, String(REPLAY_BUDGET_MS)],
        { encoding: 'utf8', timeout: WALL_LIMIT_MS },
      );
      assert.equal(p.error, undefined, `the replay did not finish in ${WALL_LIMIT_MS} ms: ${p.error}`);
      assert.equal(p.status, 0, p.stderr);
      failures = JSON.parse(p.stdout) as string[];
    } else
      failures = checkInput(r.dockerfile, r.ignore, { budgetMs: REPLAY_BUDGET_MS }).failures.map(
        (f) => `${signature(f)} — ${f.where}: ${f.message.split('\n')[0]}`,
      );
    assert.deepEqual(
      failures,
      [],
      `input ${JSON.stringify(r.dockerfile.slice(0, 300))}${r.ignore !== undefined ? ` with ignore file ${JSON.stringify(r.ignore.slice(0, 200))}` : ''}`,
    );
  });
}
