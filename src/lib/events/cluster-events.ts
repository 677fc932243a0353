// The swarm's events, derived on every manager from the store's watch (so a
// follower on etcd sees the same events as the leader), with the last
// RING_SIZE kept for `since`. The store's watch says what changed but, for a
// remove or an update, not what it was: the last version of each service, node
// and network is kept here to name removed objects and to compare updates.
import type { Kind, Store, StoreEvent } from '../store/index.js'
import type { StoredObject } from '../types/index.js'
import type { EventFilter } from './filter.js'
import { deriveEvent, unknownRemoved, type ClusterEvent, type EventMessage, type EventType } from './message.js'
import { Ring } from './ring.js'

/** How many events each manager keeps for `since` (dockerd keeps 256). */
export const RING_SIZE = 1024

const TYPES: Partial<Record<Kind, EventType>> = { service: 'service', node: 'node', network: 'network' }

/** A subscriber's callback: every event as it happens. */
export type EventListener = (event: ClusterEvent) => void

export class ClusterEvents {
  private readonly ring = new Ring<ClusterEvent>(RING_SIZE)
  private readonly last = new Map<string, StoredObject>()
  private readonly listeners = new Set<EventListener>()
  private readonly changes = new Set<(change: StoreEvent) => void>()
  private unwatch?: () => void

  constructor(private readonly store: Store, private readonly now: () => number = Date.now) {}

  /** Watches the store; the objects there now are the base of the first updates and removes. */
  async start(): Promise<void> {
    const early: StoreEvent[] = []
    let ready = false
    this.unwatch = this.store.watch((e) => (ready ? this.apply(e) : early.push(e)))
    for (const kind of Object.keys(TYPES) as Kind[]) {
      for (const obj of await this.store.list(kind)) if (!this.last.has(key(kind, obj.ID))) this.last.set(key(kind, obj.ID), obj)
    }
    ready = true
    for (const e of early) this.apply(e)
  }

  stop(): void {
    this.unwatch?.()
    this.listeners.clear()
    this.changes.clear()
  }

  /** Calls `fn` with every new event; returns the unsubscribe function. */
  subscribe(fn: EventListener): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  /** Calls `fn` after every store change of any kind (tasks too), for live views; returns the unsubscribe function. */
  onChange(fn: (change: StoreEvent) => void): () => void {
    this.changes.add(fn)
    return () => this.changes.delete(fn)
  }

  /** The events kept whose time is within [since, until] (ms; either may be left out) and that pass `filter`, oldest first. */
  recent(filter: EventFilter, since = -Infinity, until = Infinity): EventMessage[] {
    return this.ring.all().filter((e) => e.ms >= since && e.ms <= until && filter(e)).map((e) => e.message)
  }

  private apply(change: StoreEvent): void {
    this.tell(this.changes, change)
    const type = TYPES[change.kind]
    if (!type) return
    const k = key(change.kind, change.id)
    const old = this.last.get(k)
    let event: ClusterEvent | undefined
    if (change.action === 'delete') {
      this.last.delete(k)
      event = old ? deriveEvent(type, 'remove', old, undefined, this.now()) : unknownRemoved(type, change.id, this.now())
    } else if (change.object) {
      this.last.set(k, change.object)
      event = deriveEvent(type, change.action, change.object, old, this.now())
    }
    if (!event) return
    this.ring.push(event)
    this.tell(this.listeners, event)
  }

  // One failing listener (a closed stream) must not keep the event from the others.
  private tell<T>(fns: Set<(x: T) => void>, x: T): void {
    for (const fn of fns) {
      try {
        fn(x)
      } catch { /* the listener's own problem */ }
    }
  }
}

const key = (kind: Kind, id: string) => `${kind}/${id}`
