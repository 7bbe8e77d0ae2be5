// AddOffsetsToTxn v0. Behavior: enrols the group in the transaction so TxnOffsetCommit may stage its offsets.
import type { AddOffsetsToTxnRequest, AddOffsetsToTxnResponse } from '../protocol/apis/25-add-offsets-to-txn';
import type { Handler } from './handler';

export const handleAddOffsetsToTxn: Handler<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse> = (
  { cluster },
  req,
) => ({
  errorCode: cluster.txns.addOffsets(req.transactionalId, req.producerId, req.producerEpoch, req.groupId),
});
