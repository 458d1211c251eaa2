// What the open Dockerfiles place in ignore files (CL102…CL108 sit in the
// ignore file, not in the Dockerfile): kept per ignore file and per Dockerfile,
// so a Dockerfile's new analysis replaces only its own findings.

import type { Finding } from '../rules/rule';
import { mergeSharedFindings } from './merge';

export class IgnoreFindings {
  /** ignore path → Dockerfile path → findings */
  private byIgnore = new Map<string, Map<string, Finding[]>>();

  /** Replaces a Dockerfile's findings in ignore files; returns the ignore files whose findings changed. */
  record(dockerfile: string, findings: Finding[]): string[] {
    const touched = new Set<string>();
    for (const [ignore, byDockerfile] of this.byIgnore) if (byDockerfile.delete(dockerfile)) touched.add(ignore);
    for (const f of findings) {
      if (!this.byIgnore.has(f.path)) this.byIgnore.set(f.path, new Map());
      const m = this.byIgnore.get(f.path)!;
      m.set(dockerfile, [...(m.get(dockerfile) ?? []), f]);
      touched.add(f.path);
    }
    return [...touched];
  }

  /** The findings in an ignore file: duplicates dropped, one per rule and spot where the rule merges them (CL102). */
  of(ignore: string): Finding[] {
    const seen = new Set<string>();
    const out: Finding[] = [];
    for (const list of this.byIgnore.get(ignore)?.values() ?? []) {
      for (const f of list) {
        const key = `${f.rule}|${f.range.start.line}|${f.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(f);
      }
    }
    return mergeSharedFindings(out);
  }
}
