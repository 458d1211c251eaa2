// Every build-file format cachelens reads, in the order their contexts are
// listed. A file belongs to the first reader that matches it (a workflow named
// compose.yml is a workflow). Adding a format: one file in this folder and one
// line here.

import type { BuildFileReader } from './types';
import { workflowReader } from './workflow';
import { composeReader } from './compose';
import { bakeReader } from './bake';
import { devcontainerReader } from './devcontainer';
import { flyReader } from './fly';
import { scriptReader } from './script';
import { ciScriptReader } from './ciScript';

export const READERS: readonly BuildFileReader[] = [
  workflowReader,
  composeReader,
  bakeReader,
  devcontainerReader,
  flyReader,
  scriptReader,
  ciScriptReader,
];

export function readerFor(abs: string, rel: string): BuildFileReader | undefined {
  return READERS.find((r) => r.matches(abs, rel));
}
