import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { engineFlags, engineRefFromFlags } from '../../lib/cli/engine-flags.js'
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
    ...engineFlags,
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SwarmJoin)
    const dataDir = this.dataDir(flags)
    if (readContext(dataDir)) {
      throw new FailedPreconditionError('This node is already part of a swarm. Use "tsw swarm leave" to leave this swarm and join another one.')
    }
    const { joinSwarm } = await import('../../lib/client/join.js')
    const { role } = await joinSwarm({
      token: flags.token, manager: args.manager, engine: engineRefFromFlags(flags),
      advertiseAddr: flags['advertise-addr'], dataDir,
    })
    this.out(`This node joined a swarm as a ${role}.\n`)
  }
}
