// The group coordinator: every consumer group of the instance, request-level checks (unknown member, generation,
// state) with Kafka's error codes, and committed offsets. Membership itself lives in group.ts. Commits are stored
// verbatim, sentinels included (kafkajs seek/setOffsets commit -1/-2). Gaps: offsets never expire
// (offsets.retention.minutes), no group max size.
import { randomUUID } from 'node:crypto';
import type { DescribedGroup } from '../protocol/apis/15-describe-groups';
import type { JoinGroupRequest, JoinGroupResponse } from '../protocol/apis/11-join-group';
import { ErrorCode } from '../protocol/errors';
import type { Cluster } from './cluster';
import { Group, type CommittedOffset, type Member } from './group';

/** group.min/max.session.timeout.ms: the project's real Kafka lowers the minimum to 1 s, and so does this broker. */
export const MIN_SESSION_TIMEOUT_MS = 1000;
export const MAX_SESSION_TIMEOUT_MS = 1_800_000;

const EMPTY = Buffer.alloc(0);

type Check = { member: Member; group: Group } | { errorCode: number };

export class GroupCoordinator {
  readonly groups = new Map<string, Group>();

  constructor(private readonly cluster: Cluster) {}

  private getOrCreate(id: string): Group {
    let g = this.groups.get(id);
    if (!g) this.groups.set(id, (g = new Group(id, this.cluster)));
    return g;
  }

  join(
    req: JoinGroupRequest,
    clientId: string,
    clientHost: string,
  ): JoinGroupResponse | Promise<JoinGroupResponse> {
    const fail = (errorCode: number): JoinGroupResponse => ({
      errorCode,
      generationId: -1,
      protocolName: '',
      leader: '',
      memberId: req.memberId,
      members: [],
    });
    if (req.groupId === '') return fail(ErrorCode.INVALID_GROUP_ID);
    if (req.sessionTimeoutMs < MIN_SESSION_TIMEOUT_MS || req.sessionTimeoutMs > MAX_SESSION_TIMEOUT_MS) {
      return fail(ErrorCode.INVALID_SESSION_TIMEOUT);
    }
    const existing = this.groups.get(req.groupId);
    if (req.memberId !== '' && !existing?.members.has(req.memberId)) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    const group = existing ?? this.getOrCreate(req.groupId);
    const known = group.members.get(req.memberId);
    if (!known && !group.acceptsProtocols(req.protocolType, req.protocols))
      return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    if (known && group.members.size > 1 && !group.acceptsProtocols(req.protocolType, req.protocols)) {
      return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    }
    const rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    if (known) return group.rejoin(known, req.protocols, req.sessionTimeoutMs, rebalanceTimeoutMs);
    return group.addMember(
      {
        id: `${clientId}-${randomUUID()}`,
        clientId,
        clientHost,
        sessionTimeoutMs: req.sessionTimeoutMs,
        rebalanceTimeoutMs,
        protocols: req.protocols,
      },
      req.protocolType,
    );
  }

  /** Member and generation checks shared by SyncGroup and Heartbeat. */
  private check(groupId: string, memberId: string, generationId: number): Check {
    const group = this.groups.get(groupId);
    const member = group?.members.get(memberId);
    if (!group || !member) return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
    if (generationId !== group.generation) return { errorCode: ErrorCode.ILLEGAL_GENERATION };
    return { group, member };
  }

  sync(
    groupId: string,
    memberId: string,
    generationId: number,
    assignments: { memberId: string; assignment: Buffer }[],
  ) {
    const c = this.check(groupId, memberId, generationId);
    if ('errorCode' in c) return { errorCode: c.errorCode, assignment: EMPTY };
    if (c.group.state === 'PreparingRebalance')
      return { errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY };
    return c.group.sync(c.member, assignments);
  }

  heartbeat(groupId: string, memberId: string, generationId: number): number {
    const c = this.check(groupId, memberId, generationId);
    if ('errorCode' in c) return c.errorCode;
    c.group.touch(c.member);
    return c.group.state === 'PreparingRebalance' ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  leave(groupId: string, memberId: string): number {
    const group = this.groups.get(groupId);
    const member = group?.members.get(memberId);
    if (!group || !member) return ErrorCode.UNKNOWN_MEMBER_ID;
    group.leave(member, 'left the group');
    return ErrorCode.NONE;
  }

  /**
   * Kafka's ClassicGroup.validateOffsetCommit: a member commits with its generation; generation -1 with no member
   * id (admin tools, kafkajs setOffsets) only while the group is Empty; never while a rebalance completes.
   */
  validateCommit(groupId: string, memberId: string, generationId: number): number {
    const group = this.groups.get(groupId);
    if (generationId >= 0 || memberId !== '') {
      if (!group) return ErrorCode.ILLEGAL_GENERATION;
      const member = group.members.get(memberId);
      if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (generationId !== group.generation) return ErrorCode.ILLEGAL_GENERATION;
      if (group.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
      group.touch(member);
    } else if (group && group.state !== 'Empty') {
      return ErrorCode.UNKNOWN_MEMBER_ID;
    }
    return ErrorCode.NONE;
  }

  commit(groupId: string, topic: string, partition: number, value: CommittedOffset): void {
    const group = this.getOrCreate(groupId);
    let byPartition = group.offsets.get(topic);
    if (!byPartition) group.offsets.set(topic, (byPartition = new Map()));
    byPartition.set(partition, value);
    this.cluster.emit('offset-committed', groupId, { topic, partition, offset: String(value.offset) });
  }

  committed(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.groups.get(groupId)?.offsets.get(topic)?.get(partition);
  }

  describe(groupId: string): DescribedGroup {
    const g = this.groups.get(groupId);
    if (!g)
      return {
        errorCode: ErrorCode.NONE,
        groupId,
        state: 'Dead',
        protocolType: '',
        protocol: '',
        members: [],
      };
    // As Kafka: member metadata and assignments only once the group is Stable.
    const stable = g.state === 'Stable';
    return {
      errorCode: ErrorCode.NONE,
      groupId,
      state: g.state,
      protocolType: g.protocolType,
      protocol: stable ? g.protocol : '',
      members: [...g.members.values()].map((m) => ({
        memberId: m.id,
        clientId: m.clientId,
        clientHost: m.clientHost,
        metadata: stable ? (m.protocols.find((p) => p.name === g.protocol)?.metadata ?? EMPTY) : EMPTY,
        assignment: stable ? m.assignment : EMPTY,
      })),
    };
  }

  delete(groupId: string): number {
    const g = this.groups.get(groupId);
    if (!g) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (g.members.size > 0) return ErrorCode.NON_EMPTY_GROUP;
    g.stop();
    this.groups.delete(groupId);
    this.cluster.emit('group-deleted', groupId);
    return ErrorCode.NONE;
  }

  stop(): void {
    for (const g of this.groups.values()) g.stop();
  }
}
