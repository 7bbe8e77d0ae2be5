// AMQP errors as RabbitMQ 3.10 reports them: a reply code, a text that starts with the code's name, and whether
// the error closes the channel or the whole connection. Handlers throw these; the channel or connection that ran
// the method turns them into channel.close / connection.close with the failing method's class and method ids.

const names: Record<number, string> = {
  311: 'CONTENT_TOO_LARGE',
  312: 'NO_ROUTE',
  320: 'CONNECTION_FORCED',
  402: 'INVALID_PATH',
  403: 'ACCESS_REFUSED',
  404: 'NOT_FOUND',
  405: 'RESOURCE_LOCKED',
  406: 'PRECONDITION_FAILED',
  501: 'FRAME_ERROR',
  502: 'SYNTAX_ERROR',
  503: 'COMMAND_INVALID',
  504: 'CHANNEL_ERROR',
  505: 'UNEXPECTED_FRAME',
  506: 'RESOURCE_ERROR',
  530: 'NOT_ALLOWED',
  540: 'NOT_IMPLEMENTED',
  541: 'INTERNAL_ERROR',
};

/** Codes that RabbitMQ treats as hard errors: they close the connection, whatever channel they arose on. */
const hard = new Set([320, 402, 501, 502, 503, 504, 505, 506, 530, 540, 541]);

export class AmqpError extends Error {
  readonly scope: 'channel' | 'connection';
  constructor(
    readonly code: number,
    readonly text: string,
  ) {
    super(text);
    this.scope = hard.has(code) ? 'connection' : 'channel';
  }
}

/** `fail(404, "no queue 'q' in vhost '/'")` → 404 `NOT_FOUND - no queue 'q' in vhost '/'`. */
export function fail(code: number, detail: string): AmqpError {
  return new AmqpError(code, `${names[code] ?? 'INTERNAL_ERROR'} - ${detail}`);
}

/** RabbitMQ's `rabbit_misc:rs/1` for the one vhost we serve. */
export function rs(kind: 'queue' | 'exchange', name: string): string {
  return `${kind} '${name}' in vhost '/'`;
}

export const notFound = (kind: 'queue' | 'exchange', name: string) => fail(404, `no ${rs(kind, name)}`);

export const locked = (queue: string) =>
  fail(
    405,
    `cannot obtain exclusive access to locked ${rs('queue', queue)}. It could be originally declared on another ` +
      'connection or the exclusive property value does not match that of the original declaration.',
  );

/** A reply text fits a shortstr: RabbitMQ cuts longer ones to 252 bytes and appends "..." (observed). */
export function replyText(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= 255) return text;
  let cut = 252;
  while (cut > 0 && (bytes[cut]! & 0xc0) === 0x80) cut--;
  return `${bytes.subarray(0, cut).toString('utf8')}...`;
}
