// Real BuildKit logs (Debian dockerd 20.10, `--progress=plain`) of our own
// sample projects, made by bench/realbuild/logs.mjs: every step's status and
// the first miss, per scenario.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AutoReader } from '../../server/src/builds/log';
import { cleanLine } from '../../server/src/builds/lines';
import { mapBuild, type MappedBuild } from '../../server/src/builds/map';
import { parseDockerfile } from '../../server/src/parse/dockerfile';

const LOGS = join(__dirname, '..', 'fixtures', 'build-logs');

function mapLog(project: string, log: string): MappedBuild {
  const reader = new AutoReader();
  for (const line of readFileSync(join(LOGS, project, log), 'utf8').split('\n')) reader.push(cleanLine(line));
  const parsed = reader.finish();
  assert.equal(parsed.format, 'buildkit-plain');
  assert.equal(parsed.builds.length, 1);
  assert.equal(parsed.builds[0].dockerfileName, 'Dockerfile');
  const model = parseDockerfile(readFileSync(join(LOGS, project, 'Dockerfile'), 'utf8'));
  const mapped = mapBuild(parsed.builds[0], model, 'Dockerfile');
  assert.equal(mapped.mismatches, undefined, JSON.stringify(mapped.mismatches));
  return mapped;
}

/** `line:status` per step (1-based lines), and the first miss's line. */
function summary(m: MappedBuild) {
  return {
    steps: m.steps.map((s) => `${s.range.start.line + 1}:${s.status}`).join(' '),
    firstMiss: m.firstMiss ? m.firstMiss.range.start.line + 1 : null,
  };
}

test('node-express-api (COPY . . before npm ci): cold, warm, source edit, lockfile edit', () => {
  assert.deepEqual(summary(mapLog('node-express-api', 'cold.log')), {
    steps: '1:resolved 2:executed 3:executed 4:executed',
    firstMiss: 2,
  });
  assert.deepEqual(summary(mapLog('node-express-api', 'warm.log')), {
    steps: '1:resolved 2:cached 3:cached 4:cached',
    firstMiss: null,
  });
  // the classic loss: a source edit re-runs npm ci
  assert.deepEqual(summary(mapLog('node-express-api', 'source-edit.log')), {
    steps: '1:resolved 2:cached 3:executed 4:executed',
    firstMiss: 3,
  });
  assert.deepEqual(summary(mapLog('node-express-api', 'lockfile-edit.log')), {
    steps: '1:resolved 2:cached 3:executed 4:executed',
    firstMiss: 3,
  });
  const cold = mapLog('node-express-api', 'cold.log');
  const npm = cold.steps.find((s) => s.instruction === 'RUN npm ci')!;
  assert.ok(npm.seconds! > 1, 'npm ci took its real time');
  assert.equal(
    cold.seconds.executed,
    Math.round(cold.steps.filter((s) => s.status === 'executed').reduce((a, s) => a + s.seconds!, 0) * 10) / 10,
  );
});

test('node-fastify-argtop (manifests first, ARG GIT_SHA at the top): only what changed re-runs', () => {
  assert.deepEqual(summary(mapLog('node-fastify-argtop', 'warm.log')), {
    steps: '1:resolved 3:cached 4:cached 5:cached 6:cached',
    firstMiss: null,
  });
  assert.deepEqual(summary(mapLog('node-fastify-argtop', 'source-edit.log')), {
    steps: '1:resolved 3:cached 4:cached 5:cached 6:executed',
    firstMiss: 6,
  });
  assert.deepEqual(summary(mapLog('node-fastify-argtop', 'lockfile-edit.log')), {
    steps: '1:resolved 3:cached 4:executed 5:executed 6:executed',
    firstMiss: 4,
  });
  // a new GIT_SHA: RUN npm ci misses although its text does not use the ARG (ARGs in scope are in every RUN's key)
  assert.deepEqual(summary(mapLog('node-fastify-argtop', 'build-arg.log')), {
    steps: '1:resolved 3:cached 4:cached 5:executed 6:executed',
    firstMiss: 5,
  });
});

test('multi-stage: one FROM vertex and one WORKDIR vertex for two stages; unnamed stage is stage-1', () => {
  const cold = mapLog('multi-stage', 'cold.log');
  assert.deepEqual(summary(cold), {
    steps: '2:resolved 3:executed 4:executed 5:executed 7:resolved 9:executed 10:executed 11:executed 12:executed',
    firstMiss: 3,
  });
  assert.deepEqual([...new Set(cold.steps.map((s) => s.stage))], ['deps', 'stage-1']);
  // the shared vertices are timed once
  assert.equal(cold.steps.find((s) => s.range.start.line === 8)!.seconds, null);
  assert.deepEqual(summary(mapLog('multi-stage', 'warm.log')).firstMiss, null);
  assert.deepEqual(summary(mapLog('multi-stage', 'source-edit.log')), {
    steps: '2:resolved 3:cached 4:cached 5:cached 7:resolved 9:cached 10:cached 11:executed 12:executed',
    firstMiss: 11,
  });
  assert.deepEqual(summary(mapLog('multi-stage', 'lockfile-edit.log')).firstMiss, 4);
  // the RUN's name shows the new ARG value
  const arg = mapLog('multi-stage', 'build-arg.log');
  assert.deepEqual(summary(arg), {
    steps: '2:resolved 3:cached 4:cached 5:cached 7:resolved 9:cached 10:cached 11:cached 12:executed',
    firstMiss: 12,
  });
  const err = mapLog('multi-stage', 'error.log');
  assert.equal(err.steps.find((s) => s.range.start.line === 11)!.status, 'error');
  assert.equal(err.firstMiss, null);
});
