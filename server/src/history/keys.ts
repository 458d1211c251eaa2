// BuildKit's cache keys as the forecast models them, per Dockerfile and commit.
//
//   key(FROM)      = the FROM line (image as written; a stage FROM another stage: that stage's last key)
//   key(step)      = hash(key(previous step), the step's text, what else its definition holds)
//   RUN            + the image config it runs with: every ENV value and every ARG value in scope
//                    (a default, or the global ARG's default), USER, SHELL; bind mounts from the
//                    context as for COPY; an ARG with a volatile name (CL003's table) in scope takes
//                    a new value on every build (assumption)
//   COPY/ADD       + the set and content of the files its sources match (a token the replay bumps);
//                    the values of the variables its text names, and nothing else of the config
//   COPY --from    + that stage's last key (an upper bound: BuildKit compares the copied files)
//   WORKDIR        + the variables its text names, USER
// Only FROM, RUN, COPY, ADD and WORKDIR are steps. ENV, ARG, LABEL, EXPOSE, USER, SHELL, CMD, … only
// change the image config: they are not in the chain, so editing one changes the keys of the later
// steps whose definition reads it (every RUN for ENV/ARG/USER/SHELL; a COPY only when it names the
// variable) and of nothing else. (Replayed against real BuildKit builds: bench/replay/.)

import { createHash } from 'node:crypto';
import { type DockerfileModel, type Instruction, type Stage, findStage } from '../parse/dockerfile';
import type { CacheAnalysis } from '../cache/analysis';
import { IgnoreMatcher } from '../context/ignore';
import { isVolatileArgName } from '../ecosystems/volatile';

/** Instructions BuildKit runs as steps (the others only change the image config). */
export const STEP_KEYWORDS = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'WORKDIR']);

export const hash = (parts: string[]) => createHash('sha1').update(parts.join('\0')).digest('hex');

