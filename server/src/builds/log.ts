// Build log readers: BuildKit plain progress, BuildKit rawjson, buildah/podman
// `--layers` output. Each reader takes cleaned lines one at a time (lines.ts)
// and keeps only per-vertex state, so memory is bounded by the number of steps,
// not the size of the log.
//
// What the lines mean, from the builders' sources:
// - BuildKit plain: util/progress/progressui/printer.go prints `#N <vertex name>`
//   once per vertex, then `#N CACHED`, `#N DONE 2.1s`, `#N ERROR: …`,
//   `#N CANCELED`, and `#N <seconds> <output>` log lines; vertices of one solve
//   are numbered from #1, so a second `#1 <name>` starts another build.
// - BuildKit rawjson: util/progress/progressui/display.go (rawJSONDisplay)
//   writes one json.Encoder line per client.SolveStatus (client/graph.go:
//   vertexes[] {digest, inputs, name, started, completed, cached, error},
//   statuses[], logs[], warnings[]).
// - Vertex names: frontend/dockerfile/dockerfile2llb/convert.go prefixCommand()
//   `[<platform> ][<stage name> ]<i>/<n>] ` with i padded to the width of n
//   (`%*d/%d]`), the stage name dropped when the file has one stage.
// - buildah: imagebuildah/stage_executor.go Execute() logs every step's
//   Original text as `[<stage>/<stages>] STEP k/m: …` (no stage prefix for a
//   single stage), `--> Using cache <id>` on a hit (a miss prints none),
//   `--> <id>` after a commit, and fails with `building at STEP "…": …`.

import { BUILDAH_STEP, BuildahReader } from './buildah';
export { BuildahReader } from './buildah';

import type { LogBuild, LogReader, LogVertex, ParsedLog } from './logTypes';
export type { LogBuild, LogFormat, LogReader, LogVertex, ParsedLog, StepStatus } from './logTypes';

const BRACKET = /^\[([^\]]*)\] (.*)$/s;
const INDEX = /^\s*(\d+)\/(\d+)$/;

/** Splits `[linux/amd64 web build  2/12] RUN x` into tags, index/total and text. */
export function splitVertexName(name: string): Pick<LogVertex, 'tags' | 'index' | 'total' | 'internal' | 'text'> {
  const m = BRACKET.exec(name);
  if (!m) return { tags: [], internal: false, text: name };
  const inner = m[1].trim();
  const text = m[2];
  const words = inner.split(/\s+/);
  const last = words[words.length - 1];
  // `i/n` may be padded: `[build  2/12]` gives words [build, 2/12]
  const idx = INDEX.exec(last);
  if (idx) {
    const tags = words.slice(0, -1).filter((w) => !w.includes('/'));
    return { tags, index: Number(idx[1]), total: Number(idx[2]), internal: false, text };
  }
  if (last === 'internal') return { tags: words.slice(0, -1), internal: true, text };
  return { tags: words, internal: false, text };
}

function newVertex(key: string, name: string): LogVertex {
  return { key, name, ...splitVertexName(name), cached: false, done: false, canceled: false, seconds: null };
}

const DEFINITION = /load build definition from (.+)$/;

function noteDefinition(build: LogBuild, v: LogVertex) {
  if (!v.internal) return;
  const d = DEFINITION.exec(v.text);
  if (d && !build.dockerfileName) build.dockerfileName = d[1].trim();
}

// ---------------------------------------------------------------- BuildKit plain

const PLAIN = /^#(\d+) (.*)$/s;
const DONE = /^DONE (\d+(?:\.\d+)?)s$/;
const ERROR_LINE = /^ERROR(?: (\d+(?:\.\d+)?)s)?(?::\s*(.*))?$/;
const ERROR_LOCATION = /^(\S*(?:[Dd]ockerfile|[Cc]ontainerfile)\S*):(\d+)$/;
const LOG_OUTPUT = /^\d+(?:\.\d+)? /;

export class PlainReader implements LogReader {
  private builds: LogBuild[] = [];
  private cur: LogBuild | undefined;
  private byKey = new Map<string, LogVertex>();
  private lines = 0;

