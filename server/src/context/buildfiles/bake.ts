// docker-bake.hcl / docker-bake.json: each target's context (default: the
// bake file's folder) and dockerfile (default: `Dockerfile` in the context),
// with the fields of the targets it `inherits`.

import * as path from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { WorkspaceFs } from '../fs';
import { display, isObject, isRemote, type BuildEntry, type BuildFileReader, type ParsedBuildFile } from './types';
import { readBakeHcl, type BakeTarget, type Unknown } from './hclReader';

export const BAKE_FILES = [
  'docker-bake.hcl',
  'docker-bake.json',
  'docker-bake.override.hcl',
  'docker-bake.override.json',
];

export const bakeReader: BuildFileReader = {
  name: 'bake',
  matches: (abs) => BAKE_FILES.includes(path.basename(abs)),
  parse: (fs, abs, text) => parseBake(fs, abs, text, abs.endsWith('.hcl')),
};

function parseBake(fs: WorkspaceFs, abs: string, text: string, hcl: boolean): ParsedBuildFile {
  const name = display(fs, abs);
  const problems: string[] = [];
  let targets: Map<string, BakeTarget>;
  if (hcl) {
    const r = readBakeHcl(text);
    targets = r.targets;
    problems.push(...r.problems);
  } else {
    const errors: ParseError[] = [];
    const json = parseJsonc(text, errors);
    if (errors.length)
      return {
        entries: [],
        problems: errors.slice(0, 5).map((e) => `JSON error: ${printParseErrorCode(e.error)} at offset ${e.offset}`),
      };
    targets = new Map();
    const t = isObject(json) ? json.target : undefined;
    for (const [tn, def] of Object.entries(isObject(t) ? t : {})) {
      if (!isObject(def)) continue;
      const bt: BakeTarget = {};
      if (typeof def.context === 'string') bt.context = def.context;
      if (typeof def.dockerfile === 'string') bt.dockerfile = def.dockerfile;
      if (def['dockerfile-inline'] !== undefined) bt.inline = true;
      if (Array.isArray(def.inherits)) bt.inherits = def.inherits.filter((x): x is string => typeof x === 'string');
      targets.set(tn, bt);
    }
  }
  const entries: BuildEntry[] = [];
  const bakeDir = path.dirname(abs);
  for (const tn of targets.keys()) {
    const t = resolveInherits(targets, tn);
    if (t.inline) continue;
    const ctx = t.context ?? '.';
    const df = t.dockerfile ?? 'Dockerfile';
    if (typeof ctx !== 'string' || typeof df !== 'string') {
      problems.push(
        `target ${tn}: ${(typeof ctx !== 'string' ? ctx : (df as Unknown)).unknown}, so cachelens cannot tell what it builds`,
      );
      continue;
    }
    if (isRemote(ctx)) continue;
    const contextDir = path.resolve(bakeDir, ctx);
    entries.push({
      dockerfile: path.resolve(contextDir, df),
      contextDir,
      reason: `${name} target ${tn} (context ${ctx})`,
      source: 'bake',
    });
  }
  return { entries, problems };
}

/** A target's fields with those of the targets it inherits (own fields win; later parents win over earlier). */
function resolveInherits(targets: Map<string, BakeTarget>, name: string, seen = new Set<string>()): BakeTarget {
  const t = targets.get(name);
  if (!t || seen.has(name) || seen.size > 32) return {};
  seen.add(name);
  const merged: BakeTarget = {};
  for (const parent of t.inherits ?? []) Object.assign(merged, resolveInherits(targets, parent, seen));
  if (t.context !== undefined) merged.context = t.context;
  if (t.dockerfile !== undefined) merged.dockerfile = t.dockerfile;
  if (t.inline !== undefined) merged.inline = t.inline;
  return merged;
}
