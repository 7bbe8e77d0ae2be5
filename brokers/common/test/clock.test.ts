// The clocks broker logic reads time from: the real one never fires a long timer early (Node's own timers would,
// past 2^31-1 ms), and the virtual one fires due timers in deadline order only when advanced.
import { describe, expect, it, vi } from 'vitest';
import { realClock, VirtualClock } from '../src/clock';

describe('realClock', () => {
  it('waits the whole of a wait longer than Node timers allow (a 31-day expiry)', () => {
    vi.useFakeTimers();
    try {
      const fired = vi.fn();
      realClock.setTimeout(fired, 31 * 24 * 3600_000);
      vi.advanceTimersByTime(30 * 24 * 3600_000);
      expect(fired).not.toHaveBeenCalled();
      vi.advanceTimersByTime(24 * 3600_000);
      expect(fired).toHaveBeenCalledOnce();
    } finally {
      vi.useRealTimers();
    }
  });

  it('cancels a chained long wait', () => {
    vi.useFakeTimers();
    try {
      const fired = vi.fn();
      const t = realClock.setTimeout(fired, 40 * 24 * 3600_000);
      vi.advanceTimersByTime(30 * 24 * 3600_000);
      t.cancel();
      vi.advanceTimersByTime(20 * 24 * 3600_000);
      expect(fired).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('VirtualClock', () => {
  it('fires due timers in deadline order when advanced', () => {
    const clock = new VirtualClock(0);
    const order: string[] = [];
    clock.setTimeout(() => order.push('b'), 20);
    clock.setTimeout(() => order.push('a'), 10);
    clock.setTimeout(() => order.push('late'), 100);
    clock.advance(50);
    expect(order).toEqual(['a', 'b']);
    expect(clock.now()).toBe(50);
  });
});
