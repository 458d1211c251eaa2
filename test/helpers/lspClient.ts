// The one LSP test client: the bundled server (dist/server.js) as a child
// process spoken to over stdio with JSON-RPC framing written here, so that the
// robustness tests can also send frames no library would (writeRaw). Requests
// carry ids and resolve with their response; the server's notifications are
// recorded (diagnostics per document, log messages) and its requests answered
// like a minimal editor (configuration from `settings`, edits applied and kept).
// waitFor re-checks a predicate on every message and on exit: no polling, no
// fixed sleeps; it fails after its timeout with the server's stderr.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Hover, InitializeResult, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { SERVER } from './server';

export const WAIT_MS = 8000;

export interface Message {
  jsonrpc?: string;
  id?: number | string | null;
  method?: string;
  params?: any;
  result?: any;
  error?: { code: number; message: string };
}

export type Publish = PublishDiagnosticsParams;

export interface LogEntry {
  type: number;
  message: string;
}

const ERROR_LOG = /unhandled rejection|uncaught exception/i;

/** What an editor declares it supports, unless a test passes its own. */
const EDITOR_CAPABILITIES = {
  workspace: { configuration: true, applyEdit: true, workspaceFolders: true, workspaceEdit: { documentChanges: true } },
  textDocument: {
    publishDiagnostics: {
      relatedInformation: true,
      versionSupport: true,
      codeDescriptionSupport: true,
      dataSupport: true,
    },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
    },
  },
};

export class LspClient {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly received: Message[] = [];
  readonly logs: LogEntry[] = [];
  readonly published = new Map<string, Publish[]>();
  /** the params of each workspace/applyEdit the server sent */
  readonly appliedEdits: any[] = [];
  /** the answer to workspace/configuration for each item (null: the defaults) */
  settings: unknown = null;
  stderr = '';
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private waiters: (() => void)[] = [];

