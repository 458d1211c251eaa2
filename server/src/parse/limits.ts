// What cachelens will not parse. dockerfile-ast's parse grows faster than
// linearly with the length of one instruction (a 64 KiB instruction takes
// ~0.3 s, 256 KiB ~2.5 s, and fix-all parses several times), so a huge
// instruction would freeze the language server. Docker itself reads a
// Dockerfile line by line with Go's bufio.Scanner, whose lines stop at
// 64 KiB ("token too long"): no buildable Dockerfile comes near these limits.

/** 1 MiB: the most cachelens reads of a Dockerfile, a build file or an old version of one. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** bufio.MaxScanTokenSize (64 KiB): Docker's line scanners (Dockerfile, ignore file) never hold a longer line. */
export const GO_MAX_SCAN_TOKEN = 64 * 1024;

export const MAX_DOCUMENT_CHARS = MAX_FILE_BYTES;
export const MAX_INSTRUCTION_CHARS = GO_MAX_SCAN_TOKEN;

const KEYWORD = /^\s*([A-Za-z]+)/;
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD', 'ONBUILD']);
const HEREDOC = /<<(-?)\s*(["']?)([A-Za-z_][\w.-]*)\2/g;

/** The escape character the `# escape=` directive sets (only in the leading comment lines). */
function escapeCharOf(text: string): string {
  for (const line of text.slice(0, 4096).split('\n')) {
    const m = /^#\s*escape\s*=\s*([\\`])\s*$/i.exec(line.replace(/\r$/, ''));
    if (m) return m[1];
    if (!/^#/.test(line)) break;
  }
  return '\\';
}

/**
 * The longest instruction: from its first line to its last continuation line
 * or heredoc terminator, comment lines inside it included. A cheap scan that
 * never runs dockerfile-ast.
 */
export function longestInstruction(text: string): { line: number; chars: number } {
  const esc = escapeCharOf(text);
  let best = { line: 0, chars: 0 };
  let start = -1;
  let startLine = 0;
  let keyword = '';
  let continued = false;
  let markers: { name: string; tabs: boolean }[] = [];
  let inHeredoc = false;
  const close = (end: number) => {
    if (start >= 0 && end - start > best.chars) best = { line: startLine, chars: end - start };
    start = -1;
    markers = [];
    inHeredoc = false;
  };
  const readMarkers = (line: string) => {
    if (!HEREDOC_KEYWORDS.has(keyword) || !line.includes('<<')) return;
    for (const m of line.matchAll(HEREDOC)) markers.push({ name: m[3], tabs: m[1] === '-' });
  };
  const endsWithEscape = (line: string) => line.replace(/[ \t\r]+$/, '').endsWith(esc);
  let lineNo = 0;
  for (let at = 0; at <= text.length; lineNo++) {
    let nl = text.indexOf('\n', at);
    if (nl < 0) nl = text.length;
    const line = text.slice(at, nl);
    if (inHeredoc) {
      const body = line.replace(/\r$/, '');
      if ((markers[0].tabs ? body.replace(/^\t+/, '') : body) === markers[0].name) markers.shift();
      if (!markers.length) close(nl);
    } else if (start >= 0 && continued) {
      // inside a continuation: comment and empty lines belong to the instruction
      if (!/^\s*(#|$)/.test(line)) {
        readMarkers(line);
        continued = endsWithEscape(line);
      }
      if (!continued) {
        if (markers.length) inHeredoc = true;
        else close(nl);
      }
    } else if (!/^\s*(#|$)/.test(line)) {
      start = at;
      startLine = lineNo;
      keyword = (KEYWORD.exec(line)?.[1] ?? '').toUpperCase();
      readMarkers(line);
      continued = endsWithEscape(line);
      if (!continued) {
        if (markers.length) inHeredoc = true;
        else close(nl);
      }
    }
    at = nl + 1;
  }
  close(text.length);
  return best;
}

// The server asks before it analyses and the parse asks again: remember the last long text's answer.
let last: { text: string; why: string | undefined } | undefined;

/** Why this text is not analysed, in words; undefined when it is. */
export function tooLargeToAnalyse(text: string): string | undefined {
  if (text.length > MAX_INSTRUCTION_CHARS && last?.text === text) return last.why;
  const why = check(text);
  if (text.length > MAX_INSTRUCTION_CHARS) last = { text, why };
  return why;
}

function check(text: string): string | undefined {
  if (text.length > MAX_DOCUMENT_CHARS)
    return `the file has ${text.length.toLocaleString('en-US')} characters, more than the ${MAX_DOCUMENT_CHARS.toLocaleString('en-US')} cachelens analyses`;
  // no instruction can be longer than the text
  if (text.length <= MAX_INSTRUCTION_CHARS) return undefined;
  const longest = longestInstruction(text);
  if (longest.chars > MAX_INSTRUCTION_CHARS)
    return `the instruction on line ${longest.line + 1} has ${longest.chars.toLocaleString('en-US')} characters, more than the ${MAX_INSTRUCTION_CHARS.toLocaleString('en-US')} cachelens analyses (Docker cannot read a line over 64 KiB either)`;
  return undefined;
}
