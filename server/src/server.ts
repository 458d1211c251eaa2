// LSP wiring only: connection, documents, settings, publishing. The analysis is
// engine/'s; conversion to LSP shapes is lsp/'s.

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
  StreamMessageWriter,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Workspace, isDockerfileName, isIgnoreFileName, type Analysis } from './engine/workspace';
import { isDockerfileTemplateName } from './engine/names';
import { lint } from './engine/lint';
import { fixAll } from './engine/fix';
import { mergeSharedFindings } from './engine/merge';
import { hoverAt, contextSummary } from './engine/hover';
import { hoverIgnorePattern } from './engine/ignoreHover';
import { ForecastCache, forecastHoverLine, forecastFixLine } from './engine/forecastCache';
import { forecastWorker } from './engine/forecast';
import { writeSync } from 'node:fs';
import { containsPosition } from './parse/text';
import type { Finding } from './rules/rule';
import { toDiagnostic, toCodeActions, toWorkspaceEdit } from './lsp/convert';
import { SettingsCache, type Settings } from './lsp/settings';
import { URI } from './lsp/uri';
import { registerLanguageFeatures, LANGUAGE_FEATURE_CAPABILITIES } from './lsp/languageFeatures';
import { analysisDelay, recordAnalysis } from './lsp/schedule';
import { MAX_DOCUMENT_CHARS, tooLargeToAnalyse } from './parse/limits';
import {
  SavedBuildCache,
  firstMissMessage,
  lastBuildHover,
  stepLabel,
  withMeasuredCosts,
  type BuildEvidence,
} from './engine/buildEvidence';
import { buildLog, BuildLogError } from './engine/buildLog';
import { besideIgnoreFile, dockerfileOfIgnoreFile } from './context/ignoreFiles';
import { VERSION } from './engine/version';
import { parseDockerfile, type DockerfileModel } from './parse/dockerfile';

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
  return createConnection(ProposedFeatures.all, reader, new StreamMessageWriter(process.stdout));
}
const connection = process.argv.includes('--stdio') ? stdioConnection() : createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let configurationSupport = false;
let trusted = true;
let languageFeatures: { syntaxDiagnostics(text: string): Diagnostic[] } | undefined;
let wantLanguageFeatures = false;
let workspaceFolderEvents = false;
const settings = new SettingsCache(connection, () => configurationSupport);
const workspaces = new Map<string, Workspace>();
const analyses = new Map<string, { version: number; analysis: Analysis }>();
/** saved builds (.cachelens/builds/) per workspace root: hover, inlay hints and the first-miss diagnostic */
const savedBuilds = new SavedBuildCache();

function buildEvidence(file: string, model: DockerfileModel): BuildEvidence | undefined {
  const ws = workspaceFor(file);
  if (!ws || !trusted) return undefined;
  try {
    return savedBuilds.evidence(ws.root, file, model);
  } catch {
    return undefined;
  }
}

/** findings with the measured cost of a miss at their instruction, from the saved builds */
function measured(file: string, model: DockerfileModel, findings: Finding[]): Finding[] {
  const ws = workspaceFor(file);
  if (!ws || !trusted) return findings;
  try {
    const records = savedBuilds.recordsOf(ws.root, file);
    return records.length ? withMeasuredCosts(findings, model, records).findings : findings;
  } catch {
    return findings;
  }
}

function buildDiagnostics(file: string, model: DockerfileModel): Diagnostic[] {
  const ev = buildEvidence(file, model);
  const message = ev && firstMissMessage(ev);
  if (!ev?.firstMiss || !message) return [];
  return [
    {
      range: ev.firstMiss.range,
      severity: DiagnosticSeverity.Information,
      source: 'cachelens',
      code: 'last-build',
      message,
    },
  ];
}
/** findings that Dockerfiles place in ignore files: ignore path → Dockerfile path → findings */
const ignoreFindings = new Map<string, Map<string, Finding[]>>();
/** pending analyses: how to cancel each */
const timers = new Map<string, () => void>();
/** the cache forecast from git history, computed in a child process after the first analysis, per HEAD */
const forecasts = new ForecastCache({
  command: (root, file, commits) => [__filename, '--forecast-worker', root, file, String(commits)],
  onError: (file, message) => connection.console.log(`cachelens: no cache forecast for ${file}: ${message}`),
});
const lastChangeAt = new Map<string, number>();
/** the durations of each open document's last analyses after a change (the first, on open, runs on cold code) */
const recentAnalysisMs = new Map<string, number[]>();
/** documents too large to analyse (parse/limits.ts), logged once until they shrink again */
const skippedDocuments = new Set<string>();

