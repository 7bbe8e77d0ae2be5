// EndTxn v0. Behavior: writes a COMMIT or ABORT marker to every partition of the transaction, moves their LSOs,
// records aborted ranges for read_committed, applies staged offsets on commit, and wakes parked fetches. A retry of
// the same outcome succeeds; the other outcome after the end is INVALID_TXN_STATE.
import type { EndTxnRequest, EndTxnResponse } from '../protocol/apis/26-end-txn';
import type { Handler } from './handler';

export const handleEndTxn: Handler<EndTxnRequest, EndTxnResponse> = ({ cluster }, req) => ({
  errorCode: cluster.txns.endTxn(req.transactionalId, req.producerId, req.producerEpoch, req.commit),
});
