// Which Dockerfiles a command runs on: the files named, the Dockerfiles found in
// a directory, the Dockerfiles an ignore file serves; each with the workspace it
// is analysed in, and its text read with the size and binary checks.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { isIgnoreFileName } from '../engine/workspace';
import { findDockerfiles } from '../engine/names';
import type { Session } from '../engine/session';
import type { Workspace } from '../engine/workspace';
import { ruleById } from '../rules/registry';
import { MAX_FILE_BYTES, tooLargeToAnalyse } from '../parse/limits';
import { dockerfileOfIgnoreFile } from '../context/ignoreFiles';
import { workTreeTop } from '../history/head';
import { InputError, IoError, UsageError } from './args';

// dockerfile-ast's parse grows faster than linearly; past this size a file is reported, not analysed
export const MAX_DOCKERFILE_BYTES = MAX_FILE_BYTES;

export interface Target {
  /** the argument it came from; JSON/SARIF paths are relative to it */
  base: string;
  workspace: Workspace;
  dockerfile: string;
}

const findAll = (dir: string) => findDockerfiles(dir, { maxDepth: 12 });

function targetsOf(arg: string, session: Session): Target[] {
  const abs = path.resolve(arg);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch (e) {
    throw new IoError(`cannot read ${arg}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  if (st.isDirectory()) {
    const workspace = session.workspaceAt(abs);
    return findAll(abs).map((f) => ({ base: abs, workspace, dockerfile: f }));
  }
  if (isIgnoreFileName(path.basename(abs))) {
    // an ignore file (as pre-commit passes it) is checked through the Dockerfiles it serves
    const base = path.dirname(abs);
    const workspace = session.workspaceAt(base);
    return dockerfilesServedBy(abs, findAll(base)).map((f) => ({ base, workspace, dockerfile: f }));
  }
  // The repository around the file is the workspace, so a context named by its
  // workflows or Makefiles, or inferred above the Dockerfile's folder, can be read.
  const base = path.dirname(abs);
  const workspace = session.workspaceAt(workTreeTop(base) ?? base);
  return [{ base, workspace, dockerfile: abs }];
}

export function targetsFor(args: string[], session: Session): Target[] {
  if (!args.length) throw new UsageError('no paths given');
  const targets = args.flatMap((arg) => targetsOf(arg, session));
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

/**
 * `x.Dockerfile.dockerignore` serves `x.Dockerfile` beside it; `.dockerignore`
 * (or `.containerignore`) serves the Dockerfiles at or under its folder.
 */
export function dockerfilesServedBy(ignoreFile: string, candidates: string[]): string[] {
  const own = dockerfileOfIgnoreFile(ignoreFile);
  if (own !== undefined) return candidates.includes(own) ? [own] : [];
  return candidates;
}

/** A Dockerfile's text; IoError when it is unreadable, too large or binary. */
export function readText(file: string): string {
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
