import { defineRule, type Fix, type FileEdit, type RuleContext } from './rule';
import type { Stage } from '../parse/dockerfile';
import type { RuntimeRecipe } from '../ecosystems/table';
import { type BuildSite, findBuild, outputsOf } from '../cache/builds';
import { isWithin } from '../cache/copies';
import { mentionsVariable } from '../cache/variables';
import { baseImage } from '../cache/images';
import { freeStageName, isPathWord, startCommands, type StartCommand } from '../cache/stages';
import { resolvePath } from '../cache/analysis';
import { insertAfterEdit, opensUnclosedHeredoc } from './util/edits';
import { perText } from '../parse/textMemo';

export default defineRule({
  id: 'CL301',
  name: 'build-tools-in-final-image',
  title: 'Build runs in the final image',
  defaultSeverity: 'info',
  docs: {
    what: 'Finds a build (`npm run build`, `tsc`, `go build`, `cargo build`, `mvn package`, `dotnet publish`…) in the stage that becomes the image.',
    why: 'The compiler, the dev dependencies and the sources then ship in the image: it is several times larger than it needs to be, and every rebuild pushes and pulls all of it again. A builder stage keeps the toolchain out and lets the runtime stage copy only the artifacts.',
    example: [
      'FROM golang:1.22',
      'WORKDIR /src',
      'COPY . .',
      'RUN go build -o /out/server .',
      'CMD ["/out/server"]',
    ].join('\n'),
    useInstead: [
      'FROM golang:1.22 AS build',
      'WORKDIR /src',
      'COPY . .',
      'RUN go build -o /out/server .',
      '',
      'FROM gcr.io/distroless/base-debian12',
      'WORKDIR /src',
      'COPY --from=build /out/server /out/server',
      'CMD ["/out/server"]',
    ].join('\n'),
    references: ['https://docs.docker.com/build/building/multi-stage/'],
  },
  check(ctx) {
    const stage = ctx.dockerfile.stages[ctx.dockerfile.stages.length - 1];
    if (!stage) return;
    const site = findBuild(stage);
    if (!site) return;
    const plan = runtimePlan(ctx, stage, site);
    const what = plan ? plan.artifacts.map((a) => `\`${a}\``).join(', ') : 'only the build output';
    ctx.report({
      message: `The final image runs \`${site.command.argv.join(' ')}\`: the toolchain, dev dependencies and sources ship with it and are pushed again on every rebuild. Build in a separate stage and copy ${what} into a runtime image.`,
      range: site.run.range,
      // computed when read: the plan decides the message, the stage it writes only the fix
      fixes: plan ? () => (appendsIntoHeredoc(ctx, stage, plan) ? [] : [builderStageFix(ctx, stage, plan)]) : [],
    });
  },
});

interface RuntimePlan {
  image: string;
  recipe: RuntimeRecipe;
  /** absolute paths copied from the build stage */
  artifacts: string[];
  workdir: string;
}

const CARRIED = new Set(['ENV', 'LABEL', 'EXPOSE', 'VOLUME', 'STOPSIGNAL', 'USER', 'HEALTHCHECK']);

/** the runtime table's image patterns, compiled once (no flags: exec and test keep no state) */
const imagePattern = perText((source: string) => new RegExp(source));

