// The classic group protocol on a virtual clock: a rebalance waits for every member, only the leader learns the
// members, followers wait for the leader's sync, a silent member is evicted at its session timeout, a member that
// does not rejoin is dropped at the rebalance timeout, and stale generations and unknown members get Kafka's codes.
import { describe, expect, it } from 'vitest';
import { EventHub, VirtualClock } from '@msgbook/broker-common';
import type { JoinGroupRequest, JoinGroupResponse } from '../protocol/apis/11-join-group';
import { ErrorCode } from '../protocol/errors';
import { Cluster } from './cluster';

function setup() {
  const clock = new VirtualClock();
  const c = new Cluster({
    clock,
    events: new EventHub(),
    retentionBytes: 1 << 20,
    autoCreateTopics: false,
    defaultPartitions: 1,
  });
  return { clock, c, g: c.groups };
}

const meta = Buffer.from('m');
function req(memberId = '', sessionTimeoutMs = 3000): JoinGroupRequest {
  return {
    groupId: 'g',
    sessionTimeoutMs,
    rebalanceTimeoutMs: 5000,
    memberId,
    protocolType: 'consumer',
    protocols: [{ name: 'rr', metadata: meta }],
  };
}

describe('group membership', () => {
  it('completes a join for one member at once, then rebalances when a second joins', async () => {
    const { g } = setup();
    const first = await g.join(req(), 'a', '/h');
    expect(first).toMatchObject({
      errorCode: 0,
      generationId: 1,
      leader: first.memberId,
      protocolName: 'rr',
    });
    expect(first.members).toHaveLength(1);
    expect(
      await g.sync('g', first.memberId, 1, [{ memberId: first.memberId, assignment: Buffer.from('A') }]),
    ).toEqual({ errorCode: 0, assignment: Buffer.from('A') });

    const second = g.join(req(), 'b', '/h') as Promise<JoinGroupResponse>;
    expect(g.heartbeat('g', first.memberId, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const rejoin = await g.join(req(first.memberId), 'a', '/h');
    const other = await second;
    expect([rejoin.generationId, other.generationId]).toEqual([2, 2]);
    expect(rejoin.members).toHaveLength(2);
    expect(other.members).toEqual([]);

    const followerSync = g.sync('g', other.memberId, 2, []);
    expect(followerSync).toBeInstanceOf(Promise);
    g.sync('g', rejoin.memberId, 2, [{ memberId: other.memberId, assignment: Buffer.from('B') }]);
    expect(await followerSync).toEqual({ errorCode: 0, assignment: Buffer.from('B') });
    expect(g.describe('g')).toMatchObject({ state: 'Stable', members: [{}, {}] });
  });

  it('evicts a member whose session runs out and rebalances the rest', async () => {
    const { g, clock } = setup();
    const a = await g.join(req('', 3000), 'a', '/h');
    await g.sync('g', a.memberId, 1, []);
    const bJoin = g.join(req('', 10_000), 'b', '/h') as Promise<JoinGroupResponse>;
    const aJoin = await g.join(req(a.memberId, 3000), 'a', '/h');
    const b = await bJoin;
    g.sync('g', b.memberId, 2, []);
    g.sync('g', aJoin.memberId, 2, []);
    clock.advance(2999);
    expect(g.heartbeat('g', b.memberId, 2)).toBe(ErrorCode.NONE);
    clock.advance(1);
    expect(g.groups.get('g')!.members.has(a.memberId)).toBe(false);
    expect(g.heartbeat('g', b.memberId, 2)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(g.heartbeat('g', a.memberId, 2)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('drops a member that does not rejoin before the rebalance timeout', async () => {
    const { g, clock } = setup();
    const a = await g.join(req('', 30_000), 'a', '/h');
    await g.sync('g', a.memberId, 1, []);
    const bJoin = g.join(req('', 30_000), 'b', '/h') as Promise<JoinGroupResponse>;
    clock.advance(5000);
    const b = await bJoin;
    expect(b).toMatchObject({ errorCode: 0, generationId: 2, leader: b.memberId });
    expect(g.groups.get('g')!.members.has(a.memberId)).toBe(false);
  });

  it('answers a repeated join at once with REBALANCE_IN_PROGRESS, so its connection does not stall', async () => {
    const { g } = setup();
    const a = await g.join(req(), 'a', '/h');
    await g.sync('g', a.memberId, 1, []);
    const b = g.join(req(), 'b', '/h') as Promise<JoinGroupResponse>;
    const bId = [...g.groups.get('g')!.members.keys()].find((id) => id !== a.memberId)!;
    const again = g.join(req(bId), 'b', '/h') as Promise<JoinGroupResponse>;
    expect(await b).toMatchObject({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS });
    await g.join(req(a.memberId), 'a', '/h');
    expect(await again).toMatchObject({ errorCode: 0, generationId: 2 });
  });

  it('answers stale generations, unknown members and bad session timeouts with Kafka codes', async () => {
    const { g } = setup();
    expect(await g.join(req('', 999), 'a', '/h')).toMatchObject({
      errorCode: ErrorCode.INVALID_SESSION_TIMEOUT,
    });
    expect(await g.join(req('ghost'), 'a', '/h')).toMatchObject({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID });
    const a = await g.join(req(), 'a', '/h');
    expect(await g.sync('g', a.memberId, 7, [])).toMatchObject({ errorCode: ErrorCode.ILLEGAL_GENERATION });
    expect(g.validateCommit('g', a.memberId, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(g.validateCommit('g', '', -1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(g.leave('g', a.memberId)).toBe(ErrorCode.NONE);
    expect(g.describe('g')).toMatchObject({ state: 'Empty', members: [] });
    expect(g.validateCommit('g', '', -1)).toBe(ErrorCode.NONE);
  });
});
