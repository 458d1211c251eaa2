// Compose files of any name (`*compose*.yml` / `.yaml`, anywhere the walk
// reaches): each service's build.context (relative to the compose file's
// folder) and build.dockerfile (relative to the context), through `extends:`
// (same file or another one; the base's relative context stays relative to
// the base's file) and `include:` (string, list, or objects with `path`).

import * as path from 'node:path';
import { yamlReader } from '../../parse/lazy';
import { isInside, type WorkspaceFs } from '../fs';
import { display, isObject, isRemote, MAX_BUILD_FILE_BYTES, type BuildEntry, type BuildFileReader } from './types';

/** The standard names (any `*compose*.y?ml` is read; these are what Compose looks for by default). */
export const COMPOSE_FILES = [
  'compose.yaml',
  'compose.yml',
  'docker-compose.yml',
  'docker-compose.yaml',
  'compose.override.yaml',
  'compose.override.yml',
  'docker-compose.override.yml',
  'docker-compose.override.yaml',
];
const COMPOSE_NAME = /compose[^/]*\.ya?ml$/i;
const MAX_DEPTH = 8;
const TEMPLATE = /\{\{[^}\n]*\}\}/;

export const composeReader: BuildFileReader = {
  name: 'compose',
  matches: (abs) => COMPOSE_NAME.test(path.basename(abs)),
  parse: (fs, abs, text) => {
    // Compose has no {{ }}; a file with it is a template (Helm, Jinja, gomplate) rendered elsewhere.
    if (TEMPLATE.test(text))
      return {
        entries: [],
        problems: ['looks like a template ({{ … }}), so cachelens does not read it as a compose file'],
      };
    const r = readYaml(text);
    if ('problems' in r) return { entries: [], problems: r.problems };
    const state: State = { fs, entries: [], problems: [], reads: [], visited: new Set([abs]) };
    composeEntries(state, r.data, abs, 0);
    return { entries: state.entries, problems: state.problems, reads: state.reads };
  },
};

