// The cache model: for each step, what goes into its cache key, where it runs,
// which dependency installs it performs, and how much is rebuilt when it misses.

import {
  type Instruction,
  type Stage,
  type DockerfileModel,
  type Word,
  findStage,
  ancestry,
} from '../parse/dockerfile';
import type { SimpleCommand } from '../parse/shell';
import { findInstalls, type InstallStep } from '../ecosystems/match';

export interface StepInfo {
  ins: Instruction;
  /** working directory (absolute in the image) when the step runs */
  workdir: string;
  /** dependency installs this RUN performs */
  installs: InstallStep[];
  /** ARG names in scope (implicit inputs of every RUN) */
  argsInScope: string[];
  /** values known when the step runs: ARG defaults and ENV settings of the stage and its FROM chain */
  values: ReadonlyMap<string, string>;
  /** steps rebuilt when this one misses: the rest of its stage plus stages that build on it */
  invalidates: number;
}

export interface CacheAnalysis {
  info(ins: Instruction): StepInfo;
  /** every install step in the file, in order */
  installSites(): readonly { ins: Instruction; install: InstallStep }[];
  /** stages that build FROM this one or copy from it */
  dependents(stage: Stage): Stage[];
}

const PROXY_ARGS = new Set([
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'FTP_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'http_proxy',
  'https_proxy',
  'ftp_proxy',
  'no_proxy',
  'all_proxy',
]);

export function analyzeCache(model: DockerfileModel): CacheAnalysis {
  const dependents = stageDependents(model);
  const infos = stepInfos(model);
  setInvalidates(model, dependents, infos);

  let sites: { ins: Instruction; install: InstallStep }[] | undefined;

  return {
    info(ins) {
      const found = infos.get(ins);
      if (found) return found;
      return { ins, workdir: '/', installs: [], argsInScope: [], values: new Map(), invalidates: 0 };
    },
    installSites() {
      sites ??= [...infos.values()].flatMap((i) => i.installs.map((install) => ({ ins: i.ins, install })));
      return sites;
    },
    dependents(stage) {
      return [...(dependents.get(stage) ?? [])];
    },
  };
}

/** The stages that build FROM each stage or copy from it. */
function stageDependents(model: DockerfileModel): Map<Stage, Set<Stage>> {
  const dependents = new Map<Stage, Set<Stage>>();
  for (const stage of model.stages) {
    for (const parent of ancestry(stage).slice(0, 1)) addTo(dependents, parent, stage);
    for (const ins of stage.instructions) {
      const src = ins.copy?.from !== undefined ? findStage(model.stages, ins.copy.from) : undefined;
      if (src && src !== stage) addTo(dependents, src, stage);
    }
  }
  return dependents;
}

/** What a stage starts with: the end state of the stage it builds FROM. */
interface StageStart {
  workdir: string;
  args: string[];
  commands: SimpleCommand[];
  values: ReadonlyMap<string, string>;
}

/** Each step's working directory, ARGs, known values and installs (its `invalidates` is set later). */
function stepInfos(model: DockerfileModel): Map<Instruction, StepInfo> {
  const infos = new Map<Instruction, StepInfo>();
  let globalDefaults: ReadonlyMap<string, string> = NO_VALUES;
  for (const g of model.globalArgs) if (g.vars?.length) globalDefaults = withGlobalDefaults(g.vars, globalDefaults);
  const stageStart = new Map<Stage, StageStart>();
  for (const stage of model.stages) {
    const inherited = stage.parent ? stageStart.get(stage.parent) : undefined;
    stageStart.set(stage, walkStage(stage, inherited, globalDefaults, infos));
  }
  return infos;
}

// What a step's info is made of is kept on the parts of its instruction that a
// keystroke's re-read keeps for the instructions it did not touch (the ARG/ENV
// `vars`, the WORKDIR `args`, the RUN `commands`), with the inputs it was made
// from: the known values are made again only after an ARG or ENV, so an
// unchanged file prefix gives the same value maps, and the same maps give the
// same expanded commands and installs. One entry each: a model is analysed once.
type Vars = NonNullable<Instruction['vars']>;
const NO_VALUES: ReadonlyMap<string, string> = new Map();
type Kept<T> = WeakMap<object, { inputs: readonly unknown[]; value: T }>;
const globalsKept: Kept<ReadonlyMap<string, string>> = new WeakMap();
const settingsKept: Kept<ReadonlyMap<string, string>> = new WeakMap();
const workdirsKept: Kept<string> = new WeakMap();
const expandedKept: Kept<SimpleCommand[]> = new WeakMap();
const installsKept: Kept<InstallStep[]> = new WeakMap();

/** The value kept on `part` when it was made from the same `inputs` (compared by identity), else made anew and kept. */
function keptOn<T>(memo: Kept<T>, part: object, inputs: readonly unknown[], make: () => T): T {
  const kept = memo.get(part);
  if (kept && kept.inputs.length === inputs.length && kept.inputs.every((x, i) => x === inputs[i])) return kept.value;
  const value = make();
  memo.set(part, { inputs, value });
  return value;
}

