// The forecast for the editor: computed in the background by a child process
// (the server bundle with --forecast-worker, so git and the replay never block the
// server's event loop or delay diagnostics), cached per Dockerfile and HEAD
// commit. Hover asks; when nothing is cached for the current HEAD, the ask
// starts the job and the hover goes without the line this time.

import { execFile } from 'node:child_process';
import * as path from 'node:path';
import type { StepForecast } from '../history/forecast';
import { headFromFiles, workTreeTop } from '../history/head';
import { normalizedText } from '../history/forecast';
import type { Instruction } from '../parse/dockerfile';

export interface CachedForecast {
  transitions: number;
  steps: StepForecast[];
  expectedSecondsPerBuild: number;
  fixes: { rule: string; title: string; secondsSavedPerBuild: number }[];
}

export interface ForecastCacheOptions {
  /** the node arguments that print the JSON contract for one Dockerfile (the server runs itself with --forecast-worker) */
  command: (workspaceRoot: string, dockerfile: string, commits: number) => string[];
  commits?: number;
  timeoutMs?: number;
  /** called when a forecast arrives (the server may refresh nothing: hover pulls) */
  onResult?: (dockerfile: string) => void;
  onError?: (dockerfile: string, message: string) => void;
  /** how often HEAD is asked for at most, per Dockerfile (default 10 s) */
  recheckMs?: number;
}

export class ForecastCache {
  private results = new Map<string, { head: string; forecast?: CachedForecast; failed?: string }>();
  private running = new Set<string>();
  /** when HEAD was last asked for, per Dockerfile: analyses run on every keystroke, git need not */
  private checked = new Map<string, number>();

  constructor(private readonly opts: ForecastCacheOptions) {}

  /** A closed Dockerfile: when it was last checked is forgotten unless a forecast is kept for it (those are worth keeping). */
  forget(dockerfile: string): void {
    if (!this.results.has(dockerfile) && !this.running.has(dockerfile)) this.checked.delete(dockerfile);
  }

  /** The forecast for the current HEAD if there is one; otherwise starts computing it (once) and returns undefined. */
  get(dockerfile: string, workspaceRoot: string): CachedForecast | undefined {
    const known = this.results.get(dockerfile);
    const now = Date.now();
    if (
      !this.running.has(dockerfile) &&
      now - (this.checked.get(dockerfile) ?? -Infinity) >= (this.opts.recheckMs ?? 10_000)
    ) {
      this.checked.set(dockerfile, now);
      void this.refresh(dockerfile, workspaceRoot, known?.head);
    }
    return known?.forecast;
  }

  private async refresh(dockerfile: string, workspaceRoot: string, knownHead: string | undefined): Promise<void> {
    this.running.add(dockerfile);
    let head: string | null | undefined;
    try {
      // GIT_DIR names the repository: only git knows where it is
      if (!process.env.GIT_DIR) {
        const top = workTreeTop(path.dirname(dockerfile), workspaceRoot);
        // no .git between the Dockerfile and the workspace root (git is not asked above it): no history to read,
        // and spawning git costs the server more than the analysis (one per opened Dockerfile)
        if (top === undefined) {
          this.results.delete(dockerfile);
          return;
        }
        // HEAD from .git's files where they say it for sure; otherwise (a reftable, a git dir elsewhere) git
        head = headFromFiles(top, workspaceRoot);
      }
      if (head === undefined)
        head = (
          await run(
            'git',
            ['rev-parse', '-q', '--verify', 'HEAD'],
            path.dirname(dockerfile),
            workspaceRoot,
            5000,
          ).catch(() => undefined)
        )?.trim();
      if (!head) {
        this.results.delete(dockerfile);
        return;
      }
      // computed (or failed) for this HEAD already: a failure is not retried until HEAD moves
      if (head === knownHead) return;
      const args = this.opts.command(workspaceRoot, dockerfile, this.opts.commits ?? 100);
      const out = await run(process.execPath, args, workspaceRoot, workspaceRoot, this.opts.timeoutMs ?? 120_000);
      const json = JSON.parse(out) as { dockerfiles: CachedForecast[] };
      this.results.set(dockerfile, { head, forecast: json.dockerfiles[0] });
      this.opts.onResult?.(dockerfile);
    } catch (e) {
      this.results.set(dockerfile, { head: head ?? '', failed: (e as Error).message });
      this.opts.onError?.(dockerfile, (e as Error).message);
    } finally {
      this.running.delete(dockerfile);
    }
  }
}

function run(program: string, args: string[], cwd: string, workspaceRoot: string, timeout: number): Promise<string> {
  const env = {
    ...process.env,
    GIT_CEILING_DIRECTORIES: path.dirname(path.resolve(workspaceRoot)),
    GIT_OPTIONAL_LOCKS: '0',
    GIT_TERMINAL_PROMPT: '0',
  };
  return new Promise((resolve, reject) => {
    execFile(
      program,
      args,
      { cwd, env, timeout, maxBuffer: 64 * 1024 * 1024, windowsHide: true },
      (err, stdout, stderr) => {
        if (err) reject(new Error(String(stderr).trim().split('\n').pop() || err.message));
        else resolve(String(stdout));
      },
    );
  });
}

/** The hover line of an instruction: how often it re-ran, matched by its text (the document may have moved since). */
export function forecastHoverLine(f: CachedForecast | undefined, ins: Instruction): string | undefined {
  if (!f?.transitions) return undefined;
  const text = normalizedText(ins);
  const s = f.steps.find((x) => text.startsWith(x.instruction.replace(/\.\.\.$/, '')));
  if (!s) return undefined;
  const est = s.secondsSource === 'estimate' ? ' (estimate)' : '';
  const cost = s.seconds !== null && s.misses ? `, about ${(s.missRate * s.seconds).toFixed(1)} s per build${est}` : '';
  return `**Cache forecast:** re-ran on ${s.misses} of the last ${f.transitions} commit${f.transitions === 1 ? '' : 's'}${cost}.`;
}

/** What a rule's fix saves per build, for the finding's hover. */
export function forecastFixLine(f: CachedForecast | undefined, rule: string): string | undefined {
  const x = f?.fixes.find((y) => y.rule === rule);
  if (!f?.transitions || !x) return undefined;
  const est = f.steps.some((s) => s.secondsSource === 'estimate') ? ' (estimate)' : '';
  return `**Cache forecast:** the fix "${x.title}" ${x.secondsSavedPerBuild >= 0 ? 'saves' : 'costs'} about ${Math.abs(x.secondsSavedPerBuild).toFixed(1)} s per build over the last ${f.transitions} commits${est}.`;
}
