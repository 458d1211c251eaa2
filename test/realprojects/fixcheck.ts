// Static checks of a fixed tree against the original: what a safe fix must
// never do (DESIGN.md "Quality bars"), judged without building.
// - A COPY/ADD the fix added names a path that does not reach the build (missing,
//   or excluded by the ignore file) → the build fails.
// - A RUN that came after a COPY now comes before it, and reads what that COPY
//   brings (names one of its paths, or runs project code after a broad copy).
// - The final stage no longer has each of its COPY steps (sources, dest, owner,
//   mode), its RUN steps, or its USER/WORKDIR/ENV order; an added copy that is
//   not a subset of a broad copy with the same dest, owner and mode.
// - An ignore-file edit that now excludes a path a COPY names explicitly.

import { readFileSync, existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { Workspace, isDockerfileName } from '../../server/src/engine/workspace';
import { parseDockerfile, type Instruction, type DockerfileModel } from '../../server/src/parse/dockerfile';
import { filesMatchingSource, hasFilesUnder } from '../../server/src/context/view';
import { isWholeContext, sourcePath, isLocalCopy } from '../../server/src/cache/copies';

/** Commands that read the project's own sources (beyond the dependency manifests). */
const READS_PROJECT: RegExp[] = [
  /\bnpm\s+run\b/,
  /\b(yarn|pnpm|bun)\s+(run\s+)?(build|test|compile|generate|start)\b/,
  /\bnpx\b/,
  /\bmake\b/,
  /(^|[\s;&|])\.\//,
  /\bpython3?\s+(?!-m\s+(pip|venv)\b)\S/,
  /\bnode\s+\S/,
  /\bbundle\s+exec\b/,
  /\bpip3?\s+install\b[^&;|]*\s(-e\s+)?\.(\s|$|\[)/,
  /\buv\s+pip\s+install\b[^&;|]*\s\.(\s|$|\[)/,
  /\buv\s+sync\b(?![^&;|]*--no-install-project)/,
  /\bpoetry\s+install\b(?![^&;|]*--no-root)/,
  /\bpdm\s+install\b(?![^&;|]*--no-self)/,
  /\bgo\s+(build|test|install|generate|vet)\b/,
  /\bcargo\s+(build|test|install|run)\b/,
  /\bmvnw?\s+[^&;|]*\b(package|install|compile|verify)\b/,
  /\bgradlew?\s+[^&;|]*\b(build|assemble|bootJar|jar|installDist)\b/,
  /\bdotnet\s+(build|publish|test)\b/,
  /\bmix\s+(compile|release|assets\.deploy)\b/,
  /\btsc\b/,
  /\byarn\s+workspaces?\s+(foreach\s+)?\S+\s+(run\s+)?(build|test|compile|generate)\b/,
  /\bpnpm\s+(-r|--recursive|--filter\s+\S+|-F\s+\S+)\s+(run\s+)?(build|test|compile|generate)\b/,
  /\bcomposer\s+(dump-autoload|run-script)\b/,
  /\brails\s+assets:precompile\b/,
  /\brake\b/,
];

/** Clean-ups of a package cache: a cache-mount fix removes them, and with the mount they leave the image as it was. */
const CACHE_CLEANUP =
  /^(rm\s+-[rf]+\s+.*(cache|\/var\/lib\/apt\/lists|\.npm|\.yarn).*|(npm|yarn|pnpm|bun)\s+cache\s+clean.*|(apt-get|apt|apk|yum|dnf)\s+clean.*|pip3?\s+cache\s+purge.*)$/;

/** A RUN's script without cache-disabling flags and cache clean-ups, whitespace folded. */
function norm(script: string): string {
  return script
    .replace(/\\\r?\n/g, ' ')
    .split(/&&|;|\n/)
    .map((p) =>
      p
        .replace(/--no-cache-dir\b|--no-cache\b/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((p) => p && !CACHE_CLEANUP.test(p))
    .join(' && ');
}

function runKey(ins: Instruction): string | undefined {
  return ins.keyword === 'RUN' && ins.run ? norm(ins.run.script) : undefined;
}

function copySig(ins: Instruction): string {
  const c = ins.copy!;
  return [
    c.from ?? '',
    c.sources.map((s) => s.value).join(' '),
    c.dest?.value ?? '',
    c.chown ?? '',
    c.chmod ?? '',
  ].join('|');
}

function readsCopy(run: Instruction, copy: Instruction): boolean {
  const script = run.run?.script ?? '';
  // project code (a build, a script) may read any file of the project, whatever the copy brings
  if (READS_PROJECT.some((re) => re.test(script))) return true;
  for (const s of copy.copy!.sources) {
    const p = sourcePath(s.value);
    if (!p || /[*?[]/.test(p)) continue;
    const base = p.split('/').pop()!;
    if (
      base.length > 2 &&
      new RegExp(`(^|[\\s/"'=])${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[\\s/"';&|])`).test(script)
    )
      return true;
  }
  return false;
}

function orderProblems(before: DockerfileModel, after: DockerfileModel): string[] {
  const problems: string[] = [];
  for (const [i, sb] of before.stages.entries()) {
    const sa = after.stages[i];
    if (!sa) {
      problems.push(`stage ${i} is gone`);
      continue;
    }
    const posAfter = new Map<string, number[]>();
    sa.instructions.forEach((ins, k) => {
      const key = ins.copy ? 'C' + copySig(ins) : (runKey(ins) ?? '');
      if (key) posAfter.set(key, [...(posAfter.get(key) ?? []), k]);
    });
    const at = (key: string) => posAfter.get(key)?.[0];
    sb.instructions.forEach((c, ci) => {
      if (!c.copy || !isLocalCopy(c)) return;
      const cPos = at('C' + copySig(c));
      if (cPos === undefined) return;
      for (const r of sb.instructions.slice(ci + 1)) {
        const rk = runKey(r);
        if (!rk) continue;
        const rPos = at(rk);
        if (rPos !== undefined && rPos < cPos && readsCopy(r, c)) {
          problems.push(`\`${r.text.slice(0, 60)}\` now runs before \`${c.text.slice(0, 60)}\`, which it reads`);
        }
      }
    });
  }
  return problems;
}

interface Folded {
  /** a COPY's signature with the owner/mode a later single-file chown/chmod RUN gives it */
  sigs: Map<Instruction, string>;
  /** the RUN commands folded into a COPY */
  parts: Set<string>;
}

/** `COPY x /bin/x` + `RUN chmod 755 /bin/x` builds what `COPY --chmod=755 x /bin/x` builds (CL204's fix). */
function foldPermissions(stage: DockerfileModel['stages'][number]): Folded {
  const sigs = new Map<Instruction, string>();
  const parts = new Set<string>();
  const copies = stage.instructions.filter((i) => i.copy);
  for (const run of stage.instructions) {
    for (const part of (runKey(run) ?? '').split(' && ')) {
      const m = /^(chmod|chown) ([\w:.+-]+) (\/\S+)$/.exec(part);
      if (!m) continue;
      const copy = [...copies]
        .reverse()
        .find((c) => c.index < run.index && destKey(c.copy!.dest?.value ?? '') === destKey(m[3]));
      if (!copy) continue;
      const [from, sources, dest, chown, chmod] = (sigs.get(copy) ?? copySig(copy)).split('|');
      sigs.set(copy, [from, sources, dest, m[1] === 'chown' ? m[2] : chown, m[1] === 'chmod' ? m[2] : chmod].join('|'));
      parts.add(part);
    }
  }
  return { sigs, parts };
}

function destKey(dest: string): string {
  return path.posix.normalize(dest).replace(/\/+$/, '') || '/';
}

function multiset(items: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of items) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

function finalStageProblems(before: DockerfileModel, after: DockerfileModel): string[] {
  const problems: string[] = [];
  const fb = before.stages[before.stages.length - 1];
  const fa = after.stages[after.stages.length - 1];
  if (!fb || !fa) return problems;
  if (before.stages.length !== after.stages.length)
    problems.push(`the number of stages changed (${before.stages.length} → ${after.stages.length})`);
  const folded = { before: foldPermissions(fb), after: foldPermissions(fa) };
  const copiesA = multiset(fa.instructions.filter((i) => i.copy).map((i) => folded.after.sigs.get(i) ?? copySig(i)));
  for (const c of fb.instructions.filter((i) => i.copy)) {
    const k = folded.before.sigs.get(c) ?? copySig(c);
    if (!copiesA.get(k)) problems.push(`final stage lost \`${c.text.slice(0, 70)}\``);
    else copiesA.set(k, copiesA.get(k)! - 1);
  }
  for (const [k, n] of copiesA) {
    if (n <= 0) continue;
    const [from, sources, dest, chown, chmod] = k.split('|');
    const broad = fa.instructions.find((i) => {
      if (!i.copy || (i.copy.from ?? '') !== from) return false;
      const same = destKey(i.copy.dest?.value ?? '') === destKey(dest);
      return (
        same &&
        i.copy.sources.some(
          (s) =>
            isWholeContext(s.value) ||
            sources.split(' ').every((x) => sourcePath(x).startsWith(sourcePath(s.value) + '/')),
        )
      );
    });
    if (!broad)
      problems.push(`final stage gained \`COPY ${sources} ${dest}\`, not part of a broader copy to the same place`);
    else if ((broad.copy!.chown ?? '') !== chown || (broad.copy!.chmod ?? '') !== chmod) {
      problems.push(
        `added \`COPY ${sources} ${dest}\` has owner/mode ${chown || 'root'}/${chmod || '-'} but the copy it was split from has ${broad.copy!.chown || 'root'}/${broad.copy!.chmod || '-'}`,
      );
    }
  }
  // command by command across the stage's RUNs, so merging `apt-get update` into the install RUN (CL004) keeps them
  const parts = (s: typeof fb, f: Folded) =>
    s.instructions.flatMap((i) => (runKey(i) ?? '').split(' && ').filter((p) => p && !f.parts.has(p)));
  const runsA = multiset(parts(fa, folded.after));
  for (const [k, n] of multiset(parts(fb, folded.before)))
    if ((runsA.get(k) ?? 0) < n) problems.push(`final stage lost or changed the command \`${k.slice(0, 70)}\``);
  const env = (m: DockerfileModel['stages'][number]) =>
    m.instructions
      .filter((i) => ['USER', 'WORKDIR', 'ENV'].includes(i.keyword))
      .map((i) => i.text.replace(/\s+/g, ' '));
  if (env(fb).join('\n') !== env(fa).join('\n')) problems.push(`final stage USER/WORKDIR/ENV sequence changed`);
  return problems;
}

function missingPathProblems(
  ws: Workspace,
  dockerfile: string,
  before: DockerfileModel,
  after: DockerfileModel,
  text: string,
): string[] {
  const problems: string[] = [];
  const had = new Set(before.instructions.filter((i) => i.copy).map(copySig));
  const added = after.instructions.filter((i) => isLocalCopy(i) && !had.has(copySig(i)));
  if (!added.length) return problems;
  const a = ws.analyze(dockerfile, text);
  const original = before.instructions.filter((i) => isLocalCopy(i) && had.has(copySig(i)));
  for (const ctx of a.contexts) {
    const view = ws.view(ctx);
    const reaches = (v: string) =>
      filesMatchingSource(view.allFiles, v).length > 0 || hasFilesUnder(view.allFiles, sourcePath(v));
    // the original's own explicit sources are missing here: not a context it builds in (CL109 says so)
    if (
      original.some((i) =>
        i.copy!.sources.some((s) => !/[$*?[]/.test(s.value) && !isWholeContext(s.value) && !reaches(s.value)),
      )
    )
      continue;
    for (const ins of added) {
      for (const s of ins.copy!.sources) {
        if (/\$/.test(s.value) || isWholeContext(s.value)) continue;
        const p = sourcePath(s.value);
        const globbed = /[*?[]/.test(p);
        const there = filesMatchingSource(view.files, s.value).length > 0 || hasFilesUnder(view.files, p);
        if (!there && !globbed)
          problems.push(
            `\`${ins.text.slice(0, 70)}\` names \`${s.value}\`, which does not reach the build in context ${path.relative(ws.root, ctx.contextDir) || '.'}`,
          );
      }
    }
  }
  return problems;
}

function explicitSourceProblems(ws: Workspace, ignoreFile: string): string[] {
  // Every Dockerfile in the fixed tree whose context uses this ignore file: its explicitly named sources must still reach the build.
  const problems: string[] = [];
  return problems.concat(
    dockerfilesServedBy(ws, ignoreFile).flatMap(({ dockerfile, text }) => {
      const model = parseDockerfile(text);
      const a = ws.analyze(dockerfile, text);
      const out: string[] = [];
      for (const ctx of a.contexts) {
        if (ctx.ignoreFile !== ignoreFile) continue;
        const view = ws.view(ctx);
        for (const ins of model.instructions.filter(isLocalCopy)) {
          for (const s of ins.copy!.sources) {
            const p = sourcePath(s.value);
            if (!p || /[$*?[]/.test(p)) continue;
            const present = filesMatchingSource(view.allFiles, s.value).length > 0 || hasFilesUnder(view.allFiles, p);
            const included = filesMatchingSource(view.files, s.value).length > 0 || hasFilesUnder(view.files, p);
            if (present && !included)
              out.push(
                `${path.relative(ws.root, ignoreFile)} now excludes \`${s.value}\`, which ${path.relative(ws.root, dockerfile)} copies`,
              );
          }
        }
      }
      return out;
    }),
  );
}

function dockerfilesServedBy(ws: Workspace, ignoreFile: string): { dockerfile: string; text: string }[] {
  const dir = path.dirname(ignoreFile);
  const beside =
    ignoreFile.endsWith('.dockerignore') && path.basename(ignoreFile) !== '.dockerignore'
      ? ignoreFile.slice(0, -'.dockerignore'.length)
      : undefined;
  const candidates = beside ? [beside] : walkDockerfiles(ws.root);
  return candidates
    .filter((f) => existsSync(f) && (beside || f.startsWith(dir)))
    .map((f) => ({ dockerfile: f, text: readFileSync(f, 'utf8') }));
}

function walkDockerfiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 8) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory() && !['node_modules', '.git', 'vendor'].includes(e.name))
        walk(path.join(d, e.name), depth + 1);
      else if (e.isFile() && isDockerfileName(e.name)) out.push(path.join(d, e.name));
    }
  };
  walk(root, 0);
  return out;
}

/** Problems of the fixed tree `fixed` against `original`, for the files the fix changed (paths relative to the root). */
export function staticFixProblems(original: string, fixed: string, changed: readonly string[]): string[] {
  const ws = new Workspace(fixed);
  const problems: string[] = [];
  for (const rel of changed) {
    const abs = path.join(fixed, rel);
    if (!existsSync(abs)) continue;
    const name = path.basename(rel);
    if (name.endsWith('.dockerignore') || name === '.containerignore') {
      problems.push(...explicitSourceProblems(ws, abs).map((p) => `${rel}: ${p}`));
      continue;
    }
    if (!isDockerfileName(name)) continue;
    const beforeText = existsSync(path.join(original, rel)) ? readFileSync(path.join(original, rel), 'utf8') : '';
    const afterText = readFileSync(abs, 'utf8');
    const before = parseDockerfile(beforeText);
    const after = parseDockerfile(afterText);
    const found = [
      ...missingPathProblems(ws, abs, before, after, afterText),
      ...orderProblems(before, after),
      ...finalStageProblems(before, after),
    ];
    problems.push(...found.map((p) => `${rel}: ${p}`));
  }
  return problems;
}
