// The group APIs' codecs against kafkajs 2.2.4's request modules (see apis.test.ts for the method).
import { describe, expect, it } from 'vitest';
import { kafkajsDecode, kafkajsRequest, kafkajsResponse } from '../../../test/kafkajs-oracle';
import type { ApiCodec } from '../api';
import { Reader } from '../primitives/reader';
import { Writer } from '../primitives/writer';
import { OffsetCommit } from './08-offset-commit';
import { OffsetFetch } from './09-offset-fetch';
import { FindCoordinator } from './10-find-coordinator';
import { JoinGroup } from './11-join-group';
import { Heartbeat } from './12-heartbeat';
import { LeaveGroup } from './13-leave-group';
import { SyncGroup } from './14-sync-group';
import { DescribeGroups } from './15-describe-groups';
import { ListGroups } from './16-list-groups';
import { DeleteGroups } from './42-delete-groups';

async function decoded<Req>(api: ApiCodec<Req, unknown>, name: string, args: unknown): Promise<Req> {
  const r = new Reader(await kafkajsRequest(name, api.maxVersion, args));
  const req = api.decodeRequest(r, api.maxVersion);
  r.end();
  return req;
}

function encoded<Res>(api: ApiCodec<unknown, Res>, res: Res): Buffer {
  const w = new Writer();
  api.encodeResponse(w, res, api.maxVersion);
  return Buffer.from(w.toBuffer());
}

const meta = Buffer.from([0, 1, 2]);

