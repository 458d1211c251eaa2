// What the log readers (log.ts, buildah.ts) produce: one build's vertices as the log shows them.

export type StepStatus = 'executed' | 'cached' | 'error' | 'canceled' | 'resolved';

export interface LogVertex {
  /** `#5` (plain), the digest (rawjson), `1:3` (buildah stage:step) */
  key: string;
  name: string;
  /** the bracket's words before `i/n` (platform, service, stage), or before `internal` */
  tags: string[];
  index?: number;
  total?: number;
  internal: boolean;
  /** the instruction text after the bracket */
  text: string;
  cached: boolean;
  done: boolean;
  error?: string;
  canceled: boolean;
  seconds: number | null;
  /** rawjson: epoch ms */
  started?: number;
  completed?: number;
  /** provenance: 1-based source lines of the instruction */
  sourceLines?: { start: number; end: number };
  digest?: string;
}

export type LogFormat = 'buildkit-plain' | 'buildkit-rawjson' | 'buildah';

export interface LogBuild {
  builder: 'buildkit' | 'buildah';
  format: LogFormat;
  /** from `[internal] load build definition from <name>` */
  dockerfileName?: string;
  /** compose: the service's name as it prefixes the vertex names */
  service?: string;
  vertices: LogVertex[];
  /** 1-based Dockerfile lines named by error blocks (`Dockerfile:12`) */
  errorLines: number[];
}

export interface ParsedLog {
  format: LogFormat | null;
  builds: LogBuild[];
  lines: number;
  /** messages for the user: truncation, unreadable lines */
  notes: string[];
}

export interface LogReader {
  push(line: string): void;
  finish(): ParsedLog;
}
