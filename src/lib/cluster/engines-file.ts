// A file of engine addresses, as classic swarm's file discovery had it: one
// engine a line, `#` comments, optionally followed by `sshkey=PATH` for ssh://.
import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { InvalidArgumentError } from '../errors/index.js'
import type { EngineRef } from '../types/index.js'

/** The engines a file lists (ssh keys read in). Throws InvalidArgumentError naming the bad line. */
export function readEnginesFile(path: string): EngineRef[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new InvalidArgumentError(`cannot read the engines file ${path}: ${(err as Error).message}`)
  }
  const refs: EngineRef[] = []
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim()
    if (!line) return
    const [url, ...opts] = line.split(/\s+/)
    if (!/^(tcp|unix|ssh):\/\//.test(url)) {
      throw new InvalidArgumentError(`${path}:${i + 1}: "${url}" is not an engine address: use tcp://HOST:PORT, unix:///PATH or ssh://USER@HOST`)
    }
    const ref: EngineRef = { URL: url }
    const key = opts.find((o) => o.startsWith('sshkey='))?.slice(7) ?? (url.startsWith('ssh://') ? defaultKey() : undefined)
    if (key) ref.SSHKey = readFileSync(key, 'utf8')
    refs.push(ref)
  })
  return refs
}

function defaultKey(): string | undefined {
  for (const f of ['id_ed25519', 'id_rsa']) {
    const p = `${homedir()}/.ssh/${f}`
    try {
      readFileSync(p)
      return p
    } catch { /* next */ }
  }
  return undefined
}
