// One client connection: the protocol header, the handshake as named states (awaiting-header → awaiting-start-ok
// → awaiting-tune-ok → awaiting-open → open → closing → closed), heartbeats both ways on the injected clock,
// channel 0, and connection errors the way RabbitMQ 3.10 sends them (connection.close, wait for close-ok, end).
// Backpressure: deliveries stop while the socket needs draining; a memory alarm pauses reads (connection.blocked).
import type { Socket } from 'node:net';
import type { Clock, TimerHandle } from '@msgbook/broker-common';
import { AmqpError, fail, replyText } from '../errors';
import type { Queue } from '../state/queue';
import type { Vhost } from '../state/vhost';
import {
  encodeMethod,
  type Frame,
  FrameError,
  HEARTBEAT_BUF,
  PROTOCOL_HEADER,
  readFrame,
  splitId,
} from '../wire/codec';
import type { Table } from '../wire/types';
import { Channel } from './channel';

export type ConnectionState =
  | 'awaiting-header'
  | 'awaiting-start-ok'
  | 'awaiting-tune-ok'
  | 'awaiting-open'
  | 'open'
  | 'closing'
  | 'closed';

/** What a connection needs from the broker that accepted it. */
export interface ConnectionHost {
  readonly vhost: Vhost;
  readonly clock: Clock;
  readonly alarm: boolean;
  connectionClosed(conn: Connection): void;
  /** Reports a change to the broker's event stream (design.md §6). */
  emit(kind: string, subject: string, detail?: Record<string, unknown>): void;
}

/** RabbitMQ 3.10.8's tune values (observed). */
export const SERVER_FRAME_MAX = 131072;
export const SERVER_CHANNEL_MAX = 2047;
export const SERVER_HEARTBEAT = 60;

export class Connection {
  state: ConnectionState = 'awaiting-header';
  readonly id: string;
  frameMax = SERVER_FRAME_MAX;
  channelMax = SERVER_CHANNEL_MAX;
  heartbeat = 0;
  clientProperties: Table = {};
  /** connection.blocked has been sent and reads are paused. */
  blocked = false;
  readonly channels = new Map<number, Channel>();
  private readonly exclusiveQueues = new Set<Queue>();
  private buf: Buffer = Buffer.alloc(0);
  private corked = false;
  private lastSent = 0;
  private lastReceived = 0;
  private heartbeatTimer: TimerHandle | undefined;
  private closeTimer: TimerHandle | undefined;

