// The analysis session behind the language server and the CLI, with no LSP in
// it: the open documents (whose texts override the disk), the workspaces by
// root, analysis, fix-all, the findings Dockerfiles place in ignore files and
// which Dockerfiles an ignore file serves, the build-context report, and the
// saved builds and forecasts that hover and inlay hints show. The server turns
// LSP messages into calls on one Session; the CLI runs its commands on one.
// Files are absolute paths; a document that is no file (untitled:) is keyed by
// its URI string and gets no build context.

import * as path from 'node:path';
import { Workspace, isDockerfileName, isIgnoreFileName, type Analysis } from './workspace';
import { isDockerfileTemplateName } from './names';
import { lint, type RuleSetting } from './lint';
import { fixAllInContext, type FixAllResult } from './fix';
import { hoverAt } from './hover';
import { hoverIgnorePattern } from './ignoreHover';
import { IgnoreFindings } from './ignoreFindings';
import { contextLabel, contextReport, type ContextLabel } from './contextReport';
import { forecastFixLine, forecastHoverLine, type CachedForecast, type ForecastCache } from './forecastCache';
import {
  SavedBuildCache,
  firstMissMessage,
  lastBuildHover,
  stepLabel,
  withMeasuredCosts,
  type BuildEvidence,
} from './buildEvidence';
import { buildLog, BuildLogError } from './buildLog';
import type { ContextMapping } from '../context/resolve';
import { besideIgnoreFile, dockerfileOfIgnoreFile } from '../context/ignoreFiles';
import { parseDockerfile, type DockerfileModel } from '../parse/dockerfile';
import { localCopySources } from './copySources';
import { containsPosition, type Position, type Range } from '../parse/text';
import type { Finding } from '../rules/rule';

export type DocumentKind = 'dockerfile' | 'ignore';

/** What an analysis depends on besides the text: severities and context mappings (editor settings, --rule). */
export interface AnalysisSettings {
  rules?: Record<string, RuleSetting>;
  contexts?: ContextMapping[];
}

export interface SessionOptions {
  /** false in an untrusted workspace: no build files read, no context walked, no saved builds or forecasts */
  trusted?: boolean;
  /** the background forecast (the server's); without it hover shows none */
  forecasts?: ForecastCache;
}

interface OpenDocument {
  text: string;
  version: number;
  /** a file on disk (its text overrides the disk); false for untitled: and other schemes */
  onDisk: boolean;
}

/** One file fix-all changes: its text before (open document, else disk) and after. */
export interface FileChange {
  path: string;
  before: string;
  after: string;
}

export interface FixAllOutcome {
  result: FixAllResult;
  changes: FileChange[];
}

export interface InlayHintAt {
  line: number;
  label: string;
  tooltip: string;
}

export class Session {
  trusted: boolean;
  readonly savedBuilds = new SavedBuildCache();
  private readonly forecasts?: ForecastCache;
  private readonly workspaces = new Map<string, Workspace>();
  /**
   * The workspace of each file asked about, while the set of workspaces stays the same: a keystroke asks
   * for the same file several times (exclusion, analysis, saved builds, forecast), each answer a
   * path.relative per workspace.
   */
  private readonly owners = new Map<string, Workspace | undefined>();
  private readonly documents = new Map<string, OpenDocument>();
  /** each open Dockerfile's last analysis and the document version it analysed */
  private readonly analyses = new Map<string, { version: number; analysis: Analysis }>();
  private readonly ignoreFindings = new IgnoreFindings();
  /** contexts already walked once; the first walk of a context may take a while */
  private readonly walkedContexts = new Set<string>();

  constructor(opts: SessionOptions = {}) {
    this.trusted = opts.trusted ?? true;
    this.forecasts = opts.forecasts;
  }

  // --- workspaces ---

  /** A workspace folder (a new one replaces the old at that root). */
  addWorkspace(root: string): Workspace {
    const ws = new Workspace(root);
    this.workspaces.set(root, ws);
    this.owners.clear();
    return ws;
  }

  /** The workspace at this root, made on first use (the CLI: one per repository). */
  workspaceAt(root: string): Workspace {
    return this.workspaces.get(root) ?? this.addWorkspace(root);
  }

  removeWorkspace(root: string): void {
    this.workspaces.delete(root);
    this.owners.clear();
  }

  /** The innermost workspace holding the file. */
  workspaceFor(file: string | undefined): Workspace | undefined {
    if (!file) return undefined;
    if (this.owners.has(file)) return this.owners.get(file);
    let best: Workspace | undefined;
    for (const ws of this.workspaces.values())
      if (ws.contains(file) && (!best || ws.root.length > best.root.length)) best = ws;
    if (this.owners.size >= 4096) this.owners.clear();
    this.owners.set(file, best);
    return best;
  }