/** The global ARG defaults after one global ARG (a new map: nobody changes one). */
function withGlobalDefaults(vars: Vars, before: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
  return keptOn(globalsKept, vars, [before], () => {
    const after = new Map(before);
    for (const v of vars) if (v.value !== null) after.set(v.name, v.value);
    return after;
  });
}

/** Walks one stage's steps from the state it inherits, records their infos, and returns its end state. */
function walkStage(
  stage: Stage,
  inherited: StageStart | undefined,
  globalDefaults: ReadonlyMap<string, string>,
  infos: Map<Instruction, StepInfo>,
): StageStart {
  let workdir = inherited?.workdir ?? '/';
  let args = [...(inherited?.args ?? [])];
  const commands: SimpleCommand[] = [...(inherited?.commands ?? [])];
  let values = inherited?.values ?? NO_VALUES;
  for (const ins of stage.instructions) {
    if (ins.keyword === 'WORKDIR' && ins.args[0]) workdir = workdirAfter(ins.args, workdir);
    if (ins.keyword === 'ARG')
      args = [...args, ...(ins.vars ?? []).map((v) => v.name).filter((n) => !PROXY_ARGS.has(n))];
    if ((ins.keyword === 'ARG' || ins.keyword === 'ENV') && ins.vars?.length)
      values = settingsAfter(ins, ins.vars, values, globalDefaults);
    const installs = ins.run ? installsOf(ins.run.commands, values, commands) : [];
    infos.set(ins, { ins, workdir, installs, argsInScope: args, values, invalidates: 0 });
    if (ins.run) commands.push(...ins.run.commands);
  }
  return { workdir, args, commands, values };
}

function workdirAfter(words: Word[], base: string): string {
  return keptOn(workdirsKept, words, [base], () => resolvePath(base, words.map((a) => a.value).join(' ')));
}

function settingsAfter(
  ins: Instruction,
  vars: Vars,
  before: ReadonlyMap<string, string>,
  globalDefaults: ReadonlyMap<string, string>,
): ReadonlyMap<string, string> {
  return keptOn(settingsKept, vars, [ins.keyword, before, globalDefaults], () =>
    withSettings(ins, before, globalDefaults),
  );
}

/** A RUN's installs with the values in scope put in (`earlier`: the commands of the RUNs before it in the image). */
function installsOf(
  commands: SimpleCommand[],
  values: ReadonlyMap<string, string>,
  earlier: readonly SimpleCommand[],
): InstallStep[] {
  const expanded = expandedOf(commands, values);
  // findInstalls keeps its answer on the (expanded) list unless it read `earlier`: then the list is new
  const found = findInstalls(expanded, earlier);
  // most RUNs: nothing put in, no install a flag can make fetch nothing: the found list as it is
  if (expanded === commands && !found.some((i) => i.pattern.fetchesNothingWith?.flags.length)) return found;
  return keptOn(installsKept, found, [values], () =>
    found
      .filter((i) => !fetchesNothingByFlag(i, values))
      .map((i) => (i.command.written ? { ...i, command: i.command.written, expanded: i.command } : i)),
  );
}

/** The commands with the values put in (kept with the values when that changed them). */
function expandedOf(commands: SimpleCommand[], values: ReadonlyMap<string, string>): SimpleCommand[] {
  if (!values.size || !commands.some((c) => c.argv.some((w) => w.includes('$')))) return commands;
  return keptOn(expandedKept, commands, [values], () => expandCommands(commands, values));
}

/** The known values after an ARG or ENV step (a new map: earlier steps keep theirs). */
function withSettings(
  ins: Instruction,
  before: ReadonlyMap<string, string>,
  globalDefaults: ReadonlyMap<string, string>,
): Map<string, string> {
  const values = new Map(before);
  for (const v of ins.vars ?? []) {
    // an ARG without a default takes the global one (or stays unknown); an ENV value may use earlier values
    const value =
      v.value === null ? (ins.keyword === 'ARG' ? globalDefaults.get(v.name) : undefined) : expandWord(v.value, values);
    if (value === undefined) values.delete(v.name);
    else values.set(v.name, value);
  }
  return values;
}

