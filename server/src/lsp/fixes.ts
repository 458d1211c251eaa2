// Quick fixes stay in the server. A published diagnostic carries only the
// titles of its fixes and where they are kept: the publish (one counter for
// the server's whole life) and the finding's place in it. The code-action
// request hands the diagnostic back; its fixes apply only while the document
// is still at the version that publish analysed, so a fix computed for an
// older text is never applied to a newer one. The last few publishes of a file
// are kept: an ignore file is republished by each Dockerfile that uses it, and
// a client may ask with the diagnostics of the one before the last. Every keystroke's publish is
// then a few hundred bytes lighter (edits and their texts stay here).

import type { Diagnostic } from 'vscode-languageserver/node';
import type { Finding, Fix } from '../rules/rule';
import { toDiagnostic, type DiagnosticData } from './convert';

/** publishes kept per file */
const KEPT = 4;

interface Published {
  publish: number;
  /** the document's version when it was analysed (null: not open in the editor) */
  version: number | null;
  fixes: Fix[][];
}

export class FixStore {
  /** per file, newest first */
  private kept = new Map<string, Published[]>();
  private publishes = 0;

  /** A publish of these findings for `uri` (at the document's `version`): their diagnostics, whose fixes are kept here. */
  publish(uri: string, version: number | null, findings: readonly Finding[]): Diagnostic[] {
    const publish = ++this.publishes;
    const entry = { publish, version, fixes: findings.map((f) => f.fixes) };
    this.kept.set(uri, [entry, ...(this.kept.get(uri) ?? []).slice(0, KEPT - 1)]);
    return findings.map((f, index) => {
      const data: DiagnosticData | undefined = f.fixes.length
        ? { fixes: f.fixes.map((x) => ({ title: x.title })), publish, index }
        : undefined;
      return toDiagnostic(f, data);
    });
  }

  /** The fixes of a diagnostic handed back by the client; none when its publish is gone or the text changed since. */
  fixesOf(uri: string, data: unknown, currentVersion: number | null): Fix[] {
    const d = data as Partial<DiagnosticData> | undefined;
    if (typeof d?.publish !== 'number' || typeof d.index !== 'number') return [];
    const p = this.kept.get(uri)?.find((x) => x.publish === d.publish);
    if (!p || p.version !== currentVersion) return [];
    return p.fixes[d.index] ?? [];
  }

  /** The diagnostics of `uri` were cleared. */
  forget(uri: string): void {
    this.kept.delete(uri);
  }
}
