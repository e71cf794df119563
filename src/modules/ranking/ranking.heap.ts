/**
 * The best `capacity` items of a stream, in O(capacity) memory and O(log capacity) per
 * item: a binary min-heap whose root is the worst item kept. A new item either loses to
 * the root (dropped at once: the common case over a long stream) or replaces it and
 * sinks to its place. `order(a, b)` is negative when a ranks before (is better than) b.
 */
export class TopN<T> {
  private readonly heap: T[] = [];

  constructor(
    private readonly capacity: number,
    private readonly order: (a: T, b: T) => number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError('capacity must be a non-negative integer');
  }

  get size(): number {
    return this.heap.length;
  }

  /** The worst item kept once full (the one a newcomer must beat), else undefined: anything is admitted. */
  get threshold(): T | undefined {
    return this.heap.length === this.capacity ? this.heap[0] : undefined;
  }

  /** True when the item was kept (for now). */
  offer(item: T): boolean {
    if (this.heap.length < this.capacity) {
      this.heap.push(item);
      this.siftUp(this.heap.length - 1);
      return true;
    }
    if (this.capacity === 0 || this.order(item, this.heap[0]!) >= 0) return false;
    this.heap[0] = item;
    this.siftDown(0);
    return true;
  }

  /** The items kept, best first. */
  sorted(): T[] {
    return [...this.heap].sort(this.order);
  }

  /** True when a ranks after b: a belongs nearer the root. */
  private worse(a: T, b: T): boolean {
    return this.order(a, b) > 0;
  }

  private siftUp(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.worse(h[i]!, h[parent]!)) return;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const h = this.heap;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < h.length && this.worse(h[left]!, h[worst]!)) worst = left;
      if (right < h.length && this.worse(h[right]!, h[worst]!)) worst = right;
      if (worst === i) return;
      [h[i], h[worst]] = [h[worst]!, h[i]!];
      i = worst;
    }
  }
}
