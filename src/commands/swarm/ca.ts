import { Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { rotationSpec, trustRoot, waitForRotation } from '../../lib/cli/ca.js'
import { certExpiry } from '../../lib/cli/cert-expiry.js'
import { RenewingClient } from '../../lib/client/renew.js'
import { InvalidArgumentError } from '../../lib/errors/index.js'

export default class SwarmCa extends BaseCommand {
  static override summary = 'Display and rotate the root CA'
  static override description = 'Without flags, prints the swarm\'s root CA certificate. With --rotate, replaces the root CA: every host moves over to the new one on its next command, the join tokens change, and services keep running.'
  static override examples = ['<%= config.bin %> swarm ca', '<%= config.bin %> swarm ca --rotate', '<%= config.bin %> swarm ca --revoke 5A3F09C1D2']

  static override flags = {
    rotate: Flags.boolean({ description: 'Rotate the swarm CA - if no certificate or key are provided, new ones will be generated' }),
    'ca-cert': Flags.string({ description: 'Path to the PEM-formatted root CA certificate to use for the new cluster' }),
    'ca-key': Flags.string({ description: 'Path to the PEM-formatted root CA key to use for the new cluster' }),
    'cert-expiry': Flags.string({ description: 'Validity period for node certificates (ns|us|ms|s|m|h)' }),
    detach: Flags.boolean({ char: 'd', description: 'Exit immediately instead of waiting for the root rotation to converge' }),
    quiet: Flags.boolean({ char: 'q', description: 'Suppress progress output' }),
    revoke: Flags.string({ description: 'Revoke admin client certificates by serial (hex, as openssl x509 -serial prints it) or common name: every manager refuses them from now on', helpValue: 'SERIAL|CN' }),
    'finish-rotation': Flags.boolean({ description: 'End a root rotation now: the old root CA is no longer trusted (hosts not moved over have to join again)' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(SwarmCa)
    const client = this.client(flags)
    if (flags.revoke !== undefined) {
      if (flags.rotate || flags['finish-rotation']) throw new InvalidArgumentError('`--revoke` cannot be combined with `--rotate` or `--finish-rotation`')
      const res = await client.post<{ Revoked: Array<{ Serial: string; CommonName: string }> }>('/tsw/ca/revoke', { body: { Certificate: flags.revoke } })
      if (res.Revoked.length === 0) return this.out(`every admin certificate named ${flags.revoke} was already revoked\n`)
      return this.out(res.Revoked.map((c) => `Revoked ${c.Serial} (${c.CommonName})\n`).join(''))
    }
    if (flags['finish-rotation']) {
      await client.post('/tsw/ca/finish')
      return this.out(trustRoot(await client.swarm()))
    }
    if (!flags.rotate) {
      for (const f of ['ca-cert', 'ca-key', 'cert-expiry'] as const) {
        if (flags[f] !== undefined) throw new InvalidArgumentError(`\`--${f}\` flag requires the \`--rotate\` flag to update the CA`)
      }
      return this.out(trustRoot(await client.swarm()))
    }
    await client.updateSwarm((_spec, swarm) => rotationSpec(swarm, {
      caCertFile: flags['ca-cert'], caKeyFile: flags['ca-key'],
      certExpiryMs: flags['cert-expiry'] ? certExpiry(flags['cert-expiry']) : undefined,
    }))
    // This host moves over at once (others on their next command).
    if (client instanceof RenewingClient) await client.renew()
    if (flags.detach) return
    const done = await waitForRotation(client, { quiet: flags.quiet, write: (s) => this.out(s), bin: this.config.bin })
    this.out(trustRoot(done))
  }
}
