// The base of every tsw command: --data-dir and --host, one client, and
// errors printed the docker way (to stderr, exit code 1).
import { Command, Flags } from '@oclif/core'
import { resolveDataDir } from '../config/paths.js'
import { clientFor } from '../client/connect.js'
import type { ManagerClient } from '../client/client.js'
import { describeError, isUserError } from './errors.js'

export abstract class BaseCommand extends Command {
  static override baseFlags = {
    'data-dir': Flags.string({
      description: 'where this host keeps its tsw state (default /var/lib/tsw as root, ~/.tsw otherwise)',
      env: 'TSW_DATA_DIR',
      helpGroup: 'GLOBAL',
    }),
    host: Flags.string({
      char: 'H',
      description: 'manager to talk to, HOST:PORT (default: this host\'s swarm context)',
      env: 'TSW_HOST',
      helpGroup: 'GLOBAL',
    }),
  }

  private cachedClient?: ManagerClient

  /** The data dir of this invocation. */
  dataDir(flags: { 'data-dir'?: string }): string {
    return resolveDataDir(flags['data-dir'])
  }

  /** The client for the manager this invocation talks to. */
  client(flags: { 'data-dir'?: string; host?: string }): ManagerClient {
    this.cachedClient ??= clientFor(this.dataDir(flags), flags.host)
    return this.cachedClient
  }

  /** Writes text as is (no added newline). */
  out(text: string): void {
    process.stdout.write(text)
  }

  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (isUserError(err)) {
      process.stderr.write(describeError(err) + '\n')
      process.exitCode = 1
      return
    }
    if ('parse' in err) {
      // A flag or argument error: say what is wrong in a line or two, as docker does, not a page of usage.
      const what = err.message.split('\n').filter((l) => l.trim() && !l.includes('See more help')).slice(0, 2).join('\n')
      process.stderr.write(`${what.replace(/^ *›? *Error: */, '')}\nSee '${this.config.bin} ${this.id?.replace(/:/g, ' ') ?? ''} --help'.\n`)
      process.exitCode = 1
      return
    }
    return super.catch(err)
  }
}