  constructor(
    readonly socket: Socket,
    readonly broker: ConnectionHost,
  ) {
    this.id = `${socket.remoteAddress}:${socket.remotePort} -> ${socket.localAddress}:${socket.localPort}`;
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('drain', () => {
      for (const ch of this.channels.values()) ch.pumpAll();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.cleanup());
  }

  send(...frames: Buffer[]): void {
    if (this.state === 'closed' || this.socket.destroyed) return;
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    for (const f of frames) this.socket.write(f);
    this.lastSent = this.broker.clock.now();
  }

  /** Whether deliveries may be written now; false while the socket's buffer is full. */
  writable(): boolean {
    return this.state === 'open' && !this.socket.writableNeedDrain;
  }

  ownQueue(q: Queue): void {
    this.exclusiveQueues.add(q);
  }

  forget(ch: Channel): void {
    this.channels.delete(ch.id);
  }

  private onData(chunk: Buffer): void {
    this.lastReceived = this.broker.clock.now();
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    this.drainInput();
  }

  private drainInput(): void {
    if (this.state === 'awaiting-header') {
      if (this.buf.length < 8) {
        if (!PROTOCOL_HEADER.subarray(0, this.buf.length).equals(this.buf)) this.rejectHeader();
        return;
      }
      if (!this.buf.subarray(0, 8).equals(PROTOCOL_HEADER)) return this.rejectHeader();
      this.buf = this.buf.subarray(8);
      this.state = 'awaiting-start-ok';
      this.sendStart();
    }
    try {
      while (this.state !== 'closed' && !this.blocked) {
        const next = readFrame(this.buf, this.frameMax);
        if (!next) break;
        const { frame, rest } = next;
        if (this.shouldBlock(frame)) break;
        this.buf = rest;
        this.onFrame(frame);
      }
    } catch (e) {
      if (e instanceof AmqpError)
        this.closeWithError(e, (e as AmqpError & { methodId?: number }).methodId ?? 0);
      else if (e instanceof FrameError) this.closeWithError(fail(501, e.text), e.methodId);
      // A bug of ours must cost one connection, never the broker host and every other learner's session.
      else this.closeWithError(fail(541, e instanceof Error ? e.message : String(e)), 0);
    }
  }

  /** Spec 4.2.2: on a bad header, send ours and close. */
  private rejectHeader(): void {
    this.socket.end(PROTOCOL_HEADER);
    this.state = 'closed';
  }

  private sendStart(): void {
    this.send(
      encodeMethod('ConnectionStart', 0, {
        versionMajor: 0,
        versionMinor: 9,
        serverProperties: {
          product: 'msgbook embedded AMQP',
          version: '3.10.8',
          platform: `Node.js ${process.version}`,
          capabilities: {
            publisher_confirms: true,
            exchange_exchange_bindings: true,
            'basic.nack': true,
            consumer_cancel_notify: true,
            'connection.blocked': true,
            authentication_failure_close: true,
            per_consumer_qos: true,
            direct_reply_to: true,
          },
        },
        mechanisms: Buffer.from('PLAIN'),
        locales: Buffer.from('en_US'),
      }),
    );
  }

  /** Under a memory alarm, the first publish of a connection that understands it blocks the connection. */
  private shouldBlock(frame: Frame): boolean {
    if (!this.broker.alarm || this.state !== 'open' || frame.kind !== 'method') return false;
    if (frame.method.name !== 'BasicPublish') return false;
    const caps = this.clientProperties.capabilities as Table | undefined;
    if (!caps?.['connection.blocked']) return false;
    this.blocked = true;
    this.send(encodeMethod('ConnectionBlocked', 0, { reason: 'low on memory' }));
    this.socket.pause();
    this.broker.emit('connection-blocked', this.id, { reason: 'low on memory' });
    return true;
  }

  /** The broker's alarm cleared: unblock, resume reading, and handle what was held. */
  unblock(): void {
    if (!this.blocked) return;
    this.blocked = false;
    this.send(encodeMethod('ConnectionUnblocked', 0, {}));
    this.socket.resume();
    this.broker.emit('connection-unblocked', this.id);
    this.drainInput();
  }

  private onFrame(frame: Frame): void {
    if (frame.kind === 'heartbeat') {
      if (frame.channel !== 0) throw fail(505, 'type 8, all octets = <<>>');
      return;
    }
    if (this.state === 'closing') {
      if (frame.kind === 'method' && frame.channel === 0) {
        if (frame.method.name === 'ConnectionCloseOk') this.end();
        else if (frame.method.name === 'ConnectionClose') {
          this.send(encodeMethod('ConnectionCloseOk', 0, {}));
          this.end();
        }
      }
      return;
    }
    if (this.state !== 'open') return this.handshake(frame);
    if (frame.channel === 0) return this.channelZero(frame);
    const ch = this.channels.get(frame.channel);
    if (frame.kind === 'method' && frame.method.name === 'ChannelOpen') {
      if (ch) throw Object.assign(fail(504, "second 'channel.open' seen"), { methodId: frame.method.id });
      const opened = new Channel(frame.channel, this);
      this.channels.set(frame.channel, opened);
      opened.send('ChannelOpenOk', { channelId: Buffer.alloc(0) });
      return;
    }
    if (frame.kind === 'unknown-method') {
      // RabbitMQ 3.10.8 drops the socket without a connection.close here (observed).
      this.socket.destroy();
      return;
    }
    if (!ch) {
      const methodId = frame.kind === 'method' ? frame.method.id : 0;
      throw Object.assign(fail(504, "expected 'channel.open'"), { methodId });
    }
    try {
      ch.handle(frame);
    } catch (e) {
      if (e instanceof AmqpError && e.scope === 'channel')
        ch.closeWithError(e, frame.kind === 'method' ? frame.method.id : 0);
      else if (e instanceof AmqpError && frame.kind === 'method' && !('methodId' in e)) {
        throw Object.assign(e, { methodId: frame.method.id });
      } else throw e;
    }
  }

  private handshake(frame: Frame): void {
    const expected: Record<string, string> = {
      'awaiting-start-ok': 'ConnectionStartOk',
      'awaiting-tune-ok': 'ConnectionTuneOk',
      'awaiting-open': 'ConnectionOpen',
    };
    if (frame.kind !== 'method' || frame.method.name !== expected[this.state]) {
      // RabbitMQ drops the socket on a handshake out of order; there is no channel to report it on yet.
      this.end();
      return;
    }
    const m = frame.method;
    switch (m.name) {
      case 'ConnectionStartOk': {
        this.clientProperties = m.fields.clientProperties;
        const [, user, pass] = m.fields.response.toString('utf8').split('\0');
        if (m.fields.mechanism !== 'PLAIN' || user !== 'guest' || pass !== 'guest') {
          throw Object.assign(
            fail(
              403,
              `Login was refused using authentication mechanism ${m.fields.mechanism}. For details see the broker logfile.`,
            ),
            { methodId: m.id },
          );
        }
        this.state = 'awaiting-tune-ok';
        this.send(
          encodeMethod('ConnectionTune', 0, {
            channelMax: SERVER_CHANNEL_MAX,
            frameMax: SERVER_FRAME_MAX,
            heartbeat: SERVER_HEARTBEAT,
          }),
        );
        return;
      }
      case 'ConnectionTuneOk': {
        const f = m.fields;
        this.channelMax =
          f.channelMax === 0 ? SERVER_CHANNEL_MAX : Math.min(f.channelMax, SERVER_CHANNEL_MAX);
        this.frameMax = f.frameMax === 0 ? SERVER_FRAME_MAX : Math.min(f.frameMax, SERVER_FRAME_MAX);
        this.heartbeat = f.heartbeat;
        this.state = 'awaiting-open';
        if (this.heartbeat > 0) this.scheduleHeartbeat();
        return;
      }
      case 'ConnectionOpen': {
        if (m.fields.virtualHost !== '/') {
          throw Object.assign(fail(530, `vhost ${m.fields.virtualHost} not found`), { methodId: m.id });
        }
        this.state = 'open';
        this.send(encodeMethod('ConnectionOpenOk', 0, { knownHosts: '' }));
        return;
      }
    }
  }

  private channelZero(frame: Frame): void {
    if (frame.kind !== 'method') throw fail(505, 'expected method frame, got non method frame instead');
    const m = frame.method;
    switch (m.name) {
      case 'ConnectionClose':
        this.send(encodeMethod('ConnectionCloseOk', 0, {}));
        this.end();
        return;
      case 'ConnectionUpdateSecret':
        this.send(encodeMethod('ConnectionUpdateSecretOk', 0, {}));
        return;
      default:
        throw Object.assign(fail(504, 'unexpected method in connection state running'), { methodId: m.id });
    }
  }

  /** Heartbeats: send one every heartbeat/2 s of our silence; drop the peer after 2 heartbeats of its silence. */
  private scheduleHeartbeat(): void {
    const period = (this.heartbeat * 1000) / 2;
    this.heartbeatTimer = this.broker.clock.setTimeout(() => {
      if (this.state === 'closed') return;
      const now = this.broker.clock.now();
      if (now - this.lastReceived >= this.heartbeat * 2000) {
        this.socket.destroy();
        return;
      }
      if (now - this.lastSent >= period) this.send(HEARTBEAT_BUF);
      this.scheduleHeartbeat();
    }, period);
  }

  closeWithError(e: AmqpError, methodId: number): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    const [classId, mId] = splitId(methodId);
    const wasOpen = this.state === 'open';
    this.send(
      encodeMethod('ConnectionClose', 0, {
        replyCode: e.code,
        replyText: replyText(e.text),
        classId,
        methodId: mId,
      }),
    );
    this.state = 'closing';
    if (wasOpen) this.releaseResources();
    this.closeTimer = this.broker.clock.setTimeout(() => this.end(), 3000);
  }

  /** Closes from the broker's side with 320, as RabbitMQ does on shutdown. */
  forceClose(): void {
    this.closeWithError(fail(320, "broker forced connection closure with reason 'shutdown'"), 0);
  }

  private end(): void {
    this.state = 'closed';
    this.socket.end();
    this.cleanup();
  }

  private releaseResources(): void {
    for (const ch of this.channels.values()) ch.teardown();
    this.channels.clear();
    for (const q of this.exclusiveQueues) this.broker.vhost.deleteQueue(q);
    this.exclusiveQueues.clear();
  }

  private cleanup(): void {
    if (this.heartbeatTimer) this.heartbeatTimer.cancel();
    if (this.closeTimer) this.closeTimer.cancel();
    this.heartbeatTimer = this.closeTimer = undefined;
    this.releaseResources();
    if (this.state !== 'closed') {
      this.state = 'closed';
      this.socket.destroy();
    }
    this.broker.connectionClosed(this);
  }
}
