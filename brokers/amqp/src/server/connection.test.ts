// Heartbeats both ways on a virtual clock: the broker beats when it has been silent for half the negotiated
// interval and drops a peer that has been silent for two intervals, so these tests take milliseconds, not minutes.
import { VirtualClock } from '@msgbook/broker-common';
import { afterEach, describe, expect, it } from 'vitest';
import { ScriptedPeer } from '../../test/scripted-peer';
import { AmqpBroker } from '../broker';

let broker: AmqpBroker | undefined;
afterEach(async () => {
  await broker?.stop();
  broker = undefined;
});

describe('heartbeats', () => {
  it('sends a heartbeat after heartbeat/2 s of its own silence', async () => {
    const clock = new VirtualClock();
    broker = await AmqpBroker.start({ clock });
    const p = await ScriptedPeer.open(broker.address.port, { heartbeat: 2 });
    clock.advance(999);
    p.method('ChannelOpen', 1, { outOfBand: '' });
    await p.expect('ChannelOpenOk');
    clock.advance(1);
    // The broker wrote open-ok at t=999, so the tick at t=1000 has nothing to cover; the one at t=2000 does.
    clock.advance(1000);
    expect(await p.next()).toEqual({ type: 'heartbeat', channel: 0 });
    p.close();
  });

  it('keeps a peer whose heartbeats arrive and drops one silent for two intervals', async () => {
    const clock = new VirtualClock();
    broker = await AmqpBroker.start({ clock });
    const p = await ScriptedPeer.open(broker.address.port, { heartbeat: 1 });
    let closed = false;
    void p.closed.then(() => (closed = true));
    for (let i = 0; i < 5; i++) {
      clock.advance(500);
      p.heartbeat();
      // A round trip proves the broker read the heartbeat before time moves on.
      p.method('ChannelOpen', i + 1, { outOfBand: '' });
      let f = await p.next();
      while (f?.type === 'heartbeat') f = await p.next();
      expect(f).toMatchObject({ name: 'ChannelOpenOk', channel: i + 1 });
    }
    expect(closed).toBe(false);
    expect(broker.connections.size).toBe(1);
    clock.advance(2000);
    await p.closed;
    expect(broker.snapshot().connections).toEqual([]);
  });

  it('runs no heartbeat timer when the client turns heartbeats off', async () => {
    const clock = new VirtualClock();
    broker = await AmqpBroker.start({ clock });
    const p = await ScriptedPeer.open(broker.address.port, { heartbeat: 0 });
    clock.advance(3_600_000);
    p.method('ChannelOpen', 1, { outOfBand: '' });
    expect(await p.next()).toMatchObject({ name: 'ChannelOpenOk' });
    p.close();
  });
});
