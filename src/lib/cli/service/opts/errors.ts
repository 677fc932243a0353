// Errors for bad flag values, worded as pflag words them:
// invalid argument "x" for "-p, --publish" flag: <what is wrong>
import { InvalidArgumentError } from '../../../errors/index.js'

/** Short forms of the service flags that have one (for the "-p, --publish" spelling). */
const SHORT: Record<string, string> = {
  publish: 'p', env: 'e', label: 'l', workdir: 'w', user: 'u', tty: 't', detach: 'd', quiet: 'q',
}

/** The error for a bad value of --flag. */
export function flagError(value: string, flag: string, why: string): InvalidArgumentError {
  const name = SHORT[flag] ? `-${SHORT[flag]}, --${flag}` : `--${flag}`
  return new InvalidArgumentError(`invalid argument "${value}" for "${name}" flag: ${why}`)
}

/** Runs `parse` on one flag value, rewording a plain Error as a flag error. */
export function withFlag<T>(value: string, flag: string, parse: (v: string) => T): T {
  try {
    return parse(value)
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw err
    throw flagError(value, flag, err instanceof Error ? err.message : String(err))
  }
}
