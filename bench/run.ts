// `npm run bench`: every benchmark, printed as one Markdown table for BENCHMARKS.md. Kept out of the test suite.
// `npm run bench -- sandbox` runs only the named ones.
import os from 'node:os';
import { benchSandbox, root } from './sandbox';
import { benchGrading } from './grading';
import { benchAmqp } from './amqp';
import { benchKafka } from './kafka';
import { benchPubsub } from './pubsub';
import type { Row } from './lib';

const benches: Record<string, (root: string) => Promise<Row[]>> = {
  sandbox: benchSandbox,
  grading: benchGrading,
  amqp: benchAmqp,
  kafka: benchKafka,
  pubsub: benchPubsub,
};

const wanted = process.argv.slice(2);
const rows: Row[] = [];
for (const [name, bench] of Object.entries(benches)) {
  if (wanted.length && !wanted.includes(name)) continue;
  console.error(`running ${name}…`);
  rows.push(...(await bench(root)));
}
console.log(
  `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load ${os.loadavg()[0]!.toFixed(1)}\n`,
);
console.log('| benchmark | msgbook | anchor | ratio (median, spread) | target |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.bench} | ${r.subject} | ${r.anchor} | ${r.ratio} | ${r.target} |`);
