// The server's start (dist/server.js) runs the bundle with the V8 code cache the
// build made (server/src/codeCache.ts). The built cache must be accepted by V8
// (else the build's cache maker and the start compile differently and the cache
// is dead weight); any cache that is not this bundle's, not this V8's or damaged
// must be refused before V8 sees it, and the server must then start and analyse
// as it does without one.
import { test } from 'node:test';
import { isAscii } from 'node:buffer';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleText, compileBundle, encodeCodeCache, readCodeCache } from '../../server/src/codeCache';
import { LspClient } from '../helpers/lspClient';
import { REPO } from '../helpers/server';

const dist = join(REPO, 'dist');
const bundle = readFileSync(join(dist, 'server.bundle.js'));
const built = readFileSync(join(dist, 'server.bundle.cache'));

const why = (r: ReturnType<typeof readCodeCache>) => ('why' in r ? r.why : 'used');

test('the server bundle is ASCII (read as latin1) and has no import() (a vm.Script has no loader for it)', () => {
  assert.ok(isAscii(bundle), 'dist/server.bundle.js has a non-ASCII character outside a comment');
  assert.doesNotMatch(bundle.toString('latin1'), /[^\w$.]import\(/);
});

test("the build's code cache is this bundle's and V8 accepts it", () => {
  const r = readCodeCache(built, bundle);
  assert.equal(why(r), 'used');
  assert.ok('data' in r);
  const script = compileBundle(join(dist, 'server.bundle.js'), bundleText(bundle), r.data);
  assert.equal(script.cachedDataRejected, false);
});

test('a cache that is not for this bundle, this V8 or intact is refused before V8 reads it', () => {
  const damaged = Buffer.from(built);
  damaged[damaged.length - 100] ^= 0xff;
  assert.equal(why(readCodeCache(damaged, bundle)), 'code cache damaged');
  assert.equal(why(readCodeCache(built.subarray(0, built.length - 1), bundle)), 'code cache damaged');
  assert.equal(why(readCodeCache(Buffer.from('garbage'), bundle)), 'not a cachelens code cache');
  assert.equal(why(readCodeCache(Buffer.alloc(0), bundle)), 'not a cachelens code cache');
  assert.equal(why(readCodeCache(undefined, bundle)), 'no code cache');
  const headerEnd = built.indexOf(10, built.indexOf(10) + 1);
  assert.equal(why(readCodeCache(built.subarray(0, headerEnd - 5), bundle)), 'unreadable code cache header');
  const other = Buffer.concat([bundle, Buffer.from('\n// another build\n')]);
  assert.equal(why(readCodeCache(built, other)), 'code cache made for another bundle');
  const header = JSON.parse(built.subarray(built.indexOf(10) + 1, headerEnd).toString('utf8'));
  const otherV8 = Buffer.concat([
    built.subarray(0, built.indexOf(10) + 1),
    Buffer.from(`${JSON.stringify({ ...header, v8: '1.0.0' })}\n`),
    built.subarray(headerEnd + 1),
  ]);
  assert.match(why(readCodeCache(otherV8, bundle)), /^code cache made by V8 1\.0\.0/);
  // what the build writes reads back
  const data = Buffer.from('not really V8 data');
  const r = readCodeCache(encodeCodeCache(bundle, data), bundle);
  assert.ok('data' in r && r.data.equals(data));
});

/** The shipped start, bundle and the given cache bytes in a folder of their own; the server's first diagnostics there. */
async function startWith(cache: Buffer | undefined): Promise<{ stderr: string; rules: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'cachelens-start-'));
  for (const f of ['server.js', 'server.bundle.js']) copyFileSync(join(dist, f), join(dir, f));
  if (cache) writeFileSync(join(dir, 'server.bundle.cache'), cache);
  process.env.CACHELENS_TRACE_START = '1';
  const client = new LspClient(['--stdio'], { script: join(dir, 'server.js'), cwd: dir });
  delete process.env.CACHELENS_TRACE_START;
  try {
    const examples = join(REPO, 'examples');
    const file = join(examples, 'node-app', 'Dockerfile');
    await client.initialize(examples);
    const uri = pathToFileURL(file).href;
    client.open(uri, readFileSync(file, 'utf8'));
    const p = await client.diagnostics(uri);
    return { stderr: client.stderr, rules: p.diagnostics.map((d) => String(d.code)).sort() };
  } finally {
    client.kill();
  }
}

test('the server starts and finds the same with a damaged, a foreign or no code cache', async () => {
  const good = await startWith(built);
  assert.match(good.stderr, /code cache: used/);
  assert.ok(good.rules.includes('CL001'), good.rules.join());
  const damaged = Buffer.from(built);
  for (let i = built.indexOf(10, built.indexOf(10) + 1) + 1; i < damaged.length; i += 97) damaged[i] ^= 0x5a;
  for (const [cache, said] of [
    [damaged, /code cache: code cache damaged/],
    [Buffer.from('garbage'), /code cache: not a cachelens code cache/],
    // right header, data V8 cannot use: V8 itself refuses it
    [encodeCodeCache(bundle, Buffer.from('not V8 data'.repeat(20))), /code cache: rejected by V8/],
    [undefined, /code cache: no code cache/],
  ] as const) {
    const r = await startWith(cache);
    assert.match(r.stderr, said);
    assert.deepEqual(r.rules, good.rules);
  }
});
