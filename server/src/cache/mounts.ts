// RUN mounts and the settings that decide where a package manager's cache is.

import type { Instruction } from '../parse/dockerfile';
import type { SimpleCommand } from '../parse/shell';
import { SYSTEM_PACKAGE_MANAGERS, type CacheMount } from '../ecosystems/system';
import { ECOSYSTEMS, type CacheCleanups, type CommandPattern } from '../ecosystems/table';
import { commandMatchesAny } from '../ecosystems/match';

function normalize(p: string): string {
  return p.replace(/\/+$/, '') || '/';
}

/** One directory is the other or lies inside it. */
export function pathsOverlap(a: string, b: string): boolean {
  const x = normalize(a);
  const y = normalize(b);
  return x === y || x.startsWith(y + '/') || y.startsWith(x + '/') || x === '/' || y === '/';
}

/** The RUN mounts a cache on one of these directories (or a directory above or below one). */
export function hasCacheMount(run: Instruction, targets: string[]): boolean {
  return cacheMountTargets(run).some((t) => targets.some((x) => pathsOverlap(t, x)));
}

/** The cache mounts of a RUN, with their target directories. */
export function cacheMountTargets(run: Instruction): string[] {
  return (run.run?.mounts ?? [])
    .filter((m) => m.type === 'cache')
    .map((m) => normalize(m.options.target ?? m.options.dst ?? m.options.destination ?? ''));
}

export function mountFlag(m: CacheMount): string {
  return `--mount=type=cache,target=${m.target}${m.sharing ? `,sharing=${m.sharing}` : ''}`;
}

/** ENV and ARG names declared in the instructions. */
export function declaredVars(chain: readonly Instruction[]): Set<string> {
  return new Set(
    chain.filter((i) => i.keyword === 'ENV' || i.keyword === 'ARG').flatMap((i) => (i.vars ?? []).map((v) => v.name)),
  );
}

/** The value an env setting has for a command: its own prefix, else the last ENV in the chain. */
export function envSetting(chain: readonly Instruction[], command: SimpleCommand, name: string): string | undefined {
  if (name in command.env) return command.env[name];
  let value: string | undefined;
  for (const ins of chain)
    if (ins.keyword === 'ENV')
      for (const v of ins.vars ?? []) if (v.name === name) value = (v.value ?? '').replace(/^["']|["']$/g, '');
  return value;
}

/** The command uses one of these flags (`--cache-dir x`, `--cache-dir=x`, `-Dmaven.repo.local=x`). */
export function usesFlag(command: SimpleCommand, flags: string[]): boolean {
  return command.argv.some((w) => flags.some((f) => w === f || w.startsWith(f + '=')));
}

export interface Cleanup {
  command: SimpleCommand;
  /** the words to take out: flags that disable the cache, or the cache paths of an `rm` that also removes other things; empty when the whole command cleans */
  flags: string[];
  /** `PIP_NO_CACHE_DIR=1` written before the command */
  env: string[];
  target: string;
  /** an `rm` of a folder that holds the mount point: no edit of this RUN makes it work with the mount */
  aboveMount?: boolean;
}

function isAbove(p: string, target: string): boolean {
  const x = normalize(p);
  const y = normalize(target);
  return x !== y && (x === '/' || y.startsWith(x + '/'));
}

/**
 * Every manager that knows a cache directory, with what cleans it and the tools it runs as;
 * `runs`: any run of the tool (its names, then its download patterns), spelled once.
 */
const MANAGERS: {
  targets: string[];
  cleanups: CacheCleanups;
  tools: CommandPattern[];
  names: string[];
  runs: CommandPattern[];
}[] = [
  ...ECOSYSTEMS.filter((e) => e.cacheTarget && e.cacheCleanups).map((e) => ({
    targets: [e.cacheTarget!],
    cleanups: e.cacheCleanups!,
    tools: e.installs,
    names: [...new Set(e.installs.flatMap((p) => p.tools))],
  })),
  ...SYSTEM_PACKAGE_MANAGERS.filter((m) => m.cacheMounts && m.cacheCleanups).map((m) => ({
    targets: m.cacheMounts!.map((c) => c.target),
    cleanups: m.cacheCleanups!,
    tools: m.downloads,
    names: [] as string[],
  })),
].map((m) => ({ ...m, runs: m.names.length ? [{ tools: m.names }, ...m.tools] : m.tools }));

/** What in one command empties or bypasses a cache mounted on one of `targets`. */
export function cleanupsIn(command: SimpleCommand, targets: string[]): Cleanup[] {
  // per command (a keystroke's re-read keeps the commands of the instructions it did not touch) and mount targets
  const key = targets.join('\0');
  let byTargets = cleanupsByCommand.get(command);
  if (!byTargets) cleanupsByCommand.set(command, (byTargets = new Map()));
  let found = byTargets.get(key);
  if (!found) byTargets.set(key, (found = cleanupsNow(command, targets)));
  return found;
}

const cleanupsByCommand = new WeakMap<SimpleCommand, Map<string, Cleanup[]>>();

function cleanupsNow(command: SimpleCommand, targets: string[]): Cleanup[] {
  const argv = command.argv;
  if (argv[0] === 'rm') {
    const words = argv.slice(1).filter((w) => !w.startsWith('-'));
    const hits = words.filter((w) => rmPaths(w).some((p) => targets.some((t) => pathsOverlap(p, t))));
    if (!hits.length) return [];
    const target = targets.find((t) => hits.some((w) => rmPaths(w).some((p) => pathsOverlap(p, t))))!;
    // a folder above the mount point: rm empties the cache, then fails on the busy mount point
    const aboveMount = hits.some((w) => rmPaths(w).some((p) => targets.some((t) => isAbove(p, t))));
    // other paths the same rm removes stay removed: only the cache's words go
    const words2 = hits.length < words.length ? hits : [];
    return [{ command, flags: words2, env: [], target, aboveMount }];
  }
  for (const m of MANAGERS) {
    // a manager's own cleanup empties all its cache directories: only wasted when every one is mounted
    if (!m.targets.every((x) => targets.some((t) => pathsOverlap(t, x)))) continue;
    const target = targets.find((t) => m.targets.some((x) => pathsOverlap(t, x)))!;
    if (commandMatchesAny(m.cleanups.commands ?? [], command)) return [{ command, flags: [], env: [], target }];
    // any run of the tool, not only a manifest install: `pip install --no-cache-dir gunicorn` bypasses the mount too
    if (!commandMatchesAny(m.runs, command)) continue;
    const flags = argv.filter((w) => (m.cleanups.flags ?? []).includes(w));
    const env = Object.keys(command.env).filter((n) => (m.cleanups.env ?? []).includes(n));
    if (flags.length || env.length) return [{ command, flags, env, target }];
  }
  return [];
}

/**
 * `rm` arguments as directories: `~/.cache/pip/*` is the root user's
 * `/root/.cache/pip`; `$(poetry config cache-dir)` is the cache the tool reports.
 */
function rmPaths(word: string): string[] {
  const sub = /^["']?\$\((\S+)\s[^)]*\)["']?(\/.*)?$/.exec(word);
  if (sub) {
    const tool = sub[1].split('/').pop()!;
    return MANAGERS.filter((m) => m.names.includes(tool)).flatMap((m) => m.targets);
  }
  return [word.replace(/^(~|\$HOME|\$\{HOME\})(?=\/|$)/, '/root').replace(/\/\*$/, '')];
}
