// Which managers run now, and which one leads. With the SQLite store there is
// one manager, and it leads. With etcd every manager is a candidate of one
// election, whose value says who the candidate is and where it listens: the
// candidates alive (their lease renewed) are the reachable managers, and the
// oldest of them leads (DESIGN.md "Store"; etcd-election.ts for the lease).
import type { EtcdStore, Leadership } from '../store/index.js'

/** A running manager: its node and the address its API listens at (host:port). */
export interface ManagerPresence {
  NodeID: string
  Addr: string
}

export interface Membership {
  /** Whether this manager leads now (runs the control loop). */
  readonly isLeader: boolean
  /** Calls `cb` each time isLeader changes; returns the unsubscribe function. */
  onChange(cb: (isLeader: boolean) => void): () => void
  /** The managers running now, the leader first. Throws UnavailableError when the store cannot tell. */
  managers(): Promise<ManagerPresence[]>
  /** Leaves the election, handing the leadership on at once when leading. */
  leave(): Promise<void>
}

/** The election every manager of a cluster campaigns in. */
export const ELECTION = 'managers'

/** The one manager of a SQLite swarm: it always leads. */
export class SoloMembership implements Membership {
  readonly isLeader = true
  constructor(private readonly self: ManagerPresence) {}
  onChange(): () => void {
    return () => undefined
  }

  async managers(): Promise<ManagerPresence[]> {
    return [this.self]
  }

  async leave(): Promise<void> {}
}

/** A manager of an etcd swarm, campaigning from construction until leave(). */
export class EtcdMembership implements Membership {
  private readonly leadership: Leadership

  constructor(private readonly store: EtcdStore, self: ManagerPresence, ttlSeconds: number) {
    this.leadership = store.campaign(ELECTION, ttlSeconds, JSON.stringify(self))
  }

  get isLeader(): boolean {
    return this.leadership.isLeader
  }

  onChange(cb: (isLeader: boolean) => void): () => void {
    return this.leadership.onChange(cb)
  }

  async managers(): Promise<ManagerPresence[]> {
    return presences(await this.store.candidates(ELECTION))
  }

  leave(): Promise<void> {
    return this.leadership.resign()
  }
}

/**
 * The managers of the election's candidate values, in election order, each
 * once (a manager restarted before its old lease expired is a candidate twice:
 * its older key still ranks first).
 */
export function presences(values: string[]): ManagerPresence[] {
  const out: ManagerPresence[] = []
  for (const v of values) {
    let p: Partial<ManagerPresence>
    try {
      p = JSON.parse(v) as Partial<ManagerPresence>
    } catch {
      continue
    }
    if (!p || typeof p !== 'object' || typeof p.NodeID !== 'string' || typeof p.Addr !== 'string' || out.some((o) => o.NodeID === p.NodeID)) continue
    out.push({ NodeID: p.NodeID, Addr: p.Addr })
  }
  return out
}
