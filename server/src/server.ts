// LSP wiring only: connection, documents, settings, publishing. What is
// analysed and what the answers say is the engine's Session; conversion to LSP
// shapes and the analysis schedule are lsp/'s.

import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  CodeActionKind,
  type CodeAction,
  type Diagnostic,
  DiagnosticSeverity,
  type InlayHint,
  FileChangeType,
  type InitializeResult,
  StreamMessageReader,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeSync } from 'node:fs';
import { Session } from './engine/session';
import { ForecastCache } from './engine/forecastCache';
import { forecastWorker } from './engine/forecast';
import { toCodeActions, toWorkspaceEdit } from './lsp/convert';
import { FixStore } from './lsp/fixes';
import { FrameWriter } from './lsp/frameWriter';
import { SettingsCache, type Settings } from './lsp/settings';
import { URI } from './lsp/uri';
import { registerLanguageFeatures, LANGUAGE_FEATURE_CAPABILITIES } from './lsp/languageFeatures';
import { AnalysisScheduler } from './lsp/schedule';
import { MAX_DOCUMENT_CHARS, tooLargeToAnalyse } from './parse/limits';
import { type DockerfileModel, parseDockerfile } from './parse/dockerfile';
import { VERSION } from './engine/version';

/** CACHELENS_TRACE_START=1: the milliseconds since the process started at each step to the first publish, on stderr */
const traceStart = process.env.CACHELENS_TRACE_START ? new Set<string>() : undefined;
function mark(step: string): void {
  if (!traceStart || traceStart.has(step)) return;
  traceStart.add(step);
  process.stderr.write(`cachelens start: ${step} ${performance.now().toFixed(1)} ms\n`);
}
if (traceStart)
  process.stderr.write(
    `cachelens start: node bootstrapped ${performance.nodeTiming.bootstrapComplete.toFixed(1)} ms\n`,
  );
mark('modules evaluated');

// The background forecast job runs this same bundle (the .vsix ships no CLI): answer and exit
// before any connection exists.
const forecastWorkerAt = process.argv.indexOf('--forecast-worker');
if (forecastWorkerAt >= 0) {
  const code = forecastWorker(
    process.argv.slice(forecastWorkerAt + 1),
    (s) => writeSync(1, s + '\n'),
    (s) => writeSync(2, `cachelens: ${s}\n`),
  );
  process.exit(code);
}

// Over stdio a malformed frame (a bad Content-Length) leaves the reader unable to find
// the next message; exit instead of hanging, so the client restarts the server.
function stdioConnection() {
  const reader = new StreamMessageReader(process.stdin);
  reader.onError((e) => {
    // only framing errors wedge the reader; a bad JSON body or a failing handler does not. A header
    // line without ':' counts: the reader drops it but leaves the rest of that read unprocessed, so a
    // request that came with it would wait for the next bytes forever
    if (!/Content-Length|Message header/.test(e.message)) return;
    process.stderr.write(
      `cachelens: unreadable message frame from the client, exiting so it can restart the server: ${e.message}\n`,
    );
    process.exit(1);
  });
  // the client is gone: nothing will ever send 'exit'
  process.stdin.on('end', () => process.exit(0));
  return createConnection(ProposedFeatures.all, reader, new FrameWriter(process.stdout));
}
const connection = process.argv.includes('--stdio') ? stdioConnection() : createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let configurationSupport = false;
let languageFeatures: { syntaxDiagnostics(text: string, model?: DockerfileModel): Diagnostic[] } | undefined;
let wantLanguageFeatures = false;
let workspaceFolderEvents = false;
const settings = new SettingsCache(connection, () => configurationSupport);
/** the cache forecast from git history, computed in a child process after the first analysis, per HEAD */
const forecasts = new ForecastCache({
  command: (root, file, commits) => [__filename, '--forecast-worker', root, file, String(commits)],
  onError: (file, message) => connection.console.log(`cachelens: no cache forecast for ${file}: ${message}`),
});
/** open documents, workspaces, analyses, ignore-file findings, saved builds: everything but LSP */
const session = new Session({ forecasts });
const scheduler = new AnalysisScheduler(
  (uri) => {
    const current = documents.get(uri);
    if (current) void validate(current, true);
  },
  () => performance.now(),
);
/** the quick fixes of the published diagnostics, by file (their data names them) */
const fixes = new FixStore();
/** documents too large to analyse (parse/limits.ts), logged once until they shrink again */
const skippedDocuments = new Set<string>();

