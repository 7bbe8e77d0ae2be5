// The gRPC status errors the emulator replies with. Messages copy the official emulator 0.8.20 where it was observed
// (research/pubsub-embedded.md §3, §5), so learners see the same text on both targets.
import { Metadata, status } from '@grpc/grpc-js';

export class RpcError extends Error {
  constructor(
    readonly code: status,
    readonly details: string,
    readonly metadata?: Metadata,
  ) {
    super(details);
  }
}

export const invalidArgument = (details: string) => new RpcError(status.INVALID_ARGUMENT, details);
export const notFound = (details: string) => new RpcError(status.NOT_FOUND, details);
export const alreadyExists = (details: string) => new RpcError(status.ALREADY_EXISTS, details);
export const outOfRange = (details: string) => new RpcError(status.OUT_OF_RANGE, details);
export const failedPrecondition = (details: string) => new RpcError(status.FAILED_PRECONDITION, details);
export const unimplemented = (details: string) => new RpcError(status.UNIMPLEMENTED, details);
/** A count limit of the instance's profile (limits.ts), answered as the API answers a quota. */
export const tooMany = (what: string, limit: number) =>
  new RpcError(
    status.RESOURCE_EXHAUSTED,
    `This sandbox instance holds at most ${limit} ${what}; delete some before creating more.`,
  );

/** The shape grpc-js sends as a call's status: known errors keep their code, anything else becomes INTERNAL. */
export function toServiceError(err: unknown): { code: status; details: string; metadata?: Metadata } {
  if (err instanceof RpcError) return { code: err.code, details: err.details, metadata: err.metadata };
  return { code: status.INTERNAL, details: err instanceof Error ? err.message : String(err) };
}
