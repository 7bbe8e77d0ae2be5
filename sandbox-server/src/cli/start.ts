// `msgbook start` (npm start): serves the workbook and the sandbox on one port and prints the ready line with a
// fresh token. Loopback by default; any other address only when asked for with HOST or --host.
import { parseArgs } from 'node:util';
import path from 'node:path';
import { Target } from '@msgbook/protocol';
import { startServer } from '../server';
import { DEFAULT_HOST, DEFAULT_PORT, isLoopback } from '../config';
import { selfCheck } from './self-check';

export async function runStart(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      target: { type: 'string' },
      content: { type: 'string' },
    },
  });
  const host = values.host || process.env.HOST || DEFAULT_HOST;
  const port = Number(values.port || process.env.PORT || DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`invalid port ${values.port ?? process.env.PORT}`);
  const target = Target.parse(values.target ?? process.env.MSGBOOK_TARGET ?? 'embedded');
  const server = await startServer({
    host,
    port,
    target,
    contentRoot: values.content ? path.resolve(values.content) : undefined,
    // A fresh token at every start, unless a workshop keeps one across restarts so open pages reconnect.
    token: process.env.MSGBOOK_TOKEN || undefined,
  });
  if (!isLoopback(host)) {
    console.log(
      `msgbook: listening on ${host}, not only this machine: anyone who can reach it and has the token can run code here`,
    );
  }
  console.log(`msgbook ready at ${server.url}`);
  if (target === 'real')
    console.log(
      'msgbook: snippets run against the real brokers (MSGBOOK_REAL_* or the docker-compose addresses)',
    );
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  const problem = await selfCheck(server.host);
  if (problem) console.error(`msgbook: the sandbox self-check failed: ${problem}`);
}
