import { defineRule, type Fix, type FileEdit, type RuleContext } from './rule';
import type { Instruction } from '../parse/dockerfile';
import type { SimpleCommand } from '../parse/shell';
import { resolvePath } from '../cache/analysis';
import { describeCopy, destDir, isLocalCopy, isWholeContext, sourcePath } from '../cache/copies';
import { shortText } from '../cache/text';
import { pathsOverlap } from '../cache/mounts';
import {
  buildkitSyntax,
  insertAboveEdit,
  insertBeforeArgsEdit,
  leadingComments,
  removeInstructionEdit,
} from './util/edits';

interface PermissionChange {
  command: SimpleCommand;
  kind: 'chown' | 'chmod';
  recursive: boolean;
  /** the owner or mode */
  value: string;
  path: string;
}

// Commands that may share the RUN with the permission change: they set up users and folders, not the copied files.
// (`mkdir` is not one: a folder made under the destination needs the recursive change for itself)
const USER_SETUP = new Set(['useradd', 'adduser', 'groupadd', 'addgroup', 'usermod', 'echo', 'true', 'id']);

// Folders that hold single executables: a COPY --from to a path here copies a file.
const BIN_DIRS = new Set(['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin']);

// Steps between the COPY and the RUN that cannot change what the COPY brought.
const NEUTRAL = new Set([
  'ENV',
  'ARG',
  'LABEL',
  'EXPOSE',
  'USER',
  'WORKDIR',
  'HEALTHCHECK',
  'CMD',
  'ENTRYPOINT',
  'STOPSIGNAL',
  'MAINTAINER',
]);

export default defineRule({
  id: 'CL204',
  name: 'permission-change-layer',
  title: 'chown/chmod layer duplicates copied files',
  defaultSeverity: 'warning',
  docs: {
    what: 'Finds a `RUN chown -R` / `chmod -R` (or a `chmod` of a copied file) that changes the owner or mode of what a `COPY` just brought in.',
    why: 'Changing metadata copies every affected file into a new layer: the image carries the files twice, and every push and pull moves them twice. `COPY --chown` / `--chmod` sets them while copying, in the same layer.',
    example: ['FROM node:20', 'COPY . /app', 'RUN chown -R node:node /app', 'USER node'].join('\n'),
    useInstead: ['FROM node:20', 'COPY --chown=node:node . /app', 'USER node'].join('\n'),
    references: ['https://docs.docker.com/reference/dockerfile/#copy---chown---chmod'],
  },
  check(ctx) {
    for (const stage of ctx.dockerfile.stages) {
      for (const run of stage.instructions.filter((i) => i.run && !i.run.execForm)) {
        // user management beside the change (`useradd app && chown -R app /app`): reported, but COPY --chown
        // needs the user before the COPY, so no fix here
        const others = run.run!.commands.filter((c) => c.argv[0] !== 'chown' && c.argv[0] !== 'chmod');
        const withUserSetup = others.length > 0;
        if (others.some((c) => !USER_SETUP.has(c.argv[0] ?? ''))) continue;
        const changes = run
          .run!.commands.filter((c) => !others.includes(c))
          .map((c) => permissionChange(c, ctx.cache.info(run).workdir));
        if (!changes.length || changes.some((c) => !c)) continue;
        const copy = [...stage.instructions]
          .reverse()
          .find((i) => i.index < run.index && isFileCopy(i) && changes.every((c) => brought(ctx, i, c!)));
        if (!copy) continue;
        const list = changes as PermissionChange[];
        const flags = list.map((c) => `--${c.kind}=${c.value}`).join(' ');
        const dest = destDir(ctx.cache, copy);
        const copies = stage.instructions.filter(
          (i) => i.index < run.index && isFileCopy(i) && pathsOverlap(destDir(ctx.cache, i), dest),
        ).length;
        const what =
          copies > 1
            ? `what ${copies} COPY steps put in \`${dest}\` (the last on line ${copy.range.start.line + 1})`
            : `${ctx.context && isLocalCopy(copy) ? `the ${describeCopy(copy, ctx.context).words} that` : 'what'} \`${shortText(copy)}\` (line ${copy.range.start.line + 1}) brought in`;
        ctx.report({
          message: withUserSetup
            ? `\`${shortText(run)}\` rewrites ${what} into a second layer. Create the user before the COPY, then use \`COPY ${flags}\`${copies > 1 ? ' on them' : ''} and drop the ${list.map((c) => c.kind).join('/')}.`
            : `\`${shortText(run)}\` rewrites ${what} into a second layer. Use \`COPY ${flags}\`${copies > 1 ? ' on them' : ''} and drop this RUN.`,
          range: run.range,
          related: [{ path: ctx.path, range: copy.range, message: 'brings in the files the RUN changes' }],
          fixes: withUserSetup ? [] : () => copyFlagsFix(ctx, copy, run, list),
        });
      }
    }
  },
});

/** A COPY/ADD of files from the context or another stage (not a download, not a heredoc): it takes --chown/--chmod. */
function isFileCopy(ins: Instruction): boolean {
  return !!ins.copy && !ins.copy.heredoc && (isLocalCopy(ins) || ins.copy.from !== undefined);
}

