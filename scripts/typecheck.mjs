// Type-checks every workspace and the content (chapters, exercises, solutions) against the real client libraries'
// types, with TypeScript's compiler (typescript ~6.0.3: the 7.x native build has no compiler API).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const projects = [
  'protocol',
  'brokers/common',
  'brokers/kafka',
  'brokers/amqp',
  'brokers/pubsub',
  'sandbox-server',
  'web',
  'bench',
  'test/real',
  'real-brokers',
  'tsconfig.content.json',
];
let failed = false;
for (const p of projects) {
  const config = p.endsWith('.json') ? p : `${p}/tsconfig.json`;
  if (!existsSync(config)) continue;
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', config, '--noEmit'], {
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    failed = true;
    console.error(`typecheck failed: ${config}`);
  }
}
process.exit(failed ? 1 : 0);
