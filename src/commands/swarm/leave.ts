import { rmSync } from 'node:fs'
import { Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { dataPaths, readContext, readManagerConfig } from '../../lib/config/index.js'
import { FailedPreconditionError } from '../../lib/errors/index.js'

export default class SwarmLeave extends BaseCommand {
  static override summary = 'Leave the swarm'
  static override flags = {
    force: Flags.boolean({ char: 'f', description: 'Force this node to leave the swarm, ignoring warnings' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(SwarmLeave)
    const dataDir = this.dataDir(flags)
    const ctx = readContext(dataDir)
    const paths = dataPaths(dataDir)
    if (readManagerConfig(dataDir)) {
      if (!flags.force) {
        throw new FailedPreconditionError('You are attempting to leave the swarm on a node that is participating as a manager. Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message.')
      }
      const { stopDaemon } = await import('../../lib/manager/daemon.js')
      await stopDaemon(dataDir)
      // The swarm ends with its last manager: what it made on the engines goes too.
      const { leaveFromDataDir } = await import('../../lib/manager/leave.js')
      for (const line of await leaveFromDataDir(dataDir)) process.stderr.write(`${line}\n`)
      for (const p of [paths.manager, paths.tls, paths.context]) rmSync(p, { recursive: true, force: true })
      return this.out('Node left the swarm.\n')
    }
    if (!ctx) throw new FailedPreconditionError('This node is not part of a swarm')
    try {
      await this.client(flags).post('/tsw/leave')
    } catch (err) {
      if (!flags.force) throw err
    }
    for (const p of [paths.tls, paths.context]) rmSync(p, { recursive: true, force: true })
    this.out('Node left the swarm.\n')
  }
}
