import { defineRule, type Fix, type RuleContext } from './rule';
import { type Instruction, precedingInChain } from '../parse/dockerfile';
import { isLocalCopy } from '../cache/copies';
import { mentionsVariable } from '../cache/variables';
import { shortText } from '../cache/text';
import { moveAboveEdits, referencesContext } from './util/reorder';
import { findInstalls, commandMatchesAny, toolOf } from '../ecosystems/match';
import { ECOSYSTEMS } from '../ecosystems/table';
import type { SimpleCommand } from '../parse/shell';
import { isVolatileArgName } from '../ecosystems/volatile';

export default defineRule({
  id: 'CL003',
  name: 'volatile-arg-early',
  title: 'Volatile ARG declared before unrelated RUN steps',
  defaultSeverity: 'warning',
  docs: {
    what: 'Finds an `ARG` whose value changes from build to build (a commit SHA, a build date, a version, a value fed to a `LABEL`) declared before `RUN` steps that do not use it.',
    why: "Every `RUN` after an `ARG` has the ARG's value in its cache key, whether it reads it or not. When the value changes, the `RUN` steps between the declaration and its first use all miss the cache for nothing.",
    example: [
      'FROM node:20',
      'ARG GIT_SHA',
      'WORKDIR /app',
      'COPY package.json package-lock.json ./',
      'RUN npm ci',
      'COPY . .',
      'LABEL org.opencontainers.image.revision=$GIT_SHA',
    ].join('\n'),
    useInstead: [
      'FROM node:20',
      'WORKDIR /app',
      'COPY package.json package-lock.json ./',
      'RUN npm ci',
      'COPY . .',
      'ARG GIT_SHA',
      'LABEL org.opencontainers.image.revision=$GIT_SHA',
    ].join('\n'),
    references: ['https://docs.docker.com/build/cache/invalidation/#build-arguments'],
  },
  check(ctx) {
    for (const stage of ctx.dockerfile.stages) {
      const labels = stage.instructions.filter((i) => i.keyword === 'LABEL');
      for (const arg of stage.instructions.filter((i) => i.keyword === 'ARG')) {
        for (const v of arg.vars ?? []) {
          const volatile =
            isVolatileArgName(v.name) || labels.some((l) => l.index > arg.index && mentionsVariable(l.text, v.name));
          if (!volatile) continue;
          const after = stage.instructions.filter((i) => i.index > arg.index);
          // a later ARG of the same name starts a new scope; an unreferenced ARG may be a deliberate cache bust
          const redeclared = after.findIndex((i) => i.keyword === 'ARG' && i.vars?.some((x) => x.name === v.name));
          const scope = redeclared < 0 ? after : after.slice(0, redeclared);
          const firstUse = scope.find((i) => mentionsVariable(i.text, v.name));
          // promoted to an ENV (`ENV GIT_SHA=$GIT_SHA`): the ENV carries the value into every later step
          if (firstUse?.keyword === 'ENV' && reportPromoted(ctx, arg, v.name, firstUse, scope)) continue;
          if (!firstUse) {
            // named nowhere, but a later RUN runs project code that may read it from the environment
            if (!/CACHE_?BUST/i.test(v.name)) reportScriptRead(ctx, arg, v.name, scope);
            continue;
          }
          const crossed = scope.filter((i) => i.index < firstUse.index && i.keyword === 'RUN');
          if (!crossed.length) continue;
          const line = firstUse.range.start.line + 1;
          const n = crossed.length;
          ctx.report({
            message: `\`${v.name}\` changes from build to build, and the ${n === 1 ? 'RUN step' : `${n} RUN steps`} between here and its first use (line ${line}) miss${n === 1 ? 'es' : ''} the cache whenever it does. Declare it just before line ${line}.`,
            range: arg.range,
            related: [
              {
                path: ctx.path,
                range: firstUse.range,
                message: `first use of \`${v.name}\`: \`${shortText(firstUse)}\``,
              },
            ],
            fixes: () => moveFix(ctx, arg, firstUse, crossed),
          });
        }
      }
    }
  },
});

function moveFix(ctx: RuleContext, arg: Instruction, firstUse: Instruction, crossed: Instruction[]): Fix[] {
  // moving a multi-name ARG would move its other names too
  if (arg.args.length !== 1) return [];
  // a script the RUN runs may read the value from its environment: moving it past such a step changes the build
  const runsProjectCode = crossed.some((r) =>
    (r.run?.commands ?? []).some((c) => !isPlainInstall(c) && referencesContext(c.argv.join(' '), ctx.context)),
  );
  return [
    {
      title: 'Move ARG to its first use',
      safe: !runsProjectCode,
      isPreferred: !runsProjectCode,
      edits: moveAboveEdits(ctx.dockerfile, ctx.path, firstUse, [], [{ ins: arg }]),
    },
  ];
}

function isPlainInstall(command: SimpleCommand): boolean {
  const found = findInstalls([command]);
  return found.length > 0 && found.every((f) => !f.pattern.needsSource);
}

/** A RUN that runs the project's code (a script, `npm run build`): it may read any ARG or ENV from its environment. */
function runsProject(ctx: RuleContext, ins: Instruction): boolean {
  return (
    ins.keyword === 'RUN' &&
    (ins.run?.commands ?? []).some(
      (c) =>
        buildsProject(c) ||
        (!isPlainInstall(c) && (referencesContext(c.argv.join(' '), ctx.context) || runsCopiedScript(ins, c))),
    )
  );
}

const INTERPRETERS = new Set([
  'sh',
  'bash',
  'ash',
  'dash',
  'zsh',
  'python',
  'python3',
  'node',
  'ruby',
  'perl',
  '.',
  'source',
]);

