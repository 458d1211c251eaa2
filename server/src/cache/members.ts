// The member manifests a prefetch needs besides the root's (npm/yarn/pnpm workspaces, Gradle settings
// `include`, Maven `<modules>`, a Cargo workspace's `members`), the target stubs Cargo needs to read a
// manifest, and why the manifests alone cannot be fetched when they cannot (path dependencies, moved
// projects, modules).

import type { InstallStep } from '../ecosystems/match';
import type { ContextView } from '../context/view';
import { yamlReader } from '../parse/lazy';

export interface MemberManifests {
  /** context paths to copy besides the root manifests (files, or folders with a trailing `/`) */
  paths: string[];
  /** files (context paths) that must exist for the tool to read the manifests: created empty for the fetch, removed after */
  stubs: string[];
  /** why the manifests alone cannot be fetched (no fix then; '' when there is nothing to say) */
  blocker?: string;
}

export function memberManifests(
  kind: 'gradle' | 'maven' | 'cargo',
  contextDir: string,
  context: ContextView,
): MemberManifests {
  if (kind === 'gradle') return gradleMembers(contextDir, context);
  if (kind === 'maven') return mavenMembers(contextDir, context);
  return cargoMembers(contextDir, context);
}

const join = (...parts: string[]) => parts.filter(Boolean).join('/');