describe('group APIs', () => {
  it('FindCoordinator v1', async () => {
    expect(await decoded(FindCoordinator, 'GroupCoordinator', { groupId: 'g', coordinatorType: 1 })).toEqual({
      key: 'g',
      keyType: 1,
    });
    const body = encoded(FindCoordinator, {
      errorCode: 0,
      errorMessage: null,
      nodeId: 1,
      host: 'h',
      port: 9,
    });
    expect(await kafkajsResponse('GroupCoordinator', 1, body)).toMatchObject({
      errorCode: 0,
      coordinator: { nodeId: 1, host: 'h', port: 9 },
    });
  });

  it('JoinGroup v2', async () => {
    expect(
      await decoded(JoinGroup, 'JoinGroup', {
        groupId: 'g',
        sessionTimeout: 3000,
        rebalanceTimeout: 6000,
        memberId: '',
        protocolType: 'consumer',
        groupProtocols: [{ name: 'RoundRobinAssigner', metadata: meta }],
      }),
    ).toEqual({
      groupId: 'g',
      sessionTimeoutMs: 3000,
      rebalanceTimeoutMs: 6000,
      memberId: '',
      protocolType: 'consumer',
      protocols: [{ name: 'RoundRobinAssigner', metadata: meta }],
    });
    const body = encoded(JoinGroup, {
      errorCode: 0,
      generationId: 3,
      protocolName: 'p',
      leader: 'm1',
      memberId: 'm1',
      members: [{ memberId: 'm1', metadata: meta }],
    });
    expect(await kafkajsResponse('JoinGroup', 2, body)).toMatchObject({
      generationId: 3,
      groupProtocol: 'p',
      leaderId: 'm1',
      memberId: 'm1',
      members: [{ memberId: 'm1', memberMetadata: meta }],
    });
  });

  it('SyncGroup v1, Heartbeat v1, LeaveGroup v1', async () => {
    expect(
      await decoded(SyncGroup, 'SyncGroup', {
        groupId: 'g',
        generationId: 2,
        memberId: 'm',
        groupAssignment: [{ memberId: 'm', memberAssignment: meta }],
      }),
    ).toEqual({
      groupId: 'g',
      generationId: 2,
      memberId: 'm',
      assignments: [{ memberId: 'm', assignment: meta }],
    });
    expect(
      await kafkajsResponse('SyncGroup', 1, encoded(SyncGroup, { errorCode: 0, assignment: meta })),
    ).toMatchObject({ memberAssignment: meta });
    expect(
      await decoded(Heartbeat, 'Heartbeat', { groupId: 'g', groupGenerationId: 4, memberId: 'm' }),
    ).toEqual({ groupId: 'g', generationId: 4, memberId: 'm' });
    expect(await kafkajsDecode('Heartbeat', 1, encoded(Heartbeat, { errorCode: 27 }))).toMatchObject({
      errorCode: 27,
    });
    expect(await decoded(LeaveGroup, 'LeaveGroup', { groupId: 'g', memberId: 'm' })).toEqual({
      groupId: 'g',
      memberId: 'm',
    });
    expect(await kafkajsResponse('LeaveGroup', 1, encoded(LeaveGroup, { errorCode: 0 }))).toMatchObject({
      errorCode: 0,
    });
  });

  it('OffsetCommit v2 and OffsetFetch v3', async () => {
    expect(
      await decoded(OffsetCommit, 'OffsetCommit', {
        groupId: 'g',
        groupGenerationId: -1,
        memberId: '',
        retentionTime: -1,
        topics: [{ topic: 't', partitions: [{ partition: 0, offset: '-2' }] }],
      }),
    ).toEqual({
      groupId: 'g',
      generationId: -1,
      memberId: '',
      retentionTimeMs: -1n,
      topics: [{ name: 't', partitions: [{ partition: 0, offset: -2n, metadata: null }] }],
    });
    expect(
      await kafkajsResponse(
        'OffsetCommit',
        2,
        encoded(OffsetCommit, { topics: [{ name: 't', partitions: [{ partition: 0, errorCode: 0 }] }] }),
      ),
    ).toMatchObject({
      responses: [{ topic: 't', partitions: [{ partition: 0, errorCode: 0 }] }],
    });
    expect(
      await decoded(OffsetFetch, 'OffsetFetch', {
        groupId: 'g',
        topics: [{ topic: 't', partitions: [{ partition: 1 }] }],
      }),
    ).toEqual({
      groupId: 'g',
      topics: [{ name: 't', partitions: [1] }],
    });
    // kafkajs asks for every committed offset with an empty list, which it writes as a null array.
    expect(await decoded(OffsetFetch, 'OffsetFetch', { groupId: 'g', topics: [] })).toEqual({
      groupId: 'g',
      topics: null,
    });
    const body = encoded(OffsetFetch, {
      errorCode: 0,
      topics: [{ name: 't', partitions: [{ partition: 1, offset: 5n, metadata: null, errorCode: 0 }] }],
    });
    expect(await kafkajsResponse('OffsetFetch', 3, body)).toMatchObject({
      responses: [{ topic: 't', partitions: [{ partition: 1, offset: '5', metadata: null, errorCode: 0 }] }],
    });
  });

  it('DescribeGroups v1, ListGroups v1, DeleteGroups v0', async () => {
    expect(await decoded(DescribeGroups, 'DescribeGroups', { groupIds: ['a', 'b'] })).toEqual({
      groupIds: ['a', 'b'],
    });
    const body = encoded(DescribeGroups, {
      groups: [
        {
          errorCode: 0,
          groupId: 'a',
          state: 'Stable',
          protocolType: 'consumer',
          protocol: 'p',
          members: [{ memberId: 'm', clientId: 'c', clientHost: '/h', metadata: meta, assignment: meta }],
        },
      ],
    });
    expect(await kafkajsResponse('DescribeGroups', 1, body)).toMatchObject({
      groups: [
        {
          groupId: 'a',
          state: 'Stable',
          protocolType: 'consumer',
          protocol: 'p',
          members: [
            { memberId: 'm', clientId: 'c', clientHost: '/h', memberMetadata: meta, memberAssignment: meta },
          ],
        },
      ],
    });
    expect(
      await kafkajsResponse(
        'ListGroups',
        1,
        encoded(ListGroups, { errorCode: 0, groups: [{ groupId: 'a', protocolType: 'consumer' }] }),
      ),
    ).toMatchObject({
      groups: [{ groupId: 'a', protocolType: 'consumer' }],
    });
    expect(await decoded(DeleteGroups, 'DeleteGroups', ['a'])).toEqual({ groupIds: ['a'] });
    expect(
      await kafkajsDecode(
        'DeleteGroups',
        0,
        encoded(DeleteGroups, { results: [{ groupId: 'a', errorCode: 0 }] }),
      ),
    ).toMatchObject({
      results: [{ groupId: 'a', errorCode: 0 }],
    });
  });
});
