import { Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { loadCompose, readSources, renderConfig } from '../../lib/stack/index.js'

export default class StackConfig extends BaseCommand {
  static override summary = 'Outputs the final config file, after doing merges and interpolations'
  static override flags = {
    'compose-file': Flags.string({ char: 'c', description: 'Path to a Compose file, or "-" to read from stdin', multiple: true, multipleNonGreedy: true, required: true }),
    'skip-interpolation': Flags.boolean({ description: 'Skip interpolation and output only merged config' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(StackConfig)
    const lookup = flags['skip-interpolation'] ? undefined : (k: string) => process.env[k]
    const { config } = loadCompose(readSources(flags['compose-file']), lookup)
    this.out(renderConfig(config, lookup))
  }
}
