import { Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { filtersQuery } from '../../lib/cli/filters.js'
import { selfNodeId } from '../../lib/cli/nodes.js'
import { NODE_HEADERS, NODE_TABLE, nodeRow, sortNodes } from '../../lib/format/nodes.js'
import { renderList } from '../../lib/format/list.js'
import type { Node } from '../../lib/types/index.js'

export default class NodeLs extends BaseCommand {
  static override summary = 'List nodes in the swarm'
  static override aliases = ['node list']
  static override flags = {
    filter: Flags.string({ char: 'f', description: 'Filter output based on conditions provided (id, name, role, membership, label, node.label)', multiple: true, multipleNonGreedy: true }),
    format: Flags.string({ description: 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\' or a Go template' }),
    quiet: Flags.boolean({ char: 'q', description: 'Only display IDs' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(NodeLs)
    const client = this.client(flags)
    const [nodes, self] = await Promise.all([
      client.get<Node[]>('/nodes', { query: { filters: filtersQuery(flags.filter) } }),
      selfNodeId(client),
    ])
    this.out(renderList(sortNodes(nodes).map((n) => nodeRow(n, self)), {
      format: flags.format, quiet: flags.quiet, defaultTable: NODE_TABLE, headers: NODE_HEADERS,
    }))
  }
}
