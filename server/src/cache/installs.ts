// What an install step reads and fetches: the directory it runs in, the
// manifest text the image has when it runs, whether it reads the project's
// source, and whether it downloads anything here.

import type { Instruction } from '../parse/dockerfile';
import { precedingInChain } from '../parse/dockerfile';
import { resolvePath, type CacheAnalysis } from './analysis';
import type { InstallStep } from '../ecosystems/match';
import type { ContextView } from '../context/view';
import { filesAt } from '../context/view';
import { simpleGlobToRegExp } from '../parse/glob';
import { broadSourceFor, destDir, isLocalCopy, sourcePath } from './copies';

/** The image directory an install step runs in. */
export function installDir(cache: CacheAnalysis, run: Instruction, install: InstallStep): string {
  return installCdPath(install).reduce((dir, cd) => resolvePath(dir, cd), cache.info(run).workdir);
}

/** The directory changes an install makes: `cd x` earlier in its RUN, then its own directory flag (`yarn --cwd x install`). */
export function installCdPath(install: InstallStep): string[] {
  const flags = install.ecosystem.dirFlags;
  if (!flags?.length) return install.cdPath;
  const argv = (install.expanded ?? install.command).argv;
  for (let i = 1; i < argv.length; i++) {
    const w = argv[i];
    if (w === '--') break;
    if (flags.includes(w) && argv[i + 1]) return [...install.cdPath, argv[i + 1]];
    const eq = flags.find((f) => f.startsWith('--') && w.startsWith(f + '=') && w.length > f.length + 1);
    if (eq) return [...install.cdPath, w.slice(eq.length + 1)];
  }
  return install.cdPath;
}

/**
 * The text of the install's first manifest as the image has it when the install runs: the context
 * file the latest COPY laid at `<install dir>/<manifest>` (undefined when unknown).
 */
export function manifestText(
  cache: CacheAnalysis,
  run: Instruction,
  install: InstallStep,
  context?: ContextView,
): string | undefined {
  const name = install.manifests[0];
  if (!name || !context) return undefined;
  return keptFor(manifestTexts, context, install, () => manifestTextNow(cache, run, install, name, context));
}

// Answers kept per context view and install. Per view: one analysis sees one context (a model, and its
// installs, is shared by the analyses of the same text in other contexts), and a fix computed when read
// (rules/util/lazyFixes.ts) asks with the view of its analysis. CL001 asks manifestText for every COPY
// before an install, CL002 and the helpers again.
const manifestTexts = new WeakMap<ContextView, Map<InstallStep, string | undefined>>();
const sourceReaders = new WeakMap<ContextView, Map<InstallStep, boolean>>();

function keptFor<T>(
  memo: WeakMap<ContextView, Map<InstallStep, T>>,
  context: ContextView,
  install: InstallStep,
  compute: () => T,
): T {
  let byInstall = memo.get(context);
  if (!byInstall) memo.set(context, (byInstall = new Map()));
  if (byInstall.has(install)) return byInstall.get(install) as T;
  const value = compute();
  byInstall.set(install, value);
  return value;
}

