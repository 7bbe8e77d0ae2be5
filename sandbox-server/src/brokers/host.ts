// The server's side of the broker host (design.md §6): forks the host process, talks to it over IPC, restarts it
// when it dies and reports which sessions lost their instances, so the server can tell those learners.
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import {
  HostReply,
  type BrokerEvent,
  type BrokerKind,
  type BrokerControl,
  type BrokerSnapshot,
  type HostRequest,
} from '@msgbook/protocol';
import { childEntry } from '../config';

type Ensured = Extract<HostReply, { type: 'ensured' }>;
type Pending = { resolve: (r: HostReply) => void; reject: (e: Error) => void };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface BrokerHostEvents {
  /** The host died; the instances of these sessions are gone. A new host is starting. */
  crashed: [sessions: string[]];
  event: [sessionId: string, event: BrokerEvent];
}

export class BrokerHost extends EventEmitter<BrokerHostEvents> {
  private child?: ChildProcess;
  private ready?: Promise<void>;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private sessions = new Set<string>();
  private stopping = false;
  private restarts = 0;
  available: BrokerKind[] = [];

  start(): Promise<void> {
    const { file, execArgv } = childEntry(new URL('./host-main.ts', import.meta.url), 'broker-host');
    const child = fork(file, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child = child;
    this.ready = new Promise((resolve, reject) => {
      child.once('error', reject);
      child.on('message', (raw) => {
        const msg = HostReply.safeParse(raw);
        if (!msg.success) return;
        const m = msg.data;
        if (m.type === 'ready') {
          this.available = m.brokers;
          this.restarts = 0;
          resolve();
        } else if (m.type === 'event') this.emit('event', m.sessionId, m.event);
        else {
          const p = this.pending.get(m.id);
          this.pending.delete(m.id);
          p?.resolve(m);
        }
      });
      child.once('exit', (code, signal) => {
        reject(new Error(`broker host exited before it was ready (${signal ?? code})`));
        if (this.child !== child) return;
        for (const p of this.pending.values()) p.reject(new Error('the broker host stopped'));
        this.pending.clear();
        if (this.stopping) return;
        const lost = [...this.sessions];
        this.sessions.clear();
        this.emit('crashed', lost);
        const delay = Math.min(5000, 100 * 2 ** this.restarts++);
        setTimeout(() => void this.start().catch(() => undefined), delay).unref();
      });
    });
    return this.ready;
  }

  private async request(req: DistributiveOmit<HostRequest, 'id'>): Promise<HostReply> {
    await this.ready;
    const child = this.child;
    if (!child?.connected) throw new Error('the broker host is not running');
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.send({ ...req, id } as HostRequest);
    });
  }

  async ensure(sessionId: string, brokers: BrokerKind[]): Promise<Omit<Ensured, 'type' | 'id'>> {
    this.sessions.add(sessionId);
    const r = await this.request({ type: 'ensure', sessionId, brokers });
    if (r.type !== 'ensured') throw new Error(r.type === 'failed' ? r.message : `unexpected ${r.type}`);
    return { instances: r.instances, failed: r.failed };
  }

  async release(sessionId: string): Promise<void> {
    this.sessions.delete(sessionId);
    await this.request({ type: 'release', sessionId });
  }

  async snapshot(sessionId: string, broker: BrokerKind): Promise<BrokerSnapshot | null> {
    const r = await this.request({ type: 'snapshot', sessionId, broker });
    return r.type === 'snapshot' ? r.snapshot : null;
  }

  /** Passes an operator's action to the session's instance of `broker`; rejects with the host's reason. */
  async control(sessionId: string, broker: BrokerKind, control: BrokerControl): Promise<void> {
    const r = await this.request({ type: 'control', sessionId, broker, control });
    if (r.type === 'failed') throw new Error(r.message);
  }

  /** The pid of the current host process (tests kill it to check the restart). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  }
}
