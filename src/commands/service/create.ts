import { Args } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { waitOnService } from '../../lib/cli/progress/index.js'
import { normalizeArgv } from '../../lib/cli/service/argv.js'
import { createFlags } from '../../lib/cli/service/flags.js'
import { createService } from '../../lib/cli/service/ops.js'
import { specFromFlags } from '../../lib/cli/service/spec.js'

export default class ServiceCreate extends BaseCommand {
  static override summary = 'Create a new service'
  static override usage = 'service create [OPTIONS] IMAGE [COMMAND] [ARG...]'
  static override strict = false
  static override args = {
    image: Args.string({ description: 'IMAGE', required: true }),
    command: Args.string({ description: 'COMMAND [ARG...] (everything after IMAGE goes to the container)' }),
  }
  static override flags = createFlags

  async run(): Promise<void> {
    // As docker, flags end at IMAGE: `create alpine ls -l` runs `ls -l`.
    const words: string[] = []
    const argv = normalizeArgv(this.argv, { ...BaseCommand.baseFlags, ...createFlags }, true, words)
    const { flags } = await this.parse(ServiceCreate, argv)
    const [image, ...args] = words
    const spec = specFromFlags(image, args, flags)
    const client = this.client(flags)
    const { id, warnings } = await createService(client, spec)
    for (const w of warnings) process.stderr.write(`${w}\n`)
    this.out(`${id}\n`)
    if (!flags.detach) await waitOnService(client, id, { quiet: flags.quiet, bin: this.config.bin })
  }
}