/** Instruction text as BuildKit compares it: continuations joined, whitespace runs collapsed. */
export function normalizedText(ins: Instruction): string {
  return ins.text
    .replace(/\\\r?\n/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether `text` names the variable ($name or ${name…}). */
export function mentions(text: string, name: string): boolean {
  for (let at = text.indexOf('$'); at >= 0; at = text.indexOf('$', at + 1)) {
    const start = text[at + 1] === '{' ? at + 2 : at + 1;
    if (text.startsWith(name, start) && !/[A-Za-z0-9_]/.test(text[start + name.length] ?? '')) return true;
  }
  return false;
}

/** A source word as BuildKit reads it: surrounding quotes removed. */
export function unquote(word: string): string {
  return word.length > 1 && (word[0] === '"' || word[0] === "'") && word[word.length - 1] === word[0]
    ? word.slice(1, -1)
    : word;
}

/** What decides which context files a step reads: its sources and excludes. */
export interface Spec {
  key: string;
  sources: string[];
  excludes: IgnoreMatcher | undefined;
}

export function copySpec(ins: Instruction): Spec | undefined {
  const c = ins.copy;
  if (!c || c.from !== undefined || c.heredoc) return undefined;
  // a leading '/' is the context root; a source built from a variable may name anything: the whole context (an upper bound)
  const sources = c.sources
    .map((s) => unquote(s.value))
    .filter((s) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(s) && !s.startsWith('git@'))
    .map((s) => (s.includes('$') ? '.' : s.replace(/^\/+/, '') || '.'));
  if (!sources.length) return undefined;
  return {
    key: `copy|${sources.join('\n')}|${c.excludes.join('\n')}`,
    sources,
    excludes: c.excludes.length ? new IgnoreMatcher(c.excludes) : undefined,
  };
}

export function mountSpecs(ins: Instruction): Spec[] {
  const out: Spec[] = [];
  for (const m of ins.run?.mounts ?? []) {
    if (m.type !== 'bind' || m.options.from !== undefined) continue;
    const raw = m.options.source ?? m.options.src ?? '.';
    const src = raw.includes('$') ? '.' : raw.replace(/^\/+/, '') || '.';
    out.push({ key: `bind|${src}`, sources: [src], excludes: undefined });
  }
  return out;
}

/** The image config a step sees: what a RUN's definition holds besides its text. */
interface Config {
  env: Map<string, string>;
  /** ARGs declared in scope with a value (their default, or the global ARG's) */
  args: Map<string, string>;
  user: string;
  shell: string;
}

const cloneConfig = (c: Config): Config => ({ ...c, env: new Map(c.env), args: new Map(c.args) });

/** Applies a config-only instruction (ENV, ARG, USER, SHELL) to the config. */
function applyConfig(cfg: Config, ins: Instruction, globalDefaults: Map<string, string>): void {
  if (ins.keyword === 'ENV') for (const v of ins.vars ?? []) cfg.env.set(v.name, v.value ?? '');
  else if (ins.keyword === 'ARG')
    for (const v of ins.vars ?? []) {
      const value = v.value ?? globalDefaults.get(v.name);
      if (value !== undefined) cfg.args.set(v.name, value);
      else cfg.args.delete(v.name);
    }
  else if (ins.keyword === 'USER') cfg.user = normalizedText(ins);
  else if (ins.keyword === 'SHELL') cfg.shell = normalizedText(ins);
}

const entries = (m: Map<string, string>) => [...m].map(([k, v]) => `${k}=${v}`).join('\n');

/** The values of the variables `text` names, as the config holds them. */
function named(cfg: Config, text: string): string {
  if (!text.includes('$')) return '';
  const out: string[] = [];
  for (const [k, v] of [...cfg.args, ...cfg.env]) if (mentions(text, k)) out.push(`${k}=${v}`);
  return out.join('\n');
}

/** The parts of one step's key besides the previous key and its text. */
function stepParts(
  ins: Instruction,
  cfg: Config,
  ctx: { model: DockerfileModel; stage: Stage; stageKey: Map<Stage, string>; volatile: string[] },
  token: (spec: Spec) => string,
  buildId: string,
): string[] {
  const parts: string[] = [];
  const text = normalizedText(ins);
  if (ins.run ? ctx.volatile.length > 0 : ctx.volatile.some((n) => mentions(ins.text, n))) parts.push(buildId);
  if (ins.run) {
    parts.push(entries(cfg.env), entries(cfg.args), cfg.user, cfg.shell);
    for (const spec of mountSpecs(ins)) parts.push(token(spec));
    for (const m of ins.run.mounts) {
      const src = m.options.from !== undefined ? findStage(ctx.model.stages, m.options.from) : undefined;
      if (src && src !== ctx.stage) parts.push(ctx.stageKey.get(src) ?? 'unknown-stage');
    }
    return parts;
  }
  parts.push(named(cfg, text));
  if (ins.keyword === 'WORKDIR') parts.push(cfg.user);
  if (ins.copy) {
    if (ins.copy.from !== undefined) {
      const src = findStage(ctx.model.stages, ins.copy.from);
      parts.push(src && src !== ctx.stage ? (ctx.stageKey.get(src) ?? 'unknown-stage') : `image:${ins.copy.from}`);
    } else {
      const spec = copySpec(ins);
      if (spec) parts.push(token(spec));
    }
  }
  return parts;
}

/** Per-step cache keys (FROM, RUN, COPY, ADD, WORKDIR) of one Dockerfile at one commit. */
export function stepKeys(
  model: DockerfileModel,
  cache: CacheAnalysis,
  token: (spec: Spec) => string,
  buildId: string,
): Map<Instruction, string> {
  const keys = new Map<Instruction, string>();
  const stageKey = new Map<Stage, string>();
  const stageConfig = new Map<Stage, Config>();
  const globalDefaults = new Map<string, string>();
  for (const a of model.globalArgs)
    for (const v of a.vars ?? []) if (v.value !== null) globalDefaults.set(v.name, v.value);
  const volatileGlobals = model.globalArgs.flatMap((a) => (a.vars ?? []).map((v) => v.name)).filter(isVolatileArgName);
  for (const stage of model.stages) {
    const fromText = normalizedText(stage.from).replace(/\s+as\s+\S+$/i, '');
    const fromVolatile = volatileGlobals.some((n) => mentions(fromText, n));
    const inherits = stage.parent && stageKey.has(stage.parent);
    let key = inherits
      ? hash(['stage', stageKey.get(stage.parent!)!, fromText])
      : hash(['from', fromText, fromVolatile ? buildId : '']);
    // a stage FROM another stage starts from that stage's config (ENV, USER, SHELL; its ARGs stay in scope)
    const cfg: Config = inherits
      ? cloneConfig(stageConfig.get(stage.parent!)!)
      : { env: new Map(), args: new Map(), user: '', shell: '' };
    keys.set(stage.from, key);
    for (const ins of stage.instructions) {
      if (!STEP_KEYWORDS.has(ins.keyword)) {
        applyConfig(cfg, ins, globalDefaults);
        continue;
      }
      const volatile = cache.info(ins).argsInScope.filter(isVolatileArgName);
      const ctx = { model, stage, stageKey, volatile };
      key = hash([key, normalizedText(ins), ...stepParts(ins, cfg, ctx, token, buildId)]);
      keys.set(ins, key);
    }
    stageKey.set(stage, key);
    stageConfig.set(stage, cfg);
  }
  return keys;
}
