// `cachelens build-log`: reads one build's output, maps it onto the Dockerfiles
// it built, explains the first miss from the previous saved build, and with
// --save keeps the mapped build in `.cachelens/builds/`.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as crypto from 'node:crypto';
import { AutoReader, applyProvenance, type LogBuild, type ParsedLog } from '../builds/log';
import { cleanLine, forEachLineSync } from '../builds/lines';
import { fitScore, mapBuildWithNames, type MappedBuild } from '../builds/map';
import { explainMiss, loadBuilds, saveBuild, type CopyFiles, type MissCause, type SavedBuild } from '../builds/save';
import { ancestry, parseDockerfile, type DockerfileModel } from '../parse/dockerfile';
import { MAX_FILE_BYTES } from '../parse/limits';
import { filesMatchingSource } from '../context/view';
import { Git } from '../history/git';
import { gitDiffUnderCopy } from './missFiles';
import { Workspace } from './workspace';
import { findDockerfiles } from './names';

export interface BuildLogOptions {
  /** the log file, or '-' for stdin */
  log: string;
  format: 'text' | 'json';
  dockerfiles: string[];
  save: boolean;
  provenance?: string;
  cwd: string;
  /** progress and notes (stderr) */
  note: (s: string) => void;
}

export class BuildLogError extends Error {}

export interface BuildLogResult {
  version: 1;
  builds: (MappedBuild & { firstMiss: (MappedBuild['firstMiss'] & { cause?: MissCause }) | null })[];
}

const MAX_HASH_FILES = 20000;
const MAX_HASH_BYTES = 512 * 1024 * 1024;

/** Reads and parses a log (file or stdin) in bounded memory. */
export function readBuildLog(file: string, note: (s: string) => void = () => {}): ParsedLog {
  let fd: number;
  try {
    fd = file === '-' ? 0 : fs.openSync(file, 'r');
  } catch (e) {
    throw new BuildLogError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  const reader = new AutoReader();
  try {
    forEachLineSync(
      fd,
      (line) => reader.push(cleanLine(line)),
      (p) => note(`read ${Math.round(p.bytes / 1048576)} MB${p.size ? ` of ${Math.round(p.size / 1048576)} MB` : ''}…`),
    );
  } catch (e) {
    throw new BuildLogError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  } finally {
    if (fd !== 0) fs.closeSync(fd);
  }
  return reader.finish();
}

function readModel(file: string): DockerfileModel | undefined {
  try {
    const st = fs.statSync(file);
    if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
    const text = fs.readFileSync(file, 'utf8');
    const model = parseDockerfile(text);
    return model.skipped ? undefined : model;
  } catch {
    return undefined;
  }
}

/** HEAD of the repository holding dir, looked for no higher than the workspace root. */
function gitRevision(dir: string, root: string): string | null {
  try {
    const out = new Git({ workspaceRoot: root, timeoutMs: 5000 }).run(['rev-parse', '--verify', '-q', 'HEAD'], dir);
    return out.toString('utf8').trim() || null;
  } catch {
    return null;
  }
}

/** sha256 of each file each local COPY/ADD brings in, from the Dockerfile's resolved context. */
export function hashCopies(dockerfileAbs: string, model: DockerfileModel, root: string): CopyFiles[] {
  const ws = new Workspace(root);
  const ctx = ws.resolve(dockerfileAbs).contexts[0];
  if (!ctx) return [];
  const view = ws.view(ctx);
  const out: CopyFiles[] = [];
  let files = 0;
  let bytes = 0;
  for (const ins of model.instructions) {
    const c = ins.copy;
    if (!c || c.from !== undefined || c.heredoc) continue;
    const rec: CopyFiles = {
      line: ins.range.start.line,
      instruction: ins.text.split(/\r?\n/)[0].replace(/\s+/g, ' ').trim(),
      files: {},
    };
    for (const src of c.sources) {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(src.value) || src.value.includes('$')) continue;
      for (const f of filesMatchingSource(view.files, src.value.replace(/^\/+/, ''))) {
        if (f.path in rec.files) continue;
        if (files >= MAX_HASH_FILES || bytes + f.size > MAX_HASH_BYTES) {
          rec.partial = true;
          break;
        }
        try {
          rec.files[f.path] = crypto
            .createHash('sha256')
            .update(fs.readFileSync(path.join(view.dir, f.path)))
            .digest('hex');
          files++;
          bytes += f.size;
        } catch {
          rec.files[f.path] = 'unreadable';
        }
      }
    }
    out.push(rec);
  }
  return out;
}

