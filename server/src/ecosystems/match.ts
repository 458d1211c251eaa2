// Matches simple commands against the ecosystem tables.

import type { SimpleCommand } from '../parse/shell';
import {
  ANY_CASE_MANIFESTS,
  type CommandPattern,
  ECOSYSTEMS,
  type Ecosystem,
  type InstallPattern,
  MANIFEST_NAMES,
} from './table';
import { simpleGlobToRegExp } from '../parse/glob';

function normalizeArgv(argv: string[]): string[] {
  if (argv.length >= 3 && /^python[\d.]*$/.test(basename(argv[0])) && argv[1] === '-m')
    return [argv[2], ...argv.slice(3)];
  if (argv.length >= 2 && basename(argv[0]) === 'corepack' && ['yarn', 'pnpm', 'npm'].includes(argv[1]))
    return argv.slice(1);
  return argv;
}

function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i >= 0 && !p.startsWith('./') ? p.slice(i + 1) : p;
}

// Flags of package managers that take a separate value (`--network-timeout 600000`).
const VALUE_FLAGS = new Set([
  '--network-timeout',
  '--network-concurrency',
  '--registry',
  '--cache',
  '--cache-folder',
  '--cache-dir',
  '--modules-folder',
  '--mutex',
  '--loglevel',
  '--prefix',
  '--omit',
  '--include',
  '--workspace',
  '-w',
  '--filter',
  '--cwd',
  '--index-url',
  '-i',
  '--extra-index-url',
  '--trusted-host',
  '--root',
  '--target',
  '-t',
  '--only',
  '-C',
  '--dir',
  '--mode',
]);

function positionalWords(rest: string[], valueFlags: readonly string[] = []): string[] {
  return rest.filter(
    (w, i) => !w.startsWith('-') && !(i > 0 && (VALUE_FLAGS.has(rest[i - 1]) || valueFlags.includes(rest[i - 1]))),
  );
}

// Rules ask about the same commands against many patterns: normalise each
// command once and keep it on the command (a WeakMap cost 2 % of all analysis).
function normalizedOf(command: SimpleCommand): { argv: string[]; tool: string; key?: string } {
  let n = command.normalized;
  if (!n) {
    const argv = normalizeArgv(command.argv);
    n = command.normalized = { argv, tool: argv.length ? basename(argv[0]) : '' };
  }
  return n;
}

// The answers per command text: each keystroke parses the file anew, so the
// command objects are new, but their texts (and so the answers) mostly are not.
const MAX_REMEMBERED = 4096;
let remembered = new Map<string, Map<CommandPattern, boolean>>();

function answersFor(n: { argv: string[]; key?: string }): Map<CommandPattern, boolean> {
  n.key ??= n.argv.join('\0');
  let answers = remembered.get(n.key);
  if (!answers) {
    if (remembered.size >= MAX_REMEMBERED) remembered = new Map();
    answers = new Map();
    remembered.set(n.key, answers);
  }
  return answers;
}

/** The program a command runs, as the tables name it (`python -m pip` → pip). */
export function toolOf(command: SimpleCommand): string {
  return normalizedOf(command).tool;
}

export function matchesCommand(pattern: CommandPattern, command: SimpleCommand): boolean {
  // cheap rejection first: most commands run a program no pattern names
  const n = normalizedOf(command);
  if (!n.argv.length || !pattern.tools.includes(n.tool)) return false;
  const answers = answersFor(n);
  let answer = answers.get(pattern);
  if (answer === undefined) {
    answer = matchesArgv(pattern, n.argv);
    answers.set(pattern, answer);
  }
  return answer;
}

function matchesArgv(pattern: CommandPattern, argv: string[]): boolean {
  const rest = argv.slice(1);
  const positionals = positionalWords(rest, pattern.valueFlags);
  if (pattern.subcommands && !pattern.subcommands.includes(positionals[0] ?? '')) return false;
  if (pattern.anyArg && !rest.some((w) => pattern.anyArg!.includes(w))) return false;
  if (pattern.alsoAnyArg && !rest.some((w) => pattern.alsoAnyArg!.includes(w))) return false;
  const hasFlag = (names: string[]) =>
    rest.some((w) => names.includes(w) || names.some((n) => n.startsWith('--') && w.startsWith(n + '=')));
  if (pattern.notFlags?.length && hasFlag(pattern.notFlags)) return false;
  if (pattern.requireFlagsAnyOf && !hasFlag(pattern.requireFlagsAnyOf)) return false;
  if (pattern.noPackageArgs) {
    const extra = pattern.subcommands ? positionals.slice(1) : positionals;
    if (extra.some((w) => w !== '.' && w !== './')) return false;
  }
  return true;
}

/** every program an install pattern names: other commands need no closer look */
const INSTALL_TOOLS = new Set(ECOSYSTEMS.flatMap((e) => e.installs.flatMap((p) => p.tools)));

