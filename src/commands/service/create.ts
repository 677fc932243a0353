import { Args } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { waitOnService } from '../../lib/cli/progress/index.js'
import { normalizeArgv } from '../../lib/cli/service/argv.js'
import { createFlags, serviceBaseFlags } from '../../lib/cli/service/flags.js'
import { createService } from '../../lib/cli/service/ops.js'
import { registryAuthFor } from '../../lib/cli/service/registry-auth.js'
import { specFromFlags } from '../../lib/cli/service/spec.js'

export default class ServiceCreate extends BaseCommand {
  static override summary = 'Create a new service'
  static override usage = 'service create [OPTIONS] IMAGE [COMMAND] [ARG...]'
  static override strict = false
  static override args = {
    image: Args.string({ description: 'IMAGE', required: true }),
    command: Args.string({ description: 'COMMAND [ARG...] (everything after IMAGE goes to the container)' }),
  }
  // Not BaseCommand's: --host is an extra host here (see serviceBaseFlags).
  static override baseFlags = serviceBaseFlags as unknown as typeof BaseCommand.baseFlags
  static override flags = createFlags

  async run(): Promise<void> {
    // As docker, flags end at IMAGE: `create alpine ls -l` runs `ls -l`.
    const words: string[] = []
    const argv = normalizeArgv(this.argv, { ...serviceBaseFlags, ...createFlags }, true, words)
    const { flags } = await this.parse(ServiceCreate, argv)
    const [image, ...args] = words
    const spec = specFromFlags(image, args, flags)
    const client = this.client({ 'data-dir': flags['data-dir'], host: (flags as { manager?: string }).manager })
    const auth = flags['with-registry-auth'] ? registryAuthFor(image) : undefined
    const { id, warnings } = await createService(client, spec, auth, !flags['no-resolve-image'])
    for (const w of warnings) process.stderr.write(`${w}\n`)
    this.out(`${id}\n`)
    if (!flags.detach) await waitOnService(client, id, { quiet: flags.quiet, bin: this.config.bin })
  }
}
