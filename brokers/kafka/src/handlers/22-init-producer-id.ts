// InitProducerId v0. Behavior: no transactional id → a fresh producer id at epoch 0 (the idempotent producer); a
// transactional id → its producer id with the epoch bumped, after aborting its open transaction, which fences the
// previous producer. A timeout above transaction.max.timeout.ms is INVALID_TRANSACTION_TIMEOUT.
import type { InitProducerIdRequest, InitProducerIdResponse } from '../protocol/apis/22-init-producer-id';
import type { Handler } from './handler';

export const handleInitProducerId: Handler<InitProducerIdRequest, InitProducerIdResponse> = (
  { cluster },
  req,
) => cluster.txns.initProducerId(req.transactionalId, req.transactionTimeoutMs);
