// The broker endpoints a run receives (design.md §2), for either target, and which brokers a program uses.
import type { BrokerKind, Endpoints } from '@msgbook/protocol';

export const DEFAULT_PROJECT_ID = 'msgbook';

/** The real target's endpoints: MSGBOOK_REAL_* or the docker-compose addresses. */
export function realEndpoints(env: NodeJS.ProcessEnv = process.env): Endpoints {
  return {
    KAFKA_BROKERS: env.MSGBOOK_REAL_KAFKA || 'localhost:9092',
    AMQP_URL: env.MSGBOOK_REAL_AMQP || 'amqp://guest:guest@localhost:5672',
    PUBSUB_EMULATOR_HOST: env.MSGBOOK_REAL_PUBSUB || 'localhost:8085',
    PUBSUB_PROJECT_ID: env.PUBSUB_PROJECT_ID || DEFAULT_PROJECT_ID,
  };
}

/** Endpoints for a session's embedded instances; brokers without an instance keep the real defaults. */
export function embeddedEndpoints(
  instances: Partial<Record<BrokerKind, { host: string; port: number }>>,
): Endpoints {
  const at = (k: BrokerKind) => (instances[k] ? `${instances[k].host}:${instances[k].port}` : undefined);
  const base = realEndpoints({});
  return {
    KAFKA_BROKERS: at('kafka') ?? base.KAFKA_BROKERS,
    AMQP_URL: at('amqp') ? `amqp://guest:guest@${at('amqp')}` : base.AMQP_URL,
    PUBSUB_EMULATOR_HOST: at('pubsub') ?? base.PUBSUB_EMULATOR_HOST,
    PUBSUB_PROJECT_ID: DEFAULT_PROJECT_ID,
  };
}

const CLIENTS: [BrokerKind, RegExp][] = [
  ['kafka', /(?:from\s*|import\s*\(\s*|require\s*\(\s*)['"]kafkajs['"]/],
  ['amqp', /(?:from\s*|import\s*\(\s*|require\s*\(\s*)['"]amqplib(?:\/[^'"]*)?['"]/],
  ['pubsub', /(?:from\s*|import\s*\(\s*|require\s*\(\s*)['"]@google-cloud\/pubsub['"]/],
];

/** The brokers a program talks to, read from the client libraries it imports. */
export function brokersUsed(source: string): BrokerKind[] {
  return CLIENTS.filter(([, re]) => re.test(source)).map(([k]) => k);
}

/** The address a learner should see for a broker of these endpoints. */
export function addressOf(endpoints: Endpoints, broker: BrokerKind): string {
  switch (broker) {
    case 'kafka':
      return endpoints.KAFKA_BROKERS;
    case 'amqp':
      return endpoints.AMQP_URL.replace(/\/\/[^@/]*@/, '//');
    case 'pubsub':
      return endpoints.PUBSUB_EMULATOR_HOST;
  }
}
