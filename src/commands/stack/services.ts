import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { parseFilters } from '../../lib/cli/tasks.js'
import { appendServiceStatus } from '../../lib/cli/tasks.js'
import { renderServices } from '../../lib/format/services.js'
import { LABEL_NAMESPACE } from '../../lib/stack/index.js'
import type { Service } from '../../lib/types/index.js'

export default class StackServices extends BaseCommand {
  static override summary = 'List the services in the stack'
  static override args = { stack: Args.string({ description: 'STACK', required: true }) }
  static override flags = {
    filter: Flags.string({ char: 'f', description: 'Filter output based on conditions provided', multiple: true, multipleNonGreedy: true }),
    format: Flags.string({ description: 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\' or a Go template' }),
    quiet: Flags.boolean({ char: 'q', description: 'Only display IDs' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(StackServices)
    const client = this.client(flags)
    const filters = parseFilters(flags.filter)
    filters.label = { ...filters.label, [`${LABEL_NAMESPACE}=${args.stack}`]: true }
    let services = await client.get<Service[]>('/services', { query: { filters: JSON.stringify(filters), status: flags.quiet ? undefined : true } })
    // As docker: an empty stack is a notice on stderr, not an error (unless a format or -q asks for the list).
    if (!services.length && !flags.quiet && !flags.format) {
      process.stderr.write(`Nothing found in stack: ${args.stack}\n`)
      return
    }
    if (!flags.quiet) services = await appendServiceStatus(client, services)
    this.out(renderServices(services, { format: flags.format, quiet: flags.quiet }))
  }
}
