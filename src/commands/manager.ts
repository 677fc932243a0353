import { Flags } from '@oclif/core'
import { BaseCommand } from '../lib/cli/base.js'
import { parseDuration } from '../lib/cli/duration.js'
import { plainStoreWarning } from '../lib/cli/insecure.js'
import { leaseFromFlags, storeFlags, storeFromFlags } from '../lib/cli/store-flags.js'
import { metricsAddr } from '../lib/cli/metrics-addr.js'

export default class ManagerCommand extends BaseCommand {
  static override summary = 'Run the swarm manager in the foreground'
  static override description = 'Serves the swarm API of the data dir that "tsw swarm init" prepared (for systemd, containers and tests). SIGTERM or Ctrl-C stops it; every container keeps running. With --store etcd://… --import-from DIR it first moves the single-manager swarm of DIR to etcd.'
  static override examples = ['<%= config.bin %> manager --store etcd://10.0.0.1:2379,10.0.0.2:2379,10.0.0.3:2379 --import-from /var/lib/tsw']
  static override flags = {
    'dispatcher-heartbeat': Flags.string({ description: 'Override the heartbeat period (ns|us|ms|s|m|h)' }),
    strategy: Flags.string({ description: 'Placement of plain containers (docker run through the manager)', options: ['spread', 'binpack', 'random'], default: 'spread' }),
    'engines-file': Flags.string({ description: 'File of engine addresses (one per line: tcp://…, ssh://…) added as nodes at start, as classic swarm\'s file discovery' }),
    'import-from': Flags.string({ description: 'data dir of a single-manager (SQLite) swarm to move to the --store etcd first; the manager then runs on it', helpGroup: 'STORE' }),
    ...storeFlags,
    'metrics-addr': Flags.string({ description: 'Serve Prometheus metrics and the cluster page over HTTP at this address (format: <ip>:<port>; default: the one swarm init was given)' }),
    detach: Flags.boolean({ char: 'd', description: 'Run the manager in the background (pidfile and log in the data dir), as swarm init does' }),
    'listen-addr': Flags.string({ description: 'On the host of a promoted node: where its new manager listens (format: <ip>[:port])', default: '0.0.0.0:2377' }),
    'advertise-addr': Flags.string({ description: 'On the host of a promoted node: the address other managers reach it at (default: the node\'s address)' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(ManagerCommand)
    const leaseSeconds = leaseFromFlags(flags)
    const store = storeFromFlags(flags)
    const warning = flags['import-from'] ? plainStoreWarning(store) : undefined
    if (warning) process.stderr.write(warning + '\n')
    const { prepareManager, runManager } = await import('../lib/manager/run.js')
    const dataDir = await prepareManager({
      dataDir: this.dataDir(flags),
      dataDirFlag: flags['data-dir'],
      importFrom: flags['import-from'],
      store,
      setupPromoted: async (dir) => {
        const { setupPromotedManager } = await import('../lib/client/join.js')
        await setupPromotedManager(this.client(flags), { dataDir: dir, listenAddr: flags['listen-addr'], advertiseAddr: flags['advertise-addr'] })
      },
    })
    if (flags.detach) {
      const { startDaemon } = await import('../lib/manager/daemon.js')
      const pid = await startDaemon(dataDir, process.argv[1])
      return this.out(`manager running in the background (pid ${pid})\n`)
    }
    await runManager({
      dataDir,
      heartbeatMs: flags['dispatcher-heartbeat'] ? parseDuration(flags['dispatcher-heartbeat'], 'dispatcher-heartbeat') : undefined,
      leaseSeconds,
      strategy: flags.strategy as 'spread' | 'binpack' | 'random',
      enginesFile: flags['engines-file'],
      metricsAddr: flags['metrics-addr'] && metricsAddr(flags['metrics-addr']),
    })
  }
}
