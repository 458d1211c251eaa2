// fly.toml: [build] dockerfile and ignorefile; the context is fly.toml's folder.

import * as path from 'node:path';
import { tomlReader } from '../../parse/lazy';
import type { WorkspaceFs } from '../fs';
import { display, isObject, type BuildFileReader, type ParsedBuildFile } from './types';

export const flyReader: BuildFileReader = {
  name: 'fly',
  matches: (abs) => path.basename(abs) === 'fly.toml',
  parse: parseFly,
};

function parseFly(fs: WorkspaceFs, abs: string, text: string): ParsedBuildFile {
  const name = display(fs, abs);
  let data: Record<string, unknown>;
  try {
    data = tomlReader().parse(text) as Record<string, unknown>;
  } catch (e) {
    return { entries: [], problems: [`TOML error: ${(e as Error).message.split('\n')[0]}`] };
  }
  const build = isObject(data.build) ? data.build : undefined;
  if (!build || build.image !== undefined || build.builder !== undefined || build.buildpacks !== undefined)
    return { entries: [], problems: [] };
  const dockerfile = build.dockerfile ?? 'Dockerfile';
  const ignorefile = build.ignorefile;
  if (typeof dockerfile !== 'string' || (ignorefile !== undefined && typeof ignorefile !== 'string'))
    return { entries: [], problems: ['[build] dockerfile and ignorefile should be strings'] };
  if (build.dockerfile === undefined && ignorefile === undefined) return { entries: [], problems: [] };
  const dir = path.dirname(abs);
  return {
    entries: [
      {
        dockerfile: fromFlyDir(dir, dockerfile),
        contextDir: dir,
        ignoreFile: ignorefile === undefined ? undefined : fromFlyDir(dir, ignorefile),
        reason: `${name} [build]${ignorefile !== undefined ? ` (ignorefile ${ignorefile})` : ''}`,
        source: 'fly',
      },
    ],
    problems: [],
  };
}

/** flyctl reads `dockerfile` / `ignorefile` from fly.toml's folder, a leading `/` included (`/other/Dockerfile`). */
function fromFlyDir(dir: string, p: string): string {
  return path.resolve(dir, p.replace(/^\/+/, ''));
}
