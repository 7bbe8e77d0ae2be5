// What a handler receives and returns. A handler validates, mutates the cluster synchronously and returns the
// response, or a promise of it when it must wait (fetch long-poll, join, sync); NO_REPLY for produce with acks=0.
import type { Cluster } from '../state/cluster';

export interface RequestContext {
  cluster: Cluster;
  version: number;
  clientId: string;
  /** The peer's address, as DescribeGroups reports it (`/127.0.0.1`). */
  clientHost: string;
  /** Runs `fn` when the client's connection closes; returns a function that cancels the hook. */
  onClose(fn: () => void): () => void;
}

export const NO_REPLY = Symbol('no reply');

export type Handler<Req, Res> = (ctx: RequestContext, req: Req) => Res | Promise<Res> | typeof NO_REPLY;
