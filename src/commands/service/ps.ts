import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { MultiError } from '../../lib/cli/errors.js'
import { listTasks, lookupTaskNames, parseFilters, resolveNodeFilter, resolveServiceRefs } from '../../lib/cli/tasks.js'
import { renderTasks } from '../../lib/format/tasks.js'

export default class ServicePs extends BaseCommand {
  static override summary = 'List the tasks of one or more services'
  static override strict = false
  static override args = { service: Args.string({ description: 'SERVICE (name, ID or ID prefix)', required: true }) }
  static override flags = {
    filter: Flags.string({ char: 'f', description: 'Filter output based on conditions provided (desired-state, id, name, node)', multiple: true, multipleNonGreedy: true }),
    format: Flags.string({ description: 'Pretty-print tasks using a Go template' }),
    'no-resolve': Flags.boolean({ description: 'Do not map IDs to Names' }),
    'no-trunc': Flags.boolean({ description: 'Do not truncate output' }),
    quiet: Flags.boolean({ char: 'q', description: 'Only display task IDs' }),
  }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(ServicePs)
    const client = this.client(flags)
    const { ids, notFound } = await resolveServiceRefs(client, argv as string[])
    const filters = await resolveNodeFilter(client, parseFilters(flags.filter))
    filters.service = { ...filters.service, ...Object.fromEntries(ids.map((id) => [id, true])) }
    const [tasks, names] = await Promise.all([listTasks(client, filters), lookupTaskNames(client, flags['no-resolve'])])
    // -q prints whole IDs, as docker's service ps does.
    const trunc = !flags['no-trunc'] && !flags.quiet
    this.out(renderTasks(tasks, names, { format: flags.format, quiet: flags.quiet, trunc, now: Date.now() }))
    if (notFound.length) throw new MultiError(notFound)
  }
}