  push(line: string): void {
    this.lines++;
    const m = PLAIN.exec(line);
    if (!m) {
      const loc = ERROR_LOCATION.exec(line.trim());
      if (loc && this.cur) this.cur.errorLines.push(Number(loc[2]));
      return;
    }
    const key = '#' + m[1];
    const rest = m[2];
    let v = this.byKey.get(key);
    if (!v) {
      if (!this.cur) this.startBuild();
      if (/^(CACHED|CANCELED|DONE |ERROR|sha256:)/.test(rest) || LOG_OUTPUT.test(rest)) {
        // a status for a vertex whose name line was cut off (log started mid-build)
        v = newVertex(key, '');
      } else v = newVertex(key, rest);
      this.byKey.set(key, v);
      this.cur!.vertices.push(v);
      noteDefinition(this.cur!, v);
      if (!v.name) this.status(v, rest);
      return;
    }
    const finished = v.done || v.cached || v.error !== undefined || v.canceled;
    if (
      m[1] === '1' &&
      rest.startsWith('[') &&
      (finished || v.name !== rest) &&
      /load build definition|load \.dockerignore|load metadata/.test(rest)
    ) {
      // BuildKit numbers each solve from #1: a second build in the same log
      this.startBuild();
      v = newVertex(key, rest);
      this.byKey.set(key, v);
      this.cur!.vertices.push(v);
      noteDefinition(this.cur!, v);
      return;
    }
    if (!v.name && !/^(CACHED|CANCELED|DONE |ERROR|sha256:)/.test(rest) && !LOG_OUTPUT.test(rest)) {
      Object.assign(v, newVertex(key, rest), {
        cached: v.cached,
        done: v.done,
        seconds: v.seconds,
        error: v.error,
        canceled: v.canceled,
      });
      return;
    }
    this.status(v, rest);
  }

  private status(v: LogVertex, rest: string) {
    if (rest === 'CACHED') v.cached = true;
    else if (rest === 'CANCELED') v.canceled = true;
    else {
      const d = DONE.exec(rest);
      if (d) {
        v.done = true;
        v.seconds = Number(d[1]);
        return;
      }
      const e = ERROR_LINE.exec(rest);
      if (e) {
        v.error = e[2] ?? 'failed';
        if (e[1]) v.seconds = Number(e[1]);
      }
    }
  }

  private startBuild() {
    this.cur = { builder: 'buildkit', format: 'buildkit-plain', vertices: [], errorLines: [] };
    this.builds.push(this.cur);
    this.byKey = new Map();
  }

  finish(): ParsedLog {
    return { format: 'buildkit-plain', builds: splitServices(this.builds), lines: this.lines, notes: [] };
  }
}

/**
 * `docker compose build` runs every service's Dockerfile in one solve; vertex
 * names then carry the service first (`[web internal] load build definition`,
 * `[web build 2/6] RUN …`). Splits such a build into one per service.
 */
function splitServices(builds: LogBuild[]): LogBuild[] {
  const out: LogBuild[] = [];
  for (const b of builds) {
    const services = new Set(
      b.vertices.filter((v) => v.internal && v.tags.length === 1 && DEFINITION.test(v.text)).map((v) => v.tags[0]),
    );
    if (!services.size) {
      out.push(b);
      continue;
    }
    const per = new Map<string, LogBuild>();
    for (const s of services)
      per.set(s, { ...b, service: s, dockerfileName: undefined, vertices: [], errorLines: [...b.errorLines] });
    for (const v of b.vertices) {
      const svc = v.tags[0];
      const target = svc !== undefined ? per.get(svc) : undefined;
      if (!target) continue;
      const copy = { ...v, tags: v.tags.slice(1) };
      target.vertices.push(copy);
      noteDefinition(target, copy);
    }
    out.push(...per.values());
  }
  return out;
}

// ---------------------------------------------------------------- BuildKit rawjson

interface RawVertex {
  digest?: string;
  name?: string;
  started?: string;
  completed?: string;
  cached?: boolean;
  error?: string;
}

export class RawJsonReader implements LogReader {
  private builds: LogBuild[] = [];
  private cur: LogBuild | undefined;
  private byDigest = new Map<string, LogVertex>();
  private lines = 0;
  private bad = 0;

