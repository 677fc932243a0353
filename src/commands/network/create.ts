import { Args } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { createRequestFromFlags, networkCreateFlags } from '../../lib/cli/network/create.js'
import { normalizeArgv } from '../../lib/cli/service/argv.js'

export default class NetworkCreate extends BaseCommand {
  static override summary = 'Create a network'
  static override usage = 'network create [OPTIONS] NETWORK'
  static override args = { network: Args.string({ description: 'NETWORK (its name)', required: true }) }
  static override flags = networkCreateFlags

  async run(): Promise<void> {
    // docker's booleans also take --flag=true|false.
    const argv = normalizeArgv(this.argv, { ...BaseCommand.baseFlags, ...networkCreateFlags }, false)
    const { args, flags } = await this.parse(NetworkCreate, argv)
    const body = createRequestFromFlags(args.network, flags)
    const res = await this.client(flags).post<{ Id: string; Warning?: string }>('/networks/create', { body })
    if (res.Warning) process.stderr.write(`${res.Warning}\n`)
    this.out(`${res.Id}\n`)
  }
}
