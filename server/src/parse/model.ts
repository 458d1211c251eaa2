// The Dockerfile model the rules read: stages, instructions with their flags,
// COPY/ADD sources, RUN scripts split into simple commands, ARG/ENV scope.
// parse/dockerfile.ts builds it; these are only its types.

import type { SimpleCommand } from './shell';
import type { LineIndex, Range } from './text';

export interface Word {
  value: string;
  range: Range;
}

export interface Flag {
  name: string;
  value: string | null;
  range: Range;
}

export interface Mount {
  type: string;
  options: Record<string, string>;
  range: Range;
}

export interface CopyInfo {
  isAdd: boolean;
  sources: Word[];
  dest?: Word;
  /** `--from=` value: a stage name/index or an image */
  from?: string;
  link: boolean;
  parents: boolean;
  excludes: string[];
  chown?: string;
  chmod?: string;
  /** sources come from heredocs, not the context */
  heredoc: boolean;
}

export interface RunInfo {
  /** the shell text that runs (heredoc bodies included) */
  script: string;
  commands: SimpleCommand[];
  mounts: Mount[];
  execForm: boolean;
}

export interface Instruction {
  /** position in the file's instruction list */
  index: number;
  keyword: string;
  range: Range;
  keywordRange: Range;
  flags: Flag[];
  /** arguments after the flags (for heredoc instructions: on the instruction line only) */
  args: Word[];
  /** the instruction's source text as written */
  text: string;
  stage?: Stage;
  copy?: CopyInfo;
  run?: RunInfo;
  /** ARG/ENV: declared names and default values */
  vars?: { name: string; value: string | null; range: Range }[];
}

export interface Stage {
  index: number;
  /** `AS name`, as written */
  name?: string;
  from: Instruction;
  /** base image reference as written (may be a previous stage's name) */
  image: string;
  imageRange?: Range;
  /** the stage this one builds FROM, when it does */
  parent?: Stage;
  /** instructions after FROM, in order */
  instructions: Instruction[];
}

export interface Directives {
  syntax?: string;
  escape: string;
  check?: string;
}

export interface DockerfileModel {
  text: string;
  lines: LineIndex;
  directives: Directives;
  instructions: Instruction[];
  /** ARGs before the first FROM */
  globalArgs: Instruction[];
  stages: Stage[];
  /** set when the text is too large to analyse (parse/limits.ts): why, in words; the model is then empty */
  skipped?: string;
}
