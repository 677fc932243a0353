// The store a manager config names: the SQLite file of the data dir, or etcd.
import type { DataPaths, StoreConfig } from '../config/index.js'
import { isWrappedKek, SecretBox } from '../pki/index.js'
import { readKekFile } from './kek-file.js'
import { EtcdStore, SqliteStore, type Store } from '../store/index.js'

/** The deadline of one etcd call: past it, the call goes to another member. */
const ETCD_TIMEOUT_MS = 2000

/**
 * Opens the cluster's store, sealing its secrets with the data dir's key-encryption
 * key when there is one in clear (a locked one is set once unlocked, manager.ts).
 * Throws UnavailableError when etcd cannot be reached.
 */
export async function openStore(paths: DataPaths, clusterId: string, config?: StoreConfig): Promise<Store> {
  const store: Store = config
    ? await EtcdStore.open({ endpoints: config.URL, clusterId, tls: etcdTls(config), timeoutMs: ETCD_TIMEOUT_MS })
    : new SqliteStore(paths.db)
  const kek = readKekFile(paths)
  if (kek && !isWrappedKek(kek)) store.secrets = new SecretBox(kek, clusterId)
  return store
}

/** The TLS files of an etcd store config, as EtcdStore takes them. */
export function etcdTls(config: StoreConfig): { cacert?: string; cert?: string; key?: string } | undefined {
  if (!config.CACert && !config.Cert && !config.Key) return undefined
  return { cacert: config.CACert, cert: config.Cert, key: config.Key }
}
