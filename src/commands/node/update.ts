import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { updateNodeSpec } from '../../lib/cli/nodes.js'
import { InvalidArgumentError } from '../../lib/errors/index.js'
import type { NodeAvailability, NodeRole } from '../../lib/types/index.js'

export default class NodeUpdate extends BaseCommand {
  static override summary = 'Update a node'
  static override args = { node: Args.string({ description: 'NODE (ID, ID prefix, hostname or "self")', required: true }) }
  static override flags = {
    availability: Flags.string({ description: 'Availability of the node ("active", "pause", "drain")' }),
    'label-add': Flags.string({ description: 'Add or update a node label (key=value)', multiple: true, multipleNonGreedy: true }),
    'label-rm': Flags.string({ description: 'Remove a node label if exists', multiple: true, multipleNonGreedy: true }),
    role: Flags.string({ description: 'Role of the node ("worker", "manager")' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(NodeUpdate)
    if (flags.availability && !['active', 'pause', 'drain'].includes(flags.availability)) {
      throw new InvalidArgumentError(`invalid Availability: "${flags.availability}": use active, pause or drain`)
    }
    if (flags.role && !['worker', 'manager'].includes(flags.role)) {
      throw new InvalidArgumentError(`invalid role "${flags.role}": use worker or manager`)
    }
    await updateNodeSpec(this.client(flags), args.node, (spec) => {
      if (flags.availability) spec.Availability = flags.availability as NodeAvailability
      if (flags.role) spec.Role = flags.role as NodeRole
      for (const label of flags['label-add'] ?? []) {
        const eq = label.indexOf('=')
        spec.Labels[eq < 0 ? label : label.slice(0, eq)] = eq < 0 ? '' : label.slice(eq + 1)
      }
      for (const key of flags['label-rm'] ?? []) {
        if (!(key in spec.Labels)) throw new InvalidArgumentError(`key ${key} doesn't exist in node's labels`)
        delete spec.Labels[key]
      }
    })
    this.out(`${args.node}\n`)
  }
}
