// The shape of one API's codec: the request decoder and the response encoder, for the versions the broker
// advertises. Each `apis/NN-name.ts` exports one `ApiCodec`; `registry.ts` lists them and ApiVersions answers from it.
import type { Reader } from './primitives/reader';
import type { Writer } from './primitives/writer';

export interface ApiCodec<Req, Res> {
  readonly key: number;
  readonly name: string;
  /** Advertised min and max; kafkajs ignores min and uses min(its max, ours), so most APIs pin one version. */
  readonly minVersion: number;
  readonly maxVersion: number;
  decodeRequest(r: Reader, version: number): Req;
  encodeResponse(w: Writer, res: Res, version: number): void;
}

export function defineApi<Req, Res>(codec: ApiCodec<Req, Res>): ApiCodec<Req, Res> {
  return codec;
}

/** The request header v1 every kafkajs request carries (no flexible versions anywhere in kafkajs 2.2.4). */
export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}
