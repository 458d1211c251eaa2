// Fix safety over every real Dockerfile of the shared corpus and the examples:
// after fix-all the file parses to the same stages, no instruction of the
// user's is lost, no fixed rule fires again with a fix, a second fix-all
// changes nothing, and the reordering fixes (CL001/CL002) bring the same
// (stage, source, destination) copies into each stage — plus manifest-only
// copies whose sources the stage's broad copy also brings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath, sharedSkip } from '../helpers/shared';
import { lint, type LintOptions } from '../../server/src/engine/lint';
import { fixAll } from '../../server/src/engine/fix';
import { parseDockerfile, type DockerfileModel } from '../../server/src/parse/dockerfile';
import { RULES } from '../../server/src/rules/registry';
import { isManifestPath } from '../../server/src/ecosystems/match';
import { isWholeContext, sourcePath } from '../../server/src/cache/copies';

const corpus = sharedPath('corpus', 'real-dockerfiles');
const PATH = '/corpus/Dockerfile';

const corpusSkip = sharedSkip('corpus/real-dockerfiles');
const corpusPresent = !corpusSkip;
if (corpusSkip) test('fix safety on the shared corpus (the examples still run)', { skip: corpusSkip }, () => {});

function inputs(): { name: string; text: string }[] {
  const files = (corpusPresent ? readdirSync(corpus) : []).filter(
    (f) => !f.endsWith('.dockerignore') && !f.endsWith('.tsv') && !f.endsWith('.md'),
  );
  const examples = join(__dirname, '..', '..', 'examples');
  const ex = readdirSync(examples)
    .map((d) => join(examples, d, 'Dockerfile'))
    .filter(existsSync);
  return [
    ...files.map((f) => ({ name: f, text: readFileSync(join(corpus, f), 'utf8') })),
    ...ex.map((p) => ({ name: p, text: readFileSync(p, 'utf8') })),
  ];
}

/** instruction texts (whitespace-folded), as a sorted multiset, for "nothing of the user's is lost" */
function copiesByStage(model: DockerfileModel): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const s of model.stages) {
    out.set(
      s.index,
      s.instructions
        .filter((i) => i.copy && i.copy.from === undefined && !i.copy.heredoc)
        .map((i) => `${i.copy!.sources.map((x) => x.value).join(' ')} -> ${i.copy!.dest?.value}`),
    );
  }
  return out;
}

function coveredByBroadCopy(model: DockerfileModel, stage: number, source: string): boolean {
  const src = sourcePath(source.replace(/\*+$/, ''));
  return model.stages[stage].instructions.some(
    (i) =>
      i.copy &&
      i.copy.from === undefined &&
      i.copy.sources.some(
        (s) => isWholeContext(s.value) || src === sourcePath(s.value) || src.startsWith(sourcePath(s.value) + '/'),
      ),
  );
}

const counts = { files: 0, changed: 0, fixes: 0, failures: 0 };
const byRule = new Map<string, number>();

for (const unsafe of [false, true]) {
  test(`fix-all ${unsafe ? 'with unsafe fixes ' : ''}keeps every corpus Dockerfile sound`, () => {
    const failures: string[] = [];
    for (const { name, text } of inputs()) {
      const options: LintOptions = {};
      const result = fixAll({ path: PATH, text }, options, { unsafe });
      const after = result.files.get(PATH) ?? text;
      if (!unsafe) counts.files++;
      if (after !== text && !unsafe) counts.changed++;
      if (!unsafe) for (const a of result.applied) byRule.set(a.rule, (byRule.get(a.rule) ?? 0) + 1);
      if (!unsafe) counts.fixes += result.applied.length;
      const before = parseDockerfile(text);
      const fixed = parseDockerfile(after);
      const again = fixAll({ path: PATH, text: after }, options, { unsafe });
      if ((again.files.get(PATH) ?? after) !== after) failures.push(`${name}: a second fix-all changed the text`);
      const { findings, errors } = lint({ path: PATH, text: after }, options);
      if (errors.length) failures.push(`${name}: rules threw after fix-all: ${JSON.stringify(errors)}`);
      const applied = new Set(result.applied.map((a) => a.rule));
      for (const f of findings)
        if (applied.has(f.rule) && f.fixes.some((x) => x.safe || unsafe))
          failures.push(`${name}: ${f.rule} still fires with a fix after fix-all`);
      const addsStage = result.applied.some((a) => a.rule === 'CL301');
      if (!addsStage) {
        if (fixed.stages.length !== before.stages.length) failures.push(`${name}: the number of stages changed`);
        const b = copiesByStage(before);
        const a = copiesByStage(fixed);
        for (const [stage, list] of b) {
          const rest = [...(a.get(stage) ?? [])];
          for (const c of list) {
            const k = rest.indexOf(c);
            if (k < 0) failures.push(`${name}: stage ${stage} lost the copy ${c}`);
            else rest.splice(k, 1);
          }
          for (const extra of rest) {
            const sources = extra.split(' -> ')[0].split(' ');
            if (
              !sources.every((s) => isManifestPath(s) || s.endsWith('/')) ||
              !sources.every((s) => coveredByBroadCopy(fixed, stage, s))
            )
              failures.push(
                `${name}: stage ${stage} gained a copy that is not a manifest subset of its broad copy: ${extra}`,
              );
          }
        }
      }
    }
    if (!unsafe) counts.failures = failures.length;
    assert.deepEqual(failures, []);
  });
}

test('report', () => {
  console.log(
    `fix safety: ${counts.files} files, ${counts.changed} changed, ${counts.fixes} fixes applied (${[...byRule]
      .sort()
      .map(([r, n]) => `${r} ${n}`)
      .join(', ')}), ${counts.failures} failures`,
  );
  assert.ok(counts.files >= (corpusPresent ? 180 : 2), `only ${counts.files} files ran`);
  void RULES;
});
