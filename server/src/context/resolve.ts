// Which build context (folder + ignore file) a Dockerfile is built with.
//
// Order (DESIGN.md "Build context resolution"): explicit mappings (settings,
// then <root>/.cachelens.json); else every compose / bake / devcontainer /
// fly.toml file in the workspace that builds this Dockerfile; else the
// Dockerfile's own folder. The ignore file is `<Dockerfile name>.dockerignore`
// beside the Dockerfile when it exists, else `<context>/.dockerignore`;
// fly.toml's `ignorefile` and a mapping's `ignoreFile` override both.
//
// Build files are found by a shallow walk of the workspace and parsed with
// `yaml`, `jsonc-parser` and `smol-toml`. docker-bake.hcl is read by the small,
// bounded HCL reader at the end of this file: the only HCL2 parsers on npm are
// multi-megabyte GopherJS/WASM builds of HashiCorp's Go code, too heavy to
// load in a language server for two attributes. Parses are cached per file
// (BuildFileCache) because resolution runs on every keystroke.

import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { isInside, relativeTo, type WorkspaceFs } from './fs';
import { readProjectConfig } from './projectConfig';

export type ContextSource = 'settings' | 'compose' | 'bake' | 'devcontainer' | 'fly' | 'default';

export interface ResolvedContext {
  dockerfile: string;
  contextDir: string;
  ignoreFile?: string;
  /** Where the context came from, for hover and the CLI, e.g. "compose.yaml service web (build.context ./app)". */
  reason: string;
  /** Why this ignore file (or why none), e.g. "Dockerfile.dockerignore beside the Dockerfile". */
  ignoreReason: string;
  source: ContextSource;
}

/** A mapping from settings or .cachelens.json; paths relative to the workspace root. */
export interface ContextMapping {
  dockerfile: string;
  context: string;
  ignoreFile?: string;
}

export interface ResolveProblem {
  file: string;
  message: string;
}

export interface ResolveOptions {
  /** Mappings from the editor settings (relative to the root); `.cachelens.json` ones are read too. */
  mappings?: ContextMapping[];
  /** false in an untrusted workspace: only mappings and the default apply. Default true. */
  trusted?: boolean;
  /** Reuse parses between calls; call cache.invalidate(path) on file events. */
  cache?: BuildFileCache;
}

export const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml', 'compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yml', 'docker-compose.override.yaml'];
export const BAKE_FILES = ['docker-bake.hcl', 'docker-bake.json', 'docker-bake.override.hcl', 'docker-bake.override.json'];
export const SETTINGS_FILE = '.cachelens.json';
const DISCOVERY_DEPTH = 4;
const DISCOVERY_MAX_DIRS = 20_000;
const DISCOVERY_SKIP = new Set(['node_modules', '.git', '.hg', '.svn']);
const MAX_BUILD_FILE_BYTES = 1024 * 1024;

/** A (context, Dockerfile) pair declared by one build file. */
interface BuildEntry {
  dockerfile: string;
  contextDir: string;
  ignoreFile?: string;
  reason: string;
  source: ContextSource;
}

interface ParsedBuildFile {
  entries: BuildEntry[];
  problems: string[];
}

function kindOfBuildFile(abs: string): 'compose' | 'bake-hcl' | 'bake-json' | 'devcontainer' | 'fly' | undefined {
  const name = path.basename(abs);
  if (COMPOSE_FILES.includes(name)) return 'compose';
  if (BAKE_FILES.includes(name)) return name.endsWith('.hcl') ? 'bake-hcl' : 'bake-json';
  if (name === 'fly.toml') return 'fly';
  if (name === '.devcontainer.json') return 'devcontainer';
  if (name === 'devcontainer.json' && abs.split(path.sep).includes('.devcontainer')) return 'devcontainer';
  return undefined;
}

/**
 * Build files of a workspace and their parses, kept until invalidated.
 * One per workspace root; the LSP forwards file events to invalidate().
 */
export class BuildFileCache {
  private discovered: string[] | undefined;
  private parsed = new Map<string, ParsedBuildFile>();
  private settings: { mappings: ContextMapping[]; problems: string[] } | undefined;

  constructor(readonly fs: WorkspaceFs) {}

