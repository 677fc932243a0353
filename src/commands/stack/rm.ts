import { Args } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { MultiError } from '../../lib/cli/errors.js'
import { removeStack } from '../../lib/stack/index.js'

export default class StackRm extends BaseCommand {
  static override summary = 'Remove one or more stacks'
  static override aliases = ['stack remove', 'stack down']
  static override strict = false
  static override args = { stack: Args.string({ description: 'STACK', required: true }) }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(StackRm)
    const client = this.client(flags)
    const errors: string[] = []
    for (const stack of argv as string[]) {
      const result = await removeStack(client, stack, { out: (l) => this.out(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) })
      // As docker: a stack with nothing in it is a notice, not an error.
      if (result === 'nothing') process.stderr.write(`Nothing found in stack: ${stack}\n`)
      if (result === 'failed') errors.push(`Failed to remove some resources from stack: ${stack}`)
    }
    if (errors.length) throw new MultiError(errors)
  }
}
