// Small helpers the benchmarks share.
import * as path from 'node:path';

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

/** The character the side-by-side benchmark types at its `i`-th edit (from 0): a space third, else `x`. */
export const typedAt = (i: number): string => (i === 2 ? ' ' : 'x');

/** The text and its versions after each typed character at the typing spot, as the side-by-side benchmark types them. */
export function typedTexts(text: string): string[] {
  const { line, character } = typingSpot(text);
  const lines = text.split('\n');
  const texts = [text];
  let typed = '';
  for (let i = 0; i < 5; i++) {
    typed += typedAt(i);
    const copy = [...lines];
    copy[line] = copy[line].slice(0, character) + typed + copy[line].slice(character);
    texts.push(copy.join('\n'));
  }
  return texts;
}

/** `WORKSPACE FILE...` from the command line (absolute), the words after `--options` left out; exits with `usage` without them. */
export function workspaceAndFiles(usage: string): { root: string; files: string[] } {
  const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
  const [root, ...files] = positional.map((p) => path.resolve(p));
  if (!root || !files.length) {
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
  return { root, files };
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * The pause between two keystrokes, on the main thread: asleep, or (`spin`) on
 * the CPU reading the clock, touching almost no memory — if a pause still makes
 * the next analysis dearer then, it is not the CPU's idle states.
 */
export function pause(ms: number, how: 'sleep' | 'spin' = 'sleep'): void {
  if (how === 'sleep') {
    Atomics.wait(sleeper, 0, 0, ms);
    return;
  }
  const end = performance.now() + ms;
  while (performance.now() < end);
}
