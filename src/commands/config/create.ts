import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { createPayloadObject, readPayload } from '../../lib/cli/payloads.js'

export default class ConfigCreate extends BaseCommand {
  static override summary = 'Create a config from a file or STDIN as content'
  static override usage = 'config create [OPTIONS] CONFIG file|-'
  static override args = {
    name: Args.string({ description: 'CONFIG (its name)', required: true }),
    file: Args.string({ description: 'the file holding the config, or - for STDIN', required: true }),
  }
  static override flags = {
    label: Flags.string({ char: 'l', description: 'Config labels', multiple: true, multipleNonGreedy: true }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ConfigCreate)
    const id = await createPayloadObject(this.client(flags), 'config', args.name, readPayload(args.file), flags.label)
    this.out(`${id}\n`)
  }
}
