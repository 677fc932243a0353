// An etcd store's TLS material kept in the data dir (manager/etcd/, keys 0600),
// so that the manager config names files that stay where they are.
import { join } from 'node:path'
import type { StoreConfig } from './manager-config.js'
import type { DataPaths } from './paths.js'
import { writeFile } from './files.js'
import { readFileSync } from 'node:fs'

/** An etcd store with its TLS material as PEM text (as flags or a join response carry it). */
export interface StorePems {
  URL: string
  CACert?: string
  Cert?: string
  Key?: string
}

/** Writes the PEMs under the manager folder; returns the config naming them. */
export function writeStoreFiles(paths: DataPaths, pems: StorePems): StoreConfig {
  const dir = join(paths.manager, 'etcd')
  const out: StoreConfig = { URL: pems.URL }
  if (pems.CACert) writeFile((out.CACert = join(dir, 'ca.pem')), pems.CACert)
  if (pems.Cert) writeFile((out.Cert = join(dir, 'cert.pem')), pems.Cert)
  if (pems.Key) writeFile((out.Key = join(dir, 'key.pem')), pems.Key, true)
  return out
}

/** The PEMs a store config names, read back (for a manager that joins). */
export function readStorePems(config: StoreConfig): StorePems {
  const read = (f?: string) => (f ? readFileSync(f, 'utf8') : undefined)
  return { URL: config.URL, CACert: read(config.CACert), Cert: read(config.Cert), Key: read(config.Key) }
}
