// How long a step takes when it misses: measured seconds from an imported build
// (the build-evidence importer fills MeasuredSeconds) or a documented estimate
// per step kind (ecosystems/durations.ts).

import type { Instruction } from '../parse/dockerfile';
import { findInstalls, commandMatchesAny } from '../ecosystems/match';
import { ECOSYSTEMS } from '../ecosystems/table';
import { SYSTEM_PACKAGE_MANAGERS } from '../ecosystems/system';
import { filesMatchingSource, totalBytes, type ContextFile } from '../context/view';
import * as D from '../ecosystems/durations';

/**
 * Measured seconds per instruction of one Dockerfile, from the latest imported
 * build. The build-log importer (builds/) implements it; engine/ passes it in.
 * undefined: not measured (the step was cached in that build, or not mapped).
 */
export interface MeasuredSeconds {
  secondsFor(step: { index: number; text: string }): number | undefined;
}

/** The documented estimate for a step that misses; null when the step takes no time worth counting. */
export function estimateSeconds(ins: Instruction, headFiles: readonly ContextFile[]): number | null {
  switch (ins.keyword) {
    case 'FROM':
      return null; // the base image is pulled once and cached apart from the build cache
    case 'WORKDIR':
      return D.CHEAP_STEP_SECONDS;
    case 'COPY':
    case 'ADD': {
      const c = ins.copy!;
      if (c.from !== undefined || c.heredoc) return D.CHEAP_STEP_SECONDS;
      const sources = c.sources.map((s) => s.value.replace(/^(["'])(.*)\1$/, '$2'));
      if (sources.some((s) => /^[a-z][a-z0-9+.-]*:\/\//i.test(s))) return D.ADD_URL_SECONDS;
      let bytes = 0;
      for (const s of sources) bytes += totalBytes(filesMatchingSource(headFiles, s));
      return D.COPY_BASE_SECONDS + bytes / D.COPY_BYTES_PER_SECOND;
    }
    case 'RUN': {
      const commands = ins.run?.commands ?? [];
      let total = 0;
      for (const i of findInstalls(commands)) total += D.INSTALL_SECONDS[i.ecosystem.id] ?? D.DEFAULT_INSTALL_SECONDS;
      for (const c of commands) {
        const eco = ECOSYSTEMS.find((e) => commandMatchesAny(e.builds, c));
        if (eco) total += D.BUILD_SECONDS[eco.id] ?? D.DEFAULT_BUILD_SECONDS;
        else if (SYSTEM_PACKAGE_MANAGERS.some((m) => commandMatchesAny(m.downloads, c)))
          total += D.SYSTEM_INSTALL_SECONDS;
      }
      return total || D.OTHER_RUN_SECONDS;
    }
    default:
      return null;
  }
}
