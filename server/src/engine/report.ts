// `cachelens report --html`: one self-contained page (no scripts, no network,
// inline SVG bars) per run: for each Dockerfile its instructions with the
// imported build's status and seconds, the first miss and its cause, and the
// findings with their fixes.

import type { Finding } from '../rules/rule';
import type { BuildLogResult } from './buildLog';

export interface ReportFile {
  /** as shown (relative) */
  path: string;
  text: string;
  findings: Finding[];
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const COLORS: Record<string, string> = {
  executed: '#d9480f',
  cached: '#2b8a3e',
  error: '#c92a2a',
  canceled: '#868e96',
  resolved: '#1971c2',
};

export function renderHtmlReport(files: ReportFile[], builds: BuildLogResult['builds'] = []): string {
  const sections = files.map((f) => {
    const build = builds.find(
      (b) => b.dockerfile === f.path || f.path.endsWith('/' + b.dockerfile) || b.dockerfile.endsWith('/' + f.path),
    );
    const lines = f.text.split(/\r?\n/);
    const byLine = new Map((build?.steps ?? []).map((s) => [s.range.start.line, s]));
    const max = Math.max(1, ...(build?.steps ?? []).map((s) => s.seconds ?? 0));
    const findingsAt = new Map<number, Finding[]>();
    for (const x of f.findings) findingsAt.set(x.range.start.line, [...(findingsAt.get(x.range.start.line) ?? []), x]);
    const rows = lines.map((text, i) => {
      const s = byLine.get(i);
      const miss = build?.firstMiss?.range.start.line === i;
      const width = s?.seconds ? Math.max(2, Math.round((s.seconds / max) * 200)) : s ? 2 : 0;
      const bar = s
        ? `<svg width="210" height="14" role="img" aria-label="${esc(s.status)}"><rect x="0" y="2" width="${width}" height="10" rx="2" fill="${COLORS[s.status]}"/></svg>`
        : '';
      const status = s
        ? `<span class="st" style="color:${COLORS[s.status]}">${esc(s.status === 'executed' ? 'ran' : s.status)}</span>`
        : '';
      const secs = s?.seconds !== null && s?.seconds !== undefined ? `${s.seconds.toFixed(1)} s` : '';
      const marks = (findingsAt.get(i) ?? [])
        .map((x) => `<a class="rule ${x.severity}" href="#${esc(f.path)}-${i}-${x.rule}">${x.rule}</a>`)
        .join(' ');
      return `<tr class="${miss ? 'miss' : ''}"><td class="ln">${i + 1}</td><td><code>${esc(text) || '&nbsp;'}</code></td><td>${status}</td><td class="num">${secs}</td><td>${bar}</td><td>${marks}</td></tr>`;
    });
    const miss = build?.firstMiss
      ? `<p class="missline"><b>First miss:</b> line ${build.firstMiss.range.start.line + 1} <code>${esc(build.firstMiss.instruction)}</code>${build.firstMiss.cause ? ` — ${esc(build.firstMiss.cause.message)}` : ''}</p>`
      : build
        ? '<p>No miss: every step was cached.</p>'
        : '<p class="muted">No build log given for this Dockerfile.</p>';
    const summary = build
      ? `<p>${esc(build.builder)}: ${build.steps.filter((s) => s.status === 'cached').length} cached, ${build.steps.filter((s) => s.status === 'executed').length} ran${build.seconds.executed !== null ? ` (${build.seconds.executed} s)` : ''}${build.mismatches ? `; ${build.mismatches.length} log step(s) no longer match this file` : ''}</p>`
      : '';
    const findings = f.findings.length
      ? `<ol class="findings">${f.findings
          .map(
            (x) =>
              `<li id="${esc(f.path)}-${x.range.start.line}-${x.rule}"><b class="${x.severity}">${x.rule}</b> line ${x.range.start.line + 1}: ${esc(x.message)}${x.fixes
                .map(
                  (fix) =>
                    `<details><summary>Fix: ${esc(fix.title)}${!fix.safe ? ' (changes the image)' : ''}</summary>${fix.edits.map((e) => `<pre>${esc(e.newText || '(delete)')}</pre>`).join('')}</details>`,
                )
                .join('')}</li>`,
          )
          .join('')}</ol>`
      : '<p>No findings.</p>';
    return `<section><h2>${esc(f.path)}</h2>${summary}${miss}<table><thead><tr><th>#</th><th>instruction</th><th>status</th><th>time</th><th></th><th>findings</th></tr></thead><tbody>${rows.join('')}</tbody></table><h3>Findings</h3>${findings}</section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>cachelens report</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#212529}
h1{font-size:20px}h2{font-size:16px;margin-top:28px;border-bottom:1px solid #dee2e6}
table{border-collapse:collapse}td,th{padding:2px 8px;text-align:left;vertical-align:middle}
th{font-weight:600;color:#495057;border-bottom:1px solid #dee2e6}
td.ln{color:#868e96;text-align:right}td.num{text-align:right;font-variant-numeric:tabular-nums}
code,pre{font:12px/1.4 ui-monospace,monospace}pre{background:#f1f3f5;padding:6px;margin:4px 0}
tr.miss{background:#fff4e6}tr.miss td.ln{font-weight:700;color:#d9480f}
.st{font-weight:600}.rule{font:600 11px ui-monospace,monospace;text-decoration:none;padding:0 4px;border-radius:3px;background:#f1f3f5}
.error{color:#c92a2a}.warning{color:#e67700}.info{color:#1971c2}.hint{color:#868e96}.muted{color:#868e96}
.missline{background:#fff4e6;padding:6px 10px;border-left:3px solid #d9480f}
</style></head><body><h1>cachelens report</h1>
${sections.join('\n')}
</body></html>
`;
}
