// Messages between the server and its broker host, the supervised child process that runs the embedded brokers
// (design.md §6). The host answers every request by `id`; it also pushes change events of the instances it holds.
import { z } from 'zod';
import { BrokerKind, Id } from './common';
import { BrokerControl } from './control';
import { BrokerEvent, BrokerSnapshot } from './inspect';

export const HostRequest = z.discriminatedUnion('type', [
  /** Start (or reuse) the session's instances of these brokers; answered with their addresses. */
  z.object({ type: z.literal('ensure'), id: z.number(), sessionId: Id, brokers: z.array(BrokerKind) }),
  /** Stop every instance of the session. */
  z.object({ type: z.literal('release'), id: z.number(), sessionId: Id }),
  z.object({ type: z.literal('snapshot'), id: z.number(), sessionId: Id, broker: BrokerKind }),
  z.object({ type: z.literal('watch'), id: z.number(), sessionId: Id, on: z.boolean() }),
  /** An action on the session's instance of a broker (answered `ok`, or `failed` with why). */
  z.object({
    type: z.literal('control'),
    id: z.number(),
    sessionId: Id,
    broker: BrokerKind,
    control: BrokerControl,
  }),
]);
export type HostRequest = z.infer<typeof HostRequest>;

export const InstanceAddress = z.object({ host: z.string(), port: z.number().int() });

export const HostReply = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ensured'),
    id: z.number(),
    instances: z.partialRecord(BrokerKind, InstanceAddress),
    /** Brokers that could not start, with why. */
    failed: z.partialRecord(BrokerKind, z.string()),
  }),
  z.object({ type: z.literal('released'), id: z.number() }),
  z.object({ type: z.literal('snapshot'), id: z.number(), snapshot: BrokerSnapshot.nullable() }),
  z.object({ type: z.literal('ok'), id: z.number() }),
  z.object({ type: z.literal('failed'), id: z.number(), message: z.string() }),
  z.object({ type: z.literal('event'), sessionId: Id, event: BrokerEvent }),
  z.object({ type: z.literal('ready'), brokers: z.array(BrokerKind) }),
]);
export type HostReply = z.infer<typeof HostReply>;
