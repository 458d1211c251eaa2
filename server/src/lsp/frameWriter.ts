// The server's messages to the client over stdio, each written as one frame
// (header and body in one buffer, one write). vscode-jsonrpc's stream writer
// writes the header and then the body as two writes, awaiting the first, behind
// a lock and a promise per encoding step: two system calls and several promise
// turns per message, which on a keystroke's publish cost as much as a rule.
// Same wire format (Content-Length header, UTF-8 JSON body), same order: the
// stream keeps the writes in the order they are made.

import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-languageserver/node';

export class FrameWriter extends AbstractMessageWriter implements MessageWriter {
  private errorCount = 0;

  constructor(private readonly out: NodeJS.WritableStream) {
    super();
    out.on('error', (e: Error) => this.fireError(e));
    out.on('close', () => this.fireClose());
  }

  write(msg: Message): Promise<void> {
    let frame: Buffer;
    try {
      frame = frameOf(msg);
    } catch (e) {
      this.fireError(e, msg, ++this.errorCount);
      return Promise.reject(e);
    }
    return new Promise((resolve, reject) => {
      this.out.write(frame, (e) => {
        if (!e) return resolve();
        this.fireError(e, msg, ++this.errorCount);
        reject(e);
      });
    });
  }

  end(): void {}
}

/** `Content-Length: N\r\n\r\n` and the UTF-8 JSON of the message, in one buffer. */
export function frameOf(msg: Message): Buffer {
  const json = JSON.stringify(msg);
  const length = Buffer.byteLength(json, 'utf8');
  const header = `Content-Length: ${length}\r\n\r\n`;
  const frame = Buffer.allocUnsafe(header.length + length);
  frame.write(header, 0, 'latin1');
  frame.write(json, header.length, 'utf8');
  return frame;
}
