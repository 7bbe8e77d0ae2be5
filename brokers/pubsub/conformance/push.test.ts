// Push subscriptions through the real client: the emulator POSTs each message to an HTTP endpoint served by the test,
// in the wrapped JSON envelope or unwrapped with metadata headers; a 2xx acks, anything else is retried with backoff.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { target, unique, type Target } from './target';

interface Pushed {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  respond(status: number): void;
}

let t: Target;
let server: Server;
let endpoint: string;
const queues = new Map<string, { got: Pushed[]; waiters: ((p: Pushed) => void)[] }>();

function queue(path: string) {
  let q = queues.get(path);
  if (!q) queues.set(path, (q = { got: [], waiters: [] }));
  return q;
}

/** The next request the emulator pushes to `path`; the test answers it with `respond`. */
function nextPush(path: string): Promise<Pushed> {
  const q = queue(path);
  const ready = q.got.shift();
  return ready ? Promise.resolve(ready) : new Promise((resolve) => q.waiters.push(resolve));
}

beforeAll(async () => {
  t = await target('conformance-push');
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const pushed: Pushed = {
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        respond: (status) => res.writeHead(status).end(),
      };
      const q = queue(pushed.path);
      const waiter = q.waiters.shift();
      if (waiter) waiter(pushed);
      else q.got.push(pushed);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await t?.stop();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

describe('push subscriptions', () => {
  it('POST the wrapped envelope and stop after a 2xx', async () => {
    const path = `/${unique('wrapped')}`;
    const [topic] = await t.pubsub.createTopic(unique('push'));
    const [sub] = await topic.createSubscription(unique('push'), { pushEndpoint: endpoint + path });
    expect((await sub.getMetadata())[0].pushConfig?.pushEndpoint).toBe(endpoint + path);
    const id = await topic.publishMessage({ data: Buffer.from('hook'), attributes: { kind: 'order' } });
    const pushed = await nextPush(path);
    pushed.respond(204);
    expect(pushed.headers['content-type']).toMatch(/^application\/json/);
    const envelope = JSON.parse(pushed.body);
    expect(envelope).toMatchObject({
      subscription: sub.name,
      message: {
        data: Buffer.from('hook').toString('base64'),
        attributes: { kind: 'order' },
        messageId: id,
        message_id: id,
      },
    });
    expect(Math.abs(Date.parse(envelope.message.publishTime) - Date.now())).toBeLessThan(60_000);
    expect(envelope.message.publish_time).toBe(envelope.message.publishTime);
    // Acked: a second message is the next thing pushed, not a retry of the first.
    const second = await topic.publishMessage({ data: Buffer.from('next') });
    const next = await nextPush(path);
    next.respond(200);
    expect(JSON.parse(next.body).message.messageId).toBe(second);
  });

  it('retry a message the endpoint refused, after a backoff', async () => {
    const path = `/${unique('retry')}`;
    const [topic] = await t.pubsub.createTopic(unique('push-retry'));
    const [sub] = await topic.createSubscription(unique('push-retry'), { pushEndpoint: endpoint + path });
    const id = await topic.publishMessage({ data: Buffer.from('flaky') });
    const failed = await nextPush(path);
    const nacked = t.brokerEvent('message-nacked');
    const refusedAt = Date.now();
    failed.respond(500);
    await nacked;
    if (t.broker) {
      // Without a retry policy a refused push waits 1 s: just before that, nothing is leased or pushed.
      await t.advance(999);
      await sub.getMetadata(); // a round trip, so whatever the clock made due has run
      const view = t.broker.snapshot();
      if (view.broker !== 'pubsub') throw new Error('not a Pub/Sub snapshot');
      expect(view.subscriptions.find((s) => s.name === sub.name)?.outstanding).toEqual([]);
      expect(queue(path).got).toEqual([]);
      await t.advance(1);
    }
    const retried = await nextPush(path);
    retried.respond(200);
    expect(JSON.parse(retried.body).message.messageId).toBe(id);
    if (!t.broker) expect(Date.now() - refusedAt).toBeGreaterThanOrEqual(500);
  });

  it('treat an endpoint slower than the ack deadline as a failure, and push again', async () => {
    const path = `/${unique('slow')}`;
    const [topic] = await t.pubsub.createTopic(unique('push-slow'));
    await topic.createSubscription(unique('push-slow'), { pushEndpoint: endpoint + path });
    const id = await topic.publishMessage({ data: Buffer.from('slow') });
    const ignored = await nextPush(path);
    // The abandoned request (a nack) and the lease's expiry fall due together; either one ends this delivery.
    const expired = t.brokerEvent('lease-expired', 'message-nacked');
    await t.advance(10_000);
    await expired;
    await t.advance(1000);
    const again = await nextPush(path);
    again.respond(200);
    ignored.respond(200);
    expect(JSON.parse(again.body).message.messageId).toBe(id);
  });

  it('POST the raw data with metadata headers when unwrapped', async () => {
    const path = `/${unique('raw')}`;
    const [topic] = await t.pubsub.createTopic(unique('push-raw'));
    const [sub] = await topic.createSubscription(unique('push-raw'), {
      pushConfig: { pushEndpoint: endpoint + path, noWrapper: { writeMetadata: true } },
    });
    const id = await topic.publishMessage({ data: Buffer.from('raw body'), attributes: { kind: 'order' } });
    const pushed = await nextPush(path);
    pushed.respond(200);
    expect(pushed.body).toBe('raw body');
    expect(pushed.headers).toMatchObject({
      'x-goog-pubsub-message-id': id,
      'x-goog-pubsub-subscription-name': sub.name,
      kind: 'order',
    });
  });
});
