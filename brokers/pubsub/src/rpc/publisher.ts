// google.pubsub.v1.Publisher. Each RPC validates its request, calls one method of the emulator, and replies.
// Every Publisher RPC is implemented; schema settings of topics are stored, not enforced (README, Gaps).
import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { PubsubEmulator } from '../emulator';
import type { PubsubMessageProto, TopicProto } from '../protos';
import { invalidArgument } from '../errors';
import { page, unary } from './unary';

interface ListRequest {
  project: string;
  topic: string;
  pageSize: number;
  pageToken: string;
}

export function publisherService(emu: PubsubEmulator): UntypedServiceImplementation {
  return {
    CreateTopic: unary((req: TopicProto) => emu.createTopic(req).proto),
    UpdateTopic: unary((req: { topic: TopicProto | null; updateMask: { paths: string[] } | null }) => {
      if (!req.topic) throw invalidArgument('The topic is required.');
      return emu.topics.update(req.topic, req.updateMask?.paths ?? []).proto;
    }),
    DetachSubscription: unary((req: { subscription: string }) => {
      emu.detachSubscription(req.subscription);
      return {};
    }),
    GetTopic: unary((req: { topic: string }) => emu.topics.get(req.topic).proto),
    DeleteTopic: unary((req: { topic: string }) => {
      emu.deleteTopic(req.topic);
      return {};
    }),
    ListTopics: unary((req: ListRequest) => {
      const { items, nextPageToken } = page(emu.topics.list(req.project), req.pageSize, req.pageToken);
      return { topics: items.map((t) => t.proto), nextPageToken };
    }),
    ListTopicSubscriptions: unary((req: ListRequest) => {
      const names = [...emu.topics.get(req.topic).subs].sort();
      const { items, nextPageToken } = page(names, req.pageSize, req.pageToken);
      return { subscriptions: items, nextPageToken };
    }),
    ListTopicSnapshots: unary((req: ListRequest) => {
      emu.topics.get(req.topic);
      const names = emu.snapshots
        .all()
        .filter((s) => s.topic === req.topic)
        .map((s) => s.name);
      const { items, nextPageToken } = page(names, req.pageSize, req.pageToken);
      return { snapshots: items, nextPageToken };
    }),
    Publish: unary((req: { topic: string; messages: PubsubMessageProto[] }) => ({
      messageIds: emu.publish(req.topic, req.messages ?? []),
    })),
  };
}
