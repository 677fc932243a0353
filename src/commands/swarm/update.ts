import { Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { certExpiry } from '../../lib/cli/cert-expiry.js'
import { normalizeArgv } from '../../lib/cli/service/argv.js'
import { unlockInstructions } from '../../lib/cli/unlock-message.js'

export default class SwarmUpdate extends BaseCommand {
  static override summary = 'Update the swarm'
  static override examples = ['<%= config.bin %> swarm update --cert-expiry 720h', '<%= config.bin %> swarm update --autolock=true']

  static override flags = {
    autolock: Flags.boolean({ description: 'Change manager autolocking setting (true|false)', allowNo: true }),
    'cert-expiry': Flags.string({ description: 'Validity period for node certificates (ns|us|ms|s|m|h)' }),
  }

  async run(): Promise<void> {
    // docker's booleans also take --flag=true|false (--autolock=false).
    const argv = normalizeArgv(this.argv, { ...BaseCommand.baseFlags, ...SwarmUpdate.flags }, false)
    const { flags } = await this.parse(SwarmUpdate, argv)
    const client = this.client(flags)
    let before = false
    await client.updateSwarm((spec) => {
      before = spec.EncryptionConfig?.AutoLockManagers === true
      if (flags['cert-expiry']) spec.CAConfig = { ...spec.CAConfig, NodeCertExpiry: certExpiry(flags['cert-expiry']) * 1_000_000 }
      if (flags.autolock !== undefined) spec.EncryptionConfig = { ...spec.EncryptionConfig, AutoLockManagers: flags.autolock }
    })
    this.out('Swarm updated.\n')
    if (flags.autolock === true && !before) {
      const { UnlockKey } = await client.get<{ UnlockKey: string }>('/swarm/unlockkey')
      this.out(unlockInstructions(UnlockKey))
    }
  }
}
