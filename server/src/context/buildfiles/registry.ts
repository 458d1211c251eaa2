// Every build-file format cachelens reads, in the order their contexts are
// listed. Adding a format: one file in this folder and one line here.

import type { BuildFileReader } from './types';
import { composeReader } from './compose';
import { bakeReader } from './bake';
import { devcontainerReader } from './devcontainer';
import { flyReader } from './fly';

export const READERS: readonly BuildFileReader[] = [composeReader, bakeReader, devcontainerReader, flyReader];

export function readerFor(abs: string, rel: string): BuildFileReader | undefined {
  return READERS.find((r) => r.matches(abs, rel));
}
