// Which embedded brokers exist, loaded lazily so the broker host pays only for the brokers a session uses.
// A broker missing here is "not available on the embedded target" and says so to the learner.
import type { BrokerKind } from '@msgbook/protocol';
import type { BrokerFactory } from '@msgbook/broker-common';

export const brokerFactories: Partial<Record<BrokerKind, () => Promise<BrokerFactory>>> = {};
