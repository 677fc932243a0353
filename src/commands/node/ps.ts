import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { gatherArgs } from '../../lib/cli/errors.js'
import { getNode } from '../../lib/cli/nodes.js'
import { listTasks, lookupTaskNames, parseFilters, withFilter } from '../../lib/cli/tasks.js'
import { renderTasks } from '../../lib/format/tasks.js'

export default class NodePs extends BaseCommand {
  static override summary = 'List tasks running on one or more nodes, defaults to current node'
  static override strict = false
  static override args = { node: Args.string({ description: 'NODE (ID, ID prefix, hostname or "self"; default self)' }) }
  static override flags = {
    filter: Flags.string({ char: 'f', description: 'Filter output based on conditions provided (desired-state, id, label, name)', multiple: true, multipleNonGreedy: true }),
    format: Flags.string({ description: 'Pretty-print tasks using a Go template' }),
    'no-resolve': Flags.boolean({ description: 'Do not map IDs to Names' }),
    'no-trunc': Flags.boolean({ description: 'Do not truncate output' }),
    quiet: Flags.boolean({ char: 'q', description: 'Only display task IDs' }),
  }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(NodePs)
    const client = this.client(flags)
    const refs = argv.length ? (argv as string[]) : ['self']
    const filters = parseFilters(flags.filter)
    const perNode = await gatherArgs(refs, async (ref) => listTasks(client, withFilter(filters, 'node', (await getNode(client, ref)).ID)))
    const tasks = perNode.found.flat()
    // Like docker: print the table unless every node failed, then report the failures.
    if (!perNode.errors.length || tasks.length) {
      const names = await lookupTaskNames(client, flags['no-resolve'])
      this.out(renderTasks(tasks, names, { format: flags.format, quiet: flags.quiet, trunc: !flags['no-trunc'], now: Date.now() }))
    }
    perNode.rethrow()
  }
}
