// Produce v3. Behavior: validation order after kfake 00_produce.go: acks, topic/partition, exactly one v2 batch with
// a valid CRC and no client-set control bit, size under max.message.bytes; then the batch is appended as sent with
// only baseOffset patched. acks=0 gets no reply. Idempotent and transactional batches go through the producer state
// (sequence checks, duplicates answered with their original offset). Gaps: log_append_time is always -1
// (CreateTime topics only).
import type { ProducePartitionResponse, ProduceRequest, ProduceResponse } from '../protocol/apis/00-produce';
import { ErrorCode } from '../protocol/errors';
import { readBatchHeader } from '../protocol/record-batch';
import type { Cluster } from '../state/cluster';
import { NO_REPLY, type Handler } from './handler';

/** Kafka's max.message.bytes default: a batch larger than this is refused with MESSAGE_TOO_LARGE. */
export const MAX_MESSAGE_BYTES = 1048588;

export const handleProduce: Handler<ProduceRequest, ProduceResponse> = ({ cluster }, req) => {
  const topics = req.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) =>
      req.acks !== -1 && req.acks !== 0 && req.acks !== 1
        ? result(p.partition, ErrorCode.INVALID_REQUIRED_ACKS)
        : producePartition(cluster, req.transactionalId, t.name, p.partition, p.records),
    ),
  }));
  return req.acks === 0 ? NO_REPLY : { topics };
};

function result(partition: number, errorCode: number, baseOffset = -1n): ProducePartitionResponse {
  return { partition, errorCode, baseOffset, logAppendTime: -1n };
}

function producePartition(
  cluster: Cluster,
  transactionalId: string | null,
  topic: string,
  partition: number,
  records: Buffer | null,
): ProducePartitionResponse {
  const log = cluster.partition(topic, partition);
  if (!log) return result(partition, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  if (!records || records.length === 0) return result(partition, ErrorCode.INVALID_RECORD);
  const header = readBatchHeader(records);
  if (header === 'corrupt') return result(partition, ErrorCode.CORRUPT_MESSAGE);
  if (header === 'invalid' || header.size !== records.length || header.control) {
    return result(partition, ErrorCode.INVALID_RECORD);
  }
  if (header.size > MAX_MESSAGE_BYTES) return result(partition, ErrorCode.MESSAGE_TOO_LARGE);
  const appended = cluster.producers.append(log, records, header, transactionalId);
  return result(partition, appended.errorCode, appended.baseOffset);
}
