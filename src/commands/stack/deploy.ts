import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { waitOnService } from '../../lib/cli/progress/index.js'
import { normalizeArgv } from '../../lib/cli/service/argv.js'
import { deployStack, loadCompose, planStack, readSources } from '../../lib/stack/index.js'

export default class StackDeploy extends BaseCommand {
  static override summary = 'Deploy a new stack or update an existing stack'
  static override aliases = ['stack up']
  static override args = { stack: Args.string({ description: 'STACK', required: true }) }
  static override flags = {
    'compose-file': Flags.string({ char: 'c', description: 'Path to a Compose file, or "-" to read from stdin', multiple: true, multipleNonGreedy: true, required: true }),
    detach: Flags.boolean({ char: 'd', description: 'Exit immediately instead of waiting for the stack services to converge (default true)', allowNo: true }),
    prune: Flags.boolean({ description: 'Prune services that are no longer referenced' }),
    quiet: Flags.boolean({ char: 'q', description: 'Suppress progress output' }),
    'resolve-image': Flags.string({ description: 'Query the registry to resolve image digest and supported platforms ("always", "changed", "never")', options: ['always', 'changed', 'never'], default: 'always' }),
    'with-registry-auth': Flags.boolean({ description: 'Send registry authentication details to Swarm agents' }),
  }

  async run(): Promise<void> {
    const argv = normalizeArgv(this.argv, { ...BaseCommand.baseFlags, ...StackDeploy.flags }, false)
    const { args, flags } = await this.parse(StackDeploy, argv)
    // The whole file is loaded and converted before anything is made.
    const { config, warnings } = loadCompose(readSources(flags['compose-file']), (k) => process.env[k])
    const plan = planStack(args.stack, config, (k) => process.env[k])
    for (const w of warnings) process.stderr.write(`${w}\n`)
    const client = this.client(flags)
    const ids = await deployStack(client, plan, { prune: flags.prune, resolveImage: flags['resolve-image'] as 'always' | 'changed' | 'never', out: (l) => this.out(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) })
    if (flags.detach === undefined) {
      process.stderr.write('Since --detach=false was not specified, tasks will be created in the background.\nIn a future release, --detach=false will become the default.\n')
    }
    if (flags.detach !== false) return
    for (const id of ids) await waitOnService(client, id, { quiet: flags.quiet, bin: this.config.bin })
  }
}
