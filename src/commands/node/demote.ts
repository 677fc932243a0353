import { Args } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { eachArg } from '../../lib/cli/errors.js'
import { updateNodeSpec } from '../../lib/cli/nodes.js'

export default class NodeDemote extends BaseCommand {
  static override summary = 'Demote one or more nodes from manager in the swarm'
  static override strict = false
  static override args = { node: Args.string({ description: 'NODE', required: true }) }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(NodeDemote)
    const client = this.client(flags)
    await eachArg(argv as string[], async (ref) => {
      let already = false
      await updateNodeSpec(client, ref, (spec) => {
        already = spec.Role === 'worker'
        spec.Role = 'worker'
      })
      return already ? `Node ${ref} is already a worker.` : `Manager ${ref} demoted in the swarm.`
    }, (s) => this.out(s))
  }
}
