// oclif's autocomplete plugin, bundled with the other commands (the bundle cannot load an
// ESM plugin at run time); a bad shell name is a usage error, exit code 1, as elsewhere.
import Index from '../../../node_modules/@oclif/plugin-autocomplete/lib/commands/autocomplete/index.js'

export default class Autocomplete extends Index {
  protected override async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    if ('parse' in err) {
      const what = err.message.split('\n').filter((l) => l.trim() && !l.includes('See more help')).slice(0, 2).join('\n')
      process.stderr.write(`${what.replace(/^ *›? *Error: */, '')}\nSee '${this.config.bin} autocomplete --help'.\n`)
      process.exitCode = 1
      return
    }
    return super.catch(err)
  }
}
