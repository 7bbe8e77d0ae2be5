// An embedded AMQP 0-9-1 broker instance: one TCP listener, one vhost '/', its connections, its event stream.
// Instances share nothing, so each learner session gets its own. The memory alarm, which RabbitMQ turns into
// connection.blocked / unblocked, is raised by hand (`setAlarm`, the backpressure chapter's demo) or when the
// message bodies queues hold pass `memoryLimit` (so a flooding learner is held back, as RabbitMQ would).
import { totalmem } from 'node:os';
import { createServer, type Server, type Socket } from 'node:net';
import type { BrokerStartOptions, Clock, EmbeddedBroker } from '@msgbook/broker-common';
import { EventHub, realClock } from '@msgbook/broker-common';
import type { AmqpSnapshot, BrokerControl, BrokerEvent } from '@msgbook/protocol';
import { snapshotOf } from './inspect';
import { Connection, type ConnectionHost } from './server/connection';
import { Vhost } from './state/vhost';

export interface AmqpStartOptions extends BrokerStartOptions {
  /** Body bytes queues may hold before the memory alarm blocks publishers. Default by profile: small 64 MiB,
   * full 40% of the machine's memory (RabbitMQ's default watermark). */
  memoryLimit?: number;
}

export class AmqpBroker implements EmbeddedBroker, ConnectionHost {
  readonly kind = 'amqp' as const;
  readonly vhost: Vhost;
  readonly connections = new Set<Connection>();
  private manualAlarm = false;
  private memoryAlarm = false;
  private readonly events = new EventHub();
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly clock: Clock,
    readonly address: { host: string; port: number },
    readonly memoryLimit: number,
  ) {
    this.vhost = new Vhost(
      clock,
      (kind, subject, detail) => this.emit(kind, subject, detail),
      (total) => this.memoryUsed(total),
    );
  }

  static async start(options: AmqpStartOptions = {}): Promise<AmqpBroker> {
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
    const limit =
      options.memoryLimit ?? (options.profile === 'small' ? 64 * 1024 * 1024 : Math.floor(0.4 * totalmem()));
    const broker = new AmqpBroker(server, options.clock ?? realClock, { host, port }, limit);
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

  /** Whether publishers are being blocked: raised by hand or by memory use. */
  get alarm(): boolean {
    return this.manualAlarm || this.memoryAlarm;
  }

  /** Raises or clears the alarm by hand, as `rabbitmqctl set_vm_memory_high_watermark 0` does on RabbitMQ. */
  setAlarm(on: boolean): void {
    const before = this.alarm;
    this.manualAlarm = on;
    this.alarmChanged(before);
  }

  /** The operator's controls the broker host passes on (design.md §6). */
  control(action: BrokerControl): void {
    switch (action.action) {
      case 'memory-alarm':
        return this.setAlarm(action.raised);
    }
  }

  private memoryUsed(total: number): void {
    const over = total > this.memoryLimit;
    if (over === this.memoryAlarm) return;
    const before = this.alarm;
    this.memoryAlarm = over;
    this.alarmChanged(before);
  }

  private alarmChanged(before: boolean): void {
    if (this.alarm === before) return;
    this.emit(this.alarm ? 'alarm-raised' : 'alarm-cleared', 'memory', { used: this.vhost.heldBytes });
    // Unblocking resumes other connections' input: let the frame being handled finish first.
    if (!this.alarm) queueMicrotask(() => this.alarm || this.connections.forEach((c) => c.unblock()));
  }

  snapshot(): AmqpSnapshot {
    return snapshotOf(this);
  }

  subscribe(listener: (event: BrokerEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  emit(kind: string, subject: string, detail: Record<string, unknown> = {}): void {
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
