// Health of the real target's brokers (issue 3): one protocol-level round trip per broker under a short deadline, so
// the page can show which broker is up and a run against a broker that is down fails fast, saying which, where and
// how to start it. Kafka: ApiVersions v0; AMQP 0-9-1: protocol header, then connection.start; Pub/Sub emulator: an
// HTTP GET of `/` (the official emulator answers 200 "Ok"). Pure Node: no client library is loaded for a probe.
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import type { BrokerHealth, BrokerKind, Endpoints } from '@msgbook/protocol';

/** Probes the three brokers in parallel; each answer arrives within about `timeoutMs`. */
export function probeBrokers(endpoints: Endpoints, timeoutMs = 1500): Promise<BrokerHealth[]> {
  return Promise.all([
    probeKafka(endpoints.KAFKA_BROKERS, timeoutMs),
    probeAmqp(endpoints.AMQP_URL, timeoutMs),
    probePubsub(endpoints.PUBSUB_EMULATOR_HOST, timeoutMs),
  ]);
}

const names: Record<BrokerKind, string> = {
  kafka: 'Kafka',
  amqp: 'RabbitMQ (AMQP)',
  pubsub: 'The Pub/Sub emulator',
};

/** The learner-facing message for a broker of the real target that does not answer. */
export function describeDown(broker: BrokerKind, address: string): string {
  return (
    `${names[broker]} is not reachable at ${address}. Start the real brokers with ` +
    '`npm run brokers:real -- start` (no Docker needed) or `docker compose up -d`, then run again; ' +
    'or switch to the embedded target.'
  );
}

/** Tries each bootstrap address in turn; the cluster is up when one of them answers ApiVersions. */
async function probeKafka(brokers: string, timeoutMs: number): Promise<BrokerHealth> {
  const addresses = brokers
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  let detail = 'no broker address given';
  for (const address of addresses) {
    const started = performance.now();
    try {
      const { host, port } = hostPort(address, 9092);
      const reply = await exchange(connectTcp(host, port), apiVersionsRequest, kafkaFrameLength, timeoutMs);
      const ms = Math.round(performance.now() - started);
      detail = readApiVersions(reply, ms);
      if (reply.readInt16BE(8) === 0) return { broker: 'kafka', address: brokers, up: true, detail };
    } catch (e) {
      detail = `${address}: ${reason(e, timeoutMs)}`;
    }
  }
  return { broker: 'kafka', address: brokers, up: false, detail };
}

// ApiVersions v0: size 17, api_key 18, api_version 0, correlation_id 1, client_id "msgbook" (length 7).
const apiVersionsRequest = Buffer.concat([
  Buffer.from([0, 0, 0, 17, 0, 18, 0, 0, 0, 0, 0, 1, 0, 7]),
  Buffer.from('msgbook'),
]);

function kafkaFrameLength(buf: Buffer): number | undefined {
  return buf.length >= 4 ? 4 + buf.readInt32BE(0) : undefined;
}

function readApiVersions(reply: Buffer, ms: number): string {
  if (reply.length < 10 || reply.readInt32BE(4) !== 1)
    return 'answered, but not with an ApiVersions response';
  const error = reply.readInt16BE(8);
  if (error !== 0) return `ApiVersions answered with error code ${error}`;
  const count = reply.length >= 14 ? reply.readInt32BE(10) : 0;
  return `ApiVersions answered in ${ms} ms (${count} APIs)`;
}

async function probeAmqp(url: string, timeoutMs: number): Promise<BrokerHealth> {
  let address = url;
  const started = performance.now();
  try {
    const u = new URL(url);
    const secure = u.protocol === 'amqps:';
    if (!secure && u.protocol !== 'amqp:') throw new Error(`not an AMQP URL (${u.protocol})`);
    const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(u.port || (secure ? 5671 : 5672));
    address = `${u.protocol}//${u.host}${u.pathname.length > 1 ? u.pathname : ''}`; // no credentials on screen
    const socket = secure ? connectTls(host, port) : connectTcp(host, port);
    const reply = await exchange(
      socket,
      Buffer.from('AMQP\x00\x00\x09\x01', 'latin1'),
      amqpFrameLength,
      timeoutMs,
    );
    const ms = Math.round(performance.now() - started);
    const start = readConnectionStart(reply);
    if (!start.ok) return { broker: 'amqp', address, up: false, detail: start.detail };
    return {
      broker: 'amqp',
      address,
      up: true,
      detail: `${start.detail} answered connection.start in ${ms} ms`,
    };
  } catch (e) {
    return { broker: 'amqp', address, up: false, detail: reason(e, timeoutMs) };
  }
}

