// The language server's start (dist/server.js, built from start.ts) compiles the
// server bundle (dist/server.bundle.js) with the V8 code cache the build made
// for it (dist/server.bundle.cache, scripts/code-cache.mjs): the start then
// neither parses 2 MB of JavaScript nor compiles the functions the first
// diagnostics run. A cache is used only when it was made from this very bundle
// by this V8 on this architecture and its bytes are intact; otherwise the bundle
// compiles as it would without one; V8 itself also refuses it when the process
// runs with other V8 flags (NODE_OPTIONS=--max-old-space-size=…, --inspect), and
// the bundle then compiles as usual too. Nothing here writes a file.
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { wrap } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

const MAGIC = 'cachelens-code-cache 1\n';

interface Header {
  v8: string;
  arch: string;
  /** sha256 of the bundle's text */
  source: string;
  /** sha256 of the V8 data after the header */
  data: string;
}

const sha256 = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');

/** A cache file's bytes: the magic line, a JSON header line, then V8's data. `source`: the bundle file's bytes. */
export function encodeCodeCache(source: Buffer, data: Buffer): Buffer {
  const header: Header = { v8: process.versions.v8, arch: process.arch, source: sha256(source), data: sha256(data) };
  return Buffer.concat([Buffer.from(`${MAGIC}${JSON.stringify(header)}\n`), data]);
}

/** V8's data in a cache file when it was made for the bundle file `source` (its bytes) here, else why it is not used. */
export function readCodeCache(bytes: Buffer | undefined, source: Buffer): { data: Buffer } | { why: string } {
  if (!bytes) return { why: 'no code cache' };
  if (bytes.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) return { why: 'not a cachelens code cache' };
  const end = bytes.indexOf(10, MAGIC.length);
  let header: Partial<Header>;
  try {
    header = JSON.parse(bytes.subarray(MAGIC.length, end < 0 ? bytes.length : end).toString('utf8'));
  } catch {
    return { why: 'unreadable code cache header' };
  }
  if (end < 0 || typeof header !== 'object' || !header) return { why: 'unreadable code cache header' };
  if (header.v8 !== process.versions.v8 || header.arch !== process.arch)
    return { why: `code cache made by V8 ${header.v8} on ${header.arch}` };
  if (header.source !== sha256(source)) return { why: 'code cache made for another bundle' };
  const data = bytes.subarray(end + 1);
  if (header.data !== sha256(data)) return { why: 'code cache damaged' };
  return { data };
}

/**
 * The bundle's text. The build keeps it ASCII (scripts/build.mjs): read as latin1 it is
 * decoded in about 1 ms, where UTF-8 takes 10-20 ms for its 2 MB at start.
 */
export function bundleText(bytes: Buffer): string {
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}

/** The bundle compiled as CommonJS (Node's own wrapper), with V8's cached data when given. */
export function compileBundle(file: string, source: string, cachedData?: Buffer): Script {
  return new Script(wrap(source), { filename: file, cachedData });
}

/** Runs a compiled bundle as the body of module `mod`, with its `require`; it sees `filename` as __filename. */
export function runBundle(script: Script, mod: NodeJS.Module, req: NodeJS.Require, filename: string): void {
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  fn.call(mod.exports, mod.exports, req, mod, filename, dirname(filename));
}
