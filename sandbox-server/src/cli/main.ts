// The `msgbook` commands (design.md §1): start, run, brokers. Each lives in its own file; this one parses the
// command line and dispatches, printing a usage line for anything it does not know.
import { runStart } from './start';
import { runRun } from './run';
import { runBrokers } from './brokers';
import { runVerify } from './verify';
import { runGrade } from './grade';

const USAGE = `usage:
  msgbook start [--port N] [--host H] [--target embedded|real] [--content DIR]
  msgbook run FILE.ts [--target embedded|real] [--time-limit 10s]
  msgbook grade EXERCISE [--file F | --dir DIR [--csv OUT]] [--json] [--target embedded|real]
  msgbook verify [--target embedded|real] [--only snippets|exercises|NN-slug] [--content DIR]
  msgbook brokers [--kafka-port 9092] [--amqp-port 5672] [--pubsub-port 8085] [--only kafka,amqp,pubsub]`;

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'start':
        return await runStart(rest);
      case 'run':
        return await runRun(rest);
      case 'brokers':
        return await runBrokers(rest);
      case 'grade':
        return await runGrade(rest);
      case 'verify':
        return await runVerify(rest);
      case undefined:
      case 'help':
      case '--help':
        console.log(USAGE);
        return;
      default:
        console.error(`msgbook: unknown command ${command}\n${USAGE}`);
        process.exitCode = 2;
    }
  } catch (err) {
    console.error(`msgbook ${command}: ${(err as Error).message}`);
    process.exitCode = 2;
  }
}