/** The session's key for a document: its path, or its URI when it is no file. */
const fileOf = (uri: string) => URI.toPath(uri) ?? uri;
const kindOf = (doc: TextDocument) => session.kindOf(fileOf(doc.uri), doc.languageId);

connection.onInitialize((params): InitializeResult => {
  mark('initialize received');
  configurationSupport = !!params.capabilities.workspace?.configuration;
  const init = (params.initializationOptions ?? {}) as { trusted?: boolean; languageFeatures?: boolean };
  session.trusted = init.trusted !== false;
  wantLanguageFeatures = init.languageFeatures === true;
  workspaceFolderEvents = !!params.capabilities.workspace?.workspaceFolders;
  if (wantLanguageFeatures)
    languageFeatures = registerLanguageFeatures(connection, documents, (d) => kindOf(d) === 'dockerfile');
  const folders = params.workspaceFolders?.map((f) => URI.toPath(f.uri)).filter((p): p is string => !!p) ?? [];
  if (!folders.length && params.rootUri) {
    const root = URI.toPath(params.rootUri);
    if (root) folders.push(root);
  }
  for (const f of folders) session.addWorkspace(f);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, 'source.fixAll.cachelens'] },
      executeCommandProvider: {
        commands: [
          'cachelens.fixAll',
          'cachelens.showContext',
          'cachelens.contextLabel',
          'cachelens.server.importBuildLog',
        ],
      },
      inlayHintProvider: true,
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      ...(wantLanguageFeatures ? LANGUAGE_FEATURE_CAPABILITIES : {}),
    },
    serverInfo: { name: 'cachelens', version: VERSION },
  };
});

connection.onInitialized(() => {
  if (!workspaceFolderEvents) return;
  connection.workspace.onDidChangeWorkspaceFolders((e) => {
    for (const f of e.removed) {
      const p = URI.toPath(f.uri);
      if (p) session.removeWorkspace(p);
    }
    for (const f of e.added) {
      const p = URI.toPath(f.uri);
      if (p) session.addWorkspace(p);
    }
    revalidateAll();
  });
});

/** Why the document is not analysed at all, if it is too large. */
function tooLarge(doc: TextDocument, kind: 'dockerfile' | 'ignore'): string | undefined {
  if (kind === 'dockerfile') return tooLargeToAnalyse(doc.getText());
  return doc.getText().length > MAX_DOCUMENT_CHARS ? `it has more than ${MAX_DOCUMENT_CHARS} characters` : undefined;
}

function clearDiagnostics(uri: string): void {
  fixes.forget(fileOf(uri));
  connection.sendDiagnostics({ uri, diagnostics: [] });
}

async function validate(doc: TextDocument, afterChange = false): Promise<void> {
  mark('first validate');
  const kind = kindOf(doc);
  if (!kind) return;
  const s = await settings.get(doc.uri);
  mark('settings received');
  const file = fileOf(doc.uri);
  if (!s.enable) return clearDiagnostics(doc.uri);
  const why = tooLarge(doc, kind);
  if (why) {
    if (!skippedDocuments.has(doc.uri)) connection.console.warn(`cachelens: ${file} is not analysed: ${why}`);
    skippedDocuments.add(doc.uri);
    return clearDiagnostics(doc.uri);
  }
  skippedDocuments.delete(doc.uri);
  if (session.excludes(file)) return clearDiagnostics(doc.uri);
  try {
    if (kind === 'dockerfile') await validateDockerfile(doc, file, s, afterChange);
    else {
      session.analyzeServedBy(file, s, publishIgnores);
      publishIgnore(file);
    }
  } catch (e) {
    connection.console.error(`cachelens: analysis of ${file} failed: ${e instanceof Error ? e.stack : String(e)}`);
    clearDiagnostics(doc.uri);
  }
}

