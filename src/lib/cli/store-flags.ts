// The flags that say where a swarm keeps its state (init, manager --import-from):
// the SQLite file by default, or etcd with TLS files as etcd's own clients take them.
import { readFileSync } from 'node:fs'
import { Flags } from '@oclif/core'
import { InvalidArgumentError } from '../errors/index.js'
import type { StorePems } from '../config/index.js'
import { parseDuration } from './duration.js'

export const storeFlags = {
  store: Flags.string({ description: 'where the swarm keeps its state: etcd://HOST:PORT[,HOST:PORT…] (etcds:// for TLS) for several managers; default: a SQLite file in the data dir', helpGroup: 'STORE' }),
  'etcd-cacert': Flags.string({ description: 'CA file that signed the etcd servers\' certificates', helpGroup: 'STORE' }),
  'etcd-cert': Flags.string({ description: 'client certificate file for etcd', helpGroup: 'STORE' }),
  'etcd-key': Flags.string({ description: 'client key file for etcd', helpGroup: 'STORE' }),
  'leader-lease': Flags.string({ description: 'lease of the managers\' leader election: a leader that dies is replaced after about this long (ns|us|ms|s|m|h)', helpGroup: 'STORE' }),
}

type StoreFlagValues = { store?: string; 'etcd-cacert'?: string; 'etcd-cert'?: string; 'etcd-key'?: string; 'leader-lease'?: string }

/** The etcd store the flags name, with the TLS files read in; undefined for SQLite. Throws InvalidArgumentError. */
export function storeFromFlags(flags: StoreFlagValues): StorePems | undefined {
  const tls = flags['etcd-cacert'] || flags['etcd-cert'] || flags['etcd-key']
  if (!flags.store) {
    if (tls) throw new InvalidArgumentError('--etcd-cacert, --etcd-cert and --etcd-key go with --store etcd://…')
    return undefined
  }
  if (!/^etcds?:\/\//.test(flags.store)) {
    throw new InvalidArgumentError(`invalid --store "${flags.store}": use etcd://HOST:PORT[,HOST:PORT…] (etcds:// for TLS), or leave it out for SQLite`)
  }
  if (!flags['etcd-cert'] !== !flags['etcd-key']) throw new InvalidArgumentError('--etcd-cert and --etcd-key go together')
  const read = (flag: 'etcd-cacert' | 'etcd-cert' | 'etcd-key') => {
    const file = flags[flag]
    if (!file) return undefined
    try {
      return readFileSync(file, 'utf8')
    } catch (err) {
      throw new InvalidArgumentError(`cannot read --${flag} ${file}: ${(err as Error).message}`)
    }
  }
  return { URL: flags.store, CACert: read('etcd-cacert'), Cert: read('etcd-cert'), Key: read('etcd-key') }
}

/** The leader lease the flag gives, in whole seconds (at least 1); undefined without the flag. */
export function leaseFromFlags(flags: StoreFlagValues): number | undefined {
  if (!flags['leader-lease']) return undefined
  const ms = parseDuration(flags['leader-lease'], 'leader-lease')
  if (ms < 1000) throw new InvalidArgumentError(`invalid --leader-lease "${flags['leader-lease']}": it must be at least 1s`)
  return Math.round(ms / 1000)
}
