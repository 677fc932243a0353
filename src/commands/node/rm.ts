import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { eachArg } from '../../lib/cli/errors.js'
import { getNode } from '../../lib/cli/nodes.js'

export default class NodeRm extends BaseCommand {
  static override summary = 'Remove one or more nodes from the swarm'
  static override aliases = ['node remove']
  static override strict = false
  static override args = { node: Args.string({ description: 'NODE', required: true }) }
  static override flags = {
    force: Flags.boolean({ char: 'f', description: 'Force remove a node from the swarm' }),
  }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(NodeRm)
    const client = this.client(flags)
    await eachArg(argv as string[], async (ref) => {
      const node = await getNode(client, ref)
      await client.delete(`/nodes/${node.ID}`, { query: { force: flags.force || undefined } })
      return ref
    }, (s) => this.out(s))
  }
}
