// The APIs this broker speaks, one codec each; ApiVersions answers from this list, so an API exists exactly when its
// codec is listed here (and handlers/index.ts routes it). Keys absent here are refused by closing the connection.
import type { ApiCodec } from './api';
import { Produce } from './apis/00-produce';
import { Fetch } from './apis/01-fetch';
import { ListOffsets } from './apis/02-list-offsets';
import { Metadata } from './apis/03-metadata';
import { ApiVersions } from './apis/18-api-versions';
import { CreateTopics } from './apis/19-create-topics';
import { DeleteTopics } from './apis/20-delete-topics';

export const apis: readonly ApiCodec<never, never>[] = [
  Produce,
  Fetch,
  ListOffsets,
  Metadata,
  ApiVersions,
  CreateTopics,
  DeleteTopics,
] as unknown as ApiCodec<never, never>[];
