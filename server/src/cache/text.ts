// Message helpers shared by the rules and the hover: counts, sizes, the short
// form of an instruction or an install command.

import type { Instruction } from '../parse/dockerfile';
import type { InstallStep } from '../ecosystems/match';
import type { ContextView } from '../context/view';

// Counts are whole numbers: grouped by hand, as Intl.NumberFormat('en-US') does ("12,345").
// Creating that formatter wakes ICU, about 10-20 ms of the server's start to its first
// diagnostics; only another kind of number (a fraction, NaN) still creates it, once.
let otherNumbers: Intl.NumberFormat | undefined;

export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return (otherNumbers ??= new Intl.NumberFormat('en-US')).format(n);
  const digits = String(Math.abs(n));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}

/**
 * "3 files" — or, when the context is uncertain (sources missing from it,
 * CL109), the plural noun alone ("files"): its lists may be another folder's.
 */
export function countWords(n: number, noun: string, context?: ContextView): string {
  if (context?.uncertain) return `${noun}s`;
  return `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(1)} GB`;
}

/** Short form of an instruction for messages: `COPY . .`, `RUN npm ci` (first line, trimmed). */
export function shortText(ins: Instruction, max = 48): string {
  const oneLine = ins.text
    .split(/\r?\n/)[0]
    .replace(/\s+\\$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return oneLine.length > max ? oneLine.slice(0, max - 1) + '…' : oneLine;
}

export function commandText(install: InstallStep): string {
  return install.command.argv.join(' ');
}

export function rerunsInstall(stepsAfter: number): string {
  return stepsAfter === 0
    ? 're-runs the install'
    : `re-runs the install and the ${stepsAfter} step${stepsAfter === 1 ? '' : 's'} after it`;
}