export interface InstallStep {
  ecosystem: Ecosystem;
  pattern: InstallPattern;
  /** the command as the Dockerfile writes it (edits and messages use this) */
  command: SimpleCommand;
  /** the command with the ARG/ENV values in scope put in, when that changed it (judging uses this) */
  expanded?: SimpleCommand;
  /** files the install reads, relative to its working directory */
  manifests: string[];
  optional: string[];
  /** directory changes (`cd x`) made earlier in the same RUN, in order */
  cdPath: string[];
}

/**
 * The dependency installs among a RUN's commands. `earlier` are the commands of
 * the RUNs before it in the same image, for installs that only fetch when no
 * explicit download preceded them (`go build` without `go mod download`).
 */
export function findInstalls(
  commands: readonly SimpleCommand[],
  earlier: readonly SimpleCommand[] = [],
): InstallStep[] {
  const kept = installsByCommands.get(commands);
  if (kept) return kept;
  // whether the answer read `earlier` (then it is not kept: another place may have other commands before it)
  let readEarlier = false;
  const found: InstallStep[] = [];
  const cdPath: string[] = [];
  commands.forEach((command, i) => {
    const argv = command.argv;
    if (argv[0] === 'cd' && argv[1]) {
      cdPath.push(argv[1]);
      return;
    }
    const tool = toolOf(command);
    if (!INSTALL_TOOLS.has(tool)) return;
    for (const ecosystem of ECOSYSTEMS) {
      const pattern = ecosystem.installs.find((p) => matchesCommand(p, command));
      if (!pattern) continue;
      if (pattern.unlessPreceededBy) {
        readEarlier = true;
        const before = [...earlier, ...commands.slice(0, i)];
        if (before.some((c) => pattern.unlessPreceededBy!.some((u) => matchesCommand(u, c)))) continue;
        if (found.some((f) => f.ecosystem === ecosystem)) continue;
      }
      found.push({
        ecosystem,
        pattern,
        command,
        manifests: [...pattern.manifests, ...flagValues(command.argv, pattern.manifestFlags ?? [])],
        optional: pattern.optional ?? [],
        cdPath: [...cdPath],
      });
      break;
    }
  });
  if (!readEarlier) installsByCommands.set(commands, found);
  return found;
}

/**
 * The installs of a RUN's command list, kept on the list: a keystroke's re-read
 * keeps the lists of the instructions it did not touch (nobody changes a list
 * or what is found in it).
 */
const installsByCommands = new WeakMap<readonly SimpleCommand[], InstallStep[]>();

/** The files named by manifest flags (`-r requirements.txt`); a value ending in `/` names a folder, not a manifest file. */
function flagValues(argv: string[], flags: string[]): string[] {
  const out: string[] = [];
  argv.forEach((w, i) => {
    for (const f of flags) {
      if (w === f && argv[i + 1]) out.push(argv[i + 1]);
      else if (f.startsWith('--') && w.startsWith(f + '=')) out.push(w.slice(f.length + 1));
      else if (!f.startsWith('--') && w.startsWith(f) && w.length > f.length && w[f.length] !== '-')
        out.push(w.slice(f.length));
    }
  });
  // `pip install -r /` (fuzz seed 100 #82146) read as a manifest made CL001 split `COPY b /tmp` into `COPY b// /tmp/` on every pass
  return out.filter((v) => !v.endsWith('/'));
}

/** Whether a context path names a dependency manifest or lockfile of any ecosystem. */
export function isManifestPath(path: string): boolean {
  const name = path.replace(/\/+$/, '').split('/').pop() ?? '';
  // `package-lock.json*`: an optional copy of a manifest
  if (MANIFEST_NAMES.has(name) || (name.endsWith('*') && MANIFEST_NAMES.has(name.replace(/\*+$/, '')))) return true;
  if (ANY_CASE_MANIFESTS.has(name.toLowerCase())) return true;
  if (/^requirements.*\.(txt|in)$/.test(name) || /\.(cs|fs|vb)proj$/.test(name) || /\.slnx?$/.test(name)) return true;
  // a glob that names manifests, as in `COPY package*.json ./` or `COPY mix.* ./`: a literal
  // start that some manifest name shares, and a match among the manifest names
  if (/[*?[]/.test(name)) {
    const literal = name.slice(0, name.search(/[*?[]/));
    if (!literal) return false;
    const re = simpleGlobToRegExp(name);
    return [...MANIFEST_NAMES].some((m) => m.startsWith(literal) && re.test(m)) || /^requirements/.test(literal);
  }
  return false;
}

export function commandMatchesAny(patterns: readonly CommandPattern[], command: SimpleCommand): boolean {
  return patterns.some((p) => matchesCommand(p, command));
}
