// Saved fuzz failures: <hash>.Dockerfile, <hash>.Dockerfile.dockerignore (when
// the input had an ignore file) and <hash>.json (how it was made, what failed).
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Failure } from './oracle';

export const REGRESSIONS_DIR = path.resolve(__dirname, '..', 'fixtures', 'fuzz-regressions');

export interface RegressionMeta {
  /** how the input was made: `makeInput(corpus, seed, index)`, then minimized */
  seed: number;
  index: number;
  origin: string;
  minimized: boolean;
  failures: Failure[];
  signatures: string[];
}

export interface Regression {
  hash: string;
  dockerfile: string;
  ignore?: string;
  meta: RegressionMeta;
}

export function loadRegressions(dir = REGRESSIONS_DIR): Regression[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const hash = f.slice(0, -'.json'.length);
      const ignorePath = path.join(dir, `${hash}.Dockerfile.dockerignore`);
      return {
        hash,
        dockerfile: readFileSync(path.join(dir, `${hash}.Dockerfile`), 'utf8'),
        ignore: existsSync(ignorePath) ? readFileSync(ignorePath, 'utf8') : undefined,
        meta: JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as RegressionMeta,
      };
    });
}

export function saveRegression(r: Regression, dir = REGRESSIONS_DIR): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${r.hash}.Dockerfile`), r.dockerfile);
  if (r.ignore !== undefined) writeFileSync(path.join(dir, `${r.hash}.Dockerfile.dockerignore`), r.ignore);
  writeFileSync(path.join(dir, `${r.hash}.json`), JSON.stringify(r.meta, null, 2) + '\n');
}
