// The rich error of exactly-once delivery: a google.rpc.Status carrying a google.rpc.ErrorInfo in the trailer
// `grpc-status-details-bin`, which google-gax decodes into `reason`, `domain` and `errorInfoMetadata` (research §2).
// Three tiny messages, so they are encoded here by hand in protobuf's wire format instead of loading more protos.
import { Metadata, status } from '@grpc/grpc-js';
import { RpcError } from '../errors';

/** INVALID_ARGUMENT with ErrorInfo{reason, domain "pubsub.googleapis.com", metadata}, as the official emulator sends. */
export function errorInfo(details: string, reason: string, metadata: Record<string, string>): RpcError {
  const info = Buffer.concat([
    field(1, Buffer.from(reason)),
    field(2, Buffer.from('pubsub.googleapis.com')),
    ...Object.entries(metadata).map(([k, v]) =>
      field(3, Buffer.concat([field(1, Buffer.from(k)), field(2, Buffer.from(v))])),
    ),
  ]);
  const any = Buffer.concat([
    field(1, Buffer.from('type.googleapis.com/google.rpc.ErrorInfo')),
    field(2, info),
  ]);
  const rpcStatus = Buffer.concat([
    Buffer.from([0x08]),
    varint(status.INVALID_ARGUMENT),
    field(2, Buffer.from(details)),
    field(3, any),
  ]);
  const trailer = new Metadata();
  trailer.set('grpc-status-details-bin', rpcStatus);
  return new RpcError(status.INVALID_ARGUMENT, details, trailer);
}

/** A length-delimited field (wire type 2). */
function field(number: number, payload: Buffer): Buffer {
  return Buffer.concat([varint((number << 3) | 2), varint(payload.length), payload]);
}

function varint(n: number): Buffer {
  const bytes: number[] = [];
  while (n > 0x7f) {
    bytes.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  bytes.push(n);
  return Buffer.from(bytes);
}
