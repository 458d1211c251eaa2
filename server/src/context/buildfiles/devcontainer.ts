// .devcontainer/devcontainer.json and .devcontainer.json: build.dockerfile and
// build.context, relative to the JSON file's folder.

import * as path from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { WorkspaceFs } from '../fs';
import { display, isObject, type BuildFileReader, type ParsedBuildFile } from './types';

export const devcontainerReader: BuildFileReader = {
  name: 'devcontainer',
  matches: (abs) => {
    const name = path.basename(abs);
    return (
      name === '.devcontainer.json' || (name === 'devcontainer.json' && abs.split(path.sep).includes('.devcontainer'))
    );
  },
  parse: parseDevcontainer,
};

function parseDevcontainer(fs: WorkspaceFs, abs: string, text: string): ParsedBuildFile {
  const name = display(fs, abs);
  const errors: ParseError[] = [];
  const json = parseJsonc(text, errors, { allowTrailingComma: true });
  if (!isObject(json))
    return {
      entries: [],
      problems: errors.slice(0, 5).map((e) => `JSONC error: ${printParseErrorCode(e.error)} at offset ${e.offset}`),
    };
  const build = isObject(json.build) ? json.build : {};
  // `dockerFile` / `context` at the top level are the older spelling.
  const dockerfile = build.dockerfile ?? build.dockerFile ?? json.dockerFile ?? json.dockerfile;
  const context = build.context ?? json.context ?? '.';
  if (typeof dockerfile !== 'string' || typeof context !== 'string') return { entries: [], problems: [] };
  const base = path.dirname(abs);
  const contextDir = path.resolve(base, context);
  return {
    entries: [
      {
        dockerfile: path.resolve(base, dockerfile),
        contextDir,
        reason: `${name} (build.context ${context})`,
        source: 'devcontainer',
      },
    ],
    problems: [],
  };
}
