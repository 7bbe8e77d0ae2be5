// Queue arguments: validation at declare and the equivalence check at redeclare, with RabbitMQ 3.10's texts
// (rabbit_amqqueue:declare_args/0 and rabbit_misc:assert_args_equivalence/4). Only the arguments RabbitMQ knows
// are checked; any other `x-` argument is kept and ignored, as RabbitMQ does (there is no `x-max-retries`).
import { fail, rs } from '../errors';
import type { Table } from '../wire/types';

export type Overflow = 'drop-head' | 'reject-publish' | 'reject-publish-dlx';

export interface QueueArgs {
  messageTtl?: number;
  expires?: number;
  maxLength?: number;
  maxLengthBytes?: number;
  overflow: Overflow;
  deadLetterExchange?: string;
  deadLetterRoutingKey?: string;
}

/** Arguments RabbitMQ 3.10 compares on redeclare (declare_args/0). */
const compared = [
  'x-expires',
  'x-message-ttl',
  'x-dead-letter-exchange',
  'x-dead-letter-routing-key',
  'x-max-length',
  'x-max-length-bytes',
  'x-max-in-memory-length',
  'x-max-in-memory-bytes',
  'x-max-priority',
  'x-overflow',
  'x-queue-mode',
  'x-single-active-consumer',
  'x-queue-type',
  'x-queue-master-locator',
  'x-delivery-limit',
];

/** The type RabbitMQ's table parser gives a value as amqplib encodes it. */
export function tableType(v: unknown): string {
  if (typeof v === 'string') return 'longstr';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return 'double';
    if (v >= -128 && v < 128) return 'byte';
    if (v >= -0x8000 && v < 0x8000) return 'short';
    if (v >= -0x80000000 && v < 0x80000000) return 'signedint';
    return 'long';
  }
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'void';
  if (Buffer.isBuffer(v)) return 'binary';
  if (typeof v === 'object' && v && '!' in v) return String((v as { '!': string })['!']);
  return 'table';
}

function typeClass(t: string): string {
  return ['byte', 'short', 'signedint', 'long'].includes(t) ? 'int' : t;
}

function erl(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function invalid(name: string, queue: string, reason: string) {
  return fail(406, `invalid arg '${name}' for ${rs('queue', queue)}: ${reason}`);
}

function intArg(args: Table, name: string, queue: string, min: number): number | undefined {
  const v = args[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw invalid(name, queue, `"expected integer, got ${tableType(v)}"`);
  if (v < min) throw invalid(name, queue, min > 0 && v === 0 ? `{value_zero,0}` : `{value_negative,${v}}`);
  return v;
}

function strArg(args: Table, name: string, queue: string): string | undefined {
  const v = args[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalid(name, queue, `{unacceptable_type,${tableType(v)}}`);
  return v;
}

/** Validates a new queue's arguments and extracts the ones the broker enforces. */
export function parseQueueArgs(queue: string, args: Table): QueueArgs {
  const overflow = strArg(args, 'x-overflow', queue) ?? 'drop-head';
  if (overflow !== 'drop-head' && overflow !== 'reject-publish' && overflow !== 'reject-publish-dlx') {
    throw invalid('x-overflow', queue, 'invalid_overflow');
  }
  const type = args['x-queue-type'];
  if (type !== undefined && type !== 'classic') {
    // Quorum and stream queues are a known gap (conformance/divergences.ts): refusing them beats silently
    // running a classic queue where a chapter expects x-delivery-limit or stream offsets.
    throw invalid('x-queue-type', queue, `queue type ${erl(type)} is not implemented by the embedded broker`);
  }
  if (args['x-delivery-limit'] !== undefined) {
    throw fail(
      406,
      `invalid arg 'x-delivery-limit' for ${rs('queue', queue)} of queue type rabbit_classic_queue`,
    );
  }
  const dlx = args['x-dead-letter-exchange'];
  if (dlx !== undefined && typeof dlx !== 'string') {
    throw fail(
      406,
      `invalid type '${tableType(dlx)}' for arg 'x-dead-letter-exchange' in ${rs('queue', queue)}`,
    );
  }
  const dlrk = strArg(args, 'x-dead-letter-routing-key', queue);
  if (dlrk !== undefined && dlx === undefined)
    throw invalid('x-dead-letter-routing-key', queue, 'routing_key_but_no_dlx_defined');
  return {
    messageTtl: intArg(args, 'x-message-ttl', queue, 0),
    expires: intArg(args, 'x-expires', queue, 1),
    maxLength: intArg(args, 'x-max-length', queue, 0),
    maxLengthBytes: intArg(args, 'x-max-length-bytes', queue, 0),
    overflow,
    deadLetterExchange: dlx,
    deadLetterRoutingKey: dlrk,
  };
}

/** rabbit_misc:assert_field_equivalence/4 */
export function assertField(
  current: unknown,
  received: unknown,
  kind: 'queue' | 'exchange',
  name: string,
  key: string,
) {
  if (current === received) return;
  throw fail(
    406,
    `inequivalent arg '${key}' for ${rs(kind, name)}: received '${erl(received)}' but current is '${erl(current)}'`,
  );
}

/** rabbit_misc:assert_args_equivalence/4 over the given keys. */
export function assertArgs(
  current: Table,
  received: Table,
  kind: 'queue' | 'exchange',
  name: string,
  keys: readonly string[] = compared,
) {
  for (const key of keys) {
    const a = current[key];
    const b = received[key];
    if (a === undefined && b === undefined) continue;
    if (a !== undefined && b !== undefined) {
      if (typeClass(tableType(a)) === typeClass(tableType(b)) && JSON.stringify(a) === JSON.stringify(b))
        continue;
      throw fail(
        406,
        `inequivalent arg '${key}' for ${rs(kind, name)}: received '${erl(b)}' but current is '${erl(a)}'`,
      );
    }
    const val = (v: unknown) =>
      v === undefined ? 'none' : `the value '${erl(v)}' of type '${tableType(v)}'`;
    throw fail(
      406,
      `inequivalent arg '${key}' for ${rs(kind, name)}: received ${val(b)} but current is ${val(a)}`,
    );
  }
}
