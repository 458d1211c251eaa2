import { defineRule, type Fix, type RuleContext } from './rule';
import { precedingInChain, type Instruction, type Stage } from '../parse/dockerfile';
import { buildkitSyntax, insertBeforeArgsEdit } from './util/edits';
import { baseImage, rootStage } from '../cache/images';
import { destDir, isLocalCopy } from '../cache/copies';
import { shortText } from '../cache/text';

export default defineRule({
  id: 'CL304',
  name: 'cross-stage-copy-without-link',
  title: 'COPY --from without --link',
  defaultSeverity: 'hint',
  docs: {
    what: 'Finds a `COPY --from` without `--link` in a stage whose base image tag moves often (none, `latest`, a major-only version like `node:20`) or that copies files from the build context before it.',
    why: 'Without `--link` a copied layer depends on every layer below it: a new base image or a changed earlier step redoes the copy and every step after it. With `--link` BuildKit keeps the layer and rebases it onto the new ones.',
    example: [
      'FROM golang:1.22 AS build',
      'RUN go build -o /out/app .',
      'FROM alpine:3',
      'COPY --from=build /out/app /app',
    ].join('\n'),
    useInstead: [
      '# syntax=docker/dockerfile:1',
      'FROM golang:1.22 AS build',
      'RUN go build -o /out/app .',
      'FROM alpine:3',
      'COPY --link --from=build /out/app /app',
    ].join('\n'),
    references: ['https://docs.docker.com/reference/dockerfile/#copy---link'],
  },
  check(ctx) {
    const syntax = buildkitSyntax(ctx.dockerfile, ctx.path, 4);
    if (!syntax.ok) return;
    for (const stage of ctx.dockerfile.stages) {
      for (const copy of stage.instructions.filter(
        (i) => i.copy?.from !== undefined && !i.copy.link && !i.flags.some((f) => f.name === 'link'),
      )) {
        const reason = whyBelowChanges(stage, copy);
        if (!reason) continue;
        ctx.report({
          message: `Without \`--link\`, this copy is redone whenever ${reason} changes, and so is everything after it. \`--link\` lets BuildKit reuse the copied layer.`,
          range: copy.range,
          fixes: () => linkFix(ctx, copy, syntax.edits),
        });
      }
    }
  },
});

/** What below the COPY changes often: a base tag that moves (none, `latest`, a major-only version), or files copied from the context above it. */
function whyBelowChanges(stage: Stage, copy: Instruction): string | undefined {
  const root = rootStage(stage);
  const image = baseImage(stage);
  const floating = root.image.toLowerCase() !== 'scratch' && !!image && !image.digest && tagMoves(image.tag);
  const local = stage.instructions.filter((i) => i.index < copy.index && isLocalCopy(i));
  const copied =
    local.length === 1 ? `\`${shortText(local[0])}\` above it` : `one of the ${local.length} local copies above it`;
  if (floating && local.length) return `the base image \`${root.image}\` or ${copied}`;
  if (floating) return `the base image \`${root.image}\``;
  if (local.length) return copied;
  return undefined;
}

/** A tag that upstream re-points at new builds often: none, `latest`-like, or without a minor version. */
function tagMoves(tag: string | undefined): boolean {
  if (!tag || /^(latest|lts|stable|current|edge|nightly|main|master)\b/i.test(tag)) return true;
  return !/\d+\.\d+/.test(tag);
}

function linkFix(ctx: RuleContext, copy: Instruction, syntaxEdits: Fix['edits']): Fix[] {
  // --link cannot read the user database of the layers below: only numeric ids and root resolve (moby/buildkit#2987)
  const chown = copy.copy!.chown;
  if (chown !== undefined && !/^(\d+|root)(:(\d+|root))?$/.test(chown)) return [];
  // --link cannot follow a symlink in the destination path (Dockerfile reference, COPY --link): on merged-/usr
  // images /bin, /sbin and /lib* are symlinks, and the layer's real directory would hide everything behind them
  const throughSymlink = MERGED_USR.has(destDir(ctx.cache, copy).split('/')[1] ?? '');
  const safe = !throughSymlink && destinationStaysRootOwned(ctx, copy);
  const title = safe
    ? 'Add --link'
    : throughSymlink
      ? 'Add --link (check that the destination path has no symlink: /bin and /lib are symlinks on merged-/usr images)'
      : 'Add --link (the destination directory may become root-owned)';
  const link = insertBeforeArgsEdit(ctx.path, copy, '--link ');
  if (!link) return []; // a COPY without arguments: nothing to insert before
  return [{ title, safe, isPreferred: safe, edits: [...syntaxEdits, link] }];
}

const MERGED_USR = new Set(['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32']);

// Base images keep these root-owned; others (/home, /var/www, …) often belong to a service user.
const SYSTEM_DIRS = new Set(['usr', 'bin', 'sbin', 'lib', 'lib64', 'opt', 'etc']);
const USER_DIRS = new Set(['home', 'var', 'root', 'run', 'tmp', 'data', 'config', 'srv']);

/**
 * With --link, directories of the destination path that already exist end up
 * owned by root (moby/buildkit#4964). Safe when they are system directories,
 * or directories the base image is unlikely to have that no earlier step made
 * as another user.
 */
function destinationStaysRootOwned(ctx: RuleContext, copy: Instruction): boolean {
  const top = destDir(ctx.cache, copy).split('/')[1] ?? '';
  if (SYSTEM_DIRS.has(top)) return true;
  if (!top || USER_DIRS.has(top)) return false;
  const stage = copy.stage!;
  const image = baseImage(stage)?.repository ?? '';
  if (/nonroot|rootless/i.test(image + (baseImage(stage)?.tag ?? ''))) return false;
  const earlier = precedingInChain(copy);
  return !earlier.some((i) => i.keyword === 'USER' || i.run?.script.includes('/' + top));
}
