// The client's messages over stdio, read frame by frame (the counterpart of
// frameWriter.ts). vscode-jsonrpc's stream reader copies each chunk into its
// own buffer, scans the header byte by byte, and hands every body through a
// semaphore and two awaited decoders before the message reaches the
// connection: promise turns and copies per keystroke that cost as much as the
// rest of the protocol (bench/results/sidebyside.md). This reader splits the
// frames as the bytes arrive and delivers each message synchronously, in
// order, to the same connection.
//
// Same wire format and the same answers to bad input: a body that is not JSON,
// or that the connection cannot handle, is reported (onError) and the next
// frame is read; a header the reader cannot
// delimit (a line without ':', no Content-Length, a length that is no number)
// is reported with vscode-jsonrpc's wording and nothing more is read, as the
// frames after it cannot be found. Bodies are UTF-8, the only charset LSP has.

import { AbstractMessageReader, Disposable, type DataCallback, type Message } from 'vscode-languageserver/node';

const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');

export class FrameReader extends AbstractMessageReader {
  /** bytes received and not yet delivered (a frame split across reads) */
  private pending: Buffer | undefined;
  /** the body length of the frame whose header was read, while its body is incomplete */
  private bodyLength = -1;
  /** a header could not be delimited: nothing after it is a frame */
  private wedged = false;

  constructor(private readonly input: NodeJS.ReadableStream) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    const onData = (data: Buffer | string) =>
      this.onData(typeof data === 'string' ? Buffer.from(data) : data, callback);
    const onError = (e: Error) => this.fireError(e);
    const onClose = () => this.fireClose();
    this.input.on('data', onData);
    this.input.on('error', onError);
    this.input.on('close', onClose);
    return Disposable.create(() => {
      this.input.off('data', onData);
      this.input.off('error', onError);
      this.input.off('close', onClose);
    });
  }

  private onData(data: Buffer, callback: DataCallback): void {
    if (this.wedged) return;
    const buf = this.pending ? Buffer.concat([this.pending, data]) : data;
    let at = 0;
    for (;;) {
      if (this.bodyLength < 0) {
        const end = buf.indexOf(HEADER_END, at);
        if (end < 0) break;
        const length = contentLength(buf.toString('latin1', at, end));
        if (typeof length !== 'number') {
          this.wedged = true;
          this.pending = undefined;
          this.fireError(length);
          return;
        }
        this.bodyLength = length;
        at = end + HEADER_END.length;
      }
      if (buf.length - at < this.bodyLength) break;
      const body = buf.toString('utf8', at, at + this.bodyLength);
      at += this.bodyLength;
      this.bodyLength = -1;
      try {
        // the connection's handler too: it throws on JSON that is no JSON-RPC message (`[]`, a request with `"id": null`)
        callback(JSON.parse(body) as Message);
      } catch (e) {
        this.fireError(e);
      }
    }
    // keep only what is not delivered; a copy, so that the chunk it came in can be freed
    this.pending = at >= buf.length ? undefined : at === 0 && buf !== data ? buf : Buffer.from(buf.subarray(at));
  }
}

/** The Content-Length of a frame's header block, or the error that says why it has none. */
export function contentLength(header: string): number | Error {
  let value: string | undefined;
  for (const line of header.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) return new Error(`Message header must separate key and value using ':'\n${line}`);
    if (line.slice(0, colon).trim().toLowerCase() === 'content-length') value = line.slice(colon + 1).trim();
  }
  if (value === undefined) return new Error(`Header must provide a Content-Length property.\n${header}`);
  const length = parseInt(value, 10);
  if (Number.isNaN(length) || length < 0) return new Error(`Content-Length value must be a number. Got ${value}`);
  return length;
}
