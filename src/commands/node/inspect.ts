import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { gatherArgs } from '../../lib/cli/errors.js'
import { getNode } from '../../lib/cli/nodes.js'
import { renderInspect } from '../../lib/format/inspect.js'
import { prettyNode } from '../../lib/format/nodes.js'

export default class NodeInspect extends BaseCommand {
  static override summary = 'Display detailed information on one or more nodes'
  static override strict = false
  static override args = { node: Args.string({ description: 'NODE (ID, ID prefix, hostname or "self")', required: true }) }
  static override flags = {
    format: Flags.string({ char: 'f', description: 'Format output using a custom template: \'json\' or a Go template' }),
    pretty: Flags.boolean({ description: 'Print the information in a human friendly format' }),
  }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(NodeInspect)
    const client = this.client(flags)
    const nodes = await gatherArgs(argv as string[], (ref) => getNode(client, ref))
    if (flags.pretty) this.out(nodes.found.map(prettyNode).join('\n'))
    else this.out(renderInspect(nodes.found, flags.format))
    nodes.rethrow()
  }
}
