// GitLab Code Quality report (a subset of the Code Climate issue format):
// https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format
// The fingerprint identifies an issue across pipelines, so GitLab can say
// which are new: it hashes the rule, the path and the text of the flagged
// lines, not the line number nor the message (which counts files), so it stays
// put when unrelated lines move or the context grows. Identical texts in one
// file are told apart by their order.

import { createHash } from 'node:crypto';
import type { Severity } from '../rules/rule';
import type { Formatter } from './types';
import { absPath, ciPath } from './paths';

const SEVERITY: Record<Severity, string> = { error: 'critical', warning: 'major', info: 'minor', hint: 'info' };

export const gitlab: Formatter = (files, ctx) => {
  const issues: object[] = [];
  for (const f of files) {
    const file = ciPath(f, ctx);
    const lines = ctx.readText(absPath(f))?.split(/\r?\n/);
    const seen = new Map<string, number>();
    for (const x of f.findings) {
      const last =
        x.range.end.character === 0 && x.range.end.line > x.range.start.line ? x.range.end.line - 1 : x.range.end.line;
      const text = lines
        ? lines
            .slice(x.range.start.line, last + 1)
            .map((l) => l.trim())
            .join('\n')
        : `${x.range.start.line}`;
      const key = `${x.rule}\0${file}\0${text}`;
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      issues.push({
        type: 'issue',
        description: `${x.rule}: ${x.message}`,
        check_name: x.rule,
        fingerprint: createHash('sha256').update(`${key}\0${n}`).digest('hex').slice(0, 32),
        severity: SEVERITY[x.severity],
        categories: ['Performance'],
        location: { path: file, lines: { begin: x.range.start.line + 1, end: last + 1 } },
      });
    }
  }
  return JSON.stringify(issues, null, 2);
};
