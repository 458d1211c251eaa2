// Findings that several Dockerfiles place in a file they share (an ignore
// file): one per rule and spot, merged by the rule when it knows how. Used by
// the CLI and the server, which gather a shared file's findings across
// Dockerfiles.

import type { Finding } from '../rules/rule';
import { ruleById } from '../rules/registry';

export function mergeSharedFindings(findings: readonly Finding[]): Finding[] {
  const groups = new Map<string, Finding[]>();
  const order: (Finding | string)[] = [];
  for (const f of findings) {
    if (!ruleById(f.rule)?.merge) {
      order.push(f);
      continue;
    }
    const key = `${f.rule}|${f.path}|${f.range.start.line}:${f.range.start.character}`;
    const group = groups.get(key);
    if (group) group.push(f);
    else {
      groups.set(key, [f]);
      order.push(key);
    }
  }
  return order.map((item) => {
    if (typeof item !== 'string') return item;
    const group = groups.get(item)!;
    if (group.length === 1) return group[0];
    try {
      return ruleById(group[0].rule)!.merge!(group);
    } catch {
      return group[0];
    }
  });
}
