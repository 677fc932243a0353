import { Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { filtersQuery } from '../../lib/cli/filters.js'
import { renderPayloads } from '../../lib/format/secrets.js'
import type { Secret } from '../../lib/types/index.js'

export default class ConfigLs extends BaseCommand {
  static override summary = 'List configs'
  static override aliases = ['config list']
  static override flags = {
    filter: Flags.string({ char: 'f', description: 'Filter output based on conditions provided (id, label, name, names)', multiple: true, multipleNonGreedy: true }),
    format: Flags.string({ description: 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\' or a Go template' }),
    quiet: Flags.boolean({ char: 'q', description: 'Only display IDs' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(ConfigLs)
    const list = await this.client(flags).get<Secret[]>('/configs', { query: { filters: filtersQuery(flags.filter) } })
    this.out(renderPayloads('config', list, { format: flags.format, quiet: flags.quiet }))
  }
}
