import { Args } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { eachArg } from '../../lib/cli/errors.js'
import { updateNodeSpec } from '../../lib/cli/nodes.js'

export default class NodePromote extends BaseCommand {
  static override summary = 'Promote one or more nodes to manager in the swarm'
  static override strict = false
  static override args = { node: Args.string({ description: 'NODE', required: true }) }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(NodePromote)
    const client = this.client(flags)
    const { TswStore } = await client.info()
    await eachArg(argv as string[], async (ref) => {
      let already = false
      await updateNodeSpec(client, ref, (spec) => {
        already = spec.Role === 'manager'
        spec.Role = 'manager'
      })
      // Nothing of tsw runs on that host unless someone starts it there.
      if (!already && TswStore === 'etcd') process.stderr.write(`To run the manager of ${ref}, on its host: tsw manager -d\n`)
      return already ? `Node ${ref} is already a manager.` : `Node ${ref} promoted to a manager in the swarm.`
    }, (s) => this.out(s))
  }
}
