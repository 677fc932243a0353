import { Args } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { eachArg } from '../../lib/cli/errors.js'

export default class ServiceRm extends BaseCommand {
  static override summary = 'Remove one or more services'
  static override aliases = ['service remove']
  static override strict = false
  static override args = { service: Args.string({ description: 'SERVICE (name, ID or ID prefix)', required: true }) }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(ServiceRm)
    const client = this.client(flags)
    await eachArg(argv as string[], async (ref) => {
      await client.delete(`/services/${encodeURIComponent(ref)}`)
      return ref
    }, (s) => this.out(s))
  }
}
