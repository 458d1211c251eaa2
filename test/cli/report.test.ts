// `cachelens report --html`: one self-contained page with the build's steps,
// the first miss and the findings with their fixes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CLI, REPO as ROOT } from '../helpers/server';
const LOGS = join(ROOT, 'test', 'fixtures', 'build-logs');

test('report --html: steps with bars, the first miss, findings with fixes; no scripts or network', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cachelens-report-'));
  cpSync(join(ROOT, 'bench', 'realbuild', 'projects', 'node-express-api'), dir, { recursive: true });
  const r = spawnSync(
    process.execPath,
    [
      CLI,
      'report',
      '--html',
      'out.html',
      '--build-log',
      join(LOGS, 'node-express-api', 'source-edit.log'),
      'Dockerfile',
    ],
    { cwd: dir, encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /wrote out\.html: 1 Dockerfile, 1 build mapped/);
  const html = readFileSync(join(dir, 'out.html'), 'utf8');
  assert.doesNotMatch(html, /<script|https?:\/\/(?!www\.w3\.org)/i);
  assert.match(html, /<b>First miss:<\/b> line 3 <code>COPY \. \.<\/code>/);
  // one row per Dockerfile line; the RUN ran 3.4 s with the longest bar
  assert.match(
    html,
    /<tr class=""><td class="ln">4<\/td><td><code>RUN npm ci<\/code><\/td><td><span class="st"[^>]*>ran<\/span><\/td><td class="num">3\.4 s<\/td><td><svg[^>]*><rect x="0" y="2" width="200"/,
  );
  assert.match(html, /<tr class="miss"><td class="ln">3<\/td>/);
  assert.match(html, /<b class="warning">CL001<\/b> line 3: /);
  assert.match(html, /<summary>Fix: [^<]+<\/summary><pre>/);
  const usage = spawnSync(process.execPath, [CLI, 'report', '.'], { cwd: dir, encoding: 'utf8' });
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /report needs --html OUT/);
});
