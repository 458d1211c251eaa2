// `docker build` command lines in shell text (Makefiles, scripts, package.json
// scripts, workflow `run:` steps): which Dockerfile (`-f`) and which context
// (the positional argument) they name, after `cd DIR &&` prefixes.
//
// This is a reader, not a shell: words are split with quotes, `$(…)`/`${…}`
// kept whole, and a value that still holds a variable is reported as such so
// the caller can match it against existing files (a `-f` path) or skip it (a
// context). Understood: `docker build`, `docker buildx build`, `docker image
// build`, `docker builder build`, `podman build`, `podman buildx build`,
// `buildah bud` / `buildah build`, and `$(DOCKER) build` where the variable
// names a container engine.

import * as path from 'node:path';
import { isInside, type WorkspaceFs } from '../fs';
import { isRemote, type BuildEntry } from './types';

export interface BuildCommand {
  /** 1-based line of the command in the text */
  line: number;
  /** the command as written (clipped to 100 characters) */
  text: string;
  /** `cd` folders before it, in order (relative or absolute as written; '$0' = the script's folder) */
  cd: string[];
  file?: string;
  context: string;
  ignoreFile?: string;
  podman: boolean;
}

export interface ScanOptions {
  /** Makefile: each recipe line runs in its own shell, so `cd` does not carry over to the next line. */
  make?: boolean;
}

const VALUE_FLAGS = new Set([
  '-f',
  '--file',
  '-t',
  '--tag',
  '--build-arg',
  '--build-context',
  '--builder',
  '--cache-from',
  '--cache-to',
  '--call',
  '--cgroup-parent',
  '--iidfile',
  '--label',
  '--metadata-file',
  '--network',
  '--no-cache-filter',
  '-o',
  '--output',
  '--platform',
  '--progress',
  '--secret',
  '--shm-size',
  '--ssh',
  '--target',
  '--ulimit',
  '-c',
  '--cpu-shares',
  '--cpuset-cpus',
  '--cpuset-mems',
  '--cpu-period',
  '--cpu-quota',
  '-m',
  '--memory',
  '--memory-swap',
  '--isolation',
  '--security-opt',
  '--add-host',
  '--allow',
  '--annotation',
  '--attest',
  '--format',
  '--jobs',
  '-v',
  '--volume',
  '--env',
  '--from',
  '--authfile',
  '--creds',
  '--cert-dir',
  '--arch',
  '--os',
  '--variant',
  '--timestamp',
  '--manifest',
  '--ignorefile',
  '--userns',
  '--runtime',
  '--isolation',
  '--layer-label',
  '--retry',
  '--retry-delay',
  '--logfile',
]);

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const MAX_VARS = 500;

/**
 * `$NAME`, `${NAME}` and `$(NAME)` replaced by values assigned earlier in the
 * same text (`NAME=value` in a script, `NAME := value` in a Makefile).
 */
function substitute(word: string, vars: ReadonlyMap<string, string>): string {
  if (!vars.size || !word.includes('$')) return word;
  return word.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|\(([A-Za-z_][A-Za-z0-9_]*)\)|([A-Za-z_][A-Za-z0-9_]*))/g,
    (whole, a, b, c) => vars.get(a ?? b ?? c) ?? whole,
  );
}

const ENGINE_VAR = /docker|podman|buildah|container|engine|oci|runtime/i;
const MAX_COMMANDS = 200;

/** Logical lines: `\`-continued lines joined, with the 1-based line each starts on. */
function logicalLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let cur = lines[i];
    while (/\\\s*$/.test(cur) && i + 1 < lines.length) cur = cur.replace(/\\\s*$/, ' ') + lines[++i];
    out.push({ line: start + 1, text: cur });
  }
  return out;
}

/** Words and separators (`&&`, `||`, `;`, `|`, `&`, `(`, `)`, `#` ends the line) of one logical line. */
export function shellWords(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  let word = '';
  let inWord = false;
  const flush = () => {
    if (inWord) out.push(word);
    word = '';
    inWord = false;
  };
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t') {
      flush();
      i++;
    } else if (c === '#' && !inWord) break;
    else if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      const stop = end < 0 ? line.length : end;
      word += line.slice(i + 1, stop);
      inWord = true;
      i = stop + 1;
    } else if (c === '$' && (line[i + 1] === '(' || line[i + 1] === '{')) {
      const close = line[i + 1] === '(' ? ')' : '}';
      let depth = 0;
      let k = i + 1;
      for (; k < line.length; k++) {
        if (line[k] === line[i + 1]) depth++;
        else if (line[k] === close && --depth === 0) break;
      }
      word += line.slice(i, k + 1);
      inWord = true;
      i = k + 1;
    } else if ('&|;()'.includes(c)) {
      flush();
      const two = line.slice(i, i + 2);
      const sep = two === '&&' || two === '||' ? two : c;
      out.push(sep === '|' || sep === '&' ? ';' : sep === '||' ? '&&' : sep);
      i += sep.length;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[i + 1];
      inWord = true;
      i += 2;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  flush();
  return out;
}

