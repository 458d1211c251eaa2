// Build time only (scripts/code-cache.mjs runs it): runs the server bundle as
// dist/server.js does, over the stdio the build drives, and on exit writes the V8
// code cache of everything compiled by then (the start and a first analysis).
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { bundleText, compileBundle, encodeCodeCache, runBundle } from '../server/src/codeCache';

const [bundle, out] = process.argv.slice(2);
const bytes = readFileSync(bundle);
const script = compileBundle(bundle, bundleText(bytes));
process.on('exit', () => writeFileSync(out, encodeCodeCache(bytes, script.createCachedData())));
runBundle(script, module, require, path.join(path.dirname(bundle), 'server.js'));
