import { Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { filtersQuery } from '../../lib/cli/filters.js'
import { renderNetworks } from '../../lib/format/networks.js'
import type { Network } from '../../lib/types/index.js'

export default class NetworkLs extends BaseCommand {
  static override summary = 'List networks'
  static override aliases = ['network list']
  static override flags = {
    filter: Flags.string({ char: 'f', description: 'Provide filter values (e.g. "driver=overlay"; dangling, driver, id, label, name, scope, type)', multiple: true, multipleNonGreedy: true }),
    format: Flags.string({ description: 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\' or a Go template' }),
    'no-trunc': Flags.boolean({ description: 'Do not truncate the output' }),
    quiet: Flags.boolean({ char: 'q', description: 'Only display network IDs' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(NetworkLs)
    const networks = await this.client(flags).get<Network[]>('/networks', { query: { filters: filtersQuery(flags.filter) } })
    this.out(renderNetworks(networks, { format: flags.format, quiet: flags.quiet, noTrunc: flags['no-trunc'] }))
  }
}