export function hasVariable(word: string): boolean {
  return /\$[({A-Za-z_0-9@*#?]/.test(word);
}

/** The argument words after the build verb, or undefined when the words are not a build command. */
function buildArgs(words: string[]): { args: string[]; podman: boolean } | undefined {
  let i = 0;
  while (
    i < words.length &&
    (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]) ||
      ['sudo', 'exec', 'time', 'env', 'command'].includes(words[i]) ||
      // a Makefile recipe's prefix written apart from the command (`@ docker build`, `- docker build`)
      (i === 0 && /^[@+-]+$/.test(words[i])))
  )
    i++;
  const w = words.slice(i).map((x, k) => (k === 0 ? x.replace(/^[@+-]+/, '') : x));
  const engine = w[0]?.split('/').pop() ?? '';
  const isEngine = engine === 'docker' || engine === 'podman' || (hasVariable(engine) && ENGINE_VAR.test(engine));
  const podman = engine === 'podman' || engine === 'buildah';
  if (engine === 'buildah' && (w[1] === 'bud' || w[1] === 'build')) return { args: w.slice(2), podman };
  if (!isEngine) return undefined;
  if (w[1] === 'build') return { args: w.slice(2), podman };
  if ((w[1] === 'buildx' || w[1] === 'image' || w[1] === 'builder') && (w[2] === 'build' || w[2] === 'b'))
    return { args: w.slice(3), podman };
  return undefined;
}

/** -f / context / --ignorefile of a build command's arguments; undefined without a usable context. */
function readArgs(args: string[]): { file?: string; context: string; ignoreFile?: string } | undefined {
  let file: string | undefined;
  let ignoreFile: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    let value: string | undefined;
    if (a.startsWith('--') && eq > 0) value = a.slice(eq + 1);
    else if (/^-f./.test(a)) value = a.slice(2).replace(/^=/, '');
    else if (VALUE_FLAGS.has(a)) value = args[++i];
    else if (a.startsWith('-') && a !== '-') continue;
    else {
      positional.push(a);
      continue;
    }
    if (name === '--file' || name.startsWith('-f')) file = value;
    if (name === '--ignorefile') ignoreFile = value;
  }
  // A word that is only a variable may be flags ($(BUILD_ARGS)); the context is the last other one.
  const literal = positional.filter(
    (p) => PWD_VARS.test(p) || !/^\$(\([^)]*\)|\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)$/.test(p),
  );
  const context = literal[literal.length - 1];
  if (context === undefined || file === '-') return undefined;
  return { file, context, ignoreFile };
}

/** The `cd` target of a segment's words, or undefined when the segment is not a cd. */
function cdTarget(words: string[]): string | undefined {
  if (words[0] !== 'cd' && words[0] !== 'pushd') return undefined;
  const arg = words.find((w, k) => k > 0 && !w.startsWith('-')) ?? '~';
  return /^\$\(dirname\s+"?\$(\{?0\}?|\{?BASH_SOURCE(\[0\])?\}?)"?\)/.test(arg)
    ? arg.replace(/^\$\(dirname[^)]*\)/, '$0')
    : arg;
}

function clip(text: string): string {
  return text.length > 100 ? text.slice(0, 99) + '…' : text;
}

/** Every build command in a shell-like text. Bounded: at most 200 commands. */
export function scanBuildCommands(text: string, opts: ScanOptions = {}): BuildCommand[] {
  const found: BuildCommand[] = [];
  const vars = new Map<string, string>();
  let cd: string[] = [];
  for (const { line, text: src } of logicalLines(text)) {
    const makeVar = opts.make ? /^([A-Za-z_][A-Za-z0-9_]*)\s*[:?]?=\s*(.*)$/.exec(src) : null;
    if (makeVar) {
      if (!vars.has(makeVar[1]) && vars.size < MAX_VARS) vars.set(makeVar[1], makeVar[2].trim());
      continue;
    }
    if (!/\b(build|bud)\b/.test(src) && !/\bcd\b|\bpushd\b|=/.test(src)) continue;
    if (opts.make) cd = [];
    const words = shellWords(src.replace(/\$\{\{[^}]*\}\}/g, '${GHA_EXPR}'));
    let segment: string[] = [];
    const flushSegment = () => {
      const target = cdTarget(segment);
      if (target !== undefined) cd = [...cd, substitute(target, vars)];
      else if (segment[0] === 'popd') cd = cd.slice(0, -1);
      else if (segment.length && segment.every((w) => ASSIGNMENT.test(w)) && vars.size < MAX_VARS) {
        for (const w of segment) vars.set(w.slice(0, w.indexOf('=')), substitute(w.slice(w.indexOf('=') + 1), vars));
      } else {
        const b = buildArgs(segment.map((w) => substitute(w, vars)));
        const r = b && readArgs(b.args);
        if (b && r && found.length < MAX_COMMANDS)
          found.push({ line, text: clip(src.trim().replace(/\s+/g, ' ')), cd, podman: b.podman, ...r });
      }
      segment = [];
    };
    for (const w of words) {
      if (w === '&&' || w === ';' || w === '(' || w === ')') flushSegment();
      else segment.push(w);
    }
    flushSegment();
  }
  return found;
}