  /** Runs `node <script> <args>` (the built server by default), or `command <args>` for an installed bin. */
  constructor(args: string[] = ['--stdio'], from: { script?: string; command?: string; cwd?: string } = {}) {
    this.proc = from.command
      ? spawn(from.command, args, { stdio: 'pipe', cwd: from.cwd })
      : spawn(process.execPath, [from.script ?? SERVER, ...args], { stdio: 'pipe', cwd: from.cwd });
    this.proc.stdout.on('data', (d: Buffer) => this.onData(d));
    this.proc.stderr.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.proc.stdin.on('error', () => undefined); // writes after the server exited
    this.proc.on('exit', (code, signal) => {
      this.exit = { code, signal };
      this.wake();
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private onData(d: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, d]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) break;
      const header = this.buffer.subarray(0, end).toString('ascii');
      const length = Number(/Content-Length: *(\d+)/i.exec(header)?.[1]);
      assert.ok(Number.isFinite(length), `the server wrote a frame without Content-Length: ${header}`);
      if (this.buffer.length < end + 4 + length) break;
      const body = this.buffer.subarray(end + 4, end + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(end + 4 + length);
      this.onMessage(JSON.parse(body) as Message);
    }
    this.wake();
  }

  private onMessage(m: Message): void {
    this.received.push(m);
    if (m.method === 'window/logMessage') this.logs.push(m.params);
    if (m.method === 'textDocument/publishDiagnostics') {
      const p = m.params as Publish;
      if (!this.published.has(p.uri)) this.published.set(p.uri, []);
      this.published.get(p.uri)!.push(p);
    }
    // requests from the server: answer like a minimal editor
    if (m.method && m.id !== undefined) this.send({ jsonrpc: '2.0', id: m.id, result: this.answer(m) });
  }

  private answer(m: Message): unknown {
    if (m.method === 'workspace/configuration') return (m.params?.items ?? []).map(() => this.settings);
    if (m.method === 'workspace/applyEdit') {
      this.appliedEdits.push(m.params);
      return { applied: true };
    }
    return null;
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  /** the exit code once the server has exited; undefined while it runs */
  get exitCode(): number | null | undefined {
    return this.exit?.code;
  }

  get pid(): number {
    return this.proc.pid!;
  }

  writeRaw(data: string | Buffer): void {
    if (this.alive && this.proc.stdin.writable) this.proc.stdin.write(data);
  }

  send(m: Message): void {
    const body = Buffer.from(JSON.stringify(m), 'utf8');
    this.writeRaw(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  notify(method: string, params?: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** Sends a request; returns its id and a promise of the response (result or error). */
  start(method: string, params?: unknown): { id: number; response: Promise<Message> } {
    const id = this.nextId++;
    this.send({ jsonrpc: '2.0', id, method, params });
    return {
      id,
      response: this.waitFor(`the response to ${method} #${id}`, () =>
        this.received.find((m) => m.id === id && !m.method),
      ),
    };
  }

  /** Sends a request and resolves with its result; an error response fails. */
  async request<T = any>(method: string, params?: unknown): Promise<T> {
    const m = await this.start(method, params).response;
    assert.equal(m.error, undefined, `${method} failed: ${JSON.stringify(m.error)}`);
    return m.result as T;
  }

  /**
   * Resolves with the first value `check` returns, re-checked on every message and on exit.
   * Fails after `timeoutMs` naming `what`, or when the server exits first (unless `allowExit`).
   */
  async waitFor<T>(what: string, check: () => T | undefined, timeoutMs = WAIT_MS, allowExit = false): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = check();
      if (v !== undefined) return v;
      if (!this.alive && !allowExit)
        assert.fail(`server exited (${JSON.stringify(this.exit)}) while waiting for ${what}\nstderr:\n${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0)
        assert.fail(
          `timed out after ${timeoutMs} ms waiting for ${what}\nlogs: ${JSON.stringify(this.logs.slice(-20))}\nstderr:\n${this.stderr.slice(-2000)}`,
        );
      await new Promise<void>((resolve) => {
        const timeout = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timeout);
          resolve();
        });
      });
    }
  }

  /** initialize + initialized; `folder` null for no workspace. Editor capabilities unless `capabilities` is given. */
  async initialize(
    folder: string | null,
    options: { capabilities?: object; initializationOptions?: unknown } = {},
  ): Promise<InitializeResult> {
    const uri = folder === null ? null : pathToFileURL(folder).href;
    const result = await this.request<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: uri,
      ...(folder && uri ? { workspaceFolders: [{ uri, name: path.basename(folder) }] } : {}),
      capabilities: options.capabilities ?? EDITOR_CAPABILITIES,
      ...(options.initializationOptions !== undefined ? { initializationOptions: options.initializationOptions } : {}),
    });
    this.notify('initialized', {});
    return result;
  }

  open(uri: string, text: string, languageId = 'dockerfile', version = 1): void {
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, contentChanges: unknown[]): void {
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return this.request('textDocument/hover', { textDocument: { uri }, position: { line, character } });
  }

  codeActions(uri: string, range: unknown, diagnostics: unknown[], only?: string[]): Promise<CodeAction[] | null> {
    return this.request('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    });
  }

  /** How many diagnostics notifications `uri` has had so far; pass it to `diagnostics` to wait for a newer one. */
  mark(uri: string): number {
    return this.published.get(uri)?.length ?? 0;
  }

  /** The first publish for `uri` after `since` that satisfies `accept`. */
  diagnostics(
    uri: string,
    since = 0,
    accept: (p: Publish) => boolean = () => true,
    what = 'diagnostics',
  ): Promise<Publish> {
    return this.waitFor(`${what} for ${uri}`, () => this.published.get(uri)?.slice(since).find(accept));
  }

  latest(uri: string): Publish | undefined {
    return this.published.get(uri)?.at(-1);
  }

  /** Resident set size of the server process, from /proc. */
  rssBytes(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
    assert.ok(Number.isFinite(kb), 'no VmRSS in /proc status');
    return kb * 1024;
  }

  /** shutdown + exit; resolves with the exit code. */
  async shutdown(timeoutMs = 5000): Promise<number | null> {
    await this.request('shutdown');
    this.notify('exit');
    return (await this.waitFor('the server to exit after shutdown', () => this.exit, timeoutMs, true)).code;
  }

  /** Ends stdin and waits for the process to go. */
  async close(timeoutMs = 5000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.alive) this.proc.stdin.end();
    return this.waitFor('the server to exit after stdin closed', () => this.exit, timeoutMs, true);
  }

  kill(): void {
    if (this.alive) this.proc.kill('SIGKILL');
    for (const s of [this.proc.stdin, this.proc.stdout, this.proc.stderr]) s.destroy();
  }

  errorLogs(): string[] {
    return [...this.logs.map((l) => l.message), this.stderr].filter((m) => ERROR_LOG.test(m));
  }
}