// A server that does not speak 0-9-1 answers with its own 8-byte protocol header and closes.
function amqpFrameLength(buf: Buffer): number | undefined {
  if (buf.length >= 4 && buf.toString('latin1', 0, 4) === 'AMQP') return 8;
  return buf.length >= 7 ? 7 + buf.readUInt32BE(3) + 1 : undefined;
}

/** Frame type 1 on channel 0 holding connection.start (class 10, method 10); product and version from its table. */
function readConnectionStart(frame: Buffer): { ok: boolean; detail: string } {
  if (frame.toString('latin1', 0, 4) === 'AMQP') {
    return { ok: false, detail: `the server wants AMQP ${frame[5]}-${frame[6]}-${frame[7]}, not 0-9-1` };
  }
  if (
    frame[0] !== 1 ||
    frame.readUInt16BE(1) !== 0 ||
    frame.readUInt16BE(7) !== 10 ||
    frame.readUInt16BE(9) !== 10
  ) {
    return { ok: false, detail: 'answered, but not with connection.start' };
  }
  const props = readTable(frame, 13);
  const product = [props.get('product'), props.get('version')].filter(Boolean).join(' ');
  return { ok: true, detail: product || 'the server' };
}

/** The long strings of an AMQP field table; stops at the first type it does not need to understand. */
function readTable(buf: Buffer, at: number): Map<string, string> {
  const out = new Map<string, string>();
  const end = Math.min(buf.length, at + 4 + buf.readUInt32BE(at));
  let i = at + 4;
  while (i < end) {
    const nameLength = buf[i] ?? 0;
    const name = buf.toString('utf8', i + 1, i + 1 + nameLength);
    const type = String.fromCharCode(buf[i + 1 + nameLength] ?? 0);
    i += 2 + nameLength;
    if (type === 'S' || type === 'F' || type === 'A' || type === 'x') {
      const length = buf.readUInt32BE(i);
      if (type === 'S') out.set(name, buf.toString('utf8', i + 4, i + 4 + length));
      i += 4 + length;
    } else if (type === 't' || type === 'b' || type === 'B') i += 1;
    else break;
  }
  return out;
}

function probePubsub(hostAndPort: string, timeoutMs: number): Promise<BrokerHealth> {
  const address = hostAndPort;
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (up: boolean, detail: string) => resolve({ broker: 'pubsub', address, up, detail });
    let target: { host: string; port: number };
    try {
      target = hostPort(hostAndPort, 8085);
    } catch (e) {
      return done(false, reason(e, timeoutMs));
    }
    const req = http.get({ host: target.host, port: target.port, path: '/', timeout: timeoutMs }, (res) => {
      res.resume();
      const ms = Math.round(performance.now() - started);
      const status = res.statusCode ?? 0;
      done(status === 200, `HTTP ${status} in ${ms} ms`);
      req.destroy();
    });
    req.on('timeout', () => req.destroy(new TimeoutError()));
    req.on('error', (e) => done(false, reason(e, timeoutMs)));
  });
}

class TimeoutError extends Error {}

function connectTcp(host: string, port: number): net.Socket {
  return net.connect({ host, port });
}

function connectTls(host: string, port: number): net.Socket {
  return tls.connect({ host, port, servername: net.isIP(host) ? undefined : host });
}

/** Writes `request` once connected, reads until `frameLength` says the reply is complete, then hangs up. */
function exchange(
  socket: net.Socket,
  request: Buffer,
  frameLength: (buf: Buffer) => number | undefined,
  timeoutMs: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    let settled = false;
    const timer = setTimeout(() => finish(new TimeoutError()), timeoutMs);
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(buf);
    };
    socket.once(socket instanceof tls.TLSSocket ? 'secureConnect' : 'connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const length = frameLength(buf);
      if (length !== undefined && buf.length >= length) finish();
    });
    socket.on('error', (e) => finish(e));
    socket.on('close', () => finish(new Error(`closed the connection after ${buf.length} bytes`)));
  });
}

function hostPort(address: string, defaultPort: number): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d+))?$/.exec(address.trim());
  if (!m) throw new Error(`cannot read "${address}" as host:port`);
  return { host: (m[1] ?? m[2]) as string, port: m[3] ? Number(m[3]) : defaultPort };
}

function reason(e: unknown, timeoutMs: number): string {
  if (e instanceof TimeoutError) return `no answer within ${timeoutMs} ms`;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'connection refused (nothing listens there)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host name not found';
  return e instanceof Error ? e.message : String(e);
}
