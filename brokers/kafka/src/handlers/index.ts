// Routes each API key to its codec and handler; `route` ties each handler to its own codec's request and response
// types, so a mismatch is a type error.
import type { ApiCodec } from '../protocol/api';
import { Produce } from '../protocol/apis/00-produce';
import { Fetch } from '../protocol/apis/01-fetch';
import { ListOffsets } from '../protocol/apis/02-list-offsets';
import { Metadata } from '../protocol/apis/03-metadata';
import { OffsetCommit } from '../protocol/apis/08-offset-commit';
import { OffsetFetch } from '../protocol/apis/09-offset-fetch';
import { FindCoordinator } from '../protocol/apis/10-find-coordinator';
import { JoinGroup } from '../protocol/apis/11-join-group';
import { Heartbeat } from '../protocol/apis/12-heartbeat';
import { LeaveGroup } from '../protocol/apis/13-leave-group';
import { SyncGroup } from '../protocol/apis/14-sync-group';
import { DescribeGroups } from '../protocol/apis/15-describe-groups';
import { ListGroups } from '../protocol/apis/16-list-groups';
import { ApiVersions } from '../protocol/apis/18-api-versions';
import { CreateTopics } from '../protocol/apis/19-create-topics';
import { DeleteTopics } from '../protocol/apis/20-delete-topics';
import { InitProducerId } from '../protocol/apis/22-init-producer-id';
import { AddPartitionsToTxn } from '../protocol/apis/24-add-partitions-to-txn';
import { AddOffsetsToTxn } from '../protocol/apis/25-add-offsets-to-txn';
import { EndTxn } from '../protocol/apis/26-end-txn';
import { TxnOffsetCommit } from '../protocol/apis/28-txn-offset-commit';
import { CreatePartitions } from '../protocol/apis/37-create-partitions';
import { DeleteGroups } from '../protocol/apis/42-delete-groups';
import { handleProduce } from './00-produce';
import { handleFetch } from './01-fetch';
import { handleListOffsets } from './02-list-offsets';
import { handleMetadata } from './03-metadata';
import { handleOffsetCommit } from './08-offset-commit';
import { handleOffsetFetch } from './09-offset-fetch';
import { handleFindCoordinator } from './10-find-coordinator';
import { handleJoinGroup } from './11-join-group';
import { handleHeartbeat } from './12-heartbeat';
import { handleLeaveGroup } from './13-leave-group';
import { handleSyncGroup } from './14-sync-group';
import { handleDescribeGroups } from './15-describe-groups';
import { handleListGroups } from './16-list-groups';
import { handleApiVersions } from './18-api-versions';
import { handleCreateTopics } from './19-create-topics';
import { handleDeleteTopics } from './20-delete-topics';
import { handleInitProducerId } from './22-init-producer-id';
import { handleAddPartitionsToTxn } from './24-add-partitions-to-txn';
import { handleAddOffsetsToTxn } from './25-add-offsets-to-txn';
import { handleEndTxn } from './26-end-txn';
import { handleTxnOffsetCommit } from './28-txn-offset-commit';
import { handleCreatePartitions } from './37-create-partitions';
import { handleDeleteGroups } from './42-delete-groups';
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
    route(OffsetCommit, handleOffsetCommit),
    route(OffsetFetch, handleOffsetFetch),
    route(FindCoordinator, handleFindCoordinator),
    route(JoinGroup, handleJoinGroup),
    route(Heartbeat, handleHeartbeat),
    route(LeaveGroup, handleLeaveGroup),
    route(SyncGroup, handleSyncGroup),
    route(DescribeGroups, handleDescribeGroups),
    route(ListGroups, handleListGroups),
    route(ApiVersions, handleApiVersions),
    route(CreateTopics, handleCreateTopics),
    route(DeleteTopics, handleDeleteTopics),
    route(InitProducerId, handleInitProducerId),
    route(AddPartitionsToTxn, handleAddPartitionsToTxn),
    route(AddOffsetsToTxn, handleAddOffsetsToTxn),
    route(EndTxn, handleEndTxn),
    route(TxnOffsetCommit, handleTxnOffsetCommit),
    route(CreatePartitions, handleCreatePartitions),
    route(DeleteGroups, handleDeleteGroups),
  ].map((r) => [r.api.key, r]),
);
