import { Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { unlockInstructions } from '../../lib/cli/unlock-message.js'
import { FailedPreconditionError } from '../../lib/errors/index.js'

export default class SwarmUnlockKey extends BaseCommand {
  static override summary = 'Manage the unlock key'
  static override examples = ['<%= config.bin %> swarm unlock-key', '<%= config.bin %> swarm unlock-key --rotate']

  static override flags = {
    rotate: Flags.boolean({ description: 'Rotate unlock key' }),
    quiet: Flags.boolean({ char: 'q', description: 'Only display token' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(SwarmUnlockKey)
    const client = this.client(flags)
    if (flags.rotate) {
      const swarm = await client.swarm()
      if (!swarm.Spec.EncryptionConfig?.AutoLockManagers) throw new FailedPreconditionError('cannot rotate because autolock is not turned on')
      await client.post('/swarm/update', { query: { version: swarm.Version.Index, rotateManagerUnlockKey: true }, body: swarm.Spec })
      if (!flags.quiet) this.out('Successfully rotated manager unlock key.\n')
    }
    const { UnlockKey } = await client.get<{ UnlockKey: string }>('/swarm/unlockkey')
    if (!UnlockKey) throw new FailedPreconditionError('no unlock key is set')
    this.out(flags.quiet ? `${UnlockKey}\n` : unlockInstructions(UnlockKey))
  }
}
