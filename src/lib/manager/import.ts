// Moving a single-manager swarm to etcd (`tsw manager --store etcd://… --import-from DIR`):
// every object of the data dir's SQLite file is written to etcd under the
// cluster's prefix, then the manager config names etcd and the SQLite file is
// set aside (state.db.imported). An import cut short can simply be run again:
// objects already in etcd are left as they are.
import { existsSync, renameSync } from 'node:fs'
import { dataPaths, readManagerConfig, writeManagerConfig, writeStoreFiles, type StorePems } from '../config/index.js'
import { ConflictError, FailedPreconditionError } from '../errors/index.js'
import { EtcdStore, SqliteStore, type Kind } from '../store/index.js'
import { livePid } from './pidfile.js'

/** Every kind, in the order they refer to each other (a service names its secrets and configs, a task its service, node and networks). */
const KINDS = ['ca', 'swarm', 'engine', 'node', 'certificate', 'network', 'secret', 'config', 'service', 'task'] as const satisfies readonly Kind[]
// A kind added to the store and not here fails to compile: an import must not leave objects behind.
const EVERY_KIND: Exclude<Kind, (typeof KINDS)[number]> extends never ? true : never = true
void EVERY_KIND

/** Copies the swarm of `dataDir` into etcd and switches its manager config over; returns how many objects were copied. */
export async function importToEtcd(dataDir: string, store: StorePems): Promise<number> {
  const config = readManagerConfig(dataDir)
  const paths = dataPaths(dataDir)
  if (!config) throw new FailedPreconditionError(`no swarm in ${dataDir} to import: it holds no manager config (manager/config.json)`)
  if (config.Store) throw new FailedPreconditionError(`the swarm in ${dataDir} keeps its state in etcd (${config.Store.URL}) already: run "tsw manager --data-dir ${dataDir}" without --import-from`)
  if (livePid(paths.pidfile)) throw new FailedPreconditionError(`the manager of ${dataDir} is running: stop it first (kill $(cat ${paths.pidfile}))`)
  if (!existsSync(paths.db)) throw new FailedPreconditionError(`${paths.db} does not exist: nothing to import`)
  const from = new SqliteStore(paths.db)
  const storeConfig = writeStoreFiles(paths, store)
  let to: EtcdStore | undefined
  let copied = 0
  try {
    to = await EtcdStore.open({ endpoints: store.URL, clusterId: config.ClusterID, tls: { cacert: storeConfig.CACert, cert: storeConfig.Cert, key: storeConfig.Key } })
    for (const kind of KINDS) {
      for (const obj of await from.list(kind)) {
        try {
          await to.create(kind, obj)
          copied++
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err
        }
      }
    }
  } finally {
    await from.close()
    await to?.close()
  }
  writeManagerConfig(dataDir, { ...config, Store: storeConfig })
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(paths.db + suffix)) renameSync(paths.db + suffix, `${paths.db}.imported${suffix}`)
  return copied
}
