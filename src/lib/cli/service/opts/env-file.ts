// --env-file as docker reads it (pkg/kvfile): KEY=VALUE lines kept as they
// are (leading whitespace trimmed), "#" comments and blank lines skipped, a
// bare KEY taken from the environment (and left out when it is not set there).
import { readFileSync } from 'node:fs'
import { InvalidArgumentError } from '../../../errors/index.js'

/** The variables of an env file's text. Throws Error in docker's words. */
export function parseEnvFile(text: string, environ: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = []
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  for (const raw of lines) {
    const line = raw.replace(/^\s+/, '')
    if (!line || line.startsWith('#')) continue
    const eq = line.indexOf('=')
    const key = eq < 0 ? line : line.slice(0, eq)
    if (!key) throw new Error(`no variable name on line '${line}'`)
    if (/\s/.test(key)) throw new Error(`variable '${key}' contains whitespaces`)
    if (eq >= 0) out.push(line)
    else if (environ[key] !== undefined) out.push(`${key}=${environ[key]}`)
  }
  return out
}

/** The variables of env files, in order. Throws InvalidArgumentError ("open X: no such file or directory"). */
export function readEnvFiles(paths: string[], environ: NodeJS.ProcessEnv = process.env): string[] {
  return paths.flatMap((path) => {
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      const why = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (err as Error).message
      throw new InvalidArgumentError(`open ${path}: ${why}`)
    }
    try {
      return parseEnvFile(text, environ)
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message)
    }
  })
}