async function validateDockerfile(doc: TextDocument, file: string, s: Settings, afterChange: boolean): Promise<void> {
  // only a document's first analysis can meet a context that was never walked
  if (!session.hasAnalysed(file)) await reportIndexing(file, s);
  mark('contexts indexed');
  if (documents.get(doc.uri)?.version !== doc.version) return;
  const started = performance.now();
  const analysis = session.analyzeDocument(file, s);
  if (!analysis) return;
  mark('analysed');
  for (const e of analysis.primary.errors)
    connection.console.error(`cachelens: rule ${e.rule} failed on ${file}: ${e.message}`);
  const syntax = languageFeatures?.syntaxDiagnostics(doc.getText(), analysis.primary.model) ?? [];
  if (afterChange) scheduler.analysed(doc.uri, performance.now() - started);
  const model = analysis.primary.model;
  const miss = session.firstMiss(file, model);
  const lastBuild: Diagnostic[] = miss
    ? [
        {
          range: miss.range,
          severity: DiagnosticSeverity.Information,
          source: 'cachelens',
          code: 'last-build',
          message: miss.message,
        },
      ]
    : [];
  const own = analysis.findings.filter((f) => f.path === file);
  connection.sendDiagnostics({
    uri: doc.uri,
    version: doc.version,
    diagnostics: [...syntax, ...fixes.publish(file, doc.version, session.measured(file, model, own)), ...lastBuild],
  });
  mark('published');
  publishIgnores(
    session.recordIgnoreFindings(
      file,
      analysis.findings.filter((f) => f.path !== file),
    ),
  );
  // after the diagnostics are out: starts the background forecast once per HEAD
  setImmediate(() => {
    // closed in the meantime: nothing to start (and nothing kept for it)
    if (documents.get(doc.uri)) session.forecast(file);
  });
}

/** The first walk of a build context may take a while: it shows progress. */
async function reportIndexing(file: string, s: Settings): Promise<void> {
  const cold = session.coldContexts(file, s);
  if (!cold) return;
  const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
  progress?.begin('cachelens', undefined, `Indexing build context ${path.relative(cold.root, cold.dirs[0]) || '.'}`);
  const started = Date.now();
  session.indexContexts(file, cold.dirs);
  progress?.done();
  const n = cold.dirs.length;
  connection.console.log(`cachelens: indexed ${n} build context${n === 1 ? '' : 's'} in ${Date.now() - started} ms`);
}

function publishIgnores(ignores: string[]): void {
  for (const ignore of ignores) publishIgnore(ignore);
}

function publishIgnore(ignore: string): void {
  const version = documents.all().find((d) => fileOf(d.uri) === ignore)?.version ?? null;
  const findings = session.ignoreFileFindings(ignore);
  const diagnostics = fixes.publishIfChanged(ignore, version, findings);
  if (diagnostics) connection.sendDiagnostics({ uri: URI.fromPath(ignore), diagnostics });
}

function revalidateAll(): void {
  for (const d of documents.all()) scheduler.schedule(d.uri);
}

/** The session sees every open document's text (it overrides the disk). */
function syncDocument(doc: TextDocument): void {
  session.openDocument(fileOf(doc.uri), doc.getText(), doc.version, URI.toPath(doc.uri) !== undefined);
}

// TextDocuments fires a content change right after each open; the open already validates
const justOpened = new Set<string>();
documents.onDidOpen((e) => {
  syncDocument(e.document);
  justOpened.add(`${e.document.uri}@${e.document.version}`);
  void validate(e.document);
});
documents.onDidChangeContent(async (e) => {
  syncDocument(e.document);
  if (justOpened.delete(`${e.document.uri}@${e.document.version}`)) return;
  const s = await settings.get(e.document.uri);
  if (s.run === 'onType') scheduler.schedule(e.document.uri);
  if (kindOf(e.document) === 'ignore')
    for (const d of documents.all())
      if (d !== e.document && kindOf(d) === 'dockerfile' && s.run === 'onType') scheduler.schedule(d.uri);
});
documents.onDidSave((e) => scheduler.schedule(e.document.uri));
documents.onDidClose((e) => {
  scheduler.forget(e.document.uri);
  // nothing kept per closed document: a session opens thousands over its life
  settings.clear(e.document.uri);
  skippedDocuments.delete(e.document.uri);
  publishIgnores(session.closeDocument(fileOf(e.document.uri), kindOf(e.document)));
  clearDiagnostics(e.document.uri);
});

connection.onDidChangeConfiguration(() => {
  settings.clear();
  revalidateAll();
});

const FILE_CHANGES = {
  [FileChangeType.Created]: 'created',
  [FileChangeType.Changed]: 'changed',
  [FileChangeType.Deleted]: 'deleted',
} as const;

connection.onDidChangeWatchedFiles((params) => {
  for (const change of params.changes) {
    const p = URI.toPath(change.uri);
    if (!p) continue;
    if (session.onFileChanged(p, FILE_CHANGES[change.type] ?? 'changed'))
      void connection.languages.inlayHint.refresh().catch(() => undefined);
  }
  revalidateAll();
});

