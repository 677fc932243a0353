import { Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { certExpiry } from '../../lib/cli/cert-expiry.js'

export default class SwarmUpdate extends BaseCommand {
  static override summary = 'Update the swarm'
  static override examples = ['<%= config.bin %> swarm update --cert-expiry 720h']

  static override flags = {
    'cert-expiry': Flags.string({ description: 'Validity period for node certificates (ns|us|ms|s|m|h)' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(SwarmUpdate)
    await this.client(flags).updateSwarm((spec) => {
      if (flags['cert-expiry']) spec.CAConfig = { ...spec.CAConfig, NodeCertExpiry: certExpiry(flags['cert-expiry']) * 1_000_000 }
    })
    this.out('Swarm updated.\n')
  }
}
