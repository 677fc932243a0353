import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { MultiError } from '../../lib/cli/errors.js'
import { lookupTaskNames, parseFilters, resolveNodeFilter } from '../../lib/cli/tasks.js'
import { renderTasks } from '../../lib/format/tasks.js'
import { stackTasks } from '../../lib/stack/index.js'

export default class StackPs extends BaseCommand {
  static override summary = 'List the tasks in the stack'
  static override args = { stack: Args.string({ description: 'STACK', required: true }) }
  static override flags = {
    filter: Flags.string({ char: 'f', description: 'Filter output based on conditions provided', multiple: true, multipleNonGreedy: true }),
    format: Flags.string({ description: 'Format output using a custom template' }),
    'no-resolve': Flags.boolean({ description: 'Do not map IDs to Names' }),
    'no-trunc': Flags.boolean({ description: 'Do not truncate output' }),
    quiet: Flags.boolean({ char: 'q', description: 'Only display task IDs' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(StackPs)
    const client = this.client(flags)
    const filters = await resolveNodeFilter(client, parseFilters(flags.filter))
    const [tasks, names] = await Promise.all([stackTasks(client, args.stack, filters), lookupTaskNames(client, flags['no-resolve'])])
    if (!tasks.length) throw new MultiError([`nothing found in stack: ${args.stack}`])
    const trunc = !flags['no-trunc'] && !flags.quiet
    this.out(renderTasks(tasks, names, { format: flags.format, quiet: flags.quiet, trunc, now: Date.now() }))
  }
}
