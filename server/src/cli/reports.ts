// The commands about builds: `report --html` (findings beside an imported
// build), `build-log` (import a log, map it onto Dockerfiles) and `forecast`
// (the cache forecast from git history).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildLog, BuildLogError, renderBuildLogText, type BuildLogResult } from '../engine/buildLog';
import { renderHtmlReport } from '../engine/report';
import { forecastDockerfile, forecastJson, forecastText, ForecastUnavailable } from '../engine/forecast';
import type { Session } from '../engine/session';
import { IoError, UsageError, rel, ruleSettings, type Flags, type Out } from './args';
import { readText, targetsFor, type Target } from './targets';

const note = (s: string) => process.stderr.write(`cachelens: ${s}\n`);

export function report(flags: Flags, args: string[], out: Out, session: Session): number {
  const html = flags.html?.at(-1);
  if (!html) throw new UsageError('report needs --html OUT');
  const targets = targetsFor(args, session);
  const cwd = process.cwd();
  const files = targets.map((t) => {
    const text = readText(t.dockerfile);
    const analysis = session.analyze(t.dockerfile, text, { rules: ruleSettings(flags) }, t.workspace);
    return { path: rel(cwd, t.dockerfile), text, findings: analysis.findings.filter((f) => f.path === t.dockerfile) };
  });
  const logFile = flags['build-log']?.at(-1);
  let builds: BuildLogResult['builds'] = [];
  if (logFile) {
    try {
      builds = buildLog({
        log: logFile,
        format: 'json',
        dockerfiles: targets.map((t) => t.dockerfile),
        save: false,
        cwd,
        note,
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

export function buildLogCommand(flags: Flags, args: string[], out: Out): number {
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
      note,
    });
    out(format === 'json' ? JSON.stringify(result, null, 2) : renderBuildLogText(result));
    return 0;
  } catch (e) {
    if (e instanceof BuildLogError) throw new IoError(e.message);
    throw e;
  }
}

function forecastOptions(flags: Flags) {
  const format = flags.format?.[0] ?? 'text';
  if (!['text', 'json'].includes(format)) throw new UsageError(`--format must be text or json, not ${format}`);
  const commits = Number(flags.commits?.[0] ?? 100);
  if (!Number.isInteger(commits) || commits < 1)
    throw new UsageError(`--commits takes a whole number of at least 1, not ${flags.commits?.[0]}`);
  return { format, commits, rules: ruleSettings(flags) };
}

/**
 * The workspace git runs in (it looks for no repository above it): --root, else the current directory when it
 * holds the Dockerfile (`cachelens forecast hack/lint.Dockerfile` from the repository root), else the argument's.
 */
function forecastTargets(flags: Flags, args: string[], session: Session): Target[] {
  const cwd = process.cwd();
  const rootOf = (file: string) =>
    flags.root?.[0] ? path.resolve(flags.root[0]) : !path.relative(cwd, file).startsWith('..') ? cwd : undefined;
  return targetsFor(args, session).map((t) => {
    const root = rootOf(t.dockerfile);
    if (!root || root === t.workspace.root) return t;
    return { ...t, workspace: session.workspaceAt(root) };
  });
}

export function forecast(flags: Flags, args: string[], out: Out, session: Session): number {
  const { format, commits, rules } = forecastOptions(flags);
  const results: ReturnType<typeof forecastJson>[] = [];
  let failed = 0;
  const targets = forecastTargets(flags, args, session);
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
