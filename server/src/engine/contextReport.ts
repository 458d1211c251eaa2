// The build-context report (the editor's "Show build context") and the status
// bar label of a Dockerfile: which contexts it is built with, why, what they
// hold and which ignore file applies. Markdown and plain strings, no LSP types.

import * as path from 'node:path';
import { contextSummary } from './hover';
import type { Analysis, Workspace } from './workspace';
import type { ResolvedContext } from '../context/resolve';

/** The markdown report of a Dockerfile's analysis: one section per build context, then resolution problems. */
export function contextReport(file: string, analysis: Analysis, ws: Workspace | undefined): string {
  const rel = (p: string) => (ws ? path.relative(ws.root, p) || '.' : p);
  const lines = [`# Build context of ${rel(file)}`, ''];
  if (!analysis.contexts.length) lines.push(contextSummary(undefined));
  for (const c of analysis.contexts) {
    const view = ws?.view(c);
    lines.push(
      `## ${rel(c.contextDir)} (${c.reason})`,
      '',
      contextSummary(view, rel),
      '',
      `Ignore file: ${c.ignoreFile ? rel(c.ignoreFile) : 'none'} — ${c.ignoreReason}`,
      '',
    );
  }
  for (const p of analysis.problems) lines.push(`- problem in ${rel(p.file)}: ${p.message}`);
  return lines.join('\n');
}

export interface ContextLabel {
  label: string;
  tooltip: string;
}

/** The status bar item of a Dockerfile: its (first) build context, as resolved (no walk, no lint). */
export function contextLabel(root: string, contexts: ResolvedContext[]): ContextLabel {
  const rel = (p: string) => path.relative(root, p).split(path.sep).join('/') || '.';
  const c = contexts[0];
  if (!c)
    return {
      label: 'no build context',
      tooltip: 'cachelens: no build context could be resolved for this Dockerfile',
    };
  const more = contexts.length > 1 ? ` +${contexts.length - 1}` : '';
  return {
    label: `context ${rel(c.contextDir)}${more}`,
    tooltip: `Build context: ${rel(c.contextDir)} (${c.reason})\nIgnore file: ${c.ignoreFile ? rel(c.ignoreFile) : 'none'}\nClick: Show build context`,
  };
}
