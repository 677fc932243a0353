import { Args } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { waitOnService } from '../../lib/cli/progress/index.js'
import { rollbackFlags } from '../../lib/cli/service/flags.js'
import { rollbackService } from '../../lib/cli/service/ops.js'

export default class ServiceRollback extends BaseCommand {
  static override summary = "Revert changes to a service's configuration"
  static override usage = 'service rollback [OPTIONS] SERVICE'
  static override args = { service: Args.string({ description: 'SERVICE (name or ID)', required: true }) }
  static override flags = rollbackFlags

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ServiceRollback)
    const client = this.client(flags)
    const { warnings, previousStatus } = await rollbackService(client, args.service)
    for (const w of warnings) process.stderr.write(`${w}\n`)
    this.out(`${args.service}\n`)
    if (flags.detach) return
    await waitOnService(client, args.service, { quiet: flags.quiet, previousStatus, rollbackRequested: true, bin: this.config.bin })
  }
}
