// The `cachelens` command: check (text, JSON, SARIF), fix, explain.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { Workspace, isIgnoreFileName } from './engine/workspace';
import {
  DOCKERFILE_FILENAMES,
  DOCKERFILE_PATTERNS,
  SKIPPED_SCAN_DIRS,
  isDockerfileName,
  isDockerfileTemplateName,
} from './engine/names';
import { fixAll } from './engine/fix';
import { mergeSharedFindings } from './engine/merge';
import { contextSummary } from './engine/hover';
import { renderRuleDocs, renderRulesMarkdown, ruleDocsUrl } from './engine/docs';
import { RULES, ruleById } from './rules/registry';
import type { Finding, Severity } from './rules/rule';
import type { RuleSetting } from './engine/lint';
import { tooLargeToAnalyse } from './parse/limits';
import { FORMATS } from './formats/registry';
import { buildLog, BuildLogError, renderBuildLogText } from './engine/buildLog';
import { renderHtmlReport } from './engine/report';
import { loadBuilds, withMeasuredCosts } from './engine/buildEvidence';
import { forecastDockerfile, forecastJson, forecastText, ForecastUnavailable } from './engine/forecast';
import { dockerfileOfIgnoreFile } from './context/ignoreFiles';
import { VERSION } from './engine/version';
import { MAX_FILE_BYTES } from './parse/limits';

const LOOKED_FOR = [...DOCKERFILE_FILENAMES, ...DOCKERFILE_PATTERNS].join(', ');
// dockerfile-ast's parse grows faster than linearly; past this size a file is reported, not analysed
export const MAX_DOCKERFILE_BYTES = MAX_FILE_BYTES;

class UsageError extends Error {}
/** bad input named in one line (no usage text), exit 2 */
class InputError extends Error {}

const USAGE = `Usage:
  cachelens check [--format text|json|sarif|github|gitlab|checkstyle] [--fail-on error|warning|info|hint|never] [--rule ID=SEVERITY] [--sort line|cost] <paths…>
  cachelens fix [--dry-run] [--unsafe] <paths…>
  cachelens build-log [--format text|json] [--dockerfile PATH]… [--provenance FILE] [--save] <LOG|->
  cachelens report --html OUT [--build-log LOG] <paths…>
  cachelens forecast [--format text|json] [--commits N] [--root WORKSPACE] <paths…>
  cachelens explain <RULE-ID>
  cachelens rules
A directory is searched for ${LOOKED_FOR} (skipping templates and source files such as Dockerfile.j2 or dockerfile.go, and ${[...SKIPPED_SCAN_DIRS].join(', ')}); a file named explicitly is always analysed.
Exit codes: 0 no finding at or above --fail-on (default warning), 1 findings, 2 usage or I/O error.`;

interface Target {
  /** the argument it came from; JSON/SARIF paths are relative to it */
  base: string;
  workspace: Workspace;
  dockerfile: string;
}

interface FileReport {
  path: string;
  kind: 'dockerfile' | 'dockerignore';
  findings: Finding[];
  header?: string;
}

function parseArgs(argv: string[]) {
  const flags: Record<string, string[]> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      const takesValue = [
        'format',
        'fail-on',
        'rule',
        'dockerfile',
        'provenance',
        'html',
        'build-log',
        'sort',
        'commits',
        'root',
      ].includes(name);
      const value = eq > 0 ? a.slice(eq + 1) : takesValue ? argv[++i] : 'true';
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      (flags[name] ??= []).push(value);
    } else positionals.push(a);
  }
  return { flags, positionals };
}

function findDockerfiles(dir: string, depth = 0, out: string[] = []): string[] {
  if (depth > 12) return out;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.isDirectory() && !SKIPPED_SCAN_DIRS.has(e.name)) findDockerfiles(path.join(dir, e.name), depth + 1, out);
    else if (e.isFile() && isDockerfileName(e.name)) out.push(path.join(dir, e.name));
  }
  return out;
}

