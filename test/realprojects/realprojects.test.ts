// The real-project suite (issue 10): every warning the CLI gives on the 40
// real repositories of ../shared/real-projects, with their real build contexts,
// against the labels kept beside this file; every safe fix checked statically,
// for convergence and for idempotence. Skips with one line when ../shared is absent.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBuilt } from '../helpers/server';
import {
  runAll,
  sharedPresent,
  readLabels,
  readFixLabels,
  warningKey,
  writeLabelDrafts,
  PROJECTS,
  type ProjectResult,
} from './harness';
import { scoreLabels, formatScores } from './score';

if (!sharedPresent()) {
  test(`real projects: skipped, ${PROJECTS} is absent (CACHELENS_SHARED points at shared/)`, { skip: true }, () => {});
} else {
  let results: ProjectResult[] = [];
  let labels: ReturnType<typeof readLabels> = [];
  let fixLabels = new Map<string, ReturnType<typeof readFixLabels>[number]>();
  before(async () => {
    ensureBuilt();
    results = await runAll();
    if (process.env.CACHELENS_RELABEL) writeLabelDrafts(results);
    labels = readLabels();
    fixLabels = new Map(readFixLabels().map((l) => [l.repo, l]));
  });

  test('real projects: the CLI checks every repository without an error', () => {
    const errors = results.filter((r) => r.error).map((r) => `${r.project.dir}: ${r.error}`);
    assert.deepEqual(errors, []);
  });

  test('real projects: every warning is labelled, and every labelled one still fires', () => {
    const byKey = new Map(labels.map((l) => [warningKey(l), l]));
    const fired = new Set(results.flatMap((r) => r.warnings.map(warningKey)));
    const unexpected = results.flatMap((r) =>
      r.warnings
        .filter((w) => !byKey.has(warningKey(w)) || byKey.get(warningKey(w))!.verdict === 'missed')
        .map((w) => `${warningKey(w)}\t${w.message}`),
    );
    const missing = labels
      .filter((l) => l.verdict !== 'missed' && !fired.has(warningKey(l)))
      .map((l) => `${warningKey(l)}\t${l.verdict}: ${l.why}`);
    const todo = labels.filter((l) => !['right', 'wrong', 'debatable', 'missed'].includes(l.verdict)).map(warningKey);
    assert.deepEqual(
      { unexpected, missing, todo },
      { unexpected: [], missing: [], todo: [] },
      'relabel with CACHELENS_RELABEL=1 and review test/realprojects/labels.tsv',
    );
  });

  test('real projects: fix verdicts are unchanged and every safe fix passes the static checks', () => {
    const changed: string[] = [];
    for (const r of results) {
      const l = fixLabels.get(r.project.dir);
      const verdict = r.fix.files.length ? l?.verdict : 'none';
      if (r.fix.files.length && (!l || l.digest !== r.fix.digest))
        changed.push(
          `${r.project.dir}: the fix changed (digest ${r.fix.digest}, label ${l?.digest ?? 'none'}): relabel`,
        );
      else if (verdict !== 'safe' && verdict !== 'none')
        changed.push(`${r.project.dir}: labelled ${verdict}: ${l?.why}`);
      for (const p of r.fix.problems) changed.push(`${r.project.dir}: ${p}`);
    }
    assert.deepEqual(changed, []);
  });

  test('real projects: fix-all adds no finding and a second fix-all changes nothing', () => {
    const bad = results.flatMap((r) => [
      ...r.fix.newFindings.map((n) => `${r.project.dir}: new ${n}`),
      ...(r.fix.notIdempotent ? [`${r.project.dir}: a second fix-all still changes files`] : []),
    ]);
    assert.deepEqual(bad, []);
  });

  test('real projects: precision and recall per rule', () => {
    const scores = scoreLabels(labels);
    console.log(formatScores(scores));
    assert.ok(scores.total.fired > 0, 'no warning fired at all: the harness is broken');
  });
}
