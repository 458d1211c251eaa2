// BuildKit rawjson and SLSA provenance, from fixtures written after BuildKit's
// own types (see test/fixtures/build-logs/rawjson/README.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AutoReader, applyProvenance, splitVertexName } from '../../server/src/builds/log';
import { mapBuild } from '../../server/src/builds/map';
import { parseDockerfile } from '../../server/src/parse/dockerfile';

const DIR = join(__dirname, '..', 'fixtures', 'build-logs', 'rawjson');
const DOCKERFILE = readFileSync(join(DIR, 'Dockerfile'), 'utf8');

function parsed() {
  const r = new AutoReader();
  for (const l of readFileSync(join(DIR, 'build.rawjson'), 'utf8').split('\n')) r.push(l);
  return r.finish();
}

test('rawjson: repeated, out-of-order vertex updates merge; seconds from started/completed', () => {
  const log = parsed();
  assert.equal(log.format, 'buildkit-rawjson');
  assert.equal(log.builds.length, 1);
  const m = mapBuild(log.builds[0], parseDockerfile(DOCKERFILE), 'Dockerfile');
  assert.deepEqual(
    m.steps.map((s) => `${s.range.start.line + 1}:${s.status}:${s.seconds}`),
    [
      '2:resolved:0.1',
      '3:cached:0',
      '4:cached:0',
      '5:cached:0',
      '7:resolved:null',
      '9:cached:null',
      '10:cached:0',
      '11:executed:0.4',
      '12:executed:2.1',
    ],
  );
  assert.equal(m.firstMiss!.range.start.line + 1, 11);
  assert.deepEqual(m.seconds, { total: 2.6, executed: 2.5 });
});

test('provenance: exact source lines, even where the numbering no longer fits', () => {
  // a step added at the end of stage-1: `[stage-1 i/5]` no longer fits the file's 6
  const edited = DOCKERFILE.replace('CMD ["node", "index.js"]', 'RUN true\nCMD ["node", "index.js"]');
  const without = mapBuild(parsed().builds[0], parseDockerfile(edited), 'Dockerfile');
  assert.ok(without.mismatches!.length >= 3);
  const log = parsed();
  assert.equal(applyProvenance(log, JSON.parse(readFileSync(join(DIR, 'provenance.json'), 'utf8'))), 7);
  const m = mapBuild(log.builds[0], parseDockerfile(edited), 'Dockerfile');
  assert.equal(m.mismatches, undefined);
  assert.equal(m.firstMiss!.range.start.line + 1, 11);
  // a line moved: provenance says which line no longer holds the instruction
  const moved = DOCKERFILE.replace('COPY . .', '# comment\nCOPY . .');
  const m2 = mapBuild(log.builds[0], parseDockerfile(moved), 'Dockerfile');
  assert.ok(m2.mismatches!.some((x) => x.logged === 'COPY . .'));
});

test('vertex names: platform, padded index, internal', () => {
  assert.deepEqual(splitVertexName('[linux/arm64 build  2/12] RUN make'), {
    tags: ['build'],
    index: 2,
    total: 12,
    internal: false,
    text: 'RUN make',
  });
  assert.deepEqual(splitVertexName('[web internal] load build context'), {
    tags: ['web'],
    internal: true,
    text: 'load build context',
  });
  assert.deepEqual(splitVertexName('exporting to image'), { tags: [], internal: false, text: 'exporting to image' });
});
