// A tiny synchronous event hub for a broker's change stream. A listener that throws is removed, so one faulty
// observer (a web view, a grader) never breaks the broker that emits.
import type { BrokerEvent } from '@msgbook/protocol';

export class EventHub {
  private listeners = new Set<(event: BrokerEvent) => void>();

  subscribe(listener: (event: BrokerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: BrokerEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        this.listeners.delete(l);
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}
