// Findings and fixes into LSP shapes. Fixes travel in diagnostic.data so the
// code-action handler needs no per-rule code.
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

export interface DiagnosticData {
  fixes: Fix[];
}

export function toDiagnostic(f: Finding): Diagnostic {
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
    data: { fixes: f.fixes } satisfies DiagnosticData,
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

export function toCodeActions(diagnostic: Diagnostic, versionOf: (uri: string) => number | null): CodeAction[] {
  const data = diagnostic.data as DiagnosticData | undefined;
  if (diagnostic.source !== 'cachelens' || !data?.fixes) return [];
  return data.fixes.map((fix) => ({
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: fix.isPreferred ?? false,
    edit: toWorkspaceEdit(fix, versionOf),
  }));
}
