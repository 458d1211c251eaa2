import { defineRule, type RuleContext } from './rule';
import { ancestry, findStage, type Instruction, type Stage } from '../parse/dockerfile';
import { resolvePath } from '../cache/analysis';
import { isLocalCopy, isWholeContext, isWithin } from '../cache/copies';
import { findBuild, outputsOf } from '../cache/builds';
import { startCommands, isPathWord } from '../cache/stages';

export default defineRule({
  id: 'CL303',
  name: 'copy-whole-stage',
  title: 'Final stage copies a whole build stage',
  defaultSeverity: 'hint',
  docs: {
    what: 'Finds a `COPY --from=<stage>` into the final stage that takes the whole stage (`/`) or its whole working directory, when that stage holds the sources.',
    why: 'The point of a build stage is that sources, toolchains and dev dependencies stay behind. Copying the whole directory brings them into the image anyway, and any source edit changes the copied layer.',
    example: [
      'FROM node:20 AS build',
      'WORKDIR /app',
      'COPY . .',
      'RUN npm ci && npm run build',
      'FROM node:20-slim',
      'COPY --from=build /app /app',
      'CMD ["node", "/app/dist/server.js"]',
    ].join('\n'),
    useInstead: [
      'FROM node:20 AS build',
      'WORKDIR /app',
      'COPY . .',
      'RUN npm ci && npm run build',
      'FROM node:20-slim',
      'COPY --from=build /app/dist /app/dist',
      'COPY --from=build /app/node_modules /app/node_modules',
      'CMD ["node", "/app/dist/server.js"]',
    ].join('\n'),
    references: ['https://docs.docker.com/build/building/multi-stage/'],
  },
  check(ctx) {
    const stages = ctx.dockerfile.stages;
    const final = stages[stages.length - 1];
    if (!final) return;
    for (const copy of final.instructions.filter((i) => i.copy?.from !== undefined)) {
      const source = findStage(stages, copy.copy!.from);
      if (!source || source === final) continue;
      const workdir = workdirAtEnd(ctx, source);
      const whole = copy.copy!.sources.find((s) => {
        const path = resolvePath('/', s.value);
        return path === '/' || (workdir !== '/' && path === workdir);
      });
      // interpreted apps run from their sources: only a stage that builds something has a smaller output to copy
      if (!whole || !holdsSources(source) || ![source, ...ancestry(source)].some((s) => findBuild(s))) continue;
      const name = source.name ?? String(source.index);
      const artifacts = artifactHint(ctx, source, final);
      ctx.report({
        message: `\`COPY --from=${name} ${whole.value}\` brings the whole ${whole.value === '/' || resolvePath('/', whole.value) === '/' ? 'stage' : 'working directory'} of \`${name}\` — sources and build tools included — into the final image.${artifacts ? ` Copy only what runs: ${artifacts}.` : ' Copy only the build output.'}`,
        range: copy.range,
      });
    }
  },
});

function workdirAtEnd(ctx: RuleContext, stage: Stage): string {
  const last = stage.instructions[stage.instructions.length - 1];
  return last ? ctx.cache.info(last).workdir : '/';
}

/** The stage (or one it builds on) copies in the whole build context. */
function holdsSources(stage: Stage): boolean {
  return [stage, ...ancestry(stage)].some((s) =>
    s.instructions.some((i: Instruction) => isLocalCopy(i) && i.copy!.sources.some((src) => isWholeContext(src.value))),
  );
}

/** The artifact paths the source stage's build produces, preferring the ones the final stage runs. */
function artifactHint(ctx: RuleContext, source: Stage, final: Stage): string | undefined {
  const site = findBuild(source);
  const recipe = site?.ecosystem.runtime;
  if (!site || !recipe) return undefined;
  const buildDir = ctx.cache.info(site.run).workdir;
  const outputs = outputsOf(recipe, site.command, buildDir);
  if (!outputs?.length) return undefined;
  const last = final.instructions[final.instructions.length - 1];
  const runWorkdir = last ? ctx.cache.info(last).workdir : '/';
  const started = startCommands(final)
    .flatMap((s) => s.words.filter(isPathWord))
    .map((w) => resolvePath(runWorkdir, w));
  const used = outputs.filter((o) => started.some((p) => isWithin(p, o)));
  const picked = used.length ? used : outputs.length === 1 ? outputs : [];
  if (!picked.length) return `one of ${outputs.map((o) => `\`${o}\``).join(', ')}`;
  const extra = (recipe.alsoCopy ?? []).map((a) => resolvePath(buildDir, a));
  return [...picked, ...extra].map((p) => `\`${p}\``).join(', ');
}