function targetsFor(args: string[]): Target[] {
  if (!args.length) throw new UsageError('no paths given');
  const targets: Target[] = [];
  const byRoot = new Map<string, Workspace>();
  for (const arg of args) {
    const abs = path.resolve(arg);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (e) {
      throw new IoError(`cannot read ${arg}: ${(e as NodeJS.ErrnoException).code ?? e}`);
    }
    if (st.isDirectory()) {
      const workspace = new Workspace(abs);
      for (const f of findDockerfiles(abs)) targets.push({ base: abs, workspace, dockerfile: f });
    } else if (isIgnoreFileName(path.basename(abs))) {
      // an ignore file (as pre-commit passes it) is checked through the Dockerfiles it serves
      const base = path.dirname(abs);
      const workspace = new Workspace(base);
      for (const f of dockerfilesServedBy(abs, findDockerfiles(base))) targets.push({ base, workspace, dockerfile: f });
    } else {
      // The repository around the file is the workspace, so a context named by its
      // workflows or Makefiles, or inferred above the Dockerfile's folder, can be read.
      const base = path.dirname(abs);
      const root = repositoryRoot(base) ?? base;
      const workspace = byRoot.get(root) ?? new Workspace(root);
      byRoot.set(root, workspace);
      targets.push({ base, workspace, dockerfile: abs });
    }
  }
  // a Dockerfile named twice (itself and through its ignore file) is checked once
  return targets
    .filter((t, i) => targets.findIndex((u) => u.dockerfile === t.dockerfile) === i)
    .filter((t) => !projectConfigOf(t.workspace).excludes(t.dockerfile));
}

/** The workspace's .cachelens.json; a broken one stops the run (exit 2) with its first problem. */
function projectConfigOf(workspace: Workspace): Workspace {
  const { config, problems: found } = workspace.projectConfig();
  const problems = [
    ...found,
    ...Object.keys(config.rules)
      .filter((id) => !ruleById(id))
      .map((id) => `.cachelens.json: "rules" has ${id}, which is no cachelens rule (\`cachelens rules\` lists them)`),
  ];
  if (problems.length)
    throw new InputError(`${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`);
  return workspace;
}

