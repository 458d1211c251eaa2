// Real buildah logs (Debian's buildah 1.28, `bud --layers`, vfs, chroot
// isolation) of the multi-stage sample, made by bench/realbuild/buildah-logs.sh.
// buildah numbers every instruction (ARG, CMD too), marks a hit with
// `--> Using cache`, prints no times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AutoReader } from '../../server/src/builds/log';
import { cleanLine } from '../../server/src/builds/lines';
import { mapBuild } from '../../server/src/builds/map';
import { parseDockerfile } from '../../server/src/parse/dockerfile';

const DIR = join(__dirname, '..', 'fixtures', 'build-logs', 'buildah');

function summary(log: string) {
  const r = new AutoReader();
  for (const l of readFileSync(join(DIR, log), 'utf8').split('\n')) r.push(cleanLine(l));
  const parsed = r.finish();
  assert.equal(parsed.format, 'buildah');
  assert.equal(parsed.builds.length, 1);
  const m = mapBuild(parsed.builds[0], parseDockerfile(readFileSync(join(DIR, 'Dockerfile'), 'utf8')), 'Dockerfile');
  assert.equal(m.mismatches, undefined, JSON.stringify(m.mismatches));
  assert.equal(m.builder, 'buildah');
  assert.ok(m.steps.every((s) => s.seconds === null));
  return {
    steps: m.steps.map((s) => `${s.range.start.line + 1}:${s.status[0]}`).join(' '),
    firstMiss: m.firstMiss ? m.firstMiss.range.start.line + 1 : null,
  };
}

test('buildah --layers: cold, warm, source edit, lockfile edit, build-arg change', () => {
  // r = resolved (FROM), e = executed, c = cached
  assert.deepEqual(summary('cold.log'), { steps: '2:r 3:e 4:e 5:e 7:r 8:e 9:e 10:e 11:e 12:e 13:e', firstMiss: 3 });
  assert.deepEqual(summary('warm.log'), { steps: '2:r 3:c 4:c 5:c 7:r 8:c 9:c 10:c 11:c 12:c 13:c', firstMiss: null });
  assert.deepEqual(summary('source-edit.log'), {
    steps: '2:r 3:c 4:c 5:c 7:r 8:c 9:c 10:c 11:e 12:e 13:e',
    firstMiss: 11,
  });
  // node_modules came out the same: buildah reuses the COPY --from layer
  assert.deepEqual(summary('lockfile-edit.log'), {
    steps: '2:r 3:c 4:e 5:e 7:r 8:c 9:c 10:c 11:e 12:e 13:e',
    firstMiss: 4,
  });
  // GREETING=two: the RUN that uses it misses (buildah prints the text as written, unsubstituted)
  assert.deepEqual(summary('build-arg.log'), {
    steps: '2:r 3:c 4:c 5:c 7:r 8:c 9:c 10:c 11:c 12:e 13:e',
    firstMiss: 12,
  });
});
