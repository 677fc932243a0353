import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { engineRefFromFlags } from '../../lib/cli/engine-flags.js'
import { plainEngineWarning } from '../../lib/cli/insecure.js'
import { eachArg } from '../../lib/cli/errors.js'

/** Engines added at once: each add waits on its engine's answers, not on the manager. */
const ADD_CONCURRENCY = 8

export default class NodeAdd extends BaseCommand {
  static override summary = 'Add engines to the swarm by their address (no join on their hosts)'
  static override description = 'As classic swarm\'s static discovery: the manager reaches each engine itself and adds it as a worker node. Prints each new node\'s ID.'
  static override examples = ['<%= config.bin %> node add tcp://10.0.0.12:2375 ssh://ops@10.0.0.13']
  static override strict = false
  static override args = { engine: Args.string({ description: 'ENGINE address: tcp://HOST:PORT, ssh://USER@HOST[:PORT], unix:///PATH', required: true }) }
  static override flags = {
    'engine-tlscacert': Flags.string({ description: 'CA file that signed the engines\' TLS certificates' }),
    'engine-tlscert': Flags.string({ description: 'client certificate file for the engines' }),
    'engine-tlskey': Flags.string({ description: 'client key file for the engines' }),
    'engine-ssh-key': Flags.string({ description: 'private key file for ssh:// engines' }),
    'advertise-addr': Flags.string({ description: 'the node\'s address (default: the engine\'s host)' }),
  }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(NodeAdd)
    const client = this.client(flags)
    await eachArg(argv as string[], async (url) => {
      const engine = engineRefFromFlags({ ...flags, engine: url })
      const warning = plainEngineWarning(engine)
      if (warning) process.stderr.write(warning + '\n')
      const res = await client.post<{ ID: string }>('/tsw/nodes', { body: { Engine: engine, AdvertiseAddr: flags['advertise-addr'] } })
      return res.ID
    }, (s) => this.out(s), ADD_CONCURRENCY)
  }
}
