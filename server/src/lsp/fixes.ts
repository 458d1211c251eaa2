// Quick fixes stay in the server. A published diagnostic carries only where
// its finding is kept: the publish (one counter for the server's whole life)
// and the finding's place in it. The findings are kept, not their fixes: a
// finding's fixes are computed when first read, which is when the code-action
// request hands the diagnostic back, not on every keystroke's publish. They
// apply only while the document is still at the version that publish
// analysed, so a fix computed for an older text is never applied to a newer
// one. The last few publishes of a file are kept: an ignore file is
// republished by each Dockerfile that uses it, and a client may ask with the
// diagnostics of the one before the last. That republish, after every analysis
// of each Dockerfile the ignore file serves, is left out when nothing changed
// (publishIfChanged): a keystroke in a Dockerfile sent its .dockerignore's same
// diagnostics again. The client still shows the last ones, and their fixes
// still apply: the file's version did not change and they are the same fixes.

import type { Diagnostic } from 'vscode-languageserver/node';
import type { Finding, Fix } from '../rules/rule';
import { toDiagnostic, type DiagnosticData } from './convert';

/** publishes kept per file */
const KEPT = 4;

interface Published {
  publish: number;
  /** the document's version when it was analysed (null: not open in the editor) */
  version: number | null;
  findings: readonly Finding[];
  /** what was published, when the caller asked to leave out a publish that changes nothing (publishIfChanged) */
  key?: string;
}

export class FixStore {
  /** per file, newest first */
  private kept = new Map<string, Published[]>();
  private publishes = 0;

  /** A publish of these findings for `uri` (at the document's `version`): their diagnostics; the findings are kept here for their fixes. */
  publish(uri: string, version: number | null, findings: readonly Finding[], key?: string): Diagnostic[] {
    const publish = ++this.publishes;
    // the list as it is now: the caller may reuse its array
    const entry = { publish, version, findings: [...findings], key };
    this.kept.set(uri, [entry, ...(this.kept.get(uri) ?? []).slice(0, KEPT - 1)]);
    // every diagnostic names its finding: whether it has fixes is known only once they are read
    return findings.map((f, index) => toDiagnostic(f, { publish, index }));
  }

  /** As publish(), or undefined when the last publish for `uri` was of the same findings (with the same fixes) at the same version. */
  publishIfChanged(uri: string, version: number | null, findings: readonly Finding[]): Diagnostic[] | undefined {
    const key = JSON.stringify(
      findings.map((f) => [f.rule, f.severity, f.message, f.range, f.related, !!f.unnecessary, f.fixes]),
    );
    const last = this.kept.get(uri)?.[0];
    if (last && last.version === version && last.key === key) return undefined;
    return this.publish(uri, version, findings, key);
  }

  /** The fixes of a diagnostic handed back by the client; none when its publish is gone or the text changed since. */
  fixesOf(uri: string, data: unknown, currentVersion: number | null): Fix[] {
    const d = data as Partial<DiagnosticData> | undefined;
    if (typeof d?.publish !== 'number' || typeof d.index !== 'number') return [];
    const p = this.kept.get(uri)?.find((x) => x.publish === d.publish);
    if (!p || p.version !== currentVersion) return [];
    return p.findings[d.index]?.fixes ?? [];
  }

  /** The diagnostics of `uri` were cleared. */
  forget(uri: string): void {
    this.kept.delete(uri);
  }
}
