// Hover text: what goes into an instruction's cache key, what it matches in
// this build context, and how much rebuilds when it misses; on a finding, the
// rule's docs. Markdown, no LSP types.

import type { Position } from '../parse/text';
import { containsPosition } from '../parse/text';
import type { Instruction } from '../parse/dockerfile';
import type { LintResult } from './lint';
import { totalBytes, type ContextView } from '../context/view';
import { ruleById } from '../rules/registry';
import { describeCopy, isLocalCopy } from '../cache/copies';
import { formatBytes, formatCount, shortText, commandText } from '../cache/text';
import { renderRuleDocs } from './docs';
import { isAlwaysVolatile } from '../ecosystems/volatile';

export function hoverAt(result: LintResult, position: Position, given?: ContextView): string | undefined {
  // the rules' view: no counts in the hover either while sources are missing from the context (CL109)
  const context = result.context ?? given;
  // the cache-key explanation first: editors show the diagnostic's own message beside the hover already
  const parts: string[] = [];
  const ins = result.model.instructions.find((i) => containsPosition(i.range, position));
  if (ins) parts.push(explainInstruction(result, ins, context));
  const seen = new Set<string>();
  for (const f of result.findings) {
    if (!containsPosition(f.range, position) || seen.has(f.rule)) continue;
    seen.add(f.rule);
    const rule = ruleById(f.rule);
    if (rule) parts.push(`**${f.rule}** ${renderRuleDocs(rule, { short: true })}`);
  }
  return parts.length ? parts.join('\n\n---\n\n') : undefined;
}

export function explainInstruction(result: LintResult, ins: Instruction, context?: ContextView): string {
  const info = result.cache.info(ins);
  const rebuilt =
    info.invalidates === 0
      ? 'Nothing after it in this stage is rebuilt.'
      : `When it misses, **${info.invalidates} step${info.invalidates === 1 ? '' : 's'}** after it are rebuilt too.`;
  switch (ins.keyword) {
    case 'FROM':
      return [
        `**Cache key:** the base image \`${ins.stage?.image ?? ''}\` (its digest). Every step of the stage sits on it.`,
        contextSummary(context),
      ]
        .filter(Boolean)
        .join('\n\n');
    case 'COPY':
    case 'ADD':
      return explainCopy(ins, rebuilt, context);
    case 'RUN':
      return explainRun(ins, info, rebuilt);
    case 'ARG':
      return `**Cache key input:** a changed value misses the cache at its first use, and every later \`RUN\` in the stage uses it implicitly. ${rebuilt}`;
    case 'ENV':
      return `**Cache key:** the variable values; every later step sees them. ${rebuilt}`;
    default:
      return `**Cache key:** the instruction text \`${shortText(ins)}\` (image metadata only). ${rebuilt}`;
  }
}

function explainCopy(ins: Instruction, rebuilt: string, context?: ContextView): string {
  if (ins.copy?.from !== undefined)
    return `**Cache key:** the files this copies from \`${ins.copy.from}\` — it misses whenever that stage's output changes. ${rebuilt}`;
  if (ins.copy?.heredoc) return `**Cache key:** the inline text of this heredoc. ${rebuilt}`;
  if (!isLocalCopy(ins)) return `**Cache key:** the remote source's content (fetched on each build). ${rebuilt}`;
  const desc = describeCopy(ins, context);
  const lines = [
    `**Cache key:** the content and metadata (path, mode, owner — not mtime) of every file it matches after the ignore file: ${desc.words}. Any edit to one of them misses the cache here. ${rebuilt}`,
  ];
  if (desc.files?.length && !context?.uncertain) {
    const top = topFolders(desc.files);
    if (top.length)
      lines.push(
        'Largest folders: ' +
          top
            .map(
              ([d, n]) => `\`${d}\` ${formatCount(n.files)} file${n.files === 1 ? '' : 's'} (${formatBytes(n.bytes)})`,
            )
            .join(', '),
      );
    const volatile = [
      ...new Set(
        desc.files
          .filter((f) => isAlwaysVolatile(f.path) || f.path.split('/').includes('node_modules'))
          .map((f) => f.path.split('/').slice(0, 2).join('/')),
      ),
    ].slice(0, 5);
    if (volatile.length)
      lines.push(
        `Volatile paths in it: ${volatile.map((v) => `\`${v}\``).join(', ')} — exclude them in the ignore file.`,
      );
  }
  return lines.join('\n\n');
}

function explainRun(ins: Instruction, info: ReturnType<LintResult['cache']['info']>, rebuilt: string): string {
  const args = info.argsInScope.length
    ? `, the ARGs in scope (${info.argsInScope.map((a) => `\`${a}\``).join(', ')})`
    : '';
  const mounts = ins.run?.mounts.length ? ` and its \`--mount\` options (cache mount contents are not part of it)` : '';
  const installs = info.installs.length
    ? `\n\nInstalls dependencies: ${info.installs.map((i) => `\`${commandText(i)}\` (${i.ecosystem.name}, reads ${[...i.manifests].map((m) => `\`${m}\``).join(', ') || 'its manifests'})`).join('; ')}.`
    : '';
  return `**Cache key:** the command text${args}${mounts} — not the files it reads nor what it downloads. It misses when an earlier step missed or the text changes. ${rebuilt}${installs}`;
}

function topFolders(files: readonly { path: string; size: number }[]): [string, { files: number; bytes: number }][] {
  const dirs = new Map<string, { files: number; bytes: number }>();
  for (const f of files) {
    const slash = f.path.indexOf('/');
    if (slash < 0) continue;
    const d = f.path.slice(0, slash + 1);
    const e = dirs.get(d) ?? { files: 0, bytes: 0 };
    e.files++;
    e.bytes += f.size;
    dirs.set(d, e);
  }
  return [...dirs].sort((a, b) => b[1].files - a[1].files).slice(0, 3);
}

/** "context: `./`, 1,204 files, 3.1 MB, ignore file `.dockerignore`" with the reason. */
export function contextSummary(context?: ContextView, relativeTo?: (abs: string) => string): string {
  if (!context) return 'Build context: unknown (no folder to read), so file counts are not shown.';
  const rel = relativeTo ?? ((p: string) => p);
  const bytes = totalBytes(context.files);
  const ignore = context.ignore ? `ignore file \`${rel(context.ignore.path)}\`` : 'no ignore file';
  const truncated = context.truncated ? ` (listing incomplete: ${context.truncated})` : '';
  return `Build context: \`${rel(context.dir) || '.'}\`, ${formatCount(context.files.length)} files, ${formatBytes(bytes)}, ${ignore} — ${context.reason}${truncated}.`;
}