/** The nearest folder from `dir` up that holds `.git` (a folder, or a file in a worktree), if any. */
function repositoryRoot(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

class IoError extends Error {}

/**
 * `x.Dockerfile.dockerignore` serves `x.Dockerfile` beside it; `.dockerignore`
 * (or `.containerignore`) serves the Dockerfiles at or under its folder.
 */
export function dockerfilesServedBy(ignoreFile: string, candidates: string[]): string[] {
  const own = dockerfileOfIgnoreFile(ignoreFile);
  if (own !== undefined) return candidates.includes(own) ? [own] : [];
  return candidates;
}

function readText(file: string): string {
  let buf: Buffer;
  try {
    const st = fs.statSync(file);
    if (st.size > MAX_DOCKERFILE_BYTES)
      throw new IoError(
        `${file} is ${(st.size / 1024 / 1024).toFixed(1)} MB, more than the 1 MB cachelens analyses; skipped`,
      );
    buf = fs.readFileSync(file);
  } catch (e) {
    if (e instanceof IoError) throw e;
    throw new IoError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  if (buf.subarray(0, 8192).includes(0)) throw new IoError(`${file} is not a text file`);
  const text = buf.toString('utf8');
  const tooLarge = tooLargeToAnalyse(text);
  if (tooLarge) throw new IoError(`${file} is not analysed: ${tooLarge}`);
  return text;
}

function ruleSettings(flags: Record<string, string[]>): Record<string, RuleSetting> {
  const out: Record<string, RuleSetting> = {};
  for (const r of flags.rule ?? []) {
    const [id, sev] = r.split('=');
    if (!ruleById(id ?? '') || !['error', 'warning', 'info', 'hint', 'off'].includes(sev ?? ''))
      throw new UsageError(`--rule takes ID=error|warning|info|hint|off, got ${r}`);
    out[id.toUpperCase()] = sev as RuleSetting;
  }
  return out;
}

function rel(base: string, p: string): string {
  return path.relative(base, p).split(path.sep).join('/') || path.basename(p);
}

function check(flags: Record<string, string[]>, args: string[], out: (s: string) => void): number {
  const format = flags.format?.[0] ?? 'text';
  const formats = ['text', 'json', 'sarif', ...Object.keys(FORMATS)];
  if (!formats.includes(format))
    throw new InputError(`unknown --format ${format}; use ${formats.slice(0, -1).join(', ')} or ${formats.at(-1)}`);
  const failOn = flags['fail-on']?.[0] ?? 'warning';
  const order: Record<string, number> = { error: 0, warning: 1, info: 2, hint: 3, never: -1 };
  if (!(failOn in order)) throw new UsageError(`--fail-on must be error, warning, info, hint or never, not ${failOn}`);
  const rules = ruleSettings(flags);
  const sort = flags.sort?.at(-1);
  if (sort !== undefined && sort !== 'cost' && sort !== 'line')
    throw new UsageError(`--sort must be cost or line, not ${sort}`);
  const sortByCost = sort === 'cost';
  const costs = new Map<Finding, number>();
  const targets = targetsFor(args);
  const reports = new Map<string, FileReport & { base: string }>();
  const warnings: string[] = [];
  for (const t of targets) {
    let text: string;
    try {
      text = readText(t.dockerfile);
    } catch (e) {
      if (targets.length === 1) throw e;
      warnings.push(`cachelens: ${(e as Error).message}; skipped`);
      continue;
    }
    // only a file named on the command line can be one: scans skip them
    if (isDockerfileTemplateName(path.basename(t.dockerfile)))
      warnings.push(
        `cachelens: ${rel(t.base, t.dockerfile)} looks like a template or source file, not a Dockerfile; analysed as one because it was named`,
      );
    const analysis = t.workspace.analyze(t.dockerfile, text, { rules });
    // saved builds (.cachelens/builds/ under the argument) give findings their measured cost
    const saved = loadBuilds(t.base, rel(t.base, t.dockerfile).split(path.sep).join('/'));
    const costed = saved.length ? withMeasuredCosts(analysis.findings, analysis.primary.model, saved) : undefined;
    if (costed) {
      analysis.findings = costed.findings;
      for (const f of costed.findings) costs.set(f, costed.cost(f));
    }
    for (const e of analysis.primary.errors)
      warnings.push(`cachelens: internal error in rule ${e.rule} on ${rel(t.base, t.dockerfile)}: ${e.message}`);
    for (const p of analysis.problems) warnings.push(`cachelens: ${rel(t.base, p.file)}: ${p.message}`);
    // the text format says it in the header; JSON and SARIF readers get it on stderr
    if (format !== 'text' && analysis.primaryContext?.truncated)
      warnings.push(
        `cachelens: ${rel(t.base, t.dockerfile)}: build context listing incomplete (${analysis.primaryContext.truncated}); file counts are lower bounds`,
      );
    const key = t.dockerfile;
    const header = `${rel(t.base, t.dockerfile)}: ${contextSummary(analysis.primaryContext, (p) => rel(t.base, p))}`;
    reports.set(key, { base: t.base, path: rel(t.base, key), kind: 'dockerfile', findings: [], header });
    for (const f of analysis.findings) {
      if (!reports.has(f.path))
        reports.set(f.path, { base: t.base, path: rel(t.base, f.path), kind: 'dockerignore', findings: [] });
      const r = reports.get(f.path)!;
      // an ignore file's line gets one finding per rule, however many Dockerfiles it serves (the first, with counts, is kept)
      const same = (x: Finding) =>
        x.rule === f.rule &&
        x.range.start.line === f.range.start.line &&
        ((r.kind === 'dockerignore' && !ruleById(f.rule)?.merge) || x.message === f.message);
      if (!r.findings.some(same)) r.findings.push(f);
    }
  }
  // a file several Dockerfiles share (an ignore file) gets one finding per rule and spot, with what each needs
  for (const r of reports.values()) if (r.kind === 'dockerignore') r.findings = mergeSharedFindings(r.findings);
  const files = [...reports.values()];
  if (sortByCost) for (const f of files) f.findings.sort((a, b) => (costs.get(b) ?? -1) - (costs.get(a) ?? -1));
  const all = files.flatMap((f) => f.findings);
  if (format === 'json') out(JSON.stringify({ version: 1, files: files.map((f) => jsonFile(f)) }, null, 2));
  else if (format === 'sarif') out(JSON.stringify(sarif(files), null, 2));
  else if (FORMATS[format])
    out(
      FORMATS[format](files, {
        cwd: process.cwd(),
        readText: (p) => {
          try {
            return fs.readFileSync(p, 'utf8');
          } catch {
            return undefined;
          }
        },
      }),
    );
  else {
    for (const f of files) {
      if (f.header) out(`# ${f.header}`);
      for (const x of f.findings)
        out(`${f.path}:${x.range.start.line + 1}:${x.range.start.character + 1} ${x.severity} ${x.rule} ${x.message}`);
    }
    const counts = (['error', 'warning', 'info', 'hint'] as Severity[])
      .map((s) => [s, all.filter((f) => f.severity === s).length] as const)
      .filter(([, n]) => n);
    out(
      `${targets.length} Dockerfile${targets.length === 1 ? '' : 's'} checked: ${counts.length ? counts.map(([s, n]) => `${n} ${s}${n === 1 ? '' : 's'}`).join(', ') : 'no findings'}.`,
    );
    if (!targets.length) out(`No Dockerfile found (looked for ${LOOKED_FOR}).`);
  }
  for (const w of warnings) process.stderr.write(w + '\n');
  const threshold = order[failOn];
  return threshold >= 0 && all.some((f) => order[f.severity] <= threshold) ? 1 : 0;
}

function jsonFile(f: FileReport & { base: string }) {
  return {
    path: f.path,
    kind: f.kind,
    findings: f.findings.map((x) => ({
      rule: x.rule,
      severity: x.severity,
      message: x.message,
      range: x.range,
      fixes: x.fixes.map((fix) => ({
        title: fix.title,
        safe: fix.safe,
        edits: fix.edits.map((e) => ({ path: rel(f.base, e.path), range: e.range, newText: e.newText })),
      })),
    })),
  };
}

function sarif(files: (FileReport & { base: string })[]) {
  const level = (s: Severity) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'cachelens',
            version: VERSION,
            informationUri: 'https://github.com/cachelens/cachelens',
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.title },
              fullDescription: { text: r.docs.what },
              helpUri: ruleDocsUrl(r),
              help: { text: r.docs.why, markdown: renderRuleDocs(r) },
              defaultConfiguration: { level: level(r.defaultSeverity) },
            })),
          },
        },
        results: files.flatMap((f) =>
          f.findings.map((x) => ({
            ruleId: x.rule,
            ruleIndex: RULES.findIndex((r) => r.id === x.rule),
            level: level(x.severity),
            message: { text: x.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: f.path, uriBaseId: '%SRCROOT%' },
                  region: region(x.range),
                },
              },
            ],
            relatedLocations: x.related.map((r, i) => ({
              id: i + 1,
              message: { text: r.message },
              physicalLocation: {
                artifactLocation: { uri: rel(f.base, r.path), uriBaseId: '%SRCROOT%' },
                region: region(r.range),
              },
            })),
            fixes: x.fixes.map((fix) => ({
              description: { text: fix.title },
              artifactChanges: groupBy(fix.edits, (e) => e.path).map(([p, edits]) => ({
                artifactLocation: { uri: rel(f.base, p), uriBaseId: '%SRCROOT%' },
                replacements: edits.map((e) => ({
                  deletedRegion: region(e.range),
                  insertedContent: { text: e.newText },
                })),
              })),
            })),
          })),
        ),
      },
    ],
  };
}

