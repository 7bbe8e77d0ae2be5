// Trusted checks of 02-route-order-events: each check names a fresh exchange and three queues, runs the learner's
// setup program, then publishes a catalogue of order and payment events itself and reads back what each service's
// queue holds. Only the broker's routing is judged; the names go away after the check.
import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { defineChecks, type CheckContext } from '@msgbook/sandbox-server/grading/api';

const REGIONS = ['eu', 'us', 'uk'];
const EVENTS = ['created', 'paid', 'shipped', 'cancelled', 'refunded'];
/** order.<region>.<event>, and the same with the sales channel some publishers add as a fourth word. */
const ORDER_KEYS = REGIONS.flatMap((r) =>
  EVENTS.flatMap((e) => [`order.${r}.${e}`, `order.${r}.${e}.mobile`]),
);
const OTHER_KEYS = ['payment.eu.paid', 'payment.us.refunded', 'payment.uk.paid.mobile'];

const words = (key: string) => key.split('.');
const WANTS = {
  billing: (k: string) => words(k)[0] === 'order' && ['paid', 'refunded'].includes(words(k)[2]!),
  shipping: (k: string) =>
    words(k)[0] === 'order' &&
    ((words(k)[2] === 'paid' && ['eu', 'uk'].includes(words(k)[1]!)) || words(k)[2] === 'cancelled'),
  audit: (k: string) => words(k)[0] === 'order',
};
type Service = keyof typeof WANTS;

interface Setup {
  env: Record<string, string>;
  queue: Record<Service, string>;
  exchange: string;
  connection: amqp.ChannelModel;
}

/** Fresh names, the learner's setup run to its end, and cleanup of whatever it declared. */
async function runSetup(t: CheckContext): Promise<Setup> {
  const id = randomBytes(4).toString('hex');
  const exchange = `patterns.ex02.orders.${id}`;
  const queue = {
    billing: `patterns.ex02.billing.${id}`,
    shipping: `patterns.ex02.shipping.${id}`,
    audit: `patterns.ex02.audit.${id}`,
  };
  const connection = await amqp.connect(t.endpoints.AMQP_URL);
  connection.on('error', () => {});
  t.cleanup(async () => {
    const ch = await connection.createChannel();
    for (const q of Object.values(queue)) await ch.deleteQueue(q).catch(() => undefined);
    await ch.deleteExchange(exchange).catch(() => undefined);
    await connection.close().catch(() => undefined);
  });
  const env = {
    ORDERS_EXCHANGE: exchange,
    BILLING_QUEUE: queue.billing,
    SHIPPING_QUEUE: queue.shipping,
    AUDIT_QUEUE: queue.audit,
  };
  const program = await t.start({ env });
  const exit = await program.exited;
  t.assert(
    exit.code === 0,
    `expected the setup program to declare everything and exit with code 0, it ended with ` +
      `${exit.reason ?? `exit code ${exit.code}`}. Its output ends with: ${program.output().slice(-400)}`,
  );
  return { env, queue, exchange, connection };
}

/** Whether a passive declare finds it: a missing one closes the channel, so each look gets its own channel. */
async function exists(s: Setup, kind: 'queue' | 'exchange', name: string): Promise<boolean> {
  const ch = await s.connection.createChannel();
  ch.on('error', () => {});
  try {
    await (kind === 'queue' ? ch.checkQueue(name) : ch.checkExchange(name));
    await ch.close();
    return true;
  } catch {
    return false;
  }
}

/** Publishes every key of the catalogue once (body = key), then reads back the keys in the service's queue. */
async function routeCatalogue(t: CheckContext, s: Setup, service: Service): Promise<string[]> {
  for (const [kind, name] of [
    ['exchange', s.exchange],
    ['queue', s.queue[service]],
  ] as const)
    t.assert(
      await exists(s, kind, name),
      `after the setup program ended, the ${kind} ${name} does not exist`,
    );
  const ch = await s.connection.createConfirmChannel();
  for (const key of [...ORDER_KEYS, ...OTHER_KEYS]) ch.publish(s.exchange, key, Buffer.from(key));
  await ch.waitForConfirms();
  const got: string[] = [];
  for (let msg; (msg = await ch.get(s.queue[service], { noAck: true }));) got.push(msg.content.toString());
  await ch.close();
  return got;
}

function judge(t: CheckContext, service: Service, got: string[], what: string) {
  const expected = [...ORDER_KEYS, ...OTHER_KEYS].filter(WANTS[service]);
  const missing = expected.filter((k) => !got.includes(k));
  const unexpected = [...new Set(got.filter((k) => !expected.includes(k)))];
  const twice = [...new Set(got.filter((k, i) => got.indexOf(k) !== i))];
  const list = (ks: string[]) =>
    `${ks.slice(0, 6).join(', ')}${ks.length > 6 ? ` and ${ks.length - 6} more` : ''}`;
  t.assert(
    missing.length === 0 && unexpected.length === 0 && twice.length === 0,
    `the check published ${ORDER_KEYS.length + OTHER_KEYS.length} events; ${service} should get ${what} ` +
      `(${expected.length} events), its queue received ${got.length}` +
      (missing.length ? `; missing: ${list(missing)}` : '') +
      (unexpected.length ? `; not for ${service}: ${list(unexpected)}` : '') +
      (twice.length ? `; more than once: ${list(twice)}` : ''),
  );
}

export default defineChecks({
  checks: [
    {
      name: 'declares the exchange and the three queues, which outlive the setup program',
      timeLimit: '30s',
      async run(t: CheckContext) {
        const s = await runSetup(t);
        for (const [kind, name] of [
          ['exchange', s.exchange],
          ['queue', s.queue.billing],
          ['queue', s.queue.shipping],
          ['queue', s.queue.audit],
        ] as const) {
          t.assert(
            await exists(s, kind, name),
            `after the setup program ended, the ${kind} ${name} does not exist. The services start later: ` +
              'what they consume from must still be there (an exclusive queue goes away with its connection)',
          );
        }
      },
    },
    {
      name: 'billing receives every paid and refunded order event, and nothing else',
      timeLimit: '30s',
      async run(t: CheckContext) {
        const s = await runSetup(t);
        judge(
          t,
          'billing',
          await routeCatalogue(t, s, 'billing'),
          'every paid and refunded order, any region or channel',
        );
      },
    },
    {
      name: 'shipping receives paid orders from eu and uk and every cancelled order, and nothing else',
      timeLimit: '30s',
      async run(t: CheckContext) {
        const s = await runSetup(t);
        judge(
          t,
          'shipping',
          await routeCatalogue(t, s, 'shipping'),
          'paid orders from eu and uk, and every cancelled order',
        );
      },
    },
    {
      name: 'audit receives every order event and no payment events',
      timeLimit: '30s',
      async run(t: CheckContext) {
        const s = await runSetup(t);
        judge(t, 'audit', await routeCatalogue(t, s, 'audit'), 'every order event, and no payment event');
      },
    },
  ],
});
