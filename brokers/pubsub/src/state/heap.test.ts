// The indexed heap against a sorted array as oracle: random inserts, re-keys (up and down), removals and pops keep
// the same order, and every item's slot says whether, and where, it is in the heap.
import { describe, expect, it } from 'vitest';
import { IndexedHeap } from './heap';

interface Item {
  id: number;
  key: number;
  slot: number;
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe('IndexedHeap', () => {
  it.each([1, 2, 3, 4, 5])('keeps the order of a sorted oracle (seed %i)', (seed) => {
    const rand = random(seed);
    const heap = new IndexedHeap<Item>((i) => i.key, 'slot');
    const live = new Set<Item>();
    const items = Array.from({ length: 200 }, (_, id) => ({ id, key: 0, slot: -1 }));
    const smallest = () => [...live].sort((a, b) => a.key - b.key)[0];
    for (let step = 0; step < 5000; step++) {
      const item = items[Math.floor(rand() * items.length)]!;
      const op = rand();
      if (op < 0.4) {
        item.key = Math.floor(rand() * 1000);
        heap.upsert(item);
        live.add(item);
      } else if (op < 0.6) {
        heap.remove(item);
        live.delete(item);
      } else if (op < 0.8) {
        const top = heap.pop();
        const expected = smallest();
        expect(top?.key).toBe(expected?.key);
        if (top) live.delete(top);
      } else {
        expect(heap.peek()?.key).toBe(smallest()?.key);
      }
      // Plain comparisons here: a million expect() calls would take longer than the test's time limit.
      const misplaced = items.filter((i) => heap.has(i) !== live.has(i)).map((i) => i.id);
      if (heap.size !== live.size || misplaced.length > 0) {
        expect({ step, size: heap.size, misplaced }).toEqual({ step, size: live.size, misplaced: [] });
      }
    }
    heap.clear();
    expect(heap.size).toBe(0);
    expect(items.every((i) => i.slot === -1)).toBe(true);
  });
});
