// One consumer group's classic-protocol membership: states Empty → PreparingRebalance → CompletingRebalance →
// Stable, generations, the leader, protocol selection, session and rebalance timers (model: kfake groups.go and
// Kafka's ClassicGroup). Joins and syncs park as waiters that state changes answer. Call only from the cluster owner.
// Gaps: no static membership, no MEMBER_ID_REQUIRED (JoinGroup v4+), no initial rebalance delay (the project's real
// Kafka sets group.initial.rebalance.delay.ms=0).
import type { TimerHandle } from '@msgbook/broker-common';
import type { JoinGroupResponse } from '../protocol/apis/11-join-group';
import { ErrorCode } from '../protocol/errors';
import type { Cluster } from './cluster';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface Member {
  id: string;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: { name: string; metadata: Buffer }[];
  assignment: Buffer;
  joinWaiter?: (res: JoinGroupResponse) => void;
  syncWaiter?: (res: { errorCode: number; assignment: Buffer }) => void;
  sessionTimer?: TimerHandle;
}

export interface CommittedOffset {
  offset: bigint;
  metadata: string | null;
}

const EMPTY = Buffer.alloc(0);

export class Group {
  state: GroupState = 'Empty';
  generation = 0;
  protocolType = '';
  protocol = '';
  leader = '';
  readonly members = new Map<string, Member>();
  /** Committed offsets by topic, then partition. */
  readonly offsets = new Map<string, Map<number, CommittedOffset>>();
  private rebalanceTimer: TimerHandle | undefined;

  constructor(
    readonly id: string,
    private readonly cluster: Cluster,
  ) {}

  /** Adds a new member (empty member id) and joins it; the reply comes when the rebalance completes. */
  addMember(m: Omit<Member, 'assignment'>, protocolType: string): Promise<JoinGroupResponse> {
    const member: Member = { ...m, assignment: EMPTY };
    this.members.set(member.id, member);
    if (this.members.size === 1) this.protocolType = protocolType;
    this.cluster.emit('group-member-joined', this.id, { memberId: member.id, clientId: member.clientId });
    return this.join(member);
  }

  /** A known member joins again: reuses the current generation when nothing changed, else rebalances. */
  rejoin(
    member: Member,
    protocols: Member['protocols'],
    sessionTimeoutMs: number,
    rebalanceTimeoutMs: number,
  ): Promise<JoinGroupResponse> | JoinGroupResponse {
    const same = sameProtocols(member.protocols, protocols);
    member.protocols = protocols;
    member.sessionTimeoutMs = sessionTimeoutMs;
    member.rebalanceTimeoutMs = rebalanceTimeoutMs;
    if (
      (this.state === 'Stable' || this.state === 'CompletingRebalance') &&
      same &&
      member.id !== this.leader
    ) {
      this.touch(member);
      return this.joinReply(member);
    }
    return this.join(member);
  }

  private join(member: Member): Promise<JoinGroupResponse> {
    // A join repeated while the first still waits: answer the first now, or its connection stalls behind it.
    member.joinWaiter?.({ ...this.failedJoin(member), errorCode: ErrorCode.REBALANCE_IN_PROGRESS });
    const reply = new Promise<JoinGroupResponse>((resolve) => (member.joinWaiter = resolve));
    if (this.state !== 'PreparingRebalance') this.prepareRebalance(`${member.id} joined`);
    this.touch(member);
    this.tryCompleteJoin();
    return reply;
  }

  /** True when every member of the group supports one of `protocols` (INCONSISTENT_GROUP_PROTOCOL otherwise). */
  acceptsProtocols(protocolType: string, protocols: Member['protocols']): boolean {
    if (this.members.size === 0) return protocols.length > 0;
    if (protocolType !== this.protocolType) return false;
    return protocols.some((p) =>
      [...this.members.values()].every((m) => m.protocols.some((q) => q.name === p.name)),
    );
  }

