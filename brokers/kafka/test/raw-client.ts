// A bare socket client for server tests: writes framed requests (header v1) and reads framed replies in arrival
// order, so tests can see the order replies leave in and what a broker does with garbage.
import { connect, type Socket } from 'node:net';
import { Writer } from '../src/protocol/primitives/writer';

export class RawClient {
  private buffered = Buffer.alloc(0);
  private readonly frames: Buffer[] = [];
  private wake: (() => void) | undefined;
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= 4 && this.buffered.length >= 4 + this.buffered.readInt32BE(0)) {
        const size = this.buffered.readInt32BE(0);
        this.frames.push(this.buffered.subarray(4, 4 + size));
        this.buffered = this.buffered.subarray(4 + size);
      }
      this.wake?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
    socket.on('error', () => {});
  }

  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  send(apiKey: number, version: number, correlationId: number, body: Buffer, clientId = 'raw'): void {
    this.socket.write(
      new Writer().int16(apiKey).int16(version).int32(correlationId).string(clientId).raw(body).frame(),
    );
  }

  /** The next reply frame (correlation id first), or null once the broker has closed the socket. */
  async next(): Promise<Buffer | null> {
    for (;;) {
      const f = this.frames.shift();
      if (f) return f;
      if (this.closed) return null;
      await new Promise<void>((r) => (this.wake = r));
      this.wake = undefined;
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
