// Field shapes of the AMQP 0-9-1 methods the broker reads and writes, as amqplib's generated codec decodes and
// encodes them (names from amqplib's `defs.js`, which follows RabbitMQ's amqp-rabbitmq-0.9.1.json).
// `Table` values are what amqplib's table codec produces: numbers, strings, booleans, Buffers, nested tables,
// arrays, null, and `{ '!': type, value }` for timestamps, decimals and forced integer types.

export type FieldValue = unknown;
export type Table = Record<string, FieldValue>;

export interface Props {
  contentType?: string;
  contentEncoding?: string;
  headers?: Table;
  deliveryMode?: number;
  priority?: number;
  correlationId?: string;
  replyTo?: string;
  expiration?: string;
  messageId?: string;
  timestamp?: number;
  type?: string;
  userId?: string;
  appId?: string;
  clusterId?: string;
}

type Empty = Record<string, never>;

export interface ClientMethods {
  ConnectionStartOk: { clientProperties: Table; mechanism: string; response: Buffer; locale: string };
  ConnectionSecureOk: { response: Buffer };
  ConnectionTuneOk: { channelMax: number; frameMax: number; heartbeat: number };
  ConnectionOpen: { virtualHost: string };
  ConnectionClose: { replyCode: number; replyText: string; classId: number; methodId: number };
  ConnectionCloseOk: Empty;
  ConnectionUpdateSecret: { newSecret: Buffer; reason: string };
  ChannelOpen: Empty;
  ChannelFlow: { active: boolean };
  ChannelFlowOk: { active: boolean };
  ChannelClose: { replyCode: number; replyText: string; classId: number; methodId: number };
  ChannelCloseOk: Empty;
  AccessRequest: { realm: string };
  ExchangeDeclare: {
    exchange: string;
    type: string;
    passive: boolean;
    durable: boolean;
    autoDelete: boolean;
    internal: boolean;
    nowait: boolean;
    arguments: Table;
  };
  ExchangeDelete: { exchange: string; ifUnused: boolean; nowait: boolean };
  ExchangeBind: {
    destination: string;
    source: string;
    routingKey: string;
    nowait: boolean;
    arguments: Table;
  };
  ExchangeUnbind: {
    destination: string;
    source: string;
    routingKey: string;
    nowait: boolean;
    arguments: Table;
  };
  QueueDeclare: {
    queue: string;
    passive: boolean;
    durable: boolean;
    exclusive: boolean;
    autoDelete: boolean;
    nowait: boolean;
    arguments: Table;
  };
  QueueBind: { queue: string; exchange: string; routingKey: string; nowait: boolean; arguments: Table };
  QueueUnbind: { queue: string; exchange: string; routingKey: string; arguments: Table };
  QueuePurge: { queue: string; nowait: boolean };
  QueueDelete: { queue: string; ifUnused: boolean; ifEmpty: boolean; nowait: boolean };
  BasicQos: { prefetchSize: number; prefetchCount: number; global: boolean };
  BasicConsume: {
    queue: string;
    consumerTag: string;
    noLocal: boolean;
    noAck: boolean;
    exclusive: boolean;
    nowait: boolean;
    arguments: Table;
  };
  BasicCancel: { consumerTag: string; nowait: boolean };
  BasicPublish: { exchange: string; routingKey: string; mandatory: boolean; immediate: boolean };
  BasicGet: { queue: string; noAck: boolean };
  BasicAck: { deliveryTag: number; multiple: boolean };
  BasicReject: { deliveryTag: number; requeue: boolean };
  BasicNack: { deliveryTag: number; multiple: boolean; requeue: boolean };
  BasicRecover: { requeue: boolean };
  BasicRecoverAsync: { requeue: boolean };
  ConfirmSelect: { nowait: boolean };
  TxSelect: Empty;
  TxCommit: Empty;
  TxRollback: Empty;
}

export interface ServerMethods {
  ConnectionStart: {
    versionMajor: number;
    versionMinor: number;
    serverProperties: Table;
    mechanisms: Buffer;
    locales: Buffer;
  };
  ConnectionTune: { channelMax: number; frameMax: number; heartbeat: number };
  ConnectionOpenOk: { knownHosts: string };
  ConnectionClose: { replyCode: number; replyText: string; classId: number; methodId: number };
  ConnectionCloseOk: Empty;
  ConnectionBlocked: { reason: string };
  ConnectionUnblocked: Empty;
  ConnectionUpdateSecretOk: Empty;
  ChannelOpenOk: { channelId: Buffer };
  ChannelFlowOk: { active: boolean };
  ChannelClose: { replyCode: number; replyText: string; classId: number; methodId: number };
  ChannelCloseOk: Empty;
  AccessRequestOk: { ticket: number };
  ExchangeDeclareOk: Empty;
  ExchangeDeleteOk: Empty;
  ExchangeBindOk: Empty;
  ExchangeUnbindOk: Empty;
  QueueDeclareOk: { queue: string; messageCount: number; consumerCount: number };
  QueueBindOk: Empty;
  QueueUnbindOk: Empty;
  QueuePurgeOk: { messageCount: number };
  QueueDeleteOk: { messageCount: number };
  BasicQosOk: Empty;
  BasicConsumeOk: { consumerTag: string };
  BasicCancel: { consumerTag: string; nowait: boolean };
  BasicCancelOk: { consumerTag: string };
  BasicReturn: { replyCode: number; replyText: string; exchange: string; routingKey: string };
  BasicDeliver: {
    consumerTag: string;
    deliveryTag: number;
    redelivered: boolean;
    exchange: string;
    routingKey: string;
  };
  BasicGetOk: {
    deliveryTag: number;
    redelivered: boolean;
    exchange: string;
    routingKey: string;
    messageCount: number;
  };
  BasicGetEmpty: { clusterId: string };
  BasicAck: { deliveryTag: number; multiple: boolean };
  BasicNack: { deliveryTag: number; multiple: boolean; requeue: boolean };
  BasicRecoverOk: Empty;
  ConfirmSelectOk: Empty;
  TxSelectOk: Empty;
  TxCommitOk: Empty;
  TxRollbackOk: Empty;
}
