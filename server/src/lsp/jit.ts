// How V8 compiles the server. A language server runs the same few hundred
// functions (parse, cache model, rules) on every keystroke, in short bursts.
// With V8's defaults the optimizing compiler inlines whole call trees into
// each hot rule and re-optimizes them as new Dockerfiles bring new shapes:
// on the side-by-side workload (docs/benchmarks.md) its background threads
// used as much CPU as the analysis itself over the first thousand texts.
// Smaller inlining budgets and a later tier-up keep most of the optimized
// code's speed for a fraction of the compile work.

import { setFlagsFromString } from 'node:v8';

export const JIT_FLAGS = ['--max-inlined-bytecode-size-cumulative=100', '--interrupt-budget=300000'];

/**
 * Sets JIT_FLAGS (server/src/start.ts, after the bundle is compiled with its code cache and before it runs):
 * compile flags are read per compile job.
 */
export function tuneJit(): void {
  // CACHELENS_JIT_FLAGS (space-separated V8 flags, empty for V8's defaults) replaces them: for benchmarks
  const override = process.env.CACHELENS_JIT_FLAGS;
  const flags = override === undefined ? JIT_FLAGS : override.split(' ').filter(Boolean);
  for (const flag of flags) setFlagsFromString(flag);
}
