// A raw-stdio editor stand-in for benchmarks: spawns a language server, speaks
// JSON-RPC to it, waits for the publishDiagnostics that answers an open or a
// change, and reads the server's CPU time from /proc/<pid>/stat. The same
// driver runs any server, so two servers see exactly the same messages.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { typedAt, typingSpot } from './util';

/** A Dockerfile as the benchmarks type into it: its text and where the characters go (util.ts typingSpot). */
export interface TypingDoc {
  uri: string;
  text: string;
  line: number;
  character: number;
}

/** The file's text and typing spot. */
export function typingDoc(file: string): TypingDoc {
  const text = readFileSync(file, 'utf8');
  return { uri: pathToFileURL(file).href, text, ...typingSpot(text) };
}

interface Publish {
  uri: string;
  version?: number;
  diagnostics: unknown[];
}

/** clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux) */
const TICKS_PER_S = 100;

export class LspDriver {
  readonly conn: MessageConnection;
  readonly proc: ChildProcess;
  private waiters = new Map<string, { version?: number; resolve: (p: { t: number; publish: Publish }) => void }>();
  private exited = false;

  constructor(
    readonly name: string,
    script: string,
    args: string[],
  ) {
    // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the servers
    const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    this.proc = spawn(process.execPath, [...nodeArgs, script, ...args], {
      stdio: ['pipe', 'pipe', process.env.BENCH_SERVER_STDERR === 'inherit' ? 'inherit' : 'ignore'],
    });
    this.proc.on('exit', () => (this.exited = true));
    this.conn = createMessageConnection(
      new StreamMessageReader(this.proc.stdout!),
      new StreamMessageWriter(this.proc.stdin!),
    );
    this.conn.onNotification('textDocument/publishDiagnostics', (p: Publish) => {
      const t = performance.now();
      const w = this.waiters.get(p.uri);
      // a server that versions its publishes: only the one for this version (or later) answers
      if (w && (p.version === undefined || w.version === undefined || p.version >= w.version)) {
        this.waiters.delete(p.uri);
        w.resolve({ t, publish: p });
      }
    });
    // BENCH_RULES_OFF=CL001,CL002 answers cachelens' settings with those rules off (what they cost, side by side)
    const off = process.env.BENCH_RULES_OFF?.split(',').filter(Boolean) ?? [];
    const cachelens = off.length ? { rules: Object.fromEntries(off.map((r) => [r, 'off'])) } : null;
    this.conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
      p.items.map((i) => (i.section === 'cachelens' ? cachelens : null)),
    );
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.onNotification(() => undefined);
    this.conn.listen();
  }

  /** The server's CPU time so far (user + system, its waited-for children included), in ms; `children` alone. */
  cpuMs(): number {
    return this.cpu().total;
  }

  cpu(): { total: number; children: number } {
    const stat = readFileSync(`/proc/${this.proc.pid}/stat`, 'utf8');
    // fields after the command name (which may hold spaces): state is field 3, utime 14 … cstime 17
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const children = Number(f[13]) + Number(f[14]);
    const ticks = Number(f[11]) + Number(f[12]) + children;
    return { total: (ticks * 1000) / TICKS_PER_S, children: (children * 1000) / TICKS_PER_S };
  }

  /** Resolves with the arrival time of the next publish for `uri` (at `version` or later when the server versions them). */
  published(uri: string, version?: number, timeoutMs = 20_000): Promise<{ t: number; publish: Publish }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.name}: no diagnostics for ${uri} v${version} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.set(uri, {
        version,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });
  }

  async initialize(folder: string, initializationOptions?: unknown): Promise<void> {
    const uri = pathToFileURL(folder).href;
    await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{ uri, name: 'bench' }],
      initializationOptions,
      capabilities: {
        workspace: { configuration: true },
        textDocument: { publishDiagnostics: { versionSupport: true } },
      },
    });
    await this.conn.sendNotification('initialized', {});
  }

  /** didOpen; resolves with ms to its diagnostics. */
  async open(uri: string, text: string): Promise<number> {
    const done = this.published(uri, 1);
    const t = performance.now();
    await this.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'dockerfile', version: 1, text },
    });
    return (await done).t - t;
  }

  /** one incremental didChange inserting `text` at line:character; resolves with ms to its diagnostics. */
  async insert(uri: string, version: number, line: number, character: number, text: string): Promise<number> {
    const done = this.published(uri, version);
    const t = performance.now();
    await this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line, character }, end: { line, character } }, text }],
    });
    return (await done).t - t;
  }

  /** didClose, then the clearing publish both servers send, so that it cannot answer a later open. */
  async close(uri: string): Promise<void> {
    const cleared = this.published(uri, undefined, 5_000).catch(() => undefined);
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await cleared;
  }

  /**
   * The side-by-side benchmarks' typing: `edits` characters (typedAt) at the document's typing spot, each
   * `gapMs` after the previous publish, as a typist; resolves with the ms from each edit to its diagnostics.
   */
  async type(doc: TypingDoc, edits: number, gapMs: number): Promise<number[]> {
    const ms: number[] = [];
    for (let i = 0; i < edits; i++) {
      await new Promise((r) => setTimeout(r, gapMs));
      ms.push(await this.insert(doc.uri, i + 2, doc.line, doc.character + i, typedAt(i)));
    }
    return ms;
  }

  async stop(): Promise<void> {
    await this.conn.sendRequest('shutdown').catch(() => undefined);
    await this.conn.sendNotification('exit').catch(() => undefined);
    for (let i = 0; i < 50 && !this.exited; i++) await new Promise((r) => setTimeout(r, 20));
    if (!this.exited) this.proc.kill();
    this.conn.dispose();
  }
}
