import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { MultiError } from '../../lib/cli/errors.js'
import { LogLineFormatter, logTarget, sinceParam } from '../../lib/cli/logs.js'
import { FrameDemuxer, openStream } from '../../lib/cli/stream.js'

export default class ServiceLogs extends BaseCommand {
  static override summary = 'Fetch the logs of a service or task'
  static override args = { target: Args.string({ description: 'SERVICE|TASK', required: true }) }
  static override flags = {
    details: Flags.boolean({ description: 'Show extra details provided to logs' }),
    follow: Flags.boolean({ char: 'f', description: 'Follow log output' }),
    'no-resolve': Flags.boolean({ description: 'Do not map IDs to Names in output' }),
    'no-task-ids': Flags.boolean({ description: 'Do not include task IDs in output' }),
    'no-trunc': Flags.boolean({ description: 'Do not truncate output' }),
    raw: Flags.boolean({ description: 'Do not neatly format logs' }),
    since: Flags.string({ description: 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' }),
    tail: Flags.string({ char: 'n', description: 'Number of lines to show from the end of the logs', default: 'all' }),
    timestamps: Flags.boolean({ char: 't', description: 'Show timestamps' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ServiceLogs)
    const client = this.client(flags)
    const target = await logTarget(client, args.target)
    if (target.tty && !flags.raw) throw new MultiError(['tty service logs only supported with --raw'])
    const on = (b: boolean) => (b ? 1 : undefined)
    const res = await openStream(client, target.path, {
      stdout: 1, stderr: 1, since: sinceParam(flags.since, Date.now()), timestamps: on(flags.timestamps),
      follow: on(flags.follow), tail: flags.tail, details: on(flags.details || !flags.raw),
    })
    if (target.tty) {
      for await (const chunk of res) process.stdout.write(chunk as Buffer)
      return
    }
    const formatter = flags.raw ? undefined : new LogLineFormatter(client, {
      timestamps: flags.timestamps, details: flags.details, noResolve: flags['no-resolve'],
      noTaskIds: flags['no-task-ids'], noTrunc: flags['no-trunc'], padding: target.padding,
    })
    const demux = new FrameDemuxer()
    for await (const chunk of res) {
      for (const { stream, payload } of demux.push(chunk as Buffer)) {
        if (stream === 3) throw new MultiError([`error from daemon in stream: ${payload.toString()}`])
        const out = stream === 2 ? process.stderr : process.stdout
        out.write(formatter ? await formatter.format(payload.toString('utf8')) : payload)
      }
    }
  }
}
