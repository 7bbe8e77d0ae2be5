// Produce v3: transactional_id?, acks, timeout, [topic, [partition, records?]] → [topic, [partition, err,
// base_offset, log_append_time]], throttle. v3 is the floor for record batches v2 (headers, idempotence, EOS);
// v0-2 carry legacy message sets, which this broker does not store. acks=0 gets no reply at all.
import { defineApi } from '../api';

export interface ProduceRequest {
  transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  topics: { name: string; partitions: { partition: number; records: Buffer | null }[] }[];
}
export interface ProducePartitionResponse {
  partition: number;
  errorCode: number;
  baseOffset: bigint;
  logAppendTime: bigint;
}
export interface ProduceResponse {
  topics: { name: string; partitions: ProducePartitionResponse[] }[];
}

export const Produce = defineApi<ProduceRequest, ProduceResponse>({
  key: 0,
  name: 'Produce',
  minVersion: 3,
  maxVersion: 3,
  decodeRequest: (r) => ({
    transactionalId: r.nullableString(),
    acks: r.int16(),
    timeoutMs: r.int32(),
    topics: r.array((r) => ({
      name: r.string(),
      partitions: r.array((r) => ({ partition: r.int32(), records: r.nullableBytes() })),
    })),
  }),
  encodeResponse(w, res) {
    w.array(res.topics, (w, t) =>
      w
        .string(t.name)
        .array(t.partitions, (w, p) =>
          w.int32(p.partition).int16(p.errorCode).int64(p.baseOffset).int64(p.logAppendTime),
        ),
    ).int32(0);
  },
});