/** Sets how many steps each step's miss rebuilds: the rest of its stage plus what dependent stages rebuild. */
function setInvalidates(
  model: DockerfileModel,
  dependents: ReadonlyMap<Stage, Set<Stage>>,
  infos: ReadonlyMap<Instruction, StepInfo>,
): void {
  const stageCost = new Map<Stage, number>();
  const costOfStage = (stage: Stage, seen: Set<Stage>): number => {
    if (stageCost.has(stage)) return stageCost.get(stage)!;
    if (seen.has(stage)) return 0;
    seen.add(stage);
    let total = stepsIn(stage.instructions);
    for (const d of dependents.get(stage) ?? []) total += costAfterDependency(d, stage, seen);
    stageCost.set(stage, total);
    return total;
  };
  // a dependent stage rebuilds from the first step that uses the changed stage
  const costAfterDependency = (dep: Stage, on: Stage, seen: Set<Stage>): number => {
    // stages that copy from each other form a cycle: count each stage once
    if (seen.has(dep)) return 0;
    if (dep.parent === on) return costOfStage(dep, seen);
    const first = dep.instructions.findIndex((i) => i.copy?.from !== undefined && findStage([on], i.copy.from) === on);
    if (first < 0) return 0;
    let total = stepsIn(dep.instructions.slice(first));
    const next = new Set(seen).add(dep);
    for (const d of dependents.get(dep) ?? []) total += costAfterDependency(d, dep, next);
    return total;
  };
  for (const stage of model.stages) {
    // what the dependent stages rebuild does not depend on which step of this stage missed
    let dependentCost = 0;
    for (const d of dependents.get(stage) ?? []) dependentCost += costAfterDependency(d, stage, new Set([stage]));
    // the steps after each instruction, counted from the end (one pass: long stages stay linear)
    let after = 0;
    for (let i = stage.instructions.length - 1; i >= 0; i--) {
      const ins = stage.instructions[i];
      infos.get(ins)!.invalidates = after + dependentCost;
      if (BUILD_STEPS.has(ins.keyword)) after++;
    }
  }
}

// Only these build a layer BuildKit caches and re-runs; ENV, LABEL, EXPOSE, CMD, USER … are image
// configuration, and FROM resolves an image: none of them "re-runs" after a miss.
const BUILD_STEPS = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);
const stepsIn = (list: readonly Instruction[]): number => list.filter((i) => BUILD_STEPS.has(i.keyword)).length;

function addTo(map: Map<Stage, Set<Stage>>, key: Stage, value: Stage) {
  if (!map.has(key)) map.set(key, new Set());
  map.get(key)!.add(value);
}

/** Resolves an image path against a working directory, without touching variables. */
export function resolvePath(base: string, p: string): string {
  const raw = p.startsWith('/') ? p : `${base.replace(/\/+$/, '')}/${p}`;
  const out: string[] = [];
  for (const part of raw.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

const VAR = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Replaces `$NAME`, `${NAME}`, `${NAME:-default}` and `${NAME:+alt}` whose value is known; unknown ones stay as written. */
export function expandWord(word: string, values: ReadonlyMap<string, string>): string {
  if (!word.includes('$')) return word;
  return word.replace(
    VAR,
    (all, braced: string | undefined, op: string | undefined, alt: string | undefined, bare: string | undefined) => {
      const name = braced ?? bare!;
      const value = values.get(name);
      if (op === '-') return values.has(name) ? value! : (alt ?? '');
      if (op === ':-') return value ? value : (alt ?? '');
      if (op === '+') return values.has(name) ? (alt ?? '') : all;
      if (op === ':+') return value ? (alt ?? '') : value === '' ? '' : all;
      return value ?? all;
    },
  );
}

/**
 * The commands with the ARG defaults and ENV values in scope put in (`uv sync $UV_OPTIONS` →
 * `uv sync --frozen`): a whole word that was one unquoted variable splits into words, as the shell
 * does. Commands with nothing to expand are returned as they are; expanded ones keep the command
 * as written in `written`.
 */
function expandCommands(commands: readonly SimpleCommand[], values: ReadonlyMap<string, string>): SimpleCommand[] {
  if (!values.size) return commands as SimpleCommand[];
  const expanded = commands.map((c) => {
    if (!c.argv.some((w) => w.includes('$'))) return c;
    const argv = c.argv.flatMap((w) => {
      const out = expandWord(w, values);
      if (out === w) return [w];
      return /^\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)$/.test(w)
        ? out.split(/\s+/).filter(Boolean)
        : [out];
    });
    if (argv.every((w, i) => w === c.argv[i]) && argv.length === c.argv.length) return c;
    return { argv, env: c.env, written: c };
  });
  // nothing to put in: the list itself, whose installs are kept on it (ecosystems/match.ts)
  return expanded.every((c, i) => c === commands[i]) ? (commands as SimpleCommand[]) : expanded;
}

/** An install given a flag that makes it fetch nothing (`go build -mod=vendor`, or `GOFLAGS=-mod=vendor` in ENV or on the command). */
function fetchesNothingByFlag(install: InstallStep, values: ReadonlyMap<string, string>): boolean {
  const flags = install.pattern.fetchesNothingWith?.flags;
  if (!flags?.length) return false;
  if (install.command.argv.some((w) => flags.includes(w))) return true;
  return (install.pattern.flagEnv ?? []).some((name) => {
    const v = install.command.env[name] ?? values.get(name);
    return !!v && v.split(/\s+/).some((w) => flags.includes(w));
  });
}
