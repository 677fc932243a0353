import { Args } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { removePayloads } from '../../lib/cli/payloads.js'

export default class ConfigRm extends BaseCommand {
  static override summary = 'Remove one or more configs'
  static override usage = 'config rm CONFIG [CONFIG...]'
  static override aliases = ['config remove']
  static override strict = false
  static override args = { name: Args.string({ description: 'CONFIG (name, ID or ID prefix)', required: true }) }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(ConfigRm)
    await removePayloads(this.client(flags), 'config', argv as string[], (s) => this.out(s))
  }
}
