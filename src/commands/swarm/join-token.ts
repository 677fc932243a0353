import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { joinInstructions } from '../../lib/cli/join-message.js'
import { InvalidArgumentError } from '../../lib/errors/index.js'

export default class SwarmJoinToken extends BaseCommand {
  static override summary = 'Manage join tokens'
  static override args = {
    role: Args.string({ description: 'worker or manager', required: true }),
  }

  static override flags = {
    quiet: Flags.boolean({ char: 'q', description: 'Only display token' }),
    rotate: Flags.boolean({ description: 'Rotate join token' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SwarmJoinToken)
    const role = args.role
    if (role !== 'worker' && role !== 'manager') throw new InvalidArgumentError(`unknown role ${role}: use worker or manager`)
    const client = this.client(flags)
    if (flags.rotate) {
      await client.updateSwarm(() => {}, { rotateWorkerToken: role === 'worker', rotateManagerToken: role === 'manager' })
      if (!flags.quiet) this.out(`Successfully rotated ${role} join token.\n\n`)
    }
    const swarm = await client.swarm()
    const token = role === 'worker' ? swarm.JoinTokens.Worker : swarm.JoinTokens.Manager
    if (flags.quiet) return this.out(`${token}\n`)
    const info = await client.info()
    const addr = info.Swarm.RemoteManagers.find((m) => m.NodeID === info.Swarm.NodeID)?.Addr ?? `${client.host}:${client.port}`
    this.out(joinInstructions(role, token, addr))
  }
}
