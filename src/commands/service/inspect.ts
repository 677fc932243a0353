import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { gatherArgs } from '../../lib/cli/errors.js'
import { inspectService, networkNames } from '../../lib/cli/service-refs.js'
import { renderInspect } from '../../lib/format/inspect.js'
import { prettyServices } from '../../lib/format/services.js'
import { InvalidArgumentError } from '../../lib/errors/index.js'
import type { Service } from '../../lib/types/index.js'

export default class ServiceInspect extends BaseCommand {
  static override summary = 'Display detailed information on one or more services'
  static override strict = false
  static override args = { service: Args.string({ description: 'SERVICE (name, ID or ID prefix)', required: true }) }
  static override flags = {
    format: Flags.string({ char: 'f', description: 'Format output using a custom template: \'json\' or a Go template' }),
    pretty: Flags.boolean({ description: 'Print the information in a human friendly format' }),
  }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(ServiceInspect)
    if (flags.pretty && flags.format) throw new InvalidArgumentError('--format is incompatible with human friendly format')
    const format = flags.pretty ? 'pretty' : flags.format
    if (format?.startsWith('pretty') && format !== 'pretty') throw new InvalidArgumentError('Cannot supply extra formatting options to the pretty template')
    const client = this.client(flags)
    if (format === 'pretty') {
      // docker stops at the first service it cannot find and prints none of them.
      const services: Service[] = []
      for (const ref of argv as string[]) services.push(await inspectService(client, ref))
      this.out(prettyServices(services, { now: Date.now(), networkNames: await networkNames(client, services) }))
      return
    }
    const services = await gatherArgs(argv as string[], (ref) => inspectService(client, ref))
    this.out(renderInspect(services.found, format))
    services.rethrow()
  }
}
