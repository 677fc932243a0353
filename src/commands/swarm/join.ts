import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { engineFlags, engineRefFromFlags } from '../../lib/cli/engine-flags.js'
import { plainEngineWarning } from '../../lib/cli/insecure.js'
import { readContext } from '../../lib/config/context.js'
import { FailedPreconditionError } from '../../lib/errors/index.js'

export default class SwarmJoin extends BaseCommand {
  static override summary = 'Join a swarm as a node and/or manager'
  static override examples = ['<%= config.bin %> swarm join --token SWMTKN-1-… --engine tcp://10.0.0.12:2375 10.0.0.1:2377']

  static override args = {
    manager: Args.string({ description: 'a manager of the swarm, HOST:PORT', required: true }),
  }

  static override flags = {
    token: Flags.string({ description: 'Token for entry into the swarm', required: true }),
    'advertise-addr': Flags.string({ description: 'Advertised address (format: <ip>); default: the engine\'s host' }),
    'listen-addr': Flags.string({ description: 'Listen address of this host\'s manager, when it joins as one (format: <ip>[:port])', default: '0.0.0.0:2377' }),
    ...engineFlags,
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SwarmJoin)
    const dataDir = this.dataDir(flags)
    if (readContext(dataDir)) {
      throw new FailedPreconditionError('This node is already part of a swarm. Use "tsw swarm leave" to leave this swarm and join another one.')
    }
    const { joinSwarm } = await import('../../lib/client/join.js')
    const engine = engineRefFromFlags(flags)
    const warning = plainEngineWarning(engine)
    if (warning) process.stderr.write(warning + '\n')
    const { defaultAdvertiseAddr, resolveAdvertiseAddr, splitHostPort } = await import('../../lib/manager/addresses.js')
    const listenHost = splitHostPort(flags['listen-addr'], 'listen address').host
    // An interface name stands for its address; a host name is refused before anything is sent.
    const asked = flags['advertise-addr'] !== undefined ? resolveAdvertiseAddr(flags['advertise-addr']).host : undefined
    // A manager listening on one address is reached there (its certificate is made for it).
    let advertiseAddr = asked ?? (listenHost !== '0.0.0.0' ? listenHost : undefined)
    if (!advertiseAddr && engine.URL.startsWith('unix://')) advertiseAddr = defaultAdvertiseAddr()
    const { role, runsManager, notes } = await joinSwarm({
      token: flags.token, manager: args.manager, engine, advertiseAddr, listenAddr: flags['listen-addr'], dataDir,
    })
    // A manager of a swarm on etcd: this host runs one too, in the background as init does.
    if (runsManager) {
      const { startDaemon } = await import('../../lib/manager/daemon.js')
      await startDaemon(dataDir, process.argv[1]).catch((err: Error) => {
        throw new FailedPreconditionError(`joined as a manager, but its manager did not start: ${err.message}\nStart it with "tsw manager --data-dir ${dataDir}"`)
      })
    }
    for (const n of notes) this.out(`${n}\n`)
    this.out(`This node joined a swarm as a ${role}.\n`)
  }
}