/** The files and folders a Gradle settings file includes (`include`, `includeBuild`, `buildSrc`). */
function gradleMembers(contextDir: string, context: ContextView): MemberManifests {
  const isFile = (p: string) => context.files.some((f) => f.path === p);
  const isDir = (p: string) => context.files.some((f) => f.path.startsWith(p + '/'));
  const settingsPath = ['settings.gradle.kts', 'settings.gradle'].map((n) => join(contextDir, n)).find(isFile);
  const paths: string[] = [];
  if (isDir(join(contextDir, 'buildSrc'))) paths.push(join(contextDir, 'buildSrc') + '/');
  const settings = settingsPath ? (context.readText(settingsPath) ?? '') : '';
  if (/projectDir\s*=|rootDir\.|listFiles|\.forEach|\.each\s*\{|file\s*\(/.test(settings))
    return { paths, stubs: [], blocker: 'the settings file computes its projects' };
  for (const m of settings.matchAll(/^\s*includeBuild\s*\(?\s*["']([^"']+)["']/gm)) {
    const dir = join(contextDir, m[1].replace(/^\.\//, ''));
    if (!isDir(dir)) return { paths, stubs: [], blocker: `included build \`${m[1]}\` is not in the context` };
    paths.push(dir + '/');
  }
  for (const m of settings.matchAll(/^\s*include\s*\(?([^\n]*)/gm)) {
    for (const q of m[1].matchAll(/["']:?([^"']+)["']/g)) {
      const dir = join(contextDir, q[1].replace(/:/g, '/'));
      const build = ['build.gradle.kts', 'build.gradle'].map((n) => join(dir, n)).find(isFile);
      if (build) paths.push(build);
      if (isFile(join(dir, 'gradle.properties'))) paths.push(join(dir, 'gradle.properties'));
    }
  }
  return { paths, stubs: [] };
}

/** A multi-module Maven build cannot prefetch its modules. */
function mavenMembers(contextDir: string, context: ContextView): MemberManifests {
  const pom = context.readText(join(contextDir, 'pom.xml')) ?? '';
  const modules = [...pom.matchAll(/<module>\s*([^<\s]+)\s*<\/module>/g)].map((m) => m[1]);
  if (modules.length)
    return {
      paths: [],
      stubs: [],
      blocker: `a multi-module build (${modules.length} modules): \`dependency:go-offline\` cannot resolve modules that depend on each other before they are built`,
    };
  return { paths: [], stubs: [] };
}

/** A Cargo workspace's member manifests, and the target stubs Cargo needs to read them. */
function cargoMembers(contextDir: string, context: ContextView): MemberManifests {
  const isFile = (p: string) => context.files.some((f) => f.path === p);
  const rootToml = context.readText(join(contextDir, 'Cargo.toml'));
  // the context does not show the project (or was resolved wrongly): nothing to say, nothing to offer
  if (rootToml === undefined) return { paths: [], stubs: [], blocker: '' };
  const packages: string[] = [];
  if (/^\s*\[package\]/m.test(rootToml)) packages.push(contextDir);
  const ws = /^\s*\[workspace\]([\s\S]*?)(?=^\s*\[(?!workspace\.)|(?![\s\S]))/m.exec(rootToml)?.[1] ?? '';
  const membersText = /members\s*=\s*\[([\s\S]*?)\]/.exec(ws)?.[1] ?? '';
  for (const m of membersText.matchAll(/["']([^"']+)["']/g)) {
    const glob = m[1].replace(/^\.\//, '').replace(/\/+$/, '');
    const re = new RegExp(
      '^' +
        join(contextDir, glob)
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '[^/]+')
          .replace(/\?/g, '[^/]') +
        '/Cargo\\.toml$',
    );
    const found = context.files.filter((f) => re.test(f.path)).map((f) => f.path.slice(0, -'/Cargo.toml'.length));
    if (!found.length)
      return { paths: [], stubs: [], blocker: `workspace member \`${m[1]}\` has no Cargo.toml in the context` };
    packages.push(...found);
  }
  const paths: string[] = [];
  const stubs: string[] = [];
  const normalize = (p: string) => {
    const out: string[] = [];
    for (const part of p.split('/')) {
      if (!part || part === '.') continue;
      if (part === '..') out.pop();
      else out.push(part);
    }
    return out.join('/');
  };
  for (const dir of packages.slice(0, 200)) {
    const toml = dir === contextDir ? rootToml : (context.readText(join(dir, 'Cargo.toml')) ?? '');
    if (dir !== contextDir) paths.push(join(dir, 'Cargo.toml'));
    if (/^\s*\[\[(bin|bench|test|example)\]\]|^\s*\[lib\][^[]*\bpath\s*=|^\s*build\s*=/m.test(toml))
      return { paths, stubs, blocker: `\`${join(dir, 'Cargo.toml')}\` names its targets or build script explicitly` };
    for (const m of toml.matchAll(/^[^#\n]*\bpath\s*=\s*["']([^"']+)["']/gm)) {
      const target = normalize(join(dir, m[1]));
      if (!packages.includes(target)) return { paths, stubs, blocker: `path dependency \`${m[1]}\`` };
    }
    const targets = ['src/main.rs', 'src/lib.rs'].map((t) => join(dir, t)).filter(isFile);
    if (!targets.length)
      return { paths, stubs, blocker: `\`${join(dir, 'Cargo.toml')}\` has no src/main.rs or src/lib.rs` };
    stubs.push(...targets);
    if (isFile(join(dir, 'build.rs'))) stubs.push(join(dir, 'build.rs'));
  }
  return { paths, stubs };
}

/** Member packages of an npm/yarn/bun or pnpm workspace rooted at contextDir. */
export function workspaceDirs(install: InstallStep, contextDir: string, context: ContextView): string[] {
  const kind = install.ecosystem.workspaces;
  if (!kind) return [];
  const join = (a: string, b: string) => [a, b].filter(Boolean).join('/');
  let globs: string[] = [];
  try {
    if (kind === 'pnpm') {
      const text = context.readText(join(contextDir, 'pnpm-workspace.yaml'));
      const doc = text ? yamlReader().parse(text) : undefined;
      if (doc && Array.isArray(doc.packages)) globs = doc.packages.filter((p: unknown) => typeof p === 'string');
    } else {
      const text = context.readText(join(contextDir, 'package.json'));
      const pkg = text ? JSON.parse(text) : undefined;
      const ws = pkg?.workspaces;
      globs = Array.isArray(ws) ? ws : Array.isArray(ws?.packages) ? ws.packages : [];
    }
  } catch {
    return [];
  }
  const dirs = new Set<string>();
  for (const glob of globs.filter((g) => !g.startsWith('!'))) {
    const pattern = join(contextDir, glob.replace(/\/+$/, '')).replace(/\*{3,}/g, '**');
    const re = new RegExp(
      '^' +
        pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*\*(\/\*\*)*/g, '.+')
          .replace(/\*/g, '[^/]+') +
        '/package\\.json$',
    );
    for (const f of context.files) if (re.test(f.path)) dirs.add(f.path.slice(0, -'/package.json'.length));
  }
  return [...dirs].sort();
}
