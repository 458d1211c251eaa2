// Checkstyle XML, read by Jenkins (warnings-ng), reviewdog (-f=checkstyle) and
// most CI report viewers. One <file> per checked file that has findings.

import type { Severity } from '../rules/rule';
import type { Formatter } from './types';
import { ciPath } from './paths';

const SEVERITY: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'info', hint: 'info' };

/** An attribute value: markup characters escaped, characters XML 1.0 forbids dropped. */
export function escapeXml(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

export const checkstyle: Formatter = (files, ctx) => {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<checkstyle version="4.3">'];
  for (const f of files) {
    if (!f.findings.length) continue;
    out.push(`  <file name="${escapeXml(ciPath(f, ctx))}">`);
    for (const x of f.findings) {
      out.push(
        `    <error line="${x.range.start.line + 1}" column="${x.range.start.character + 1}" severity="${SEVERITY[x.severity]}" message="${escapeXml(x.message)}" source="cachelens.${escapeXml(x.rule)}"/>`,
      );
    }
    out.push('  </file>');
  }
  out.push('</checkstyle>');
  return out.join('\n');
};
