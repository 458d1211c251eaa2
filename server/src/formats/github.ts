// GitHub Actions workflow commands: one annotation per finding, shown on the
// pull request's diff. https://docs.github.com/actions/reference/workflow-commands-for-github-actions
//   ::warning file=Dockerfile,line=3,col=1,endLine=3,endColumn=9,title=CL001::message

import type { Severity } from '../rules/rule';
import type { Formatter } from './types';
import { ciPath } from './paths';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

/** The message part of a workflow command: %, CR and LF are escaped (as @actions/core's escapeData). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: additionally `:` and `,` (as @actions/core's escapeProperty). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export const github: Formatter = (files, ctx) => {
  const lines: string[] = [];
  for (const f of files) {
    const file = ciPath(f, ctx);
    for (const x of f.findings) {
      const props = [
        `file=${escapeProperty(file)}`,
        `line=${x.range.start.line + 1}`,
        `col=${x.range.start.character + 1}`,
        `endLine=${x.range.end.line + 1}`,
        `endColumn=${x.range.end.character + 1}`,
        `title=${escapeProperty(x.rule)}`,
      ];
      lines.push(`::${COMMAND[x.severity]} ${props.join(',')}::${escapeData(x.message)}`);
    }
  }
  return lines.join('\n');
};
