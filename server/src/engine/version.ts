// The version of cachelens, read from package.json in one place: the esbuild
// bundles get it through `define` (scripts/build.mjs), a run from source (tsx,
// tests) reads the file beside the sources.

import * as fs from 'node:fs';
import * as path from 'node:path';

declare const CACHELENS_VERSION: string | undefined;

function fromPackageJson(): string {
  const file = path.join(__dirname, '..', '..', '..', 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

export const VERSION: string = typeof CACHELENS_VERSION === 'string' ? CACHELENS_VERSION : fromPackageJson();
