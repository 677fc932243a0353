// What `tsw manager` does before and around the Manager: the data dir it runs on (a
// single-manager swarm moved to etcd first, the manager of a promoted node set up), and
// the foreground run until SIGTERM or Ctrl-C. Heavy modules load only on the path that needs them.
import type { StorePems } from '../config/index.js'
import { InvalidArgumentError } from '../errors/index.js'
import type { ManagerOptions } from './manager.js'

export interface PrepareOptions {
  /** The data dir of this invocation (--data-dir or its default). */
  dataDir: string
  /** --data-dir as given, when it was. */
  dataDirFlag?: string
  /** A single-manager (SQLite) data dir to move to `store` first; the manager then runs on it. */
  importFrom?: string
  store?: StorePems
  /** Gets this host's manager set up (config, certificate, store) from a manager of the swarm: for a node promoted to manager. */
  setupPromoted: (dataDir: string) => Promise<void>
  /** Where the import reports what it copied (default stderr). */
  log?: (msg: string) => void
}

/**
 * The data dir the manager runs on, made ready: imported into etcd first with `importFrom`,
 * set up through `setupPromoted` when it holds a swarm context but no manager config yet.
 * Throws InvalidArgumentError when the options do not go together (nothing is changed then).
 */
export async function prepareManager(opts: PrepareOptions): Promise<string> {
  let dataDir = opts.dataDir
  if (opts.importFrom) {
    if (!opts.store) throw new InvalidArgumentError('--import-from needs --store etcd://… (where to move the swarm)')
    if (opts.dataDirFlag && opts.dataDirFlag !== opts.importFrom) throw new InvalidArgumentError('--import-from is the data dir the manager then runs on: leave out --data-dir, or give the same folder')
    dataDir = opts.importFrom
    const { importToEtcd } = await import('./import.js')
    const copied = await importToEtcd(dataDir, opts.store)
    const log = opts.log ?? ((msg: string) => process.stderr.write(`${msg}\n`))
    log(`imported ${copied} objects of ${dataDir} into ${opts.store.URL}`)
  } else if (opts.store) {
    throw new InvalidArgumentError('--store on "tsw manager" goes with --import-from; a swarm chooses its store at "tsw swarm init --store"')
  }
  const { readContext, readManagerConfig } = await import('../config/index.js')
  // The host of a node promoted to manager: it gets what its own manager needs first.
  if (!readManagerConfig(dataDir) && readContext(dataDir)) await opts.setupPromoted(dataDir)
  return dataDir
}

/** How long a stop may take before the process ends anyway (an engine or etcd that answers nothing). */
const STOP_DEADLINE_MS = 10_000

/** Runs a manager in the foreground until SIGTERM or SIGINT, then stops it (every container keeps running). */
export async function runManager(options: ManagerOptions): Promise<void> {
  const { Manager } = await import('./manager.js')
  const manager = new Manager(options)
  // A loop that lost a call to an unreachable store tries again; the manager must not die of it.
  process.on('unhandledRejection', (err) => process.stderr.write(`${new Date().toISOString()} unhandled: ${(err as Error)?.stack ?? String(err)}\n`))
  await manager.start()
  await new Promise<void>((resolve) => {
    for (const sig of ['SIGTERM', 'SIGINT'] as const) {
      process.once(sig, () => {
        setTimeout(() => process.exit(0), STOP_DEADLINE_MS).unref()
        void manager.stop().then(resolve)
      })
    }
  })
}
