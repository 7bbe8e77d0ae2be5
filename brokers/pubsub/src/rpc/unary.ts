// Adapts a synchronous "validate → mutate → reply" function to a grpc-js unary handler: an RpcError becomes its
// status, anything else INTERNAL, and the server carries on either way.
import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { toServiceError } from '../errors';

export function unary<Req, Res>(fn: (request: Req) => Res) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
    let reply: Res;
    try {
      reply = fn(call.request);
    } catch (err) {
      callback(toServiceError(err));
      return;
    }
    callback(null, reply);
  };
}

/** One page of a sorted list: the token is the index of the first item of the next page. */
export function page<T>(
  items: T[],
  pageSize: number,
  pageToken: string,
): { items: T[]; nextPageToken: string } {
  const start = pageToken ? Number(pageToken) || 0 : 0;
  const end = pageSize > 0 ? start + pageSize : items.length;
  return { items: items.slice(start, end), nextPageToken: end < items.length ? String(end) : '' };
}