  /** Forgets what a file event may have changed (any path; cheap for unrelated ones). */
  invalidate(absPath?: string): void {
    if (absPath === undefined) {
      this.discovered = undefined;
      this.parsed.clear();
      this.settings = undefined;
      return;
    }
    const abs = path.resolve(absPath);
    if (abs === path.join(this.fs.root, SETTINGS_FILE)) this.settings = undefined;
    if (kindOfBuildFile(abs)) {
      this.parsed.delete(abs);
      if (!this.discovered?.includes(abs) || !this.fs.stat(abs)) this.discovered = undefined;
      return;
    }
    // A folder that appeared or vanished may hold build files.
    const st = this.fs.stat(abs);
    if (!st || st.kind === 'dir') {
      const rel = relativeTo(this.fs.root, abs);
      if (rel !== undefined && rel.split('/').length <= DISCOVERY_DEPTH) this.discovered = undefined;
    }
  }

  /** Build files within DISCOVERY_DEPTH folders of the root (node_modules and VCS folders skipped). */
  buildFiles(): string[] {
    if (this.discovered) return this.discovered;
    const found: string[] = [];
    let visited = 0;
    const walk = (dir: string, depth: number): void => {
      if (++visited > DISCOVERY_MAX_DIRS) return;
      const entries = this.fs.readDir(dir);
      if (!entries) return;
      for (const e of entries.slice().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const abs = path.join(dir, e.name);
        if (e.kind === 'file' && kindOfBuildFile(abs)) found.push(abs);
        else if (e.kind === 'dir' && !DISCOVERY_SKIP.has(e.name) && depth < DISCOVERY_DEPTH) walk(abs, depth + 1);
      }
    };
    walk(this.fs.root, 0);
    this.discovered = found;
    return found;
  }

  parse(abs: string): ParsedBuildFile {
    let p = this.parsed.get(abs);
    if (!p) {
      p = parseBuildFile(this.fs, abs);
      this.parsed.set(abs, p);
    }
    return p;
  }

  /** Mappings from <root>/.cachelens.json. */
  fileMappings(): { mappings: ContextMapping[]; problems: string[] } {
    this.settings ??= readSettingsFile(this.fs);
    return this.settings;
  }
}

function display(fs: WorkspaceFs, abs: string): string {
  const rel = relativeTo(fs.root, abs);
  return rel === undefined ? abs : rel === '' ? '.' : rel;
}

function dotRel(fs: WorkspaceFs, abs: string): string {
  const rel = relativeTo(fs.root, abs);
  return rel === undefined ? abs : rel === '' ? './' : './' + rel;
}