function region(r: Finding['range']) {
  return {
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  };
}

function groupBy<T>(xs: T[], key: (x: T) => string): [string, T[]][] {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return [...m];
}

function fix(flags: Record<string, string[]>, args: string[], out: (s: string) => void): number {
  const dryRun = !!flags['dry-run'];
  const unsafe = !!flags.unsafe;
  const rules = ruleSettings(flags);
  let changed = 0;
  // a dry run writes nothing: what earlier Dockerfiles' fixes changed (a shared ignore file) is laid over the files
  const pending = new Map<string, string>();
  const original = new Map<string, { name: string; before: string }>();
  for (const t of targetsFor(args)) {
    const text = pending.get(t.dockerfile) ?? readText(t.dockerfile);
    const first = t.workspace.analyze(t.dockerfile, text, { rules, overlays: new Map(pending) });
    const result = fixAll(
      { path: t.dockerfile, text, context: first.primaryContext },
      { rules },
      {
        unsafe,
        reinput: (files) => {
          const overlays = new Map([...pending, ...files]);
          const next = t.workspace.analyze(t.dockerfile, files.get(t.dockerfile) ?? text, { rules, overlays });
          return { path: t.dockerfile, text: files.get(t.dockerfile) ?? text, context: next.primaryContext };
        },
      },
    );
    for (const [file, after] of result.files) {
      const before = file === t.dockerfile ? text : (pending.get(file) ?? t.workspace.fs.readFile(file) ?? '');
      if (before === after && !result.created.has(file)) continue;
      changed++;
      const name = rel(t.base, file);
      // what was written is laid over the disk for the next Dockerfiles too: the workspace may remember the old text
      pending.set(file, after);
      if (dryRun) {
        if (!original.has(file)) original.set(file, { name, before });
      } else {
        fs.writeFileSync(file, after);
        const fixesHere = result.applied.filter((a) => a.changed.includes(file));
        out(`fixed ${name}: ${[...new Set(fixesHere.map((a) => `${a.rule} ${a.title}`))].join('; ')}`);
      }
    }
  }
  // each file once, from what is on disk to what all fixes together make of it (an ignore file several Dockerfiles share)
  for (const [file, { name, before }] of original)
    out(createTwoFilesPatch(`a/${name}`, `b/${name}`, before, pending.get(file)!).replace(/^=+\n/, ''));
  if (!changed) out('nothing to fix');
  return 0;
}

