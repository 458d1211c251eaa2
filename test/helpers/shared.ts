// The shared data folder (real projects, the Dockerfile corpus, the conformance
// vectors) lives outside the repository: $CACHELENS_SHARED, else ../shared
// beside the checkout. A fresh clone has neither, so every suite that reads it
// asks sharedSkip first and skips with one line saying what is missing.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { REPO } from './server';

export const SHARED = process.env.CACHELENS_SHARED ?? path.resolve(REPO, '..', 'shared');

/** A path inside the shared folder. */
export function sharedPath(...parts: string[]): string {
  return path.join(SHARED, ...parts);
}

/** false when every path exists under the shared folder, else the one-line reason to skip. */
export function sharedSkip(...paths: string[]): false | string {
  const missing = paths.map((p) => sharedPath(p)).find((p) => !existsSync(p));
  return missing
    ? `needs the shared data folder: ${missing} is absent (set CACHELENS_SHARED to the shared folder)`
    : false;
}
