// Two event buses you will meet in tutorials, and what they really do with async subscribers.
// Both keep the subscribers in a list and call them in a loop from publish(); only the loop differs.
import { setTimeout as sleep } from 'node:timers/promises';

type Subscriber = (orderId: number) => Promise<void>;

const subscribers: Subscriber[] = [
  async (id) => {
    await sleep(800);
    console.log(`  inventory: reserved stock for order ${id}`);
  },
  async (id) => {
    await sleep(1500);
    console.log(`  email: confirmation sent for order ${id}`);
  },
  async (id) => {
    await sleep(300);
    throw new Error(`analytics database is down (order ${id})`);
  },
];

// Bus 1 awaits each subscriber in turn and catches what goes wrong.
async function publishAwaiting(orderId: number): Promise<void> {
  for (const handle of subscribers) {
    try {
      await handle(orderId);
    } catch (err) {
      console.log(`  bus 1: a subscriber failed: ${(err as Error).message}`);
    }
  }
}

// Bus 2 calls each subscriber without awaiting it, inside a try/catch that looks like it protects the caller.
function publishAndForget(orderId: number): void {
  for (const handle of subscribers) {
    try {
      void handle(orderId); // returns a promise at once; its rejection comes later, outside this try
    } catch (err) {
      console.log(`  bus 2: a subscriber failed: ${(err as Error).message}`); // never runs
    }
  }
}

let t = performance.now();
await publishAwaiting(1);
console.log(`bus 1 (awaits each subscriber): checkout answered in ${Math.round(performance.now() - t)} ms\n`);

t = performance.now();
publishAndForget(2);
console.log(`bus 2 (fire and forget): checkout answered in ${Math.round(performance.now() - t)} ms`);
console.log('  ...and 300 ms from now the analytics subscriber rejects, with nobody to catch it:');

process.on('exit', (code) => {
  console.log(
    `\nprocess exiting with code ${code} on an unhandled rejection: inventory and e-mail for order 2 never happened,`,
  );
  console.log('and a checkout service running in this process would have gone down with them.');
});
