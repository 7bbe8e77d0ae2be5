// The APIs this broker speaks, one codec each; ApiVersions answers from this list, so an API exists exactly when its
// codec is listed here (and handlers/index.ts routes it, which a test checks). Other keys close the connection.
import type { ApiCodec } from './api';
import { Produce } from './apis/00-produce';
import { Fetch } from './apis/01-fetch';
import { ListOffsets } from './apis/02-list-offsets';
import { Metadata } from './apis/03-metadata';
import { OffsetCommit } from './apis/08-offset-commit';
import { OffsetFetch } from './apis/09-offset-fetch';
import { FindCoordinator } from './apis/10-find-coordinator';
import { JoinGroup } from './apis/11-join-group';
import { Heartbeat } from './apis/12-heartbeat';
import { LeaveGroup } from './apis/13-leave-group';
import { SyncGroup } from './apis/14-sync-group';
import { DescribeGroups } from './apis/15-describe-groups';
import { ListGroups } from './apis/16-list-groups';
import { ApiVersions } from './apis/18-api-versions';
import { CreateTopics } from './apis/19-create-topics';
import { DeleteTopics } from './apis/20-delete-topics';
import { InitProducerId } from './apis/22-init-producer-id';
import { AddPartitionsToTxn } from './apis/24-add-partitions-to-txn';
import { AddOffsetsToTxn } from './apis/25-add-offsets-to-txn';
import { EndTxn } from './apis/26-end-txn';
import { TxnOffsetCommit } from './apis/28-txn-offset-commit';
import { CreatePartitions } from './apis/37-create-partitions';
import { DeleteGroups } from './apis/42-delete-groups';

type AnyCodec = ApiCodec<never, never>;

export const apis: readonly AnyCodec[] = [
  Produce,
  Fetch,
  ListOffsets,
  Metadata,
  OffsetCommit,
  OffsetFetch,
  FindCoordinator,
  JoinGroup,
  Heartbeat,
  LeaveGroup,
  SyncGroup,
  DescribeGroups,
  ListGroups,
  ApiVersions,
  CreateTopics,
  DeleteTopics,
  InitProducerId,
  AddPartitionsToTxn,
  AddOffsetsToTxn,
  EndTxn,
  TxnOffsetCommit,
  CreatePartitions,
  DeleteGroups,
] as unknown as AnyCodec[];
