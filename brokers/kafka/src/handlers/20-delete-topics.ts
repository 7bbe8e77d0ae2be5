// DeleteTopics v1. Behavior: deletion is immediate (one node, no replicas to wait for); an unknown topic gives
// UNKNOWN_TOPIC_OR_PARTITION.
import type { DeleteTopicsRequest, DeleteTopicsResponse } from '../protocol/apis/20-delete-topics';
import type { Handler } from './handler';

export const handleDeleteTopics: Handler<DeleteTopicsRequest, DeleteTopicsResponse> = ({ cluster }, req) => ({
  topics: req.names.map((name) => ({ name, errorCode: cluster.deleteTopic(name) })),
});
