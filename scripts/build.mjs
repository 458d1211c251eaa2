// One esbuild script, one entry per bundle (client, server, CLI), as in vscode-eslint.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { makeCodeCache } from './code-cache.mjs';

// package.json's version, compiled into the bundles (server/src/engine/version.ts reads it)
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: process.argv.includes('--minify'),
  logLevel: 'warning',
  // jsonc-parser's UMD main cannot be bundled; its ESM build can
  mainFields: ['module', 'main'],
  define: { CACHELENS_VERSION: JSON.stringify(version) },
};

await Promise.all([
  build({ ...common, entryPoints: { client: 'client/src/extension.ts' }, outdir: 'dist', external: ['vscode'] }),
  // dist/server.js is the start (server/src/start.ts): it runs dist/server.bundle.js with its code cache
  build({
    ...common,
    entryPoints: { server: 'server/src/start.ts', 'server.bundle': 'server/src/server.ts', cli: 'server/src/cli.ts' },
    outdir: 'dist',
  }),
]);
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
asciiComments(`${dist}server.bundle.js`);
await makeCodeCache(`${dist}server.bundle.js`, `${dist}server.bundle.cache`);
/**
 * esbuild escapes every non-ASCII character in code but keeps a few comments as written
 * (a '…' or '→'): with those as '?' the bundle is ASCII, which the server's start reads
 * as latin1 in 1 ms instead of decoding 2 MB of UTF-8 (server/src/codeCache.ts). One
 * character for one keeps the source map's columns; a line that is not a comment stays.
 */
function asciiComments(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const comment = /^\s*(\/\/|\/\*|\*)/;
  const out = lines.map((l) => (/[^\x00-\x7f]/.test(l) && comment.test(l) ? l.replace(/[^\x00-\x7f]/g, '?') : l));
  writeFileSync(file, out.join('\n'));
}
if (watch) console.log('watch mode is not supported; rerun npm run build');
