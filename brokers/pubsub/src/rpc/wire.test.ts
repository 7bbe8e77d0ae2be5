// The hand-written encoder (wire.ts) against the client's own proto definitions: what it writes must decode, through
// the loader the client uses, to exactly the fields an object encoded the ordinary way has.
import { describe, expect, it } from 'vitest';
import { pubsubServices } from '../protos';
import type { StoredMessage } from '../state/topics';
import { encodeMessage, encodeReceived } from './wire';

const { StreamingPull, Pull } = pubsubServices().subscriber;

function stored(over: Partial<StoredMessage>): StoredMessage {
  return {
    id: '42',
    seq: 42,
    data: Buffer.from('hello'),
    attributes: {},
    orderingKey: '',
    publishTime: 1_700_000_000_123,
    bytes: 5,
    ...over,
  };
}

const cases: [string, StoredMessage][] = [
  ['data only', stored({})],
  [
    'attributes, unicode and an ordering key',
    stored({
      data: Buffer.alloc(300, 7),
      attributes: { kind: 'order', ünï: 'cødé ✓', empty: '' },
      orderingKey: 'customer-é',
      publishTime: 1_700_000_000_000,
    }),
  ],
  ['attributes without data', stored({ data: Buffer.alloc(0), attributes: { a: 'b' }, id: '123456789' })],
];

describe('wire', () => {
  it.each(cases)('encodes a StreamingPullResponse the client decodes: %s', (_, m) => {
    const bytes = encodeReceived(
      [
        { ackId: 'projects/p/subscriptions/s:1', message: encodeMessage(m), deliveryAttempt: 0 },
        { ackId: 'projects/p/subscriptions/s:200', message: encodeMessage(m), deliveryAttempt: 300 },
      ],
      { exactlyOnce: true, ordering: false },
    );
    const viaLoader = StreamingPull!.responseSerialize({
      receivedMessages: [
        { ackId: 'projects/p/subscriptions/s:1', message: object(m), deliveryAttempt: 0 },
        { ackId: 'projects/p/subscriptions/s:200', message: object(m), deliveryAttempt: 300 },
      ],
      subscriptionProperties: { exactlyOnceDeliveryEnabled: true, messageOrderingEnabled: false },
    });
    expect(StreamingPull!.responseDeserialize(bytes)).toEqual(StreamingPull!.responseDeserialize(viaLoader));
  });

  it('encodes a PullResponse and both subscription properties', () => {
    const m = cases[1]![1];
    const pull = encodeReceived([{ ackId: 'a:1', message: encodeMessage(m), deliveryAttempt: 5 }]);
    expect(Pull!.responseDeserialize(pull)).toEqual(
      Pull!.responseDeserialize(
        Pull!.responseSerialize({
          receivedMessages: [{ ackId: 'a:1', message: object(m), deliveryAttempt: 5 }],
        }),
      ),
    );
    const props = StreamingPull!.responseDeserialize(
      encodeReceived([], { exactlyOnce: false, ordering: true }),
    ) as { subscriptionProperties: unknown; receivedMessages: unknown[] };
    expect(props.receivedMessages).toEqual([]);
    expect(props.subscriptionProperties).toEqual({
      exactlyOnceDeliveryEnabled: false,
      messageOrderingEnabled: true,
    });
  });

  it('passes an encoded response through the service serialiser unchanged', () => {
    const bytes = encodeReceived([{ ackId: 'a:1', message: encodeMessage(stored({})), deliveryAttempt: 0 }]);
    expect(StreamingPull!.responseSerialize(bytes)).toBe(bytes);
  });
});

function object(m: StoredMessage) {
  return {
    data: m.data,
    attributes: m.attributes,
    messageId: m.id,
    publishTime: { seconds: String(Math.floor(m.publishTime / 1000)), nanos: (m.publishTime % 1000) * 1e6 },
    orderingKey: m.orderingKey,
  };
}