  private prepareRebalance(reason: string): void {
    // Members waiting on a sync from the previous round learn it is over and join again.
    for (const m of this.members.values()) {
      m.syncWaiter?.({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
      m.syncWaiter = undefined;
      m.assignment = EMPTY;
    }
    this.state = 'PreparingRebalance';
    this.rebalanceTimer?.cancel();
    const timeout = Math.max(0, ...[...this.members.values()].map((m) => m.rebalanceTimeoutMs));
    this.rebalanceTimer = this.cluster.setTimer(() => this.onRebalanceTimeout(), timeout);
    this.cluster.emit('group-rebalancing', this.id, { reason, generation: this.generation });
  }

  private onRebalanceTimeout(): void {
    this.rebalanceTimer = undefined;
    for (const m of [...this.members.values()]) if (!m.joinWaiter) this.remove(m, 'did not rejoin in time');
    this.completeJoin();
  }

  private tryCompleteJoin(): void {
    if (this.state !== 'PreparingRebalance') return;
    for (const m of this.members.values()) if (!m.joinWaiter) return;
    this.completeJoin();
  }

  private completeJoin(): void {
    this.rebalanceTimer?.cancel();
    this.rebalanceTimer = undefined;
    this.generation++;
    if (this.members.size === 0) {
      this.state = 'Empty';
      this.protocol = '';
      this.leader = '';
      this.cluster.emit('group-emptied', this.id, { generation: this.generation });
      return;
    }
    if (!this.members.has(this.leader)) this.leader = this.members.keys().next().value!;
    this.protocol = this.selectProtocol();
    this.state = 'CompletingRebalance';
    this.cluster.emit('group-joined', this.id, {
      generation: this.generation,
      leader: this.leader,
      members: this.members.size,
    });
    for (const m of this.members.values()) {
      const reply = this.joinReply(m);
      m.joinWaiter?.(reply);
      m.joinWaiter = undefined;
      this.touch(m);
    }
  }

  private joinReply(m: Member): JoinGroupResponse {
    return {
      errorCode: ErrorCode.NONE,
      generationId: this.generation,
      protocolName: this.protocol,
      leader: this.leader,
      memberId: m.id,
      members:
        m.id === this.leader
          ? [...this.members.values()].map((x) => ({
              memberId: x.id,
              metadata: metadataFor(x, this.protocol),
            }))
          : [],
    };
  }

  /** Kafka's vote: each member names its first protocol that every member supports; the most named wins. */
  private selectProtocol(): string {
    const members = [...this.members.values()];
    const common = members[0]!.protocols
      .map((p) => p.name)
      .filter((n) => members.every((m) => m.protocols.some((p) => p.name === n)));
    const votes = new Map<string, number>();
    for (const m of members) {
      const choice = m.protocols.find((p) => common.includes(p.name))?.name;
      if (choice) votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    let best = common[0] ?? '';
    for (const [name, n] of votes) if (n > (votes.get(best) ?? 0)) best = name;
    return best;
  }

  /** SyncGroup after the member and generation checks: the leader's assignments end the rebalance. */
  sync(
    member: Member,
    assignments: { memberId: string; assignment: Buffer }[],
  ): Promise<{ errorCode: number; assignment: Buffer }> | { errorCode: number; assignment: Buffer } {
    this.touch(member);
    if (this.state === 'Stable') return { errorCode: ErrorCode.NONE, assignment: member.assignment };
    member.syncWaiter?.({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
    const reply = new Promise<{ errorCode: number; assignment: Buffer }>(
      (resolve) => (member.syncWaiter = resolve),
    );
    if (member.id === this.leader) {
      const byId = new Map(assignments.map((a) => [a.memberId, a.assignment]));
      for (const m of this.members.values()) m.assignment = byId.get(m.id) ?? EMPTY;
      this.state = 'Stable';
      this.cluster.emit('group-stable', this.id, { generation: this.generation });
      for (const m of this.members.values()) {
        m.syncWaiter?.({ errorCode: ErrorCode.NONE, assignment: m.assignment });
        m.syncWaiter = undefined;
      }
    }
    return reply;
  }

  /** LeaveGroup, or a session that ran out: the member goes and the others rebalance. */
  leave(member: Member, reason: string): void {
    this.remove(member, reason);
    if (this.state === 'Stable' || this.state === 'CompletingRebalance')
      this.prepareRebalance(`${member.id} left`);
    if (this.members.size === 0 && this.state === 'PreparingRebalance') this.completeJoin();
    else this.tryCompleteJoin();
  }

  private failedJoin(member: Member): JoinGroupResponse {
    return {
      errorCode: ErrorCode.UNKNOWN_MEMBER_ID,
      generationId: -1,
      protocolName: '',
      leader: '',
      memberId: member.id,
      members: [],
    };
  }

  private remove(member: Member, reason: string): void {
    member.sessionTimer?.cancel();
    member.joinWaiter?.(this.failedJoin(member));
    member.syncWaiter?.({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY });
    this.members.delete(member.id);
    this.cluster.emit('group-member-left', this.id, { memberId: member.id, reason });
  }

  /** Restarts the member's session timer: join, sync, heartbeat and commit all count as signs of life. */
  touch(member: Member): void {
    member.sessionTimer?.cancel();
    member.sessionTimer = this.cluster.setTimer(() => {
      // A member parked in a join or sync is alive by definition, as in Kafka.
      if (member.joinWaiter || member.syncWaiter) this.touch(member);
      else if (this.members.get(member.id) === member) this.leave(member, 'session timed out');
    }, member.sessionTimeoutMs);
  }

  /** Cancels every timer; waiters stay unanswered, their connections are closing. */
  stop(): void {
    this.rebalanceTimer?.cancel();
    for (const m of this.members.values()) m.sessionTimer?.cancel();
  }
}

function metadataFor(m: Member, protocol: string): Buffer {
  return m.protocols.find((p) => p.name === protocol)?.metadata ?? EMPTY;
}

function sameProtocols(a: Member['protocols'], b: Member['protocols']): boolean {
  return (
    a.length === b.length && a.every((p, i) => p.name === b[i]!.name && p.metadata.equals(b[i]!.metadata))
  );
}
