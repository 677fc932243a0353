// Warnings for transports anyone on the network can use: a plain tcp:// engine off
// loopback (its API is root on its host) and etcd without TLS and client
// certificates (the swarm's state). Printed by init, join and node add; not a
// refusal, since trusted lab networks use them. TSW_INSECURE_OK=1 silences them.
import type { StorePems } from '../config/index.js'
import type { EngineRef } from '../types/index.js'

/** The warning for an engine reached over plain TCP off loopback; undefined when it is not one. */
export function plainEngineWarning(ref: EngineRef, env = process.env): string | undefined {
  if (env.TSW_INSECURE_OK || !ref.URL.startsWith('tcp://') || ref.TLS?.Cert) return undefined
  const host = /^tcp:\/\/(\[[^\]]+\]|[^:/]+)/.exec(ref.URL)?.[1].replace(/^\[|\]$/g, '') ?? ''
  if (/^127\.|^::1$|^localhost$/.test(host)) return undefined
  return `WARNING: the engine ${ref.URL} is reached over plain TCP: anyone who can reach it on that network controls it (root on its host) and sees the swarm's traffic to it. ` +
    'Use tcp:// with TLS (--engine-tlscacert, --engine-tlscert, --engine-tlskey) or ssh://; on a trusted network, TSW_INSECURE_OK=1 silences this.'
}

/** The warning for an etcd store without TLS or without client certificates; undefined when it has both. */
export function plainStoreWarning(store: StorePems | undefined, env = process.env): string | undefined {
  if (!store || env.TSW_INSECURE_OK) return undefined
  if (store.URL.startsWith('etcds://') && store.Cert) return undefined
  const what = store.URL.startsWith('etcds://') ? 'without a client certificate' : 'over plain HTTP, without client certificates'
  return `WARNING: the store ${store.URL} is reached ${what}: anyone who can reach etcd can read and change the swarm's state. ` +
    'Use etcds:// with --etcd-cacert, --etcd-cert and --etcd-key; on a trusted network, TSW_INSECURE_OK=1 silences this.'
}
