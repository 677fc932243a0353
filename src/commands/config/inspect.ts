import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { inspectPayloads } from '../../lib/cli/payloads.js'

export default class ConfigInspect extends BaseCommand {
  static override summary = 'Display detailed information on one or more configs'
  static override usage = 'config inspect [OPTIONS] CONFIG [CONFIG...]'
  static override strict = false
  static override args = { name: Args.string({ description: 'CONFIG (name, ID or ID prefix)', required: true }) }
  static override flags = {
    format: Flags.string({ char: 'f', description: 'Format output using a custom template: \'json\' or a Go template' }),
    pretty: Flags.boolean({ description: 'Print the information in a human friendly format' }),
  }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(ConfigInspect)
    await inspectPayloads(this.client(flags), 'config', argv as string[], flags, (s) => this.out(s))
  }
}
