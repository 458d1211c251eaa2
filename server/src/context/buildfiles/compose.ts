// Compose files: each service's build.context and build.dockerfile.

import * as path from 'node:path';
import { parseDocument } from 'yaml';
import type { WorkspaceFs } from '../fs';
import { display, isObject, isRemote, type BuildEntry, type BuildFileReader, type ParsedBuildFile } from './types';

export const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml', 'compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yml', 'docker-compose.override.yaml'];

export const composeReader: BuildFileReader = {
  name: 'compose',
  matches: (abs) => COMPOSE_FILES.includes(path.basename(abs)),
  parse: parseCompose,
};

/**
 * Compose-style `${VAR:-default}` / `${VAR-default}` / `$$` in a path. Other
 * variables depend on the user's environment, so the value is unknown.
 */
export function interpolateCompose(value: string): { value: string } | { unknown: string } {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = value[i + 1];
    if (next === '$') {
      out += '$';
      i++;
      continue;
    }
    if (next !== '{') {
      let j = i + 1;
      while (j < value.length && /[A-Za-z0-9_]/.test(value[j])) j++;
      if (j === i + 1) {
        out += c;
        continue;
      }
      return { unknown: value.slice(i, j) };
    }
    const close = value.indexOf('}', i + 2);
    if (close < 0) return { unknown: value.slice(i) };
    const body = value.slice(i + 2, close);
    const m = body.indexOf(':-') >= 0 ? body.indexOf(':-') : body.indexOf('-');
    if (m < 0) return { unknown: '${' + body + '}' };
    out += body.slice(body[m] === ':' ? m + 2 : m + 1);
    i = close;
  }
  return { value: out };
}

function parseCompose(fs: WorkspaceFs, abs: string, text: string): ParsedBuildFile {
  const name = display(fs, abs);
  const doc = parseDocument(text, { merge: true, prettyErrors: false, uniqueKeys: false });
  const problems = doc.errors.slice(0, 5).map((e) => `YAML error${e.linePos ? ` at line ${e.linePos[0].line}` : ''}: ${e.message.split('\n')[0]}`);
  if (doc.errors.length) return { entries: [], problems };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    return { entries: [], problems: [`YAML could not be expanded: ${(e as Error).message}`] };
  }
  const entries: BuildEntry[] = [];
  const services = isObject(data) ? data.services : undefined;
  if (!isObject(services)) return { entries, problems };
  const composeDir = path.dirname(abs);
  for (const [service, def] of Object.entries(services)) {
    if (!isObject(def) || def.build === undefined || def.build === null) continue;
    const build = def.build;
    let contextRaw: unknown;
    let dockerfileRaw: unknown = 'Dockerfile';
    let field = 'build';
    if (typeof build === 'string') contextRaw = build;
    else if (isObject(build)) {
      if (build.dockerfile_inline !== undefined) continue;
      contextRaw = build.context ?? '.';
      dockerfileRaw = build.dockerfile ?? 'Dockerfile';
      field = 'build.context';
    } else {
      problems.push(`service ${service}: build should be a path or a mapping`);
      continue;
    }
    if (typeof contextRaw !== 'string' || typeof dockerfileRaw !== 'string') {
      problems.push(`service ${service}: build.context and build.dockerfile should be strings`);
      continue;
    }
    const ctx = interpolateCompose(contextRaw);
    const df = interpolateCompose(dockerfileRaw);
    if ('unknown' in ctx || 'unknown' in df) {
      problems.push(`service ${service}: ${'unknown' in ctx ? ctx.unknown : (df as { unknown: string }).unknown} depends on the environment, so cachelens cannot tell which context it builds`);
      continue;
    }
    if (isRemote(ctx.value)) continue;
    const contextDir = path.resolve(composeDir, ctx.value);
    entries.push({
      dockerfile: path.resolve(contextDir, df.value),
      contextDir,
      reason: `${name} service ${service} (${field} ${ctx.value})`,
      source: 'compose',
    });
  }
  return { entries, problems };
}