  firstWorkspace(): Workspace | undefined {
    return [...this.workspaces.values()][0];
  }

  /** A file on disk changed; true when it was a saved build (hover and inlay hints change). */
  onFileChanged(file: string, change: 'created' | 'changed' | 'deleted'): boolean {
    const ws = this.workspaceFor(file);
    ws?.onFileChanged(file, change);
    return !!ws && this.savedBuilds.onFileChanged(ws.root, file);
  }

  /** Whether .cachelens.json's "exclude" leaves the file unchecked (read only in a trusted workspace). */
  excludes(file: string): boolean {
    return this.trusted && !!this.workspaceFor(file)?.excludes(file);
  }

  // --- open documents ---

  openDocument(file: string, text: string, version: number, onDisk = true): void {
    this.documents.set(file, { text, version, onDisk });
  }

  /** A closed document: its analysis is forgotten; returns the ignore files whose findings changed. */
  closeDocument(file: string, kind: DocumentKind | undefined): string[] {
    const doc = this.documents.get(file);
    this.documents.delete(file);
    this.analyses.delete(file);
    this.workspaceFor(file)?.forgetDocument(file);
    this.forecasts?.forget(file);
    return doc?.onDisk && kind === 'dockerfile' ? this.recordIgnoreFindings(file, []) : [];
  }

  /** The open documents' texts that override the disk (absolute path → text). */
  overlays(): Map<string, string> {
    const m = new Map<string, string>();
    for (const [file, d] of this.documents) if (d.onDisk) m.set(file, d.text);
    return m;
  }

  /** The open document's text, else the file on disk. */
  textOf(file: string): string | undefined {
    return this.documents.get(file)?.text ?? this.workspaceFor(file)?.fs.readFile(file);
  }

  /** What the session analyses a document as, by its language and name. */
  kindOf(file: string, languageId?: string): DocumentKind | undefined {
    const name = path.basename(file);
    if (languageId === 'dockerignore' || isIgnoreFileName(name)) return 'ignore';
    // `Dockerfile.j2`, `dockerfile.go`: the editor tags them dockerfile by our own `Dockerfile.*` pattern, but
    // they are templates or programs; their findings (and fixes) would be about text that is not what Docker builds
    if (isDockerfileTemplateName(name)) return undefined;
    if (languageId === 'dockerfile' || isDockerfileName(name)) return 'dockerfile';
    return undefined;
  }

  // --- analysis ---

  /** A Dockerfile's findings in every build context, with the open documents' texts. */
  analyze(file: string, text: string, s: AnalysisSettings, ws = this.workspaceFor(file)): Analysis {
    const overlays = this.overlays();
    const opts = { rules: s.rules, mappings: s.contexts, trusted: this.trusted, overlays };
    if (ws) return ws.analyze(file, text, opts);
    const primary = lint({ path: file, text }, opts);
    return { primary, contexts: [], findings: primary.findings, problems: [] };
  }

  /** Analyses an open Dockerfile and keeps the result for hover and for the ignore files its contexts use. */
  analyzeDocument(file: string, s: AnalysisSettings): Analysis | undefined {
    const doc = this.documents.get(file);
    if (!doc) return undefined;
    const analysis = this.analyze(file, doc.text, s);
    this.analyses.set(file, { version: doc.version, analysis });
    return analysis;
  }

  /** The analysis of the open document's current version, if it has run. */
  currentAnalysis(file: string): Analysis | undefined {
    const doc = this.documents.get(file);
    const cached = this.analyses.get(file);
    return doc && cached && cached.version === doc.version ? cached.analysis : undefined;
  }

  hasAnalysed(file: string): boolean {
    return this.analyses.has(file);
  }

  /** Build contexts of the Dockerfile never walked yet (only a first analysis can meet one). */
  coldContexts(file: string, s: AnalysisSettings): { root: string; dirs: string[] } | undefined {
    const ws = this.workspaceFor(file);
    if (!ws || !this.trusted) return undefined;
    // the COPY sources of the open text (not the file on disk): the analysis that follows parses the same text
    // and resolves the same contexts, so this parse is the one it reuses
    const text = this.documents.get(file)?.text;
    const model = text === undefined ? undefined : parseDockerfile(text);
    const sources = model && !model.skipped ? localCopySources(model) : undefined;
    const dirs = ws
      .resolve(file, { mappings: s.contexts }, sources)
      .contexts.map((c) => c.contextDir)
      .filter((d) => !this.walkedContexts.has(d));
    return dirs.length ? { root: ws.root, dirs } : undefined;
  }

  /** Walks build contexts of the Dockerfile's workspace (coldContexts' dirs). */
  indexContexts(file: string, dirs: string[]): void {
    const ws = this.workspaceFor(file);
    for (const dir of dirs) {
      ws?.index.snapshot(dir, undefined);
      this.walkedContexts.add(dir);
    }
  }

