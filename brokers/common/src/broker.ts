// The one interface all three embedded brokers implement (design.md §6). The broker host starts instances through
// it; the web app's broker views and the graders read them only through `snapshot()` and `subscribe()`.
import type { BrokerControl, BrokerEvent, BrokerKind, BrokerSnapshot } from '@msgbook/protocol';
import type { Clock } from './clock';

export interface BrokerStartOptions {
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** 0 (the default) picks a free port; the bound port is in `address`. */
  port?: number;
  /**
   * `small` is for per-session sandbox instances in a shared server: tight retention and queue limits so that a
   * workshop's instances fit in memory. `full` is for `msgbook brokers`: the real brokers' defaults.
   */
  profile?: 'small' | 'full';
  /** Injected time source; defaults to the real clock. Broker logic never calls Date.now() or setTimeout itself. */
  clock?: Clock;
}

export interface BrokerAddress {
  host: string;
  port: number;
}

export interface EmbeddedBroker {
  readonly kind: BrokerKind;
  readonly address: BrokerAddress;
  /** A consistent, JSON-safe copy of the broker's state. */
  snapshot(): BrokerSnapshot;
  /** Calls `listener` for every change until the returned function is called. */
  subscribe(listener: (event: BrokerEvent) => void): () => void;
  /** An operator's action (RabbitMQ's memory alarm…); throws with why when this broker has no such control. */
  control?(action: BrokerControl): void;
  /** Closes every socket, stream and timer of this instance; resolves when nothing of it is left. */
  stop(): Promise<void>;
}

export type BrokerFactory = (options?: BrokerStartOptions) => Promise<EmbeddedBroker>;
