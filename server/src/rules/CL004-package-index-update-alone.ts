import { defineRule, type Fix, type RuleContext } from './rule';
import { type Instruction, precedingInChain } from '../parse/dockerfile';
import { type SystemPackageManager, runsIndexUpdateScript, systemManagerFor } from '../ecosystems/system';
import { commandMatchesAny } from '../ecosystems/match';
import { shortText } from '../cache/text';
import { removeInstructionEdit, insertBeforeArgsEdit, insertAboveEdit, leadingComments } from './util/edits';
import { andSegments } from './util/reorder';

export default defineRule({
  id: 'CL004',
  name: 'package-index-update-alone',
  title: 'Package index update in a RUN of its own',
  defaultSeverity: 'warning',
  docs: {
    what: 'Finds `apt-get update` (or `apk update`, `dnf makecache`, `zypper refresh`) in a `RUN` of its own, ahead of the `RUN` that installs packages.',
    why: "The update's layer is cached on its own: it keeps the index from the day it was first built. When you later add a package to the install line, that step runs again against the stale index and fetches outdated versions, or fails with 404s because the mirror has moved on.",
    example: ['FROM debian:12', 'RUN apt-get update', 'RUN apt-get install -y curl'].join('\n'),
    useInstead: ['FROM debian:12', 'RUN apt-get update && apt-get install -y curl'].join('\n'),
    references: ['https://docs.docker.com/build/building/best-practices/#apt-get'],
  },
  check(ctx) {
    for (const stage of ctx.dockerfile.stages) {
      const runs = stage.instructions.filter((i) => i.run);
      for (const update of runs) {
        const commands = update.run!.commands;
        const manager = commands.length ? systemManagerFor(commands[0], (m) => m.indexUpdate) : undefined;
        // an install relying on the index another RUN fetched (not one of its own)
        if (!manager || !commands.every((c) => commandMatchesAny(manager.indexUpdate, c))) {
          reportBorrowedIndex(ctx, update);
          continue;
        }
        const install = runs.find(
          (r) => r.index > update.index && r.run!.commands.some((c) => commandMatchesAny(manager.usesIndex, c)),
        );
        // an install RUN that refreshes the index itself does not suffer from the stale layer
        if (
          !install ||
          install.run!.commands.some((c) => commandMatchesAny(manager.indexUpdate, c)) ||
          runsIndexUpdateScript(install.run!.commands, manager)
        )
          continue;
        const line = install.range.start.line + 1;
        ctx.report({
          message: `\`${shortText(update)}\` is cached on its own, so \`${shortText(install, 40)}\` (line ${line}) reads a stale package index whenever it re-runs. Update in the same RUN as the install.`,
          range: update.range,
          related: [{ path: ctx.path, range: install.range, message: 'reads the package index' }],
          fixes: () => mergeFix(ctx, update, install, manager),
        });
      }
    }
  },
});

function mergeFix(ctx: RuleContext, update: Instruction, install: Instruction, manager: SystemPackageManager): Fix[] {
  const model = ctx.dockerfile;
  if (
    update.run!.execForm ||
    install.run!.execForm ||
    !update.args.length ||
    /^<</.test(update.args[0].value) ||
    /^<</.test(install.args[0]?.value ?? '<<')
  )
    return [];
  // mounts of the update must already be on the install RUN, and both must reach the network alike
  const flagsOf = (i: Instruction) => i.flags.map((f) => model.lines.slice(f.range));
  const installFlags = new Set(flagsOf(install));
  if (!flagsOf(update).every((f) => installFlags.has(f))) return [];
  const network = (i: Instruction) =>
    flagsOf(i)
      .filter((f) => /^--network=/.test(f))
      .join();
  if (network(update) !== network(install)) return [];
  // prefixing `update &&` keeps the meaning only for a plain && chain: with ; or || a failed update would no longer fail the step
  if (!andSegments(model, install)) return [];
  const escapeChar = model.directives.escape.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  const updateText = model.lines
    .slice({ start: update.args[0].range.start, end: update.range.end })
    .replace(new RegExp(`\\s*${escapeChar}\\r?\\n\\s*`, 'g'), ' ')
    .trim();
  // plain words only: a `#` comment or shell syntax would swallow or change the install it is joined to
  if (!/^[\w ./:=@+-]+$/.test(updateText) || !manager.indexUpdate.length) return [];
  const insert = insertBeforeArgsEdit(ctx.path, install, `${updateText} && `);
  if (!insert) return [];
  const edits = [removeInstructionEdit(model, ctx.path, update), insert];
  const comments = leadingComments(model, update);
  if (comments.length) edits.push(insertAboveEdit(model, ctx.path, install, comments));
  return [{ title: 'Merge the index update into the install RUN', safe: true, isPreferred: true, edits }];
}

