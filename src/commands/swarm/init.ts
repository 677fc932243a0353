import { Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { certExpiry } from '../../lib/cli/cert-expiry.js'
import { parseDuration } from '../../lib/cli/duration.js'
import { engineFlags, engineRefFromFlags } from '../../lib/cli/engine-flags.js'
import { joinInstructions } from '../../lib/cli/join-message.js'
import { plainEngineWarning, plainStoreWarning } from '../../lib/cli/insecure.js'
import { leaseFromFlags, storeFromFlags, storeFlags } from '../../lib/cli/store-flags.js'
import { metricsAddr } from '../../lib/cli/metrics-addr.js'
import { unlockInstructions } from '../../lib/cli/unlock-message.js'

export default class SwarmInit extends BaseCommand {
  static override summary = 'Initialize a swarm'
  static override description = 'Makes this host the first manager: starts the manager in the background and registers the local engine as a node.'
  static override examples = ['<%= config.bin %> swarm init --advertise-addr 10.0.0.1']

  static override flags = {
    'advertise-addr': Flags.string({ description: 'Advertised address (format: <ip>[:port])' }),
    'listen-addr': Flags.string({ description: 'Listen address (format: <ip>[:port])', default: '0.0.0.0:2377' }),
    'dispatcher-heartbeat': Flags.string({ description: 'Dispatcher heartbeat period (ns|us|ms|s|m|h)', default: '5s' }),
    'cert-expiry': Flags.string({ description: 'Validity period for node certificates (ns|us|ms|s|m|h)', default: '2160h0m0s' }),
    ...engineFlags,
    ...storeFlags,
    autolock: Flags.boolean({ description: 'Enable manager autolocking (requiring an unlock key to start a stopped manager)' }),
    'metrics-addr': Flags.string({ description: 'Serve Prometheus metrics and the cluster page over HTTP at this address (format: <ip>:<port>)' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(SwarmInit)
    const dataDir = this.dataDir(flags)
    const { initSwarm, startDaemon } = await import('../../lib/manager/index.js')
    const engine = engineRefFromFlags(flags)
    const store = storeFromFlags(flags)
    for (const w of [plainEngineWarning(engine), plainStoreWarning(store)]) if (w) process.stderr.write(w + '\n')
    const result = await initSwarm({
      dataDir,
      engine,
      advertiseAddr: flags['advertise-addr'],
      listenAddr: flags['listen-addr'],
      heartbeatMs: parseDuration(flags['dispatcher-heartbeat'], 'dispatcher-heartbeat'),
      certExpiryMs: certExpiry(flags['cert-expiry']),
      store,
      leaseSeconds: leaseFromFlags(flags),
      metricsAddr: flags['metrics-addr'] && metricsAddr(flags['metrics-addr']),
      autolock: flags.autolock,
    })
    try {
      await startDaemon(dataDir, process.argv[1])
    } catch (err) {
      // Nothing half-made stays behind: the next init starts clean.
      const { rmSync } = await import('node:fs')
      const { dataPaths } = await import('../../lib/config/paths.js')
      const p = dataPaths(dataDir)
      for (const f of [p.manager, p.tls, p.context]) rmSync(f, { recursive: true, force: true })
      throw err
    }
    for (const n of result.notes) this.out(`${n}\n`)
    this.out(`Swarm initialized: current node (${result.nodeId}) is now a manager.\n\n`)
    this.out(joinInstructions('worker', result.workerToken, result.managerAddr))
    this.out(`To add a manager to this swarm, run 'tsw swarm join-token manager' and follow the instructions.\n`)
    if (flags.autolock) {
      const { UnlockKey } = await this.client(flags).get<{ UnlockKey: string }>('/swarm/unlockkey')
      this.out(unlockInstructions(UnlockKey))
    }
  }
}
