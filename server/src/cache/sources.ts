// Which COPY/ADD sources are not in the build context. Computed once per
// analysis, before the rules run: while one is missing, the context itself is
// in doubt (the build fails there, or the context was found wrongly), and the
// rules make no count claims and no fix writes an ignore file.

import type { DockerfileModel, Instruction, Stage } from '../parse/dockerfile';
import { ancestry } from '../parse/dockerfile';
import type { ContextView, MissingSource } from '../context/view';
import { filesAt, filesMatchingSource, hasFilesUnder } from '../context/view';

/** A variable scope: name → value, or undefined when the value is not known (an ARG without a default). */
type Scope = ReadonlyMap<string, string | undefined>;

const REMOTE = /^(https?|git):\/\/|^git@/;
const GLOB = /[*?[]/;
const TEMPLATE_SYNTAX = /\{\{|\}\}|\{%|%\}/;

/**
 * The sources of local COPY/ADD steps (no --from, no URL, no heredoc) that
 * match nothing in the context's files (before the ignore file: an excluded
 * source is CL104's). ARG defaults and ENV values are expanded; a source with
 * a variable whose value is unknown is skipped. A leading `/` is the context
 * root, `..` stops there, as in BuildKit.
 *
 * Wildcards follow BuildKit's COPY (dockerfile2llb sets AllowEmptyWildcard): a
 * wildcard that matches nothing copies nothing and the build goes on, unless
 * the folder it looks in is absent (`lstat …: no such file or directory`). A
 * wildcard that matches nothing counts as missing only when its folder is
 * absent, or when no source of the same step matches anything: such a step
 * copies nothing, which no Dockerfile means to do.
 */
export function missingSources(model: DockerfileModel, context: ContextView): MissingSource[] {
  if (context.truncated || model.skipped) return [];
  const scopes = copyScopes(model);
  const windows = model.directives.escape === '`';
  const out: MissingSource[] = [];
  for (const [ins, scope] of scopes) {
    const copy = ins.copy!;
    // a template's placeholders (`COPY {{ src }} /app`) are not paths
    if (TEMPLATE_SYNTAX.test(ins.text)) continue;
    const found: MissingSource[] = [];
    let anyPresent = false;
    const emptyGlobs: MissingSource[] = [];
    for (const word of copy.sources) {
      const value = unquote(word.value);
      if (REMOTE.test(value)) continue;
      const expanded = expand(value, scope);
      if (expanded === undefined) {
        anyPresent = true; // unknown: assume it is there
        continue;
      }
      // with `# escape=\`` (Windows images) a backslash is a path separator, as Docker reads it there
      const path = contextPath(windows ? expanded.replace(/\\/g, '/') : expanded, copy.parents);
      const missing = {
        line: ins.range.start.line,
        range: word.range,
        source: word.value,
        path,
        instruction: ins.range,
      };
      const state = presence(path, context);
      if (state === 'present') anyPresent = true;
      else if (state === 'empty-glob') emptyGlobs.push(missing);
      else found.push(missing);
    }
    if (!anyPresent) found.push(...emptyGlobs);
    found.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    out.push(...found);
  }
  return out;
}

function presence(path: string, context: ContextView): 'present' | 'missing' | 'empty-glob' {
  if (path === '') return 'present';
  const parts = path.split('/');
  const firstGlob = parts.findIndex((p) => GLOB.test(p));
  if (firstGlob < 0) return exists(path, context) ? 'present' : 'missing';
  const folder = parts.slice(0, firstGlob).join('/');
  if (folder !== '' && !exists(folder, context)) return 'missing';
  return filesMatchingSource(context.allFiles, path).length ? 'present' : 'empty-glob';
}

function exists(path: string, context: ContextView): boolean {
  if (filesAt(context.allFiles, path).length || hasFilesUnder(context.allFiles, path)) return true;
  // empty folders and symlinks are not in the file lists
  return context.exists?.(path) ?? false;
}

/** The word as the Dockerfile's lexer reads it: `"a b"` and `'a'` without their quotes. */
function unquote(word: string): string {
  return /^(["']).*\1$/s.test(word) && word.length >= 2 ? word.slice(1, -1) : word;
}

/** A source as a context path: no leading `/` or `./`, `.` and `..` resolved inside the root, no trailing `/`. */
export function contextPath(source: string, parents = false): string {
  // `COPY --parents a/./b/c` copies `a/b/c`; the `./` only marks where the kept part starts
  const raw = parents ? source.replace(/\/\.\//g, '/') : source;
  const out: string[] = [];
  for (const part of raw.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

/** The variables in scope at each local COPY/ADD of the file. */
function copyScopes(model: DockerfileModel): Map<Instruction, Scope> {
  let scopes = scopesOf.get(model);
  if (!scopes) scopesOf.set(model, (scopes = copyScopesNow(model)));
  return scopes;
}

/** per model: each lint (one per build context) asks, and a text parsed again gives the same model */
const scopesOf = new WeakMap<DockerfileModel, Map<Instruction, Scope>>();

function copyScopesNow(model: DockerfileModel): Map<Instruction, Scope> {
  const global = new Map<string, string | undefined>();
  for (const ins of model.globalArgs)
    for (const v of ins.vars ?? []) global.set(v.name, v.value === null ? undefined : expand(v.value, global));
  const envAtEnd = new Map<Stage, Map<string, string | undefined>>();
  const out = new Map<Instruction, Scope>();
  for (const stage of model.stages) {
    // ENV is part of the image a stage builds FROM; ARGs end with their stage
    const parent = ancestry(stage)[0];
    const env = new Map(parent ? (envAtEnd.get(parent) ?? []) : []);
    const args = new Map<string, string | undefined>();
    // the variables in scope now, made again only after an ARG or ENV changed them (nobody changes a scope)
    let current: Map<string, string | undefined> | undefined;
    const scope = () => (current ??= new Map([...args, ...env]));
    for (const ins of stage.instructions) {
      if (ins.keyword === 'ARG') {
        for (const v of ins.vars ?? []) {
          args.set(v.name, v.value !== null ? expand(v.value, scope()) : global.get(v.name));
          current = undefined;
        }
      } else if (ins.keyword === 'ENV') {
        for (const v of ins.vars ?? []) {
          env.set(v.name, v.value === null ? undefined : expand(v.value, scope()));
          current = undefined;
        }
      } else if (ins.copy && ins.copy.from === undefined && !ins.copy.heredoc && ins.copy.sources.length) {
        out.set(ins, scope());
      }
    }
    envAtEnd.set(stage, env);
  }
  return out;
}

const VARIABLE = /\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)|\$\{[^}]*\}?/g;

/**
 * Expands `$X`, `${X}`, `${X:-word}`, `${X-word}`, `${X:+word}`, `${X+word}` as
 * the Dockerfile does; undefined when a variable is not declared, has no
 * known value, or uses a form not handled here.
 */
export function expand(text: string, scope: Scope): string | undefined {
  if (!text.includes('$')) return text;
  let unknown = false;
  const result = text.replace(
    VARIABLE,
    (whole, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
      if (whole === '\\$') return '$';
      const name = braced ?? bare;
      if (!name) {
        unknown = true;
        return '';
      }
      const declared = scope.has(name);
      const value = scope.get(name);
      if (op) {
        const alt = expand(word ?? '', scope);
        if (alt === undefined) unknown = true;
        if (op === ':-' || op === '-') {
          if (declared && value === undefined) unknown = true;
          const unset = !declared || (op === ':-' && value === '');
          return unset ? (alt ?? '') : (value ?? '');
        }
        // `:+` / `+`: the word when set
        if (declared && value === undefined) unknown = true;
        const set = declared && (op === '+' || value !== '');
        return set ? (alt ?? '') : '';
      }
      if (!declared || value === undefined) unknown = true;
      return value ?? '';
    },
  );
  return unknown ? undefined : result;
}
