import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { gatherArgs, MultiError } from '../../lib/cli/errors.js'
import { renderNetworkInspect } from '../../lib/format/networks.js'
import type { Network } from '../../lib/types/index.js'

export default class NetworkInspect extends BaseCommand {
  static override summary = 'Display detailed information on one or more networks'
  static override usage = 'network inspect [OPTIONS] NETWORK [NETWORK...]'
  static override strict = false
  static override args = { network: Args.string({ description: 'NETWORK (name, ID or ID prefix)', required: true }) }
  static override flags = {
    format: Flags.string({ char: 'f', description: 'Format output using a custom template: \'json\' or a Go template' }),
  }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(NetworkInspect)
    const client = this.client(flags)
    // Like docker: print the networks found, then one error per argument that failed.
    const networks = await gatherArgs(argv as string[], (ref) => client.get<Network>(`/networks/${encodeURIComponent(ref)}`))
    const { out, errors: templateErrors } = renderNetworkInspect(networks.found, flags.format)
    this.out(out)
    const errors = [...networks.errors, ...templateErrors]
    if (errors.length) throw new MultiError(errors)
  }
}
