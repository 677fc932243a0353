import { Args } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { removePayloads } from '../../lib/cli/payloads.js'

export default class SecretRm extends BaseCommand {
  static override summary = 'Remove one or more secrets'
  static override usage = 'secret rm SECRET [SECRET...]'
  static override aliases = ['secret remove']
  static override strict = false
  static override args = { name: Args.string({ description: 'SECRET (name, ID or ID prefix)', required: true }) }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(SecretRm)
    await removePayloads(this.client(flags), 'secret', argv as string[], (s) => this.out(s))
  }
}
