import { Args } from '@oclif/core'
import { BaseCommand } from '../../lib/cli/base.js'
import { describeError, MultiError } from '../../lib/cli/errors.js'
import { waitOnService } from '../../lib/cli/progress/index.js'
import { commonFlags } from '../../lib/cli/service/flags.js'
import { parseScaleArgs, scaleService, type WriteResult } from '../../lib/cli/service/ops.js'

/** An error as one line of a multi-service report ("web: …"). */
const reason = (err: unknown) => describeError(err).replace(/^Error: /, '')

export default class ServiceScale extends BaseCommand {
  static override summary = 'Scale one or multiple replicated services'
  static override usage = 'service scale SERVICE=REPLICAS [SERVICE=REPLICAS...]'
  static override strict = false
  static override args = { scale: Args.string({ description: 'SERVICE=REPLICAS', required: true }) }
  static override flags = { detach: commonFlags.detach }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(ServiceScale)
    const targets = parseScaleArgs(argv as string[], this.config.bin)
    const client = this.client(flags)
    const errors: string[] = []
    const scaled: Array<[string, WriteResult]> = []
    for (const { name, replicas } of targets) {
      try {
        const res = await scaleService(client, name, replicas)
        for (const w of res.warnings) process.stderr.write(`${w}\n`)
        this.out(`${name} scaled to ${res.replicas}\n`)
        scaled.push([name, res])
      } catch (err) {
        errors.push(`${name}: ${reason(err)}`)
      }
    }
    for (const [name, res] of flags.detach ? [] : scaled) {
      try {
        await waitOnService(client, name, { previousStatus: res.previousStatus, bin: this.config.bin })
      } catch (err) {
        errors.push(`${name}: ${reason(err)}`)
      }
    }
    if (errors.length) throw new MultiError(errors)
  }
}