/** The command runs a file a COPY from the context put in the image (`COPY build.sh /build.sh` + `RUN /build.sh`). */
function runsCopiedScript(ins: Instruction, command: SimpleCommand): boolean {
  const argv = command.argv;
  const program = INTERPRETERS.has(argv[0]) ? argv.slice(1).find((w) => !w.startsWith('-')) : argv[0];
  if (!program?.includes('/')) return false;
  const name = program.split('/').pop();
  return precedingInChain(ins).some(
    (c) =>
      isLocalCopy(c) &&
      (c.copy!.dest?.value.replace(/\/+$/, '').split('/').pop() === name ||
        c.copy!.sources.some((s) => s.value.replace(/\/+$/, '').split('/').pop() === name)),
  );
}

/** A build or an install of the project itself runs its build scripts (`setup.py`, `build.rs`, Gradle files), which may read the environment. */
function buildsProject(command: SimpleCommand): boolean {
  if (findInstalls([command]).some((f) => f.pattern.needsSource)) return true;
  if (ECOSYSTEMS.some((e) => commandMatchesAny(e.builds, command))) return true;
  return /^(uv|poetry|pdm|hatch|flit|rye)$/.test(toolOf(command)) && command.argv.includes('build');
}

/**
 * `ARG GIT_SHA` + `ENV GIT_SHA=$GIT_SHA` early in a stage: every RUN after the ENV misses when the value
 * changes. Reported on the ARG; the fix moves both to just before the first step that uses the value
 * (by name, or a RUN that runs project code, which may read it from the environment).
 */
function reportPromoted(
  ctx: RuleContext,
  arg: Instruction,
  name: string,
  env: Instruction,
  scope: Instruction[],
): boolean {
  const promoted = (env.vars ?? [])
    .filter((x) => x.value !== null && mentionsVariable(x.value, name))
    .map((x) => x.name);
  // RUNs between the ARG and the ENV: the plain report (up to the ENV) says it
  if (!promoted.length || between(ctx, arg, env).some((i) => i.keyword === 'RUN')) return false;
  const afterEnv = scope.filter((i) => i.index > env.index);
  // the ENV changes when any of its values does: a step using any of them is where the value is used
  const names = [name, ...(env.vars ?? []).map((x) => x.name)];
  // a LABEL is metadata: it moves along with the ARG and ENV rather than ending the stretch
  const mentions = (i: Instruction) => names.some((n) => mentionsVariable(i.text, n));
  const use = afterEnv.find((i) => (mentions(i) && i.keyword !== 'LABEL') || runsProject(ctx, i));
  const labels = afterEnv.filter((i) => i.keyword === 'LABEL' && mentions(i) && (!use || i.index < use.index));
  const crossed = afterEnv.filter((i) => i.keyword === 'RUN' && (!use || i.index < use.index));
  if (!crossed.length) return true;
  const n = crossed.length;
  const envText = `ENV ${promoted.join(' ')}`;
  const where = use ? `before its first use (line ${use.range.start.line + 1})` : 'after it';
  ctx.report({
    message:
      `\`${name}\` changes from build to build, and \`${envText}\` (line ${env.range.start.line + 1}) carries it into every later step: ` +
      `the ${n === 1 ? 'RUN step' : `${n} RUN steps`} ${where} miss${n === 1 ? 'es' : ''} the cache whenever it does.` +
      (use
        ? ` Declare both just before line ${use.range.start.line + 1}.`
        : ' Declare both after the last RUN that does not need it.'),
    range: arg.range,
    related: [
      { path: ctx.path, range: env.range, message: `\`${shortText(env)}\` sets the value for every later step` },
    ],
    fixes:
      use && arg.args.length === 1 && (env.vars ?? []).length === promoted.length && env.index > arg.index
        ? [
            {
              title: 'Move ARG and ENV to the first use',
              safe: true,
              isPreferred: true,
              edits: moveAboveEdits(
                ctx.dockerfile,
                ctx.path,
                use,
                [],
                [{ ins: arg }, { ins: env }, ...labels.map((ins) => ({ ins }))],
              ),
            },
          ]
        : [],
  });
  return true;
}

/** Instructions strictly between two of the same stage. */
function between(_ctx: RuleContext, a: Instruction, b: Instruction): Instruction[] {
  return (a.stage?.instructions ?? []).filter((i) => i.index > a.index && i.index < b.index);
}

/**
 * A volatile ARG named by no later instruction, with RUNs that run project code after it: those may read
 * it from the environment (every RUN sees the ARGs in scope), so the plain RUNs before the first of
 * them miss for nothing. Moving the ARG just before that RUN keeps what every script sees.
 */
function reportScriptRead(ctx: RuleContext, arg: Instruction, name: string, scope: Instruction[]): void {
  const reader = scope.find((i) => runsProject(ctx, i));
  if (!reader) return;
  const crossed = scope.filter((i) => i.keyword === 'RUN' && i.index < reader.index);
  if (!crossed.length) return;
  const line = reader.range.start.line + 1;
  const n = crossed.length;
  ctx.report({
    message:
      `\`${name}\` changes from build to build; no step names it, but line ${line} runs project code that may read it from the environment. ` +
      `The ${n === 1 ? 'RUN step' : `${n} RUN steps`} before it miss${n === 1 ? 'es' : ''} the cache whenever it changes. Declare it just before line ${line}.`,
    range: arg.range,
    related: [{ path: ctx.path, range: reader.range, message: `\`${shortText(reader)}\` may read \`${name}\`` }],
    fixes:
      arg.args.length === 1
        ? [
            {
              title: 'Move ARG to the first step that may read it',
              safe: true,
              isPreferred: true,
              edits: moveAboveEdits(ctx.dockerfile, ctx.path, reader, [], [{ ins: arg }]),
            },
          ]
        : [],
  });
}
