// The `target-status` message: which target a page runs against and the health of each broker on it.
import { BrokerKind, type ServerMessage, type Target } from '@msgbook/protocol';
import type { BrokerHost } from '../brokers/host';
import { probeBrokers } from '../target/health';
import { addressOf, realEndpoints } from '../runner/env';

export async function targetStatus(
  target: Target,
  host: BrokerHost,
): Promise<Extract<ServerMessage, { type: 'target-status' }>> {
  if (target === 'real') {
    const endpoints = realEndpoints();
    const brokers = await probeBrokers(endpoints, 1500);
    return {
      type: 'target-status',
      target,
      brokers: brokers.map((b) => ({ ...b, address: addressOf(endpoints, b.broker) })),
    };
  }
  return {
    type: 'target-status',
    target,
    brokers: BrokerKind.options.map((broker) => ({
      broker,
      address: 'a private instance per session',
      up: host.available.includes(broker),
      ...(host.available.includes(broker) ? {} : { detail: 'not available on the embedded target yet' }),
    })),
  };
}