function readSettingsFile(fs: WorkspaceFs): { mappings: ContextMapping[]; problems: string[] } {
  const { config, problems } = readProjectConfig(fs);
  return { mappings: config.contexts, problems };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isRemote(context: string): boolean {
  return context.includes('://') || context.startsWith('git@') || context.startsWith('target:') || context.startsWith('docker-image:') || context.startsWith('oci-layout:');
}

function parseBuildFile(fs: WorkspaceFs, abs: string): ParsedBuildFile {
  const kind = kindOfBuildFile(abs);
  const text = fs.readFile(abs, MAX_BUILD_FILE_BYTES);
  if (text === undefined) return { entries: [], problems: ['could not be read (binary, unreadable or over 1 MiB)'] };
  try {
    switch (kind) {
      case 'compose':
        return parseCompose(fs, abs, text);
      case 'bake-json':
      case 'bake-hcl':
        return parseBake(fs, abs, text, kind === 'bake-hcl');
      case 'devcontainer':
        return parseDevcontainer(fs, abs, text);
      case 'fly':
        return parseFly(fs, abs, text);
      default:
        return { entries: [], problems: [] };
    }
  } catch (e) {
    // The parsers report errors as values; this is a last guard so resolution never throws.
    return { entries: [], problems: [`could not be parsed: ${(e as Error).message}`] };
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

/** An attribute cachelens could not evaluate, with the reason. */
interface Unknown {
  unknown: string;
}

interface BakeTarget {
  context?: string | Unknown;
  dockerfile?: string | Unknown;
  inherits?: string[];
  inline?: boolean;
}

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
    if (errors.length) return { entries: [], problems: errors.slice(0, 5).map((e) => `JSON error: ${printParseErrorCode(e.error)} at offset ${e.offset}`) };
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
      problems.push(`target ${tn}: ${(typeof ctx !== 'string' ? ctx : (df as Unknown)).unknown}, so cachelens cannot tell what it builds`);
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

function parseDevcontainer(fs: WorkspaceFs, abs: string, text: string): ParsedBuildFile {
  const name = display(fs, abs);
  const errors: ParseError[] = [];
  const json = parseJsonc(text, errors, { allowTrailingComma: true });
  if (!isObject(json)) return { entries: [], problems: errors.slice(0, 5).map((e) => `JSONC error: ${printParseErrorCode(e.error)} at offset ${e.offset}`) };
  const build = isObject(json.build) ? json.build : {};
  // `dockerFile` / `context` at the top level are the older spelling.
  const dockerfile = build.dockerfile ?? build.dockerFile ?? json.dockerFile ?? json.dockerfile;
  const context = build.context ?? json.context ?? '.';
  if (typeof dockerfile !== 'string' || typeof context !== 'string') return { entries: [], problems: [] };
  const base = path.dirname(abs);
  const contextDir = path.resolve(base, context);
  return {
    entries: [{ dockerfile: path.resolve(base, dockerfile), contextDir, reason: `${name} (build.context ${context})`, source: 'devcontainer' }],
    problems: [],
  };
}

function parseFly(fs: WorkspaceFs, abs: string, text: string): ParsedBuildFile {
  const name = display(fs, abs);
  let data: Record<string, unknown>;
  try {
    data = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    return { entries: [], problems: [`TOML error: ${(e as Error).message.split('\n')[0]}`] };
  }
  const build = isObject(data.build) ? data.build : undefined;
  if (!build || build.image !== undefined || build.builder !== undefined || build.buildpacks !== undefined) return { entries: [], problems: [] };
  const dockerfile = build.dockerfile ?? 'Dockerfile';
  const ignorefile = build.ignorefile;
  if (typeof dockerfile !== 'string' || (ignorefile !== undefined && typeof ignorefile !== 'string')) return { entries: [], problems: ['[build] dockerfile and ignorefile should be strings'] };
  if (build.dockerfile === undefined && ignorefile === undefined) return { entries: [], problems: [] };
  const dir = path.dirname(abs);
  return {
    entries: [
      {
        dockerfile: path.resolve(dir, dockerfile),
        contextDir: dir,
        ignoreFile: ignorefile === undefined ? undefined : path.resolve(dir, ignorefile),
        reason: `${name} [build]${ignorefile !== undefined ? ` (ignorefile ${ignorefile})` : ''}`,
        source: 'fly',
      },
    ],
    problems: [],
  };
}

function chooseIgnoreFile(fs: WorkspaceFs, dockerfile: string, contextDir: string, override: { file: string; from: string } | undefined, problems: ResolveProblem[], problemFile: string): { ignoreFile?: string; ignoreReason: string } {
  if (override) {
    const st = fs.stat(override.file);
    if (st && st.kind === 'file') return { ignoreFile: override.file, ignoreReason: `${display(fs, override.file)} (${override.from})` };
    problems.push({ file: problemFile, message: `the ignore file ${display(fs, override.file)} named by ${override.from} does not exist; using the default one` });
  }
  const beside = dockerfile + '.dockerignore';
  if (fs.stat(beside)?.kind === 'file') return { ignoreFile: beside, ignoreReason: `${path.basename(beside)} beside the Dockerfile (it takes precedence over the context's .dockerignore)` };
  const inContext = path.join(contextDir, '.dockerignore');
  if (fs.stat(inContext)?.kind === 'file') return { ignoreFile: inContext, ignoreReason: `.dockerignore at the context root` };
  return { ignoreReason: `no ${path.basename(dockerfile)}.dockerignore beside the Dockerfile and no .dockerignore at the context root` };
}

/**
 * The build contexts a Dockerfile is built with. Never throws: unreadable or
 * malformed build files and contexts outside the workspace come back as
 * problems, and resolution falls back to the next source.
 */
export function resolveContexts(dockerfileAbs: string, fs: WorkspaceFs, opts: ResolveOptions = {}): { contexts: ResolvedContext[]; problems: ResolveProblem[] } {
  const dockerfile = path.resolve(dockerfileAbs);
  const cache = opts.cache ?? new BuildFileCache(fs);
  const problems: ResolveProblem[] = [];
  const contexts: ResolvedContext[] = [];
  const seen = new Set<string>();

  const accept = (e: BuildEntry, problemFile: string): void => {
    if (!isInside(fs.root, e.contextDir)) {
      problems.push({ file: problemFile, message: `${e.reason}: the context ${e.contextDir} is outside the workspace, so cachelens does not read it` });
      return;
    }
    const st = fs.stat(e.contextDir);
    if (!st || (st.kind !== 'dir' && st.kind !== 'symlink')) {
      problems.push({ file: problemFile, message: `${e.reason}: the context folder ${dotRel(fs, e.contextDir)} does not exist` });
      return;
    }
    const override = e.ignoreFile ? { file: e.ignoreFile, from: e.reason } : undefined;
    const ignore = chooseIgnoreFile(fs, dockerfile, e.contextDir, override, problems, problemFile);
    const key = e.contextDir + '\0' + (ignore.ignoreFile ?? '');
    if (seen.has(key)) return;
    seen.add(key);
    contexts.push({ dockerfile, contextDir: e.contextDir, ...ignore, reason: e.reason, source: e.source });
  };

  // 1. Explicit mappings.
  const fromFile = cache.fileMappings();
  for (const message of fromFile.problems) problems.push({ file: path.join(fs.root, SETTINGS_FILE), message });
  const mappingSources: [ContextMapping[], string, string][] = [
    [opts.mappings ?? [], 'the cachelens.contexts setting', fs.root],
    [fromFile.mappings, SETTINGS_FILE, path.join(fs.root, SETTINGS_FILE)],
  ];
  for (const [mappings, from, problemFile] of mappingSources) {
    for (const m of mappings) {
      if (path.resolve(fs.root, m.dockerfile) !== dockerfile) continue;
      const contextDir = path.resolve(fs.root, m.context);
      accept({ dockerfile, contextDir, ignoreFile: m.ignoreFile === undefined ? undefined : path.resolve(fs.root, m.ignoreFile), reason: `${from} maps it to ${m.context}`, source: 'settings' }, problemFile);
    }
  }
  if (contexts.length) return { contexts, problems };

  // 2. Build files in the workspace (only when the workspace is trusted).
  if (opts.trusted !== false) {
    for (const file of cache.buildFiles()) {
      const parsed = cache.parse(file);
      for (const message of parsed.problems) problems.push({ file, message: `${display(fs, file)}: ${message}` });
      for (const e of parsed.entries) if (e.dockerfile === dockerfile) accept(e, file);
    }
    if (contexts.length) return { contexts, problems };
  }

  // 3. The Dockerfile's folder.
  accept({ dockerfile, contextDir: path.dirname(dockerfile), reason: `the Dockerfile's folder`, source: 'default' }, dockerfile);
  return { contexts, problems };
}

// ---------------------------------------------------------------------------
// A bounded reader for the part of HCL that docker-bake.hcl targets use:
// blocks (`target "name" { ... }`), attributes (`name = expr`), string
// literals and templates, lists, objects, comments and heredocs. Expressions
// other than strings and lists of strings are kept as "unknown" rather than
// evaluated. `${VAR}` in a string is replaced by the default of
// `variable "VAR" { default = "..." }` (bake would also read the environment).
// Limits: 1 MiB of text, 64 levels of nesting, 200k tokens.

type Tok =
  | { t: 'ident'; v: string }
  | { t: 'str'; parts: (string | { expr: string })[] }
  | { t: 'heredoc' }
  | { t: 'num' }
  | { t: 'nl' }
  | { t: 'p'; v: string };

const MAX_TOKENS = 200_000;
const MAX_NESTING = 64;

function tokenizeHcl(src: string): { toks: Tok[]; error?: string } {
  const toks: Tok[] = [];
  let i = 0;
  const n = src.length;
  const isIdStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
  const isId = (c: string) => isIdStart(c) || (c >= '0' && c <= '9') || c === '-';
  while (i < n) {
    if (toks.length > MAX_TOKENS) return { toks, error: 'too many tokens' };
    const c = src[i];
    if (c === '\n') {
      toks.push({ t: 'nl' });
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (c === '#' || (c === '/' && src[i + 1] === '/')) {
      while (i < n && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) return { toks, error: 'unterminated /* comment' };
      for (let k = i; k < end; k++) if (src[k] === '\n') toks.push({ t: 'nl' });
      i = end + 2;
    } else if (c === '"') {
      const parts: (string | { expr: string })[] = [];
      let lit = '';
      i++;
      let closed = false;
      while (i < n) {
        const d = src[i];
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\n') break;
        if (d === '\\') {
          const e = src[i + 1];
          lit += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e ?? '';
          i += 2;
        } else if ((d === '$' || d === '%') && src[i + 1] === d && src[i + 2] === '{') {
          lit += d + '{';
          i += 3;
        } else if ((d === '$' || d === '%') && src[i + 1] === '{') {
          // Template interpolation: find the matching brace, stepping over nested strings.
          let depth = 1;
          let k = i + 2;
          while (k < n && depth > 0) {
            const ch = src[k];
            if (ch === '"') {
              k++;
              while (k < n && src[k] !== '"' && src[k] !== '\n') k += src[k] === '\\' ? 2 : 1;
            } else if (ch === '{') depth++;
            else if (ch === '}') depth--;
            else if (ch === '\n') break;
            k++;
          }
          if (depth > 0) return { toks, error: 'unterminated ${ in a string' };
          if (lit) parts.push(lit);
          lit = '';
          parts.push(d === '$' ? { expr: src.slice(i + 2, k - 1).trim() } : { expr: '%' });
          i = k;
        } else {
          lit += d;
          i++;
        }
      }
      if (!closed) return { toks, error: 'unterminated string' };
      if (lit || parts.length === 0) parts.push(lit);
      toks.push({ t: 'str', parts });
    } else if (c === '<' && src[i + 1] === '<' && (isIdStart(src[i + 2] ?? '') || (src[i + 2] === '-' && isIdStart(src[i + 3] ?? '')))) {
      let k = i + (src[i + 2] === '-' ? 3 : 2);
      const start = k;
      while (k < n && isId(src[k])) k++;
      const marker = src.slice(start, k);
      let lineStart = src.indexOf('\n', k);
      let found = false;
      while (lineStart >= 0) {
        const lineEnd = src.indexOf('\n', lineStart + 1);
        const line = src.slice(lineStart + 1, lineEnd < 0 ? n : lineEnd).trim();
        if (line === marker) {
          i = lineEnd < 0 ? n : lineEnd;
          found = true;
          break;
        }
        lineStart = lineEnd;
      }
      if (!found) return { toks, error: `unterminated heredoc <<${marker}` };
      toks.push({ t: 'heredoc' });
    } else if (c >= '0' && c <= '9') {
      while (i < n && /[0-9.eE+_xXa-fA-F-]/.test(src[i]) && src[i] !== '\n') i++;
      toks.push({ t: 'num' });
    } else if (isIdStart(c)) {
      const start = i;
      while (i < n && isId(src[i])) i++;
      toks.push({ t: 'ident', v: src.slice(start, i) });
    } else {
      const two = src.slice(i, i + 2);
      if (src.startsWith('...', i)) {
        toks.push({ t: 'p', v: '...' });
        i += 3;
      } else if (['==', '!=', '<=', '>=', '&&', '||', '=>'].includes(two)) {
        toks.push({ t: 'p', v: two });
        i += 2;
      } else {
        toks.push({ t: 'p', v: c });
        i++;
      }
    }
  }
  return { toks };
}

type HclValue = { k: 'str'; parts: (string | { expr: string })[] } | { k: 'list'; items: HclValue[] } | { k: 'unknown' };

interface HclBlock {
  type: string;
  labels: string[];
  attrs: Map<string, HclValue>;
  blocks: HclBlock[];
}

class HclReader {
  pos = 0;
  error?: string;
  constructor(private readonly toks: Tok[]) {}

  private peek(): Tok | undefined {
    return this.toks[this.pos];
  }

  private isP(tok: Tok | undefined, v: string): boolean {
    return tok !== undefined && tok.t === 'p' && tok.v === v;
  }

  body(depth: number, closing: boolean): HclBlock {
    const block: HclBlock = { type: '', labels: [], attrs: new Map(), blocks: [] };
    if (depth > MAX_NESTING) {
      this.error = 'nested too deeply';
      return block;
    }
    while (this.pos < this.toks.length && !this.error) {
      const tok = this.peek()!;
      if (tok.t === 'nl') {
        this.pos++;
        continue;
      }
      if (this.isP(tok, '}')) {
        if (closing) this.pos++;
        else this.error = 'unexpected }';
        return block;
      }
      if (tok.t !== 'ident') {
        this.error = 'expected an attribute or block name';
        return block;
      }
      this.pos++;
      const next = this.peek();
      if (this.isP(next, '=')) {
        this.pos++;
        block.attrs.set(tok.v, this.expression(depth));
        continue;
      }
      const labels: string[] = [];
      while (this.peek()?.t === 'str' || this.peek()?.t === 'ident') {
        const l = this.peek()!;
        labels.push(l.t === 'ident' ? l.v : (l as { parts: (string | { expr: string })[] }).parts.map((p) => (typeof p === 'string' ? p : '${' + p.expr + '}')).join(''));
        this.pos++;
      }
      if (!this.isP(this.peek(), '{')) {
        this.error = `expected { after ${tok.v}`;
        return block;
      }
      this.pos++;
      const child = this.body(depth + 1, true);
      child.type = tok.v;
      child.labels = labels;
      block.blocks.push(child);
    }
    if (closing && !this.error) this.error = 'missing }';
    return block;
  }

  /** Reads one expression up to the end of its line (or the closing brace of a one-line block). */
  private expression(depth: number): HclValue {
    const start = this.pos;
    let nest = 0;
    while (this.pos < this.toks.length) {
      const t = this.toks[this.pos];
      if (t.t === 'p' && (t.v === '(' || t.v === '[' || t.v === '{')) nest++;
      else if (t.t === 'p' && (t.v === ')' || t.v === ']' || t.v === '}')) {
        if (nest === 0) break;
        nest--;
      } else if (t.t === 'nl' && nest === 0) break;
      if (nest > MAX_NESTING + depth) {
        this.error = 'expression nested too deeply';
        break;
      }
      this.pos++;
    }
    return valueOf(this.toks.slice(start, this.pos).filter((t) => t.t !== 'nl'));
  }
}

function valueOf(toks: Tok[]): HclValue {
  if (toks.length === 1 && toks[0].t === 'str') return { k: 'str', parts: toks[0].parts };
  const first = toks[0];
  const last = toks[toks.length - 1];
  if (first?.t === 'p' && first.v === '[' && last?.t === 'p' && last.v === ']') {
    const items: HclValue[] = [];
    let cur: Tok[] = [];
    for (const t of toks.slice(1, -1)) {
      if (t.t === 'p' && t.v === ',') {
        items.push(valueOf(cur));
        cur = [];
      } else cur.push(t);
    }
    if (cur.length) items.push(valueOf(cur));
    return { k: 'list', items };
  }
  return { k: 'unknown' };
}

/** Targets of a docker-bake.hcl: context, dockerfile and inherits, with `${VAR}` taken from variable defaults. */
export function readBakeHcl(text: string): { targets: Map<string, BakeTarget>; problems: string[] } {
  const targets = new Map<string, BakeTarget>();
  if (text.length > MAX_BUILD_FILE_BYTES) return { targets, problems: ['over 1 MiB, not read'] };
  const { toks, error } = tokenizeHcl(text);
  if (error) return { targets, problems: [`HCL: ${error}`] };
  const reader = new HclReader(toks);
  const root = reader.body(0, false);
  // bake refuses a file it cannot parse, so a partial parse yields no targets.
  if (reader.error) return { targets, problems: [`HCL: ${reader.error}`] };
  const problems: string[] = [];
  const vars = new Map<string, string>();
  for (const b of root.blocks) {
    const d = b.type === 'variable' ? b.attrs.get('default') : undefined;
    if (d?.k === 'str' && d.parts.every((p) => typeof p === 'string')) vars.set(b.labels[0], d.parts.join(''));
  }
  const str = (v: HclValue, attr: string): string | Unknown => {
    if (v.k !== 'str') return { unknown: `${attr} is an expression cachelens does not evaluate` };
    let out = '';
    for (const p of v.parts) {
      if (typeof p === 'string') out += p;
      else if (vars.has(p.expr)) out += vars.get(p.expr);
      else return { unknown: `${attr} uses \${${p.expr}}, which depends on the environment` };
    }
    return out;
  };
  for (const b of root.blocks) {
    if (b.type !== 'target' || b.labels.length === 0) continue;
    const t: BakeTarget = { ...targets.get(b.labels[0]) };
    for (const attr of ['context', 'dockerfile'] as const) {
      const v = b.attrs.get(attr);
      if (!v) continue;
      t[attr] = str(v, attr);
    }
    if (b.attrs.has('dockerfile-inline')) t.inline = true;
    const inh = b.attrs.get('inherits');
    if (inh?.k === 'list') t.inherits = inh.items.map((i) => str(i, 'inherits')).filter((s): s is string => typeof s === 'string');
    targets.set(b.labels[0], t);
  }
  return { targets, problems };
}
