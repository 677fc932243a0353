import { Flags } from '@oclif/core'
import { BaseCommand } from '../lib/cli/base.js'
import { parseDuration } from '../lib/cli/duration.js'

export default class ManagerCommand extends BaseCommand {
  static override summary = 'Run the swarm manager in the foreground'
  static override description = 'Serves the swarm API of the data dir that "tsw swarm init" prepared (for systemd, containers and tests). SIGTERM or Ctrl-C stops it; every container keeps running.'
  static override flags = {
    'dispatcher-heartbeat': Flags.string({ description: 'Override the heartbeat period (ns|us|ms|s|m|h)' }),
    strategy: Flags.string({ description: 'Placement of plain containers (docker run through the manager)', options: ['spread', 'binpack', 'random'], default: 'spread' }),
    'engines-file': Flags.string({ description: 'File of engine addresses (one per line: tcp://…, ssh://…) added as nodes at start, as classic swarm\'s file discovery' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(ManagerCommand)
    const { Manager } = await import('../lib/manager/manager.js')
    const manager = new Manager({
      dataDir: this.dataDir(flags),
      heartbeatMs: flags['dispatcher-heartbeat'] ? parseDuration(flags['dispatcher-heartbeat'], 'dispatcher-heartbeat') : undefined,
      strategy: flags.strategy as 'spread' | 'binpack' | 'random',
      enginesFile: flags['engines-file'],
    })
    await manager.start()
    await new Promise<void>((resolve) => {
      for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => void manager.stop().then(resolve))
    })
  }
}
