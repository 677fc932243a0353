// A bounded list of the latest events: the oldest drop out once it is full.

/** The newest `size` items pushed, oldest first. */
export class Ring<T> {
  private readonly items: T[] = []

  constructor(private readonly size: number) {}

  push(item: T): void {
    this.items.push(item)
    if (this.items.length > this.size) this.items.splice(0, this.items.length - this.size)
  }

  /** The items kept, oldest first. */
  all(): readonly T[] {
    return this.items
  }
}