connection.onInitialize((params): InitializeResult => {
  configurationSupport = !!params.capabilities.workspace?.configuration;
  const init = (params.initializationOptions ?? {}) as { trusted?: boolean; languageFeatures?: boolean };
  trusted = init.trusted !== false;
  wantLanguageFeatures = init.languageFeatures === true;
  workspaceFolderEvents = !!params.capabilities.workspace?.workspaceFolders;
  if (wantLanguageFeatures)
    languageFeatures = registerLanguageFeatures(connection, documents, (d) => kindOf(d) === 'dockerfile');
  const folders = params.workspaceFolders?.map((f) => URI.toPath(f.uri)).filter((p): p is string => !!p) ?? [];
  if (!folders.length && params.rootUri) {
    const root = URI.toPath(params.rootUri);
    if (root) folders.push(root);
  }
  for (const f of folders) workspaces.set(f, new Workspace(f));
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
      if (p) workspaces.delete(p);
    }
    for (const f of e.added) {
      const p = URI.toPath(f.uri);
      if (p) workspaces.set(p, new Workspace(p));
    }
    revalidateAll();
  });
});

function workspaceFor(file: string | undefined): Workspace | undefined {
  if (!file) return undefined;
  let best: Workspace | undefined;
  for (const ws of workspaces.values())
    if (ws.contains(file) && (!best || ws.root.length > best.root.length)) best = ws;
  return best;
}

function kindOf(doc: TextDocument): 'dockerfile' | 'ignore' | undefined {
  const name = path.basename(URI.toPath(doc.uri) ?? doc.uri);
  if (doc.languageId === 'dockerignore' || isIgnoreFileName(name)) return 'ignore';
  // `Dockerfile.j2`, `dockerfile.go`: the editor tags them dockerfile by our own `Dockerfile.*` pattern, but
  // they are templates or programs; their findings (and fixes) would be about text that is not what Docker builds
  if (isDockerfileTemplateName(name)) return undefined;
  if (doc.languageId === 'dockerfile' || isDockerfileName(name)) return 'dockerfile';
  return undefined;
}

function overlays(): Map<string, string> {
  const m = new Map<string, string>();
  for (const d of documents.all()) {
    const p = URI.toPath(d.uri);
    if (p) m.set(p, d.getText());
  }
  return m;
}

function analyzeDockerfile(file: string, text: string, s: Settings): Analysis {
  const ws = workspaceFor(file);
  const opts = { rules: s.rules, mappings: s.contexts, trusted, overlays: overlays() };
  if (ws) return ws.analyze(file, text, opts);
  const primary = lint({ path: file, text }, opts);
  return { primary, contexts: [], findings: primary.findings, problems: [] };
}

async function validate(doc: TextDocument, afterChange = false): Promise<void> {
  const kind = kindOf(doc);
  if (!kind) return;
  const s = await settings.get(doc.uri);
  const file = URI.toPath(doc.uri) ?? doc.uri;
  if (!s.enable) {
    connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] });
    return;
  }
  const tooLarge =
    kind === 'dockerfile'
      ? tooLargeToAnalyse(doc.getText())
      : doc.getText().length > MAX_DOCUMENT_CHARS
        ? `it has more than ${MAX_DOCUMENT_CHARS} characters`
        : undefined;
  if (tooLarge) {
    if (!skippedDocuments.has(doc.uri)) connection.console.warn(`cachelens: ${file} is not analysed: ${tooLarge}`);
    skippedDocuments.add(doc.uri);
    connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] });
    return;
  }
  skippedDocuments.delete(doc.uri);
  if (trusted && workspaceFor(file)?.excludes(file)) {
    connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] });
    return;
  }
  try {
    if (kind === 'dockerfile') {
      // only a document's first analysis can meet a context that was never walked
      if (!analyses.has(doc.uri)) await reportIndexing(file, s);
      if (documents.get(doc.uri)?.version !== doc.version) return;
      const started = performance.now();
      const analysis = analyzeDockerfile(file, doc.getText(), s);
      analyses.set(doc.uri, { version: doc.version, analysis });
      for (const e of analysis.primary.errors)
        connection.console.error(`cachelens: rule ${e.rule} failed on ${file}: ${e.message}`);
      const syntax = languageFeatures?.syntaxDiagnostics(doc.getText()) ?? [];
      if (afterChange)
        recentAnalysisMs.set(doc.uri, recordAnalysis(recentAnalysisMs.get(doc.uri), performance.now() - started));
      connection.sendDiagnostics({
        uri: doc.uri,
        version: doc.version,
        diagnostics: [
          ...syntax,
          ...measured(
            file,
            analysis.primary.model,
            analysis.findings.filter((f) => f.path === file),
          ).map(toDiagnostic),
          ...buildDiagnostics(file, analysis.primary.model),
        ],
      });
      recordIgnoreFindings(
        file,
        analysis.findings.filter((f) => f.path !== file),
      );
      // after the diagnostics are out: starts the background forecast once per HEAD
      const ws = workspaceFor(file);
      if (trusted && ws) setImmediate(() => forecasts.get(file, ws.root));
    } else {
      for (const dockerfile of dockerfilesServedBy(file)) {
        const text =
          documents.get(URI.fromPath(dockerfile))?.getText() ?? workspaceFor(dockerfile)?.fs.readFile(dockerfile);
        if (text === undefined) continue;
        const analysis = analyzeDockerfile(dockerfile, text, s);
        recordIgnoreFindings(
          dockerfile,
          analysis.findings.filter((f) => f.path !== dockerfile),
        );
      }
      publishIgnore(file);
    }
  } catch (e) {
    connection.console.error(`cachelens: analysis of ${file} failed: ${e instanceof Error ? e.stack : String(e)}`);
    connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] });
  }
}

