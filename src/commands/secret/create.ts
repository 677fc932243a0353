import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { createPayloadObject, readPayload } from '../../lib/cli/payloads.js'

export default class SecretCreate extends BaseCommand {
  static override summary = 'Create a secret from a file or STDIN as content'
  static override usage = 'secret create [OPTIONS] SECRET file|-'
  static override args = {
    name: Args.string({ description: 'SECRET (its name)', required: true }),
    file: Args.string({ description: 'the file holding the secret, or - for STDIN', required: true }),
  }
  static override flags = {
    label: Flags.string({ char: 'l', description: 'Secret labels', multiple: true, multipleNonGreedy: true }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SecretCreate)
    const id = await createPayloadObject(this.client(flags), 'secret', args.name, readPayload(args.file), flags.label)
    this.out(`${id}\n`)
  }
}