function manifestTextNow(
  cache: CacheAnalysis,
  run: Instruction,
  install: InstallStep,
  name: string,
  context: ContextView,
): string | undefined {
  const dir = installDir(cache, run, install);
  const target = resolvePath(dir, name);
  const chain = precedingInChain(run);
  for (let i = chain.length - 1; i >= 0; i--) {
    const c = chain[i];
    if (!isLocalCopy(c)) continue;
    const dest = destDir(cache, c);
    const lands = dest === target || resolvePath(dest, name) === target;
    for (const s of c.copy!.sources) {
      const p = sourcePath(s.value);
      const base = p.split('/').pop() ?? '';
      const parent = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '';
      if (lands && base === name) return context.readText(p);
      if (lands && /[*?[]/.test(base) && simpleGlobToRegExp(base).test(name))
        return context.readText([parent, name].filter(Boolean).join('/'));
    }
    const broad = broadSourceFor(cache, c, dir, context);
    if (broad && !/[*?[]/.test(broad.contextDir)) {
      const text = context.readText([broad.contextDir, name].filter(Boolean).join('/'));
      if (text !== undefined) return text;
    }
  }
  return undefined;
}

/**
 * Whether the install reads the project's source besides its manifests: it installs the project itself
 * (`uv sync`, `poetry install`, `pip install .`, `go build`), unless its manifest says there is no
 * project to install (`package-mode = false`); or its manifest pulls the source in (a Gemfile's `gemspec`).
 */
export function readsSource(
  cache: CacheAnalysis,
  run: Instruction,
  install: InstallStep,
  context?: ContextView,
): boolean {
  const rule = install.pattern.sourceByManifest;
  const declared = !!install.pattern.needsSource;
  if (!rule || !context) return declared;
  return keptFor(sourceReaders, context, install, () => {
    const text = manifestText(cache, run, install, context);
    if (text === undefined) return declared;
    if (declared && rule.unless && new RegExp(rule.unless, 'm').test(text)) return false;
    if (!declared && rule.if && new RegExp(rule.if, 'm').test(text)) return true;
    return declared;
  });
}

/**
 * The install fetches nothing in this tree: the nearest folder at or above its directory (within
 * what the COPY brings) that holds its manifest also holds a file like go's `vendor/modules.txt`.
 */
export function fetchesNothingIn(
  install: InstallStep,
  contextDir: string,
  base: string,
  context: ContextView,
): boolean {
  const beside = install.pattern.fetchesNothingWith?.besideManifest;
  if (!beside?.length || /[*?[]/.test(contextDir) || !install.manifests.length) return false;
  const has = (p: string) => filesAt(context.files, p).some((f) => f.path === p);
  const join = (a: string, b: string) => [a, b].filter(Boolean).join('/');
  for (let d = contextDir; ; d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '') {
    if (install.manifests.some((m) => has(join(d, m)))) return beside.some((b) => has(join(d, b)));
    if (d === '' || d === base) return false;
  }
}

/** Whether the install's manifest (go.mod) exists at or above the folder the install's project comes from. */
export function hasManifestAtOrAbove(
  run: Instruction,
  install: InstallStep,
  contextDir: string,
  context: ContextView,
): boolean {
  if (/[*?[]/.test(contextDir)) return true;
  const has = (p: string) => filesAt(context.files, p).some((f) => f.path === p);
  for (let d = contextDir; ; d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '') {
    if (install.manifests.some((m) => has([d, m].filter(Boolean).join('/')))) return true;
    if (d === '') break;
  }
  // a manifest the Dockerfile brings from elsewhere (another stage, a RUN that writes it) is not in the context
  return [...precedingInChain(run), run].some(
    (i) =>
      (i.copy?.from !== undefined || !!i.run) &&
      install.manifests.some((m) => i.text.includes(m) || i.text.includes(m.replace('.', ' ') + ' init')),
  );
}

/**
 * Whether the install downloads nothing here, judged from the context: Go beside `vendor/modules.txt`,
 * or with no go.mod at all (GOPATH-style single files). Flags (`-mod=vendor`, GOFLAGS) are seen earlier,
 * in the cache analysis.
 */
export function fetchesNothingHere(
  cache: CacheAnalysis,
  run: Instruction,
  install: InstallStep,
  context?: ContextView,
): boolean {
  if (
    !context ||
    (!install.pattern.fetchesNothingWith?.besideManifest.length && !install.pattern.fetchesNothingWithoutManifest)
  )
    return false;
  const dir = installDir(cache, run, install);
  const copy = [...precedingInChain(run)]
    .reverse()
    .find((c) => isLocalCopy(c) && !!broadSourceFor(cache, c, dir, context));
  if (!copy) return false;
  const broad = broadSourceFor(cache, copy, dir, context)!;
  if (fetchesNothingIn(install, broad.contextDir, sourcePath(broad.source), context)) return true;
  return (
    !!install.pattern.fetchesNothingWithoutManifest && !hasManifestAtOrAbove(run, install, broad.contextDir, context)
  );
}