/** contexts already walked once; the first walk of a context may take a while and shows progress */
const walkedContexts = new Set<string>();

async function reportIndexing(file: string, s: Settings): Promise<void> {
  const ws = workspaceFor(file);
  if (!ws || !trusted) return;
  const cold = ws
    .resolve(file, { mappings: s.contexts })
    .contexts.map((c) => c.contextDir)
    .filter((d) => !walkedContexts.has(d));
  if (!cold.length) return;
  const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
  progress?.begin('cachelens', undefined, `Indexing build context ${path.relative(ws.root, cold[0]) || '.'}`);
  const started = Date.now();
  for (const dir of cold) {
    ws.index.snapshot(dir, undefined);
    walkedContexts.add(dir);
  }
  progress?.done();
  connection.console.log(
    `cachelens: indexed ${cold.length} build context${cold.length === 1 ? '' : 's'} in ${Date.now() - started} ms`,
  );
}

function recordIgnoreFindings(dockerfile: string, findings: Finding[]): void {
  const touched = new Set<string>();
  for (const [ignore, byDockerfile] of ignoreFindings) if (byDockerfile.delete(dockerfile)) touched.add(ignore);
  for (const f of findings) {
    if (!ignoreFindings.has(f.path)) ignoreFindings.set(f.path, new Map());
    const m = ignoreFindings.get(f.path)!;
    m.set(dockerfile, [...(m.get(dockerfile) ?? []), f]);
    touched.add(f.path);
  }
  for (const ignore of touched) publishIgnore(ignore);
}