/** A YAML text as plain data (anchors and merge keys expanded, alias bombs refused), or its problems. */
export function readYaml(text: string): { data: unknown } | { problems: string[] } {
  const doc = yamlReader().parseDocument(text, { merge: true, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length)
    return {
      problems: doc.errors
        .slice(0, 5)
        .map((e) => `YAML error${e.linePos ? ` at line ${e.linePos[0].line}` : ''}: ${e.message.split('\n')[0]}`),
    };
  try {
    return { data: doc.toJS({ maxAliasCount: 1000 }) };
  } catch (e) {
    return { problems: [`YAML could not be expanded: ${(e as Error).message}`] };
  }
}

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

interface State {
  fs: WorkspaceFs;
  entries: BuildEntry[];
  problems: string[];
  /** other files read (include / extends) */
  reads: string[];
  visited: Set<string>;
  /** other files already read (undefined: unreadable, reported once) */
  others?: Map<string, unknown>;
}

/** A service's build section as written, with the folder its relative context is resolved from. */
interface RawBuild {
  context?: unknown;
  dockerfile?: unknown;
  inline?: boolean;
  base: string;
  field: string;
}

/** Data of another compose file named by `include:` or `extends.file`, or undefined (with a problem). */
function readOther(state: State, abs: string, from: string): unknown {
  state.others ??= new Map();
  if (state.others.has(abs)) return state.others.get(abs);
  const data = readOtherOnce(state, abs, from);
  state.others.set(abs, data);
  return data;
}

function readOtherOnce(state: State, abs: string, from: string): unknown {
  if (!isInside(state.fs.root, abs)) {
    state.problems.push(`${from}: ${abs} is outside the workspace, so cachelens does not read it`);
    return undefined;
  }
  state.reads.push(abs);
  const text = state.fs.readFile(abs, MAX_BUILD_FILE_BYTES);
  if (text === undefined) {
    state.problems.push(`${from}: ${display(state.fs, abs)} could not be read`);
    return undefined;
  }
  const r = readYaml(text);
  if ('problems' in r) {
    state.problems.push(...r.problems.map((p) => `${display(state.fs, abs)}: ${p}`));
    return undefined;
  }
  return r.data;
}

function servicesOf(data: unknown): Record<string, unknown> {
  return isObject(data) && isObject(data.services) ? data.services : {};
}

/** The build of one service, through `extends`; undefined when it builds nothing. */
function serviceBuild(
  state: State,
  services: Record<string, unknown>,
  file: string,
  service: string,
  depth: number,
): RawBuild | undefined {
  const def = services[service];
  if (!isObject(def)) return undefined;
  const base = path.dirname(file);
  let own: RawBuild | undefined;
  if (typeof def.build === 'string') own = { context: def.build, base, field: 'build' };
  else if (isObject(def.build))
    own = {
      context: def.build.context,
      dockerfile: def.build.dockerfile,
      inline: def.build.dockerfile_inline !== undefined,
      base,
      field: 'build.context',
    };
  else if (def.build !== undefined && def.build !== null)
    state.problems.push(`service ${service}: build should be a path or a mapping`);
  const ext =
    typeof def.extends === 'string' ? { service: def.extends } : isObject(def.extends) ? def.extends : undefined;
  let inherited: RawBuild | undefined;
  if (ext && typeof ext.service === 'string' && depth < MAX_DEPTH) {
    if (typeof ext.file === 'string') {
      const other = path.resolve(base, ext.file);
      const data = readOther(state, other, `service ${service} extends`);
      if (data !== undefined) inherited = serviceBuild(state, servicesOf(data), other, ext.service, depth + 1);
    } else if (ext.service !== service) inherited = serviceBuild(state, services, file, ext.service, depth + 1);
  }
  if (!own || !inherited) return own ?? inherited;
  const ownContext = own.context !== undefined;
  return {
    context: ownContext ? own.context : inherited.context,
    base: ownContext ? own.base : inherited.base,
    dockerfile: own.dockerfile ?? (own.inline ? undefined : inherited.dockerfile),
    inline: own.inline || (own.dockerfile === undefined && inherited.inline),
    field: ownContext ? own.field : `${inherited.field} (extended)`,
  };
}

/** Entries of one compose file's services, then of the files it includes. */
function composeEntries(state: State, data: unknown, file: string, depth: number): void {
  const name = display(state.fs, file);
  const services = servicesOf(data);
  for (const service of Object.keys(services)) {
    const build = serviceBuild(state, services, file, service, 0);
    if (!build || build.inline) continue;
    const contextRaw = build.context ?? '.';
    const dockerfileRaw = build.dockerfile ?? 'Dockerfile';
    if (typeof contextRaw !== 'string' || typeof dockerfileRaw !== 'string') {
      state.problems.push(`service ${service}: build.context and build.dockerfile should be strings`);
      continue;
    }
    const ctx = interpolateCompose(contextRaw);
    const df = interpolateCompose(dockerfileRaw);
    if ('unknown' in ctx || 'unknown' in df) {
      state.problems.push(
        `service ${service}: ${'unknown' in ctx ? ctx.unknown : (df as { unknown: string }).unknown} depends on the environment, so cachelens cannot tell which context it builds`,
      );
      continue;
    }
    if (isRemote(ctx.value)) continue;
    const contextDir = path.resolve(build.base, ctx.value);
    state.entries.push({
      dockerfile: path.resolve(contextDir, df.value),
      contextDir,
      reason: `${name} service ${service} (${build.field} ${ctx.value})`,
      source: 'compose',
    });
  }
  if (depth >= MAX_DEPTH || !isObject(data)) return;
  for (const inc of includes(data.include)) {
    const other = path.resolve(path.dirname(file), inc);
    if (state.visited.has(other)) continue;
    state.visited.add(other);
    const included = readOther(state, other, `${name} include`);
    if (included !== undefined) composeEntries(state, included, other, depth + 1);
  }
}

/** Paths of a top-level `include:` (a string, a list of strings, or objects with `path`). */
function includes(v: unknown): string[] {
  const out: string[] = [];
  for (const item of Array.isArray(v) ? v : v === undefined ? [] : [v]) {
    if (typeof item === 'string') out.push(item);
    else if (isObject(item)) {
      const p = item.path;
      for (const x of Array.isArray(p) ? p : [p]) if (typeof x === 'string') out.push(x);
    }
  }
  return out.slice(0, 50);
}
