// A binary min-heap with a caller-given order (the scheduler's node queues).

/** Min-heap of items ordered by `less`. */
export class MinHeap<T> {
  private readonly items: T[]

  /** Builds the heap from `items` in linear time. */
  constructor(private readonly less: (a: T, b: T) => boolean, items: Iterable<T> = []) {
    this.items = [...items]
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.down(i)
  }

  /** Number of items held. */
  get size(): number {
    return this.items.length
  }

  /** The least item, left in place, or undefined when empty. */
  peek(): T | undefined {
    return this.items[0]
  }

  /** Adds an item. */
  push(item: T): void {
    const a = this.items
    a.push(item)
    let i = a.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.less(a[i], a[parent])) break
      ;[a[i], a[parent]] = [a[parent], a[i]]
      i = parent
    }
  }

  /** Removes and returns the least item, or undefined when empty. */
  pop(): T | undefined {
    const a = this.items
    const top = a[0]
    const last = a.pop()
    if (a.length === 0 || last === undefined) return top
    a[0] = last
    this.down(0)
    return top
  }

  /** Replaces the least item by `item` (pop then push, in one sift); the least item's rank may have grown. */
  replaceTop(item: T): void {
    if (this.items.length === 0) {
      this.items.push(item)
      return
    }
    this.items[0] = item
    this.down(0)
  }

  private down(start: number): void {
    const a = this.items
    for (let i = start; ;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < a.length && this.less(a[l], a[m])) m = l
      if (r < a.length && this.less(a[r], a[m])) m = r
      if (m === i) break
      ;[a[i], a[m]] = [a[m], a[i]]
      i = m
    }
  }
}
