// Findings and fixes into LSP shapes. A diagnostic's data names its finding,
// which the server keeps with its fixes (lsp/fixes.ts), so the code-action
// handler needs no per-rule code.
import {
  type Diagnostic,
  DiagnosticSeverity,
  DiagnosticTag,
  type CodeAction,
  CodeActionKind,
  type WorkspaceEdit,
  type TextEdit,
  CreateFile,
  TextDocumentEdit,
  OptionalVersionedTextDocumentIdentifier,
} from 'vscode-languageserver/node';
import { URI } from './uri';
import type { Finding, Fix, Severity } from '../rules/rule';
import { ruleById } from '../rules/registry';
import { ruleDocsUrl } from '../engine/docs';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What a diagnostic's `data` holds: where the server keeps its finding, whose fixes the code actions offer (lsp/fixes.ts). */
export interface DiagnosticData {
  /** the publish that carried the diagnostic */
  publish: number;
  /** the finding's place in that publish */
  index: number;
}

/** `data`: where the server keeps the finding, for its fixes (FixStore) */
export function toDiagnostic(f: Finding, data?: DiagnosticData): Diagnostic {
  const rule = ruleById(f.rule);
  return {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.rule,
    codeDescription: rule ? { href: ruleDocsUrl(rule) } : undefined,
    source: 'cachelens',
    message: f.message,
    tags: f.unnecessary ? [DiagnosticTag.Unnecessary] : undefined,
    relatedInformation: f.related.map((r) => ({
      location: { uri: URI.fromPath(r.path), range: r.range },
      message: r.message,
    })),
    data,
  };
}

export function toWorkspaceEdit(fix: Fix, versionOf: (uri: string) => number | null): WorkspaceEdit {
  const changes: (TextDocumentEdit | CreateFile)[] = [];
  if (fix.createFile) changes.push(CreateFile.create(URI.fromPath(fix.createFile), { ignoreIfExists: true }));
  const byPath = new Map<string, TextEdit[]>();
  for (const e of fix.edits) {
    if (!byPath.has(e.path)) byPath.set(e.path, []);
    byPath.get(e.path)!.push({ range: e.range, newText: e.newText });
  }
  for (const [p, edits] of byPath) {
    const uri = URI.fromPath(p);
    changes.push(TextDocumentEdit.create(OptionalVersionedTextDocumentIdentifier.create(uri, versionOf(uri)), edits));
  }
  return { documentChanges: changes };
}

/** The quick fixes of a diagnostic, given the fixes the server kept for it. */
export function toCodeActions(
  diagnostic: Diagnostic,
  fixes: readonly Fix[],
  versionOf: (uri: string) => number | null,
): CodeAction[] {
  if (diagnostic.source !== 'cachelens') return [];
  return fixes.map((fix) => ({
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: fix.isPreferred ?? false,
    edit: toWorkspaceEdit(fix, versionOf),
  }));
}
