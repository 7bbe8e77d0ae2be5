// Routes each API key to its codec and handler; the types tie each handler to its own codec's request and response.
import type { ApiCodec } from '../protocol/api';
import { Produce } from '../protocol/apis/00-produce';
import { Fetch } from '../protocol/apis/01-fetch';
import { ListOffsets } from '../protocol/apis/02-list-offsets';
import { Metadata } from '../protocol/apis/03-metadata';
import { ApiVersions } from '../protocol/apis/18-api-versions';
import { CreateTopics } from '../protocol/apis/19-create-topics';
import { DeleteTopics } from '../protocol/apis/20-delete-topics';
import { handleProduce } from './00-produce';
import { handleFetch } from './01-fetch';
import { handleListOffsets } from './02-list-offsets';
import { handleMetadata } from './03-metadata';
import { handleApiVersions } from './18-api-versions';
import { handleCreateTopics } from './19-create-topics';
import { handleDeleteTopics } from './20-delete-topics';
import type { Handler } from './handler';

export interface Route {
  api: ApiCodec<unknown, unknown>;
  handle: Handler<unknown, unknown>;
}

function route<Req, Res>(api: ApiCodec<Req, Res>, handle: Handler<Req, Res>): Route {
  return { api, handle } as unknown as Route;
}

export const routes: ReadonlyMap<number, Route> = new Map(
  [
    route(Produce, handleProduce),
    route(Fetch, handleFetch),
    route(ListOffsets, handleListOffsets),
    route(Metadata, handleMetadata),
    route(ApiVersions, handleApiVersions),
    route(CreateTopics, handleCreateTopics),
    route(DeleteTopics, handleDeleteTopics),
  ].map((r) => [r.api.key, r]),
);