// ARGs a RUN sees: declared earlier in its stage or the stages it builds FROM (proxy ARGs are predefined and not in the key)
function argsInScope(model: DockerfileModel, line: number): string[] {
  const ins = model.instructions.find((i) => i.range.start.line === line);
  if (!ins?.stage) return [];
  const names: string[] = [];
  for (const p of [...ancestry(ins.stage).reverse(), ins.stage])
    for (const i of p.instructions)
      if (i.keyword === 'ARG' && i.index < ins.index) for (const v of i.vars ?? []) names.push(v.name);
  return [...new Set(names)];
}

interface Candidate {
  abs: string;
  model: DockerfileModel;
}

function pickDockerfile(build: LogBuild, candidates: Candidate[], cwd: string) {
  let best: { cand: Candidate; mapped: ReturnType<typeof mapBuildWithNames>; score: number } | undefined;
  for (const cand of candidates) {
    const rel = path.relative(cwd, cand.abs) || path.basename(cand.abs);
    const mapped = mapBuildWithNames(build, cand.model, rel.split(path.sep).join('/'));
    let score = fitScore(mapped.build) * 4;
    if (build.dockerfileName && path.basename(cand.abs) === path.basename(build.dockerfileName)) score += 1;
    if (!best || score > best.score) best = { cand, mapped, score };
  }
  return best;
}

/** One build of the log, mapped onto its Dockerfile, its first miss explained (and saved with --save). */
function mapOne(
  best: NonNullable<ReturnType<typeof pickDockerfile>>,
  opts: BuildLogOptions,
): BuildLogResult['builds'][number] {
  const mapped = best.mapped.build;
  if (!mapped.steps.length && mapped.mismatches?.length) {
    opts.note(
      `${mapped.dockerfile}: none of the log's ${mapped.mismatches.length} numbered step(s) match this Dockerfile (edited since, or another Dockerfile)`,
    );
  }
  const previous = loadBuilds(opts.cwd, mapped.dockerfile).at(-1);
  let record: SavedBuild | undefined;
  if (opts.save || (previous && mapped.firstMiss)) {
    record = {
      ...mapped,
      version: 1,
      savedAt: new Date().toISOString(),
      gitRevision: gitRevision(path.dirname(best.cand.abs), opts.cwd),
      logged: best.mapped.logged,
      copies: hashCopies(best.cand.abs, best.cand.model, opts.cwd),
    };
  }
  const cause = record
    ? explainMiss(
        record,
        previous,
        mapped.firstMiss ? argsInScope(best.cand.model, mapped.firstMiss.range.start.line) : [],
        () =>
          gitDiffUnderCopy({
            dockerfileAbs: best.cand.abs,
            model: best.cand.model,
            root: opts.cwd,
            line: mapped.firstMiss!.range.start.line,
            fromRevision: previous?.gitRevision ?? null,
            toRevision: record!.gitRevision,
          }),
      )
    : undefined;
  const out = {
    ...mapped,
    firstMiss: mapped.firstMiss ? { ...mapped.firstMiss, ...(cause ? { cause } : {}) } : null,
  };
  if (opts.save && record) {
    if (cause) record.cause = cause;
    const file = saveBuild(opts.cwd, record);
    opts.note(`saved ${path.relative(opts.cwd, file)}`);
  }
  return out;
}