/**
 * A RUN that installs from the package index without refreshing it, relying on the index an earlier RUN
 * (which also did other work) fetched: when this step re-runs because its text changed, it reads that
 * cached, possibly stale index. An earlier RUN that only updates is the plain case, reported there.
 */
function reportBorrowedIndex(ctx: RuleContext, run: Instruction): void {
  const commands = run.run!.commands;
  const use = commands.find((c) => systemManagerFor(c, (m) => m.usesIndex));
  if (!use) return;
  const manager = systemManagerFor(use, (m) => m.usesIndex)!;
  if (commands.some((c) => commandMatchesAny(manager.indexUpdate, c)) || runsIndexUpdateScript(commands, manager))
    return;
  // the index lives in a cache mount shared by the RUNs, not in the earlier layer
  if (
    run.run!.mounts.some(
      (m) =>
        m.type === 'cache' &&
        manager.cacheMounts?.some(
          (c) =>
            c.target === '/var/lib/apt' &&
            /^\/var\/lib\/apt(\/lists)?\/?$/.test(m.options.target ?? m.options.dst ?? m.options.destination ?? ''),
        ),
    )
  )
    return;
  const earlier = precedingInChain(run).filter((i) => i.run);
  const source = [...earlier]
    .reverse()
    .find((i) => i.run!.commands.some((c) => commandMatchesAny(manager.indexUpdate, c)));
  if (!source) return;
  const sourceCommands = source.run!.commands;
  // the update-alone RUN is reported on its own; an index deleted afterwards cannot be relied on (the install fails instead)
  if (sourceCommands.every((c) => commandMatchesAny(manager.indexUpdate, c))) return;
  const updateIndex = sourceCommands.findIndex((c) => commandMatchesAny(manager.indexUpdate, c));
  if (
    manager.indexRemoved &&
    earlier.slice(earlier.indexOf(source)).some((i) => manager.indexRemoved!.test(i.run!.script))
  )
    return;
  const updateCommand = sourceCommands[updateIndex];
  const updateText = updateCommand.argv.join(' ');
  const line = source.range.start.line + 1;
  ctx.report({
    message: `\`${shortText(run, 40)}\` installs from the package index that line ${line} fetched in another RUN: when this step re-runs, it reads that cached, possibly stale index. Refresh it in the same RUN (\`${updateText} && …\`).`,
    range: run.range,
    related: [{ path: ctx.path, range: source.range, message: 'fetched the package index' }],
    fixes: () => prefixUpdateFix(ctx, run, updateText),
  });
}

function prefixUpdateFix(ctx: RuleContext, run: Instruction, updateText: string): Fix[] {
  const model = ctx.dockerfile;
  if (run.run!.execForm || !run.args.length || /^<</.test(run.args[0].value) || !andSegments(model, run)) return [];
  // a plain update command only (`apk add --update x` is not one)
  if (!/^[\w ./:=@+-]+$/.test(updateText) || /\s(add|install|upgrade)\s/.test(` ${updateText} `)) return [];
  const insert = insertBeforeArgsEdit(ctx.path, run, `${updateText} && `);
  return insert
    ? [{ title: 'Refresh the package index in this RUN', safe: true, isPreferred: true, edits: [insert] }]
    : [];
}
