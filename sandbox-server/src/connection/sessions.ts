// Learner sessions (design.md §2): a session id is one browser profile; its embedded broker instances are kept
// while any of its connections is open and for a grace period after the last one closes.
import type { BrokerHost } from '../brokers/host';

export const SESSION_GRACE_MS = 10 * 60_000;

export class Sessions {
  private open = new Map<string, number>();
  private expiry = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly host: BrokerHost,
    private readonly graceMs = SESSION_GRACE_MS,
  ) {}

  attach(sessionId: string): void {
    clearTimeout(this.expiry.get(sessionId));
    this.expiry.delete(sessionId);
    this.open.set(sessionId, (this.open.get(sessionId) ?? 0) + 1);
  }

  detach(sessionId: string): void {
    const left = (this.open.get(sessionId) ?? 1) - 1;
    if (left > 0) return void this.open.set(sessionId, left);
    this.open.delete(sessionId);
    const timer = setTimeout(() => {
      this.expiry.delete(sessionId);
      void this.host.release(sessionId).catch(() => undefined);
    }, this.graceMs);
    timer.unref();
    this.expiry.set(sessionId, timer);
  }

  dispose(): void {
    for (const t of this.expiry.values()) clearTimeout(t);
    this.expiry.clear();
  }
}
