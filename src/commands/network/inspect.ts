import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { describeError, MultiError } from '../../lib/cli/errors.js'
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
    const found: Network[] = []
    const errors: string[] = []
    for (const ref of argv as string[]) {
      try {
        found.push(await client.get<Network>(`/networks/${encodeURIComponent(ref)}`))
      } catch (err) {
        errors.push(describeError(err))
      }
    }
    const { out, errors: templateErrors } = renderNetworkInspect(found, flags.format)
    this.out(out)
    errors.push(...templateErrors)
    if (errors.length) throw new MultiError(errors)
  }
}
