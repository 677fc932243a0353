import { Flags } from '@oclif/core'
import { BaseCommand } from '../lib/cli/base.js'
import { filtersQuery } from '../lib/cli/filters.js'
import { sinceParam } from '../lib/cli/logs.js'
import { openStream } from '../lib/cli/stream.js'
import { eventPrinter, type PrintedEvent } from '../lib/format/events.js'

export default class Events extends BaseCommand {
  static override summary = 'Get real time events from the swarm'
  static override description = 'Service, node and network events, as "docker events" prints them. Without --until it follows until interrupted.'
  static override examples = ['<%= config.bin %> events --filter type=service --since 10m', '<%= config.bin %> events --format \'{{.Action}} {{.Actor.Attributes.name}}\'']
  static override flags = {
    filter: Flags.string({ char: 'f', description: 'Filter output based on conditions provided (type, event, service, node, network, label, scope)', multiple: true, multipleNonGreedy: true }),
    format: Flags.string({ description: 'Format output using a custom template: \'json\' or a Go template' }),
    since: Flags.string({ description: 'Show all events created since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m")' }),
    until: Flags.string({ description: 'Stream events until this timestamp' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Events)
    const print = eventPrinter(flags.format)
    const now = Date.now()
    const query = { since: sinceParam(flags.since, now), until: sinceParam(flags.until, now, 'until'), filters: filtersQuery(flags.filter) }
    const res = await openStream(this.client(flags), '/events', query)
    // Chunks may hold several events or half of one: split on newlines, keep the rest.
    let rest = ''
    for await (const chunk of res) {
      const lines = (rest + (chunk as Buffer).toString('utf8')).split('\n')
      rest = lines.pop() ?? ''
      for (const line of lines) if (line.trim()) this.out(print(JSON.parse(line) as PrintedEvent))
    }
  }
}
