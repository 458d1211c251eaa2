// Reads a build log line by line in bounded memory (fixed-size chunks, one
// partial line carried over, over-long lines cut), and cleans each line of
// what terminals and CI runners add around the builder's own text.

import * as fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** Longer lines (a binary blob, a minified file echoed by RUN) are cut here: no builder status line is this long. */
export const MAX_LINE = 64 * 1024;
const CHUNK = 1024 * 1024;

export interface ReadProgress {
  bytes: number;
  /** total size when known (a file), else undefined (a pipe) */
  size?: number;
}

/**
 * Calls `onLine` for every line of the file descriptor, synchronously. Memory
 * stays bounded by CHUNK + MAX_LINE whatever the log's size. `onProgress` is
 * called about every 16 MB.
 */
export function forEachLineSync(
  fd: number,
  onLine: (line: string) => void,
  onProgress?: (p: ReadProgress) => void,
): ReadProgress {
  let size: number | undefined;
  try {
    const st = fs.fstatSync(fd);
    if (st.isFile()) size = st.size;
  } catch {
    /* a pipe */
  }
  const decoder = new StringDecoder('utf8');
  const buf = Buffer.allocUnsafe(CHUNK);
  let carry = '';
  let cutting = false;
  let bytes = 0;
  let nextReport = 16 * 1024 * 1024;
  const push = (text: string) => {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const piece = text.slice(start, nl);
      if (!cutting) onLine(carry + piece);
      carry = '';
      cutting = false;
      start = nl + 1;
    }
    if (!cutting) {
      carry += text.slice(start);
      if (carry.length > MAX_LINE) {
        onLine(carry.slice(0, MAX_LINE));
        carry = '';
        cutting = true;
      }
    }
  };
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(fd, buf, 0, CHUNK, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue; // a non-blocking stdin with nothing yet
      if (code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    bytes += n;
    push(decoder.write(buf.subarray(0, n)));
    if (onProgress && bytes >= nextReport) {
      onProgress({ bytes, size });
      nextReport += 16 * 1024 * 1024;
    }
  }
  push(decoder.end());
  if (carry && !cutting) onLine(carry);
  return { bytes, size };
}

// CSI sequences (colours, cursor moves), OSC sequences (titles, hyperlinks), lone ESC pairs
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
// CI timestamp prefixes: GitHub Actions `2024-05-01T10:00:00.1234567Z `, GitLab/Buildkite
// `[2024-05-01 10:00:00]`, `2024-05-01 10:00:00.123 `, and a bare `10:00:00 ` / `[10:00:00] `
const TIMESTAMP =
  /^(?:\[?\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?\]?\s|\[?\d\d:\d\d:\d\d(?:\.\d+)?\]?\s)/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;

/** The builder's own text of a raw log line: without CR, ANSI codes, CI timestamps and control bytes. */
export function cleanLine(raw: string): string {
  let s = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  // a carriage return inside a line (progress redraws): the last redraw is what shows
  const cr = s.lastIndexOf('\r');
  if (cr >= 0) s = s.slice(cr + 1);
  if (s.includes('\x1b')) s = s.replace(ANSI, '');
  s = s.replace(CONTROL, '');
  const ts = TIMESTAMP.exec(s);
  if (ts) s = s.slice(ts[0].length);
  return s;
}