export function buildLog(opts: BuildLogOptions): BuildLogResult {
  const parsed = readBuildLog(opts.log, opts.note);
  for (const n of parsed.notes) opts.note(n);
  if (!parsed.format || !parsed.builds.length) {
    throw new BuildLogError(
      `${opts.log === '-' ? 'stdin' : opts.log}: no build steps found in ${parsed.lines} line(s); expected BuildKit plain progress (--progress=plain), BuildKit rawjson or buildah/podman --layers output`,
    );
  }
  if (opts.provenance) {
    let prov: unknown;
    try {
      const st = fs.statSync(opts.provenance);
      if (st.size > 64 * 1024 * 1024) throw new BuildLogError(`${opts.provenance} is larger than 64 MB`);
      prov = JSON.parse(fs.readFileSync(opts.provenance, 'utf8'));
    } catch (e) {
      if (e instanceof BuildLogError) throw e;
      throw new BuildLogError(
        `cannot read the provenance ${opts.provenance}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
    if (!applyProvenance(parsed, prov)) opts.note(`${opts.provenance}: no step of the log has a source location in it`);
  }
  if (parsed.builds.length > 1 && !parsed.builds.some((b) => b.service))
    opts.note(`the log holds ${parsed.builds.length} builds; each is mapped`);

  const given = opts.dockerfiles.map((d) => path.resolve(opts.cwd, d));
  for (const g of given) if (!fs.existsSync(g)) throw new BuildLogError(`cannot read ${g}: ENOENT`);
  const candidateFiles = given.length ? given : findDockerfiles(opts.cwd, { maxDepth: 4, maxFiles: 200 });
  const candidates: Candidate[] = [];
  for (const f of candidateFiles) {
    const model = readModel(f);
    if (model) candidates.push({ abs: f, model });
  }
  if (!candidates.length)
    throw new BuildLogError(`no Dockerfile found under ${opts.cwd}; give one with --dockerfile PATH`);

  const result: BuildLogResult = { version: 1, builds: [] };
  for (const build of parsed.builds) {
    const best = pickDockerfile(build, candidates, opts.cwd);
    if (best) result.builds.push(mapOne(best, opts));
  }
  return result;
}

const fmtSec = (s: number | null) => (s === null ? '' : `${s.toFixed(1)} s`);

/** The text report: one table per build. */
export function renderBuildLogText(r: BuildLogResult): string {
  const out: string[] = [];
  for (const b of r.builds) {
    const count = (st: string) => b.steps.filter((s) => s.status === st).length;
    out.push(
      `${b.dockerfile} (${b.builder}): ${b.steps.length} steps mapped, ${count('cached')} cached, ${count('executed')} ran` +
        (b.seconds.executed !== null ? ` (${fmtSec(b.seconds.executed)})` : '') +
        (count('error') ? `, ${count('error')} failed` : '') +
        (count('canceled') ? `, ${count('canceled')} canceled` : ''),
    );
    out.push('  line  status    time     stage         instruction');
    for (const s of b.steps) {
      const ins = s.instruction.length > 70 ? s.instruction.slice(0, 69) + '…' : s.instruction;
      out.push(
        `  ${String(s.range.start.line + 1).padStart(4)}  ${s.status.padEnd(8)}  ${fmtSec(s.seconds).padStart(7)}  ${s.stage.padEnd(12)}  ${ins}`,
      );
    }
    const failed = b.steps.find((s) => s.status === 'error');
    if (failed) out.push(`  failed: line ${failed.range.start.line + 1} \`${failed.instruction}\``);
    if (b.firstMiss) {
      out.push(`  first miss: line ${b.firstMiss.range.start.line + 1} \`${b.firstMiss.instruction}\``);
      if (b.firstMiss.cause) out.push(`    why: ${b.firstMiss.cause.message}`);
    } else if (b.steps.length && !failed) out.push('  no miss: every step was cached');
    for (const m of b.mismatches ?? [])
      out.push(
        `  no longer matches: ${m.range ? `line ${m.range.start.line + 1} \`${m.instruction}\`` : '(no line)'} — the log has \`${m.logged}\` (${m.reason})`,
      );
    if (b.unfinished) out.push(`  ${b.unfinished} step(s) started but never finished: the log is cut short`);
    out.push('');
  }
  return out.join('\n').trimEnd();
}