function permissionChange(command: SimpleCommand, workdir: string): PermissionChange | undefined {
  const [tool, ...rest] = command.argv;
  if (tool !== 'chown' && tool !== 'chmod') return undefined;
  const flags = rest.filter((w) => w.startsWith('-'));
  const words = rest.filter((w) => !w.startsWith('-'));
  if (
    flags.some((f) => !['-R', '--recursive'].includes(f)) ||
    words.length !== 2 ||
    words.some((w) => w.includes('$') || /[*?[]/.test(w))
  )
    return undefined;
  return { command, kind: tool, recursive: flags.length > 0, value: words[0], path: resolvePath(workdir, words[1]) };
}

/** The change covers exactly what the COPY laid down: its destination directory (recursively) or the single file it copied. */
function brought(ctx: RuleContext, copy: Instruction, change: PermissionChange): boolean {
  const dest = destDir(ctx.cache, copy);
  if (change.path !== dest) return false;
  return change.recursive || isSingleFileCopy(ctx, copy);
}

/** A COPY of one file to a file path: a chmod of that path changes only what it brought. */
function isSingleFileCopy(ctx: RuleContext, copy: Instruction): boolean {
  const { sources, dest } = copy.copy!;
  if (sources.length !== 1 || !dest || dest.value.endsWith('/')) return false;
  const src = sources[0].value;
  if (/[*?[$]/.test(src) || src.endsWith('/') || isWholeContext(src)) return false;
  const context = ctx.context;
  // from another stage the context cannot say: a name with an extension, or an executable laid in a bin folder under its own name
  if (copy.copy!.from !== undefined) {
    const target = destDir(ctx.cache, copy);
    const parent = target.slice(0, target.lastIndexOf('/')) || '/';
    return /\.[A-Za-z0-9]+$/.test(src) || (BIN_DIRS.has(parent) && target.split('/').pop() === src.split('/').pop());
  }
  return context ? context.allFiles.some((f) => f.path === sourcePath(src)) : /\.[A-Za-z0-9]+$/.test(src);
}

function copyFlagsFix(ctx: RuleContext, copy: Instruction, run: Instruction, changes: PermissionChange[]): Fix[] {
  const model = ctx.dockerfile;
  const stage = copy.stage!;
  if (stage.parent) return [];
  if (changes.some((c) => (c.kind === 'chown' ? copy.copy!.chown : copy.copy!.chmod) !== undefined)) return [];
  // the COPY --chown user must exist when the COPY runs; nothing between may touch the files
  const between = stage.instructions.filter((i) => i.index > copy.index && i.index < run.index);
  if (between.some((i) => !NEUTRAL.has(i.keyword))) return [];
  if (changes.some((c) => c.kind === 'chown' && !/^[^:]+:[^:]+$/.test(c.value))) return [];
  // with --link only numeric owners resolve (moby/buildkit#2987)
  if (copy.copy!.link && changes.some((c) => c.kind === 'chown' && !/^\d+:\d+$/.test(c.value))) return [];
  if (changes.some((c) => c.kind === 'chmod' && !/^[0-7]{3,4}$/.test(c.value))) return [];
  const dest = destDir(ctx.cache, copy);
  // something else already lives under the destination: the recursive change covered it too
  const earlier = stage.instructions.filter((i) => i.index < copy.index);
  if (
    earlier.some(
      (i) =>
        (i.copy && pathsOverlap(destDir(ctx.cache, i), dest)) ||
        (i.run && (isInside(ctx.cache.info(i).workdir, dest) || i.run.script.includes(dest))),
    )
  )
    return [];
  const edits: FileEdit[] = [];
  if (changes.some((c) => c.kind === 'chmod')) {
    const syntax = buildkitSyntax(model, ctx.path, 3);
    if (!syntax.ok) return [];
    edits.push(...syntax.edits);
  }
  edits.push(insertBeforeArgsEdit(ctx.path, copy, changes.map((c) => `--${c.kind}=${c.value} `).join(''))!);
  // COPY leaves an existing destination directory's own owner and mode alone: keep that part, without -R
  const existed = earlier.some(
    (i) => i.keyword === 'WORKDIR' && isInside(ctx.cache.info(i).workdir, dest) && ctx.cache.info(i).workdir !== '/',
  );
  if (existed && changes.some((c) => c.recursive)) {
    edits.push({
      path: ctx.path,
      range: run.range,
      newText: `RUN ${changes.map((c) => `${c.kind} ${c.value} ${c.path}`).join(' && ')}`,
    });
  } else {
    edits.push(removeInstructionEdit(model, ctx.path, run));
    const comments = leadingComments(model, run);
    if (comments.length) edits.push(insertAboveEdit(model, ctx.path, copy, comments));
  }
  const flags = changes.map((c) => `--${c.kind}`).join('/');
  return [{ title: `Use COPY ${flags} instead of a separate RUN`, safe: true, isPreferred: true, edits }];
}

/** `inner` is `outer` or below it. */
function isInside(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer.replace(/\/+$/, '') + '/');
}
