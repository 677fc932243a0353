import { BaseCommand } from '../../lib/cli/base.js'
import { readUnlockKey } from '../../lib/cli/read-key.js'
import { FailedPreconditionError } from '../../lib/errors/index.js'

export default class SwarmUnlock extends BaseCommand {
  static override summary = 'Unlock swarm'
  static override description = 'Gives a manager that restarted locked (autolock) the unlock key, from a prompt or stdin.'
  static override examples = ['<%= config.bin %> swarm unlock', 'echo "$KEY" | <%= config.bin %> swarm unlock']

  async run(): Promise<void> {
    const { flags } = await this.parse(SwarmUnlock)
    const client = this.client(flags)
    // As docker: only a locked manager is asked for the key.
    const info = await client.info()
    const state = (info.Swarm as { LocalNodeState?: string } | undefined)?.LocalNodeState
    if (state === 'inactive') throw new FailedPreconditionError('This node is not part of a swarm')
    if (state !== 'locked') throw new FailedPreconditionError('swarm is not locked')
    const key = await readUnlockKey('Enter unlock key: ')
    await client.post('/swarm/unlock', { body: { UnlockKey: key } })
  }
}