function report(flags: Record<string, string[]>, args: string[], out: (s: string) => void): number {
  const html = flags.html?.at(-1);
  if (!html) throw new UsageError('report needs --html OUT');
  const targets = targetsFor(args);
  const cwd = process.cwd();
  const files = targets.map((t) => {
    const text = readText(t.dockerfile);
    const analysis = t.workspace.analyze(t.dockerfile, text, { rules: ruleSettings(flags) });
    return { path: rel(cwd, t.dockerfile), text, findings: analysis.findings.filter((f) => f.path === t.dockerfile) };
  });
  const logFile = flags['build-log']?.at(-1);
  let builds: ReturnType<typeof buildLog>['builds'] = [];
  if (logFile) {
    try {
      builds = buildLog({
        log: logFile,
        format: 'json',
        dockerfiles: targets.map((t) => t.dockerfile),
        save: false,
        cwd,
        note: (s) => process.stderr.write(`cachelens: ${s}\n`),
      }).builds;
    } catch (e) {
      if (e instanceof BuildLogError) throw new IoError(e.message);
      throw e;
    }
  }
  fs.writeFileSync(html, renderHtmlReport(files, builds));
  out(
    `wrote ${html}: ${files.length} Dockerfile${files.length === 1 ? '' : 's'}${logFile ? `, ${builds.length} build${builds.length === 1 ? '' : 's'} mapped` : ''}`,
  );
  return 0;
}

function buildLogCommand(flags: Record<string, string[]>, args: string[], out: (s: string) => void): number {
  const format = flags.format?.at(-1) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError('build-log --format is text or json');
  if (args.length !== 1) throw new UsageError('build-log needs one log file (or - for stdin)');
  try {
    const result = buildLog({
      log: args[0],
      format,
      dockerfiles: flags.dockerfile ?? [],
      save: !!flags.save,
      provenance: flags.provenance?.at(-1),
      cwd: process.cwd(),
      note: (s) => process.stderr.write(`cachelens: ${s}\n`),
    });
    out(format === 'json' ? JSON.stringify(result, null, 2) : renderBuildLogText(result));
    return 0;
  } catch (e) {
    if (e instanceof BuildLogError) throw new IoError(e.message);
    throw e;
  }
}