  push(line: string): void {
    this.lines++;
    const t = line.trim();
    if (!t.startsWith('{')) return;
    let status: { vertexes?: RawVertex[] };
    try {
      status = JSON.parse(t);
    } catch {
      this.bad++;
      return;
    }
    if (!status || !Array.isArray(status.vertexes)) return;
    for (const raw of status.vertexes) {
      if (!raw || typeof raw.digest !== 'string') continue;
      let v = this.byDigest.get(raw.digest);
      if (!v) {
        const name = typeof raw.name === 'string' ? raw.name : '';
        if (this.cur && DEFINITION.test(name) && this.cur.vertices.some((x) => DEFINITION.test(x.name)))
          this.cur = undefined;
        if (!this.cur) {
          this.cur = { builder: 'buildkit', format: 'buildkit-rawjson', vertices: [], errorLines: [] };
          this.builds.push(this.cur);
          this.byDigest = new Map();
        }
        v = newVertex(raw.digest, name);
        v.digest = raw.digest;
        this.byDigest.set(raw.digest, v);
        this.cur.vertices.push(v);
        noteDefinition(this.cur, v);
      }
      if (raw.cached) v.cached = true;
      const started = raw.started ? Date.parse(raw.started) : NaN;
      const completed = raw.completed ? Date.parse(raw.completed) : NaN;
      if (!Number.isNaN(started)) v.started = started;
      if (!Number.isNaN(completed)) {
        v.completed = completed;
        v.done = !raw.error;
      }
      if (raw.error) {
        if (/context canceled|canceled/i.test(raw.error)) v.canceled = true;
        else v.error = raw.error;
      }
      if (v.started !== undefined && v.completed !== undefined)
        v.seconds = Math.max(0, Math.round((v.completed - v.started) / 100) / 10);
    }
  }

  finish(): ParsedLog {
    const notes = this.bad ? [`${this.bad} line(s) were not JSON and were skipped`] : [];
    return { format: 'buildkit-rawjson', builds: splitServices(this.builds), lines: this.lines, notes };
  }
}

/**
 * Attaches the exact source lines from a BuildKit SLSA provenance attestation
 * (solver/llbsolver/provenance/types/types.go: BuildConfig.digestMapping maps
 * a vertex digest to `stepN`; BuildKitMetadata.source.locations maps `stepN`
 * to pb.Locations {locations: [{sourceIndex, ranges: [{start: {line}, end: {line}}]}]},
 * solver/pb/ops.proto, lines 1-based). Both SLSA v0.2 (predicate.buildConfig,
 * predicate.metadata["https://mobyproject.org/buildkit@v1#metadata"]) and v1
 * (predicate.buildDefinition.internalParameters.buildConfig,
 * predicate.runDetails.metadata.buildkit_metadata) are found by key.
 * Returns how many vertices got a location.
 */
export function applyProvenance(log: ParsedLog, provenance: unknown): number {
  const mapping = new Map<string, string>();
  const locations = new Map<string, { start: number; end: number }>();
  const seen = new Set<unknown>();
  const walk = (node: unknown, depth: number) => {
    if (!node || typeof node !== 'object' || depth > 12 || seen.has(node)) return;
    seen.add(node);
    const obj = node as Record<string, unknown>;
    const dm = obj.digestMapping;
    if (dm && typeof dm === 'object')
      for (const [d, step] of Object.entries(dm)) if (typeof step === 'string') mapping.set(d, step);
    const src = obj.source as
      | {
          locations?: Record<
            string,
            { locations?: { ranges?: { start?: { line?: number }; end?: { line?: number } }[] }[] }
          >;
        }
      | undefined;
    if (src && typeof src === 'object' && src.locations && typeof src.locations === 'object') {
      for (const [step, locs] of Object.entries(src.locations)) {
        const ranges = (locs?.locations ?? []).flatMap((l) => l?.ranges ?? []);
        const starts = ranges.map((r) => r?.start?.line).filter((n): n is number => typeof n === 'number');
        const ends = ranges
          .map((r) => r?.end?.line ?? r?.start?.line)
          .filter((n): n is number => typeof n === 'number');
        if (starts.length) locations.set(step, { start: Math.min(...starts), end: Math.max(...ends) });
      }
    }
    for (const v of Object.values(obj)) walk(v, depth + 1);
  };
  walk(provenance, 0);
  let n = 0;
  for (const b of log.builds)
    for (const v of b.vertices) {
      const step = v.digest ? mapping.get(v.digest) : undefined;
      const loc = step ? locations.get(step) : undefined;
      if (loc) {
        v.sourceLines = loc;
        n++;
      }
    }
  return n;
}

// ---------------------------------------------------------------- detection

/** Reads any of the three formats: the first line that only one of them writes decides. */
export class AutoReader implements LogReader {
  private reader: LogReader | undefined;
  private lines = 0;

  push(line: string): void {
    this.lines++;
    if (!this.reader) {
      if (PLAIN.test(line)) this.reader = new PlainReader();
      else if (/^\s*\{.*"(vertexes|statuses|logs)"/.test(line)) this.reader = new RawJsonReader();
      else if (BUILDAH_STEP.test(line)) this.reader = new BuildahReader();
      else return;
    }
    this.reader.push(line);
  }

  finish(): ParsedLog {
    if (!this.reader) return { format: null, builds: [], lines: this.lines, notes: [] };
    const r = this.reader.finish();
    r.lines = this.lines;
    return r;
  }
}
