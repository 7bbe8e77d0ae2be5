// The broker host: a child process of the server that owns every embedded broker instance (design.md §6), so that
// a broker fault or one learner's flood cannot take the websocket server down. It holds instances per session,
// started on ephemeral ports on demand, and answers the server over IPC with messages validated by zod.
import { BrokerKind, HostRequest, type HostReply } from '@msgbook/protocol';
import type { EmbeddedBroker } from '@msgbook/broker-common';
import { brokerFactories } from './registry';

const sessions = new Map<string, Map<BrokerKind, Promise<EmbeddedBroker>>>();
const watchers = new Map<string, (() => void)[]>();

function send(reply: HostReply): void {
  process.send?.(reply);
}

async function ensure(sessionId: string, kinds: BrokerKind[]) {
  let held = sessions.get(sessionId);
  if (!held) sessions.set(sessionId, (held = new Map()));
  const instances: Partial<Record<BrokerKind, { host: string; port: number }>> = {};
  const failed: Partial<Record<BrokerKind, string>> = {};
  await Promise.all(
    kinds.map(async (kind) => {
      const load = brokerFactories[kind];
      if (!load) {
        failed[kind] = `the embedded ${kind} broker is not available yet; use --target real`;
        return;
      }
      let instance = held.get(kind);
      if (!instance) {
        instance = load().then((factory) => factory({ host: '127.0.0.1', port: 0, profile: 'small' }));
        held.set(kind, instance);
        instance.catch(() => held.delete(kind));
      }
      try {
        instances[kind] = (await instance).address;
      } catch (err) {
        failed[kind] = (err as Error).message;
      }
    }),
  );
  return { instances, failed };
}

async function release(sessionId: string): Promise<void> {
  const held = sessions.get(sessionId);
  sessions.delete(sessionId);
  for (const stop of watchers.get(sessionId) ?? []) stop();
  watchers.delete(sessionId);
  if (!held) return;
  await Promise.allSettled([...held.values()].map(async (i) => (await i).stop()));
}

async function handle(req: HostRequest): Promise<HostReply> {
  switch (req.type) {
    case 'ensure':
      return { type: 'ensured', id: req.id, ...(await ensure(req.sessionId, req.brokers)) };
    case 'release':
      await release(req.sessionId);
      return { type: 'released', id: req.id };
    case 'snapshot': {
      const instance = sessions.get(req.sessionId)?.get(req.broker);
      return { type: 'snapshot', id: req.id, snapshot: instance ? (await instance).snapshot() : null };
    }
    case 'watch': {
      for (const stop of watchers.get(req.sessionId) ?? []) stop();
      watchers.delete(req.sessionId);
      if (req.on) {
        const stops: (() => void)[] = [];
        for (const instance of sessions.get(req.sessionId)?.values() ?? []) {
          stops.push(
            (await instance).subscribe((event) => send({ type: 'event', sessionId: req.sessionId, event })),
          );
        }
        watchers.set(req.sessionId, stops);
      }
      return { type: 'ok', id: req.id };
    }
    case 'control': {
      const instance = sessions.get(req.sessionId)?.get(req.broker);
      if (!instance) throw new Error(`the session has no embedded ${req.broker} broker running`);
      const broker = await instance;
      if (!broker.control)
        throw new Error(`the embedded ${req.broker} broker has no ${req.control.action} control`);
      broker.control(req.control);
      return { type: 'ok', id: req.id };
    }
  }
}

process.on('message', (raw) => {
  const parsed = HostRequest.safeParse(raw);
  if (!parsed.success) return; // the server is trusted; a malformed request is a bug there, not a reason to die
  handle(parsed.data).then(send, (err: Error) =>
    send({ type: 'failed', id: parsed.data.id, message: err.message }),
  );
});

async function shutdown(): Promise<void> {
  await Promise.allSettled([...sessions.keys()].map(release));
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('disconnect', () => void shutdown()); // the server went away: never outlive it

send({ type: 'ready', brokers: BrokerKind.options.filter((k) => brokerFactories[k]) });