/** What the runtime stage needs, or undefined when any of it would be a guess. */
function runtimePlan(ctx: RuleContext, stage: Stage, site: BuildSite): RuntimePlan | undefined {
  const recipe = site.ecosystem.runtime;
  const base = baseImage(stage);
  if (!recipe || !base || stage.parent) return undefined;
  if (stage.instructions.some((i) => i.keyword === 'SHELL' || i.keyword === 'ONBUILD')) return undefined;
  if (site.run.run!.commands.some((c) => c.argv[0] === 'cd')) return undefined;
  const starts = startCommands(stage);
  if (!starts.length) return undefined;

  const imageRef = stage.image;
  const row = recipe.images.find((r) => imagePattern(r.match).test(imageRef));
  if (!row) return undefined;
  if (row.needsExecForm && starts.some((s) => !s.execForm)) return undefined;
  const m = imagePattern(row.match).exec(imageRef)!;
  const image = row.image.replace(/\$(\d)/g, (_, n: string) => m[Number(n)] ?? '');
  const sameImage = image === imageRef;

  const last = stage.instructions[stage.instructions.length - 1];
  const workdir = ctx.cache.info(last).workdir;
  const buildDir = ctx.cache.info(site.run).workdir;
  const outputs = outputsOf(recipe, site.command, buildDir);
  if (!outputs) return undefined;

  const artifacts = new Set<string>();
  for (const start of starts) {
    for (const word of start.words.filter(isPathWord)) {
      const path = resolvePath(workdir, word);
      const output = outputs.find((o) => isWithin(path, o));
      if (output) artifacts.add(recipe.wholeOutputDir || output === path ? output : path);
      else if (!sameImage || isWithin(path, workdir)) return undefined;
    }
  }
  // paths go into COPY unquoted: plain characters only
  if (!artifacts.size || [...artifacts].some((a) => !/^[\w@%+=:,./-]+$/.test(a))) return undefined;
  for (const extra of recipe.alsoCopy ?? []) artifacts.add(resolvePath(buildDir, extra));

  if (!userCarriesOver(stage, sameImage)) return undefined;
  if (!sameImage && stage.instructions.some((i) => i.keyword === 'HEALTHCHECK')) return undefined;
  return { image, recipe, artifacts: [...artifacts], workdir };
}

/** A USER from the base image exists in the runtime image only when it is the same image, and users made by a RUN never do. */
function userCarriesOver(stage: Stage, sameImage: boolean): boolean {
  const users = stage.instructions.filter((i) => i.keyword === 'USER').map((i) => i.args[0]?.value ?? '');
  if (users.every((u) => /^\d+(:\d+)?$/.test(u))) return true;
  if (!sameImage) return false;
  return !stage.instructions.some((i) =>
    i.run?.commands.some((c) => ['useradd', 'adduser', 'groupadd', 'addgroup'].includes(c.argv[0] ?? '')),
  );
}

function builderStageFix(ctx: RuleContext, stage: Stage, plan: RuntimePlan): Fix {
  const model = ctx.dockerfile;
  const edits: FileEdit[] = [];
  const name = stage.name ?? freeStageName(model, ['build', 'builder']);
  if (!stage.name)
    edits.push({
      path: ctx.path,
      range: { start: stage.from.range.end, end: stage.from.range.end },
      newText: ` AS ${name}`,
    });
  const runs = stage.instructions.filter((i) => i.run);
  if (plan.recipe.prune)
    edits.push(insertAfterEdit(model, ctx.path, runs[runs.length - 1], [`RUN ${plan.recipe.prune}`]));

  const carried = stage.instructions.filter((i) => CARRIED.has(i.keyword));
  const starts: StartCommand[] = startCommands(stage);
  const used = [...carried, ...starts.map((s) => s.ins)];
  const args = stage.instructions.filter(
    (i) => i.keyword === 'ARG' && (i.vars ?? []).some((v) => used.some((u) => mentionsVariable(u.text, v.name))),
  );
  const lines = [
    '',
    `FROM ${plan.image}`,
    ...args.map((i) => i.text),
    ...(plan.workdir !== '/' ? [`WORKDIR ${plan.workdir}`] : []),
    ...carried.filter((i) => i.keyword === 'ENV' || i.keyword === 'LABEL').map((i) => i.text),
    ...plan.artifacts.map((a) => `COPY --from=${name} ${a} ${a}`),
    ...carried.filter((i) => i.keyword !== 'ENV' && i.keyword !== 'LABEL').map((i) => i.text),
    ...[...starts].sort((a, b) => a.ins.index - b.ins.index).map((s) => s.ins.text),
  ];
  const last = stage.instructions[stage.instructions.length - 1] ?? stage.from;
  edits.push(insertAfterEdit(model, ctx.path, last, lines));
  return { title: `Add builder stage (runtime on \`${plan.image}\`)`, safe: false, isPreferred: false, edits };
}

/** The new lines would land in the body of a heredoc the stage leaves open (`RUN <<X` without its `X`). */
function appendsIntoHeredoc(ctx: RuleContext, stage: Stage, plan: RuntimePlan): boolean {
  const runs = stage.instructions.filter((i) => i.run);
  const after = [stage.instructions[stage.instructions.length - 1] ?? stage.from];
  if (plan.recipe.prune && runs.length) after.push(runs[runs.length - 1]);
  return after.some((i) => opensUnclosedHeredoc(ctx.dockerfile, i));
}
