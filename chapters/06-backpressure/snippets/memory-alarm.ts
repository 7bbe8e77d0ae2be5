// When RabbitMQ runs short of memory it raises an alarm and stops reading from every connection that publishes,
// telling each one with connection.blocked. The publisher's messages are held, not lost, and flow again once the
// alarm clears. msgbook gives each run a control endpoint that raises the alarm; outside msgbook, you raise it with
// `rabbitmqctl set_vm_memory_high_watermark 0` and clear it with `rabbitmqctl set_vm_memory_high_watermark 0.4`.
import amqp from 'amqplib';
import { once } from 'node:events';
import { createInterface } from 'node:readline/promises';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@localhost:5672';
const control = process.env.MSGBOOK_CONTROL_URL;
const began = Date.now();
const at = () => `${String(Date.now() - began).padStart(4)} ms`;
const QUEUE = 'backpressure.memory-alarm.orders';

/** Raises or clears the broker's memory alarm, through msgbook's control endpoint or by asking you to. */
async function memoryAlarm(raised: boolean): Promise<void> {
  if (!control) {
    // Outside msgbook you play the control endpoint's part, in another terminal.
    const prompt = createInterface({ input: process.stdin, output: process.stdout });
    await prompt.question(
      `run \`rabbitmqctl set_vm_memory_high_watermark ${raised ? '0' : '0.4'}\`, then press Enter `,
    );
    prompt.close();
    return;
  }
  const response = await fetch(`${control}/amqp/memory-alarm`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ raised }),
  });
  if (!response.ok)
    throw new Error(`the control endpoint answered ${response.status}: ${await response.text()}`);
  console.log(`${at()}  memory alarm ${raised ? 'raised' : 'cleared'}`);
}

const publisher = await amqp.connect(url);
const observer = await amqp.connect(url); // never publishes, so the alarm leaves it alone
const channel = await publisher.createConfirmChannel();
const look = await observer.createChannel();
await look.deleteQueue(QUEUE); // an earlier run that crashed may have left it behind
await look.assertQueue(QUEUE, { durable: true });

let observerBlocked = false;
observer.on('blocked', () => (observerBlocked = true));
const blocked = once(publisher, 'blocked');

await memoryAlarm(true);
console.log(`${at()}  publishing order-1`);
const confirmed = new Promise<void>((resolve) =>
  channel.sendToQueue(QUEUE, Buffer.from('order-1'), {}, () => {
    console.log(`${at()}  order-1 confirmed by the broker`);
    resolve();
  }),
);
const [reason] = (await blocked) as [string];
console.log(`${at()}  publisher: connection.blocked ("${reason}")`);
const held = (await look.checkQueue(QUEUE)).messageCount;
console.log(
  `${at()}  the queue holds ${held} messages; the observer, which does not publish, was blocked: ${observerBlocked}`,
);

const unblocked = once(publisher, 'unblocked');
await memoryAlarm(false);
await unblocked;
console.log(`${at()}  publisher: connection.unblocked`);
await confirmed;
console.log(
  `${at()}  the queue holds ${(await look.checkQueue(QUEUE)).messageCount} message: held, not lost`,
);

await look.deleteQueue(QUEUE);
await publisher.close();
await observer.close();
