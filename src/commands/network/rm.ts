import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { removeNetworks } from '../../lib/cli/network/remove.js'

export default class NetworkRm extends BaseCommand {
  static override summary = 'Remove one or more networks'
  static override usage = 'network rm NETWORK [NETWORK...]'
  static override aliases = ['network remove']
  static override strict = false
  static override args = { network: Args.string({ description: 'NETWORK (name, ID or ID prefix)', required: true }) }
  static override flags = {
    force: Flags.boolean({ char: 'f', description: 'Do not error if the network does not exist' }),
  }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(NetworkRm)
    await removeNetworks(this.client(flags), argv as string[], {
      force: flags.force,
      out: (s) => this.out(s),
      err: (s) => process.stderr.write(s),
    })
  }
}
