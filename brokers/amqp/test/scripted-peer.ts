// A scripted AMQP client for frame-level tests: it writes exactly the bytes a test asks for (encoded with
// amqplib's own codec, or raw garbage) and reads the server's frames one at a time, decoded by amqplib.
// Used where amqplib itself would refuse to misbehave: bad input, heartbeats, handshake details.
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';
import path from 'node:path';

const req = createRequire(import.meta.url);
const root = path.dirname(req.resolve('amqplib'));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const defs = req(path.join(root, 'lib/defs.js')) as any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const frameLib = req(path.join(root, 'lib/frame.js')) as any;

export interface PeerFrame {
  type: 'method' | 'header' | 'body' | 'heartbeat';
  channel: number;
  name?: string;
  fields?: Record<string, unknown>;
  content?: Buffer;
}

export class ScriptedPeer {
  private buf = Buffer.alloc(0);
  private frames: PeerFrame[] = [];
  private waiters: ((f: PeerFrame | null) => void)[] = [];
  private ended = false;
  readonly closed: Promise<void>;
  /** Raw bytes received before the first frame (a protocol header sent back, for instance). */
  raw = Buffer.alloc(0);

  private constructor(readonly socket: Socket) {
    socket.on('data', (d) => this.onData(d));
    socket.on('error', () => {});
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        this.ended = true;
        for (const w of this.waiters.splice(0)) w(null);
        resolve();
      }),
    );
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<ScriptedPeer> {
    const socket = connect(port, host);
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new ScriptedPeer(socket);
  }

  /** Header, start-ok (guest/guest), tune-ok, open; resolves after open-ok. */
  static async open(
    port: number,
    tune: { heartbeat?: number; frameMax?: number } = {},
  ): Promise<ScriptedPeer> {
    const p = await ScriptedPeer.connect(port);
    p.write(Buffer.from('AMQP\x00\x00\x09\x01', 'latin1'));
    await p.expect('ConnectionStart');
    p.method('ConnectionStartOk', 0, {
      clientProperties: { capabilities: { 'connection.blocked': true } },
      mechanism: 'PLAIN',
      response: Buffer.from('\0guest\0guest'),
      locale: 'en_US',
    });
    const t = await p.expect('ConnectionTune');
    p.method('ConnectionTuneOk', 0, {
      channelMax: t.fields!.channelMax,
      frameMax: tune.frameMax ?? t.fields!.frameMax,
      heartbeat: tune.heartbeat ?? 0,
    });
    p.method('ConnectionOpen', 0, { virtualHost: '/', capabilities: '', insist: false });
    await p.expect('ConnectionOpenOk');
    return p;
  }

  write(b: Buffer): void {
    this.socket.write(b);
  }

  method(name: string, channel: number, fields: Record<string, unknown>): void {
    this.write(defs.encodeMethod(defs[name], channel, fields));
  }

  /** A content header frame for basic, with the given body size. */
  header(channel: number, size: number, props: Record<string, unknown> = {}): void {
    this.write(defs.encodeProperties(60, channel, size, props));
  }

  body(channel: number, content: Buffer): void {
    this.write(frameLib.makeBodyFrame(channel, content));
  }

  heartbeat(): void {
    this.write(frameLib.HEARTBEAT_BUF);
  }

  /** The next frame from the server, or null once the socket has closed. */
  next(): Promise<PeerFrame | null> {
    const f = this.frames.shift();
    if (f) return Promise.resolve(f);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async expect(name: string): Promise<PeerFrame> {
    const f = await this.next();
    if (!f || f.name !== name)
      throw new Error(`expected ${name}, got ${f ? (f.name ?? f.type) : 'socket closed'}`);
    return f;
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    if (this.buf.subarray(0, 4).toString('latin1') === 'AMQP') {
      this.raw = Buffer.concat([this.raw, this.buf.subarray(0, 8)]);
      this.buf = this.buf.subarray(8);
    }
    for (let f; (f = frameLib.parseFrame(this.buf, 0));) {
      this.buf = f.rest;
      const d = frameLib.decodeFrame(f);
      let out: PeerFrame;
      if (d === frameLib.HEARTBEAT) out = { type: 'heartbeat', channel: 0 };
      else if ('content' in d) out = { type: 'body', channel: d.channel, content: Buffer.from(d.content) };
      else if ('size' in d) out = { type: 'header', channel: d.channel, fields: d.fields };
      else out = { type: 'method', channel: d.channel, name: defs.info(d.id).name, fields: d.fields };
      const w = this.waiters.shift();
      if (w) w(out);
      else this.frames.push(out);
    }
  }
}
