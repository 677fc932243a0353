import { Args } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { waitOnService } from '../../lib/cli/progress/index.js'
import { normalizeArgv } from '../../lib/cli/service/argv.js'
import { serviceBaseFlags, updateFlags } from '../../lib/cli/service/flags.js'
import { updateService } from '../../lib/cli/service/ops.js'

export default class ServiceUpdate extends BaseCommand {
  static override summary = 'Update a service'
  static override usage = 'service update [OPTIONS] SERVICE'
  static override args = { service: Args.string({ description: 'SERVICE (name or ID)', required: true }) }
  // Not BaseCommand's: --host is an extra host here (see serviceBaseFlags).
  static override baseFlags = serviceBaseFlags as unknown as typeof BaseCommand.baseFlags
  static override flags = updateFlags

  async run(): Promise<void> {
    const argv = normalizeArgv(this.argv, { ...serviceBaseFlags, ...updateFlags }, false)
    const { args, flags } = await this.parse(ServiceUpdate, argv)
    const client = this.client({ 'data-dir': flags['data-dir'], host: (flags as { manager?: string }).manager })
    const { warnings, previousStatus } = await updateService(client, args.service, flags)
    for (const w of warnings) process.stderr.write(`${w}\n`)
    this.out(`${args.service}\n`)
    if (flags.detach) return
    await waitOnService(client, args.service, { quiet: flags.quiet, previousStatus, rollbackRequested: flags.rollback, bin: this.config.bin })
  }
}
