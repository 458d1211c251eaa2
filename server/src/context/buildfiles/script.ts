// `docker build [-f FILE] CONTEXT` (and the buildx/podman/buildah variants) in
// Makefiles, shell scripts and package.json scripts.
//
// Relative paths: a Makefile's recipes and a package.json script run in the
// file's folder. A shell script runs wherever it is called from — often the
// repository root — so its commands are read from the script's folder first,
// then from the workspace root, and a reading is kept only when the Dockerfile
// it names exists (`cd "$(dirname "$0")"` is understood).

import * as path from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import type { WorkspaceFs } from '../fs';
import { display, isObject, type BuildEntry, type BuildFileReader, type ParsedBuildFile } from './types';
import { commandEntries, scanBuildCommands } from './shellBuild';

const MENTIONS_BUILD = /\b(docker|podman|buildah|DOCKER|PODMAN|ENGINE)\b/;

function isMakefile(name: string): boolean {
  return name === 'Makefile' || name === 'makefile' || name === 'GNUmakefile' || name.endsWith('.mk');
}

export const scriptReader: BuildFileReader = {
  name: 'script',
  optional: true,
  matches: (abs) => {
    const name = path.basename(abs);
    return isMakefile(name) || name.endsWith('.sh') || name.endsWith('.bash') || name === 'package.json';
  },
  parse: (fs, abs, text) => {
    if (!MENTIONS_BUILD.test(text)) return { entries: [], problems: [] };
    const name = path.basename(abs);
    if (name === 'package.json') return parsePackageJson(fs, abs, text);
    const dir = path.dirname(abs);
    const make = isMakefile(name);
    const bases = make ? [dir] : [...new Set([dir, fs.root])];
    const entries: BuildEntry[] = [];
    for (const cmd of scanBuildCommands(text, { make }))
      entries.push(...commandEntries(fs, cmd, bases, dir, 'script', display(fs, abs)));
    return { entries, problems: [] };
  },
};

function parsePackageJson(fs: WorkspaceFs, abs: string, text: string): ParsedBuildFile {
  const errors: ParseError[] = [];
  const json = parseJsonc(text, errors);
  const scripts = isObject(json) && isObject(json.scripts) ? json.scripts : {};
  const dir = path.dirname(abs);
  const entries: BuildEntry[] = [];
  for (const [name, value] of Object.entries(scripts)) {
    if (typeof value !== 'string') continue;
    for (const cmd of scanBuildCommands(value))
      entries.push(
        ...commandEntries(fs, { ...cmd, line: 0 }, [dir], dir, 'script', `${display(fs, abs)} script "${name}"`).map(
          (e) => ({ ...e, reason: e.reason.replace(' line 0', '') }),
        ),
      );
  }
  return { entries, problems: [] };
}
