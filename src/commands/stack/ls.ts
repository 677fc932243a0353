import { Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { renderList } from '../../lib/format/list.js'
import { listStacks } from '../../lib/stack/index.js'

export default class StackLs extends BaseCommand {
  static override summary = 'List stacks'
  static override aliases = ['stack list']
  static override flags = {
    format: Flags.string({ description: 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\' or a Go template' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(StackLs)
    const stacks = (await listStacks(this.client(flags))).map((s) => ({ Name: s.Name, Services: String(s.Services) }))
    this.out(renderList(stacks, { format: flags.format, defaultTable: 'table {{.Name}}\t{{.Services}}', headers: { Name: 'NAME', Services: 'SERVICES' } }))
  }
}