  // --- ignore files ---

  /** Replaces what a Dockerfile places in ignore files; returns the ignore files whose findings changed. */
  recordIgnoreFindings(dockerfile: string, findings: Finding[]): string[] {
    return this.ignoreFindings.record(dockerfile, findings);
  }

  /** The findings the analysed Dockerfiles place in an ignore file. */
  ignoreFileFindings(ignore: string): Finding[] {
    return this.ignoreFindings.of(ignore);
  }

  /** Dockerfiles whose build uses this ignore file: `X.dockerignore` serves X; `.dockerignore` the Dockerfiles beside it and open ones whose context uses it. */
  dockerfilesServedBy(ignore: string): string[] {
    const dir = path.dirname(ignore);
    const out = new Set<string>();
    const own = dockerfileOfIgnoreFile(ignore);
    if (own !== undefined) out.add(own);
    else {
      const ws = this.workspaceFor(ignore);
      for (const e of ws?.fs.readDir(dir) ?? [])
        if (e.kind === 'file' && isDockerfileName(e.name) && !ws?.fs.stat(besideIgnoreFile(path.join(dir, e.name))))
          out.add(path.join(dir, e.name));
      for (const [file, a] of this.analyses)
        if (this.documents.get(file)?.onDisk !== false && a.analysis.contexts.some((c) => c.ignoreFile === ignore))
          out.add(file);
    }
    return [...out];
  }

  /** An ignore file changed: re-analyses the Dockerfiles it serves; tells which ignore files' findings changed after each. */
  analyzeServedBy(ignore: string, s: AnalysisSettings, onTouched: (ignores: string[]) => void): void {
    for (const dockerfile of this.dockerfilesServedBy(ignore)) {
      const text = this.textOf(dockerfile);
      if (text === undefined) continue;
      const analysis = this.analyze(dockerfile, text, s);
      onTouched(
        this.recordIgnoreFindings(
          dockerfile,
          analysis.findings.filter((f) => f.path !== dockerfile),
        ),
      );
    }
  }

  /** Hover on a line of an ignore file: the findings there, then what its pattern matches. */
  hoverIgnoreFile(file: string, text: string, line: number, s: AnalysisSettings): string | undefined {
    const ws = this.workspaceFor(file);
    const dockerfiles = this.dockerfilesServedBy(file);
    const ov = this.overlays();
    const contexts =
      ws && this.trusted
        ? dockerfiles
            .flatMap((d) => ws.resolve(d, { mappings: s.contexts }).contexts.filter((c) => c.ignoreFile === file))
            .map((c) => ws.view(c, ov))
        : [];
    const findings = this.ignoreFileFindings(file).filter(
      (f) => f.range.start.line <= line && line <= f.range.end.line,
    );
    const parts = [...new Set(findings.map((f) => `**${f.rule}** ${f.message}`))];
    const pattern = hoverIgnorePattern(file, text, line, contexts, dockerfiles);
    if (pattern) parts.push(pattern);
    return parts.length ? parts.join('\n\n---\n\n') : undefined;
  }

  // --- fix-all ---

  /** Fix-all on a Dockerfile, re-analysed with the open documents and the edits so far after each pass. */
  fixAll(
    file: string,
    text: string,
    s: AnalysisSettings & { unsafe?: boolean },
    ws = this.workspaceFor(file),
  ): FixAllOutcome {
    const opts = { rules: s.rules, mappings: s.contexts, trusted: this.trusted };
    const base = this.overlays();
    const contextOf = (changed: ReadonlyMap<string, string>) => {
      if (!changed.size) return this.analyze(file, text, s, ws).primaryContext;
      const overlays = new Map(base);
      for (const [p, t] of changed) overlays.set(p, t);
      return ws?.analyze(file, changed.get(file) ?? text, { ...opts, overlays }).primaryContext;
    };
    const result = fixAllInContext({ path: file, text }, contextOf, { rules: s.rules }, { unsafe: s.unsafe });
    const changes = [...result.files].map(([p, after]) => ({
      path: p,
      before: this.documents.get(p)?.text ?? (p === file ? text : (ws?.fs.readFile(p) ?? '')),
      after,
    }));
    return { result, changes };
  }

  // --- build contexts ---

  /** The markdown report of the Dockerfile's build contexts. */
  contextReport(file: string, text: string, s: AnalysisSettings): string {
    return contextReport(file, this.analyze(file, text, s), this.workspaceFor(file));
  }

  /** The status bar label of a Dockerfile's build context; undefined outside a workspace. */
  contextLabel(file: string, s: AnalysisSettings): ContextLabel | undefined {
    const ws = this.workspaceFor(file);
    if (!ws) return undefined;
    return contextLabel(ws.root, ws.resolve(file, { mappings: s.contexts, trusted: this.trusted }).contexts);
  }

