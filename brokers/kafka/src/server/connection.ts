// One client socket: size-prefixed framing, request header v1, dispatch, and replies released in request order
// (kfake client_conn.go) even when a long-poll fetch or a join answers later than the requests behind it. Anything
// malformed (bad size, unknown key or version, a body that does not decode exactly) closes this socket only, as
// Kafka does; ApiVersions above v2 gets a v0-shaped UNSUPPORTED_VERSION reply so newer clients can step down.
// A reply is a list of buffers (a Fetch carries the stored batches by reference) written with one vectored write.
import type { Socket } from 'node:net';
import { routes } from '../handlers';
import { NO_REPLY, type RequestContext } from '../handlers/handler';
import { ApiVersions } from '../protocol/apis/18-api-versions';
import { ErrorCode } from '../protocol/errors';
import { MalformedRequest, Reader } from '../protocol/primitives/reader';
import { Writer } from '../protocol/primitives/writer';
import { apis } from '../protocol/registry';
import type { Cluster } from '../state/cluster';

/** Kafka's socket.request.max.bytes default. */
export const MAX_FRAME_BYTES = 104_857_600;
/** Requests parsed but not yet answered; past this the socket is paused (Kafka mutes a channel the same way). */
const MAX_IN_FLIGHT = 64;

export class Connection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private nextSeq = 0;
  private releaseSeq = 0;
  private readonly ready = new Map<number, Buffer[] | null>();
  private closed = false;
  private readonly closeHooks = new Set<() => void>();
  private readonly clientHost: string;

  constructor(
    private readonly socket: Socket,
    private readonly cluster: Cluster,
  ) {
    this.clientHost = '/' + (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      this.drain();
    });
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.chunks = [];
    this.ready.clear();
    this.socket.destroy();
    for (const fn of [...this.closeHooks]) fn();
    this.closeHooks.clear();
  }

  /** Cuts complete frames off the buffer and handles them, while the in-flight window allows. */
  private drain(): void {
    while (!this.closed && this.buffered >= 4) {
      if (this.nextSeq - this.releaseSeq >= MAX_IN_FLIGHT) {
        this.socket.pause();
        return;
      }
      const first = this.chunks[0]!;
      // Wait for a frame's last chunk before joining chunks: a 1 MB produce arrives in dozens of them.
      if (
        first.length >= 4 &&
        this.buffered < 4 + first.readInt32BE(0) &&
        first.readInt32BE(0) <= MAX_FRAME_BYTES
      ) {
        return;
      }
      const head = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
      this.chunks = [head];
      const size = head.readInt32BE(0);
      if (size < 8 || size > MAX_FRAME_BYTES) return this.close();
      if (head.length < 4 + size) return;
      const frame = head.subarray(4, 4 + size);
      const rest = head.subarray(4 + size);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
      this.handle(frame);
    }
    if (!this.closed && this.socket.isPaused()) this.socket.resume();
  }

  private handle(frame: Buffer): void {
    const seq = this.nextSeq++;
    try {
      const r = new Reader(frame);
      const apiKey = r.int16();
      const version = r.int16();
      const correlationId = r.int32();
      if (apiKey === ApiVersions.key && version > ApiVersions.maxVersion) {
        const body = new Writer().int32(correlationId);
        ApiVersions.encodeResponse(
          body,
          {
            errorCode: ErrorCode.UNSUPPORTED_VERSION,
            apis: apis.map((a) => ({ key: a.key, min: a.minVersion, max: a.maxVersion })),
            throttleTimeMs: 0,
          },
          0,
        );
        return this.release(seq, body.frameParts());
      }
      const route = routes.get(apiKey);
      if (!route || version < route.api.minVersion || version > route.api.maxVersion) return this.close();
      const clientId = r.nullableString() ?? '';
      const request = route.api.decodeRequest(r, version);
      r.end();
      const ctx: RequestContext = {
        cluster: this.cluster,
        version,
        clientId,
        clientHost: this.clientHost,
        onClose: (fn) => {
          this.closeHooks.add(fn);
          return () => this.closeHooks.delete(fn);
        },
      };
      const encode = (response: unknown): Buffer[] => {
        const w = new Writer().int32(correlationId);
        route.api.encodeResponse(w, response, version);
        return w.frameParts();
      };
      const out = route.handle(ctx, request);
      if (out === NO_REPLY) this.release(seq, null);
      else if (out instanceof Promise) {
        out.then(
          (response) => this.release(seq, encode(response)),
          (err: unknown) => this.fail(err),
        );
      } else this.release(seq, encode(out));
    } catch (err) {
      this.fail(err);
    }
  }

  /** Garbage closes the socket quietly; anything else is a broker bug, reported on the change stream too. */
  private fail(err: unknown): void {
    if (!(err instanceof MalformedRequest)) {
      this.cluster.emit('internal-error', 'connection', {
        message: err instanceof Error ? err.message : String(err),
      });
    }
    this.close();
  }

  private release(seq: number, parts: Buffer[] | null): void {
    if (this.closed) return;
    this.ready.set(seq, parts);
    this.socket.cork();
    while (this.ready.has(this.releaseSeq)) {
      const f = this.ready.get(this.releaseSeq);
      this.ready.delete(this.releaseSeq++);
      if (f) for (const b of f) this.socket.write(b);
    }
    this.socket.uncork();
    if (this.socket.isPaused()) this.drain();
  }
}