/** The findings the open Dockerfiles place in an ignore file: duplicates dropped, one per rule and spot where the rule merges them (CL102). */
function ignoreFileFindings(ignore: string): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const list of ignoreFindings.get(ignore)?.values() ?? []) {
    for (const f of list) {
      const key = `${f.rule}|${f.range.start.line}|${f.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(f);
    }
  }
  return mergeSharedFindings(out);
}

function publishIgnore(ignore: string): void {
  connection.sendDiagnostics({ uri: URI.fromPath(ignore), diagnostics: ignoreFileFindings(ignore).map(toDiagnostic) });
}

/** Dockerfiles whose build uses this ignore file: `X.dockerignore` serves X; `.dockerignore` the Dockerfiles beside it and open ones whose context uses it. */
function dockerfilesServedBy(ignore: string): string[] {
  const dir = path.dirname(ignore);
  const out = new Set<string>();
  const own = dockerfileOfIgnoreFile(ignore);
  if (own !== undefined) out.add(own);
  else {
    const ws = workspaceFor(ignore);
    for (const e of ws?.fs.readDir(dir) ?? [])
      if (e.kind === 'file' && isDockerfileName(e.name) && !ws?.fs.stat(besideIgnoreFile(path.join(dir, e.name))))
        out.add(path.join(dir, e.name));
    for (const [uri, a] of analyses) {
      const p = URI.toPath(uri);
      if (p && a.analysis.contexts.some((c) => c.ignoreFile === ignore)) out.add(p);
    }
  }
  return [...out];
}

function schedule(doc: TextDocument): void {
  const now = performance.now();
  const delay = analysisDelay({
    now,
    previousChangeAt: lastChangeAt.get(doc.uri),
    recentAnalysisMs: recentAnalysisMs.get(doc.uri) ?? [],
  });
  lastChangeAt.set(doc.uri, now);
  timers.get(doc.uri)?.();
  const run = () => {
    timers.delete(doc.uri);
    const current = documents.get(doc.uri);
    if (current) void validate(current, true);
  };
  if (delay === 0) {
    // setImmediate, not a 0 ms timer (which waits 1 ms); a change that comes before it runs cancels it and joins a burst
    const immediate = setImmediate(run);
    timers.set(doc.uri, () => clearImmediate(immediate));
  } else {
    const timer = setTimeout(run, delay);
    timers.set(doc.uri, () => clearTimeout(timer));
  }
}

function revalidateAll(): void {
  for (const d of documents.all()) schedule(d);
}

// TextDocuments fires a content change right after each open; the open already validates
const justOpened = new Set<string>();
documents.onDidOpen((e) => {
  justOpened.add(`${e.document.uri}@${e.document.version}`);
  void validate(e.document);
});
documents.onDidChangeContent(async (e) => {
  if (justOpened.delete(`${e.document.uri}@${e.document.version}`)) return;
  const s = await settings.get(e.document.uri);
  if (s.run === 'onType') schedule(e.document);
  if (kindOf(e.document) === 'ignore')
    for (const d of documents.all())
      if (d !== e.document && kindOf(d) === 'dockerfile' && s.run === 'onType') schedule(d);
});
documents.onDidSave((e) => schedule(e.document));
documents.onDidClose((e) => {
  timers.get(e.document.uri)?.();
  timers.delete(e.document.uri);
  lastChangeAt.delete(e.document.uri);
  recentAnalysisMs.delete(e.document.uri);
  skippedDocuments.delete(e.document.uri);
  analyses.delete(e.document.uri);
  const file = URI.toPath(e.document.uri);
  if (file && kindOf(e.document) === 'dockerfile') recordIgnoreFindings(file, []);
  connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.onDidChangeConfiguration(() => {
  settings.clear();
  revalidateAll();
});

connection.onDidChangeWatchedFiles((params) => {
  for (const change of params.changes) {
    const p = URI.toPath(change.uri);
    if (!p) continue;
    const kind =
      change.type === FileChangeType.Created
        ? 'created'
        : change.type === FileChangeType.Deleted
          ? 'deleted'
          : 'changed';
    const ws = workspaceFor(p);
    ws?.onFileChanged(p, kind);
    if (ws && savedBuilds.onFileChanged(ws.root, p))
      void connection.languages.inlayHint.refresh().catch(() => undefined);
  }
  revalidateAll();
});

function currentAnalysis(uri: string): Analysis | undefined {
  const doc = documents.get(uri);
  if (!doc || kindOf(doc) !== 'dockerfile') return undefined;
  const cached = analyses.get(uri);
  if (cached && cached.version === doc.version) return cached.analysis;
  return undefined;
}

function hoverIgnoreFile(doc: TextDocument, line: number, s: Settings): string | undefined {
  const file = URI.toPath(doc.uri);
  if (!file) return undefined;
  const ws = workspaceFor(file);
  const dockerfiles = dockerfilesServedBy(file);
  const ov = overlays();
  const contexts =
    ws && trusted
      ? dockerfiles
          .flatMap((d) => ws.resolve(d, { mappings: s.contexts }).contexts.filter((c) => c.ignoreFile === file))
          .map((c) => ws.view(c, ov))
      : [];
  const findings = ignoreFileFindings(file).filter((f) => f.range.start.line <= line && line <= f.range.end.line);
  const parts = [...new Set(findings.map((f) => `**${f.rule}** ${f.message}`))];
  const pattern = hoverIgnorePattern(file, doc.getText(), line, contexts, dockerfiles);
  if (pattern) parts.push(pattern);
  return parts.length ? parts.join('\n\n---\n\n') : undefined;
}

connection.onHover(async (params) => {
  const doc = documents.get(params.textDocument.uri);
  if (doc && kindOf(doc) === 'ignore') {
    const value = hoverIgnoreFile(doc, params.position.line, await settings.get(doc.uri));
    return value ? { contents: { kind: 'markdown', value } } : null;
  }
  if (!doc || kindOf(doc) !== 'dockerfile') return null;
  let analysis = currentAnalysis(doc.uri);
  if (!analysis) {
    const s = await settings.get(doc.uri);
    analysis = analyzeDockerfile(URI.toPath(doc.uri) ?? doc.uri, doc.getText(), s);
  }
  const file = URI.toPath(doc.uri) ?? doc.uri;
  const own = analysis.findings.filter((f) => f.path === file);
  let text = hoverAt({ ...analysis.primary, findings: own }, params.position, analysis.primaryContext);
  const ins = analysis.primary.model.instructions.find((i) => containsPosition(i.range, params.position));
  const ev = ins ? buildEvidence(file, analysis.primary.model) : undefined;
  const last = ev && ins ? lastBuildHover(ev, ins) : undefined;
  if (last) text = text ? `${text}\n\n---\n\n${last}` : last;
  const ws = workspaceFor(file);
  const forecast = trusted && ws ? forecasts.get(file, ws.root) : undefined;
  const lines =
    forecast && ins
      ? [
          forecastHoverLine(forecast, ins),
          ...[...new Set(own.filter((f) => containsPosition(f.range, params.position)).map((f) => f.rule))].map((r) =>
            forecastFixLine(forecast, r),
          ),
        ].filter((l): l is string => !!l)
      : [];
  if (lines.length) text = [text, lines.join('\n\n')].filter(Boolean).join('\n\n---\n\n');
  return text ? { contents: { kind: 'markdown', value: text } } : null;
});

connection.languages.inlayHint.on((params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc || kindOf(doc) !== 'dockerfile') return [];
  const file = URI.toPath(doc.uri) ?? doc.uri;
  // the model only: no need to wait for (or run) a full analysis
  const model =
    currentAnalysis(doc.uri)?.primary.model ??
    (tooLargeToAnalyse(doc.getText()) ? undefined : parseDockerfile(doc.getText()));
  const ev = model ? buildEvidence(file, model) : undefined;
  if (!ev) return [];
  const hints: InlayHint[] = [];
  for (const e of ev.steps.values()) {
    const line = e.instruction.range.start.line;
    if (line < params.range.start.line || line > params.range.end.line) continue;
    const end = doc
      .getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } })
      .replace(/\r?\n$/, '').length;
    hints.push({
      position: { line, character: end },
      label: stepLabel(e),
      paddingLeft: true,
      tooltip: `Last build (${ev.builder}, ${ev.savedAt})`,
    });
  }
  return hints;
});

const versionOf = (uri: string) => documents.get(uri)?.version ?? null;

connection.onCodeAction(async (params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  const only = params.context.only;
  const actions: CodeAction[] = [];
  const wantsQuickFix =
    !only || only.some((k) => CodeActionKind.QuickFix.startsWith(k) || k.startsWith(CodeActionKind.QuickFix));
  if (wantsQuickFix) for (const d of params.context.diagnostics) actions.push(...toCodeActions(d, versionOf));
  const wantsFixAll = only?.some((k) => 'source.fixAll.cachelens'.startsWith(k) && k.startsWith('source'));
  if (wantsFixAll && kindOf(doc) === 'dockerfile') {
    const edit = await fixAllEdit(doc);
    if (edit) actions.push({ title: 'Fix all cachelens problems', kind: 'source.fixAll.cachelens', edit });
  }
  return actions;
});

async function fixAllEdit(doc: TextDocument) {
  const s = await settings.get(doc.uri);
  const file = URI.toPath(doc.uri) ?? doc.uri;
  const ws = workspaceFor(file);
  const first = analyzeDockerfile(file, doc.getText(), s);
  const result = fixAll(
    { path: file, text: doc.getText(), context: first.primaryContext },
    { rules: s.rules },
    {
      unsafe: s.unsafeFixes,
      reinput: (files) => {
        const ov = overlays();
        for (const [p, t] of files) ov.set(p, t);
        const next = ws
          ? ws.analyze(file, files.get(file) ?? doc.getText(), {
              rules: s.rules,
              mappings: s.contexts,
              trusted,
              overlays: ov,
            })
          : undefined;
        return { path: file, text: files.get(file) ?? doc.getText(), context: next?.primaryContext };
      },
    },
  );
  if (!result.files.size) return undefined;
  const edits = [...result.files].map(([p, text]) => {
    const openDoc = documents.get(URI.fromPath(p));
    const before = openDoc?.getText() ?? (p === file ? doc.getText() : (ws?.fs.readFile(p) ?? ''));
    const lines = before.split('\n');
    return {
      path: p,
      range: {
        start: { line: 0, character: 0 },
        end: { line: lines.length - 1, character: lines[lines.length - 1].length },
      },
      newText: text,
    };
  });
  return toWorkspaceEdit({ title: 'Fix all', safe: true, edits, createFile: [...result.created][0] }, versionOf);
}

connection.onExecuteCommand(async (params) => {
  if (params.command === 'cachelens.server.importBuildLog') {
    // arguments: the log's path, and optionally the Dockerfile's URI it built
    const log = params.arguments?.[0] as string | undefined;
    const dockerfile = params.arguments?.[1] ? URI.toPath(params.arguments[1] as string) : undefined;
    const ws = workspaceFor(dockerfile ?? log) ?? [...workspaces.values()][0];
    if (!log || !ws) return 'cachelens: open a folder and choose a build log';
    // untrusted: importing reads the log, hashes the context's files and runs git; none of that happens
    if (!trusted) return 'cachelens: trust this workspace to import a build log (nothing was read or written)';
    try {
      const r = buildLog({
        log,
        format: 'json',
        dockerfiles: dockerfile ? [dockerfile] : [],
        save: true,
        cwd: ws.root,
        note: (m) => connection.console.log(`cachelens: ${m}`),
      });
      savedBuilds.clear();
      revalidateAll();
      void connection.languages.inlayHint.refresh().catch(() => undefined);
      return r.builds
        .map(
          (b) =>
            `${b.dockerfile}: ${b.steps.filter((s) => s.status === 'cached').length} cached, ${b.steps.filter((s) => s.status === 'executed').length} ran` +
            (b.firstMiss ? `, first miss line ${b.firstMiss.range.start.line + 1}` : '') +
            (b.mismatches ? `, ${b.mismatches.length} step(s) no longer match` : ''),
        )
        .join('; ');
    } catch (e) {
      return `cachelens: ${e instanceof BuildLogError ? e.message : String(e)}`;
    }
  }
  const uri = (params.arguments?.[0] as string | undefined) ?? '';
  const doc = documents.get(uri);
  if (!doc) return null;
  if (params.command === 'cachelens.fixAll') {
    const edit = await fixAllEdit(doc);
    if (edit) await connection.workspace.applyEdit({ label: 'cachelens: Fix all', edit });
    return null;
  }
  if (params.command === 'cachelens.contextLabel') {
    // the status bar item of the active Dockerfile: its (first) build context, resolved only (no walk, no lint)
    const file = URI.toPath(uri) ?? uri;
    const ws = workspaceFor(file);
    if (!ws || kindOf(doc) !== 'dockerfile') return null;
    const s = await settings.get(uri);
    const { contexts } = ws.resolve(file, { mappings: s.contexts, trusted });
    const rel = (p: string) => path.relative(ws.root, p).split(path.sep).join('/') || '.';
    const c = contexts[0];
    if (!c)
      return {
        label: 'no build context',
        tooltip: 'cachelens: no build context could be resolved for this Dockerfile',
      };
    const more = contexts.length > 1 ? ` +${contexts.length - 1}` : '';
    return {
      label: `context ${rel(c.contextDir)}${more}`,
      tooltip: `Build context: ${rel(c.contextDir)} (${c.reason})\nIgnore file: ${c.ignoreFile ? rel(c.ignoreFile) : 'none'}\nClick: Show build context`,
    };
  }
  if (params.command === 'cachelens.showContext') {
    const s = await settings.get(uri);
    const file = URI.toPath(uri) ?? uri;
    const analysis = analyzeDockerfile(file, doc.getText(), s);
    const ws = workspaceFor(file);
    const rel = (p: string) => (ws ? path.relative(ws.root, p) || '.' : p);
    const lines = [`# Build context of ${rel(file)}`, ''];
    if (!analysis.contexts.length) lines.push(contextSummary(undefined));
    analysis.contexts.forEach((c, i) => {
      const view = ws?.view(c);
      lines.push(
        `## ${rel(c.contextDir)} (${c.reason})`,
        '',
        contextSummary(view, rel),
        '',
        `Ignore file: ${c.ignoreFile ? rel(c.ignoreFile) : 'none'} — ${c.ignoreReason}`,
        '',
      );
      void i;
    });
    for (const p of analysis.problems) lines.push(`- problem in ${rel(p.file)}: ${p.message}`);
    return lines.join('\n');
  }
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
