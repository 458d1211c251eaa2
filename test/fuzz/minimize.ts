// Shrinks a failing input to a small one that fails the same way (same
// signature): chunks of lines, then of characters, are dropped while the
// failure persists (delta debugging, greedy). The ignore file goes first.
import { checkInput, signature, type Failure, type Stage } from './oracle';

export interface Minimized {
  dockerfile: string;
  ignore?: string;
  checks: number;
}

function narrowing(f: Failure): { contexts?: boolean[]; stages: Set<Stage> } {
  const stages = new Set<Stage>();
  if (f.where.startsWith('hover')) stages.add('hover');
  else if (/fixAll unsafe/.test(f.where)) stages.add('fixAllUnsafe');
  else if (/fixAll/.test(f.where)) stages.add('fixAll');
  else if (/ fix "/.test(f.where)) stages.add('fixes');
  const contexts = /\(with context\)/.test(f.where) ? [true] : /\(no context\)/.test(f.where) ? [false] : undefined;
  return { contexts, stages };
}

function shrink(parts: string[], holds: (parts: string[]) => boolean, deadline: number): string[] {
  let chunk = Math.max(1, parts.length >> 1);
  for (;;) {
    let removed = false;
    for (let i = 0; i < parts.length && Date.now() < deadline; ) {
      const candidate = [...parts.slice(0, i), ...parts.slice(i + chunk)];
      if (candidate.length < parts.length && holds(candidate)) {
        parts = candidate;
        removed = true;
      } else i += chunk;
    }
    if (Date.now() >= deadline) return parts;
    if (chunk === 1 && !removed) return parts;
    if (!removed) chunk = Math.max(1, chunk >> 1);
  }
}

export function minimize(
  dockerfile: string,
  ignore: string | undefined,
  failure: Failure,
  budgetMs = 500,
  timeLimitMs = 30_000,
): Minimized {
  const target = signature(failure);
  const { contexts, stages } = narrowing(failure);
  let checks = 0;
  const fails = (d: string, i: string | undefined) => {
    checks++;
    return checkInput(d, i, { budgetMs, contexts, stages, stopAt: (f) => signature(f) === target }).failures.some(
      (f) => signature(f) === target,
    );
  };
  const deadline = Date.now() + timeLimitMs;
  let ig = ignore;
  if (ig !== undefined && fails(dockerfile, undefined)) ig = undefined;
  if (ig !== undefined) {
    const lines = ig.split(/(?<=\n)/);
    ig = shrink(lines, (p) => fails(dockerfile, p.join('')), deadline).join('');
  }
  let d = shrink(dockerfile.split(/(?<=\n)/), (p) => fails(p.join(''), ig), deadline).join('');
  if (d.length <= 4000) d = shrink([...d], (p) => fails(p.join(''), ig), deadline).join('');
  if (ig !== undefined && ig.length <= 4000) ig = shrink([...ig], (p) => fails(d, p.join('')), deadline).join('');
  return { dockerfile: d, ignore: ig, checks };
}
