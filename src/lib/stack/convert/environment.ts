// A service's environment as docker/cli's loader resolves it: env_file lines
// first, then `environment:`; a variable without a value (or an empty one)
// takes the CLI's value when it has one. Sorted "K=V" (or "K") strings.
import { readFileSync } from 'node:fs'
import { InvalidArgumentError } from '../../errors/index.js'
import type { Lookup } from '../interpolate.js'
import type { ComposeService } from '../types.js'

/** The KEY=VALUE (or KEY) lines of an env file: blank lines and # comments skipped. Throws InvalidArgumentError naming the file. */
export function readEnvFile(path: string, where: string): Record<string, string | null> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    throw new InvalidArgumentError(`${where}.env_file: open ${path}: ${e.code === 'ENOENT' ? 'no such file or directory' : e.message}`)
  }
  const out: Record<string, string | null> = {}
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimStart()
    if (!line || line.startsWith('#')) continue
    const eq = line.indexOf('=')
    const key = eq < 0 ? line.trimEnd() : line.slice(0, eq)
    if (!key || /\s/.test(key)) throw new InvalidArgumentError(`${where}.env_file: ${path}: variable '${key}' contains whitespaces`)
    out[key] = eq < 0 ? null : line.slice(eq + 1)
  }
  return out
}

/** A service's variables as docker's loader resolves them: env_file, then environment, empty ones from the CLI. */
export function resolvedEnvironment(svc: ComposeService, lookup: Lookup, where: string): Record<string, string | null> {
  const env: Record<string, string | null> = {}
  const update = (vars: Record<string, string | null>) => {
    for (const [k, v] of Object.entries(vars)) {
      const fromCli = lookup(k)
      env[k] = (v === null || v === '') && fromCli !== undefined ? fromCli : v
    }
  }
  for (const f of svc.env_file ?? []) update(readEnvFile(f, where))
  update(svc.environment ?? {})
  return env
}

/** The container's Env for a service (undefined when empty). */
export function environment(svc: ComposeService, lookup: Lookup, where: string): string[] | undefined {
  const out = Object.entries(resolvedEnvironment(svc, lookup, where)).map(([k, v]) => (v === null ? k : `${k}=${v}`)).sort()
  return out.length ? out : undefined
}
