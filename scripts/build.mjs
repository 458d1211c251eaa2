// One esbuild script, one entry per bundle (client, server, CLI), as in vscode-eslint.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

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
  build({ ...common, entryPoints: { server: 'server/src/server.ts', cli: 'server/src/cli.ts' }, outdir: 'dist' }),
]);
if (watch) console.log('watch mode is not supported; rerun npm run build');
