// Real buildah logs built with `--jobs 2` (bench/realbuild/buildah-logs.sh with
// JOBS=2): the two stages of the multi-stage sample run in parallel and their
// lines interleave, while `--> Using cache` / `--> <id>` lines carry no stage
// prefix. Caching does not depend on --jobs, so each log must map to exactly
// the statuses of the sequential build of the same scenario
// (test/fixtures/build-logs/buildah/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AutoReader } from '../../server/src/builds/log';
import { BuildahReader } from '../../server/src/builds/buildah';
import { cleanLine } from '../../server/src/builds/lines';
import { mapBuild } from '../../server/src/builds/map';
import { parseDockerfile } from '../../server/src/parse/dockerfile';

const LOGS = join(__dirname, '..', 'fixtures', 'build-logs');
const SCENARIOS = ['cold', 'warm', 'source-edit', 'lockfile-edit', 'build-arg'];

function mapped(dir: string, log: string) {
  const r = new AutoReader();
  for (const l of readFileSync(join(LOGS, dir, log), 'utf8').split('\n')) r.push(cleanLine(l));
  const parsed = r.finish();
  assert.equal(parsed.format, 'buildah');
  assert.equal(parsed.builds.length, 1);
  const m = mapBuild(
    parsed.builds[0],
    parseDockerfile(readFileSync(join(LOGS, dir, 'Dockerfile'), 'utf8')),
    'Dockerfile',
  );
  assert.equal(m.mismatches, undefined, JSON.stringify(m.mismatches));
  return {
    steps: m.steps.map((s) => `${s.range.start.line + 1}:${s.status}`).join(' '),
    firstMiss: m.firstMiss ? m.firstMiss.range.start.line + 1 : null,
  };
}

const stageOrder = (log: string) =>
  readFileSync(join(LOGS, 'buildah-jobs', log), 'utf8')
    .split('\n')
    .map((l) => /^\[(\d+)\/\d+\] STEP/.exec(l)?.[1])
    .filter(Boolean)
    .join('');

for (const s of SCENARIOS) {
  test(`buildah --jobs 2, ${s}: the same statuses and first miss as the sequential build`, () => {
    assert.equal(
      readFileSync(join(LOGS, 'buildah-jobs', 'Dockerfile'), 'utf8'),
      readFileSync(join(LOGS, 'buildah', 'Dockerfile'), 'utf8'),
    );
    assert.deepEqual(mapped('buildah-jobs', `${s}.log`), mapped('buildah', `${s}.log`));
  });
}

test('the --jobs logs really interleave the stages', () => {
  // stage 2's lines come before stage 1 is done, in every log
  for (const s of SCENARIOS) assert.match(stageOrder(`${s}.log`), /2.*1/, s);
});

test('interleaved outcome lines: each goes to the stage that prints its next STEP right after', () => {
  const r = new BuildahReader();
  for (const l of [
    '[1/2] STEP 1/3: FROM base AS a',
    '[2/2] STEP 1/3: FROM base',
    '[1/2] STEP 2/3: RUN long',
    '[2/2] STEP 2/3: WORKDIR /app',
    '--> Using cache 0123456789abcdef',
    '--> 0123456789a',
    '[2/2] STEP 3/3: COPY --from=a /x /x',
    '--> fedcba98765',
    '[1/2] STEP 3/3: RUN other',
    '--> aaaaaaaaaaa',
    '--> bbbbbbbbbbb',
  ])
    r.push(l);
  const [b] = r.finish().builds;
  const st = (k: string) => {
    const v = b.vertices.find((x) => x.key === k)!;
    return v.cached ? 'cached' : v.done ? 'ran' : 'open';
  };
  assert.deepEqual(['1:2', '2:2', '1:3', '2:3'].map(st), ['ran', 'cached', 'ran', 'ran']);
});
