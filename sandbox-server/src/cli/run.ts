// `msgbook run FILE.ts`: runs one snippet exactly as the sandbox would (same transpiler, confinement, limits and
// endpoints), from a terminal. A chapter snippet gets the time limit its chapter declares.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { durationMs, Target, type Endpoints } from '@msgbook/protocol';
import { BrokerHost } from '../brokers/host';
import { ChapterStore } from '../content/chapters';
import { launch } from '../runner/launch';
import { brokersUsed, realEndpoints } from '../runner/env';
import { DEFAULT_LIMITS } from '../config';

export async function runRun(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { target: { type: 'string' }, 'time-limit': { type: 'string' } },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new Error('give exactly one FILE.ts');
  const code = await readFile(file, 'utf8');
  const target = Target.parse(values.target ?? process.env.MSGBOOK_TARGET ?? 'embedded');
  const timeLimitMs = values['time-limit'] ? durationMs(values['time-limit']) : await declaredTimeLimit(file);
  const fixedEndpoints = endpointsFromEnv();
  const needsHost = target === 'embedded' && !fixedEndpoints && brokersUsed(code).length > 0;
  const host = needsHost ? new BrokerHost() : undefined;
  await host?.start();
  try {
    const run = await launch(
      { sessionId: 'cli', target, limits: DEFAULT_LIMITS, host, fixedEndpoints },
      [{ name: path.basename(file), code }],
      timeLimitMs,
      (stream, data) => (stream === 'stdout' ? process.stdout : process.stderr).write(data),
    );
    const stop = () => run.stop('stopped');
    process.once('SIGINT', stop);
    const outcome = await run.done;
    process.off('SIGINT', stop);
    if (outcome.message) process.stderr.write(`\nmsgbook: ${outcome.message}\n`);
    process.exitCode = outcome.code ?? (outcome.reason === 'time-limit' ? 124 : 1);
  } finally {
    await host?.stop();
  }
}

/** `msgbook run` with the endpoint variables set uses them as they are (design.md §2). */
function endpointsFromEnv(env = process.env): Endpoints | undefined {
  if (!env.KAFKA_BROKERS && !env.AMQP_URL && !env.PUBSUB_EMULATOR_HOST) return undefined;
  const real = realEndpoints({});
  return {
    KAFKA_BROKERS: env.KAFKA_BROKERS || real.KAFKA_BROKERS,
    AMQP_URL: env.AMQP_URL || real.AMQP_URL,
    PUBSUB_EMULATOR_HOST: env.PUBSUB_EMULATOR_HOST || real.PUBSUB_EMULATOR_HOST,
    PUBSUB_PROJECT_ID: env.PUBSUB_PROJECT_ID || real.PUBSUB_PROJECT_ID,
  };
}

async function declaredTimeLimit(file: string): Promise<number> {
  const abs = path.resolve(file);
  const m = /^(.*)[/\\]chapters[/\\](\d\d-[a-z0-9-]+)[/\\](snippets[/\\][^/\\]+\.ts)$/.exec(abs);
  if (m) {
    const chapter = await new ChapterStore(path.join(m[1]!, 'chapters')).get(m[2]!);
    const snippet = chapter?.snippets.find((s) => s.file === m[3]!.replace(/\\/g, '/'));
    if (snippet) return snippet.timeLimitMs;
  }
  return DEFAULT_LIMITS.defaultTimeLimitMs;
}
