// The real-build harness's image comparison, on tar streams made here: it must
// see an owner, mode or content change of an application file, a change in the
// rest of the image, and keep package caches and Docker's runtime files apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

type Manifest = Map<string, string>;
interface Cmp {
  equal: boolean;
  files: number;
  onlyBefore: string[];
  onlyAfter: string[];
  changed: { path: string; before: string; after: string }[];
}
interface Harness {
  tarManifest(buf: Buffer, prefix: string): Manifest;
  compareImages(before: Manifest, after: Manifest, appPaths: string[]): { files: Cmp; system: Cmp; caches: Cmp };
  diffKinds(cmp: Cmp): { type: number; mode: number; owner: number; content: number };
}
const HARNESS = pathToFileURL(join(resolve(__dirname, '../..'), 'bench/realbuild/run.mjs')).href;
const load = async () => (await import(HARNESS)) as Harness;

interface Entry {
  name: string;
  type?: 'file' | 'dir' | 'symlink';
  mode?: number;
  uid?: number;
  gid?: number;
  body?: string;
  link?: string;
}

// A ustar archive as `docker export` writes one.
function tar(entries: Entry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const body = Buffer.from(e.body ?? '');
    const h = Buffer.alloc(512);
    const put = (s: string, off: number, len: number) => h.write(s.slice(0, len), off, 'utf8');
    const oct = (n: number, off: number, len: number) => put(n.toString(8).padStart(len - 1, '0') + '\0', off, len);
    put(e.name, 0, 100);
    oct(e.mode ?? (e.type === 'dir' ? 0o755 : 0o644), 100, 8);
    oct(e.uid ?? 0, 108, 8);
    oct(e.gid ?? 0, 116, 8);
    oct(e.type === 'file' || !e.type ? body.length : 0, 124, 12);
    oct(0, 136, 12);
    h.write({ file: '0', dir: '5', symlink: '2' }[e.type ?? 'file'], 156);
    if (e.link) put(e.link, 157, 100);
    put('ustar\0', 257, 6);
    put('00', 263, 2);
    h.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    oct(sum, 148, 7);
    blocks.push(h);
    if (!e.type || e.type === 'file') blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

const base: Entry[] = [
  { name: 'app/', type: 'dir', uid: 1000, gid: 1000 },
  { name: 'app/data/', type: 'dir', uid: 1000, gid: 1000 },
  { name: 'app/data/state.json', body: '{"visits":0}\n', uid: 1000, gid: 1000 },
  { name: 'app/src/server.js', body: 'console.log(1)\n', uid: 1000, gid: 1000, mode: 0o644 },
  { name: 'app/bin/run', body: '#!/bin/sh\n', mode: 0o755 },
  { name: 'etc/apt/apt.conf.d/docker-clean', body: 'DPkg::Post-Invoke {};\n' },
  { name: 'etc/hostname', body: 'abc123\n' },
  { name: 'usr/bin/nodejs', type: 'symlink', link: 'node' },
];

test('tarManifest reads type, mode, uid:gid and the sha256 of each entry', async () => {
  const { tarManifest } = await load();
  const m = tarManifest(tar(base), '/');
  assert.match(m.get('/app/data/state.json') ?? '', /^file 0644 1000:1000 [0-9a-f]{64}$/);
  assert.equal(m.get('/app/data'), 'dir 0755 1000:1000');
  assert.match(m.get('/app/bin/run') ?? '', /^file 0755 0:0 /);
  assert.equal(m.get('/usr/bin/nodejs'), 'symlink 0644 0:0 -> node');
  assert.equal(m.has('/etc/hostname'), false, "Docker's runtime files are not compared");
});

test('compareImages finds an owner change of the app files, file by file', async () => {
  const { tarManifest, compareImages, diffKinds } = await load();
  const before = tarManifest(tar(base), '/');
  // What a split that drops `--chown` on the broad COPY builds.
  const after = tarManifest(
    tar(
      base.map((e) => (e.name.startsWith('app/data') || e.name.startsWith('app/src') ? { ...e, uid: 0, gid: 0 } : e)),
    ),
    '/',
  );
  const { files, system } = compareImages(before, after, ['/app']);
  assert.equal(files.equal, false);
  assert.deepEqual(
    files.changed.map((c) => c.path),
    ['/app/data', '/app/data/state.json', '/app/src/server.js'],
  );
  assert.deepEqual(diffKinds(files), { type: 0, mode: 0, owner: 3, content: 0 });
  assert.equal(system.equal, true);
});

test('compareImages finds mode and content changes and files only in one image', async () => {
  const { tarManifest, compareImages, diffKinds } = await load();
  const before = tarManifest(tar(base), '/');
  const after = tarManifest(
    tar([
      ...base
        .filter((e) => e.name !== 'app/data/state.json')
        .map((e) =>
          e.name === 'app/bin/run'
            ? { ...e, mode: 0o644 }
            : e.name === 'app/src/server.js'
              ? { ...e, body: 'console.log(2)\n' }
              : e,
        ),
      { name: 'app/node_modules/zod/index.js', body: 'x' },
    ]),
    '/',
  );
  const { files } = compareImages(before, after, ['/app']);
  assert.deepEqual(files.onlyBefore, ['/app/data/state.json']);
  assert.deepEqual(files.onlyAfter, ['/app/node_modules/zod/index.js']);
  assert.deepEqual(diffKinds(files), { type: 0, mode: 1, owner: 0, content: 1 });
});

test('compareImages reports a change outside the app paths, package caches apart, log contents not compared', async () => {
  const { tarManifest, compareImages } = await load();
  const before = tarManifest(
    tar([
      ...base,
      { name: 'var/lib/apt/lists/_srv_apt-mirror_._Packages', body: 'Package: jq\n' },
      { name: 'var/log/dpkg.log', body: '2026-12-06 02:40:01 install jq\n' },
    ]),
    '/',
  );
  // What an apt cache-mount fix in the final stage builds: apt's
  // configuration rewritten, the lists left in the cache mount.
  const after = tarManifest(
    tar([
      ...base.filter((e) => e.name !== 'etc/apt/apt.conf.d/docker-clean'),
      { name: 'etc/apt/apt.conf.d/keep-cache', body: 'Binary::apt::APT::Keep-Downloaded-Packages "true";\n' },
      { name: 'root/.npm/', type: 'dir' },
      { name: 'etc/hostname', body: 'def456\n' },
      { name: 'var/log/dpkg.log', body: '2026-12-06 02:41:07 install jq\n' },
    ]),
    '/',
  );
  const { files, system, caches } = compareImages(before, after, ['/app']);
  assert.equal(files.equal, true);
  assert.deepEqual(system.onlyBefore, ['/etc/apt/apt.conf.d/docker-clean']);
  assert.deepEqual(system.onlyAfter, ['/etc/apt/apt.conf.d/keep-cache']);
  assert.deepEqual(caches.onlyBefore, ['/var/lib/apt/lists/_srv_apt-mirror_._Packages']);
  assert.deepEqual(caches.onlyAfter, ['/root/.npm']);
});
