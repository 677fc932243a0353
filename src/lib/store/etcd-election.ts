// Leader election on etcd for managers sharing an EtcdStore: etcd3's Election,
// whose candidates each hold a key under a lease. The oldest key leads; a
// leader that resigns revokes its lease and the next candidate leads at once,
// one that dies stops renewing and its lease expires after the TTL.
//
// A candidate that cannot renew its lease must not go on believing it leads:
// etcd3 only reports the lease lost after twice its TTL, while etcd hands the
// leadership on after one. So a leader whose last renewal is older than 3/4
// of the TTL (renewals go every 1/3) steps down, and campaigns again.
//
// A candidate learns that it leads from a watch on the key before its own. A
// watch on an etcd member cut off the network hears nothing until gRPC's pings
// give up on it (7 s and more), so candidates also look every POLL_MS: one
// whose key is the oldest leads (what etcd3's 'elected' means), and one whose
// key is gone (its lease expired unseen) campaigns again.
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
/** How often a candidate that does not lead looks at the election's keys (ms). */
const POLL_MS = 500

export class EtcdLeadership implements Leadership {
  private leader = false
  private stopped = false
  private campaign?: Etcd3Module.Campaign
  private watchdog?: NodeJS.Timeout
  private retry?: NodeJS.Timeout
  private poller?: NodeJS.Timeout
  private recheck?: NodeJS.Timeout
  private readonly listeners = new Set<(isLeader: boolean) => void>()

  constructor(
    private readonly election: Etcd3Module.Election,
    private readonly value: string,
    private readonly ttlSeconds: number,
    private readonly mapError: (err: unknown) => unknown,
    private readonly onStop: () => void,
    /** The election's keys (lease IDs last), oldest first. */
    private readonly keys: () => Promise<string[]>,
  ) {
    this.start()
    this.poll()
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
    clearTimeout(this.recheck)
    clearTimeout(this.poller)
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
    campaign.on('elected', () => this.elected(campaign))
    campaign.on('error', () => this.restart(campaign))
    lease?.on('keepaliveSucceeded', () => {
      if (this.campaign === campaign && this.leader) this.arm(campaign)
    })
  }

  private elected(campaign: Etcd3Module.Campaign): void {
    if (this.campaign !== campaign || this.leader) return
    this.set(true)
    this.arm(campaign)
  }

  // The look at the keys (see the top of the file); a failed look changes nothing.
  private poll(): void {
    // The campaign whose key was seen among the election's keys: only it can have lost its key.
    let seen: Etcd3Module.Campaign | undefined
    const tick = async () => {
      const campaign = this.campaign
      const lease = campaign && (leaseOf(campaign) as unknown as { grant(): Promise<string> } | undefined)
      if (!campaign || !lease || this.leader) return
      const id = await lease.grant()
      const keys = await this.keys()
      if (this.campaign !== campaign || this.leader) return
      const at = keys.findIndex((k) => k.endsWith(`/${id}`) || k === id)
      if (at >= 0) seen = campaign
      if (at === 0) this.elected(campaign)
      else if (at < 0 && seen === campaign) this.restart(campaign)
    }
    const loop = () => {
      if (this.stopped) return
      tick().catch(() => undefined).finally(() => {
        if (!this.stopped) this.poller = setTimeout(loop, POLL_MS)
      })
    }
    this.poller = setTimeout(loop, POLL_MS)
  }

  /** (Re)starts the countdown after which a leader without lease renewals steps down. */
  private arm(campaign: Etcd3Module.Campaign): void {
    clearTimeout(this.watchdog)
    clearTimeout(this.recheck)
    this.watchdog = setTimeout(() => this.restart(campaign), this.ttlSeconds * 750)
    // Renewals late: the stream that carries them may be stuck on a member cut
    // off the network. One renewal on a new stream (another member, likely)
    // keeps the lease, and this leader, if etcd still answers.
    this.recheck = setTimeout(() => {
      const lease = leaseOf(campaign) as unknown as { keepaliveOnce?: () => Promise<unknown> } | undefined
      if (!lease?.keepaliveOnce) return
      Promise.race([lease.keepaliveOnce(), new Promise((_, reject) => setTimeout(() => reject(new Error('late')), this.ttlSeconds * 200).unref())])
        .then(() => {
          if (this.campaign === campaign && this.leader) this.arm(campaign)
        }, () => undefined)
    }, this.ttlSeconds * 500)
  }

  /** Leaves this campaign (stepping down if leading) and campaigns again soon. */
  private restart(campaign: Etcd3Module.Campaign): void {
    if (this.campaign !== campaign) return
    this.campaign = undefined
    clearTimeout(this.watchdog)
    clearTimeout(this.recheck)
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