  // --- saved builds and forecasts ---

  /** The last saved build of the Dockerfile, step by step. */
  buildEvidence(file: string, model: DockerfileModel): BuildEvidence | undefined {
    const ws = this.workspaceFor(file);
    if (!ws || !this.trusted) return undefined;
    try {
      return this.savedBuilds.evidence(ws.root, file, model);
    } catch {
      return undefined;
    }
  }

  /** Findings with the measured cost of a miss at their instruction, from the saved builds. */
  measured(file: string, model: DockerfileModel, findings: Finding[]): Finding[] {
    const ws = this.workspaceFor(file);
    if (!ws || !this.trusted) return findings;
    try {
      const records = this.savedBuilds.recordsOf(ws.root, file);
      return records.length ? withMeasuredCosts(findings, model, records).findings : findings;
    } catch {
      return findings;
    }
  }

  /** Where the last saved build first missed the cache, and why. */
  firstMiss(file: string, model: DockerfileModel): { range: Range; message: string } | undefined {
    const ev = this.buildEvidence(file, model);
    const message = ev && firstMissMessage(ev);
    return ev?.firstMiss && message ? { range: ev.firstMiss.range, message } : undefined;
  }

  /** The last build's status and time per step, on lines from..to. */
  inlayHints(file: string, model: DockerfileModel | undefined, from: number, to: number): InlayHintAt[] {
    const ev = model ? this.buildEvidence(file, model) : undefined;
    if (!ev) return [];
    const hints: InlayHintAt[] = [];
    for (const e of ev.steps.values()) {
      const line = e.instruction.range.start.line;
      if (line < from || line > to) continue;
      hints.push({ line, label: stepLabel(e), tooltip: `Last build (${ev.builder}, ${ev.savedAt})` });
    }
    return hints;
  }

  /** The cached forecast for the current HEAD; the first ask starts computing it in the background. */
  forecast(file: string): CachedForecast | undefined {
    const ws = this.workspaceFor(file);
    return this.trusted && ws ? this.forecasts?.get(file, ws.root) : undefined;
  }

  /** Imports a build log into .cachelens/builds/; returns a one-line summary, and whether anything was saved. */
  importBuildLog(log: string | undefined, dockerfile: string | undefined, note: (m: string) => void) {
    const ws = this.workspaceFor(dockerfile ?? log) ?? this.firstWorkspace();
    if (!log || !ws) return { imported: false, message: 'cachelens: open a folder and choose a build log' };
    // untrusted: importing reads the log, hashes the context's files and runs git; none of that happens
    if (!this.trusted)
      return {
        imported: false,
        message: 'cachelens: trust this workspace to import a build log (nothing was read or written)',
      };
    try {
      const r = buildLog({
        log,
        format: 'json',
        dockerfiles: dockerfile ? [dockerfile] : [],
        save: true,
        cwd: ws.root,
        note,
      });
      this.savedBuilds.clear();
      const message = r.builds
        .map(
          (b) =>
            `${b.dockerfile}: ${b.steps.filter((s) => s.status === 'cached').length} cached, ${b.steps.filter((s) => s.status === 'executed').length} ran` +
            (b.firstMiss ? `, first miss line ${b.firstMiss.range.start.line + 1}` : '') +
            (b.mismatches ? `, ${b.mismatches.length} step(s) no longer match` : ''),
        )
        .join('; ');
      return { imported: true, message };
    } catch (e) {
      return { imported: false, message: `cachelens: ${e instanceof BuildLogError ? e.message : String(e)}` };
    }
  }

  // --- hover ---

  /** Hover on a Dockerfile (given its analysis): the findings and explanation, the last build, the forecast. */
  hover(file: string, analysis: Analysis, position: Position): string | undefined {
    const own = analysis.findings.filter((f) => f.path === file);
    let out = hoverAt({ ...analysis.primary, findings: own }, position, analysis.primaryContext);
    const ins = analysis.primary.model.instructions.find((i) => containsPosition(i.range, position));
    const ev = ins ? this.buildEvidence(file, analysis.primary.model) : undefined;
    const last = ev && ins ? lastBuildHover(ev, ins) : undefined;
    if (last) out = out ? `${out}\n\n---\n\n${last}` : last;
    const forecast = this.forecast(file);
    const lines =
      forecast && ins
        ? [
            forecastHoverLine(forecast, ins),
            ...[...new Set(own.filter((f) => containsPosition(f.range, position)).map((f) => f.rule))].map((r) =>
              forecastFixLine(forecast, r),
            ),
          ].filter((l): l is string => !!l)
        : [];
    if (lines.length) out = [out, lines.join('\n\n')].filter(Boolean).join('\n\n---\n\n');
    return out;
  }
}
