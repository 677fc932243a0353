import { Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { filtersQuery } from '../../lib/cli/filters.js'
import { appendServiceStatus } from '../../lib/cli/tasks.js'
import { renderServices } from '../../lib/format/services.js'
import type { Service } from '../../lib/types/index.js'

export default class ServiceLs extends BaseCommand {
  static override summary = 'List services'
  static override aliases = ['service list']
  static override flags = {
    filter: Flags.string({ char: 'f', description: 'Filter output based on conditions provided (id, label, mode, name)', multiple: true, multipleNonGreedy: true }),
    format: Flags.string({ description: 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\' or a Go template' }),
    quiet: Flags.boolean({ char: 'q', description: 'Only display IDs' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(ServiceLs)
    const client = this.client(flags)
    // Like docker, ask for task counts only when they are shown.
    let services = await client.get<Service[]>('/services', { query: { filters: filtersQuery(flags.filter), status: flags.quiet ? undefined : true } })
    if (!flags.quiet) services = await appendServiceStatus(client, services)
    this.out(renderServices(services, { format: flags.format, quiet: flags.quiet }))
  }
}
