// AddPartitionsToTxn v0. Behavior: starts the transaction (and its timeout) on the first add; an unknown partition
// fails the request, the others answering OPERATION_NOT_ATTEMPTED; a stale epoch is INVALID_PRODUCER_EPOCH.
import type {
  AddPartitionsToTxnRequest,
  AddPartitionsToTxnResponse,
} from '../protocol/apis/24-add-partitions-to-txn';
import type { Handler } from './handler';

export const handleAddPartitionsToTxn: Handler<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse> = (
  { cluster },
  req,
) => ({
  topics: cluster.txns.addPartitions(req.transactionalId, req.producerId, req.producerEpoch, req.topics),
});
