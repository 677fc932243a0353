// Leader election on etcd for managers sharing an EtcdStore: etcd3's Election,
// whose candidates each hold a key under a lease. The oldest key leads; a
// leader that resigns revokes its lease and the next candidate leads at once,
// one that dies stops renewing and its lease expires after the TTL.
//
// A candidate that cannot renew its lease must not go on believing it leads:
// etcd3 only reports the lease lost after twice its TTL, while etcd hands the
// leadership on after one. So a leader whose last renewal is older than 3/4
// of the TTL (renewals go every 1/3) steps down, and campaigns again.
import type { EventEmitter } from 'node:events'
import type * as Etcd3Module from 'etcd3'

/** One candidate's standing in an election (EtcdStore.campaign). */
export interface Leadership {
  /** Whether this candidate leads now. */
  readonly isLeader: boolean
  /** Calls `cb` each time isLeader changes; returns the unsubscribe function. */
  onChange(cb: (isLeader: boolean) => void): () => void
  /** Leaves the election (handing leadership on at once if leading). */
  resign(): Promise<void>
}

/** How long after an error or a step-down a candidate campaigns again (ms). */
const RECAMPAIGN_MS = 1000

export class EtcdLeadership implements Leadership {
  private leader = false
  private stopped = false
  private campaign?: Etcd3Module.Campaign
  private watchdog?: NodeJS.Timeout
  private retry?: NodeJS.Timeout
  private readonly listeners = new Set<(isLeader: boolean) => void>()

  constructor(
    private readonly election: Etcd3Module.Election,
    private readonly value: string,
    private readonly ttlSeconds: number,
    private readonly mapError: (err: unknown) => unknown,
    private readonly onStop: () => void,
  ) {
    this.start()
  }

  get isLeader(): boolean {
    return this.leader
  }

  onChange(cb: (isLeader: boolean) => void): () => void {
    this.listeners.add(cb)
    return () => this.listeners.delete(cb)
  }

  async resign(): Promise<void> {
    const campaign = this.stop()
    try {
      await campaign?.resign()
    } catch (err) {
      throw this.mapError(err)
    }
  }

  /** Stops without resigning (the store is closing): the lease is left to expire. */
  abandon(): void {
    const campaign = this.stop()
    if (campaign) leaseOf(campaign)?.close()
  }

  private stop(): Etcd3Module.Campaign | undefined {
    this.stopped = true
    clearTimeout(this.retry)
    clearTimeout(this.watchdog)
    this.set(false)
    this.onStop()
    const campaign = this.campaign
    this.campaign = undefined
    return campaign
  }

  private start(): void {
    if (this.stopped) return
    const campaign = this.election.campaign(this.value)
    this.campaign = campaign
    const lease = leaseOf(campaign)
    campaign.on('elected', () => {
      if (this.campaign !== campaign) return
      this.set(true)
      this.arm(campaign)
    })
    campaign.on('error', () => this.restart(campaign))
    lease?.on('keepaliveSucceeded', () => {
      if (this.campaign === campaign && this.leader) this.arm(campaign)
    })
  }

  /** (Re)starts the countdown after which a leader without lease renewals steps down. */
  private arm(campaign: Etcd3Module.Campaign): void {
    clearTimeout(this.watchdog)
    this.watchdog = setTimeout(() => this.restart(campaign), this.ttlSeconds * 750)
  }

  /** Leaves this campaign (stepping down if leading) and campaigns again soon. */
  private restart(campaign: Etcd3Module.Campaign): void {
    if (this.campaign !== campaign) return
    this.campaign = undefined
    clearTimeout(this.watchdog)
    this.set(false)
    campaign.resign().catch(() => leaseOf(campaign)?.close())
    this.retry = setTimeout(() => this.start(), RECAMPAIGN_MS)
  }

  private set(leader: boolean): void {
    if (this.leader === leader) return
    this.leader = leader
    for (const cb of this.listeners) cb(leader)
  }
}

/**
 * The campaign's lease (a private field of etcd3's Campaign): its renewals
 * feed the watchdog, and close() stops them without revoking it.
 */
function leaseOf(campaign: Etcd3Module.Campaign): (EventEmitter & { close(): void }) | undefined {
  const lease = (campaign as unknown as { lease?: EventEmitter & { close?: () => void } }).lease
  return lease && typeof lease.close === 'function' ? (lease as EventEmitter & { close(): void }) : undefined
}
