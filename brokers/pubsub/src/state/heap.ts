// An indexed binary min-heap: each item remembers its position (in its own slot field), so the pump can remove an
// acked lease or re-key a modacked deadline in O(log n) instead of scanning every unacked message on each pass. The
// pump keeps three of them per subscription: messages ready to deliver (by publish order), messages backing off (by
// the end of their backoff), and leases (by deadline); the clock timer is armed for the earliest head.

/** The field of an item that holds its index in the heap, -1 when it is not in it. */
export type Slot<T> = { [K in keyof T]: T[K] extends number ? K : never }[keyof T];

export class IndexedHeap<T> {
  private readonly items: T[] = [];

  constructor(
    private readonly key: (item: T) => number,
    private readonly slot: Slot<T>,
  ) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  has(item: T): boolean {
    return (item[this.slot] as number) >= 0;
  }

  /** Adds the item, or moves it to where its (changed) key now belongs. */
  upsert(item: T): void {
    const i = item[this.slot] as number;
    if (i >= 0) {
      this.up(i);
      this.down(item[this.slot] as number);
      return;
    }
    this.items.push(item);
    this.setIndex(item, this.items.length - 1);
    this.up(this.items.length - 1);
  }

  pop(): T | undefined {
    const top = this.items[0];
    if (top !== undefined) this.remove(top);
    return top;
  }

  remove(item: T): void {
    const i = item[this.slot] as number;
    if (i < 0) return;
    const last = this.items.pop()!;
    this.setIndex(item, -1);
    if (i === this.items.length) return;
    this.items[i] = last;
    this.setIndex(last, i);
    this.up(i);
    this.down(last[this.slot] as number);
  }

  /** Empties the heap, marking every item as out of it. */
  clear(): void {
    for (const item of this.items) this.setIndex(item, -1);
    this.items.length = 0;
  }

  private setIndex(item: T, i: number): void {
    (item as Record<Slot<T>, number>)[this.slot] = i;
  }

  private up(i: number): void {
    const items = this.items;
    const item = items[i]!;
    const k = this.key(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (this.key(p) <= k) break;
      items[i] = p;
      this.setIndex(p, i);
      i = parent;
    }
    items[i] = item;
    this.setIndex(item, i);
  }

  private down(i: number): void {
    const items = this.items;
    const n = items.length;
    const item = items[i]!;
    const k = this.key(item);
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.key(items[r]!) < this.key(items[l]!) ? r : l;
      const child = items[c]!;
      if (this.key(child) >= k) break;
      items[i] = child;
      this.setIndex(child, i);
      i = c;
    }
    items[i] = item;
    this.setIndex(item, i);
  }
}
