// A binary min-heap with a caller-given order (the scheduler's node queue).

/** Min-heap of items ordered by `less`. */
export class MinHeap<T> {
  private readonly items: T[] = []

  constructor(private readonly less: (a: T, b: T) => boolean, items: Iterable<T> = []) {
    for (const item of items) this.push(item)
  }

  /** Number of items held. */
  get size(): number {
    return this.items.length
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
    for (let i = 0; ;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < a.length && this.less(a[l], a[m])) m = l
      if (r < a.length && this.less(a[r], a[m])) m = r
      if (m === i) break
      ;[a[i], a[m]] = [a[m], a[i]]
      i = m
    }
    return top
  }
}
