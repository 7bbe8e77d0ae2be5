// A claim to test: "a reactive pipeline that buffers and drops what it cannot handle has backpressure". Below, the
// pipeline the claim describes (collect items for 1 s or until there are 100, pass on only the last of each batch)
// and then one where the producer waits for room in a small buffer. Watch the producer's pace and what arrives.
import { setTimeout as sleep } from 'node:timers/promises';

const WORK_MS = 10; // the consumer's work per item

/** The claim: batches of up to 100 items or 1 s, of which only the last goes on. The producer is never told. */
async function droppingPipeline(items: number) {
  const handled: number[] = [];
  let batch: number[] = [];
  let working: Promise<void> = Promise.resolve();
  const flush = () => {
    const last = batch.at(-1);
    batch = [];
    if (last !== undefined) working = working.then(() => sleep(WORK_MS).then(() => void handled.push(last)));
  };
  const timer = setInterval(flush, 1000);
  const began = performance.now();
  for (let i = 1; i <= items; i++) {
    batch.push(i); // on_next: returns at once, whatever happens downstream
    if (batch.length === 100) flush();
    await sleep(1);
  }
  const producerMs = performance.now() - began;
  clearInterval(timer);
  flush();
  await working;
  return { producerMs, handled };
}

/** A buffer of `size` items whose put() waits while it is full: the producer slows to the consumer's pace. */
function boundedBuffer<T>(size: number) {
  const items: T[] = [];
  let roomFreed = () => {};
  let itemAdded = () => {};
  return {
    async put(item: T) {
      while (items.length >= size) await new Promise<void>((r) => (roomFreed = r));
      items.push(item);
      itemAdded();
    },
    async take(): Promise<T> {
      while (items.length === 0) await new Promise<void>((r) => (itemAdded = r));
      const item = items.shift()!;
      roomFreed();
      return item;
    },
  };
}

async function boundedPipeline(items: number) {
  const buffer = boundedBuffer<number>(10);
  const handled: number[] = [];
  const consumer = (async () => {
    while (handled.length < items) {
      const item = await buffer.take();
      await sleep(WORK_MS);
      handled.push(item);
    }
  })();
  const began = performance.now();
  for (let i = 1; i <= items; i++) {
    await buffer.put(i); // waits while the buffer is full
    await sleep(1);
  }
  const producerMs = performance.now() - began;
  await consumer;
  return { producerMs, handled };
}

for (const [name, run] of [
  ['dropping pipeline (the claim)', droppingPipeline],
  ['bounded buffer (the fix)', boundedPipeline],
] as const) {
  const items = 300;
  const { producerMs, handled } = await run(items);
  const perSecond = Math.round((items / producerMs) * 1000);
  console.log(
    `${name}: the producer emitted ${items} items at ${perSecond}/s; ` +
      `the consumer handled ${handled.length}, ${items - handled.length} were dropped`,
  );
}
