// A consumer in its own process, for the crash scenario: it joins the group named on the command line, prints
// `joined` with its assignment on every GROUP_JOIN, and runs until it is killed, so it never sends LeaveGroup.
// Usage: node --import tsx crash-member.ts <brokers> <groupId> <topic>
import { Kafka, logLevel } from 'kafkajs';
import { FAST } from './consumers';

const [brokers, groupId, topic] = process.argv.slice(2);
const kafka = new Kafka({
  clientId: 'crash-member',
  brokers: brokers!.split(','),
  logLevel: logLevel.NOTHING,
});
const consumer = kafka.consumer({ ...FAST, groupId: groupId! });
consumer.on(consumer.events.GROUP_JOIN, (e) => {
  process.stdout.write(`joined ${JSON.stringify(e.payload.memberAssignment)}\n`);
});
await consumer.connect();
await consumer.subscribe({ topic: topic!, fromBeginning: true });
await consumer.run({ eachMessage: async () => {} });
