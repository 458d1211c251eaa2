// dist/server.js: compiles and runs the language server bundle
// (dist/server.bundle.js) with its V8 code cache when that cache is valid here
// (codeCache.ts), so that the editor's first diagnostics come sooner.
// CACHELENS_TRACE_START=1 says on stderr how long that took and whether the cache was used.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { bundleText, compileBundle, readCodeCache, runBundle } from './codeCache';
import { tuneJit } from './lsp/jit';

const bundle = path.join(__dirname, 'server.bundle.js');
const bundleBytes = readFileSync(bundle);
let bytes: Buffer | undefined;
try {
  bytes = readFileSync(path.join(__dirname, 'server.bundle.cache'));
} catch {
  // no cache: compile as usual
}
const cache = readCodeCache(bytes, bundleBytes);
const script = compileBundle(bundle, bundleText(bundleBytes), 'data' in cache ? cache.data : undefined);
if (process.env.CACHELENS_TRACE_START) {
  const used = 'data' in cache ? (script.cachedDataRejected ? 'rejected by V8' : 'used') : cache.why;
  process.stderr.write(`cachelens start: bundle compiled ${performance.now().toFixed(1)} ms (code cache: ${used})\n`);
}
// after the compile: V8 accepts a code cache only under the flags it was made with (the build's defaults)
tuneJit();
// the bundle sees this file as __filename: the forecast worker it spawns starts here too
runBundle(script, module, require, __filename);
