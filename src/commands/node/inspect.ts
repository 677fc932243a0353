import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { describeError, MultiError } from '../../lib/cli/errors.js'
import { getNode } from '../../lib/cli/nodes.js'
import { renderInspect } from '../../lib/format/inspect.js'
import { prettyNode } from '../../lib/format/nodes.js'
import type { Node } from '../../lib/types/index.js'

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
    const found: Node[] = []
    const errors: string[] = []
    for (const ref of argv as string[]) {
      try {
        found.push(await getNode(client, ref))
      } catch (err) {
        errors.push(describeError(err))
      }
    }
    if (flags.pretty) this.out(found.map(prettyNode).join('\n'))
    else this.out(renderInspect(found, flags.format))
    if (errors.length) throw new MultiError(errors)
  }
}
