import { Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { certExpiry } from '../../lib/cli/cert-expiry.js'
import type { Swarm } from '../../lib/types/index.js'

export default class SwarmUpdate extends BaseCommand {
  static override summary = 'Update the swarm'
  static override examples = ['<%= config.bin %> swarm update --cert-expiry 720h']

  static override flags = {
    'cert-expiry': Flags.string({ description: 'Validity period for node certificates (ns|us|ms|s|m|h)' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(SwarmUpdate)
    const client = this.client(flags)
    const swarm = await client.get<Swarm>('/swarm')
    const spec = structuredClone(swarm.Spec)
    if (flags['cert-expiry']) spec.CAConfig = { ...spec.CAConfig, NodeCertExpiry: certExpiry(flags['cert-expiry']) * 1_000_000 }
    await client.post('/swarm/update', { query: { version: swarm.Version.Index }, body: spec })
    this.out('Swarm updated.\n')
  }
}
