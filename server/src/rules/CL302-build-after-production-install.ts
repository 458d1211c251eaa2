import { defineRule, type Fix, type FileEdit, type RuleContext } from './rule';
import { type Instruction, precedingInChain } from '../parse/dockerfile';
import type { SimpleCommand } from '../parse/shell';
import type { InstallStep } from '../ecosystems/match';
import type { Ecosystem } from '../ecosystems/table';
import { commandText } from '../cache/text';
import { buildEcosystemsOf } from '../cache/builds';
import { envSetting } from '../cache/mounts';
import { commandRange, insertAfterEdit, opensUnclosedHeredoc } from './util/edits';

interface ProductionInstall {
  run: Instruction;
  install: InstallStep;
  /** argv indexes of the words that leave dev dependencies out */
  flagWords: number[];
  /** dev dependencies are left out by an env setting (NODE_ENV=production) */
  byEnv: boolean;
}

export default defineRule({
  id: 'CL302',
  name: 'build-after-production-install',
  title: 'Build after a production-only install',
  defaultSeverity: 'error',
  docs: {
    what: 'Finds a build step (`npm run build`, `tsc`, …) that runs after an install that left out dev dependencies (`npm ci --omit=dev`, `--only=production`, `NODE_ENV=production`).',
    why: 'Compilers, bundlers and type definitions are dev dependencies: the build fails, or silently builds with whatever happens to be installed globally. Install everything for the build, then prune to production dependencies for the image.',
    example: [
      'FROM node:20',
      'WORKDIR /app',
      'COPY package*.json ./',
      'RUN npm ci --only=production',
      'COPY . .',
      'RUN npm run build',
      'CMD ["node", "dist/server.js"]',
    ].join('\n'),
    useInstead: [
      'FROM node:20',
      'WORKDIR /app',
      'COPY package*.json ./',
      'RUN npm ci',
      'COPY . .',
      'RUN npm run build',
      'RUN npm prune --omit=dev',
      'CMD ["node", "dist/server.js"]',
    ].join('\n'),
    references: ['https://docs.npmjs.com/cli/commands/npm-ci#omit'],
  },
  check(ctx) {
    for (const stage of ctx.dockerfile.stages) {
      for (const run of stage.instructions.filter((i) => i.run)) {
        const commands = run.run!.commands;
        const at = commands.findIndex((c) => buildEcosystemsOf(c).some((e) => e.family));
        if (at < 0) continue;
        const build = commands[at];
        const family = buildEcosystemsOf(build)[0].family;
        const prod = lastInstall(ctx, run, at, family);
        if (!prod || (!prod.flagWords.length && !prod.byEnv)) continue;
        const devDeps = devDependencies(ctx);
        if (devDeps && !devDeps.length) continue;
        const named = devDeps ? ` (${devDeps.slice(0, 3).join(', ')}${devDeps.length > 3 ? ', …' : ''})` : '';
        const how = prod.flagWords.length
          ? `\`${commandText(prod.install)}\``
          : `\`${commandText(prod.install)}\` with NODE_ENV=production`;
        ctx.report({
          message: `\`${build.argv.join(' ')}\` runs after ${how} (line ${prod.run.range.start.line + 1}) left out the dev dependencies${named} a build needs. Install all dependencies for the build, then prune.`,
          range: run.range,
          related: [{ path: ctx.path, range: prod.run.range, message: 'installs production dependencies only' }],
          fixes: () => devInstallFix(ctx, run, prod),
        });
      }
    }
  },
});

/** The last install of the family before the build: in the chain, or earlier in the same RUN. */
function lastInstall(
  ctx: RuleContext,
  run: Instruction,
  buildAt: number,
  family: string | undefined,
): ProductionInstall | undefined {
  const chain = precedingInChain(run);
  let found: ProductionInstall | undefined;
  for (const ins of [...chain, run]) {
    for (const install of ctx.cache.info(ins).installs) {
      if (install.ecosystem.family !== family || !install.ecosystem.productionInstall) continue;
      if (ins === run && run.run!.commands.indexOf(install.command) > buildAt) continue;
      const before = ins === run ? chain : precedingInChain(ins);
      found = { run: ins, install, ...productionMarks(install.ecosystem, install.command, before) };
    }
  }
  return found;
}

function productionMarks(
  eco: Ecosystem,
  command: SimpleCommand,
  chain: Instruction[],
): { flagWords: number[]; byEnv: boolean } {
  const spec = eco.productionInstall!;
  const argv = command.argv;
  const flagWords: number[] = [];
  argv.forEach((w, i) => {
    for (const flag of spec.flags) {
      const [name, value] = flag.split(' ');
      if (value === undefined && w === name) flagWords.push(i);
      else if (value !== undefined && w === name && argv[i + 1] === value) flagWords.push(i, i + 1);
    }
  });
  const devBack = spec.includeDev !== undefined && argv.includes(spec.includeDev);
  const byEnv =
    !devBack && Object.entries(spec.env ?? {}).some(([name, value]) => envSetting(chain, command, name) === value);
  return { flagWords, byEnv };
}

/** devDependencies of the context's package.json; undefined when it cannot be read. */
function devDependencies(ctx: RuleContext): string[] | undefined {
  const text = ctx.context?.readText('package.json');
  if (!text) return undefined;
  try {
    const pkg = JSON.parse(text);
    return Object.keys(pkg?.devDependencies ?? {});
  } catch {
    return undefined;
  }
}

function devInstallFix(ctx: RuleContext, buildRun: Instruction, prod: ProductionInstall): Fix[] {
  const model = ctx.dockerfile;
  const eco = prod.install.ecosystem;
  const spec = eco.productionInstall!;
  const prune = eco.runtime?.prune;
  if (!prune || (prod.byEnv && !spec.includeDev)) return [];
  const argv = prod.install.command.argv;
  if (argv.some((w) => !/^[\w@./:=+,%-]+$/.test(w))) return [];
  const range = commandRange(model, prod.run, argv);
  if (!range) return [];
  const words = argv.filter((_, i) => !prod.flagWords.includes(i));
  if (prod.byEnv) words.push(spec.includeDev!);
  const edits: FileEdit[] = [{ path: ctx.path, range, newText: words.join(' ') }];
  const stage = buildRun.stage!;
  const pruneWords = prune.split(' ').slice(0, 2).join(' ');
  const pruned = stage.instructions.some((i) => i.index > buildRun.index && i.run?.script.includes(pruneWords));
  if (!pruned) {
    const runs = stage.instructions.filter((i) => i.run);
    // after a heredoc left open the prune would be part of its body: no fix
    if (opensUnclosedHeredoc(model, runs[runs.length - 1])) return [];
    edits.push(insertAfterEdit(model, ctx.path, runs[runs.length - 1], [`RUN ${prune}`]));
  }
  return [{ title: 'Install dev dependencies for the build, prune after it', safe: true, isPreferred: true, edits }];
}