function forecast(flags: Record<string, string[]>, args: string[], out: (s: string) => void): number {
  const format = flags.format?.[0] ?? 'text';
  if (!['text', 'json'].includes(format)) throw new UsageError(`--format must be text or json, not ${format}`);
  const commits = Number(flags.commits?.[0] ?? 100);
  if (!Number.isInteger(commits) || commits < 1)
    throw new UsageError(`--commits takes a whole number of at least 1, not ${flags.commits?.[0]}`);
  const rules = ruleSettings(flags);
  const results: ReturnType<typeof forecastJson>[] = [];
  let failed = 0;
  // the workspace (git looks for no repository above it): --root, else the current directory when it holds the
  // Dockerfile (`cachelens forecast hack/lint.Dockerfile` from the repository root), else the argument's
  const cwd = process.cwd();
  const rootOf = (file: string) =>
    flags.root?.[0] ? path.resolve(flags.root[0]) : !path.relative(cwd, file).startsWith('..') ? cwd : undefined;
  const workspaces = new Map<string, Workspace>();
  const targets = targetsFor(args).map((t) => {
    const root = rootOf(t.dockerfile);
    if (!root || root === t.workspace.root) return t;
    if (!workspaces.has(root)) workspaces.set(root, new Workspace(root));
    return { ...t, workspace: workspaces.get(root)! };
  });
  for (const t of targets) {
    const name = rel(t.base, t.dockerfile);
    try {
      const f = forecastDockerfile(t.workspace, t.dockerfile, readText(t.dockerfile), { commits, rules });
      for (const n of f.notes) process.stderr.write(`cachelens: ${name}: ${n}\n`);
      if (format === 'json') results.push(forecastJson(f, name));
      else for (const line of forecastText(f, name)) out(line);
    } catch (e) {
      if (!(e instanceof ForecastUnavailable || e instanceof IoError)) throw e;
      failed++;
      process.stderr.write(`cachelens: ${name}: ${e.message}\n`);
    }
  }
  if (format === 'json') out(JSON.stringify({ version: 1, dockerfiles: results }, null, 2));
  else if (!targets.length)
    out('No Dockerfile found (looked for Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile).');
  return failed && failed === targets.length ? 2 : 0;
}

export function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s + '\n')): number {
  try {
    const [command, ...rest] = argv;
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      out(USAGE);
      return command ? 0 : 2;
    }
    if (command === '--version' || command === '-v') {
      out(VERSION);
      return 0;
    }
    const { flags, positionals } = parseArgs(rest);
    switch (command) {
      case 'check':
        return check(flags, positionals, out);
      case 'fix':
        return fix(flags, positionals, out);
      case 'report':
        return report(flags, positionals, out);
      case 'build-log':
        return buildLogCommand(flags, positionals, out);
      case 'forecast':
        return forecast(flags, positionals, out);
      case 'explain': {
        const rule = ruleById(positionals[0] ?? '');
        if (!rule)
          throw new UsageError(
            positionals[0]
              ? `no rule ${positionals[0]}; \`cachelens rules\` lists them`
              : 'explain needs a rule id, e.g. cachelens explain CL001',
          );
        out(renderRuleDocs(rule));
        return 0;
      }
      case 'rules':
        for (const r of RULES) out(`${r.id}  ${r.name.padEnd(34)} ${r.defaultSeverity.padEnd(8)} ${r.title}`);
        return 0;
      case 'docs':
        out(renderRulesMarkdown());
        return 0;
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`cachelens: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof IoError || e instanceof InputError) {
      process.stderr.write(`cachelens: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`cachelens: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
    return 2;
  }
}

/**
 * The process entry (bin/cachelens): a reader that closes the pipe early
 * (`cachelens check . | head -3`) ends the run quietly with the exit code
 * already decided, as command-line tools do.
 */
export function run(argv: string[]): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit();
      throw e;
    });
  }
  process.exitCode = main(argv);
}

if (require.main === module) run(process.argv.slice(2));
