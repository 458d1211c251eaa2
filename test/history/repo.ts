// Synthetic git repositories for the forecast tests: a temp folder, real git,
// one commit per call, fixed author and dates so runs are reproducible.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

export class Repo {
  readonly dir: string;
  private n = 0;
  constructor(dir?: string) {
    this.dir = dir ?? mkdtempSync(join(tmpdir(), 'cachelens-hist-'));
    if (!dir) this.git('init', '-q', '-b', 'main');
  }
  git(...args: string[]): string {
    return execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], {
      cwd: this.dir,
      env: ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString('utf8');
  }
  /** Writes files (null deletes) and commits them. */
  commit(files: Record<string, string | null>, message = `c${++this.n}`): this {
    for (const [p, text] of Object.entries(files)) {
      const abs = join(this.dir, p);
      if (text === null) rmSync(abs, { force: true });
      else {
        mkdirSync(dirname(abs), { recursive: true });
        writeFileSync(abs, text);
      }
    }
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this;
  }
  move(from: string, to: string): this {
    this.git('mv', from, to);
    this.git('commit', '-q', '-m', `mv ${from} ${to}`);
    return this;
  }
}
