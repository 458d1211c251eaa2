// Small helpers the benchmarks share.

/** The value after `--name` on the command line, or the default. */
export function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
}

/** The median (the mean of the two middle values for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Where the benchmarks type in a Dockerfile: the end of its middle RUN/COPY/ADD line (the middle line when there is none). */
export function typingSpot(text: string): { line: number; character: number } {
  const lines = text.split(/\r\n|\r|\n/);
  const candidates = lines.map((l, i) => (/^\s*(RUN|COPY|ADD)\s/i.test(l) ? i : -1)).filter((i) => i >= 0);
  const line = candidates.length ? candidates[Math.floor(candidates.length / 2)] : Math.floor(lines.length / 2);
  return { line, character: lines[line].length };
}
