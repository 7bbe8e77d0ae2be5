// An embedded AMQP 0-9-1 broker instance: one TCP listener, one vhost '/', its connections, its event stream.
// Instances share nothing, so each learner session gets its own. `setAlarm` raises or clears the memory alarm
// that RabbitMQ turns into connection.blocked / connection.unblocked (the backpressure chapter's demo).
import { createServer, type Server, type Socket } from 'node:net';
import type { BrokerStartOptions, Clock, EmbeddedBroker } from '@msgbook/broker-common';
import { EventHub, realClock } from '@msgbook/broker-common';
import type { AmqpSnapshot, BrokerEvent } from '@msgbook/protocol';
import { snapshotOf } from './inspect';
import { Connection, type ConnectionHost } from './server/connection';
import { Vhost } from './state/vhost';

export class AmqpBroker implements EmbeddedBroker, ConnectionHost {
  readonly kind = 'amqp' as const;
  readonly vhost: Vhost;
  readonly connections = new Set<Connection>();
  alarm = false;
  private readonly events = new EventHub();
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly clock: Clock,
    readonly address: { host: string; port: number },
  ) {
    this.vhost = new Vhost(clock, (kind, subject, detail) => this.emit(kind, subject, detail));
  }

  static async start(options: BrokerStartOptions = {}): Promise<AmqpBroker> {
    const host = options.host ?? '127.0.0.1';
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    const broker = new AmqpBroker(server, options.clock ?? realClock, { host, port });
    server.on('connection', (socket) => broker.accept(socket));
    return broker;
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    const conn = new Connection(socket, this);
    this.connections.add(conn);
    this.emit('connection-opened', conn.id);
  }

  connectionClosed(conn: Connection): void {
    if (this.connections.delete(conn)) this.emit('connection-closed', conn.id);
  }

  /** Raises or clears the memory alarm. Clearing it unblocks every blocked connection. */
  setAlarm(on: boolean): void {
    if (this.alarm === on) return;
    this.alarm = on;
    this.emit(on ? 'alarm-raised' : 'alarm-cleared', 'memory');
    if (!on) for (const c of this.connections) c.unblock();
  }

  snapshot(): AmqpSnapshot {
    return snapshotOf(this);
  }

  subscribe(listener: (event: BrokerEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  private emit(kind: string, subject: string, detail: Record<string, unknown> = {}): void {
    if (this.events.size === 0) return;
    this.events.emit({ broker: 'amqp', at: this.clock.now(), kind, subject, detail });
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const c of this.connections) c.forceClose();
    for (const s of this.sockets) s.destroySoon();
    const deadline = setTimeout(() => {
      for (const s of this.sockets) s.destroy();
    }, 500);
    await closed;
    clearTimeout(deadline);
    for (const q of [...this.vhost.queues.values()]) this.vhost.deleteQueue(q);
  }
}