// ---------------------------------------------------------------------------
// From a command to (context, Dockerfile) pairs on the disk.

// The current folder, and the checkout root CI systems run their scripts in.
const PWD_VARS =
  /^\$(\(CURDIR\)|\{CURDIR\}|PWD\b|\{PWD\}|\(PWD\)|\(pwd\)|\(shell pwd\)|\{?(CI_PROJECT_DIR|GITHUB_WORKSPACE|CIRCLE_WORKING_DIRECTORY)\b\}?)/;
const MAX_MATCHES = 20;

/**
 * Existing paths that `pattern` names, reading a segment with a variable as a
 * wildcard (`Dockerfile.$(ARCH)`). A segment that is only a variable names
 * nothing: it could be any folder.
 */
export function matchExisting(fs: WorkspaceFs, base: string, pattern: string): string[] {
  let current = [pattern.startsWith('/') ? path.parse(base).root : base];
  for (const seg of pattern.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (!hasVariable(seg)) {
      current = current.map((c) => path.resolve(c, seg));
      continue;
    }
    const literal = seg.replace(/\$(?:\([^)]*\)|\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)/g, '');
    if (literal === '') return []; // a whole segment from a variable could be any folder: unknown
    const re = new RegExp(
      '^' +
        seg
          .split(/\$(?:\([^)]*\)|\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)/)
          .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('[^/]*') +
        '$',
    );
    const next: string[] = [];
    for (const dir of current) {
      if (!isInside(fs.root, dir)) continue;
      for (const e of fs.readDir(dir) ?? [])
        if (re.test(e.name) && next.length < MAX_MATCHES) next.push(path.join(dir, e.name));
    }
    current = next;
  }
  return current.filter((p) => isInside(fs.root, p) && fs.stat(p) !== undefined);
}

/** The folder a command runs in, from a base folder and its `cd`s; undefined when a cd holds a variable. */
function workingDir(base: string, scriptDir: string, cd: string[]): string | undefined {
  let dir = base;
  for (const c of cd) {
    if (c.startsWith('$0')) dir = path.resolve(scriptDir, '.' + c.slice(2));
    else if (hasVariable(c) || c.startsWith('~')) return undefined;
    else dir = path.resolve(dir, c);
  }
  return dir;
}

/**
 * The (context, Dockerfile) pairs a command names, tried from each base
 * folder in turn: the first base from which the named Dockerfile exists wins.
 * A context holding a variable (other than the current folder) is unknown.
 */
export function commandEntries(
  fs: WorkspaceFs,
  cmd: BuildCommand,
  bases: string[],
  scriptDir: string,
  source: string,
  label: string,
): BuildEntry[] {
  let context = cmd.context.replace(PWD_VARS, '.');
  if (context.startsWith('./')) context = context.slice(2) || '.';
  if (isRemote(context) || hasVariable(context)) return [];
  for (const base of bases) {
    const cwd = workingDir(base, scriptDir, cmd.cd);
    if (cwd === undefined) return [];
    const contextDir = path.resolve(cwd, context);
    const file = cmd.file?.replace(PWD_VARS, '.');
    const named = file !== undefined ? matchExisting(fs, cwd, file) : defaultDockerfile(fs, contextDir, cmd.podman);
    const dockerfiles = named.filter((p) => fs.stat(p)?.kind === 'file' || fs.stat(p)?.kind === 'symlink');
    if (!dockerfiles.length) continue;
    const ignoreFile = cmd.ignoreFile && !hasVariable(cmd.ignoreFile) ? path.resolve(cwd, cmd.ignoreFile) : undefined;
    return dockerfiles.map((dockerfile) => ({
      dockerfile,
      contextDir,
      ignoreFile,
      podman: cmd.podman || undefined,
      source,
      reason: `${label} line ${cmd.line} (\`${cmd.text}\`)`,
    }));
  }
  return [];
}

function defaultDockerfile(fs: WorkspaceFs, contextDir: string, podman: boolean): string[] {
  const names = podman ? ['Containerfile', 'Dockerfile'] : ['Dockerfile'];
  const hit = names.map((n) => path.join(contextDir, n)).find((p) => fs.stat(p));
  return hit ? [hit] : [];
}
