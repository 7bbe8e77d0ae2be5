// TxnOffsetCommit v0. Behavior: stages the offsets in the transaction (the group must have been added with
// AddOffsetsToTxn); they become the group's committed offsets only when the transaction commits.
import type { TxnOffsetCommitRequest, TxnOffsetCommitResponse } from '../protocol/apis/28-txn-offset-commit';
import type { Handler } from './handler';

export const handleTxnOffsetCommit: Handler<TxnOffsetCommitRequest, TxnOffsetCommitResponse> = (
  { cluster },
  req,
) => ({
  topics: req.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => ({
      partition: p.partition,
      errorCode: cluster.txns.stageOffsets(
        req.transactionalId,
        req.groupId,
        req.producerId,
        req.producerEpoch,
        t.name,
        p.partition,
        {
          offset: p.offset,
          metadata: p.metadata,
        },
      ),
    })),
  })),
});
