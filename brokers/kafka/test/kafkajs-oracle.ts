// kafkajs 2.2.4's own request modules as a test oracle (style.md §1): their `encode()` gives the bytes a real client
// sends, for our decoders; their `decode`/`parse` read our encoders' bytes as a real client would. Private paths of a
// pinned version, loaded through require because kafkajs ships no ESM or types for them.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface KafkajsRequest {
  encode(): Promise<{ buffer: Buffer }>;
}
interface KafkajsResponse {
  decode(data: Buffer): Promise<unknown>;
  parse(data: unknown): Promise<unknown>;
}
type Protocol = (args: unknown) => { request: KafkajsRequest; response: KafkajsResponse };

const { requests } = require('kafkajs/src/protocol/requests') as {
  requests: Record<string, { protocol: (o: { version: number }) => Protocol }>;
};

/** The request body (no header) kafkajs sends for `api` at `version` with these arguments. */
export async function kafkajsRequest(api: string, version: number, args: unknown): Promise<Buffer> {
  const proto = requests[api]!.protocol({ version })(args);
  return (await proto.request.encode()).buffer;
}

/** What kafkajs makes of a response body (after the correlation id): decode, then parse (which throws on errors). */
export async function kafkajsResponse(api: string, version: number, body: Buffer): Promise<unknown> {
  const proto = requests[api]!.protocol({ version })({});
  return proto.response.parse(await proto.response.decode(body));
}

/** kafkajs's decoded view of a response, before `parse` turns error codes into exceptions. */
export async function kafkajsDecode(api: string, version: number, body: Buffer): Promise<unknown> {
  const proto = requests[api]!.protocol({ version })({});
  return proto.response.decode(body);
}

export const kafkajsCrc32c = require('kafkajs/src/protocol/recordBatch/crc32C') as (b: Buffer) => number;

interface KafkajsEncoder {
  writeVarInt(n: number): KafkajsEncoder;
  buffer: Buffer;
}
const Encoder = require('kafkajs/src/protocol/encoder') as new () => KafkajsEncoder;
export function kafkajsVarint(n: number): Buffer {
  return new Encoder().writeVarInt(n).buffer;
}

const Long = require('kafkajs/src/utils/long') as new (v: bigint) => unknown;

/** A record batch v2 exactly as kafkajs builds it for Produce v3. */
export async function kafkajsRecordBatch(
  messages: { key?: string; value: string; timestamp?: number }[],
  opts: {
    producerId?: bigint;
    producerEpoch?: number;
    firstSequence?: number;
    transactional?: boolean;
    compression?: number;
  } = {},
): Promise<Buffer> {
  const body = await kafkajsRequest('Produce', 3, {
    acks: -1,
    timeout: 1000,
    transactionalId: opts.transactional ? 'txn' : null,
    producerId: new Long(opts.producerId ?? -1n),
    producerEpoch: opts.producerEpoch ?? 0,
    compression: opts.compression ?? 0,
    topicData: [
      {
        topic: 't',
        partitions: [
          {
            partition: 0,
            firstSequence: opts.firstSequence ?? 0,
            messages: messages.map((m) => ({ timestamp: 1_700_000_000_000, ...m })),
          },
        ],
      },
    ],
  });
  // transactional_id?, acks, timeout, [topic [partition, records]]: skip to the records' i32 length.
  const txnLen = body.readInt16BE(0);
  let at = 2 + (txnLen > 0 ? txnLen : 0) + 2 + 4 + 4;
  at += 2 + body.readInt16BE(at) + 4 + 4;
  const len = body.readInt32BE(at);
  return body.subarray(at + 4, at + 4 + len);
}

const Decoder = require('kafkajs/src/protocol/decoder') as new (b: Buffer) => unknown;
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (
  d: unknown,
) => Promise<unknown>;

/** kafkajs's reading of one stored batch, as its Fetch v4 decoder does it. */
export function kafkajsReadBatch(raw: Buffer): Promise<unknown> {
  return decodeRecordBatch(new Decoder(raw));
}