connection.onHover(async (params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return null;
  const kind = kindOf(doc);
  const file = fileOf(doc.uri);
  let value: string | undefined;
  if (kind === 'ignore') {
    if (!URI.toPath(doc.uri)) return null;
    const s = await settings.get(doc.uri);
    value = session.hoverIgnoreFile(file, doc.getText(), params.position.line, s);
  } else if (kind === 'dockerfile') {
    const analysis = session.currentAnalysis(file) ?? session.analyze(file, doc.getText(), await settings.get(doc.uri));
    value = session.hover(file, analysis, params.position);
  }
  return value ? { contents: { kind: 'markdown', value } } : null;
});

connection.languages.inlayHint.on((params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc || kindOf(doc) !== 'dockerfile') return [];
  const file = fileOf(doc.uri);
  // the model only: no need to wait for (or run) a full analysis
  const model =
    session.currentAnalysis(file)?.primary.model ??
    (tooLargeToAnalyse(doc.getText()) ? undefined : parseDockerfile(doc.getText()));
  return session.inlayHints(file, model, params.range.start.line, params.range.end.line).map(
    (h): InlayHint => ({
      position: { line: h.line, character: lineLength(doc, h.line) },
      label: h.label,
      paddingLeft: true,
      tooltip: h.tooltip,
    }),
  );
});

function lineLength(doc: TextDocument, line: number): number {
  return doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '')
    .length;
}

const versionOf = (uri: string) => documents.get(uri)?.version ?? null;

connection.onCodeAction(async (params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  const only = params.context.only;
  const actions: CodeAction[] = [];
  const wantsQuickFix =
    !only || only.some((k) => CodeActionKind.QuickFix.startsWith(k) || k.startsWith(CodeActionKind.QuickFix));
  if (wantsQuickFix)
    for (const d of params.context.diagnostics)
      actions.push(...toCodeActions(d, fixes.fixesOf(fileOf(doc.uri), d.data, doc.version), versionOf));
  const wantsFixAll = only?.some((k) => 'source.fixAll.cachelens'.startsWith(k) && k.startsWith('source'));
  if (wantsFixAll && kindOf(doc) === 'dockerfile') {
    const edit = await fixAllEdit(doc);
    if (edit) actions.push({ title: 'Fix all cachelens problems', kind: 'source.fixAll.cachelens', edit });
  }
  return actions;
});

async function fixAllEdit(doc: TextDocument) {
  const s = await settings.get(doc.uri);
  const { result, changes } = session.fixAll(fileOf(doc.uri), doc.getText(), { ...s, unsafe: s.unsafeFixes });
  if (!result.files.size) return undefined;
  const edits = changes.map(({ path: p, before, after }) => {
    const lines = before.split('\n');
    return {
      path: p,
      range: {
        start: { line: 0, character: 0 },
        end: { line: lines.length - 1, character: lines[lines.length - 1].length },
      },
      newText: after,
    };
  });
  return toWorkspaceEdit({ title: 'Fix all', safe: true, edits, createFile: [...result.created][0] }, versionOf);
}

function importBuildLog(args: unknown[] | undefined): string {
  // arguments: the log's path, and optionally the Dockerfile's URI it built
  const log = args?.[0] as string | undefined;
  const dockerfile = args?.[1] ? URI.toPath(args[1] as string) : undefined;
  const r = session.importBuildLog(log, dockerfile, (m) => connection.console.log(`cachelens: ${m}`));
  if (r.imported) {
    revalidateAll();
    void connection.languages.inlayHint.refresh().catch(() => undefined);
  }
  return r.message;
}

connection.onExecuteCommand(async (params) => {
  if (params.command === 'cachelens.server.importBuildLog') return importBuildLog(params.arguments);
  const uri = (params.arguments?.[0] as string | undefined) ?? '';
  const doc = documents.get(uri);
  if (!doc) return null;
  const file = fileOf(uri);
  if (params.command === 'cachelens.fixAll') {
    const edit = await fixAllEdit(doc);
    if (edit) await connection.workspace.applyEdit({ label: 'cachelens: Fix all', edit });
    return null;
  }
  if (params.command === 'cachelens.contextLabel') {
    if (!session.workspaceFor(file) || kindOf(doc) !== 'dockerfile') return null;
    return session.contextLabel(file, await settings.get(uri)) ?? null;
  }
  if (params.command === 'cachelens.showContext')
    return session.contextReport(file, doc.getText(), await settings.get(uri));
  return null;
});

process.on('unhandledRejection', (e) =>
  connection.console.error(`cachelens: unhandled rejection: ${e instanceof Error ? e.stack : String(e)}`),
);
process.on('uncaughtException', (e) =>
  connection.console.error(`cachelens: uncaught exception: ${e.stack ?? String(e)}`),
);

documents.listen(connection);
connection.listen();
mark('listening');
